"""The command line: every command has help text with an example, the manual (README.md and
docs/) documents it, and the `ledger` process ends with the command's status and all its
output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manual import MANUAL, assert_shows, page
from sodertorn_ledger.cli import app, app_for

REPO = Path(__file__).resolve().parent.parent
COMMANDS = sorted(c.name or "" for c in app.registered_commands)


def test_the_commands_are_all_there() -> None:
    expected = [
        *("accounts", "balance", "check", "close", "export", "fees", "import"),
        *("population", "projects", "register", "result", "sie", "summary"),
    ]
    assert expected == COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout or "$ ledger" in result.stdout, result.stdout
    assert "--file" in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_manual_with_output(name: str) -> None:
    assert f"## `ledger {name}`\n" in page("commands.md")
    assert f"$ ledger {name}" in MANUAL


@pytest.mark.parametrize("args", [["fees", "2020"], ["population", "2019"], ["check", "--strict"]])
def test_the_manual_shows_the_real_output(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert_shows(page("commands.md"), " ".join(["ledger", *args]), result.stdout)


def _run_ledger(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`ledger ARGS` in a process of its own, as the installed command runs (launcher.main)."""
    return subprocess.run(
        [sys.executable, "-m", "sodertorn_ledger", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_the_command_ends_with_its_status_and_all_its_output() -> None:
    # launcher.main ends the process without tearing it down: the output must still be complete
    # and the status the command's own.
    done = _run_ledger("accounts", "-f", str(REPO / "ledger" / "main.journal"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].split()[0] == "Summa"
    missing = _run_ledger("accounts", "-f", "no-such.journal")
    assert missing.returncode == 1
    assert "no journal file at no-such.journal" in missing.stderr
    unknown = _run_ledger("no-such-command")
    assert unknown.returncode == 2
    assert "No such command" in unknown.stderr


def test_a_profiler_still_gets_its_data(tmp_path: Path) -> None:
    # Under a profiler the process ends the usual way, so the profile is written.
    stats = tmp_path / "accounts.prof"
    books = str(REPO / "ledger" / "main.journal")
    profiler = [sys.executable, "-m", "cProfile", "-o", str(stats)]
    done = subprocess.run(
        [*profiler, "-m", "sodertorn_ledger", "accounts", "-f", books],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert stats.stat().st_size > 0


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_alone_runs_as_in_the_whole_app(name: str) -> None:
    # `ledger NAME …` runs an app holding only that command (app_for): its help and its
    # messages for bad arguments must be those of the whole app.
    alone = app_for([name])
    assert [c.name for c in alone.registered_commands] == [name]
    for args in ([name, "--help"], [name, "--no-such-option"], [name, "x", "y", "z", "w"]):
        whole = CliRunner().invoke(app, args)
        single = CliRunner().invoke(alone, args)
        assert (single.exit_code, single.stdout, single.stderr) == (
            whole.exit_code,
            whole.stdout,
            whole.stderr,
        ), args


@pytest.mark.parametrize("name", COMMANDS)
def test_typer_reads_annotations_that_need_no_evaluation(name: str) -> None:
    # typer reads the command's signature on every run; a string annotation (from
    # `from __future__ import annotations`) is compiled and evaluated each time.
    (command,) = app_for([name]).registered_commands
    assert command.callback is not None
    annotations = command.callback.__annotations__
    assert annotations and not [a for a in annotations.values() if isinstance(a, str)]


def test_the_root_options_need_no_evaluation_either() -> None:
    callback = app.registered_callback
    assert callback is not None and callback.callback is not None
    assert not [a for a in callback.callback.__annotations__.values() if isinstance(a, str)]


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["summry", "2020"]])
def test_anything_but_a_command_name_gets_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


# --- hledger's habits: where the books are, -f before the command ------------------------


def _books_in(tmp_path: Path) -> Path:
    """A copy of the bundled books in a project folder, with a folder below it."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(REPO / "ledger", project / "ledger", ignore=shutil.ignore_patterns(".*"))
    (project / "ledger" / "notes" / "deep").mkdir(parents=True)
    return project


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        (".", "ledger/main.journal"),  # the project folder
        ("ledger", "main.journal"),  # inside the books folder
        ("ledger/notes/deep", "../../main.journal"),  # further down
    ],
)
def test_the_books_are_found_here_or_in_a_folder_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, shown: str
) -> None:
    project = _books_in(tmp_path)
    monkeypatch.chdir(project / where)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{shown}: OK, 2 files, 105 transactions")


def test_ledger_file_wins_over_the_search_and_f_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _books_in(tmp_path)
    other = _books_in(tmp_path / "other")
    monkeypatch.chdir(project / "ledger")
    monkeypatch.setenv("LEDGER_FILE", str(other / "ledger" / "main.journal"))
    assert CliRunner().invoke(app, ["check"]).stdout.startswith(str(other))
    mine = str(project / "ledger" / "main.journal")
    assert CliRunner().invoke(app, ["check", "-f", mine]).stdout.startswith(mine)
    assert CliRunner().invoke(app, ["-f", mine, "check"]).stdout.startswith(mine)


def test_no_books_anywhere_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    result = CliRunner().invoke(app, ["summary", "2020"])
    assert result.exit_code == 1
    assert "no books found: no ledger/main.journal or main.journal here or in a folder" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "before",
    [
        ["-f", "ledger/main.journal"],
        ["--file", "ledger/main.journal"],
        ["--file=ledger/main.journal"],
        ["-fledger/main.journal"],
    ],
)
def test_f_may_come_before_the_command_as_in_hledger(
    before: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    args = [*before, "summary", "2020"]
    assert app_for(args).registered_commands[0].name == "summary"  # only that command loads
    result = CliRunner().invoke(app_for(args), args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Sammanställning 2020")
    whole = _run_ledger(*args, cwd=REPO)
    assert whole.returncode == 0 and whole.stdout == result.stdout


def test_a_mistyped_command_gets_one_suggestion() -> None:
    result = CliRunner().invoke(app, ["balanse", "2020"])
    assert result.exit_code == 2
    assert result.stderr.count("Did you mean") == 1
    assert "Did you mean 'balance'?" in result.stderr


@pytest.mark.parametrize("year", ["twenty", "20", "1899", "3000", "２０２０"])
def test_a_year_that_is_not_one_says_how_to_write_it(year: str) -> None:
    result = CliRunner().invoke(app, ["summary", year])
    assert result.exit_code == 2
    assert f"{year!r} is not a year; write it with four digits, e.g. 2020" in result.stderr


def test_accounts_takes_the_year_as_the_other_commands_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    positional = CliRunner().invoke(app, ["accounts", "2020", "--json"])
    option = CliRunner().invoke(app, ["accounts", "--year", "2020", "--json"])
    assert positional.exit_code == option.exit_code == 0
    assert positional.stdout == option.stdout
    both = CliRunner().invoke(app, ["accounts", "2020", "--year", "2019"])
    assert both.exit_code == 2 and "two years given" in both.stderr
