from .models import Acknowledgement, PolicyVersion


def policies_awaiting_acknowledgement(*, user):
    """Current versions this person has not yet confirmed they have read."""
    acknowledged = Acknowledgement.objects.filter(user=user).values("version")
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.APPROVED)
        .exclude(pk__in=acknowledged)
        .select_related("policy")
    )
