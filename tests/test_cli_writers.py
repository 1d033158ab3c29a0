"""The commands that write the books, as real processes at the same time: two `fees
--book`, a program appending to the year's journal while `fees --book` runs, two closes,
a close and a `fees --book`; SIGKILL at every checkpoint of `fees --book`; a read-only
folder and a full disk. Each race is tried many times on a fresh copy of the books."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from conftest import require_program
from sodertorn_ledger.books_writer import BUSY, KILL_ENV, LOCK_FILE, writing
from sodertorn_ledger.cli import app

BUNDLED = Path(__file__).resolve().parent.parent / "ledger"
TRIES = 20
MEMBERS = ["0127", "0136", "0126", "0140", "0192", "0128", "0181", "0138"]
BOOK_2021 = ("fees", "2021", "--book", "--date", "2021-01-29")
BUSY_LINE = f"ledger: {BUSY}; nothing was written\n"
REFUSED_2020 = "ledger: refused to book the fees of 2020; nothing was written\n"
runner = CliRunner()


class Done(NamedTuple):
    code: int
    out: str
    err: str


def run(*args: str) -> Done:
    result = runner.invoke(app, list(args))
    return Done(result.exit_code, result.stdout, result.stderr)


def environment(temp: Path, kill_at: int | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != KILL_ENV}
    env["TMPDIR"] = str(temp)
    if kill_at is not None:
        env[KILL_ENV] = str(kill_at)
    return env


def start(main: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sodertorn_ledger", *args, "-f", str(main)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(process: subprocess.Popen[str]) -> Done:
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    return Done(process.returncode, out, err)


def at_once(main: Path, temp: Path, *commands: tuple[str, ...]) -> list[Done]:
    """Start every command before waiting for any."""
    env = environment(temp)
    processes = [start(main, *args, env=env) for args in commands]
    return [finish(p) for p in processes]


def copy_books(source: Path, folder: Path) -> Path:
    """A copy of the books' folder of `source` (no backups, no lock file)."""
    shutil.copytree(
        source.parent, folder / "ledger", ignore=shutil.ignore_patterns(".backup", LOCK_FILE)
    )
    return folder / "ledger" / "main.journal"


def state(main: Path) -> dict[str, bytes]:
    """Every file of the books' folder but the backups and the lock file, temp files too."""
    root = main.parent
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and ".backup" not in p.relative_to(root).parts
        and p.relative_to(root) != Path(LOCK_FILE)
    }


def leftovers(main: Path, temp: Path) -> list[str]:
    """Temp files beside the books or among the backups, rehearsal folders."""
    found = ["temp file" for p in main.parent.glob(".*.tmp")]
    found += ["backup's temp file" for p in (main.parent / ".backup").glob(".*.tmp")]
    return found + ["rehearsal folder" for _ in temp.glob("ledger-rehearsal-*")]


def backups(main: Path) -> list[Path]:
    folder = main.parent / ".backup"
    return (
        sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []
    )


def invoices(main: Path, year: int) -> Counter[str]:
    """How many invoices of `year` each member has in YEAR.journal."""
    text = (main.parent / f"{year}.journal").read_text(encoding="utf-8")
    return Counter(re.findall(rf"; avgift:{year}, kommun:(\d{{4}})", text))


def check_strict(main: Path) -> None:
    done = run("check", "--strict", "-f", str(main))
    assert done.code == 0, done.err


def hledger_check_strict(main: Path) -> None:
    hledger = require_program("hledger")
    done = subprocess.run([hledger, "-f", str(main), "check", "--strict"], capture_output=True)
    assert done.returncode == 0, done.stderr


