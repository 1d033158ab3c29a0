"""`ledger result YEAR --budget [--to DATE]` through the CLI: the table, the JSON, the
flag of a line without a budget, and the refusals."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from report_books import SMALL_SETTINGS, write_books
from sodertorn_ledger.cli import app
from test_reports_budget import BOOKS_2021

runner = CliRunner()
M = "−"  # the minus sign the tables print
BUNDLED = Path(__file__).resolve().parent.parent / "ledger" / "main.journal"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def books(tmp_path: Path, budget: str) -> Path:
    return write_books(tmp_path, BOOKS_2021, SMALL_SETTINGS + "\n" + budget)


def rows(out: str) -> dict[str, list[str]]:
    """The table's rows by their label: the cells split at two or more blanks."""
    import re

    found = {}
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) > 1:
            found[cells[0]] = cells[1:]
    return found


def test_the_table_with_a_line_over_and_one_without_budget(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Avgifter" = "1000"\n"Personal" = "500"\n')
    code, out, err = run("result", "2021", "--budget", "-f", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "Drift 2021: budgetuppföljning"
    table = rows(out)
    assert table["Budget"] == ["Utfall", "Avvikelse", "Utfall i %"]  # the headings
    assert table["Avgifter"] == ["1 000", "1 200", "200", "120,0 %"]
    assert table["Personal"] == ["500", "600", f"{M}100", "120,0 %"]
    # No budget, costs: the budget empty, the whole cost a deviation, no share, a marker.
    assert table["Projekt ¹⁾"] == ["100", f"{M}100", "–"]
    assert table["Summa kostnader"] == ["500", "700", f"{M}200", "140,0 %"]
    assert table["Årets resultat"] == ["500", "500", "0", "–"]
    notes = out.splitlines()[-3:]
    assert (
        notes[0] == "¹⁾ Utfall utan budget: ingen budget (eller 0 kr) för raden i [budget.2021] i "
        "sodertorn.toml."
    )
    assert notes[1].startswith("Avvikelse: positiv = bättre än budget (överskott)")
    assert err == "ledger: warning: an outcome without a budget in [budget.2021]: Projekt\n"
    code, again, err = run("result", "2021", "--budget", "--strict", "-f", str(path))
    assert code == 1 and again == out and "without a budget" in err


def test_the_json(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Personal" = "730"\n"Modellen" = "100"\n')
    code, out, err = run(
        "result", "2021", "--budget", "--to", "2021-03-31", "--json", "-f", str(path)
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["through"], data["days"], data["year_days"]) == ("2021-03-31", 90, 365)
    personal = data["costs"][0]
    assert personal == {
        "name": "Personal",
        "budget": "180.00",  # 730 × 90 / 365
        "year_budget": "730.00",
        "actual": "300.00",  # the salary of 1 April is left out
        "deviation": "-120.00",
        "percent": "166.7",
        "no_budget": False,
    }
    assert data["income"][0]["no_budget"] is True  # fees invoiced, no budget
    assert data["income"][0]["budget"] is None and data["income"][0]["percent"] is None
    assert data["total"]["costs"] == {
        "budget": "180.00",
        "year_budget": "730.00",
        "actual": "300.00",
        "deviation": "-120.00",
        "percent": "166.7",
    }
    assert data["result"]["deviation"] == "1080.00"  # 1 200 of fees unbudgeted, 120 over
    assert data["result"]["percent"] is None
    assert [f["name"] for f in data["funds"]] == ["Modellen", "Bidrag"]
    assert data["funds"][0]["budget"] == "24.66"  # 100 × 90 / 365 = 24.657…


def test_the_bundled_budget_as_the_manual_shows_it() -> None:
    code, out, err = run("result", "2020", "--budget", "-f", str(BUNDLED))
    assert code == 0, err
    table = rows(out)
    assert table["Personalkostnader"] == ["1 550 000", "1 444 300", "105 700", "93,2 %"]
    assert table["Representation"] == ["25 000", "31 637", f"{M}6 637", "126,5 %"]
    assert table["Summa kostnader"] == ["1 966 000", "1 824 368", "141 632", "92,8 %"]
    assert table["Årets resultat"] == ["46 800", "188 432", "141 632", "–"]


def test_refusals(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2020]\n"Personal" = "500"\n')
    code, _, err = run("result", "2021", "--budget", "-f", str(path))
    assert code == 1
    assert err == (
        f"ledger: no budget for 2021 in {tmp_path / 'sodertorn.toml'}: add a [budget.2021] "
        "table of the lines' budgets (see docs/budget.md)\n"
    )
    for args, message in (
        (["--budget", "--to", "2020-12-31"], "ledger: --to 2020-12-31 is not in 2021\n"),
        (["--to", "2021-03-01"], "ledger: --to goes with --budget"),
        (["--budget", "--detail"], "ledger: --detail and --budget: one at a time\n"),
        (["--budget", "--compare"], "ledger: --compare and --budget: one at a time\n"),
        (["--budget", "--to", "2021-02-30"], "is not a date"),
    ):
        code, out, err = run("result", "2021", *args, "-f", str(path))
        assert code == 2, (args, err)
        assert message in err and out == "", (args, err)


def test_a_bad_budget_in_the_settings_is_reported_with_its_line(tmp_path: Path) -> None:
    path = books(tmp_path, '[budget.2021]\n"Persnal" = "500"\n')
    code, out, err = run("result", "2021", "--budget", "-f", str(path))
    assert code == 1 and out == ""
    line = (SMALL_SETTINGS + "\n").count("\n") + 2
    assert err.startswith(
        f"{tmp_path / 'sodertorn.toml'}:{line}: budget.2021.Persnal: expected the name of a "
        "line of [result]"
    )
    assert '(did you mean "Personal"?)' in err
    assert "Traceback" not in err
