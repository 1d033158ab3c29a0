"""The cache of the settings: a hit gives what pydantic gives, anything else is a miss.

A hit (the same bytes, the same version of the tool, of Python and of the rules) gives
settings equal to a fresh validation, and neither imports pydantic nor reads TOML; an
edited file is validated again, a bad edit reported even when an earlier version is
cached; an entry that is corrupt, of another type, or made under another version is not
used, and is made anew; two runs at once both get the right settings; a cache folder that
cannot be made or written, or that others can write to, costs only speed; and the cache is
never in the books folder.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings

from settings_strategies import Data, edits, toml_text, valid_settings
from sodertorn_ledger.settings import (
    Settings,
    SettingsError,
    load_settings,
    model,
    reading,
    validate,
)
from sodertorn_ledger.settings import cache as settings_cache

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger" / "sodertorn.toml"
PYDANTIC = ("pydantic", "pydantic_core")

PROPERTY = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    # One settings file and one cache folder for all examples: each example's file
    # replaces the last one's, as an edit does.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Outcome = tuple[str, Any]

USERS_WORDS = re.compile(r"\S.*: (expected .+, got .+|missing \(a required setting\)|unknown .+)")
PYDANTICS_WORDS = re.compile(r"Input should|should have|should match|valid (tuple|dict|list)")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, not made yet."""
    path = tmp_path / "cache"
    monkeypatch.setenv(settings_cache.FOLDER_VARIABLE, str(path))
    return path


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The settings files pydantic validates from now on (each a miss of the cache)."""
    calls: list[Path] = []
    real = validate.validate_settings

    def counted(data: bytes, path: Path) -> Settings:
        calls.append(path)
        return real(data, path)

    monkeypatch.setattr(validate, "validate_settings", counted)
    return calls


@pytest.fixture
def books_settings(tmp_path: Path) -> Path:
    """A copy of the bundled settings in a books folder of the test's own."""
    path = tmp_path / "books" / "sodertorn.toml"
    path.parent.mkdir()
    shutil.copyfile(BUNDLED, path)
    return path


FRESH = validate.validate_settings
"""pydantic's validation itself, which no test counts as a miss."""


def fresh(path: Path) -> Outcome:
    """What validating the file at `path` gives, the cache aside."""
    return outcome(lambda: FRESH(path.read_bytes(), path)._replace(path=path))


def loaded(path: Path) -> Outcome:
    return outcome(lambda: load_settings(path))


def outcome(read: Callable[[], Settings]) -> Outcome:
    """The settings as written out (so that "4.000" and "4.00" differ), or the problems."""
    try:
        return ("settings", repr(read()))
    except SettingsError as refused:
        return ("problems", refused.problems)


def entry_of(folder: Path) -> Path:
    """The one entry in the cache folder."""
    (entry,) = folder.glob("*.pickle")
    return entry


