"""Every write to the books: one writer at a time, and no update lost.

A command that changes the books (`close`, `fees --book` and any later one) plans its
edits from the books as they are and hands them here:

- **One writer at a time.** `writing(main)` holds the books' lock, ``.ledger.lock``
  beside the main journal, from the first read of the plan to the last write; a second
  writer stops at once with Busy instead of planning from files the first one is about
  to replace.
- **No update lost.** An `Edit` carries the exact bytes it was planned from (`Snapshot`
  keeps them as the plan reads). Before anything is written, and again just before each
  file is replaced, the file must still hold those bytes; if another program changed it,
  the run stops with Changed. What another program appends to the old file in the
  instant between that check and the rename is copied to the end of the new file.
- **Whole files.** Each file goes to a temp file beside it, flushed to disk, then is
  renamed over the old one and the folder flushed; a new file is linked into place, so
  it never replaces one made meanwhile. A copy of each changed file goes to ``.backup/``
  first. A failure removes its temp file; a killed run's leftovers (temp files beside the
  books and in ``.backup/``, under the lock; rehearsal folders whose process is gone) are
  removed by the next writer.
- **Rehearsed.** `rehearse` applies the edits to a copy of the books in a temp folder, so
  the command can check the result before the books are touched.

In a folder that cannot be written (a read-only mount), `writing` plans without the lock:
a command with nothing to write succeeds, and `apply` raises WriteFailed at once.

For the crash tests, ``SODERTORN_KILL_AT=N`` makes the process kill itself with SIGKILL
at the Nth checkpoint: once the rehearsal's copy is made, and for each file once its
backup's temp file is written, once the backup is in place, once the file's own temp file
is written and once it is replaced. It is read only here and does nothing when unset.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from sodertorn_ledger.fileio import fsync_dir, write_temp

if TYPE_CHECKING:
    from sodertorn_ledger.close import OpenYear
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.problems import Problem

KILL_ENV = "SODERTORN_KILL_AT"
LOCK_FILE = ".ledger.lock"
BACKUP_FOLDER = ".backup"
BUSY = "the books are busy: another ledger command is writing them"
KEPT = (
    "another program appended to it while ledger wrote it; what it appended is kept, "
    "at the end of the file"
)
REHEARSAL_PREFIX = "ledger-rehearsal-"
"""A rehearsal folder in the temp folder is named ledger-rehearsal-PID-…, for its process."""
OLD_REHEARSAL_PREFIX = "ledger-close-"
"""The rehearsal folders of earlier versions (`ledger close` only)."""
OLD_REHEARSAL_AGE = 3600.0
"""Seconds after which such a folder is surely a killed run's, not a running one's."""
JOURNAL_SUFFIXES = (".journal", ".hledger", ".ledger", ".j")
"""A temp file beside the books is ours to remove only if it was to become a journal."""

_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
"""What `fileio.write_temp` names a temp file (tempfile's eight random characters)."""
_NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})
_LATE_ROUNDS = 5
_LATE_PAUSE = 0.005
"""While another program goes on appending to a replaced file, look a few times more, a
moment apart, so its writes that were already on their way are kept too."""

T = TypeVar("T")


class Edit(NamedTuple):
    """One file to write: its exact bytes when the edit was planned (None: a new file),
    the bytes to write, and what changes, for the user."""

    path: Path
    before: bytes | None
    after: bytes
    what: str


class Written(NamedTuple):
    """What `Books.apply` wrote."""

    files: tuple[Path, ...]
    """The files written, in order (backups not included)."""
    kept: tuple[Path, ...] = ()
    """Files another program appended to while they were replaced: what it appended is at
    the end of the new file."""


class Busy(Exception):
    """Another ledger command holds the books' lock."""

    def __init__(self) -> None:
        super().__init__(BUSY)


class Changed(Exception):
    """A file no longer holds the bytes its edit was planned from; nothing more is written.
    `written`: the files written before it (the close writes several, in order)."""

    def __init__(self, path: Path, *, created: bool, written: Sequence[Path] = ()) -> None:
        self.path = path
        self.written = tuple(written)
        how = "created" if created else "changed"
        super().__init__(f"{path} was {how} by another program while ledger was writing the books")


