"""The checks every evidence upload passes before it is kept: one place, used by every form and service
that accepts evidence (cases.evidence.EvidenceFilesField and evidence_add).

A file's type is found from its bytes, never from the name or the type the browser claims. Accepted: a
readable image (PNG, JPEG, GIF, WebP) of at most EVIDENCE_MAX_IMAGE_PIXELS, a PDF with no scripts or
automatic actions, plain text that no browser would take for a web page, or a ZIP archive of such files
that expands to at most EVIDENCE_ZIP_MAX_EXPANDED_BYTES. Refused besides: a file that is two formats at
once (an image or PDF that is also a web page, a ZIP archive or a PDF), archives inside archives, and,
when clamd is configured, anything it finds a virus in, or everything while it cannot be reached.

Every refusal is a ValidationError naming the file, so the form shows it and nothing is stored.
"""

import io
import os
import re
import socket
import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from audit.models import AuditEntry
from audit.services import audit_record
from core.text import size_text


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
ZIP = Detected("application/zip", ".zip")

# Every type that inspect_upload can find: the download view serves nothing else as what it is.
KNOWN_TYPES = frozenset(d.content_type for d in (PNG, JPEG, GIF, WEBP, PDF, TEXT, TEXT_CP1252, ZIP))

# (leading bytes, Pillow format, type). WebP (RIFF....WEBP) is checked in _image_kind.
_IMAGE_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG", PNG),
    (b"\xff\xd8\xff", "JPEG", JPEG),
    (b"GIF87a", "GIF", GIF),
    (b"GIF89a", "GIF", GIF),
]

# Text a browser might treat as a web page, SVG or script, however it is served: refused outright, wherever
# it appears in the file. The first group is refused on sight; the second (from the WHATWG MIME sniffing
# patterns) when it is a tag; "+ADw-" is "<" in UTF-7, which old browsers could be talked into reading.
_MARKUP = re.compile(
    r"<(?:html|!doctype|script|svg|\?xml|iframe|body|head|meta|object|embed)"
    r"|<(?:a|b|p|br|h1|div|font|table|style|title)[\s/>]"
    r"|<!--"
    r"|\+ADw-",
    re.IGNORECASE,
)
# The same, looked for in the bytes of an image or PDF: a file that is also a web page (a GIF/HTML
# polyglot). Only whole tag names, which compressed image data does not make by chance.
_MARKUP_IN_BINARY = re.compile(rb"<(?:html|script|svg|iframe|body|!doctype\s+html)[\s/>]", re.IGNORECASE)
# Tab, line feed, form feed and carriage return are all the control characters plain text needs; NUL and
# the rest mean a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# PDF readers look for "%PDF-" anywhere in the first kilobyte: a file with it there is also a PDF.
_PDF_MARKER_WINDOW = 1024
# Names in a PDF that run something, or carry another file: JavaScript, actions run on opening or on
# events (/AA), launching programs, sending form data, embedded files, XML forms (which carry scripts).
_PDF_ACTIVE_KEYS = frozenset(
    ["/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"]
)
_PDF_ACTIVE_ACTIONS = frozenset(
    ["/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition"]
)
_PDF_ACTIVE_RAW = re.compile(
    rb"/(?:JS|JavaScript|AA|Launch|EmbeddedFiles?|XFA|RichMedia|SubmitForm|ImportData)(?=[\s/<>\[\]()%]|$)"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# A PDF with more objects than this is refused rather than walked: no evidence PDF needs so many.
PDF_MAX_OBJECTS = 100_000

# A hint for the browser's file chooser only; the content decides.
ACCEPT = ",".join(
    ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "application/zip"]
    + [".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".zip"]
)


def display_name(name):
    """The name the person gave, for showing only: no folders, no control characters, at most 255.

    Never a path: every file is stored under a generated name (cases.models.evidence_path)."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "unnamed file"


def _read(uploaded_file):
    uploaded_file.seek(0)
    data = b"".join(uploaded_file.chunks())
    uploaded_file.seek(0)
    return data


def _image_kind(head):
    """(Pillow format, type) if the file starts like an image we accept, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", WEBP
    for signature, pillow_format, detected in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return pillow_format, detected
    return None


def _too_many_pixels(name, width, height):
    return ValidationError(
        f"“{name}” is an image of {width:,} × {height:,} pixels, more than the "
        f"{settings.EVIDENCE_MAX_IMAGE_PIXELS:,} allowed. Save a smaller copy and upload that.",
        code="too_many_pixels",
    )


def _image(data, name):
    """The image's type once Pillow has read and checked it; None if it does not start like an image.

    Image.open reads the header only, so the declared size is checked before any pixel is decoded."""
    kind = _image_kind(data[:16])
    if kind is None:
        return None
    pillow_format, detected = kind
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size
            if width * height > settings.EVIDENCE_MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name, width, height)
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:  # Past Pillow's own limit, which it checks at open.
        raise ValidationError(
            f"“{name}” is an image of more pixels than the {settings.EVIDENCE_MAX_IMAGE_PIXELS:,} allowed. "
            "Save a smaller copy and upload that.",
            code="too_many_pixels",
        ) from error
    except Exception as error:  # Pillow raises many kinds; any of them means we cannot trust the file.
        raise ValidationError(
            f"“{name}” starts like a {pillow_format} image but cannot be read as one. "
            "Save it again as a screenshot and upload that.",
            code="bad_image",
        ) from error
    return detected


