"""When a person leaves (people.services.person_leave), their per-case rights go; the cases they handled
stay assigned to them until the Head of Business and Governance reassigns them from the governance queue
(cases.selectors.leavers_open_cases)."""

from audit.models import AuditEntry
from audit.services import audit_record
from people.services import when_person_leaves

from .models import CaseUserObjectPermission


@when_person_leaves
def case_rights_remove(*, person, by):
    removed, _ = CaseUserObjectPermission.objects.filter(user=person).delete()
    if removed:
        audit_record(
            actor=by,
            action=AuditEntry.Action.CHANGE,
            what=f"removed {removed} per-case right(s) of {person}: left focus",
            details={"person": person.pk, "case_rights_removed": removed},
        )
