"""The settings of the books: ledger/sodertorn.toml beside the main journal.

`load_settings` takes a file's settings from the cache (`cache`) when the same bytes were
validated before by the same rules; otherwise it validates them with pydantic (`validate`)
and keeps the result. The records and their rules are in `model`. A bad file never raises
a traceback at the user: every bad value becomes a `Problem` naming the file, the line, the
key and what was expected, collected in one `SettingsError`.
"""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.problems import Problem
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
    covers,
)

__all__ = [
    "SETTINGS_NAME",
    "Fees",
    "Fund",
    "Line",
    "Member",
    "Projects",
    "ResultLines",
    "Settings",
    "SettingsError",
    "covers",
    "load_settings",
    "settings_path",
]


def settings_path(journal_path: Path) -> Path:
    """The sodertorn.toml beside the main journal."""
    return journal_path.parent / SETTINGS_NAME


def load_settings(path: Path) -> Settings:
    """Read and validate the settings; raise SettingsError with every problem found."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError(
            [
                Problem(
                    file=str(path),
                    line=0,
                    message="no settings file",
                    hint=f"the books need {SETTINGS_NAME} beside the main journal "
                    '(see the README, "Settings: `sodertorn.toml`")',
                )
            ]
        ) from None
    except OSError as err:
        raise SettingsError(
            [Problem(file=str(path), line=0, message=f"cannot read the settings: {err}")]
        ) from None
    # Imported here, as validate: a module that only needs the records needs neither.
    from sodertorn_ledger.settings import cache

    settings = cache.load(path, data)
    if settings is None:
        from sodertorn_ledger.settings.validate import validate_settings

        settings = validate_settings(data, path)
        cache.store(path, data, settings)
    return settings._replace(path=path)
