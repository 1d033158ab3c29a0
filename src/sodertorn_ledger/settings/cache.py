"""The cache of the settings: each settings file's records as last validated, so that a
command whose settings have not changed neither reads TOML nor imports pydantic.

Where: the folder named by $SODERTORN_LEDGER_CACHE, else the user's cache folder as
platformdirs finds it (on Linux $XDG_CACHE_HOME/sodertorn-ledger, by default
~/.cache/sodertorn-ledger); never the books folder. It can be deleted at any time. It is
created private (0o700); a folder that is not the user's own, that others can write to, or
that cannot be created or written is not used, without a word: the settings are then
validated on every run.

What: one entry per settings file (and version of the tool and of Python, so that two
installations side by side do not evict each other). An entry holds what it was made
from — the settings file's path and exact bytes, the tool's and Python's versions and a
checksum of the rules' source (model.py, validate.py, and reading.py, which says how the
bytes become text) — and the settings. It serves
only a file with the very same bytes, read by the same version under the same rules;
anything else, or an entry that cannot be loaded as one, is a miss: the file is validated
and its entry written anew.

How: a pickle, which gives back the very records, Decimals and all, with no second reader
to keep in step with the rules (hence no MappingProxyType in the records: pickle cannot
store one); unpickling runs code, hence the private folder. An entry is written to a
temporary file in the folder and renamed over the old one, so a reader, or another run at
the same time, finds a whole entry or none.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
import zlib
from pathlib import Path

from sodertorn_ledger import __version__
from sodertorn_ledger.settings.model import Settings

FOLDER_VARIABLE = "SODERTORN_LEDGER_CACHE"
APP_NAME = "sodertorn-ledger"

_HERE = os.path.dirname(__file__)
RULES = tuple(os.path.join(_HERE, name) for name in ("model.py", "validate.py", "reading.py"))
"""The source files whose code decides which settings are valid and what they become."""


def load(path: Path, data: bytes) -> Settings | None:
    """The settings cached for `data`, the bytes of the settings file at `path`; None when
    there are none (a miss)."""
    made_from = _made_from(path, data)
    folder = _folder()
    if made_from is None or folder is None or not _trusted(folder):
        return None
    try:
        with open(os.path.join(folder, _entry_name(path)), "rb") as handle:
            cached = pickle.load(handle)
    except Exception:
        # Missing, truncated, corrupt, or naming what no longer exists: a miss all the same.
        return None
    if (
        type(cached) is tuple
        and len(cached) == 2
        and cached[0] == made_from
        and type(cached[1]) is Settings
    ):
        return cached[1]
    return None


def store(path: Path, data: bytes, settings: Settings) -> None:
    """Keep `settings`, validated from `data` (the bytes of `path`), for the next runs; when
    the cache folder cannot be had or written, do nothing."""
    made_from = _made_from(path, data)
    folder = _folder()
    if made_from is None or folder is None:
        return
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return
    if not _trusted(folder):
        return
    payload = pickle.dumps((made_from, settings), protocol=pickle.HIGHEST_PROTOCOL)
    import tempfile  # only on a miss, which validates anyway

    try:
        fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temporary, os.path.join(folder, _entry_name(path)))
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if not isinstance(err, OSError):
            raise


def _made_from(path: Path, data: bytes) -> tuple[str, str, tuple[int, ...], str, bytes] | None:
    """What an entry for the settings file `path` with the bytes `data` must have been made
    from; None when the rules' source cannot be read (nothing then vouches for an entry)."""
    checksums = []
    for source in RULES:
        try:
            with open(source, "rb") as handle:
                checksums.append(zlib.crc32(handle.read()))
        except OSError:
            return None
    return (__version__, sys.version, tuple(checksums), os.path.abspath(path), data)


def _entry_name(path: Path) -> str:
    """The name of the entry of the settings file at `path` (the entry itself says which
    file it is, so two files sharing a name only evict each other)."""
    slot = f"{__version__}\0{sys.version}\0{os.path.abspath(path)}"
    return f"{zlib.crc32(os.fsencode(slot)):08x}.pickle"


def _folder() -> str | None:
    """The cache folder: the one named, else the user's cache folder as platformdirs finds
    it on each system; None when there is none (no home)."""
    named = os.environ.get(FOLDER_VARIABLE)
    if named:
        return named
    from platformdirs import user_cache_dir

    try:
        return user_cache_dir(APP_NAME, appauthor=False)
    except Exception:
        return None


def _trusted(folder: str) -> bool:
    """True for a folder that is the user's own and that no one else can write to (an entry
    is unpickled, which runs code)."""
    try:
        status = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(status.st_mode):
        return False
    return not hasattr(os, "getuid") or (
        status.st_uid == os.getuid() and not status.st_mode & 0o022
    )
