"""The layer contracts of pyproject.toml (import-linter) hold, and would catch an import
that runs back up a layer: among them the SIE package's, which reads and writes the format
over the bottom layer only, its reader and writer apart over the lexical rules and the
records."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )


def test_the_contracts_hold() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a command importing another command
        ("commands/population.py", "import sodertorn_ledger.commands.fees", "Commands never"),
        # the domain reaching up into a renderer
        ("reports/funds.py", "import sodertorn_ledger.render.labels", "Layers"),
        # one renderer using another's helper
        ("render/workbook.py", "import sodertorn_ledger.render.terminal", "Renderers never"),
        # the bottom layer reaching up
        ("problems.py", "import sodertorn_ledger.journal.model", "Layers"),
        # the fast path reaching into the reference reader
        ("journal/fast.py", "import sodertorn_ledger.journal.parser", "The journal"),
        # the records needing the validator (and so pydantic)
        ("settings/model.py", "import sodertorn_ledger.settings.validate", "The settings"),
        # the SIE format reaching into the books (another reader of the same layer)
        ("sie/read.py", "import sodertorn_ledger.journal.model", "Layers"),
        # the format reaching up into the settings, which hold the [sie] mapping
        ("sie/write.py", "import sodertorn_ledger.settings.model", "Layers"),
        # the SIE writer using the reader
        ("sie/write.py", "import sodertorn_ledger.sie.read", "The SIE format"),
        # the SIE records needing the lexical rules
        ("sie/model.py", "import sodertorn_ledger.sie.syntax", "The SIE format"),
        # the lexical rules needing a reader
        ("sie/syntax.py", "import sodertorn_ledger.sie.read", "The SIE format"),
    ],
)
def test_an_import_up_a_layer_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copytree(REPO / "src", tmp_path / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "sodertorn_ledger" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert f"{broken}" in done.stdout.split("Broken contracts")[-1], done.stdout
