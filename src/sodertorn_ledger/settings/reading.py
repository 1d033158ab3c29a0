"""Reading the settings file's bytes, before anything else looks at them (the cache too).

Only a regular file is read (a symlink to one is fine): a FIFO would block the command, a
device such as /dev/zero would fill the memory, a directory has no bytes. The file is
looked at before it is opened, opened without blocking, and looked at again through the
open file, so a file swapped in between is caught too. At most `MAX_BYTES` are read; the
real settings are a few kilobytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.errors import SettingsError, find_key_line

MAX_BYTES = 1_000_000
"""The largest settings file read (1 MB); the bundled one is about 4 KB."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refused(path: Path, message: str, hint: str = "") -> SettingsError:
    return SettingsError([Problem(file=str(path), line=0, message=message, hint=hint)])


def _not_regular(path: Path, mode: int) -> SettingsError:
    return _refused(
        path,
        f"the settings are {_kind(mode)}, not a file; nothing was read from it",
        f"{path.name} must be a regular file (a symbolic link to one is fine)",
    )


def read_settings_file(path: Path) -> bytes:
    """The bytes of the settings file at `path`; raise SettingsError when it is missing,
    not a regular file, larger than MAX_BYTES or cannot be read."""
    try:
        if not stat.S_ISREG(mode := os.stat(path).st_mode):
            raise _not_regular(path, mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb", buffering=0) as handle:
            if not stat.S_ISREG(mode := os.fstat(fd).st_mode):
                raise _not_regular(path, mode)
            chunks: list[bytes] = []
            size = 0
            # Read to the end, never past the limit: the size stat gives may be wrong (a
            # file in /proc says 0) or change while it is read.
            while chunk := handle.read(min(65536, MAX_BYTES + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise _refused(
                        path,
                        f"the settings file is larger than {MAX_BYTES // 1_000_000} MB; "
                        "nothing was read from it",
                        "the settings are a few kilobytes: is this the right file?",
                    )
            return b"".join(chunks)
    except FileNotFoundError:
        raise _refused(
            path,
            "no settings file",
            f"the books need {path.name} beside the main journal "
            '(see the README, "Settings: `sodertorn.toml`")',
        ) from None
    except OSError as err:
        reason = err.strerror or str(err)
        raise _refused(path, f"cannot read the settings: {reason}") from None


def decode_settings(data: bytes) -> str:
    """The text of the settings file's bytes: UTF-8, a byte order mark at the start left
    out (as the journal reader does), every line end a newline (a lone CR ends a line, as
    reading the file as text has it). Raises UnicodeDecodeError."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def key_line_in_file(path: Path, loc: tuple[str | int, ...]) -> int:
    """`find_key_line` in the settings file at `path`; 0 when it cannot be read."""
    try:
        text = decode_settings(read_settings_file(path))
    except (SettingsError, UnicodeDecodeError):
        return 0
    return find_key_line(text, loc)