class WriteFailed(Exception):
    """A file could not be written (read-only, disk full, …); `written`: the files written
    before it."""

    def __init__(self, path: Path, reason: str, written: Sequence[Path] = ()) -> None:
        self.path = path
        self.reason = reason
        self.written = tuple(written)
        super().__init__(f"cannot write {path}: {reason}")


def stopped(written: Sequence[Path]) -> str:
    """The end of a refusal's message: what the run had written when it stopped."""
    if not written:
        return "nothing was changed"
    return "stopped after writing " + ", ".join(map(str, written))


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


# -- reading -----------------------------------------------------------------------------


def _text(data: bytes) -> str:
    # Line ends read as "\n", as Python reads text; bytes that are not UTF-8 come back
    # unchanged when the text is encoded again (a plan never fails on them).
    return data.decode("utf-8", "surrogateescape").replace("\r\n", "\n").replace("\r", "\n")


class Snapshot:
    """The books' files as one plan read them: each file's exact bytes, read once.

    A command reads the files it will edit here before it loads the books, so the plan,
    the books it was made from and the check before writing all see the same bytes.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, bytes | None] = {}

    def read(self, path: Path) -> bytes | None:
        """The file's bytes as first read (None: it did not exist). Raises OSError."""
        key = os.path.abspath(path)
        if key not in self._seen:
            try:
                self._seen[key] = Path(key).read_bytes()
            except FileNotFoundError:
                self._seen[key] = None
        return self._seen[key]

    def read_text(self, path: Path) -> str | None:
        """The file's text (line ends as ``\\n``), None when it does not exist."""
        data = self.read(path)
        return None if data is None else _text(data)

    def paths(self) -> list[Path]:
        """Every file read that exists."""
        return [Path(key) for key, data in self._seen.items() if data is not None]

    def edit(self, path: Path, after: str, what: str) -> Edit:
        """An edit from a plan's text: planned from the bytes read here, written in the
        file's own line ends (a file kept with Windows line ends keeps them)."""
        before = self.read(path)
        if before is not None and b"\r\n" in before:
            after = after.replace("\n", "\r\n")
        return Edit(path, before, after.encode("utf-8", "surrogateescape"), what)


def appended(before: bytes, text: str) -> bytes:
    """`before` unchanged, then `text` (lines ending in ``\\n``) after a blank line, in
    `before`'s own line ends."""
    newline = b"\r\n" if b"\r\n" in before else b"\n"
    if not before or before.endswith(newline * 2):
        separator = b""
    elif before.endswith(newline):
        separator = newline
    else:
        separator = newline * 2
    return before + separator + text.replace("\n", newline.decode()).encode("utf-8")


def diff(edits: Iterable[Edit]) -> str:
    """The edits as one unified diff (what a dry run prints)."""
    import difflib

    parts = []
    for edit in edits:
        before = _text(edit.before or b"").splitlines(keepends=True)
        after = _text(edit.after).splitlines(keepends=True)
        old = "/dev/null" if edit.before is None else str(edit.path)
        parts.append("".join(difflib.unified_diff(before, after, old, str(edit.path))))
    return "".join(parts)


class Appending(NamedTuple):
    """Transactions appended to the journals of their years (`plan_appends`)."""

    edits: tuple[Edit, ...]
    """Each file as it ends up, one edit a file: for `rehearse` and a dry run's `diff`."""
    steps: tuple[tuple[Edit, ...], ...]
    """The edits in the order `Books.apply_steps` writes them."""
    opened: tuple[OpenYear, ...]
    """Each year appended to, and what opening it takes (`OpenYear.done`: nothing)."""
    problems: tuple[Problem, ...]
    """Non-empty: a year's file is there but not the books' (nothing may be written)."""


