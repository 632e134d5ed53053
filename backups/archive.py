"""Backups that restore: the database and every evidence file, taken together, with a manifest.

A backup folder holds the database (DUMP_FILES), `files/` with every stored file under its stored name, as
it lies in the storage (evidence sealed at rest stays sealed: a backup never opens a file, and is useless
without EVIDENCE_ENCRYPTION_KEY, which is kept apart from it), and `manifest.json`, written last: the app
version, the migrations applied, the rows per table and the SHA-256 and size of every file.

Consistency: the files copied are those the dump's own rows name, read through the dump's snapshot
(backups.database.snapshot), so no row in a backup points to a file it lacks. A file is deleted from the
storage only after the deletion of its row has committed (cases.evidence.forget_stored_file), so a file
missing during the copy either belongs to a row deleted after the snapshot (the retention sweep, an expired
draft) or was already lost. The first case takes the backup again from the start, up to ATTEMPTS times; the
second fails the backup, naming the rows, as rotate_evidence_key does: a backup never hides a lost file.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import connection, models
from django.utils import timezone

from cases.models import Evidence
from cases.sealed import SealedStorage, key_id, parse_keys

from .database import (
    DUMP_FILES,
    BackupError,
    database_counts,
    database_restore,
    database_tables,
    migrations_unknown,
    snapshot,
)

MANIFEST = "manifest.json"
FORMAT = 1
FILES = "files"
ATTEMPTS = 3
CHUNK = 1024 * 1024


def app_version():
    """The commit the code was taken from, when it runs from a git checkout; "unknown" otherwise."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def file_fields():
    """Every FileField of every model, as (model label, field)."""
    return [
        (model._meta.label_lower, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def stored_storage(field):
    """The storage holding the field's bytes as stored: for sealed evidence, the one inside the seal."""
    storage = field.storage
    return storage.inner if isinstance(storage, SealedStorage) else storage


def _safe(name):
    """A stored name as a relative path inside the backup, refusing one that would lead out of it."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"The stored name {name!r} is not a plain relative path.")
    return Path(*path.parts)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_out(storage, name, target):
    """Copy a stored file into the backup; its (SHA-256, size), or None if the storage has no such file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except Exception:
        target.unlink(missing_ok=True)
        if not storage.exists(name):  # An object store says "missing" in its own words.
            return None
        raise
    return digest.hexdigest(), size


def _take(out):
    """One attempt: (the manifest, []) or (None, the files whose rows were deleted after the snapshot)."""
    database_file = out / DUMP_FILES[connection.vendor]
    files, missing = [], []
    with snapshot(database_file) as reader:
        counts, migrations = reader.counts(), reader.migrations()
        for label, field in file_fields():
            storage = stored_storage(field)
            for name in reader.values(field.model._meta.db_table, field.column):
                copied = _copy_out(storage, name, out / FILES / _safe(name))
                if copied is None:
                    missing.append((field, name))
                    continue
                sha256, size = copied
                entry = {"name": name, "model": label, "field": field.name, "sha256": sha256, "size": size}
                files.append(entry)
    lost = [(f, n) for f, n in missing if f.model._base_manager.filter(**{f.name: n}).exists()]
    if lost:
        named = ", ".join(f"{f.model._meta.label_lower} {name}" for f, name in lost[:20])
        raise BackupError(
            f"{len(lost)} file(s) are missing from the storage while their rows are still there: {named}. "
            "They were lost before this backup; restore them from an older backup or deal with the rows, "
            "then take the backup again."
        )
    if missing:
        return None, missing
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": connection.vendor,
            "file": database_file.name,
            "sha256": _sha256(database_file),
            "size": database_file.stat().st_size,
        },
        "migrations": migrations,
        "counts": counts,
        "files": files,
    }
    return manifest, []


