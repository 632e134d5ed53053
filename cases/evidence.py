"""Evidence for a case: screenshots, PDFs and plain-text files, checked by their content.

Every file passes cases.uploads.inspect_upload (type from the content, hostile files refused, the optional
virus scan), is stored sealed (cases/sealed.py) under a generated name outside the web root, and is only
ever served by cases.views.evidence, which checks who is asking. Its SHA-256 is recorded at intake.
"""

import hashlib
import uuid

from cryptography.fernet import InvalidToken
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEntry
from audit.services import audit_record, step_record
from core.errors import DomainError

from . import access
from .models import Case, CaseEvent, Evidence
from .sealed import cipher, current_key_id, is_sealed, seal, storage_failure_refused
from .uploads import ACCEPT, KNOWN_TYPES, display_name, inspect_upload, size_text

__all__ = [
    "KNOWN_TYPES",
    "EvidenceFilesField",
    "EvidenceForm",
    "evidence_add",
    "evidence_reseal",
    "evidence_store",
]


def _too_many():
    return f"Choose at most {settings.EVIDENCE_MAX_FILES} files at a time."


class EvidenceFilesInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list of uploaded files."""

    default_error_messages = {"required": "Choose at least one file."}
    # Who is uploading, set by the form: the audit entry of a virus found names them.
    uploader = None
    # After cleaning, the files that passed the checks, even when others did not: the raise form keeps
    # them (cases.drafts) so that they need not be chosen again.
    accepted = ()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence (screenshots, PDFs or text files)")
        kwargs.setdefault(
            "help_text",
            f"Up to {settings.EVIDENCE_MAX_FILES} files of at most {size_text(settings.EVIDENCE_MAX_BYTES)} "
            "each: PNG, JPEG, GIF or WebP images, PDFs, plain-text files, or ZIP archives of them.",
        )
        kwargs.setdefault("widget", EvidenceFilesInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        self.accepted = []
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > settings.EVIDENCE_MAX_FILES:
            raise ValidationError(_too_many(), code="too_many")
        errors = []
        for uploaded_file in files:
            if not hasattr(uploaded_file, "size") or not hasattr(uploaded_file, "chunks"):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                inspect_upload(uploaded_file, by=self.uploader)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                self.accepted.append(uploaded_file)
        if errors:
            raise ValidationError(errors)
        return files


class EvidenceForm(forms.Form):
    """Adding evidence to a case after it was raised (handler or governance head)."""

    files = EvidenceFilesField(required=True, label="Add evidence")

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].uploader = by


def _sha256(uploaded_file):
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def evidence_add(*, case, by, files, record_event=True):
    """Store files as evidence on a case. All or nothing: one refused file and none is kept.

    The handler or the Head of Business and Governance may add evidence to an open case. The reporter
    adds it as part of raising the concern (case_raise calls this with record_event=False, its own
    "Concern raised" event covering the files), and later through cases.reporter. `by` None is the
    anonymous reporter of an anonymous case, whose receipt key the caller has checked.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    allowed = {access.HANDLER, access.GOVERNANCE} | (set() if record_event else {access.REPORTER})
    if by is None:
        relation = access.REPORTER if case.is_anonymous else None
    else:
        relation = access.case_relation(by, case)
    if relation not in allowed:
        raise DomainError("You cannot add evidence to this case.")
    saved = evidence_store(case=case, by=by, files=files)
    names = ", ".join(evidence.original_name for evidence in saved)
    what = f"added evidence to {case.reference}: {names}"
    if record_event:
        step_record(
            CaseEvent(case=case, kind=CaseEvent.Kind.EVIDENCE, actor=by, text=f"Added evidence: {names}"),
            actor=by,
            case=case,
            what=what,
        )
    else:  # Part of raising the concern: its "Concern raised" event covers the files.
        audit_record(actor=by, action=AuditEntry.Action.CHANGE, case=case, what=what)
    return saved


