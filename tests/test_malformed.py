"""The corpus of malformed journals: each gives exactly the problems its sidecar names.

tests/malformed/NAME.journal is run as `ledger check -f NAME.journal` (from that folder, so
paths print as written) and NAME.expected holds, after `#` header lines, the lines the user
must see on stderr other than the quoted source lines and the final summary: every
`FILE:LINE[:COL]: message` and `hint: ...`, in order. A line ending in " …" only fixes its
beginning (used where the right wording is the reader author's to choose).

Headers: `# exit N` (1 for errors, 0 when only warnings), `# args ...` (e.g. --strict),
`# hledger accepts|rejects` (checked against the real hledger: whether the books would
also fail there; `--strict` files run `hledger check accounts`), `# bug: ...` (a reader
bug reported to the lead; strict xfail until fixed, then record the exact message).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import require_program
from sodertorn_ledger.cli import app

CORPUS = Path(__file__).parent / "malformed"
SOURCE_LINE = re.compile(r"^\s*(\d+\s)?\|")
CASES = sorted(CORPUS.glob("*.journal"))


def _expected(journal: Path) -> tuple[dict[str, str], list[str]]:
    headers: dict[str, str] = {}
    lines: list[str] = []
    for line in journal.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(" ")
            headers[key.rstrip(":")] = value
        else:
            lines.append(line)
    return headers, lines


def _params() -> list[object]:
    out: list[object] = []
    for journal in CASES:
        headers, _ = _expected(journal)
        marks = []
        if "bug" in headers:
            marks.append(pytest.mark.xfail(strict=True, reason=headers["bug"]))
        out.append(pytest.param(journal, id=journal.stem, marks=marks))
    return out


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 30
    for journal in CASES:
        assert journal.with_suffix(".expected").is_file(), journal.name
        headers, lines = _expected(journal)
        assert headers.get("exit") in ("0", "1"), journal.name
        assert headers.get("hledger") in ("accepts", "rejects"), journal.name
        # The first problem is in the journal itself or its partner file (NAME.part).
        assert lines and re.match(rf"{re.escape(journal.stem)}\.\w+:\d+", lines[0]), journal.name


@pytest.mark.parametrize("journal", _params())
def test_malformed_journal_gives_exact_problems(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers, expected = _expected(journal)
    monkeypatch.chdir(CORPUS)
    args = headers.get("args", "").split()
    result = CliRunner().invoke(app, ["check", *args, "-f", journal.name])
    assert result.exit_code == int(headers["exit"]), result.stderr
    shown = [
        line
        for line in result.stderr.splitlines()
        if not SOURCE_LINE.match(line) and not line.startswith("ledger: ")
    ]
    assert len(shown) == len(expected), result.stderr
    for got, want in zip(shown, expected, strict=True):
        if want.endswith(" …"):
            assert got.startswith(want[:-2]), result.stderr
        else:
            assert got == want, result.stderr
    if headers["exit"] == "1":
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("journal", CASES, ids=[j.stem for j in CASES])
def test_hledger_agrees_where_the_corpus_says(journal: Path) -> None:
    hledger = require_program("hledger")
    headers, _ = _expected(journal)
    strict = "--strict" in headers.get("args", "")
    command = ["check", "accounts"] if strict else ["bal"]
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [hledger, "-f", journal.name, *command],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert (result.returncode != 0) == (headers["hledger"] == "rejects"), result.stderr