def fresh_temp(tmp_path: Path, name: str) -> Path:
    temp = tmp_path / name
    temp.mkdir()
    return temp


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled books with 2020 closed, so ledger/2021.journal exists and is included."""
    main = copy_books(BUNDLED / "main.journal", tmp_path_factory.mktemp("closed"))
    done = run("close", "2020", "-f", str(main))
    assert done.code == 0, done.err
    return main


@pytest.fixture(scope="module")
def invoice_text(closed: Path) -> str:
    """What `fees 2021 --book --date 2021-01-29` appends to the closed books."""
    done = run(*BOOK_2021, "--dry-run", "-f", str(closed))
    assert done.code == 0, done.err
    return done.out


# -- two writers at once ---------------------------------------------------------------------


def test_two_fees_book_at_once_invoice_every_member_once(closed: Path, tmp_path: Path) -> None:
    losers: Counter[str] = Counter()
    for n in range(TRIES):
        main = copy_books(closed, tmp_path / f"try{n}")
        temp = fresh_temp(tmp_path, f"temp{n}")
        results = at_once(main, temp, BOOK_2021, BOOK_2021)
        booked = [r for r in results if r.code == 0 and "Booked 8 invoices for 2021" in r.out]
        assert len(booked) == 1, results
        [other] = [r for r in results if r is not booked[0]]
        if other.code == 1:
            assert other.err == BUSY_LINE
            losers["busy"] += 1
        else:
            assert other.code == 0 and other.out == (
                "Every member is already invoiced for 2021; nothing was booked.\n"
            )
            losers["already invoiced"] += 1
        assert invoices(main, 2021) == dict.fromkeys(MEMBERS, 1), n
        check_strict(main)
        assert leftovers(main, temp) == []
    hledger_check_strict(main)
    # The runs did overlap: a loser found the books busy.
    assert losers["busy"] >= 1, losers


APPENDER = """
import os, sys, time
path, tag, delay, count, stop = sys.argv[1:]
time.sleep(float(delay))
i = 0
while i < int(count) or int(count) == 0 and not os.path.exists(stop):
    with open(path, "a", encoding="utf-8") as journal:  # opened anew, as `>>` does
        journal.write(f"; {tag} {i}\\n")
    i += 1
    time.sleep(0.002)