def evidence_store(*, case, by, files):
    """Check and store files on a case that the caller has locked, once it has checked who `by` is to it:
    the one way files become evidence. All or nothing; the caller records the event."""
    files = list(files)
    if not files:
        raise DomainError("Choose at least one file.")
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise DomainError(_too_many())
    if case.is_closed:
        raise DomainError("Evidence cannot be added to a closed case. Reopen it first.")

    checked = []
    problems = []
    for uploaded_file in files:
        try:
            checked.append((uploaded_file, inspect_upload(uploaded_file, by=by)))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise DomainError(" ".join(problems) + " No evidence was added.")

    saved = []
    try:
        for uploaded_file, detected in checked:
            evidence = Evidence(
                case=case,
                stored_name=f"{uuid.uuid4().hex}{detected.extension}",
                original_name=display_name(uploaded_file.name),
                content_type=detected.content_type,
                size=uploaded_file.size,
                sha256=_sha256(uploaded_file),
                uploaded_by=by,
                sealed_with=current_key_id(),
            )
            # evidence_path builds evidence/<reference>/<stored_name>; the name given here is ignored.
            with storage_failure_refused():
                evidence.file.save(evidence.stored_name, uploaded_file, save=False)
            saved.append(evidence)
            evidence.save()
    except BaseException:
        for evidence in saved:
            evidence.file.delete(save=False)
        raise
    return saved


def forget_stored_file(sender, instance, **kwargs):
    """After an evidence row is deleted (on its own, with its case, by retention or in the admin), delete
    its file from the storage once the deletion is committed: no file is left behind, and a deletion that
    is rolled back keeps its file. A post_delete receiver, not a service, because every way of deleting a
    row (a cascade from Case, a queryset delete) passes here and only here; it changes no business data."""
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))


class ResealResult:
    SEALED = "sealed"  # Was plaintext (stored before encryption came in), now sealed.
    RESEALED = "resealed"  # Was sealed with another key, now with the first.
    CURRENT = "current"  # Already sealed with the first key (another run got there first).
    MISSING = "missing"  # No file in the storage.
    UNOPENED = "unopened"  # Sealed with a key no longer configured.
    GONE = "gone"  # The row was deleted while its file was being re-sealed.


def evidence_reseal(*, evidence):
    """Seal one evidence file with the first key of EVIDENCE_ENCRYPTION_KEY, in place, and record it.

    The new ciphertext is written whole and then takes the old one's place (cases.sealed.SealedStorage.
    replace), so a download at the same moment gets the old or the new, and either opens while both keys
    are configured. The row is claimed by a conditional update: two runs at once do the same file at most
    twice, harmlessly. A file stored before encryption came in is sealed as it is; if it no longer matches
    the SHA-256 recorded at intake, that is reported, not hidden (its recorded hash stays)."""
    storage = evidence.file.storage
    current = current_key_id()
    try:
        stored = storage.read_stored(evidence.file.name)
    except FileNotFoundError:
        return ResealResult.MISSING, None
    warning = None
    if is_sealed(stored):
        try:
            fresh = cipher()[0].rotate(stored)
        except InvalidToken:
            return ResealResult.UNOPENED, None
        outcome = ResealResult.RESEALED
    else:
        if hashlib.sha256(stored).hexdigest() != evidence.sha256:
            warning = "its stored bytes do not match the SHA-256 recorded when it was uploaded"
        fresh = seal(stored)
        outcome = ResealResult.SEALED
    storage.replace(evidence.file.name, fresh)
    claimed = Evidence.objects.filter(pk=evidence.pk, sealed_with=evidence.sealed_with)
    claimed = claimed.update(sealed_with=current)
    if not claimed and not Evidence.objects.filter(pk=evidence.pk).exists():
        # Deleted meanwhile (its own deletion may already have removed the old file): no orphan.
        storage.delete(evidence.file.name)
        return ResealResult.GONE, None
    return (outcome if claimed else ResealResult.CURRENT), warning