def _pdf_is_active(data):
    """True if the PDF holds JavaScript, an action run on opening or on an event, a launch, or a file.

    Every object is looked at, including those packed in compressed object streams, where the raw bytes
    show nothing; names are read after their #xx escapes (/J#61vaScript is /JavaScript). A PDF that pypdf
    cannot read is refused by the caller: a reader that repairs it might find what we could not."""
    if _PDF_ACTIVE_RAW.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)):
        return True
    reader = PdfReader(io.BytesIO(data), strict=False)
    numbers = {number for by_generation in reader.xref.values() for number in by_generation}
    numbers |= set(reader.xref_objStm)
    if len(numbers) > PDF_MAX_OBJECTS:
        raise ValueError("too many objects")
    # An object pypdf cannot read raises, and the PDF is refused: a reader that repairs it might run it.
    objects = [reader.trailer, *(reader.get_object(number) for number in sorted(numbers))]
    return any(_pdf_object_is_active(item) for item in objects)


def _pdf_object_is_active(item, depth=0):
    """The object, or any dictionary or array written inside it (an annotation's action often is), is
    active. Indirect references are not followed: each indirect object is looked at on its own."""
    if depth > 64:
        raise ValueError("objects nested too deep")
    if isinstance(item, DictionaryObject):
        if _pdf_dictionary_is_active(item):
            return True
        children = item.values()
    elif isinstance(item, ArrayObject):
        children = item
    else:
        return False
    return any(
        _pdf_object_is_active(child, depth + 1) for child in children if not isinstance(child, IndirectObject)
    )


def _pdf_dictionary_is_active(dictionary):
    if _PDF_ACTIVE_KEYS & set(dictionary.keys()):
        return True
    if dictionary.get("/S") in _PDF_ACTIVE_ACTIONS:
        return True
    # /OpenAction may be a destination (which page, what zoom: harmless) or an action, which runs on opening.
    opening = dictionary.get("/OpenAction")
    if opening is not None:
        opening = opening.get_object()
        if not isinstance(opening, ArrayObject):
            return True
    return any(
        isinstance(value, NameObject) and value in _PDF_ACTIVE_ACTIONS for value in dictionary.values()
    )


def _pdf(data, name):
    try:
        active = _pdf_is_active(data)
    except Exception as error:  # pypdf raises many kinds; a PDF we cannot read is not one we can vouch for.
        raise ValidationError(
            f"“{name}” starts like a PDF but cannot be read as one. Print it to a new PDF and upload that.",
            code="bad_pdf",
        ) from error
    if active:
        raise ValidationError(
            f"“{name}” is a PDF with JavaScript, an action that runs when it opens, or a file inside it, "
            "which cannot be uploaded. Print it to a new PDF and upload that.",
            code="active_pdf",
        )
    return PDF


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


def _markup_refused(name):
    return ValidationError(
        f"“{name}” looks like a web page, SVG or script, which cannot be uploaded. Take a screenshot of it "
        "instead.",
        code="markup",
    )


def _is_zip(data):
    return zipfile.is_zipfile(io.BytesIO(data))


def _refuse_second_format(data, name, detected):
    """An image or PDF whose bytes are also a web page, a ZIP archive or (for an image) a PDF."""
    second = None
    if _MARKUP_IN_BINARY.search(data):
        second = "a web page"
    elif _is_zip(data):
        second = "a ZIP archive"
    elif detected is not PDF and b"%PDF-" in data[:_PDF_MARKER_WINDOW]:
        second = "a PDF"
    if second:
        raise ValidationError(
            f"“{name}” is two kinds of file at once (it is also {second}), which cannot be uploaded. "
            "Save it again as a screenshot or a new PDF and upload that.",
            code="polyglot",
        )


def _archive_refused(name, why, code):
    return ValidationError(f"“{name}” is a ZIP archive {why}, which cannot be uploaded.", code=code)