print(i)
"""


def test_lines_another_program_appends_while_fees_book_runs_are_never_lost(
    closed: Path, invoice_text: str, tmp_path: Path
) -> None:
    original = (closed.parent / "2021.journal").read_text(encoding="utf-8")
    outcomes: Counter[str] = Counter()
    for n in range(TRIES):
        main = copy_books(closed, tmp_path / f"try{n}")
        temp = fresh_temp(tmp_path, f"temp{n}")
        journal = main.parent / "2021.journal"
        stop = tmp_path / f"stop{n}"
        # Every fifth try, appending from before the run starts until it ends; the others
        # a burst of lines, from during the run to after it.
        count, delay = (0, 0.0) if n % 5 == 0 else (30, 0.04 * (n % 5))
        appender = subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(journal), f"appended-{n}", str(delay),
             str(count), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        while count == 0 and journal.read_text(encoding="utf-8") == original:
            assert appender.poll() is None
            time.sleep(0.001)
        done = finish(start(main, *BOOK_2021, env=environment(temp)))
        stop.touch()
        out, _ = appender.communicate(timeout=60)
        assert appender.returncode == 0
        lines = [f"; appended-{n} {i}\n" for i in range(int(out))]
        text = journal.read_text(encoding="utf-8")
        found = text.splitlines(keepends=True)
        assert Counter(line for line in found if line in lines) == Counter(lines), n
        without = "".join(line for line in found if line not in lines)
        if done.code == 0:
            assert "Booked 8 invoices for 2021" in done.out
            assert without == original + "\n" + invoice_text
            assert invoices(main, 2021) == dict.fromkeys(MEMBERS, 1)
            outcomes["booked"] += 1
        else:
            assert done.code == 1
            assert done.err == (
                f"ledger: {journal} was changed by another program while ledger was writing "
                "the books; nothing was changed\n"
            )
            assert without == original and not invoices(main, 2021)
            assert not (main.parent / ".backup").exists()
            outcomes["refused"] += 1
        check_strict(main)
        assert leftovers(main, temp) == []
    hledger_check_strict(main)
    # The appender did change the journal between a run's reading and its writing.
    assert outcomes["refused"] >= TRIES // 5, outcomes


def test_two_closes_at_once_close_once(tmp_path: Path) -> None:
    reference = copy_books(BUNDLED / "main.journal", tmp_path / "reference")
    assert run("close", "2020", "-f", str(reference)).code == 0
    closed_state = state(reference)
    losers: Counter[str] = Counter()
    for n in range(TRIES):
        main = copy_books(BUNDLED / "main.journal", tmp_path / f"try{n}")
        temp = fresh_temp(tmp_path, f"temp{n}")
        results = at_once(main, temp, ("close", "2020"), ("close", "2020"))
        closers = [r for r in results if r.code == 0 and "Closed 2020." in r.out]
        assert len(closers) == 1, results
        [other] = [r for r in results if r is not closers[0]]
        if other.code == 1:
            assert other.err == BUSY_LINE and other.out == ""
            losers["busy"] += 1
        else:
            assert other.code == 0
            assert "2020 is already closed and agrees with the books; nothing to do." in other.out
            losers["already closed"] += 1
        assert state(main) == closed_state, n
        assert [p.name.split(".journal.")[0] for p in backups(main)] == ["2020", "main"]
        assert leftovers(main, temp) == []
    assert losers["busy"] >= 1, losers


def test_a_close_and_a_fees_book_at_once_both_land_one_is_busy_or_2020_is_closed(
    tmp_path: Path,
) -> None:
    template = copy_books(BUNDLED / "main.journal", tmp_path / "template")
    year = template.parent / "2020.journal"
    # Nykvarn's invoice loses its fee tag: `fees 2020 --book` books one invoice.
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("; avgift:2020, kommun:0140", "; kommun:0140"), encoding="utf-8")
    book = ("fees", "2020", "--book", "--date", "2020-12-30")
    outcomes: Counter[str] = Counter()
    for n in range(TRIES):
        main = copy_books(template, tmp_path / f"try{n}")
        temp = fresh_temp(tmp_path, f"temp{n}")
        closing, fees = at_once(main, temp, ("close", "2020"), book)
        closed = closing.code == 0
        booked = fees.code == 0
        # The close first, the fees after it: 2020 is closed, so the invoice is refused.
        refused = fees.code == 1 and fees.err.endswith(REFUSED_2020)
        assert closed or closing.err == BUSY_LINE, closing
        assert booked or refused or fees.err == BUSY_LINE, fees
        assert closed or booked
        assert not refused or closed
        if closed:
            assert "Closed 2020." in closing.out
        if booked:
            assert "Booked 1 invoice for 2020" in fees.out
        written = (main.parent / "2020.journal").read_text(encoding="utf-8")
        assert written.count("; bokslut:2020") == closed, n
        assert written.count("; avgift:2020, kommun:0140") == booked, n
        check_strict(main)
        assert leftovers(main, temp) == []
        outcomes["both" if closed and booked else "refused" if refused else "one busy"] += 1
    assert outcomes["one busy"] + outcomes["refused"] >= 1, outcomes


def test_fees_book_while_another_writer_holds_the_lock(closed: Path, tmp_path: Path) -> None:
    main = copy_books(closed, tmp_path)
    before = state(main)
    with writing(main):
        done = run(*BOOK_2021, "-f", str(main))
        assert (done.code, done.out, done.err) == (1, "", BUSY_LINE)
        done = run(*BOOK_2021, "--dry-run", "-f", str(main))  # a dry run needs no lock
        assert done.code == 0 and done.out.count("avgift:2021") == 8
    assert state(main) == before
    assert run(*BOOK_2021, "-f", str(main)).code == 0


# -- crashes -----------------------------------------------------------------------------------


Files = dict[str, bytes]


class Kills(NamedTuple):
    states: list[str]
    """The state the books were left in by the kill at each checkpoint, in order."""
    left: list[list[str]]
    """What each kill left behind (temp files, rehearsal folders) until the next run."""
    last: Path
    """The books of the last try, the one that ran to the end."""


def kill_at_every_checkpoint(
    source: Path,
    command: tuple[str, ...],
    tmp_path: Path,
    named: Callable[[Files, Files], dict[str, Files]],
    after_kill: Callable[[Path, Files], None] | None = None,
) -> Kills:
    """Run `command` on a copy of the books of `source` once to the end, then again on a
    fresh copy killed (SIGKILL) at each of its checkpoints in turn, until a run gets past
    the last one. After each kill the books must be exactly one of the states `named`
    gives (from the books before and after a whole run), read with `check --strict`, and
    the next run must finish the work to the same books as a whole run, leaving nothing
    behind."""
    reference = copy_books(source, tmp_path / "reference")
    before = state(reference)
    done = finish(start(reference, *command, env=environment(fresh_temp(tmp_path, "t"))))
    assert done.code == 0, done.err
    after = state(reference)
    assert after != before
    states = named(before, after)

    kills = Kills([], [], reference)
    for step in range(1, 60):
        main = copy_books(source, tmp_path / f"kill{step}")
        temp = fresh_temp(tmp_path, f"temp{step}")
        done = finish(start(main, *command, env=environment(temp, kill_at=step)))
        if done.code == 0:
            assert state(main) == after
            return kills._replace(last=main)
        assert done.code == -signal.SIGKILL, done.err
        kills.left.append(leftovers(main, temp))
        now = {k: v for k, v in state(main).items() if not k.endswith(".tmp")}
        found = [name for name, files in states.items() if files == now]
        assert len(found) == 1, f"the books after a kill at step {step} are in no known state"
        kills.states.append(found[0])
        if after_kill:
            after_kill(main, before)
        check_strict(main)
        again = finish(start(main, *command, env=environment(temp)))
        assert again.code == 0, again.err
        assert state(main) == after, f"the re-run after a kill at step {step}"
        assert leftovers(main, temp) == [], f"the re-run after a kill at step {step}"
    raise AssertionError("the command was killed at 59 checkpoints and never got past them")


def test_sigkill_at_every_checkpoint_of_fees_book(closed: Path, tmp_path: Path) -> None:
    def backups_hold_the_books_before(main: Path, before: Files) -> None:
        for path in backups(main):
            assert path.read_bytes() == before["2021.journal"]

    kills = kill_at_every_checkpoint(
        closed,
        BOOK_2021,
        tmp_path,
        lambda before, after: {"before": before, "after": after},
        backups_hold_the_books_before,
    )
    # Checkpoints: the rehearsal's copy made, the backup's temp file written, the backup
    # in place, the journal's temp file written, the journal in place.
    assert kills.states == ["before"] * 4 + ["after"]
    assert kills.left == [["rehearsal folder"], ["backup's temp file"], [], ["temp file"], []]


def test_sigkill_at_every_checkpoint_of_fees_book_opening_the_year(tmp_path: Path) -> None:
    # No ledger/2021.journal yet: fees --book makes it, includes it, then books into it.
    from sodertorn_ledger.close import render_next_year

    header = render_next_year(2021, "Södertörnssamarbetet").encode("utf-8")

    def named(before: Files, after: Files) -> dict[str, Files]:
        # The books mean what they meant, or the year is open and empty (as a close
        # leaves it), or the invoices are booked.
        assert "2021.journal" not in before
        return {
            "before": before,
            "file made, not included": {**before, "2021.journal": header},
            "opened": {**after, "2021.journal": header},
            "after": after,
        }

    kills = kill_at_every_checkpoint(BUNDLED / "main.journal", BOOK_2021, tmp_path, named)
    # Checkpoints: the rehearsal's copy made; the new file's temp file written and the
    # file in place; main.journal's backup (temp file, in place) and main.journal (temp
    # file, in place); then the new file's backup and the new file again, with invoices.
    assert kills.states == (
        ["before"] * 2 + ["file made, not included"] * 4 + ["opened"] * 4 + ["after"]
    )
    assert kills.left == [
        ["rehearsal folder"], ["temp file"], [], ["backup's temp file"], [], ["temp file"],
        [], ["backup's temp file"], [], ["temp file"], [],
    ]  # fmt: skip
    hledger_check_strict(kills.last)


def july_to_june(path: Path) -> Path:
    """An SIE file of a fiscal year July 2020 to June 2021: a voucher in each year."""
    from decimal import Decimal

    from sodertorn_ledger.sie import FiscalYear, Row, SieFile, Voucher, write_sie

    def voucher(number: str, day: dt.date) -> Voucher:
        rows = (Row("5010", (), Decimal("100.00")), Row("1930", (), Decimal("-100.00")))
        return Voucher("L", number, day, "Löner", rows)

    sie = SieFile(
        program="Lönesystemet",
        generated=dt.date(2021, 7, 5),
        orgnr="212000-0142",
        company_name="Värdkommunen",
        years={0: FiscalYear(dt.date(2020, 7, 1), dt.date(2021, 6, 30))},
        vouchers=(voucher("1", dt.date(2020, 11, 25)), voucher("2", dt.date(2021, 2, 25))),
    )
    data, problems = write_sie(sie, str(path))
    assert data is not None, problems
    path.write_bytes(data)
    return path


def test_sigkill_at_every_checkpoint_of_an_import_into_two_years(tmp_path: Path) -> None:
    # 2020.journal gets a voucher; 2021.journal is made, included, and gets the other.
    from sodertorn_ledger.close import render_next_year

    file = july_to_june(tmp_path / "lon.se")
    header = render_next_year(2021, "Södertörnssamarbetet").encode("utf-8")

    def named(before: Files, after: Files) -> dict[str, Files]:
        # The books mean what they meant, or 2021 is open and empty (as a close leaves
        # it), or one year's voucher is booked and the other's not yet: the next run books
        # the other, and only that one.
        made = {**before, "2021.journal": header}
        opened = {**made, "main.journal": after["main.journal"]}
        return {
            "before": before,
            "made": made,
            "opened": opened,
            "2020 booked": {**opened, "2020.journal": after["2020.journal"]},
            "after": after,
        }

    order = ["before", "made", "opened", "2020 booked", "after"]
    kills = kill_at_every_checkpoint(
        BUNDLED / "main.journal", ("import", str(file)), tmp_path, named
    )
    assert kills.states == sorted(kills.states, key=order.index)
    assert set(kills.states) == set(order)
    hledger_check_strict(kills.last)


# -- files that cannot be written --------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _cannot(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (needed in CI)")
    pytest.skip(reason)


@contextmanager
def read_only(folder: Path) -> Iterator[list[str]]:
    """A command prefix under which `folder` cannot be written: a read-only bind mount in
    a mount namespace of its own for root (whom permissions do not stop), else the
    folder's write bits taken away."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield []
        finally:
            folder.chmod(mode)
        return
    unshare = require_program("unshare")
    prefix = [
        unshare, "-m", "sh", "-c",
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
        "sh", str(folder),
    ]  # fmt: skip
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        _cannot(f"cannot mount a read-only folder here: {probe.stderr.strip()}")
    yield prefix


