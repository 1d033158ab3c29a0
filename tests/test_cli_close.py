"""`ledger close YEAR` end to end, on copies of the bundled books: output, exit codes,
re-runs, dry runs, crashes at every write, hledger's view and the Sammanställning."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from closed_books import make_earlier_version
from conftest import require_program
from manual import assert_shows, page
from sodertorn_ledger.books_writer import KILL_ENV, LOCK_FILE
from sodertorn_ledger.cli import app
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.render.json_report import summary_json
from sodertorn_ledger.reports.funds import compute_summary
from sodertorn_ledger.settings import load_settings

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"
D = Decimal


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def copy_books(folder: Path) -> Path:
    shutil.copytree(BUNDLED, folder / "ledger")
    return folder / "ledger" / "main.journal"


def snapshot(main: Path) -> dict[str, bytes]:
    """Every file of the books' folder (backups and the writers' empty lock file apart),
    by relative path."""
    root = main.parent
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and ".backup" not in p.relative_to(root).parts
        and p.relative_to(root) != Path(LOCK_FILE)
    }


def backups(main: Path) -> list[Path]:
    folder = main.parent / ".backup"
    return (
        sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []
    )


def summary_of(main: Path, year: int) -> dict[str, Any]:
    journal = load_journal(main)
    assert journal.errors == []
    return summary_json(
        compute_summary(journal, load_settings(main.parent / "sodertorn.toml"), year)
    )


def transactions_of(main: Path) -> list[tuple[object, ...]]:
    journal = load_journal(main)
    assert journal.errors == []
    return [
        (t.date, t.description, tuple((p.account, p.amount) for p in t.postings))
        for t in journal.transactions
    ]


def close_in_subprocess(
    main: Path, *args: str, kill_at: int | None = None, temp: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != KILL_ENV}
    if kill_at is not None:
        env[KILL_ENV] = str(kill_at)
    if temp is not None:
        env["TMPDIR"] = str(temp)
    return subprocess.run(
        [sys.executable, "-m", "sodertorn_ledger", "close", "2020", "-f", str(main), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


# -- the close and its re-run ----------------------------------------------------------------


def test_close_2020_prints_what_it_did(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    code, out, err = run("close", "2020", "-f", str(main))
    assert code == 0, err
    assert "Södertörnssamarbetet drift   188 431,60   fonder:drift från 2020" in out
    assert f"wrote {main.parent / '2021.journal'}: new file, the books of 2021" in out
    assert f"wrote {main}: account fonder:drift från 2020, include 2021.journal added" in out
    assert (
        f"wrote {main.parent / '2020.journal'}: closing transaction 2020-12-31 "
        "(bokslut:2020) appended" in out
    )
    assert "Closed 2020. 2021 is open" in out
    assert "\x1b" not in out + err  # no colour when not a terminal


def test_close_json(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    code, out, err = run("close", "2020", "-f", str(main), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data == {
        "year": 2020,
        "closed": True,
        "already_closed": False,
        "result": {
            "Södertörnssamarbetet drift": "188431.60",
            "Södertörnsmodellen": "-1450.00",
            "Kommunikationsprojekt": "50500.00",
            "Södertörnskonferensen": "0.00",
            "Bidrag från Tillväxtverket": "0.00",
        },
        "files": [
            str(main.parent / "2021.journal"),
            str(main),
            str(main.parent / "2020.journal"),
        ],
    }


def test_rerun_changes_no_byte_and_says_already_closed(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    closed = snapshot(main)
    saved = backups(main)
    code, out, err = run("close", "2020", "-f", str(main))
    assert code == 0, err
    assert "2020 is already closed and agrees with the books; nothing to do." in out
    code, out, err = run("close", "2020", "-f", str(main), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["already_closed"] is True and data["closed"] is True and data["files"] == []
    assert data["result"]["Södertörnssamarbetet drift"] == "188431.60"
    assert snapshot(main) == closed
    assert backups(main) == saved  # no new backups either


def test_backups_hold_the_files_as_they_were(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    before = snapshot(main)
    assert run("close", "2020", "-f", str(main))[0] == 0
    saved = backups(main)
    assert sorted(p.name.split(".journal.")[0] for p in saved) == ["2020", "main"]
    for path in saved:
        name = path.name.split(".journal.")[0] + ".journal"
        assert path.read_bytes() == before[name]
        assert path.name.split(".journal.")[1].endswith("Z")  # timestamped


# -- the dry run -----------------------------------------------------------------------------


def test_dry_run_prints_exactly_what_the_close_writes_and_writes_nothing(
    tmp_path: Path,
) -> None:
    import difflib

    dry = copy_books(tmp_path / "dry")
    real = copy_books(tmp_path / "real")
    before = snapshot(dry)
    code, out, err = run("close", "2020", "-f", str(dry), "--dry-run")
    assert code == 0, err
    assert snapshot(dry) == before and backups(dry) == []

    assert run("close", "2020", "-f", str(real))[0] == 0
    after = snapshot(real)
    expected = ""
    for name in ["2021.journal", "main.journal", "2020.journal"]:
        old = before.get(name, b"").decode().splitlines(keepends=True)
        new = after[name].decode().splitlines(keepends=True)
        src = "/dev/null" if name not in before else str(dry.parent / name)
        expected += "".join(difflib.unified_diff(old, new, src, str(dry.parent / name)))
    assert out.endswith(expected)
    assert "Dry run: nothing written. These changes would be made (3 files):" in out

    code, out, err = run("close", "2020", "-f", str(dry), "--dry-run", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is True and data["closed"] is False
    assert data["diff"] == expected
    assert snapshot(dry) == before


def test_dry_run_on_a_closed_year(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    code, out, _ = run("close", "2020", "-f", str(main), "--dry-run")
    assert code == 0
    assert "2020 is already closed and agrees with the books; nothing to write." in out


# -- refusals and usage ----------------------------------------------------------------------


def test_refusal_exits_1_names_the_difference_and_writes_nothing(tmp_path: Path) -> None:
    # On books an earlier version closed (no balances recorded, nothing locked) the close
    # itself finds the change.
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    make_earlier_version(main.parent / "2020.journal", 2020)
    with (main.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2020-12-30 * Sen faktura\n    kostnader:drift:projekt  1 000,00 kr\n"
            "    skulder:leverantörsskulder\n"
        )
    changed = snapshot(main)
    code, _, err = run("close", "2020", "-f", str(main))
    assert code == 1
    assert "2020 is closed, but the books have changed since the close" in err
    assert "kostnader:drift:projekt: the close books -320 300,00 kr" in err
    assert "(difference -1 000,00 kr)" in err
    assert "ledger: refused to close 2020; nothing was written" in err
    assert snapshot(main) == changed
    code, out, _ = run("close", "2020", "-f", str(main), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["closed"] is False and data["already_closed"] is True
    [refusal] = data["refused"]
    assert refusal["file"] == str(main.parent / "2020.journal")
    assert "kostnader:drift:projekt: the close books -320 300,00 kr" in refusal["message"]
    assert snapshot(main) == changed


def test_refused_when_previous_year_open(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    # 2021 never closed, and 2022 asked for.
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-02-01 * Ränta\n    tillgångar:bank  1,00 kr\n"
            "    intäkter:drift:avgifter:salem\n"
        )
    (main.parent / "2022.journal").write_text(
        "2022-02-01 * X\n    tillgångar:bank  1,00 kr\n    intäkter:drift:avgifter:salem\n",
        encoding="utf-8",
    )
    with main.open("a", encoding="utf-8") as handle:
        handle.write("include 2022.journal\n")
    before = snapshot(main)
    code, _, err = run("close", "2022", "-f", str(main))
    assert code == 1
    assert "2021 has transactions and is not closed; close it before 2022" in err
    assert "hint: run: ledger close 2021" in err
    assert snapshot(main) == before


def test_bad_books_exit_1_and_nothing_written(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    with (main.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write("\n2020-13-01 * Fel datum\n    tillgångar:bank  1,00 kr\n    intäkter:drift\n")
    before = snapshot(main)
    code, _, err = run("close", "2020", "-f", str(main))
    assert code == 1
    assert "invalid date '2020-13-01'" in err
    assert snapshot(main) == before


def test_missing_settings_exit_1(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    (main.parent / "sodertorn.toml").unlink()
    code, _, err = run("close", "2020", "-f", str(main))
    assert code == 1
    assert "no settings file" in err


@pytest.mark.parametrize("args", [[], ["twenty"], ["1800"], ["2020", "--bogus"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, _ = run("close", *args)
    assert code == 2


def test_a_second_close_at_the_same_time_stops(tmp_path: Path) -> None:
    from sodertorn_ledger.books_writer import writing

    main = copy_books(tmp_path)
    before = snapshot(main)
    with writing(main):
        code, _, err = run("close", "2020", "-f", str(main))
    assert code == 1
    assert err == (
        "ledger: the books are busy: another ledger command is writing them; nothing was written\n"
    )
    assert snapshot(main) == before
    assert run("close", "2020", "-f", str(main))[0] == 0  # the lock is released


def test_no_journal_file(tmp_path: Path) -> None:
    code, _, err = run("close", "2020", "-f", str(tmp_path / "nothing.journal"))
    assert code == 1
    assert "no journal file at" in err
    assert not (tmp_path / ".backup").exists()


def test_help_has_an_example() -> None:
    code, out, _ = run("close", "--help")
    assert code == 0
    assert "Example: ledger close 2020 --dry-run" in out


# -- crash safety ----------------------------------------------------------------------------


def test_sigkill_at_every_step_leaves_books_before_or_closed_and_rerun_finishes(
    tmp_path: Path,
) -> None:
    reference = copy_books(tmp_path / "reference")
    original = snapshot(reference)
    original_transactions = transactions_of(reference)
    done = close_in_subprocess(reference)
    assert done.returncode == 0, done.stderr
    closed = snapshot(reference)

    killed = 0
    states = []
    left = []
    for step in range(1, 20):
        main = copy_books(tmp_path / f"kill{step}")
        temp = tmp_path / f"temp{step}"
        temp.mkdir()
        done = close_in_subprocess(main, kill_at=step, temp=temp)
        if done.returncode == 0:
            assert snapshot(main) == closed
            break
        assert done.returncode == -signal.SIGKILL, done.stderr
        killed += 1
        left.append(leftovers(main, temp))
        state = {k: v for k, v in snapshot(main).items() if not k.endswith(".tmp")}
        if state == closed:
            states.append("closed")
        else:
            # As before: the same transactions (hence every balance and report), not closed.
            assert transactions_of(main) == original_transactions
            assert "bokslut:2020" not in state["2020.journal"].decode()
            assert state["2020.journal"] == original["2020.journal"]
            states.append("before")
        for path in backups(main):
            name = path.name.split(".journal.")[0] + ".journal"
            assert path.read_bytes() == original[name]
        again = close_in_subprocess(main, temp=temp)
        assert again.returncode == 0, again.stderr
        assert snapshot(main) == closed, f"the re-run after a kill at step {step}"
        assert leftovers(main, temp) == [], f"the re-run after a kill at step {step}"
    # Checkpoints: the rehearsal's copy made; for each file its backup's temp file written
    # and the backup in place (main.journal, 2020.journal), its own temp file written and
    # the file in place (the new 2021.journal first).
    assert killed == 11
    assert states == ["before"] * 10 + ["closed"]
    folder, tmp, backup = "rehearsal folder", "temp file", "backup's temp file"
    assert left == [
        [folder], [tmp], [], [backup], [], [tmp], [], [backup], [], [tmp], []
    ]  # fmt: skip


def leftovers(main: Path, temp: Path) -> list[str]:
    """What a killed run left behind: temp files beside the books or among the backups,
    rehearsal folders in the temp folder."""
    found = ["temp file" for p in main.parent.iterdir() if p.name.endswith(".tmp")] + [
        "backup's temp file" for p in (main.parent / ".backup").glob("*") if p.name.endswith(".tmp")
    ]
    return found + ["rehearsal folder" for _ in temp.glob("ledger-rehearsal-*")]


def test_every_crash_state_passes_hledger_check(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    for step in range(1, 12):
        main = copy_books(tmp_path / f"kill{step}")
        done = close_in_subprocess(main, kill_at=step)
        assert done.returncode == -signal.SIGKILL
        check = subprocess.run(
            [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
        )
        assert check.returncode == 0, (step, check.stderr)


# -- hledger agrees ------------------------------------------------------------------------


def _hledger_balances(hledger: str, main: Path) -> dict[str, Decimal]:
    done = subprocess.run(
        [hledger, "-f", str(main), "bal", "-O", "csv", "--no-total"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["account", "balance"]
    out = {}
    for account, balance in rows[1:]:
        number = balance.replace("kr", "").replace(" ", "").replace("\u00a0", "").strip()
        out[account] = D(number.replace(",", ".")) if number else D(0)
    return out


def _our_balances(main: Path) -> dict[str, Decimal]:
    code, out, err = run("accounts", "-f", str(main), "--json")
    assert code == 0, err
    ours = {a["account"]: D(a["balance"]) for a in json.loads(out)["accounts"]}
    return {a: b for a, b in ours.items() if b != 0}


def test_hledger_checks_and_agrees_after_the_close(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    check = subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    theirs = _hledger_balances(hledger, main)
    assert theirs == _our_balances(main)
    # After the close only balance-sheet accounts hold money; the result sits in the funds.
    assert not [a for a in theirs if a.startswith(("intäkter", "kostnader"))]
    assert theirs["fonder:drift från 2020"] == D("-188431.60")
    assert theirs["fonder:södertörnsmodellen"] == D("-519856.85")


# -- the Sammanställning -------------------------------------------------------------------


def test_summary_of_the_year_is_the_same_after_the_close(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    code, before, _ = run("summary", "2020", "-f", str(main), "--json")
    assert code == 0
    _, table_before, _ = run("summary", "2020", "-f", str(main))
    assert run("close", "2020", "-f", str(main))[0] == 0
    code, after, _ = run("summary", "2020", "-f", str(main), "--json")
    assert code == 0
    assert json.loads(after) == json.loads(before)
    assert run("summary", "2020", "-f", str(main))[1] == table_before


def test_next_year_opens_with_last_years_closing_balances(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    ub = summary_of(main, 2020)
    assert run("close", "2020", "-f", str(main))[0] == 0
    ib = summary_of(main, 2021)
    names = [f["name"] for f in ib["funds"]]
    assert names == [
        "Södertörnssamarbetet drift",
        "Södertörnsmodellen",
        "Kommunikationsprojekt",
        "Södertörnskonferensen",
        "Bidrag från Tillväxtverket",
        "Södertörnssamarbetet drift från 2020",
        "Södertörnssamarbetet drift från 2019",
        "Södertörnssamarbetet drift från 2018",
    ]
    closing = {f["name"]: f["closing"] for f in ub["funds"]}
    opening = {f["name"]: f["opening"] for f in ib["funds"]}
    assert opening["Södertörnssamarbetet drift"] == "0.00"
    assert (
        opening["Södertörnssamarbetet drift från 2020"]
        == closing["Södertörnssamarbetet drift"]
        == "188431.60"
    )
    for name in names[1:5] + names[6:]:
        assert opening[name] == closing[name], name
    assert ib["total"]["opening"] == ub["total"]["closing"] == "1381130.20"

    # Through the CLI too, once 2021 has a transaction.
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-01-05 * Bankavgift\n    kostnader:drift:övriga avgifter  29,00 kr\n"
            "    tillgångar:bank\n"
        )
    code, out, err = run("summary", "2021", "-f", str(main), "--json")
    assert code == 0, err
    rows = {f["name"]: f for f in json.loads(out)["funds"]}
    assert rows["Södertörnssamarbetet drift från 2020"]["opening"] == "188431.60"
    assert rows["Södertörnssamarbetet drift"]["opening"] == "0.00"
    assert rows["Södertörnssamarbetet drift"]["costs"] == "-29.00"


FEES_2021 = {
    "botkyrka": "379 388,00",
    "haninge": "374 760,00",
    "huddinge": "452 936,00",
    "nykvarn": "44 888,00",
    "nynäshamn": "115 244,00",
    "salem": "67 836,00",
    "södertälje": "400 444,00",
    "tyresö": "194 712,00",
}


def test_three_years_close_2020_book_2021_close_2021(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    # 2021: the fees (4 kr × folkmängd 2020-12-31, 2 030 208 kr), costs, fund movements.
    lines = []
    for name, fee in FEES_2021.items():
        lines += [
            f"2021-01-31 * Avgift 2021 {name}",
            f"    tillgångar:kundfordringar  {fee} kr",
            f"    intäkter:drift:avgifter:{name}",
            "",
        ]
    lines += [
        "2021-06-25 * Löner",
        "    kostnader:drift:personal:löner  1 500 000,00 kr",
        "    tillgångar:bank",
        "",
        "2021-09-30 * Projekt",
        "    kostnader:drift:projekt  400 123,45 kr",
        "    tillgångar:bank",
        "",
        "2021-10-01 * Södertörnsmodellen",
        "    kostnader:södertörnsmodellen  10 000,00 kr",
        "    tillgångar:bank",
        "",
        "2021-11-01 * Kommunikation",
        "    kostnader:kommunikationsprojekt  20 500,00 kr",
        "    tillgångar:bank",
    ]
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(lines) + "\n")
    summary_2021 = summary_of(main, 2021)
    code, out, err = run("close", "2021", "-f", str(main), "--json")
    assert code == 0, err
    data = json.loads(out)
    drift_2021 = D("2030208.00") - D("1500000.00") - D("400123.45")
    assert data["result"]["Södertörnssamarbetet drift"] == str(drift_2021) == "130084.55"
    assert data["result"]["Södertörnsmodellen"] == "-10000.00"
    assert data["files"] == [
        str(main.parent / "2022.journal"),
        str(main),
        str(main.parent / "2021.journal"),
    ]
    assert summary_of(main, 2021) == summary_2021  # unchanged by its close

    s2022 = summary_of(main, 2022)
    rows = [(f["name"], f["opening"], f["closing"]) for f in s2022["funds"]]
    assert rows == [
        ("Södertörnssamarbetet drift", "0.00", "0.00"),
        ("Södertörnsmodellen", "509856.85", "509856.85"),
        ("Kommunikationsprojekt", "30000.00", "30000.00"),
        ("Södertörnskonferensen", "0.00", "0.00"),
        ("Bidrag från Tillväxtverket", "277793.00", "277793.00"),
        ("Södertörnssamarbetet drift från 2021", "130084.55", "130084.55"),
        ("Södertörnssamarbetet drift från 2020", "188431.60", "188431.60"),
        ("Södertörnssamarbetet drift från 2019", "233695.75", "233695.75"),
        ("Södertörnssamarbetet drift från 2018", "110853.00", "110853.00"),
    ]
    assert s2022["total"]["opening"] == summary_2021["total"]["closing"]

    text = main.read_text(encoding="utf-8").splitlines()
    declared = [line.split(";")[0].strip() for line in text if "drift från" in line]
    assert declared == [
        "account fonder:drift från 2021",
        "account fonder:drift från 2020",
        "account fonder:drift från 2019",
        "account fonder:drift från 2018",
    ]
    assert text[-3:] == ["include 2020.journal", "include 2021.journal", "include 2022.journal"]
    # Both closes stay consistent: re-running either changes nothing.
    before = snapshot(main)
    assert run("close", "2020", "-f", str(main))[0] == 0
    assert run("close", "2021", "-f", str(main))[0] == 0
    assert snapshot(main) == before


def test_three_years_hledger_agrees(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-01-31 * Avgift\n    tillgångar:kundfordringar  67 836,00 kr\n"
            "    intäkter:drift:avgifter:salem\n"
        )
    assert run("close", "2021", "-f", str(main))[0] == 0
    check = subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    theirs = _hledger_balances(hledger, main)
    assert theirs == _our_balances(main)
    assert theirs["fonder:drift från 2021"] == D("-67836.00")


def test_the_manual_shows_the_real_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manual = page("close.md")
    copy_books(tmp_path)
    main = Path("ledger", "main.journal")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    code, _, err = run("close", "2019")
    assert code == 1
    assert_shows(manual, "ledger close 2019", err)
    before = snapshot(main)
    for args in (["--dry-run"], [], []):  # the dry run, the close, the re-run
        code, out, err = run("close", "2020", *args)
        assert code == 0, err
        assert_shows(manual, " ".join(["ledger close 2020", *args]), out)
    # The close of the manual's --json example, on the books as they were.
    closed = snapshot(main)
    for name, data in before.items():
        (main.parent / name).write_bytes(data)
    (main.parent / "2021.journal").unlink()
    code, out, err = run("close", "2020", "--json")
    assert code == 0, err
    assert_shows(manual, "ledger close 2020 --json", out)
    assert snapshot(main) == closed
    # January 2021's first bank fee, then the new year's Sammanställning.
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-01-29 * Swedbank | Bankavgift januari\n"
            "    kostnader:drift:övriga avgifter  12,00 kr\n    tillgångar:bank\n"
        )
    code, out, err = run("summary", "2021")
    assert code == 0, err
    assert_shows(manual, "ledger summary 2021", out)


def test_the_manual_shows_the_real_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_books(tmp_path)
    books = Path("ledger")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    # 2021 has a transaction while 2020 is still open.
    with (books / "main.journal").open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    (books / "2021.journal").write_text(
        "2021-01-29 * Swedbank | Bankavgift januari\n"
        "    kostnader:drift:övriga avgifter  12,00 kr\n    tillgångar:bank\n",
        encoding="utf-8",
    )
    code, out, err = run("close", "2021")
    assert code == 1 and out == ""
    assert_shows(page("close.md"), "ledger close 2021", err)
    # 2020 closed by an earlier version, then an invoice of 2020 raised by 500 kr.
    assert run("close", "2020")[0] == 0
    year = books / "2020.journal"
    make_earlier_version(year, 2020)
    text = year.read_text(encoding="utf-8")
    edited = text.replace(
        "kostnader:drift:övriga kostnader                       2 318,75 kr\n"
        "    skulder:leverantörsskulder                            -2 318,75 kr\n",
        "kostnader:drift:övriga kostnader                       2 818,75 kr\n"
        "    skulder:leverantörsskulder                            -2 818,75 kr\n",
    )
    assert edited != text
    year.write_text(edited, encoding="utf-8")
    code, out, err = run("close", "2020")
    assert code == 1 and out == ""
    assert_shows(page("close.md"), "ledger close 2020", err)


def test_hledger_income_statement_without_the_close(tmp_path: Path) -> None:
    hledger = require_program("hledger")
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    done = subprocess.run(
        [hledger, "-f", str(main), "is", "-p", "2020", "not:tag:bokslut", "-O", "csv"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[-1][0] == "Net:"
    assert rows[-1][1].replace(" ", "").replace("\u00a0", "") == "237481,60kr"


def test_a_closed_year_missing_its_include_is_completed(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    closed = snapshot(main)
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("include 2021.journal\n", ""), encoding="utf-8")
    code, out, err = run("close", "2020", "-f", str(main), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["already_closed"] is True and data["files"] == [str(main)]
    assert snapshot(main) == closed


@pytest.mark.parametrize("report", ["summary", "result", "projects", "balance"])
def test_every_report_of_the_year_is_the_same_after_the_close(tmp_path: Path, report: str) -> None:
    main = copy_books(tmp_path)
    code, before, err = run(report, "2020", "-f", str(main), "--json")
    assert code == 0, err
    assert run("close", "2020", "-f", str(main))[0] == 0
    code, after, err = run(report, "2020", "-f", str(main), "--json")
    assert code == 0, err
    assert json.loads(after) == json.loads(before)


def test_summary_of_a_year_just_opened_shows_its_opening_balances(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    code, _, err = run("summary", "2021", "-f", str(main))
    assert code == 1
    assert "no transactions in 2021" in err
    assert run("close", "2020", "-f", str(main))[0] == 0
    code, out, err = run("summary", "2021", "--json", "-f", str(main))
    assert code == 0, err
    rows = {f["name"]: f for f in json.loads(out)["funds"]}
    assert rows["Södertörnssamarbetet drift från 2020"]["opening"] == "188431.60"
    assert rows["Södertörnssamarbetet drift"]["opening"] == "0.00"


# -- the lock of a closed year ---------------------------------------------------------------

LATE_INVOICE = (
    "\n2020-11-20 * Kontorsgiganten | Kontorsmaterial, faktura 4471\n"
    "    kostnader:drift:övriga kostnader  1 250,00 kr\n    skulder:leverantörsskulder\n"
)
TYPO_FEE = (
    "\n2012-01-29 * Swedbank | Bankavgift januari\n"
    "    kostnader:drift:övriga avgifter  12,00 kr\n    tillgångar:bank\n"
)


def hledger_check(main: Path) -> subprocess.CompletedProcess[str]:
    hledger = require_program("hledger")
    return subprocess.run(
        [hledger, "-f", str(main), "check", "--strict"], capture_output=True, text=True
    )


def test_a_transaction_booked_into_a_closed_year_is_an_error_everywhere(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    assert hledger_check(main).returncode == 0
    year = main.parent / "2020.journal"
    with year.open("a", encoding="utf-8") as handle:
        handle.write(LATE_INVOICE)
    line = year.read_text(encoding="utf-8").split("\n").index(LATE_INVOICE.split("\n")[1]) + 1
    for command in (["check"], ["check", "--strict"], ["summary", "2020"], ["accounts"]):
        code, out, err = run(*command, "-f", str(main))
        assert code == 1 and out == "", command
        assert err.startswith(
            f"{year}:{line}: 2020 is closed (bokslut:2020 at {year}:464), but this transaction "
            "dated 2020-11-20, booked after the close, changes it: "
            "kostnader:drift:övriga kostnader, skulder:leverantörsskulder\n"
        ), err
        assert "hint: book the correction in 2021, the open year, and remove this " in err
        assert err.endswith("ledger: 1 error in the books; nothing was done\n")
    done = hledger_check(main)
    assert done.returncode != 0
    assert "balance assertion" in done.stderr and "kostnader:drift:övriga kostnader" in done.stderr
    # The close itself stops at the same error, writing nothing.
    before = snapshot(main)
    code, _, err = run("close", "2020", "-f", str(main))
    assert code == 1 and "2020 is closed (bokslut:2020" in err
    assert snapshot(main) == before


def test_a_typo_date_in_a_closed_year_asks_what_was_meant(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    with (main.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(TYPO_FEE)
    for command in (["check"], ["summary", "2021"], ["close", "2021"]):
        code, out, err = run(*command, "-f", str(main))
        assert code == 1 and out == ""
        assert "this transaction is dated 2012-01-29, before the books start (2020)" in err
        assert "hint: did you mean 2021-01-29? correct the date" in err
        assert "ledger close 2012" not in err
    done = hledger_check(main)
    assert done.returncode != 0 and "balance assertion" in done.stderr


def test_books_closed_by_an_earlier_version_read_and_get_locked(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    assert run("close", "2020", "-f", str(main))[0] == 0
    locked = snapshot(main)
    year = main.parent / "2020.journal"
    make_earlier_version(year, 2020)
    earlier = snapshot(main)
    for command in (["check", "--strict"], ["summary", "2020"], ["summary", "2021"]):
        code, _, err = run(*command, "-f", str(main))
        assert code == 0, err
    # Nothing locked: a late transaction passes the checks (as it did then) …
    with year.open("a", encoding="utf-8") as handle:
        handle.write(LATE_INVOICE)
    assert run("check", "-f", str(main))[0] == 0
    year.write_bytes(earlier["2020.journal"])
    # … until the close is run again: it records the balances, as a missing step.
    code, out, err = run("close", "2020", "-f", str(main))
    assert code == 0, err
    assert f"wrote {year}: the balances at the end of 2020 recorded in its closing" in out
    assert "2020 was already closed; the missing steps are done now." in out
    after = snapshot(main)
    assert after["main.journal"] == locked["main.journal"]
    assert after["2021.journal"] == locked["2021.journal"]
    # The closing transaction as this version writes it (its comment stays the earlier one).
    assert (
        after["2020.journal"].split(b"2020-12-31 * Bokslut")[-1]
        == locked["2020.journal"].split(b"2020-12-31 * Bokslut")[-1]
    )
    assert hledger_check(main).returncode == 0
    assert run("close", "2020", "-f", str(main))[1].endswith("nothing to do.\n")
    with year.open("a", encoding="utf-8") as handle:
        handle.write(LATE_INVOICE)
    assert run("check", "-f", str(main))[0] == 1
    assert hledger_check(main).returncode != 0


def test_the_manual_shows_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manual = page("close.md")
    copy_books(tmp_path)
    books = Path("ledger")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    assert run("close", "2020")[0] == 0
    year = books / "2020.journal"
    closed = year.read_text(encoding="utf-8")
    year.write_text(closed + LATE_INVOICE, encoding="utf-8")
    for command in ("check", "summary 2020"):
        code, out, err = run(*command.split())
        assert code == 1 and out == ""
        assert_shows(manual, f"ledger {command}", err)
    year.write_text(closed, encoding="utf-8")
    new = books / "2021.journal"
    header = new.read_text(encoding="utf-8")
    new.write_text(header + TYPO_FEE, encoding="utf-8")
    code, out, err = run("check")
    assert code == 1 and out == ""
    assert_shows(manual, "ledger check", err)
    new.write_text(header, encoding="utf-8")
    code, out, err = run("fees", "2020", "--book")
    assert code == 1 and out == ""
    assert_shows(manual, "ledger fees 2020 --book", err)
    # Books an earlier version closed: the close records the balances.
    make_earlier_version(year, 2020)
    code, out, err = run("close", "2020")
    assert code == 0, err
    assert_shows(manual, "ledger close 2020", out)


def test_an_account_outside_the_balance_sheet_stops_the_close(tmp_path: Path) -> None:
    main = copy_books(tmp_path)
    year_file = main.parent / "2020.journal"
    with year_file.open("a", encoding="utf-8") as books:
        books.write(
            "\n2020-12-20 * Kaffe\n"
            "    kostnader:drift:representation    1 200,00 kr\n"
            "    tilgångar:bank\n"
        )
    before = year_file.read_bytes()
    line = len(before.decode("utf-8").splitlines())
    for dry in (["--dry-run"], []):
        code, out, err = run("close", "2020", "-f", str(main), *dry)
        assert code == 1 and out == ""
        assert err.splitlines()[0] == (
            f"{year_file}:{line}: tilgångar:bank is in no fund and of no class of the balance "
            "sheet (-1 200,00 kr at the end of 2020): the close would carry it nowhere"
        )
        assert "hint: did you mean tillgångar:bank? Correct the account's name" in err
        assert year_file.read_bytes() == before
