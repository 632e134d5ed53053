"""One door for a disciplinary record: the record, or a 404 that is audited with who asked for which.

Who may see a record is decided by discipline.selectors (HR and the Head of Business and Governance, never
the employee concerned); a record that does not exist is refused the same way, and audited too.
"""

from django.http import Http404

from audit.services import audit_refused

from .models import DisciplinaryRecord
from .selectors import record_for_user


def get_record_for_user(user, reference):
    record = record_for_user(user=user, reference=reference)
    if record is None:
        # The case it draws on, if any, so that the refusal shows with that case's entries. The reference
        # in the details hides the entry from the employee concerned, as every entry about their record.
        found = DisciplinaryRecord.objects.filter(reference=reference).select_related("case").first()
        audit_refused(
            actor=user,
            case=found.case if found else None,
            what=f"was refused disciplinary record {reference[:40]}" + ("" if found else " (no such record)"),
            details={"record": reference[:40]},
        )
        raise Http404("No such disciplinary record.")
    return record
