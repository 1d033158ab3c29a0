"""books_writer.py in one process: the snapshot, the checks before each write, backups,
atomic writes, failures that name the file, the lock and the clean-up of leftovers."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sodertorn_ledger import books_writer, fileio
from sodertorn_ledger.books_writer import (
    BUSY,
    Busy,
    Changed,
    Edit,
    Snapshot,
    WriteFailed,
    appended,
    diff,
    rehearse,
    writing,
)

NOW = dt.datetime(2026, 1, 5, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def main(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    path = folder / "main.journal"
    path.write_bytes(b"account a\ninclude 2021.journal\n")
    (folder / "2021.journal").write_bytes(b"; 2021\n")
    return path


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# -- the snapshot and the texts -----------------------------------------------------------


def test_snapshot_reads_each_file_once(main: Path) -> None:
    snapshot = Snapshot()
    assert snapshot.read(main) == b"account a\ninclude 2021.journal\n"
    main.write_bytes(b"changed\n")
    assert snapshot.read(main) == b"account a\ninclude 2021.journal\n"
    assert snapshot.read(main.parent / "none.journal") is None
    assert snapshot.paths() == [main]


def test_snapshot_text_and_edit_keep_windows_line_ends_and_any_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.journal"
    path.write_bytes(b"; caf\xe9\r\n; two\r\n")
    snapshot = Snapshot()
    text = snapshot.read_text(path)
    assert text is not None and text.endswith("\n; two\n") and "\r" not in text
    edit = snapshot.edit(path, text + "; three\n", "a line")
    assert edit.before == b"; caf\xe9\r\n; two\r\n"
    assert edit.after == b"; caf\xe9\r\n; two\r\n; three\r\n"
    new = snapshot.edit(tmp_path / "new.journal", "; one\n", "new file")
    assert new.before is None and new.after == b"; one\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"", b"T\n"),
        (b"; a\n", b"; a\n\nT\n"),
        (b"; a\n\n", b"; a\n\nT\n"),
        (b"; a", b"; a\n\nT\n"),
        (b"; a\r\n", b"; a\r\n\r\nT\r\n"),
    ],
)
def test_appended_keeps_the_bytes_and_their_line_ends(before: bytes, after: bytes) -> None:
    assert appended(before, "T\n") == after


def test_diff_of_a_new_and_a_changed_file(main: Path) -> None:
    edits = [
        Edit(main.parent / "2022.journal", None, b"; 2022\n", "new"),
        Edit(main, main.read_bytes(), main.read_bytes() + b"include 2022.journal\n", "x"),
    ]
    text = diff(edits)
    assert f"--- /dev/null\n+++ {main.parent / '2022.journal'}\n" in text
    assert "+include 2022.journal\n" in text


# -- writing --------------------------------------------------------------------------------


def test_apply_writes_in_order_with_backups(main: Path) -> None:
    year = main.parent / "2021.journal"
    edits = [
        Edit(main.parent / "2022.journal", None, b"; 2022\n", "new"),
        Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended"),
    ]
    with writing(main) as books:
        done = books.apply(edits, now=NOW)
    assert done.files == (main.parent / "2022.journal", year) and done.kept == ()
    assert year.read_bytes() == b"; 2021\nT\n"
    assert (main.parent / "2022.journal").read_bytes() == b"; 2022\n"
    backups = sorted((main.parent / ".backup").iterdir())
    assert [p.name for p in backups] == ["2021.journal.2026-01-05T060000Z"]
    assert backups[0].read_bytes() == b"; 2021\n"
    assert temp_files(main.parent) == []


def test_a_second_backup_in_the_same_second_gets_a_number(main: Path) -> None:
    year = main.parent / "2021.journal"
    with writing(main) as books:
        books.apply([Edit(year, b"; 2021\n", b"; 2021\nA\n", "a")], now=NOW)
        books.apply([Edit(year, b"; 2021\nA\n", b"; 2021\nA\nB\n", "b")], now=NOW)
    names = sorted(p.name for p in (main.parent / ".backup").iterdir())
    assert names == ["2021.journal.2026-01-05T060000Z", "2021.journal.2026-01-05T060000Z.1"]


def test_a_file_changed_since_the_plan_is_refused_and_nothing_written(main: Path) -> None:
    year = main.parent / "2021.journal"
    edits = [
        Edit(main.parent / "2022.journal", None, b"; 2022\n", "new"),
        Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended"),
    ]
    year.write_bytes(b"; 2021\n; added by someone\n")
    with writing(main) as books, pytest.raises(Changed) as caught:
        books.apply(edits)
    assert caught.value.written == ()
    assert str(caught.value) == (
        f"{year} was changed by another program while ledger was writing the books"
    )
    assert year.read_bytes() == b"; 2021\n; added by someone\n"
    assert not (main.parent / "2022.journal").exists()
    assert not (main.parent / ".backup").exists()


def test_a_new_file_made_meanwhile_is_never_replaced(main: Path) -> None:
    new = main.parent / "2022.journal"
    edit = Edit(new, None, b"; ours\n", "new")
    with writing(main) as books:
        books.snapshot.read(new)
        new.write_bytes(b"; theirs\n")
        with pytest.raises(Changed, match=r"2022\.journal was created by another program"):
            books.apply([edit])
    assert new.read_bytes() == b"; theirs\n"
    assert temp_files(main.parent) == []


def test_a_file_changed_between_two_writes_stops_the_rest(
    main: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second file changes after the check of every file and before its own write.
    year = main.parent / "2021.journal"
    edits = [
        Edit(main, main.read_bytes(), main.read_bytes() + b"; x\n", "main"),
        Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended"),
    ]
    real = fileio.write_temp

    def write_temp(path: Path, data: bytes) -> Path:
        if path == year:
            year.write_bytes(b"; 2021 edited\n")
        return real(path, data)

    monkeypatch.setattr("sodertorn_ledger.books_writer.write_temp", write_temp)
    with writing(main) as books, pytest.raises(Changed) as caught:
        books.apply(edits)
    assert caught.value.written == (main,)
    assert books_writer.stopped(caught.value.written) == f"stopped after writing {main}"
    assert year.read_bytes() == b"; 2021 edited\n"
    assert temp_files(main.parent) == []
    # main.journal's copy stays (it was replaced); 2021.journal's, which was not, is gone.
    assert [p.name.split(".")[0] for p in (main.parent / ".backup").iterdir()] == ["main"]


def test_a_file_changed_after_its_backup_leaves_no_backup(
    main: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Changed after its copy went to .backup/ and before the replace: nothing was changed,
    # so nothing is left, not even the folder the copy made.
    year = main.parent / "2021.journal"
    real = fileio.write_temp

    def write_temp(path: Path, data: bytes) -> Path:
        if path == year:
            assert len(list((main.parent / ".backup").iterdir())) == 1  # the copy is made
            year.write_bytes(b"; 2021 edited\n")
        return real(path, data)

    monkeypatch.setattr("sodertorn_ledger.books_writer.write_temp", write_temp)
    with writing(main) as books, pytest.raises(Changed) as caught:
        books.apply([Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended")])
    assert caught.value.written == ()
    assert year.read_bytes() == b"; 2021 edited\n"
    assert not (main.parent / ".backup").exists()
    assert temp_files(main.parent) == []


def test_what_another_program_appends_in_the_last_instant_is_kept(
    main: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A program that opened the old file just before the rename writes into it after the
    # check: its line is copied to the end of the new file, not dropped with the old one.
    year = main.parent / "2021.journal"
    real = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == year:
            with year.open("ab") as late:
                real(source, target)
                late.write(b"; appended late\n")
            return
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with writing(main) as books:
        done = books.apply([Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended")])
    assert done.kept == (year,)
    assert year.read_bytes() == b"; 2021\nT\n; appended late\n"


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")],
)
def test_a_write_that_fails_names_the_file_and_leaves_no_temp_file(
    main: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    year = main.parent / "2021.journal"
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(code, os.strerror(code))
        real(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the temp file's descriptor")
    monkeypatch.setattr(os, "fsync", fsync)
    edit = Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended")
    with writing(main) as books, pytest.raises(WriteFailed) as caught:
        books.apply([edit], now=NOW)
    backup = main.parent / ".backup" / "2021.journal.2026-01-05T060000Z"
    assert str(caught.value) == f"cannot write {backup}: {reason}"
    assert caught.value.written == ()
    assert year.read_bytes() == b"; 2021\n"
    assert temp_files(main.parent) == []

    # With the backup written, the journal's own temp file is the one that fails.
    monkeypatch.setattr(os, "fsync", real)

    def write_temp(path: Path, data: bytes) -> Path:
        if path == year:
            monkeypatch.setattr(os, "fsync", fsync)
        return fileio.write_temp(path, data)

    monkeypatch.setattr("sodertorn_ledger.books_writer.write_temp", write_temp)
    with writing(main) as books, pytest.raises(WriteFailed) as caught:
        books.apply([edit], now=NOW)
    assert str(caught.value) == f"cannot write {year}: {reason}"
    assert year.read_bytes() == b"; 2021\n"
    assert temp_files(main.parent) == []


# -- the lock ---------------------------------------------------------------------------------


def test_a_second_writer_is_busy_until_the_first_is_done(main: Path) -> None:
    with writing(main):
        with pytest.raises(Busy) as caught, writing(main):
            pass
        assert str(caught.value) == BUSY
    with writing(main):  # released
        pass
    assert (main.parent / ".ledger.lock").is_file()


def test_a_folder_that_cannot_be_written_plans_without_the_lock(
    main: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import filelock

    class ReadOnly:
        """A lock whose file cannot be made, as on a read-only mount."""

        def __init__(self, path: str, timeout: float) -> None:
            self.path = path

        def acquire(self) -> None:
            raise OSError(errno.EROFS, "Read-only file system", self.path)

    monkeypatch.setattr(filelock, "FileLock", ReadOnly)
    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    year = main.parent / "2021.journal"
    with writing(main) as books:
        assert books.snapshot.read_text(year) == "; 2021\n"
        assert books.apply([]).files == ()
        with pytest.raises(WriteFailed) as caught:
            books.apply([Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended")])
    assert str(caught.value) == f"cannot write {year}: Read-only file system"
    assert not (main.parent / ".backup").exists()


def test_the_next_writer_removes_a_killed_runs_leftovers(
    main: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    folder = main.parent
    backups = folder / ".backup"
    backups.mkdir()
    leftovers = [
        folder / ".2021.journal.ab12cd_9.tmp",
        folder / ".main.journal.zz00zz00.tmp",
        backups / ".2021.journal.2026-01-05T060000Z.k3j4l5m6.tmp",
    ]
    kept = [
        folder / ".sammanstallning-2020.xlsx.ab12cd34.tmp",  # `ledger export`'s, maybe running
        folder / "notes.journal.tmp",
        backups / "2021.journal.2026-01-05T060000Z",
    ]
    for path in leftovers + kept:
        path.write_bytes(b"x")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    killed = Path(tempfile.mkdtemp(prefix=f"ledger-rehearsal-{gone}-"))
    (killed / "main.journal").write_bytes(b"x")
    running = Path(tempfile.mkdtemp(prefix=f"ledger-rehearsal-{os.getpid()}-"))  # a dry run
    old = Path(tempfile.mkdtemp(prefix="ledger-close-"))
    recent = Path(tempfile.mkdtemp(prefix="ledger-close-"))
    os.utime(old, (0, 0))
    with writing(main):
        pass
    assert [p for p in leftovers if p.exists()] == []
    assert all(p.exists() for p in kept)
    assert not killed.exists() and not old.exists()
    assert running.exists() and recent.exists()


def test_rehearse_works_on_a_copy_and_removes_it(
    main: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    year = main.parent / "2021.journal"
    snapshot = Snapshot()
    snapshot.read(year)
    year.write_bytes(b"; changed after the plan read it\n")
    edit = Edit(year, b"; 2021\n", b"; 2021\nT\n", "appended")
    seen: dict[str, bytes] = {}

    def check(copy: Path) -> int:
        assert copy.name == "main.journal" and copy != main
        seen.update({p.name: p.read_bytes() for p in copy.parent.iterdir()})
        return 7

    assert rehearse(main, snapshot, [str(main), str(year)], [edit], check) == 7
    assert seen == {"main.journal": main.read_bytes(), "2021.journal": b"; 2021\nT\n"}
    assert list(temp.iterdir()) == []
    assert year.read_bytes() == b"; changed after the plan read it\n"