def run_in(prefix: list[str], main: Path, *args: str) -> Done:
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "sodertorn_ledger", *args, "-f", str(main)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != KILL_ENV},
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Done(done.returncode, done.stdout, done.stderr)


def test_a_read_only_folder(closed: Path, tmp_path: Path) -> None:
    main = copy_books(closed, tmp_path / "closed")  # no lock file, no .backup folder
    open_books = copy_books(BUNDLED / "main.journal", tmp_path / "open")
    booked = copy_books(closed, tmp_path / "booked")
    assert run(*BOOK_2021, "-f", str(booked)).code == 0
    (booked.parent / LOCK_FILE).unlink()
    shutil.rmtree(booked.parent / ".backup")
    reasons = ("Read-only file system", "Permission denied")
    for books in (main, open_books, booked):
        before = sorted(p.name for p in books.parent.iterdir())
        with read_only(books.parent) as prefix:
            if books is main:
                # Closed books: nothing to write, so no lock and no backup folder needed.
                done = run_in(prefix, books, "close", "2020")
                assert done.code == 0, done.err
                assert (
                    "2020 is already closed and agrees with the books; nothing to do." in done.out
                )
                done = run_in(prefix, books, "close", "2020", "--json")
                assert done.code == 0 and '"files": []' in done.out
                # Something to write: the file that cannot be written is named.
                done = run_in(prefix, books, *BOOK_2021)
                target = books.parent / "2021.journal"
            elif books is booked:
                done = run_in(prefix, books, *BOOK_2021)
                assert done.code == 0, done.err
                assert "Every member is already invoiced for 2021" in done.out
                continue
            else:
                done = run_in(prefix, books, "close", "2020")
                target = books.parent / "2021.journal"
            assert done.code == 1 and done.out == ""
            assert any(
                done.err == f"ledger: cannot write {target}: {reason}; nothing was changed\n"
                for reason in reasons
            ), done.err
        assert sorted(p.name for p in books.parent.iterdir()) == before


