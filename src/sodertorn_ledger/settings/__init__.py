"""The settings of the books: ledger/sodertorn.toml beside the main journal.

`load_settings` takes a file's settings from the cache (`cache`) when the same bytes were
validated before by the same rules; otherwise it validates them with pydantic (`validate`)
and keeps the result. The records and their rules are in `model`. A bad file never raises
a traceback at the user: every bad value becomes a `Problem` naming the file, the line, the
key and what was expected, collected in one `SettingsError`.
"""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.settings.errors import SettingsError
from sodertorn_ledger.settings.model import (
    SETTINGS_NAME,
    Fees,
    Fund,
    Line,
    Member,
    Projects,
    ResultLines,
    Settings,
    Sie,
    covers,
)
from sodertorn_ledger.settings.reading import MAX_BYTES, read_settings_file

__all__ = [
    "MAX_BYTES",
    "SETTINGS_NAME",
    "Fees",
    "Fund",
    "Line",
    "Member",
    "Projects",
    "ResultLines",
    "Settings",
    "SettingsError",
    "Sie",
    "covers",
    "load_settings",
    "settings_path",
]


def settings_path(journal_path: Path) -> Path:
    """The sodertorn.toml beside the main journal."""
    return journal_path.parent / SETTINGS_NAME


def load_settings(path: Path) -> Settings:
    """Read and validate the settings; raise SettingsError with every problem found."""
    # Before the cache: whatever was cached, a FIFO, a device or a huge file is not read.
    data = read_settings_file(path)
    # Imported here, as validate: a module that only needs the records needs neither.
    from sodertorn_ledger.settings import cache

    settings = cache.load(path, data)
    if settings is None:
        from sodertorn_ledger.settings.validate import validate_settings

        settings = validate_settings(data, path)
        cache.store(path, data, settings)
    return settings._replace(path=path)
