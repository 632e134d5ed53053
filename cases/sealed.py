"""Evidence sealed at rest: every file is encrypted before it reaches the disk or the bucket.

SealedStorage wraps the default storage (a folder, or S3 through django-storages) and is the only storage
Evidence.file uses, so every way in (upload) and out (download, preview) passes through it; anyone with the
folder or the bucket alone holds tokens, not evidence.

The cipher is Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) over the whole file.
Evidence is at most EVIDENCE_MAX_BYTES (10 MB by default), so holding one file in memory while sealing or
opening it is affordable, and Fernet leaves no choice of mode, nonce or padding to get wrong. Past a few
tens of megabytes a streaming AEAD (chunked AES-GCM) would be the better choice.

EVIDENCE_ENCRYPTION_KEY holds one key or several separated by commas (MultiFernet): the first seals, every
one opens. A key is rotated by putting the new key first, running `manage.py rotate_evidence_key`, then
removing the old one (README.md, "Evidence encryption key").
"""

import contextlib
import hashlib
import logging
import os
import tempfile
from functools import lru_cache

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from core.errors import DomainError

# Every Fernet token starts with its version byte (0x80) and a timestamp whose top bytes are zero, which
# base64 writes as "gAAAAA". Files stored before encryption came in (PNG, JPEG, GIF, WebP, PDF or text
# that passed the upload checks) never start so; rotate_evidence_key seals them.
TOKEN_PREFIX = b"gAAAAA"

logger = logging.getLogger(__name__)


class SealError(Exception):
    """A stored file that none of the configured keys opens."""


def parse_keys(value):
    """The keys in EVIDENCE_ENCRYPTION_KEY, in order; ImproperlyConfigured naming the setting if malformed."""
    keys = [key.strip() for key in str(value or "").split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "EVIDENCE_ENCRYPTION_KEY is not set: evidence cannot be stored or read. Make one with "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
        )
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"EVIDENCE_ENCRYPTION_KEY: key {number} of {len(keys)} is not a Fernet key "
                "(32 bytes in url-safe base64, 44 characters)."
            ) from error
    return keys


def key_id(key):
    """A short fingerprint of a key, stored with each file so rotation knows what is left; not the key."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _cipher(value):
    keys = parse_keys(value)
    return MultiFernet([Fernet(key) for key in keys]), key_id(keys[0])


def cipher():
    """(MultiFernet over every configured key, the id of the first key, which seals)."""
    return _cipher(settings.EVIDENCE_ENCRYPTION_KEY)


def current_key_id():
    return cipher()[1]


def is_sealed(data):
    return data.startswith(TOKEN_PREFIX)


def seal(data):
    return cipher()[0].encrypt(data)


def unseal(data):
    """The original bytes of a stored file. A file stored before encryption came in is returned as it is."""
    if not is_sealed(data):
        return data
    try:
        return cipher()[0].decrypt(data)
    except InvalidToken as error:
        raise SealError(
            "No key in EVIDENCE_ENCRYPTION_KEY opens this file: was the key that sealed it removed too soon?"
        ) from error


STORAGE_FAILED = (
    "The files could not be stored: the file storage is full or not answering. Nothing has been saved. "
    "Try again later; if it happens again, tell the IT service desk."
)
# What a storage raises when it cannot write: the disk (full, read-only, gone) or the object store.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


@contextlib.contextmanager
def storage_failure_refused():
    """Around writing files: a storage that fails becomes a DomainError the person reads on the form (the
    caller's transaction rolls back and the caller deletes what it had written), logged for the operator."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.exception("The evidence storage failed to write a file.")
        raise DomainError(STORAGE_FAILED) from error


@deconstructible(path="cases.sealed.SealedStorage")
class SealedStorage(Storage):
    """Encrypts on save and decrypts on open; names, existence and deletion are the inner storage's.

    The inner storage is looked up on every call (STORAGES["default"]), so a change of settings in a test,
    or a bucket named in the environment, is followed."""

    def __init__(self, inner="default"):
        self.inner_alias = inner

    @property
    def inner(self):
        return storages[self.inner_alias]

    def save(self, name, content, max_length=None):
        content.seek(0)
        sealed = ContentFile(seal(b"".join(content.chunks())))
        # Named here, not by the inner storage: a write that fails (a full disk) may leave part of the
        # file, which is then removed by that name.
        name = self.inner.get_available_name(name, max_length=max_length)
        try:
            return self.inner.save(name, sealed, max_length=max_length)
        except OSError:
            with contextlib.suppress(OSError):
                if self.inner.exists(name):
                    self.inner.delete(name)
            raise

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Sealed evidence is only opened for reading; it is replaced, never edited.")
        with self.inner.open(name, "rb") as stored:
            data = stored.read()
        return ContentFile(unseal(data), name=name)

    def read_stored(self, name):
        """The bytes as they lie in the storage (sealed, or plaintext from before encryption)."""
        with self.inner.open(name, "rb") as stored:
            return stored.read()

    def replace(self, name, data):
        """Put already sealed bytes in place of the file `name`, which readers see whole, old or new.

        On a folder: a temporary file beside it, then an atomic rename. Elsewhere (S3): a write to the same
        key, which the object store swaps in whole."""
        inner = self.inner
        try:
            path = inner.path(name)
        except NotImplementedError:
            path = None
        if path is None:
            saved = inner._save(name, ContentFile(data))  # Same key: S3 swaps the object in whole.
            if saved != name:
                raise SealError(f"The storage saved {name} as {saved}.")
            return
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".sealing-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            if getattr(inner, "file_permissions_mode", None) is not None:
                os.chmod(temporary, inner.file_permissions_mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def delete(self, name):
        return self.inner.delete(name)

    def exists(self, name):
        return self.inner.exists(name)

    def size(self, name):
        return self.inner.size(name)

    def listdir(self, path):
        return self.inner.listdir(path)

    def get_available_name(self, name, max_length=None):
        return self.inner.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.inner.generate_filename(filename)

    def url(self, name):
        # Evidence is only ever served through the audited view; a direct link would hand out ciphertext.
        raise NotImplementedError("Sealed evidence has no URL: it is served by cases.views.evidence.")


sealed_storage = SealedStorage()


def evidence_storage():
    """Evidence.file's storage (a callable, so the migration names this function, not an instance)."""
    return sealed_storage