def plan_appends(
    snapshot: Snapshot,
    journal: Journal,
    organisation: str,
    texts: Sequence[tuple[int, str]],
    what: str,
) -> Appending:
    """Append each text (transactions in journal syntax) to the journal of its year; a year
    without a file of its own yet is opened first, as the close of the year before opens
    it (`close.plan_open_year`: its file made, with the header, and included from the main
    journal). `what` says what is appended, for the user.

    Opened first, appended after: stopped in between, the books hold the new years' files
    with their headers alone, included, as a close leaves them, and the next run appends.
    """
    from sodertorn_ledger.close import plan_open_year

    main = Path(journal.root)
    opened: list[OpenYear] = []
    appends: list[Edit] = []
    bases: list[bytes] = []
    made: list[Edit] = []
    included = snapshot.read_text(main) or ""
    for year, text in texts:
        opening = plan_open_year(journal, year, organisation, snapshot.read_text)
        opened.append(opening)
        current = snapshot.read(opening.file)
        base = opening.header.encode("utf-8") if opening.create else current
        assert base is not None  # the file exists unless the opening makes it
        if opening.create:
            made.append(Edit(opening.file, None, base, "new file"))
        appends.append(Edit(opening.file, current, appended(base, text), what))
        bases.append(base)
        included = opening.main_text(included)
    includes = [o.include_line for o in opened if o.include]
    edits = list(appends)
    if includes:
        edits.append(snapshot.edit(main, included, f"{', '.join(includes)} added"))
    steps: list[tuple[Edit, ...]] = []
    if not all(opening.done for opening in opened):
        steps.append((*made, *edits[len(appends) :]))
    steps.append(tuple(e._replace(before=b) for e, b in zip(appends, bases, strict=True)))
    problems = tuple(p for opening in opened for p in opening.problems)
    return Appending(tuple(edits), tuple(steps), tuple(opened), problems)


# -- crash tests -------------------------------------------------------------------------


class _Checkpoints:
    __slots__ = ("count", "kill_at")

    def __init__(self) -> None:
        raw = os.environ.get(KILL_ENV, "").strip()
        self.kill_at = int(raw) if raw.isdigit() else 0
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


_checkpoint = _Checkpoints()


# -- the rehearsal -----------------------------------------------------------------------


def rehearse(
    main: Path,
    snapshot: Snapshot,
    files: Iterable[str | Path],
    edits: Sequence[Edit],
    check: Callable[[Path], T],
) -> T:
    """Apply `edits` to a copy of the books in a temp folder; return `check(copy of main)`.

    The copy holds `files` (the books' files) and every file `snapshot` read, in the same
    places relative to each other, so includes find them; each is copied as the snapshot
    has it (files read for the plan as they were read). The folder is removed afterwards.
    Raises OSError when a file cannot be read, WriteFailed when the copy cannot be
    written.
    """
    sources = [Path(os.path.abspath(f)) for f in files]
    sources += [p for p in snapshot.paths() if p not in sources]
    copies = [(p, data) for p in sources if (data := snapshot.read(p)) is not None]
    copies += [(Path(os.path.abspath(e.path)), e.after) for e in edits]
    main = Path(os.path.abspath(main))
    root = Path(os.path.commonpath([p.parent for p, _ in copies] + [main.parent]))
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{REHEARSAL_PREFIX}{os.getpid()}-"))
    except OSError as err:
        raise WriteFailed(Path(tempfile.gettempdir()), _reason(err)) from None
    try:
        for path, data in copies:
            copy = folder / path.relative_to(root)
            try:
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(data)
            except OSError as err:
                raise WriteFailed(copy, _reason(err)) from None
        _checkpoint()
        return check(folder / main.relative_to(root))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the lock and the writes ------------------------------------------------------------


@contextmanager
def writing(main: Path) -> Iterator[Books]:
    """Hold the books' lock while the body plans and writes; raises Busy when another
    ledger command holds it. Leftovers of a killed run are removed first.

    When the books' folder cannot be written the body runs without the lock and
    `Books.apply` refuses any edit (a command with nothing to write still succeeds).
    """
    from filelock import FileLock, Timeout

    path = main.parent / LOCK_FILE
    lock = FileLock(str(path), timeout=0)
    unwritable: tuple[Path | None, str] | None = None
    try:
        lock.acquire()
    except Timeout:
        raise Busy() from None
    except OSError as err:
        if err.errno not in _NOT_WRITABLE:
            raise WriteFailed(path, _reason(err)) from None
        # Without a lock file there is no lock; but then nothing can be written here
        # either, and reading needs none. The message names the lock file only when it
        # alone is what cannot be written.
        unwritable = (path if os.access(main.parent, os.W_OK) else None, _reason(err))
    if unwritable is not None:
        yield Books(main, unwritable)
        return
    try:
        _remove_leftovers(main)
        yield Books(main, None)
    finally:
        lock.release()