FULL_DISK = r"""
set -e
mount -t tmpfs -o size=1m tmpfs "$1"
cp -a "$2"/. "$1"/
dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null || true
set +e
"$4" -m sodertorn_ledger fees 2021 --book --date 2021-01-29 -f "$1/ledger/main.journal"
status=$?
rm "$1/filler"
cp -a "$1"/. "$3"/
exit $status
"""


def test_a_full_disk_names_the_file_and_changes_nothing(closed: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    unshare = require_program("unshare")
    source = copy_books(closed, tmp_path / "source").parent.parent
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", FULL_DISK, "sh", str(disk), str(source), str(out),
         sys.executable],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != KILL_ENV},
        timeout=120,
    )  # fmt: skip
    if "mount:" in done.stderr:
        _cannot(f"cannot mount a small file system here: {done.stderr.strip()}")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    backup = re.escape(str(disk / "ledger" / ".backup" / "2021.journal."))
    assert re.fullmatch(
        rf"ledger: cannot write {backup}\S+: No space left on device; nothing was changed\n",
        done.stderr,
    ), done.stderr
    journal = "ledger/2021.journal"
    assert (out / journal).read_bytes() == (source / journal).read_bytes()
    assert list(out.rglob("*.tmp")) == []


# -- messages of failed writes, in one process ---------------------------------------------------


