"""The benchmark runner's pure parts: reading the tools' amounts, comparing balances, verdicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

# The bench/ package sits beside src/, not inside it.
from bench.run import (
    DEFAULT_OUTPUT,
    RESULTS_END,
    RESULTS_START,
    BenchError,
    BookSet,
    Outcome,
    Sample,
    Timing,
    compare,
    leaf_balances,
    main,
    parse_amount,
    parse_importtime,
    render,
    splice,
    targets,
)


@pytest.mark.parametrize(
    ("text", "style", "value"),
    [
        ("-1234.50 SEK", "plain", "-1234.50"),
        ("1,234.50 SEK", "plain", "1234.50"),
        ("-1000.5", "plain", "-1000.5"),
        ("0", "plain", "0"),
        ("-521307,00 kr", "sv", "-521307.00"),
        ("1 234 567,89 kr", "sv", "1234567.89"),
        ("1.234,50 kr", "sv", "1234.50"),
        ("kr -1 450", "sv", "-1450"),
    ],
)
def test_amounts_are_read_exactly_in_either_style(text: str, style: str, value: str) -> None:
    assert parse_amount(text, style) == Decimal(value)  # type: ignore[arg-type]


def test_an_amount_in_two_currencies_stops_the_benchmark() -> None:
    with pytest.raises(BenchError, match="cannot read"):
        parse_amount("10.00 SEK, 5.00 EUR", "plain")


def test_parents_and_zero_balances_are_left_out_so_tree_and_flat_reports_compare() -> None:
    tree = {
        "tillgångar": Decimal("150"),
        "tillgångar:bank": Decimal("100"),
        "tillgångar:kundfordringar": Decimal("50"),
        "kostnader:drift": Decimal("0"),
        "kostnader:drift:personal:löner": Decimal("0"),
        "fonder:drift från 2019": Decimal("-150"),
    }

    assert leaf_balances(tree) == {
        "fonder:drift från 2019": Decimal("-150"),
        "tillgångar:bank": Decimal("100"),
        "tillgångar:kundfordringar": Decimal("50"),
    }


def test_every_difference_is_named() -> None:
    expected = {"a": Decimal("1.00"), "b": Decimal("2.00")}
    got = {"a": Decimal("1.00"), "b": Decimal("2.01"), "c": Decimal("3")}

    assert compare(expected, got, "hledger") == [
        "hledger: b: expected 2.00, got 2.01",
        "hledger: c: expected None, got 3",
    ]
    assert compare(expected, dict(expected), "hledger") == []


def timing(label: str, seconds: float, rss_mb: int) -> Timing:
    sample = Sample(wall=seconds, max_rss_kb=rss_mb * 1024, returncode=0, cpu=seconds / 2)
    return Timing(label, [label], [sample, sample, sample])


def test_targets_say_met_or_by_how_much_they_are_missed() -> None:
    outcome = Outcome(
        command="bench", started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), machine=["CPU: x"]
    )
    outcome.books.append(
        BookSet(100_000, "plain", Path("main.journal"), 15.0, 21, 212_000, expected={})
    )
    outcome.main[(100_000, "plain")] = [
        timing("ours: ledger accounts", 2.0, 100),
        timing("ledger-cli: bal", 1.0, 200),
        timing("hledger: bal", 5.0, 700),
    ]
    outcome.latency = [timing("ours: ledger --help", 0.05, 20)]

    rows = dict(targets(outcome))

    assert rows["100 000: wall time ≤ ledger-cli's"] == (
        "**missed** by 2.00× (2.00×, target ≤ 1×); by CPU time 2.00×"
    )
    assert rows["100 000: wall time ≤ 0.2× hledger's"] == (
        "**missed** by 2.00× (0.40×, target ≤ 0.2×); by CPU time 0.40×"
    )
    assert rows["100 000: peak memory ≤ ledger-cli's"] == "met (0.50× ≤ 1×)"
    assert rows["`ledger --help` ≤ the floor + 30 ms"] == (
        "not judged: the floor was not measured (see notes)"
    )
    assert rows["`ledger summary 2020` ≤ the floor + 30 ms"] == "not measured (see notes)"
    assert "not measured" in rows["Linear growth to 1 000 000"]

    report = render(outcome)
    assert (
        "| 100 000 (15.0 MB, 21 files) | plain | ours: ledger accounts | 3 | 2.000 | 2.000–2.000 "
        "| 1.000 | 100 | 2.00× | 0.40× | 0.50× |"
    ) in report
    assert "- Command: `bench`" in report
    assert "machine was busy" not in report
    outcome.busy = True
    assert "**The machine was busy during this run**" in render(outcome)


def test_latency_targets_are_judged_per_python_with_its_floor() -> None:
    outcome = Outcome(
        command="bench", started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), machine=["CPU: x"]
    )
    outcome.latency = [
        timing("ours: ledger --help", 0.060, 20),
        timing("ours: ledger fees 2020", 0.122, 20),
        timing("ours: ledger summary 2020", 0.097, 20),
        timing("floor", 0.090, 20),
        timing("ours, Python 3.11.2: ledger --help", 0.055, 20),
        timing("ours, Python 3.11.2: ledger fees 2020", 0.094, 20),
        timing("floor, Python 3.11.2", 0.083, 20),
        timing("hledger: bal (reference)", 0.023, 25),
    ]

    rows = dict(targets(outcome))

    assert rows["`ledger fees 2020` ≤ the floor + 30 ms"] == (
        "**missed** by 1.07× (32.00 ms, target ≤ 30 ms): 122 ms, the floor 90 ms"
    )
    assert rows["`ledger summary 2020` ≤ the floor + 30 ms"] == (
        "met (7.00 ms ≤ 30 ms): 97 ms, the floor 90 ms"
    )
    assert rows["`ledger --help` ≤ the floor + 30 ms"] == (
        "met (-30.00 ms ≤ 30 ms): 60 ms, the floor 90 ms"
    )
    assert rows["`ledger fees 2020` ≤ the floor + 30 ms (Python 3.11.2)"] == (
        "met (11.00 ms ≤ 30 ms): 94 ms, the floor 83 ms"
    )
    assert rows["`ledger summary 2020` ≤ the floor + 30 ms (Python 3.11.2)"] == (
        "not measured (see notes)"
    )
    assert not [label for label in rows if label.startswith("floor") or "reference" in label]
    assert "The floor rows time Python starting" in render(outcome)


def test_the_slowest_imports_come_first_by_cumulative_time() -> None:
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       100 |        100 |   zlib\n"
        "import time:      2000 |      52000 | typer\n"
        "import time:       500 |       9000 |     click.core\n"
        "some other line\n"
    )

    assert parse_importtime(stderr, top=2) == [
        "   52.0 ms  typer",
        "    9.0 ms  click.core",
    ]


# --- the results section of docs/performance.md ---------------------------------------------


def small_outcome() -> Outcome:
    outcome = Outcome(
        command="bench", started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), machine=["CPU: x"]
    )
    outcome.latency = [timing("ours: ledger --help", 0.05, 20)]
    return outcome


def test_a_run_replaces_only_the_results_section() -> None:
    page = f"# Manual\n\nHow to run it.\n\n{RESULTS_START}\nold results\n{RESULTS_END}\nAfter.\n"

    once = splice(page, "## new results\n")

    assert once == (
        f"# Manual\n\nHow to run it.\n\n{RESULTS_START}\n## new results\n{RESULTS_END}\nAfter.\n"
    )
    assert splice(once, "## new results\n") == once
    assert splice(None, "## new results") == f"{RESULTS_START}\n## new results\n{RESULTS_END}\n"


@pytest.mark.parametrize(
    "page",
    [
        "# Manual without markers\n",
        f"# A manual naming the markers: `{RESULTS_START}` and `{RESULTS_END}`\n",
        f"{RESULTS_START}\nno end\n",
        f"{RESULTS_END}\n{RESULTS_START}\n",
        f"{RESULTS_START}\n{RESULTS_END}\n{RESULTS_START}\n{RESULTS_END}\n",
    ],
)
def test_a_page_without_its_markers_once_each_is_refused(page: str) -> None:
    with pytest.raises(BenchError, match="results markers"):
        splice(page, "results")


def test_a_page_without_markers_stops_the_run_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "performance.md"
    page.write_text("# Someone's manual\n", encoding="utf-8")

    assert main(["--output", str(page), "--sizes", "100", "--runs", "1"]) == 1

    assert page.read_text(encoding="utf-8") == "# Someone's manual\n"
    assert "results markers" in capsys.readouterr().err


def test_the_performance_page_keeps_its_manual_and_holds_results_as_render_writes_them() -> None:
    page = DEFAULT_OUTPUT.read_text(encoding="utf-8")
    manual, _, rest = page.partition(f"\n{RESULTS_START}\n")
    results, _, after = rest.partition(f"\n{RESULTS_END}\n")
    assert "## Run it" in manual and "## Where the speed comes from" in manual

    rerun = splice(page, render(small_outcome()))

    assert rerun.startswith(f"{manual}\n{RESULTS_START}\n")
    assert rerun.endswith(f"\n{RESULTS_END}\n{after}")
    # The committed results are in the form render() writes today: the same heading and
    # introduction, the same kind of headings after it.
    fresh = render(small_outcome()).split("\n")
    assert results.strip("\n").split("\n")[:3] == fresh[:3]
    assert {line for line in results.split("\n") if line.startswith("#")} <= {
        "## Results of the last run",
        "### The tools agree",
        "### Big books",
        "### Latency on the bundled books",
        "### Excel export",
        "### Targets",
        "### Notes",
        "### Where our time goes",
        "### What the short commands import",
    }
