"""The `ledger` program: the process that runs one command of the app in cli.py.

The process lives for one command and then ends, which allows two things a library must
not do to the program that imports it: tune the cyclic garbage collector for the whole
process, and end without tearing down what the command built.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys

_FIRST_GENERATION_THRESHOLD = 100_000
"""New container objects between two runs of the cyclic collector (Python's default: 700)."""


def main() -> None:
    """The `ledger` command: run the app, then end the process without tearing it down.

    Before anything is imported, the collector is told to run less often: importing typer,
    click and rich makes tens of thousands of objects that live as long as the process, and
    at Python's default threshold the collector would rescan them again and again.

    Big books are a million small records that Python would free one by one when the
    command returns. The command is done by then, so the books are kept, the exit handlers
    run, the output is flushed and the process ends at once. Under a profiler or a coverage
    tool (`python -m cProfile -m sodertorn_ledger …`) the process ends the usual way, so
    they can write their data. (docs/performance.md has the figures.)
    """
    _, *higher = gc.get_threshold()
    gc.set_threshold(_FIRST_GENERATION_THRESHOLD, *higher)

    from sodertorn_ledger.cli import app_for
    from sodertorn_ledger.commands.loading import keep_books_until_exit

    app = app_for(sys.argv[1:])
    if sys.getprofile() is not None or sys.gettrace() is not None:
        app(prog_name="ledger")
        return
    keep_books_until_exit()
    try:
        app(prog_name="ledger")
    except SystemExit as done:
        status = _exit_status(done.code)
    else:
        status = 0
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # OSError: the reader went away (`ledger accounts | head`); nothing more to say.
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` would give: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
