from cases.access import handles_any_case
from notifications.models import Notification
from people.roles import Role


def _handles_cases(user):
    """Supervisors and Heads of Service, and anyone a concern has been routed to (one probe of the
    handler index, on every page)."""
    if user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD_OF_SERVICE):
        return True
    return handles_any_case(user)


def navigation(request):
    """What the navigation may offer this person; the views check the same rights again."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav": {
            "acknowledgements": user.has_perm("policies.view_team_acknowledgements")
            or user.has_perm("policies.view_all_acknowledgements"),
            "admin": user.is_staff,
            # Callables: the template asks for each only when it draws the link.
            "triage": lambda: _handles_cases(user),
            "governance": user.has_perm("cases.manage_all_cases"),
            "referrals": user.has_perm("cases.view_referrals_to_hr"),
            "audit": user.has_perm("audit.view_auditentry"),
            "discipline": user.has_perm("discipline.view_disciplinary_records"),
            "reports": user.has_perm("cases.view_reports"),
            "data_protection": any(
                user.has_perm(f"dataprotection.{codename}")
                for codename in ("view_retentionrule", "manage_legal_holds", "handle_subject_access")
            ),
            "unread": lambda: Notification.unread_badge(user),
        }
    }
