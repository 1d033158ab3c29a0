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
    expected = "accounts balance check close export fees population projects result summary"
    assert expected.split() == COMMANDS


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
