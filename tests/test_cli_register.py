"""`ledger register` through the CLI: the table, the JSON, and the usage errors (exit 2,
one line, never a traceback)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sodertorn_ledger.cli import app

runner = CliRunner()
BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-f", str(BOOKS)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def cells(line: str) -> list[str]:
    return [c for c in re.split(r"\s{2,}", line.strip()) if c]


def test_representation_2020_lists_each_posting_and_sums_to_the_published_line() -> None:
    code, out, err = run("register", "representation", "--year", "2020")
    assert (code, err) == (0, "")
    rows = [cells(line) for line in out.splitlines() if line.strip()]
    assert rows[0] == ["Posteringar 2020: representation"]
    assert rows[1] == ["Datum", "Beskrivning", "Konto", "Belopp", "Saldo"]
    body = rows[3:-1]
    assert [(r[0], r[3], r[4]) for r in body] == [
        ("2020-01-20", "12 400", "12 400"),
        ("2020-03-23", "4 351", "16 751"),
        ("2020-08-31", "7 286", "24 037"),
        ("2020-09-14", "7 600", "31 637"),
    ]
    assert {r[2] for r in body} == {"kostnader:drift:representation"}
    assert rows[-1] == ["Summa", "31 637"]


def test_json_exact_amounts_running_totals_and_where_each_posting_is() -> None:
    code, out, err = run("register", "representation", "--year", "2020", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["total"] == "31637.00"
    postings = data["postings"]
    assert [p["total"] for p in postings] == ["12400.00", "16751.00", "24037.00", "31637.00"]
    assert set(postings[0]) == {
        "date",
        "description",
        "account",
        "amount",
        "total",
        "file",
        "line",
        "tags",
    }
    assert sum(Decimal(p["amount"]) for p in postings) == Decimal(data["total"])
    for p in postings:
        line = Path(p["file"]).read_text(encoding="utf-8").splitlines()[p["line"] - 1]
        assert p["account"] in line


def test_tags_payee_and_a_period() -> None:
    code, out, _ = run(
        "register", "projekt", "--tag", "projekt:great", "--payee", "^great$", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert [p["amount"] for p in data["postings"]] == ["121400.00", "121400.00"]
    assert {p["tags"]["projekt"] for p in data["postings"]} == {"Näringslivsanalyser Great"}
    code, out, _ = run("register", "representation", "--from", "2020-03-23", "--to", "2020-09-14")
    assert code == 0
    assert cells(out.splitlines()[0]) == ["Posteringar 2020-03-23 – 2020-09-13: representation"]
    assert cells(out.splitlines()[-1]) == ["Summa", "11 637"]  # 4 351 + 7 286
    code, out, _ = run("register", "representation", "--tag", "x", "--payee", "y", "--ore")
    assert code == 0
    assert cells(out.splitlines()[0]) == ["Posteringar: representation, tagg x, motpart y"]
    assert cells(out.splitlines()[-1]) == ["Summa", "0,00"]


def test_no_pattern_lists_every_posting_and_they_sum_to_zero() -> None:
    code, out, _ = run("register", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["postings"]) == 237  # as `ledger check` counts them
    assert data["total"] == "0.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x["], "ledger: the account pattern 'x[' is not a regular expression"),
        (["--tag", "a:("], "ledger: the tag value '(' is not a regular expression"),
        (["--payee", "*"], "ledger: the payee '*' is not a regular expression"),
        (["desc:Great"], "ledger: 'desc:Great' is hledger's desc: query, not an account"),
        (["--year", "2020", "--from", "2020-01-01"], "ledger: --year or --from/--to, not both"),
        (["--from", "2020-07-01", "--to", "2020-07-01"], "ledger: --to 2020-07-01 is not after"),
        (["--from", "2020-7-1"], "'2020-7-1' is not a date; write it YYYY-MM-DD"),
        (["--to", "2020-W27-1"], "'2020-W27-1' is not a date"),
        (["--year", "20"], "'20' is not a year"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, out, err = run("register", *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_terminal_escapes_in_the_books_are_shown_as_text(tmp_path: Path) -> None:
    books = tmp_path / "main.journal"
    books.write_text("2020-01-01 \x1b[2J\x1b[31mRöd\n    a:\x1b[5mb  1 kr\n    c\n", "utf-8")
    result = runner.invoke(app, ["register", "-f", str(books)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J\\x1b[31mRöd" in result.stdout
    assert "a:\\x1b[5mb" in result.stdout
    data = json.loads(runner.invoke(app, ["register", "-f", str(books), "--json"]).stdout)
    assert data["postings"][0]["description"] == "\x1b[2J\x1b[31mRöd"  # JSON: as written
