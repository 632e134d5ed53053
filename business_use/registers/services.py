"""Changes to the registers. Each is one transaction that writes the entry and its history line (who, when,
each field as it was and as it became) with an audit entry (audit.services.step_record)."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import step_record
from core.errors import DomainError
from people.roles import Role

from ..models import State
from .models import ApprovedSite, OfficialAccount, RegisterChange

ACCOUNT_FIELDS = ("name", "platform", "handle", "link", "service")
SITE_FIELDS = ("name", "link", "purpose", "conditions", "approved_on", "review_on")


def _check_keeper(model, by):
    if not model.is_keeper(by):
        raise DomainError(f"Only the {Role(model.keeper_role).label} keeps this register.")


def _as_text(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return f"{value:%d %b %Y}"
    return str(value)


def _snapshot(entry, fields, posters=None):
    seen = {entry._meta.get_field(name).verbose_name: _as_text(getattr(entry, name)) for name in fields}
    if posters is not None:
        seen["who may post on it"] = ", ".join(sorted(str(person) for person in posters))
    return seen


def _differences(before, after):
    return [
        {"field": field, "from": before.get(field, ""), "to": value}
        for field, value in after.items()
        if before.get(field, "") != value
    ]


def _record(entry, *, by, label, changes=(), note=""):
    register = "account" if isinstance(entry, OfficialAccount) else "site"
    step_record(
        RegisterChange(**{register: entry}, actor=by, label=label, changes=list(changes), note=note),
        actor=by,
        what=f"register of {'official accounts' if register == 'account' else 'approved sites'}: "
        f"{entry.name}: {label.lower()}",
        details={"official_account" if register == "account" else "approved_site": entry.pk},
    )


def _values(fields, names):
    """The named fields, their text stripped; one not given is empty."""
    values = {name: fields.get(name, "") for name in names}
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


def _check_posters(posters):
    if any(not person.has_role(Role.COMMS) for person in posters):
        raise DomainError("Only members of the communications team may post on an official account (6.3).")


def _new_code(name):
    """A code for a new account, from its name; never changed afterwards (requests hold it)."""
    base = slugify(name).replace("-", "_")[:26] or "account"
    code, n = base, 1
    while OfficialAccount.objects.filter(code=code).exists():
        n += 1
        code = f"{base}_{n}"
    return code


@transaction.atomic
def official_account_add(*, by, posters=(), **fields):
    """The communications team adds an official account to the register (6.1)."""
    _check_keeper(OfficialAccount, by)
    posters = list(posters)
    _check_posters(posters)
    values = _values(fields, ACCOUNT_FIELDS)
    account = OfficialAccount.objects.create(code=_new_code(values["name"]), **values)
    account.posters.set(posters)
    _record(
        account, by=by, label="Added", changes=_differences({}, _snapshot(account, ACCOUNT_FIELDS, posters))
    )
    return account


@transaction.atomic
def official_account_change(*, account, by, posters=(), **fields):
    """The communications team changes an account's details or who may post on it (6.3)."""
    _check_keeper(OfficialAccount, by)
    account = OfficialAccount.objects.select_for_update().get(pk=account.pk)
    if not account.in_use:
        raise DomainError("This account is retired: it is kept as it was.")
    posters = list(posters)
    _check_posters(posters)
    before = _snapshot(account, ACCOUNT_FIELDS, account.posters.all())
    for name, value in _values(fields, ACCOUNT_FIELDS).items():
        setattr(account, name, value)
    changes = _differences(before, _snapshot(account, ACCOUNT_FIELDS, posters))
    if not changes:
        raise DomainError("Nothing was changed.")
    account.save()
    account.posters.set(posters)
    _record(account, by=by, label="Changed", changes=changes)
    return account


@transaction.atomic
def official_account_retire(*, account, by, note=""):
    """The account is no longer used: it stays in the register, and no new post can be asked for on it."""
    _check_keeper(OfficialAccount, by)
    account = OfficialAccount.objects.select_for_update().get(pk=account.pk)
    if not account.in_use:
        raise DomainError("This account is already retired.")
    account.retired_at = timezone.now()
    account.save(update_fields=["retired_at"])
    _record(account, by=by, label="Retired", note=note.strip())
    return account


def approved_site_check_request(*, from_request):
    """An answer to a 6.6 question may become one register entry. Returns True, or refuses."""
    if not (from_request.asks_which_sites_are_acceptable and from_request.state == State.ANSWERED):
        raise DomainError("Only an answered question about which sites are acceptable (6.6) can be added.")
    if ApprovedSite.objects.filter(from_request=from_request).exists():
        raise DomainError(f"{from_request.reference} is already in the register of approved sites.")
    return True


@transaction.atomic
def approved_site_add(*, by, from_request=None, **fields):
    """The Head of Information & Security approves a site or tool, with its conditions (6.4, 6.6);
    `from_request` is the answered 6.6 question it comes from, if any."""
    _check_keeper(ApprovedSite, by)
    if from_request is not None:
        approved_site_check_request(from_request=from_request)
    values = _values(fields, SITE_FIELDS)
    values["approved_on"] = values["approved_on"] or timezone.localdate()
    values["review_on"] = values["review_on"] or None
    site = ApprovedSite.objects.create(approved_by=by, from_request=from_request, **values)
    note = f"From the answer to {from_request.reference}." if from_request else ""
    _record(site, by=by, label="Added", changes=_differences({}, _snapshot(site, SITE_FIELDS)), note=note)
    return site


@transaction.atomic
def approved_site_change(*, site, by, **fields):
    _check_keeper(ApprovedSite, by)
    site = ApprovedSite.objects.select_for_update().get(pk=site.pk)
    if not site.in_use:
        raise DomainError("This site was withdrawn: it is kept as it was.")
    before = _snapshot(site, SITE_FIELDS)
    values = _values(fields, SITE_FIELDS)
    values["approved_on"] = values["approved_on"] or site.approved_on
    values["review_on"] = values["review_on"] or None
    for name, value in values.items():
        setattr(site, name, value)
    changes = _differences(before, _snapshot(site, SITE_FIELDS))
    if not changes:
        raise DomainError("Nothing was changed.")
    site.save()
    _record(site, by=by, label="Changed", changes=changes)
    return site


@transaction.atomic
def approved_site_withdraw(*, site, by, note=""):
    """The site or tool is no longer approved: it stays in the register, marked withdrawn."""
    _check_keeper(ApprovedSite, by)
    site = ApprovedSite.objects.select_for_update().get(pk=site.pk)
    if not site.in_use:
        raise DomainError("This site is already withdrawn.")
    site.withdrawn_at = timezone.now()
    site.save(update_fields=["withdrawn_at"])
    _record(site, by=by, label="Withdrawn", note=note.strip())
    return site
