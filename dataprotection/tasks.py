from celery import shared_task

from .retention import retention_apply


@shared_task
def apply_retention(now=None):
    """Daily (beat): anonymise or delete what the retention schedule says is due. Returns how many."""
    return sum(retention_apply(now=now).values())
