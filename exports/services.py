"""Every export is audited: who, when, what in words, and its format, filters and number of rows."""

from audit.models import AuditEntry
from audit.services import audit_record


def described(filters):
    """Filters as text for the audit entry: dates as YYYY-MM-DD, a team by its name, numbers as digits."""
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else str(value)
        for name, value in filters.items()
        if value not in (None, "")
    }


def export_audit(*, by, what, format, filters, rows, case=None):
    """The audit entry for one export, written before any of it is sent."""
    return audit_record(
        actor=by,
        action=AuditEntry.Action.EXPORT,
        case=case,
        what=what,
        details={"format": format, "filters": described(filters), "rows": rows},
    )