@pytest.fixture
def disk_full_for(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Names of files whose temp file cannot be flushed: ENOSPC, as on a full disk."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell a temp file's descriptor")
    names: set[str] = set()
    real = os.fsync

    def fsync(fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if any(re.fullmatch(rf"\.{re.escape(n)}\.[a-z0-9_]{{8}}\.tmp", name) for n in names):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    yield names


def test_a_full_disk_while_booking_names_the_journal(
    closed: Path, tmp_path: Path, disk_full_for: set[str]
) -> None:
    main = copy_books(closed, tmp_path)
    before = state(main)
    disk_full_for.add("2021.journal")
    done = run(*BOOK_2021, "-f", str(main))
    assert (done.code, done.out) == (1, "")
    assert done.err == (
        f"ledger: cannot write {main.parent / '2021.journal'}: No space left on device; "
        "nothing was changed\n"
    )
    assert state(main) == before


def test_a_full_disk_midway_through_the_close_names_what_was_written(
    tmp_path: Path, disk_full_for: set[str]
) -> None:
    main = copy_books(BUNDLED / "main.journal", tmp_path)
    disk_full_for.add("2020.journal")
    done = run("close", "2020", "-f", str(main))
    assert (done.code, done.out) == (1, "")
    folder = main.parent
    assert done.err == (
        f"ledger: cannot write {folder / '2020.journal'}: No space left on device; stopped "
        f"after writing {folder / '2021.journal'}, {main} (the next run completes the close)\n"
    )
    disk_full_for.clear()
    done = run("close", "2020", "-f", str(main))
    assert done.code == 0 and "Closed 2020." in done.out, done.err