def run_python(code: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def imported_by(command: list[str], env: dict[str, str] | None = None) -> list[str]:
    """The modules the command imports, run as `ledger` runs it."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sodertorn_ledger", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()]


# --- a hit is what pydantic gives ----------------------------------------------------------


@PROPERTY
@given(data=valid_settings())
def test_a_hit_gives_what_pydantic_gives(
    data: Data, tmp_path: Path, folder: Path, validations: list[Path]
) -> None:
    path = tmp_path / "sodertorn.toml"
    text = toml_text(data)
    assert tomllib.loads(text) == data, "test setup: the TOML writer"
    path.write_text(text, encoding="utf-8")
    expected = fresh(path)
    event(expected[0])
    assert loaded(path) == expected
    validated = len(validations)
    assert loaded(path) == expected
    if expected[0] == "settings":
        assert len(validations) == validated, "the second load was not a hit"


@PROPERTY
@given(edit=edits())
def test_an_edit_is_validated_even_when_the_file_before_it_is_cached(
    edit: tuple[Data, Data], tmp_path: Path, folder: Path
) -> None:
    before, after = edit
    path = tmp_path / "sodertorn.toml"
    path.write_text(toml_text(before), encoding="utf-8")
    cached = loaded(path)
    assert cached[0] == "settings" and cached == fresh(path)
    text = toml_text(after)
    assert tomllib.loads(text) == after, "test setup: the TOML writer"
    path.write_text(text, encoding="utf-8")
    expected = fresh(path)
    event(expected[0])
    assert loaded(path) == expected
    if expected[0] == "problems":
        # Every problem is worded for the user, whichever check found it.
        for problem in expected[1]:
            assert USERS_WORDS.fullmatch(problem.message), problem.message
            assert not PYDANTICS_WORDS.search(problem.message), problem.message


def test_the_second_load_is_a_hit_and_an_edit_a_miss(
    books_settings: Path, folder: Path, validations: list[Path]
) -> None:
    first = load_settings(books_settings)
    assert validations == [books_settings]
    assert load_settings(books_settings) == first
    assert load_settings(books_settings).path == books_settings
    assert validations == [books_settings]
    text = books_settings.read_text(encoding="utf-8")
    books_settings.write_text(text.replace('currency = "kr"', 'currency = "SEK"'), "utf-8")
    assert load_settings(books_settings).currency == "SEK"
    assert validations == [books_settings] * 2


def test_an_entry_whose_key_matches_is_used_as_it_is(
    books_settings: Path, folder: Path, validations: list[Path]
) -> None:
    """The counterpart of the tests below: the entry is what a hit gives, unvalidated (so
    that their planted entries would show if they were used)."""
    load_settings(books_settings)
    key, settings = pickle.loads(entry_of(folder).read_bytes())
    planted = settings._replace(organisation="Planterad")
    entry_of(folder).write_bytes(pickle.dumps((key, planted)))
    assert load_settings(books_settings).organisation == "Planterad"
    assert validations == [books_settings]


# --- entries that are not used ---------------------------------------------------------------


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Copies of the rules' source files, which the cache's key is made of from now on."""
    copies = []
    for source in settings_cache.RULES:
        target = tmp_path / "rules" / Path(source).name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        copies.append(target)
    monkeypatch.setattr(settings_cache, "RULES", tuple(map(str, copies)))
    return copies


def test_the_key_covers_the_source_of_the_model_and_the_validator() -> None:
    sources = {Path(source).resolve() for source in settings_cache.RULES}
    assert sources == {Path(str(m.__file__)).resolve() for m in (model, validate, reading)}
    for source in sources:
        assert source.read_bytes()


@pytest.mark.parametrize("change", ["tool version", "Python version", "rules"])
def test_an_entry_made_by_another_version_is_not_used(
    change: str,
    books_settings: Path,
    folder: Path,
    rules: list[Path],
    validations: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = load_settings(books_settings)
    key, settings = pickle.loads(entry_of(folder).read_bytes())
    entry_of(folder).write_bytes(pickle.dumps((key, settings._replace(organisation="Gammal"))))
    if change == "tool version":
        monkeypatch.setattr(settings_cache, "__version__", "0.0.0+another")
    elif change == "Python version":
        monkeypatch.setattr(sys, "version", sys.version + " (another)")
    else:
        model_copy = next(path for path in rules if path.name == "model.py")
        model_copy.write_bytes(model_copy.read_bytes() + b"\n# A rule was changed.\n")
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 2
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 2, "the new entry is used"


def test_an_entry_with_another_key_in_the_same_place_is_not_used(
    books_settings: Path, folder: Path, validations: list[Path]
) -> None:
    real = load_settings(books_settings)
    key, settings = pickle.loads(entry_of(folder).read_bytes())
    stale = (bytes(len(key)), settings._replace(organisation="Inaktuell"))
    entry_of(folder).write_bytes(pickle.dumps(stale))
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 2


def _truncated(entry: bytes) -> bytes:
    return entry[: len(entry) // 2]


def _of_another_type(entry: bytes) -> bytes:
    key, settings = pickle.loads(entry)
    return pickle.dumps((key, settings.fees))


BAD_ENTRIES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda entry: b"",
    "truncated": _truncated,
    "one byte short": lambda entry: entry[:-1],
    "garbage": lambda entry: bytes(range(256)) * 4,
    "text": lambda entry: b"organisation = 'Fel'\n",
    "a string": lambda entry: pickle.dumps("Settings"),
    "a list": lambda entry: pickle.dumps(list(pickle.loads(entry))),
    "a longer tuple": lambda entry: pickle.dumps((*pickle.loads(entry), None)),
    "other records with the right key": _of_another_type,
    "a module that is not there": lambda entry: b"cno_such_module\nSettings\n.",
    "a frame longer than the file": lambda entry: b"\x80\x05\x95\xff\xff\xff\xff\xff\xff\xff\x7f",
}


@pytest.mark.parametrize("bad", BAD_ENTRIES, ids=list(BAD_ENTRIES))
def test_a_bad_entry_is_a_miss_and_is_made_anew(
    bad: str,
    books_settings: Path,
    folder: Path,
    validations: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = load_settings(books_settings)
    entry = entry_of(folder)
    entry.write_bytes(BAD_ENTRIES[bad](entry.read_bytes()))
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 2
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 2, "the entry was not made anew"
    assert capsys.readouterr() == ("", "")


# --- where the cache is, and where it cannot be ----------------------------------------------


def test_the_cache_is_a_private_folder_of_its_own(books_settings: Path, folder: Path) -> None:
    load_settings(books_settings)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [path.name for path in folder.iterdir()] == [entry_of(folder).name]


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is the cache folder's on Linux")
@pytest.mark.parametrize("base", ["XDG_CACHE_HOME", "HOME"])
def test_the_cache_is_in_the_users_cache_folder_not_the_books_folder(
    base: str, tmp_path: Path
) -> None:
    """The whole command on a copy of the bundled books, the cache folder left to
    platformdirs (under $XDG_CACHE_HOME, else ~/.cache); a hit does not import pydantic."""
    books = tmp_path / "books"
    shutil.copytree(REPO / "ledger", books, ignore=shutil.ignore_patterns(".backup"))
    before = sorted(str(p.relative_to(books)) for p in books.rglob("*"))
    env = {k: v for k, v in os.environ.items() if k != settings_cache.FOLDER_VARIABLE}
    env["LEDGER_FILE"] = str(books / "main.journal")
    if base == "XDG_CACHE_HOME":
        env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
        cache_folder = tmp_path / "xdg" / settings_cache.APP_NAME
    else:
        del env["XDG_CACHE_HOME"]
        env["HOME"] = str(tmp_path / "home")
        cache_folder = tmp_path / "home" / ".cache" / settings_cache.APP_NAME
    cold = imported_by(["summary", "2020"], env=env)
    assert "platformdirs" in cold and "pydantic" in cold, "test setup: a miss"
    warm = imported_by(["summary", "2020"], env=env)
    assert not [m for m in warm if m.split(".")[0] in PYDANTIC]
    assert sorted(str(p.relative_to(books)) for p in books.rglob("*")) == before
    assert entry_of(cache_folder)


def test_a_cache_folder_that_cannot_be_made_costs_only_speed(
    books_settings: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    validations: list[Path],
    capsys: pytest.CaptureFixture[str],
    recwarn: pytest.WarningsRecorder,
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv(settings_cache.FOLDER_VARIABLE, str(blocker / "cache"))
    real = fresh(books_settings)
    assert [loaded(books_settings) for _ in range(2)] == [real, real]
    assert validations == [books_settings] * 2
    assert capsys.readouterr() == ("", "")
    assert not recwarn.list


@pytest.mark.parametrize("home", ["a file", "not found"])
def test_a_home_without_a_cache_folder_costs_only_speed(
    home: str,
    books_settings: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    validations: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No folder named and no XDG_CACHE_HOME: a home where no cache folder can be made (as
    a read-only one), or none that platformdirs can find."""
    monkeypatch.delenv(settings_cache.FOLDER_VARIABLE)
    monkeypatch.delenv("XDG_CACHE_HOME")
    (tmp_path / "home").write_text("")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if home == "not found":
        import platformdirs

        def no_home(*args: object, **kwargs: object) -> str:
            raise RuntimeError("could not determine the home directory")

        monkeypatch.setattr(platformdirs, "user_cache_dir", no_home)
    real = fresh(books_settings)
    assert [loaded(books_settings) for _ in range(2)] == [real, real]
    assert len(validations) == 2
    assert capsys.readouterr() == ("", "")


def test_an_entry_that_cannot_be_written_costs_only_speed(
    books_settings: Path,
    folder: Path,
    validations: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = load_settings(books_settings)
    entry = entry_of(folder)
    entry.unlink()
    entry.mkdir()  # where the entry would go
    assert [load_settings(books_settings) for _ in range(2)] == [real, real]
    assert validations == [books_settings] * 3
    assert sorted(path.name for path in folder.iterdir()) == [entry.name], "a temporary file left"
    assert capsys.readouterr() == ("", "")


def test_a_folder_others_can_write_to_is_not_used(
    books_settings: Path, folder: Path, validations: list[Path]
) -> None:
    real = load_settings(books_settings)
    key, settings = pickle.loads(entry_of(folder).read_bytes())
    entry_of(folder).write_bytes(pickle.dumps((key, settings._replace(organisation="Någon"))))
    folder.chmod(0o777)
    assert load_settings(books_settings) == real
    folder.chmod(0o770)
    assert load_settings(books_settings) == real
    assert validations == [books_settings] * 3
    folder.chmod(0o700)
    assert load_settings(books_settings).organisation == "Någon"


# --- runs at the same time, and the everyday path --------------------------------------------


def test_runs_at_the_same_time_on_a_cold_cache_all_get_the_settings(
    books_settings: Path, folder: Path
) -> None:
    """Eight processes, each ready to load (pydantic imported), told to go at once."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import sodertorn_ledger.settings.validate
        from sodertorn_ledger.settings import load_settings
        print("ready", flush=True)
        sys.stdin.readline()
        print(repr(load_settings(Path({str(books_settings)!r}))))
        """
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(8)
    ]
    for run in runs:
        assert run.stdout is not None
        assert run.stdout.readline() == "ready\n"
    for run in runs:
        assert run.stdin is not None
        run.stdin.write("go\n")
        run.stdin.flush()
    results = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0] * 8, [err for _, err in results]
    expected = fresh(books_settings)
    assert [("settings", out.strip()) for out, _ in results] == [expected] * 8
    assert [path.name for path in folder.iterdir()] == [entry_of(folder).name]
    _, settings = pickle.loads(entry_of(folder).read_bytes())
    assert repr(settings._replace(path=books_settings)) == expected[1]


def test_loading_cached_settings_reads_no_toml_and_imports_no_pydantic(folder: Path) -> None:
    code = f"""
        import sys
        from pathlib import Path
        from sodertorn_ledger.settings import load_settings
        settings = load_settings(Path({str(BUNDLED)!r}))
        assert settings.fee_rate(2020), settings
        print(sorted(m for m in sys.modules if m.split(".")[0] in {(*PYDANTIC, "tomllib")}))
        """
    cold = run_python(code)
    assert "pydantic" in cold and "tomllib" in cold, "test setup: the first load validates"
    assert run_python(code).strip() == "[]"


@pytest.mark.parametrize("command", [["summary", "2020"], ["fees", "2020"]])
def test_everyday_commands_with_a_warm_cache_do_not_import_pydantic(
    command: list[str], folder: Path
) -> None:
    """The whole command on the bundled books, as run (typer 0.26 and later would import
    pydantic again: see pyproject.toml)."""
    cold = imported_by(command)
    assert [m for m in cold if m in PYDANTIC], "test setup: the first run validates"
    warm = imported_by(command)
    assert not [m for m in warm if m.split(".")[0] in PYDANTIC]
