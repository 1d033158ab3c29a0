"""The SIE package's place in the layers (pyproject.toml, import-linter): it reads and
writes the format over the bottom layer only, and inside it the reader and the writer
stand apart over the lexical rules and the records."""

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


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # the format reaching into the books (another reader of the same layer)
        ("sie/read.py", "import sodertorn_ledger.journal.model", "Layers"),
        # the format reaching up into the settings, which hold the [sie] mapping
        ("sie/write.py", "import sodertorn_ledger.settings.model", "Layers"),
        # the writer using the reader
        ("sie/write.py", "import sodertorn_ledger.sie.read", "The SIE format"),
        # the records needing the lexical rules
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
    assert broken in done.stdout.split("Broken contracts")[-1], done.stdout
