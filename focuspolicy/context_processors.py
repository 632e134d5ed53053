from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from notifications.models import Notification

from .work import offers_triage, work_count

# The navigation's links take no arguments: reversed once per process (per URL configuration and script
# prefix), not on every page.
_LINKS = {
    "home": "home",
    "raise": "cases:raise",
    "policies": "policies:list",
    "business_use": "business_use:list",
    "registers": "business_use:registers",
    "my_reports": "cases:my_reports",
    "triage": "cases:triage_queue",
    "governance": "cases:governance_queue",
    "all_cases": "cases:all",
    "referrals": "cases:referrals",
    "discipline": "discipline:list",
    "reports": "reports:index",
    "data_protection": "dataprotection:index",
    "audit": "audit:log",
    "admin": "admin:index",
    "notifications": "notifications:list",
    "password_change": "password_change",
    "two_factor": "signin:two_factor",
    "api_tokens": "api_tokens:list",
    "logout": "logout",
}
_reversed = {}


def _urls():
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _reversed:
        _reversed[key] = {link: reverse(name) for link, name in _LINKS.items()}
    return _reversed[key]


class _Every:
    """A superuser's permissions, as has_perm reads them: every one."""

    def __contains__(self, perm):
        return True


def _permissions(user):
    """What user.has_perm(perm) answers, read from the backends once rather than once per link."""
    if user.is_active and user.is_superuser:
        return _Every()
    return user.get_all_permissions()


def navigation(request):
    """What the navigation may offer this person; the views check the same rights again."""
    user = request.user
    if not user.is_authenticated:
        return {}
    perms = _permissions(user)
    return {
        "nav": {
            "urls": _urls(),
            "acknowledgements": "policies.view_team_acknowledgements" in perms
            or "policies.view_all_acknowledgements" in perms,
            "admin": user.is_staff,
            # Callables: the template asks for each only when it draws the link.
            "triage": lambda: offers_triage(user),
            # The person's work queues, counted together (focuspolicy.work); the home page lists them.
            "work": lambda: work_count(user),
            "governance": "cases.manage_all_cases" in perms,
            "referrals": "cases.view_referrals_to_hr" in perms,
            "audit": "audit.view_auditentry" in perms,
            "discipline": "discipline.view_disciplinary_records" in perms,
            "reports": "cases.view_reports" in perms,
            "data_protection": any(
                f"dataprotection.{codename}" in perms
                for codename in ("view_retentionrule", "manage_legal_holds", "handle_subject_access")
            ),
            "unread": lambda: Notification.unread_badge(user),
        }
    }