def _empty(folder):
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def backup_write(*, out, log=print):
    """Write a backup into the folder `out` (new or empty); return its manifest. On failure the folder is
    left empty (everything in it was written here), so that nothing half-written looks like a backup."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} is not an empty folder: a backup goes into a new or empty one.")
    out.mkdir(parents=True, exist_ok=True)
    try:
        for attempt in range(1, ATTEMPTS + 1):
            manifest, deleted = _take(out)
            if manifest:
                # Last: a folder without a manifest is an unfinished backup, and restore refuses it.
                (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
                return manifest
            log(f"Attempt {attempt}: {len(deleted)} file(s) were deleted with their rows after the snapshot.")
            _empty(out)
    except BaseException:
        _empty(out)
        raise
    raise BackupError(
        f"Files kept being deleted while the backup was taken ({ATTEMPTS} attempts): take it again at a "
        "quieter time (away from the retention sweep at 02:30 and draft expiry at :20)."
    )


def _manifest_read(directory):
    if not directory.is_dir():
        raise BackupError(f"No backup at {directory}: there is no such folder.")
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: it is not a backup, or one that did not finish.")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as error:
        raise BackupError(f"{path} cannot be read: {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is of format {manifest.get('format')!r}; this code reads format {FORMAT}.")
    return manifest


def _storage_empty(storage, folder=""):
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # A storage folder not made yet holds nothing.
        return True
    return not names and all(_storage_empty(storage, f"{folder}{sub}/") for sub in folders)


def _check_target(manifest):
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {vendor} database, and DATABASE_URL names a {connection.vendor} one: "
            f"restore it into {vendor}."
        )
    unknown = migrations_unknown(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"This backup was made by a newer version of focuspolicy ({manifest['app_version']}): its "
            f"database has {len(unknown)} migration(s) this code does not know ({', '.join(unknown[:5])}). "
            "Install that version or a later one, then restore."
        )
    tables = database_tables()
    if tables:
        raise BackupError(
            f"The database already has {len(tables)} table(s): restore only into an empty database "
            "(a new one made with createdb, or a new SQLite file), never over data."
        )
    for storage in {id(stored_storage(f)): stored_storage(f) for _label, f in file_fields()}.values():
        if not _storage_empty(storage):
            raise BackupError(
                "The evidence storage is not empty: restore only into an empty folder (MEDIA_ROOT) or bucket."
            )


def _check_hashes(directory, manifest):
    """Every file of the backup as the manifest says, before anything is written."""
    database = manifest["database"]
    wrong = [database["file"]] if _sha256(directory / _safe(database["file"])) != database["sha256"] else []
    for entry in manifest["files"]:
        path = directory / FILES / _safe(entry["name"])
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            wrong.append(f"{FILES}/{entry['name']}")
    if wrong:
        raise BackupError(
            f"{len(wrong)} file(s) of the backup are missing or changed since it was written "
            f"({', '.join(wrong[:5])}): nothing was restored. Use another copy of this backup."
        )


def backup_restore(*, directory):
    """Restore the backup in `directory` into the empty database and storage; return its manifest."""
    directory = Path(directory)
    manifest = _manifest_read(directory)
    _check_target(manifest)
    _check_hashes(directory, manifest)
    database_restore(directory / _safe(manifest["database"]["file"]))
    for entry in manifest["files"]:
        field = apps.get_model(entry["model"])._meta.get_field(entry["field"])
        with open(directory / FILES / _safe(entry["name"]), "rb") as source:
            saved = stored_storage(field).save(entry["name"], File(source))
        if saved != entry["name"]:
            raise BackupError(f"The storage saved {entry['name']} as {saved}.")
    counts = database_counts()
    if counts != manifest["counts"]:
        expected = manifest["counts"]
        differ = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"The restored database does not hold the rows counted in its manifest: {differ}")
    return manifest


def evidence_without_key():
    """How many evidence files were sealed with a key that EVIDENCE_ENCRYPTION_KEY does not hold: restored,
    but nobody can open them until that key is added (it is kept apart from the backups)."""
    try:
        configured = {key_id(key) for key in parse_keys(settings.EVIDENCE_ENCRYPTION_KEY)}
    except ImproperlyConfigured:
        configured = set()
    return Evidence.objects.exclude(sealed_with="").exclude(sealed_with__in=configured).count()