def _remove_leftovers(main: Path) -> None:
    """What killed runs left: temp files beside the books and among the backups (under
    the lock no other writer of these books runs, so each is a leftover) and rehearsal
    folders whose process is gone."""
    for folder, any_name in ((main.parent, False), (main.parent / BACKUP_FOLDER, True)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            found = _TEMP_NAME.fullmatch(entry.name)
            if not found or not entry.is_file(follow_symlinks=False):
                continue
            name = found["name"]
            if any_name or name == main.name or name.endswith(JOURNAL_SUFFIXES):
                Path(entry.path).unlink(missing_ok=True)
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith((REHEARSAL_PREFIX, OLD_REHEARSAL_PREFIX)) and _abandoned(entry):
            shutil.rmtree(entry.path, ignore_errors=True)


def _abandoned(entry: os.DirEntry[str]) -> bool:
    """A rehearsal folder of ours whose process is gone. A dry run rehearses without the
    lock, so a folder is known to be left over by its process, named in it, not by the
    lock; the folders of earlier versions name none and are judged by their age."""
    try:
        if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
            return False
        if entry.name.startswith(OLD_REHEARSAL_PREFIX):
            return time.time() - entry.stat().st_mtime > OLD_REHEARSAL_AGE
    except OSError:
        return False
    pid = entry.name.removeprefix(REHEARSAL_PREFIX).split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # another user's process of that number: alive
    return False


class Books:
    """The books while one command writes them: the snapshot its plan reads through, and
    `apply` to write the edits."""

    __slots__ = ("_unwritable", "main", "snapshot")

    def __init__(self, main: Path, unwritable: tuple[Path | None, str] | None) -> None:
        self.main = main
        self.snapshot = Snapshot()
        self._unwritable = unwritable

    def apply(self, edits: Sequence[Edit], *, now: dt.datetime | None = None) -> Written:
        """Write the edits in order, each after a copy of the file as it was.

        Raises Changed (a file no longer holds what its edit was planned from: nothing
        more is written) or WriteFailed; either says which files were written before.
        """
        if not edits:
            return Written(())
        if self._unwritable is not None:
            where, reason = self._unwritable
            raise WriteFailed(where or edits[0].path, reason)
        names = [os.path.abspath(e.path) for e in edits]
        assert len(set(names)) == len(names), "one edit per file"
        for edit in edits:
            _check(edit, _read(edit.path), [])
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H%M%SZ")
        written: list[Path] = []
        kept: list[Path] = []
        for edit in edits:
            backup = self._backup(edit, stamp, written) if edit.before is not None else None
            try:
                tmp = write_temp(edit.path, edit.after)
            except OSError as err:
                raise WriteFailed(edit.path, _reason(err), written) from None
            try:
                _checkpoint()
                if edit.before is None:
                    _place_new(tmp, edit.path, written)
                elif _replace(edit, tmp, written):
                    kept.append(edit.path)
            except Changed:
                # The file was not replaced: its copy is no backup of anything.
                if backup is not None:
                    _drop_backup(*backup)
                raise
            finally:
                tmp.unlink(missing_ok=True)
            written.append(edit.path)
            _checkpoint()
        return Written(tuple(written), tuple(kept))

    def apply_steps(
        self, steps: Sequence[Sequence[Edit]], *, now: dt.datetime | None = None
    ) -> Written:
        """Apply several sets of edits in turn, each with `apply`: a file may be in more
        than one, each step's edit planned from the bytes the step before leaves (a new
        year's file made and included, then the invoices appended to it). A failure names
        the files every earlier step wrote as well."""
        stamp = now or dt.datetime.now(dt.UTC)
        files: list[Path] = []
        kept: list[Path] = []
        for step in steps:
            try:
                done = self.apply(step, now=stamp)
            except (Changed, WriteFailed) as err:
                err.written = (*files, *err.written)
                raise
            files += done.files
            kept += done.kept
        return Written(tuple(files), tuple(kept))

    def _backup(self, edit: Edit, stamp: str, written: list[Path]) -> tuple[Path, bool]:
        """Copy the file as it was into the backup folder; the copy's path, and whether the
        folder was made for it."""
        assert edit.before is not None
        folder = self.main.parent / BACKUP_FOLDER
        name = folder / f"{edit.path.name}.{stamp}"
        try:
            made = not folder.is_dir()
            folder.mkdir(exist_ok=True)
            tmp = write_temp(name, edit.before)
        except OSError as err:
            raise WriteFailed(name, _reason(err), written) from None
        try:
            _checkpoint()
            n = 0
            target = name
            while not _link_new(tmp, target):
                n += 1
                target = folder / f"{name.name}.{n}"
        except OSError as err:
            raise WriteFailed(target, _reason(err), written) from None
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(folder)
        _checkpoint()
        return target, made


def _drop_backup(copy: Path, made_folder: bool) -> None:
    """Remove a backup that backs up nothing (and its folder, when made for it and now
    empty); what cannot be removed stays, a copy of the books as they were."""
    try:
        copy.unlink(missing_ok=True)
        if made_folder:
            copy.parent.rmdir()
    except OSError:
        pass


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _check(edit: Edit, current: bytes | None, written: Sequence[Path]) -> None:
    if current != edit.before:
        raise Changed(edit.path, created=edit.before is None, written=written)


def _link_new(tmp: Path, target: Path) -> bool:
    """Give the temp file the name `target` unless that exists; False when it does."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError as err:
        # A file system without hard links: check, then rename (a narrow window).
        if err.errno not in _NO_HARD_LINKS or os.path.lexists(target):
            raise
        os.replace(tmp, target)
    return True


def _place_new(tmp: Path, path: Path, written: Sequence[Path]) -> None:
    try:
        placed = _link_new(tmp, path)
    except OSError as err:
        raise WriteFailed(path, _reason(err), written) from None
    if not placed:
        raise Changed(path, created=True, written=written)
    fsync_dir(path.parent)


def _replace(edit: Edit, tmp: Path, written: Sequence[Path]) -> bool:
    """Rename the temp file over `edit.path` if that still holds `edit.before`; True when
    another program appended to the old file meanwhile (what it added is kept)."""
    assert edit.before is not None
    try:
        old = os.open(edit.path, os.O_RDONLY)
    except FileNotFoundError:
        raise Changed(edit.path, created=False, written=written) from None
    except OSError as err:
        raise WriteFailed(edit.path, _reason(err), written) from None
    try:
        _check(edit, _read_fd(old, 0), written)
        try:
            os.replace(tmp, edit.path)
        except OSError as err:
            raise WriteFailed(edit.path, _reason(err), written) from None
        fsync_dir(edit.path.parent)
        try:
            return _keep_late_appends(edit.path, old, len(edit.before))
        except OSError as err:
            raise WriteFailed(edit.path, _reason(err), [*written, edit.path]) from None
    finally:
        os.close(old)


def _read_fd(fd: int, start: int) -> bytes:
    chunks = []
    at = start
    while chunk := os.pread(fd, 1 << 20, at):
        chunks.append(chunk)
        at += len(chunk)
    return b"".join(chunks)


def _keep_late_appends(path: Path, old: int, size: int) -> bool:
    """Copy to the end of `path` what was appended to its old file (still open as `old`)
    after it was checked: a program that opened the old file just before the rename
    writes there. While something arrives, look again a few times."""
    kept = False
    for _ in range(_LATE_ROUNDS):
        late = _read_fd(old, size)
        if not late:
            break
        size += len(late)
        kept = True
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            view = memoryview(late)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        time.sleep(_LATE_PAUSE)
    return kept