def _archive(data, name):
    """A ZIP archive of evidence: accepted when every file in it is one that could be uploaded on its own.

    It is never unpacked to a disk; each member is decompressed in memory, counting the bytes as they come
    (the sizes an archive declares may lie), and the whole is refused as soon as it passes
    EVIDENCE_ZIP_MAX_EXPANDED_BYTES, so a ZIP bomb costs no more than that limit to find."""
    if not data.startswith(b"PK\x03\x04") or b"%PDF-" in data[:_PDF_MARKER_WINDOW]:
        raise ValidationError(
            f"“{name}” is two kinds of file at once (a ZIP archive with something else before it), which "
            "cannot be uploaded.",
            code="polyglot",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _archive_refused(name, "that cannot be read", "bad_archive") from error
    if not members:
        raise _archive_refused(name, "with nothing in it", "empty_archive")
    if len(members) > settings.EVIDENCE_ZIP_MAX_FILES:
        raise _archive_refused(
            name, f"of more than {settings.EVIDENCE_ZIP_MAX_FILES} files", "archive_too_many"
        )
    limit = settings.EVIDENCE_ZIP_MAX_EXPANDED_BYTES
    expanded = 0
    for info in members:
        inner = f"{name} › {display_name(info.filename)}"
        if info.flag_bits & 0x1:
            raise _archive_refused(name, "with a file locked by a password", "archive_encrypted")
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.replace("\\", "/").split("/"):
            raise _archive_refused(name, "with a file that would be unpacked outside it", "archive_path")
        member = b""
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    member += chunk
                    expanded += len(chunk)
                    if expanded > limit:
                        raise _archive_refused(
                            name, f"that expands to more than {size_text(limit)}", "archive_too_large"
                        )
                    if len(member) > settings.EVIDENCE_MAX_BYTES:
                        raise ValidationError(
                            f"“{inner}” is larger than {size_text(settings.EVIDENCE_MAX_BYTES)}.",
                            code="too_large",
                        )
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as error:
            raise _archive_refused(name, "that cannot be read", "bad_archive") from error
        if not member:
            continue
        _content_type(member, inner, in_archive=True)
    return ZIP


def _content_type(data, name, *, in_archive=False):
    detected = _image(data, name)
    if detected is None and data.startswith(b"%PDF-"):
        detected = _pdf(data, name)
    if detected is not None:
        _refuse_second_format(data, name, detected)
        return detected
    if _is_zip(data):
        if in_archive:
            raise ValidationError(
                f"“{name}” is an archive inside an archive, which cannot be uploaded. Upload the files in "
                "it instead.",
                code="nested_archive",
            )
        return _archive(data, name)
    text, detected = _text(data)
    if text is None:
        raise ValidationError(
            f"“{name}” is not an image, PDF, plain-text file or ZIP archive of them.", code="wrong_type"
        )
    if _MARKUP.search(text):
        raise _markup_refused(name)
    return detected


def inspect_upload(uploaded_file, *, by=None):
    """What the file really is, found from its content; ValidationError naming the file if refused.

    `by` is who is uploading it, for the audit entry of a virus found. The verdict is kept on the file, so
    the form and then the service check (and scan) each file once."""
    checked = getattr(uploaded_file, "_evidence_checked", None)
    if checked is not None:
        return checked
    name = display_name(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    if not size:
        raise ValidationError(f"“{name}” is empty.", code="empty")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"“{name}” is larger than {size_text(settings.EVIDENCE_MAX_BYTES)}.", code="too_large"
        )
    data = _read(uploaded_file)
    detected = _content_type(data, name)
    virus_scan(data, name, by=by)
    uploaded_file._evidence_checked = detected
    return detected


def checked_before(uploaded_file, detected):
    """Mark a file as having passed inspect_upload already, with this verdict: a file kept across a form
    sent back with errors (cases.drafts) was checked and scanned when it was chosen, and sealed since
    (Fernet authenticates it, so it cannot have changed); its checks are not run again."""
    uploaded_file._evidence_checked = detected
    return uploaded_file


# --- Virus scan (clamd) ----------------------------------------------------------------------------------
# clamd's INSTREAM command: "zINSTREAM\0", then chunks each led by its length (4 bytes, big-endian), then a
# zero length; clamd answers "stream: OK", "stream: <signature> FOUND" or "... ERROR". Written here rather
# than taken from the `clamd` package, which is unmaintained; the exchange is these few lines.
_CLAMD_CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


def clamd_configured():
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _clamd_connection():
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(settings.CLAMAV_SOCKET)
        return connection
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout)


def clamd_scan(data):
    """None if clamd finds nothing, else the name of what it found; ScannerUnavailable if it cannot say."""
    try:
        with _clamd_connection() as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), _CLAMD_CHUNK):
                chunk = data[start : start + _CLAMD_CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    _, _, verdict = answer.partition(": ")
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND")
    raise ScannerUnavailable(answer or "no answer")


def virus_scan(data, name, *, by=None):
    """Refuse the file if clamd (when configured) finds a virus, or cannot be asked; audit a virus found."""
    if not clamd_configured():
        return
    try:
        found = clamd_scan(data)
    except ScannerUnavailable as error:
        raise ValidationError(
            f"“{name}” could not be checked for viruses: the virus scanner is not answering. Nothing was "
            "uploaded; try again in a few minutes, and tell IT if it goes on.",
            code="scanner_unavailable",
        ) from error
    if found:
        audit_record(
            actor=by,
            action=AuditEntry.Action.REFUSED,
            what=f"uploaded “{name}”, refused: the virus scanner found {found}"[:300],
            details={"file": name, "virus": found},
        )
        raise ValidationError(
            f"“{name}” was refused: the virus scanner found {found} in it. Nothing was uploaded.",
            code="virus",
        )
