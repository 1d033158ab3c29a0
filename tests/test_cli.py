"""Every command has help text with an example, and the README documents it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sodertorn_ledger.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
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
def test_command_is_in_the_readme_with_output(name: str) -> None:
    assert f"$ ledger {name}" in README


@pytest.mark.parametrize("args", [["fees", "2020"], ["population", "2019"], ["check", "--strict"]])
def test_readme_shows_the_real_output(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert f"$ ledger {' '.join(args)}\n{result.stdout.rstrip()}\n```" in README
