"""A folder that fills up: a storage for tests of a full disk (tests/cases/test_storage_failure.py)."""

import errno
import os

from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """Room for `room_for` more files; the next write stops halfway with ENOSPC, leaving part of the file,
    as a write to a full disk does."""

    def __init__(self, room_for=0, **kwargs):
        super().__init__(**kwargs)
        self.room_for = room_for

    def _save(self, name, content):
        if self.room_for > 0:
            self.room_for -= 1
            return super()._save(name, content)
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = b"".join(content.chunks())
        with open(path, "wb") as partial:
            partial.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
