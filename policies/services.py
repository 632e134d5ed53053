"""Business rules for policies: small keyword-only functions, each one transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.errors import DomainError
from notifications.models import Kind
from notifications.services import notify, notify_many
from people.models import User

from . import changes
from .importer import PolicyFormatError, parse_policy
from .models import (
    Acknowledgement,
    Clause,
    ClauseItem,
    ClauseReacknowledgement,
    Comment,
    CommentReply,
    MaterialChange,
    Policy,
    PolicyVersion,
    ReviewDateChange,
    Section,
)


@dataclass(frozen=True)
class ImportResult:
    version: PolicyVersion
    created: bool  # False when the latest version already has this text


@transaction.atomic
def policy_import(*, text: str, title: str | None = None, by=None) -> ImportResult:
    """Import a policy's text as a new draft version, unless its latest version already has the same text.

    The policy is found by title (the `title` given wins over the first line of the text) and created
    if it is new. Raises PolicyFormatError, before anything is written, when the text can't be read.
    """
    parsed = parse_policy(text)
    title = " ".join((title or parsed.title or "").split())
    if not title:
        raise PolicyFormatError("no title: pass --title")
    max_length = Policy._meta.get_field("title").max_length
    if len(title) > max_length:
        raise PolicyFormatError(f"the title is longer than {max_length} characters: pass a shorter --title")
    slug = slugify(title)
    if not slug:
        raise PolicyFormatError(
            f'the title "{title}" has no letters or digits for a web address: pass --title'
        )

    # Lock the policy so that two imports of the same policy at once can't both take the next number.
    policies = Policy.objects.select_for_update()
    policy = policies.filter(title__iexact=title).first() or policies.filter(slug=slug).first()
    if policy is None:
        policy = Policy.objects.create(title=title, slug=slug)

    content_hash = parsed.content_hash()
    latest = policy.latest_version()
    if latest is not None and latest.content_hash == content_hash:
        return ImportResult(version=latest, created=False)

    version = PolicyVersion.objects.create(
        policy=policy,
        number=latest.number + 1 if latest else 1,
        status=PolicyVersion.Status.DRAFT,
        source_text=text,
        content_hash=content_hash,
        imported_by=by,
    )
    sections = Section.objects.bulk_create(
        Section(version=version, number=s.number, title=s.title, intro=s.intro) for s in parsed.sections
    )
    parsed_clauses = [clause for s in parsed.sections for clause in s.clauses]
    clauses = Clause.objects.bulk_create(
        Clause(
            section=section,
            position=clause.position,
            number=clause.number,
            text=clause.text,
            search_document="\n".join([clause.number, clause.text, *clause.items]),
        )
        for section, parsed_section in zip(sections, parsed.sections, strict=True)
        for clause in parsed_section.clauses
    )
    ClauseItem.objects.bulk_create(
        ClauseItem(clause=clause, position=position, text=item)
        for clause, parsed_clause in zip(clauses, parsed_clauses, strict=True)
        for position, item in enumerate(parsed_clause.items, start=1)
    )
    return ImportResult(version=version, created=True)


def staff_to_acknowledge():
    """Active people whose role asks them to acknowledge policies (the Staff role, which every role has)."""
    return User.objects.with_perm(
        "policies.add_acknowledgement", backend="django.contrib.auth.backends.ModelBackend"
    )


@transaction.atomic
def version_approve(*, version, by):
    """Make a draft the current version; the previous current one (and older drafts) are superseded."""
    version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    if not version.policy.is_managed_by(by):
        raise DomainError("Only the policy owner or an administrator can approve a version.")
    if version.status != PolicyVersion.Status.DRAFT:
        raise DomainError(f"Version {version.number} is {version.get_status_display().lower()}, not a draft.")
    newer = version.policy.versions.filter(number__gt=version.number).exclude(
        status=PolicyVersion.Status.DRAFT
    )
    if newer.exists():
        raise DomainError(f"A later version than {version.number} has already been approved.")

    version.policy.versions.filter(number__lt=version.number).exclude(
        status=PolicyVersion.Status.SUPERSEDED
    ).update(status=PolicyVersion.Status.SUPERSEDED)
    now = timezone.now()
    today = timezone.localdate(now)
    version.status = PolicyVersion.Status.APPROVED
    version.approved_at = now
    version.approved_by = by
    version.effective_date = today
    version.next_review_date = version.review_due_after(today)
    version.save(update_fields=["status", "approved_at", "approved_by", "effective_date", "next_review_date"])
    # The review ends with the approval: the clauses flagged for it are cleared (clause 10.1).
    version.policy.clause_flags.filter(cleared_at__isnull=True).update(cleared_at=now)
    notify_many(
        recipients=staff_to_acknowledge(),
        kind=Kind.POLICY_TO_ACKNOWLEDGE,
        title=f"Please read and acknowledge the {version.policy.title} (version {version.number})",
        link=version.policy.get_absolute_url(),
    )
    return version


@transaction.atomic
def review_bring_forward(*, version, by, new_date, reason):
    """Clause 10.1: review earlier than planned, e.g. when new legislation is made."""
    version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    if not version.policy.is_managed_by(by):
        raise DomainError("Only the policy owner or an administrator can change the review date.")
    if not version.is_current:
        raise DomainError("Only the current version has a review date to bring forward.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for bringing the review forward.")
    if new_date < timezone.localdate():
        raise DomainError("The new review date cannot be in the past.")
    if version.next_review_date and new_date >= version.next_review_date:
        raise DomainError(
            f"The new review date must be earlier than the current one ({version.next_review_date:%d %B %Y})."
        )
    ReviewDateChange.objects.create(
        version=version,
        previous_date=version.next_review_date,
        new_date=new_date,
        reason=reason,
        changed_by=by,
    )
    version.next_review_date = new_date
    version.save(update_fields=["next_review_date"])
    return version


def acknowledgement_record(*, version, user):
    """The person confirms they have read this version. Confirming twice keeps the first time."""
    if not version.is_current:
        raise DomainError("Only the current version of a policy can be acknowledged.")
    if not user.has_perm("policies.add_acknowledgement"):
        raise DomainError("Your account cannot acknowledge policies.")
    acknowledgement, _ = Acknowledgement.objects.get_or_create(user=user, version=version)
    return acknowledgement


@transaction.atomic
def material_changes_mark(*, version, by, numbers):
    """The draft's author marks which of its changed clauses are material changes (replacing what was
    marked before): staff who acknowledged the version before it will re-acknowledge only these. Locks
    the version as approval does, so that nothing is marked on a version being approved."""
    version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    if not version.policy.is_managed_by(by):
        raise DomainError("Only the policy owner or an administrator can mark material changes.")
    if version.status != PolicyVersion.Status.DRAFT:
        raise DomainError("Material changes are marked on a draft, before it is approved.")
    changed = changes.changes_since_previous(version)
    if changed is None:
        raise DomainError("This is the first version: everyone reads it whole.")
    numbers = set(numbers)
    unchanged = numbers - {change.number for change in changed}
    if unchanged:
        raise DomainError(f"Not changed in this version: {', '.join(sorted(unchanged))}.")
    MaterialChange.objects.filter(clause__section__version=version).exclude(
        clause__number__in=numbers
    ).delete()
    clauses = version.clauses().filter(number__in=numbers).exclude(material_change__isnull=False)
    MaterialChange.objects.bulk_create(MaterialChange(clause=clause, marked_by=by) for clause in clauses)
    return changes.marked_numbers(version)


@transaction.atomic
def changes_acknowledge(*, version, user):
    """Having acknowledged the version before, the person confirms they have read the material changes of
    the current one: a re-acknowledgement of each changed clause, and the acknowledgement of the version
    (the one row every list and reminder of who has acknowledged counts). Confirming twice keeps the
    first time."""
    if not version.is_current:
        raise DomainError("Only the current version of a policy can be acknowledged.")
    if not user.has_perm("policies.add_acknowledgement"):
        raise DomainError("Your account cannot acknowledge policies.")
    acknowledged = Acknowledgement.objects.filter(user=user, version=version).first()
    if acknowledged is not None:
        return acknowledged
    if changes.changes_to_acknowledge(version=version, user=user) is None:
        raise DomainError(
            "Please read the whole policy and acknowledge it: only those who acknowledged the version "
            "before it may acknowledge just its changes."
        )
    now = timezone.now()
    material = version.clauses().filter(material_change__isnull=False)
    ClauseReacknowledgement.objects.bulk_create(
        (ClauseReacknowledgement(user=user, clause=clause, acknowledged_at=now) for clause in material),
        ignore_conflicts=True,
    )
    acknowledgement, _ = Acknowledgement.objects.get_or_create(
        user=user, version=version, defaults={"acknowledged_at": now}
    )
    return acknowledgement


def comment_add(*, version, author, body, clause=None):
    body = (body or "").strip()
    if not body:
        raise DomainError("Write your comment before sending it.")
    if not author.has_perm("policies.add_comment"):
        raise DomainError("Your account cannot comment on policies.")
    if clause is not None and clause.section.version_id != version.pk:
        raise DomainError("That clause is not part of this version.")
    return Comment.objects.create(
        policy=version.policy, version=version, clause=clause, author=author, body=body
    )


@transaction.atomic
def comment_reply(*, comment, author, body):
    """The policy's manager answers; the commenter may answer back. Nobody else is part of the thread.

    The other side is told: the commenter when someone answers them, the policy owner when the commenter
    answers back. The notification names the policy only, never who wrote or what.
    """
    body = (body or "").strip()
    if not body:
        raise DomainError("Write your reply before sending it.")
    if not comment.is_visible_to(author):
        raise DomainError("You cannot reply to this comment.")
    reply = CommentReply.objects.create(comment=comment, author=author, body=body)
    policy = comment.policy
    if author.pk != comment.author_id:
        recipient, title = comment.author, f"A reply to your comment on the {policy.title}"
    else:
        recipient, title = policy.owner, f"A new reply to a comment on the {policy.title}"
    if recipient is not None and recipient.pk != author.pk:
        notify(recipient=recipient, kind=Kind.COMMENT_REPLY, title=title, link=comment.get_absolute_url())
    return reply


def comment_mark_addressed(*, comment, by, addressed=True):
    if not comment.policy.is_managed_by(by):
        raise DomainError("Only the policy owner or an administrator can mark comments addressed.")
    comment.addressed_at = timezone.now() if addressed else None
    comment.addressed_by = by if addressed else None
    comment.save(update_fields=["addressed_at", "addressed_by"])
    return comment
