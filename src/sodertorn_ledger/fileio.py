"""Writing files safely: temp file in the same folder, fsync, rename.

A reader (or a crash) sees either the old file or the new one, never half of it.
`write_atomic` is the whole step; `write_temp` and `fsync_dir` are its parts, for a writer
that checks something between writing the temp file and renaming it (books_writer.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileExists(Exception):
    """The target exists and the caller did not ask to overwrite it."""


def write_atomic(path: Path, data: bytes | str, *, overwrite: bool) -> None:
    """Write `data` to `path` atomically; refuse an existing file unless `overwrite`.

    Raises FileExists, or OSError for an unwritable target (nothing is left behind).
    """
    if not overwrite and path.exists():
        raise FileExists(str(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = write_temp(path, payload)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(tmp.parent)


def write_temp(path: Path, data: bytes) -> Path:
    """A new temp file ``.NAME.XXXXXXXX.tmp`` beside `path` holding `data`, on disk
    (fsync) and with `path`'s permissions (0644 for a new file); the caller renames it.

    Raises OSError when it cannot be written; then no temp file is left.
    """
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def fsync_dir(folder: Path) -> None:
    """Put `folder`'s entries on disk: a rename is only durable once they are."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
