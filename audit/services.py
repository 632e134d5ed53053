from .context import client_ip
from .models import AuditEntry


def audit_record(*, actor, action, what, case=None):
    """Write one audit entry; the address comes from the request being served, if any."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        case=case,
        what=what[:300],
        ip_address=client_ip.get(),
    )
