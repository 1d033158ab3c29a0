"""The cache of the settings: each settings file's records as last validated, so that a
command whose settings have not changed neither reads TOML nor imports pydantic.

Where: the folder named by $SODERTORN_LEDGER_CACHE, else the user's cache folder as
platformdirs finds it (on Linux $XDG_CACHE_HOME/sodertorn-ledger, by default
~/.cache/sodertorn-ledger), where on Linux a hit finds it without importing platformdirs;
never the books folder. It can be deleted at any time. It is created private (0o700); a
folder that is not the user's own, that others can write to, or that cannot be created or
written is not used, without a word: the settings are then validated on every run.

What: one entry per settings file (and version of the tool and of Python, so that two
installations side by side do not evict each other), holding a key and the settings. The
key hashes the file's bytes with the tool's version, Python's version and the source of the
rules (model.py and validate.py), so an entry serves only the same bytes checked by the
same rules. Anything else, or an entry that cannot be loaded as one, is a miss: the file
is validated and its entry written anew.

How: a pickle of (key, Settings), which gives back the very records, Decimals and all, with
no second reader to keep in step with the rules (hence no MappingProxyType in the records:
pickle cannot store one); unpickling runs code, hence the private folder. An entry is
written to a temporary file in the folder and renamed over the old one, so a reader, or
another run at the same time, finds a whole entry or none.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from sodertorn_ledger import __version__
from sodertorn_ledger.settings.model import Settings

try:
    # hashlib's own BLAKE2, without hashlib, which loads OpenSSL when imported.
    from _blake2 import blake2b
except ImportError:  # a Python without that module
    from hashlib import blake2b

FOLDER_VARIABLE = "SODERTORN_LEDGER_CACHE"
APP_NAME = "sodertorn-ledger"

_HERE = os.path.dirname(__file__)
RULES = (os.path.join(_HERE, "model.py"), os.path.join(_HERE, "validate.py"))
"""The source files whose code decides which settings are valid and what they become."""


def load(path: Path, data: bytes) -> Settings | None:
    """The settings cached for `data`, the bytes of the settings file at `path`; None when
    there are none (a miss)."""
    key = _key(data)
    if key is None:
        return None
    name = _entry_name(path)
    for folder in _folders():
        if not _trusted(folder):
            continue
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                cached = pickle.load(handle)
        except Exception:
            # Missing, truncated, corrupt, or naming what no longer exists: a miss all the same.
            continue
        if (
            type(cached) is tuple
            and len(cached) == 2
            and cached[0] == key
            and type(cached[1]) is Settings
        ):
            return cached[1]
    return None


def store(path: Path, data: bytes, settings: Settings) -> None:
    """Keep `settings`, validated from `data` (the bytes of `path`), for the next runs; when
    the cache folder cannot be had or written, do nothing."""
    key = _key(data)
    folder = os.environ.get(FOLDER_VARIABLE) or _user_cache_folder()
    if key is None or folder is None:
        return
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return
    if not _trusted(folder):
        return
    payload = pickle.dumps((key, settings), protocol=pickle.HIGHEST_PROTOCOL)
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


def _key(data: bytes) -> bytes | None:
    """What an entry for the settings file's bytes `data` must hold; None when the rules'
    source cannot be read (nothing then vouches for an entry)."""
    digest = blake2b(f"{__version__}\0{sys.version}\0".encode())
    for source in RULES:
        try:
            with open(source, "rb") as handle:
                code = handle.read()
        except OSError:
            return None
        digest.update(len(code).to_bytes(8, "little"))
        digest.update(code)
    digest.update(data)
    return digest.digest()


def _entry_name(path: Path) -> str:
    """The name of the entry of the settings file at `path`."""
    slot = os.fsencode(f"{__version__}\0{sys.version}\0{os.path.abspath(path)}")
    return blake2b(slot, digest_size=16).hexdigest() + ".pickle"


def _folders() -> Iterator[str]:
    """Where an entry may be, the quickest to find first."""
    named = os.environ.get(FOLDER_VARIABLE)
    if named:
        yield named
        return
    guess = _xdg_cache_folder()
    if guess is not None:
        yield guess
    folder = _user_cache_folder()
    if folder is not None and folder != guess:
        yield folder


def _xdg_cache_folder() -> str | None:
    """The folder platformdirs gives on Linux (the XDG rule: $XDG_CACHE_HOME, else
    ~/.cache), found without importing platformdirs, whose import costs more than the rest of
    a cache hit. Only the first place to look: platformdirs decides where entries are written."""
    if not sys.platform.startswith("linux"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, APP_NAME) if os.path.isabs(base) else None


def _user_cache_folder() -> str | None:
    """The user's cache folder for the program, as platformdirs finds it on each system;
    None when it finds none (no home)."""
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
