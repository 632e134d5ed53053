"""Previews of image evidence: the pixels only, drawn again, with no EXIF, GPS position, camera or comment.

A photo taken on a phone carries where and when it was taken and on what; a preview shown on screen need
not. The original, metadata and all, is kept byte for byte and is only downloaded (its SHA-256 is on the
case page).
"""

import io

from PIL import Image, ImageOps

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
