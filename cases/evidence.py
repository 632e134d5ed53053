"""Evidence for a case: screenshots, PDFs and plain-text files, checked by their content.

A file's type is found from its bytes, never from the name or the type the browser claims. Anything that
is not a readable image, a PDF or plain text is refused, and so is text that a browser might take for a
web page or script. Files are stored under a generated name outside the web root and only ever served
by cases.views.evidence.download, which checks who is asking.
"""

import hashlib
import os
import re
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image

from audit.models import AuditEntry
from audit.services import audit_record, step_record
from core.errors import DomainError

from . import access
from .models import Case, CaseEvent, Evidence


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str


PNG = Detected("image/png", ".png")
JPEG = Detected("image/jpeg", ".jpg")
GIF = Detected("image/gif", ".gif")
WEBP = Detected("image/webp", ".webp")
PDF = Detected("application/pdf", ".pdf")
TEXT = Detected("text/plain; charset=utf-8", ".txt")
TEXT_CP1252 = Detected("text/plain; charset=windows-1252", ".txt")

# Every type that inspect_upload can find: the download view serves nothing else as what it is.
KNOWN_TYPES = frozenset(d.content_type for d in (PNG, JPEG, GIF, WEBP, PDF, TEXT, TEXT_CP1252))

# (leading bytes, Pillow format, type). WebP (RIFF....WEBP) is checked in _image_kind.
_IMAGE_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG", PNG),
    (b"\xff\xd8\xff", "JPEG", JPEG),
    (b"GIF87a", "GIF", GIF),
    (b"GIF89a", "GIF", GIF),
]

# Text a browser might treat as a web page, SVG or script, however it is served: refused outright. The
# first group is refused on sight; the second (from the WHATWG MIME sniffing patterns) when it is a tag.
_MARKUP = re.compile(
    r"<(?:html|!doctype|script|svg|\?xml|iframe|body|head|meta|object|embed)"
    r"|<(?:a|b|p|br|h1|div|font|table|style|title)[\s/>]"
    r"|<!--",
    re.IGNORECASE,
)
_MARKUP_WINDOW = 4096
# Tab, line feed, form feed and carriage return are all the control characters plain text needs; NUL and
# the rest mean a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# A hint for the browser's file chooser only; the content decides.
ACCEPT = ",".join(
    ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"]
    + [".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt"]
)


def display_name(name):
    """The name the person gave, for showing only: no folders, no control characters, at most 255."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "unnamed file"


def size_text(size):
    """10485760 → "10 MB", 1536 → "1.5 KB": for messages about the limit."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def _read(uploaded_file):
    uploaded_file.seek(0)
    return b"".join(uploaded_file.chunks())


def _image_kind(head):
    """(Pillow format, type) if the file starts like an image we accept, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", WEBP
    for signature, pillow_format, detected in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return pillow_format, detected
    return None


def _image(uploaded_file, name, head):
    """The image's type once Pillow has read and checked it; None if it does not start like an image."""
    kind = _image_kind(head)
    if kind is None:
        return None
    pillow_format, detected = kind
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[pillow_format]) as image:
            image.verify()
    except Exception as error:  # Pillow raises many kinds; any of them means we cannot trust the file.
        raise ValidationError(
            f"“{name}” starts like a {pillow_format} image but cannot be read as one. "
            "Save it again as a screenshot and upload that.",
            code="bad_image",
        ) from error
    finally:
        uploaded_file.seek(0)
    return detected


def _text(data):
    """The file decoded as text, or None if it is not plain text."""
    for encoding, detected in (("utf-8-sig", TEXT), ("cp1252", TEXT_CP1252)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            return None, None
        return text, detected
    return None, None


def inspect_upload(uploaded_file):
    """What the file really is, found from its content; ValidationError naming the file if refused."""
    name = display_name(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    if not size:
        raise ValidationError(f"“{name}” is empty.", code="empty")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"“{name}” is larger than {size_text(settings.EVIDENCE_MAX_BYTES)}.", code="too_large"
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)

    detected = _image(uploaded_file, name, head)
    if detected is not None:
        return detected
    if head.startswith(b"%PDF-"):
        return PDF
    text, detected = _text(_read(uploaded_file))
    uploaded_file.seek(0)
    if text is not None:
        if _MARKUP.search(text[:_MARKUP_WINDOW]):
            raise ValidationError(
                f"“{name}” looks like a web page, SVG or script, which cannot be uploaded. "
                "Take a screenshot of it instead.",
                code="markup",
            )
        return detected
    raise ValidationError(f"“{name}” is not an image, PDF or plain-text file.", code="wrong_type")


def _too_many():
    return f"Choose at most {settings.EVIDENCE_MAX_FILES} files at a time."


class EvidenceFilesInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list of uploaded files."""

    default_error_messages = {"required": "Choose at least one file."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence (screenshots, PDFs or text files)")
        kwargs.setdefault(
            "help_text",
            f"Up to {settings.EVIDENCE_MAX_FILES} files of at most {size_text(settings.EVIDENCE_MAX_BYTES)} "
            "each: PNG, JPEG, GIF or WebP images, PDFs or plain-text files.",
        )
        kwargs.setdefault("widget", EvidenceFilesInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
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
                inspect_upload(uploaded_file)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files


class EvidenceForm(forms.Form):
    """Adding evidence to a case after it was raised (handler or governance head)."""

    files = EvidenceFilesField(required=True, label="Add evidence")


def _sha256(uploaded_file):
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def evidence_add(*, case, by, files, record_event=True):
    """Store files as evidence on a case. All or nothing: one refused file and none is kept.

    The handler or the Head of Business and Governance may add evidence to an open case. The reporter
    adds it only as part of raising the concern: case_raise calls this with record_event=False, its own
    "Concern raised" event covering the files.
    """
    files = list(files)
    if not files:
        raise DomainError("Choose at least one file.")
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise DomainError(_too_many())
    case = Case.objects.select_for_update().get(pk=case.pk)
    allowed = {access.HANDLER, access.GOVERNANCE} | (set() if record_event else {access.REPORTER})
    if access.case_relation(by, case) not in allowed:
        raise DomainError("You cannot add evidence to this case.")
    if case.is_closed:
        raise DomainError("Evidence cannot be added to a closed case. Reopen it first.")

    checked = []
    problems = []
    for uploaded_file in files:
        try:
            checked.append((uploaded_file, inspect_upload(uploaded_file)))
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
            )
            # evidence_path builds evidence/<reference>/<stored_name>; the name given here is ignored.
            evidence.file.save(evidence.stored_name, uploaded_file, save=False)
            saved.append(evidence)
            evidence.save()
    except BaseException:
        for evidence in saved:
            evidence.file.delete(save=False)
        raise

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
