"""The roles of the Social Media Policy as groups with model permissions.

A person may hold several roles. Role-wide rights are model permissions on the group; rights that depend
on a person's relation to a record (owner of a policy, reporter of a case) are decided on the model.
"""

from django.db import models


class Role(models.TextChoices):
    STAFF = "Staff"
    SUPERVISOR = "Supervisor"
    HEAD_OF_SERVICE = "Head of Service"
    GOVERNANCE = "Head of Business and Governance"
    INFOSEC = "Head of Information & Security"
    COMMS = "Communications team"
    HR = "HR"
    ADMINISTRATOR = "Administrator"


# Every member of staff may raise a concern (9.1, 9.2). What they may see of a case comes from
# per-case grants (reporter, handler) in cases.access, not from their role.
_STAFF = ["policies.add_acknowledgement", "policies.add_comment", "cases.add_case"]
_OVERSIGHT = [*_STAFF, "policies.view_team_acknowledgements"]

ROLE_PERMISSIONS = {
    Role.STAFF: _STAFF,
    Role.SUPERVISOR: _OVERSIGHT,
    Role.HEAD_OF_SERVICE: _OVERSIGHT,
    Role.GOVERNANCE: [
        *_OVERSIGHT,
        "policies.view_all_acknowledgements",
        "cases.manage_all_cases",
        "cases.view_referrals_to_hr",
        "cases.export_cases",
        "cases.view_reports",
        "audit.view_auditentry",
        "audit.export_auditentry",
        "discipline.view_disciplinary_records",
        # Data protection: the retention schedule, legal holds, subject access and erasure requests.
        "dataprotection.view_retentionrule",
        "dataprotection.manage_legal_holds",
        "dataprotection.handle_subject_access",
    ],
    # Information security reads and exports the audit log (who accessed what, refusals included), and
    # handles subject access requests.
    Role.INFOSEC: [
        *_STAFF,
        "audit.view_auditentry",
        "audit.export_auditentry",
        "dataprotection.handle_subject_access",
    ],
    Role.COMMS: _STAFF,
    Role.HR: [
        *_STAFF,
        "cases.view_referrals_to_hr",
        "discipline.view_disciplinary_records",
        "discipline.manage_disciplinary_records",
        "discipline.export_disciplinary_records",
    ],
    Role.ADMINISTRATOR: [
        *_OVERSIGHT,
        "policies.view_all_acknowledgements",
        "policies.manage_policy",
        # Staff records, teams and policies in the Django admin. Roles only to read: only a superuser
        # changes anyone's rights (focuspolicy/admin.py), and nobody makes an API token for someone else.
        *[
            f"{app}.{action}_{model}"
            for app, model in [
                ("people", "user"),
                ("people", "team"),
                ("policies", "policy"),
                ("policies", "policyversion"),
            ]
            for action in ("add", "change", "view")
        ],
        # The retention schedule: its periods, in the admin (its kinds are fixed).
        "dataprotection.view_retentionrule",
        "dataprotection.change_retentionrule",
        # Published industry figures beside the clause analytics, updated for each new edition.
        *[f"reports.{action}_benchmarkfigure" for action in ("add", "change", "delete", "view")],
        "auth.view_group",
        # Sign-in lockouts (django-axes): see them and lift them by deleting the attempt.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "policies.view_section",
        "policies.view_clause",
        "policies.view_acknowledgement",
        "policies.view_comment",
    ],
}


def ensure_role_groups(sender=None, using="default", **kwargs):
    """Create each role's group and give it exactly its permissions. Safe to run any number of times."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # post_migrate reaches apps one at a time; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        perms = []
        for name in perm_names:
            app_label, codename = name.split(".")
            perms.append(
                Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)
