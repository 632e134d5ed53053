"""Staff, roles and permissions in the admin: who may change whose rights, and the audit entry of each change.

Only a superuser changes what someone may do: their roles (groups), their own permissions, whether they are
a superuser or may use the admin, and what a role's group allows. The Administrator role keeps staff records
(names, job, team, supervisor, leaving) and may read the roles, but cannot give anyone, itself included, a
right it does not have. It cannot change a superuser's record either, nor anyone's e-mail address or
password: whoever holds those can sign in as that person. Each change of rights is written to the audit log:
who, whose, and what changed. A superuser is made with `manage.py createsuperuser`, never in a form.

This lives in the project package because it writes to the audit log, which sits above `people`.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.models import TokenProxy

from audit.models import AuditEntry
from audit.services import audit_record
from people.models import User
from signin.admin import forget_provider_link, reset_two_factor

# Nobody makes or reads a token for someone else: a person's API tokens are theirs alone.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)

FLAGS = ["is_superuser", "is_staff"]
PRIVILEGES = [*FLAGS, "groups", "user_permissions"]


def _permission_names(permissions):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def _rights(user):
    """What a person may do, as stored: the flags, the roles and the permissions of their own."""
    if user.pk is None:
        return {"is_superuser": False, "is_staff": False, "roles": set(), "permissions": set()}
    stored = User.objects.get(pk=user.pk)
    return {
        "is_superuser": stored.is_superuser,
        "is_staff": stored.is_staff,
        "roles": set(stored.groups.values_list("name", flat=True)),
        "permissions": _permission_names(stored.user_permissions),
    }


def _differences(before, after):
    """{"is_staff": [False, True], "roles_added": [...], "roles_removed": [...], ...} for what changed."""
    changes = {}
    for key, old in before.items():
        new = after[key]
        if isinstance(old, set):
            if added := sorted(new - old):
                changes[f"{key}_added"] = added
            if removed := sorted(old - new):
                changes[f"{key}_removed"] = removed
        elif old != new:
            changes[key] = [old, new]
    return changes


def _in_words(changes):
    words = []
    for key, value in changes.items():
        if key in FLAGS:
            words.append(f"{key} {value[0]} → {value[1]}")
        else:
            what, how = key.rsplit("_", 1)
            words.append(f"{what} {how} {', '.join(value)}")
    return "; ".join(words)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = [reset_two_factor, forget_provider_link]
    list_display = [
        "username",
        "get_full_name",
        "job_title",
        "employment_type",
        "team",
        "line_manager",
        "is_active",
    ]
    list_filter = ["is_active", "employment_type", "team", "groups", "professional_body"]
    search_fields = ["username", "first_name", "last_name", "email", "job_title"]
    autocomplete_fields = ["team", "line_manager"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            "Staff record",
            {
                "fields": [
                    "job_title",
                    "employment_type",
                    "team",
                    "line_manager",
                    "left_on",
                    "professional_body",
                    "registration_number",
                ]
            },
        ),
        # Set at the first sign-in with the organisation's account; only the action above removes it.
        ("Organisation account", {"fields": ["oidc_subject"]}),
    ]
    # No rights on the add form, for anyone: a new person starts as staff, and a superuser gives roles after.
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            "Staff record",
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "email",
                    "job_title",
                    "employment_type",
                    "team",
                    "line_manager",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "oidc_subject"]
        if not request.user.is_superuser:
            readonly += PRIVILEGES
            if obj is not None:
                readonly.append("email")  # the address a password reset goes to
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.get(pk=id)
            audit_record(
                actor=request.user,
                action=AuditEntry.Action.CHANGE,
                what=f"set the password of {person.username}",
                details={"person": person.username, "person_id": person.pk},
            )
        return response

    def save_model(self, request, obj, form, change):
        obj._rights_before = _rights(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person = form.instance
        changes = _differences(person._rights_before, _rights(person))
        if changes:
            audit_record(
                actor=request.user,
                action=AuditEntry.Action.CHANGE,
                what=f"changed the rights of {person.username}: {_in_words(changes)}",
                details={"person": person.username, "person_id": person.pk, **changes},
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """The roles: anyone with the view permission reads them; only a superuser changes them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj._permissions_before = _permission_names(obj.permissions) if obj.pk else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        changes = _differences(
            {"permissions": group._permissions_before}, {"permissions": _permission_names(group.permissions)}
        )
        if changes or not change:
            audit_record(
                actor=request.user,
                action=AuditEntry.Action.CHANGE,
                what=f"{'changed' if change else 'created'} the group {group.name}"
                + (f": {_in_words(changes)}" if changes else ""),
                details={"group": group.name, **changes},
            )

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self._record_deletion(request, group)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, group):
        members = sorted(group.user_set.values_list("username", flat=True))
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.CHANGE,
            what=f"deleted the group {group.name}, held by {len(members)} people",
            details={"group": group.name, "members": members},
        )
