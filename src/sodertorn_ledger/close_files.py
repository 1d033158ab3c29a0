"""Writing the close: the edits of a `ClosePlan`, in order, each file atomically.

Every changed file is first copied to ``.backup/`` beside main.journal, named with the
time of the run. Each file is written with `write_atomic` (temp file, fsync, rename), and
only if it still holds what the plan was made from; a file changed meanwhile stops the
run before anything else is written.

For the crash tests, ``SODERTORN_CLOSE_KILL_AT=N`` makes the process kill itself with
SIGKILL at the Nth checkpoint (before each backup, before each write, and after the last
write); it is read only here and does nothing when unset.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sodertorn_ledger.close import ClosePlan, Edit
from sodertorn_ledger.fileio import write_atomic

KILL_ENV = "SODERTORN_CLOSE_KILL_AT"
BACKUP_FOLDER = ".backup"


class CloseBusy(Exception):
    """Another close of the same books is running."""


@contextmanager
def exclusive(main: Path) -> Iterator[None]:
    """Hold the close lock of these books (``.backup/.close.lock``) or raise CloseBusy.

    Two runs at once (two cron jobs, a cron job and a person) would each plan from the
    same texts; the second waits for nothing and stops.
    """
    folder = main.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    with (folder / ".close.lock").open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CloseBusy(f"another `ledger close` of {main} is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class CloseConflict(Exception):
    """A file changed between planning and writing; the message says which."""


def read_text(path: Path) -> str | None:
    """A file's text (UTF-8, line ends read as ``\\n``), None when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


class _Checkpoints:
    def __init__(self) -> None:
        raw = os.environ.get(KILL_ENV, "").strip()
        self.kill_at = int(raw) if raw.isdigit() else 0
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def backup_path(folder: Path, name: str, stamp: str) -> Path:
    """A free name ``NAME.STAMP`` (``.1``, ``.2`` … appended if taken) in `folder`."""
    candidate = folder / f"{name}.{stamp}"
    n = 0
    while candidate.exists():
        n += 1
        candidate = folder / f"{name}.{stamp}.{n}"
    return candidate


def apply_plan(plan: ClosePlan, main: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Write the plan's edits in order; returns the files written (backups not included).

    Raises CloseConflict when a file no longer holds the text the plan was made from,
    OSError when a file cannot be written (files written before stay written; the next
    run finds those steps done).
    """
    checkpoint = _Checkpoints()
    moment = now or dt.datetime.now(dt.UTC)
    stamp = moment.strftime("%Y-%m-%dT%H%M%SZ")
    backups = main.parent / BACKUP_FOLDER
    written: list[Path] = []
    for edit in plan.edits:
        _still_as_planned(edit)
        if edit.before is not None:
            checkpoint()
            backups.mkdir(exist_ok=True)
            data = edit.path.read_bytes()
            write_atomic(backup_path(backups, edit.path.name, stamp), data, overwrite=False)
        after = edit.after
        if edit.before is not None and b"\r\n" in edit.path.read_bytes():
            # The plan works on text read with universal newlines; a file kept with
            # Windows line ends keeps them.
            after = after.replace("\n", "\r\n")
        checkpoint()
        write_atomic(edit.path, after, overwrite=edit.before is not None)
        written.append(edit.path)
    checkpoint()
    return written


def _still_as_planned(edit: Edit) -> None:
    current = read_text(edit.path)
    if current != edit.before:
        state = "was created" if edit.before is None else "changed"
        raise CloseConflict(f"{edit.path} {state} while the close was running")


def diff(plan: ClosePlan) -> str:
    """The plan's edits as one unified diff (what a dry run prints)."""
    parts = []
    for edit in plan.edits:
        before = (edit.before or "").splitlines(keepends=True)
        after = edit.after.splitlines(keepends=True)
        old = "/dev/null" if edit.before is None else str(edit.path)
        parts.append("".join(difflib.unified_diff(before, after, old, str(edit.path))))
    return "".join(parts)


def rehearse(
    plan: ClosePlan, files: list[str], main: Path, replan: Callable[[Path], ClosePlan]
) -> ClosePlan | None:
    """Apply the plan to a copy of the books in a temporary folder and plan again there.

    Returns the plan made on the copy (it should be: closed, nothing to do), or None when
    the books reach outside main.journal's folder and cannot be copied faithfully.
    """
    root = main.parent.resolve()
    targets = [Path(f).resolve() for f in files] + [e.path.resolve() for e in plan.edits]
    if plan.next_file is not None:
        targets.append(plan.next_file.resolve())
    if not all(t.is_relative_to(root) for t in targets):
        return None
    with tempfile.TemporaryDirectory(prefix="ledger-close-") as tmp:
        copy_root = Path(tmp)
        # The new year's file may exist already (written by a run that was stopped) and
        # not be included yet: the plan reads it, so the copy needs it too.
        extra = []
        if plan.next_file is not None and plan.next_file.is_file():
            extra.append(str(plan.next_file))
        for name in [*files, *extra]:
            source = Path(name).resolve()
            target = copy_root / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for edit in plan.edits:
            target = copy_root / edit.path.resolve().relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit.after, encoding="utf-8")
        return replan(copy_root / main.resolve().relative_to(root))
