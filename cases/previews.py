"""Previews of evidence, to look at in the browser without what the file says about its maker.

An image: the pixels only, drawn again, with no EXIF, GPS position, camera or comment. A photo taken on a
phone carries where and when it was taken and on what; a preview shown on screen need not.

A PDF: its pages written into a new file, with no document information (author, creator, dates), no XMP
metadata, and nothing that runs (JavaScript, actions on opening or on an event, links' actions) or is
carried inside (attached files). Uploads with active content are refused already (cases/uploads.py); the
preview does not count on that, since the file is untrusted evidence.

The original, metadata and all, is kept byte for byte and is only downloaded (its SHA-256 is on the case
page).
"""

import io

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Big enough to read a screenshot on any screen; a larger original is there to download.
PREVIEW_MAX_SIDE = 2400


def image_preview(data):
    """(content type, bytes) of the image drawn again without metadata: a JPEG stays a JPEG (a photo as
    PNG would be many times larger), anything else becomes a PNG (an animation shows its first frame).
    ValueError if the image cannot be read."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            # Turned the way the camera meant (the EXIF orientation), since the EXIF goes.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE))
            is_jpeg = image.format == "JPEG"
            # A new image holding only the pixels: nothing of the original's info, EXIF, XMP or text
            # chunks comes across.
            clear = "A" in upright.getbands() or "transparency" in image.info
            mode = "RGBA" if clear and not is_jpeg else "RGB"
            pixels = Image.new(mode, upright.size)
            pixels.paste(upright.convert(mode))
    except Exception as error:  # Pillow raises many kinds; the file was checked at upload, so this is rare.
        raise ValueError("cannot read the image") from error
    out = io.BytesIO()
    if is_jpeg:
        pixels.save(out, "JPEG", quality=90)
        return "image/jpeg", out.getvalue()
    pixels.save(out, "PNG", optimize=False)
    return "image/png", out.getvalue()


# Keys dropped wherever they appear: metadata (XMP on the catalog, a page or an image; an application's
# private data), actions run on opening, on an event or when clicked, scripts and attached files.
_PDF_DROPPED_KEYS = frozenset(
    {"/Metadata", "/PieceInfo", "/OpenAction", "/AA", "/A", "/JS", "/JavaScript", "/EF", "/EmbeddedFiles"}
)
# Annotations that carry a file, a film, a sound or a program: left out of the preview altogether.
_PDF_DROPPED_ANNOTATIONS = frozenset({"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"})


def pdf_preview(data):
    """The PDF's pages in a new PDF without its metadata, scripts, actions or attached files.
    ValueError if the PDF cannot be read (or is locked with a password)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("the PDF is locked with a password")
        if not reader.pages:
            raise ValueError("no page can be read")
        # Cleaned before they are copied, so that what is cut off is never copied. Only the pages are
        # copied: the original's catalog (its /Names scripts and files, /OpenAction, /AcroForm, outline)
        # and document information stay behind.
        pages = list(reader.pages)
        _pdf_clean(pages)
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        writer.metadata = None  # pypdf's own /Producer entry
        _pdf_clean([writer.root_object])  # and once more in what was copied, which should find nothing
        out = io.BytesIO()
        writer.write(out)
    except Exception as error:  # pypdf raises many kinds, and so does a deeply broken file.
        raise ValueError("cannot read the PDF") from error
    return out.getvalue()


def _pdf_clean(pages):
    """Drop the keys and annotations above from the pages and everything they lead to (a walk with its
    own stack: pages linked one to the next would be too deep for recursion)."""
    seen = set()
    waiting = list(pages)
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in _PDF_DROPPED_KEYS & set(item.keys()):
                del item[key]
            annotations = item.get("/Annots")
            if annotations is not None and isinstance(annotations.get_object(), ArrayObject):
                annotations = annotations.get_object()
                annotations[:] = [a for a in annotations if _pdf_annotation_kept(a)]
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


def _pdf_annotation_kept(annotation):
    annotation = annotation.get_object()
    return not (
        isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") in _PDF_DROPPED_ANNOTATIONS
    )
