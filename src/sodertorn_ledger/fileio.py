"""Writing files safely: temp file in the same folder, fsync, rename.

A reader (or a crash) sees either the old file or the new one, never half of it.
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
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is only durable once the directory entry is on disk.
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
