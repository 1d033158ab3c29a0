"""The benchmark: ours against ledger-cli and hledger on the same books, in one run.

    .venv/bin/python -m bench.run                      # 10 000 and 100 000 transactions
    .venv/bin/python -m bench.run --sizes 10000,100000,1000000

Steps, in order:

1. Generate the synthetic books into ``bench/out/`` (kept between runs while the
   generator, size, style and seed are unchanged).
2. Check that the tools agree: every account's balance from ``ledger accounts --json``,
   ``hledger bal -O csv`` and ledger-cli's ``bal`` must equal what the generator wrote.
   Nothing is timed unless they all agree.
3. Time them on the same files: tools alternate (the order rotates each round), one
   untimed warm-up round fills the page cache, then ``--runs`` rounds; the median wall
   time and the peak resident memory (``ru_maxrss`` of each child, as ``/usr/bin/time -v``
   reports it) are kept. No tool keeps a cache of parsed books between runs.
4. Latency on the bundled books (``ledger --help``, ``ledger fees 2020``,
   ``ledger summary 2020`` against ``hledger bal``), ``ledger export`` against
   ``ledger accounts``, and a cProfile of ours; a command that does not exist yet is
   skipped with a note.
5. Write the results into ``docs/performance.md``: the tables, ratios, the standing
   targets (met, or missed by how much), the machine, the date and the exact command. They
   replace the section between the page's two results markers; the rest of the page (the
   benchmark's manual) is kept.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import hashlib
import io
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

if __package__ in (None, ""):  # run as a script, `python bench/run.py`: find the package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import DEFAULT_SEED, LAST_YEAR, STYLES, Style, write_books

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
OURS = REPO / ".venv" / "bin" / "ledger"
OUR_PYTHON = REPO / ".venv" / "bin" / "python"
HLEDGER = "/usr/bin/hledger"
LEDGER_CLI = "/usr/bin/ledger"
BUNDLED = Path("ledger") / "main.journal"
DEFAULT_OUTPUT = REPO / "docs" / "performance.md"
RESULTS_START = "<!-- results: start (written by bench/run.py; edits in here are lost) -->"
RESULTS_END = "<!-- results: end -->"
"""The markers around the results in the page: a run replaces what lies between them."""

# The standing targets (issues 7 and 13).
TARGET_VS_LEDGER_CLI = 1.0
TARGET_VS_HLEDGER = 0.2
TARGET_GROWTH = 11.0
TARGET_OVER_FLOOR_MS = 30.0
TARGET_EXPORT_VS_ACCOUNTS = 1.5

FLOOR_CODE = (
    "import gc; gc.set_threshold(100000); import typer, rich.console; import os; os._exit(0)"
)
"""What a short command costs before any code of ours runs: Python starting, importing the
libraries of the design card every command uses (typer, rich's console) and ending, all as
the launcher does it (without os._exit, Python's teardown of those modules would add some
15 ms)."""


class BenchError(Exception):
    """Something that stops the benchmark (tools disagree, a tool is missing)."""


# --- running a program and measuring it -------------------------------------------------


@dataclass(frozen=True)
class Sample:
    wall: float
    """Seconds, from before the fork to after the child was reaped."""
    max_rss_kb: int
    returncode: int
    cpu: float = 0.0
    """User + system CPU seconds of the child: unlike wall time, barely moved by other load."""
    load: float = 0.0
    """The machine's 1-minute load average when the run started (the run itself counts 1)."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # hledger reads files in the locale's encoding: without UTF-8 it fails on å, ä, ö.
    env["LC_ALL"] = "C.UTF-8"
    env["LANG"] = "C.UTF-8"
    # -f is always given; a LEDGER_FILE from the shell must not change what is read.
    env.pop("LEDGER_FILE", None)
    env.pop("LEDGER_INIT", None)
    return env


def measure(argv: Sequence[str], *, cwd: Path = REPO) -> Sample:
    """Run `argv` once with output discarded; wall time and peak memory of that child alone."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        # wait4 gives this child's own rusage (resource.getrusage would sum all children).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode("utf-8", "replace").strip()
            raise BenchError(f"{shlex.join(argv)} failed ({proc.returncode}): {message[:500]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, usage.ru_maxrss, proc.returncode, cpu=cpu, load=load)


def capture(argv: Sequence[str], *, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv), cwd=cwd, env=_env(), capture_output=True, text=True, check=False
    )


@dataclass
class Timing:
    label: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.wall for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return statistics.median(s.max_rss_kb for s in self.samples) / 1024


def time_alternating(timings: list[Timing], runs: int, *, cwd: Path = REPO) -> None:
    """One warm-up round, then `runs` rounds; the order of the tools rotates every round."""
    for timing in timings:
        measure(timing.argv, cwd=cwd)
    for round_ in range(runs):
        shift = round_ % len(timings)
        for timing in timings[shift:] + timings[:shift]:
            timing.samples.append(measure(timing.argv, cwd=cwd))


# --- what each tool says the balances are -----------------------------------------------


def parse_amount(text: str, style: Style) -> Decimal:
    """A single-currency amount as the tools print it: ``-1234.50 SEK``, ``-1 234,50 kr``, ``0``."""
    number = text.strip().removesuffix("SEK").removesuffix("kr").removeprefix("kr")
    number = number.replace(" ", "").replace("\u00a0", "")
    # Digit-group marks go, the decimal mark becomes a point.
    grouping, decimal = (".", ",") if style == "sv" else (",", ".")
    number = number.replace(grouping, "").replace(decimal, ".")
    try:
        return Decimal(number)
    except InvalidOperation:
        raise BenchError(f"cannot read the amount {text!r}") from None


def leaf_balances(balances: dict[str, Decimal]) -> dict[str, Decimal]:
    """Non-zero balances of accounts that are not a parent of another listed account.

    The generated books never post to a parent account, so this makes a tree-shaped
    report (parents with subtotals) comparable with a flat one.
    """
    nonzero = {a: b for a, b in balances.items() if b != 0}
    parents = {a.rsplit(":", i)[0] for a in nonzero for i in range(1, a.count(":") + 1)}
    return {a: b for a, b in sorted(nonzero.items()) if a not in parents}


def ours_balances(journal: Path, program: str = str(OURS)) -> dict[str, Decimal]:
    result = capture([program, "accounts", "--json", "-f", str(journal)])
    if result.returncode != 0:
        raise BenchError(f"ledger accounts failed on {journal}: {result.stderr.strip()[:500]}")
    data = json.loads(result.stdout)
    return {str(row["account"]): Decimal(str(row["balance"])) for row in data["accounts"]}


def hledger_balances(journal: Path, style: Style, program: str = HLEDGER) -> dict[str, Decimal]:
    result = capture([program, "-f", str(journal), "bal", "-O", "csv"])
    if result.returncode != 0:
        raise BenchError(f"hledger bal failed on {journal}: {result.stderr.strip()[:500]}")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    if not rows or rows[0] != ["account", "balance"]:
        raise BenchError(f"unexpected hledger CSV header: {rows[:1]}")
    return {r[0]: parse_amount(r[1], style) for r in rows[1:] if r and r[0] != "total"}


def ledger_cli_balances(journal: Path, program: str = LEDGER_CLI) -> dict[str, Decimal]:
    # A tab-separated flat listing with exact quantities: nothing to guess about columns.
    result = capture(
        [
            program,
            "--args-only",
            "-f",
            str(journal),
            "bal",
            "--flat",
            "--no-total",
            "--format",
            "%(account)\t%(quantity(scrub(display_total)))\n",
        ]
    )
    if result.returncode != 0:
        raise BenchError(f"ledger-cli bal failed on {journal}: {result.stderr.strip()[:500]}")
    balances: dict[str, Decimal] = {}
    for line in result.stdout.splitlines():
        account, _, amount = line.rpartition("\t")
        if account:
            balances[account] = parse_amount(amount, "plain")
    return balances


def compare(expected: dict[str, Decimal], got: dict[str, Decimal], tool: str) -> list[str]:
    """Lines describing every difference (empty when the tool agrees)."""
    lines = []
    for account in sorted(set(expected) | set(got)):
        want, have = expected.get(account), got.get(account)
        if want != have:
            lines.append(f"{tool}: {account}: expected {want}, got {have}")
    return lines


# --- the books ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BookSet:
    n: int
    style: Style
    main: Path
    size_mb: float
    files: int
    postings: int
    expected: dict[str, Decimal]


def _fingerprint(n: int, style: Style, seed: int) -> str:
    source = (REPO / "bench" / "generate.py").read_bytes()
    return hashlib.sha256(source + f"|{n}|{style}|{seed}".encode()).hexdigest()


def ensure_books(n: int, style: Style, seed: int) -> BookSet:
    """The books for (n, style, seed) in bench/out/, generated unless already there."""
    folder = OUT / f"{style}-{n}"
    stamp = folder / "books.json"
    fingerprint = _fingerprint(n, style, seed)
    if stamp.is_file():
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            return _book_set(n, style, folder, data)
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    books = write_books(folder, n, style, seed=seed)
    print(f"  generated {folder.relative_to(REPO)} in {time.perf_counter() - started:.1f} s")
    data = {
        "fingerprint": fingerprint,
        "transactions": books.transactions,
        "postings": books.postings,
        "files": len(books.files),
        "bytes": books.bytes_written,
        "balances": {a: str(Decimal(b).scaleb(-2)) for a, b in books.nonzero_balances().items()},
    }
    stamp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return _book_set(n, style, folder, data)


def _book_set(n: int, style: Style, folder: Path, data: dict[str, object]) -> BookSet:
    balances = data["balances"]
    assert isinstance(balances, dict)
    size = data["bytes"]
    files = data["files"]
    postings = data["postings"]
    assert isinstance(size, int) and isinstance(files, int) and isinstance(postings, int)
    return BookSet(
        n=n,
        style=style,
        main=folder / "main.journal",
        size_mb=size / 1e6,
        files=files,
        postings=postings,
        expected={str(a): Decimal(str(b)) for a, b in balances.items()},
    )


# --- the run --------------------------------------------------------------------------------


@dataclass
class Outcome:
    command: str
    started: dt.datetime
    machine: list[str]
    books: list[BookSet] = field(default_factory=list)
    agreement: list[str] = field(default_factory=list)
    main: dict[tuple[int, Style], list[Timing]] = field(default_factory=dict)
    latency: list[Timing] = field(default_factory=list)
    export: list[Timing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile: str = ""
    profile_book: str = ""
    imports: list[str] = field(default_factory=list)
    load_before: str = ""
    load_after: str = ""
    busy: bool = False


def machine_info() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0))
    info = [
        f"CPU: {model}, {cpus} CPUs available (nproc)",
        f"Memory: {memory}",
        f"OS: {platform.platform()}",
        f"Python: {platform.python_version()} ({sys.executable})",
    ]
    for name, argv in (
        ("hledger", [HLEDGER, "--version"]),
        ("ledger-cli", [LEDGER_CLI, "--version"]),
    ):
        result = capture(argv)
        first = result.stdout.strip().splitlines()[0] if result.stdout.strip() else "missing"
        info.append(f"{name}: {first}")
    commit = capture(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = capture(["git", "status", "--porcelain", "--untracked-files=no", "src"]).stdout.strip()
    if commit:
        info.append(
            f"sodertorn-ledger: commit {commit}{' + uncommitted changes in src/' if dirty else ''}"
        )
    return info


def our_command_exists(name: str) -> tuple[bool, str]:
    result = capture([str(OURS), name, "--help"])
    if result.returncode == 0:
        return True, ""
    reason = (result.stderr.strip() or result.stdout.strip()).splitlines()
    return False, reason[-1] if reason else f"exit status {result.returncode}"


def check_agreement(book: BookSet, have_ours: bool, outcome: Outcome) -> None:
    expected = leaf_balances(book.expected)
    problems: list[str] = []
    tools = ["hledger"]
    problems += compare(expected, leaf_balances(hledger_balances(book.main, book.style)), "hledger")
    if book.style == "plain":
        tools.append("ledger-cli")
        problems += compare(expected, leaf_balances(ledger_cli_balances(book.main)), "ledger-cli")
    if have_ours:
        tools.append("ours")
        problems += compare(expected, leaf_balances(ours_balances(book.main)), "ours")
    if problems:
        shown = "\n  ".join(problems[:20])
        raise BenchError(f"the tools disagree on {book.main}; nothing was timed:\n  {shown}")
    total = sum((b for b in expected.values() if b > 0), Decimal(0))
    outcome.agreement.append(
        f"{_n(book.n)} {book.style}: {', '.join(tools)} and the generator agree on all "
        f"{len(expected)} account balances (sum of the debit balances {_n(total)} kr)"
    )


def run(args: argparse.Namespace, command: str) -> Outcome:
    outcome = Outcome(command=command, started=dt.datetime.now(dt.UTC), machine=machine_info())
    outcome.load_before = _load()
    # Our modules as bytecode, as an installed copy has them (pip compiles them on install):
    # where PYTHONDONTWRITEBYTECODE is set, an editable checkout would otherwise be compiled
    # from source on every run.
    compileall.compile_dir(REPO / "src" / "sodertorn_ledger", quiet=1)
    for program in (HLEDGER, LEDGER_CLI):
        if not Path(program).is_file():
            raise BenchError(f"{program} is not installed")
    have_accounts, why = our_command_exists("accounts")
    if not have_accounts:
        outcome.notes.append(f"`ledger accounts` is not available ({why}): ours was not timed.")

    for n in args.sizes:
        for style in args.styles:
            print(f"books: {n} transactions, {style} style")
            book = ensure_books(n, style, args.seed)
            outcome.books.append(book)
            check_agreement(book, have_accounts, outcome)

    for book in outcome.books:
        runs = args.runs if book.n < 1_000_000 else args.big_runs
        print(f"timing: {book.n} {book.style}, {runs} runs each")
        timings = []
        if have_accounts:
            timings.append(
                Timing("ours: ledger accounts", [str(OURS), "accounts", "-f", str(book.main)])
            )
        if book.style == "plain":
            timings.append(
                Timing("ledger-cli: bal", [LEDGER_CLI, "--args-only", "-f", str(book.main), "bal"])
            )
        timings.append(Timing("hledger: bal", [HLEDGER, "-f", str(book.main), "bal"]))
        time_alternating(timings, runs)
        outcome.main[(book.n, book.style)] = timings

    latency(args, outcome)
    export(args, outcome, have_accounts)
    if have_accounts and args.profile:
        profile(outcome)
    if args.profile:
        import_profile(outcome)
    outcome.load_after = _load()
    timings = [t for ts in outcome.main.values() for t in ts] + outcome.latency + outcome.export
    peak = max((s.load for t in timings for s in t.samples), default=0.0)
    outcome.busy = peak > len(os.sched_getaffinity(0))
    return outcome


def python_version(python: Path) -> str:
    result = capture([str(python), "-c", "import platform; print(platform.python_version())"])
    return result.stdout.strip() if result.returncode == 0 else "?"


def latency_timings(venv: Path, outcome: Outcome) -> list[Timing]:
    """The latency set of our `ledger` in `venv`, and the floor of its Python."""
    ledger = venv / "bin" / "ledger"
    # Labels of the main venv stay "ours: …" (the targets find them by that); another
    # venv's name its Python, whose build can change start-up time by a tenth.
    who = (
        "ours"
        if venv == OURS.parent.parent
        else f"ours, Python {python_version(venv / 'bin' / 'python')}"
    )
    timings = [Timing(f"{who}: ledger --help", [str(ledger), "--help"])]
    for name, argv in (("fees", ["fees", "2020"]), ("summary", ["summary", "2020"])):
        exists, why = our_command_exists(name)
        if not exists:
            outcome.notes.append(f"`ledger {name}` is not available yet ({why}): not timed.")
            continue
        timings.append(Timing(f"{who}: ledger {' '.join(argv)}", [str(ledger), *argv]))
    floor = who.replace("ours", "floor", 1)
    timings.append(Timing(floor, [str(venv / "bin" / "python"), "-c", FLOOR_CODE]))
    return timings


def latency(args: argparse.Namespace, outcome: Outcome) -> None:
    bundled = REPO / BUNDLED
    if not bundled.is_file():
        outcome.notes.append(f"No bundled books at {BUNDLED}: the latency set was skipped.")
        return
    timings = latency_timings(OURS.parent.parent, outcome)
    for venv in args.also_venv:
        timings += latency_timings(venv.resolve(), outcome)
    timings.append(Timing("hledger: bal (reference)", [HLEDGER, "-f", str(BUNDLED), "bal"]))
    print(f"latency: {len(timings)} commands, {args.latency_runs} runs each")
    try:
        time_alternating(timings, args.latency_runs)
    except BenchError as error:
        outcome.notes.append(f"Latency set failed: {error}")
        return
    outcome.latency = timings


def export(args: argparse.Namespace, outcome: Outcome, have_accounts: bool) -> None:
    exists, why = our_command_exists("export")
    if not exists or not have_accounts:
        missing = "export" if not exists else "accounts"
        outcome.notes.append(f"`ledger {missing}` is not available ({why}): export was not timed.")
        return
    book = next((b for b in outcome.books if b.n == 100_000 and b.style == "plain"), None)
    book = book or max(outcome.books, key=lambda b: b.n)
    main = with_settings(book)
    target = main.parent / f"sammanstallning-{LAST_YEAR}.xlsx"
    timings = [
        Timing("ours: ledger accounts", [str(OURS), "accounts", "-f", str(main)]),
        Timing(
            f"ours: ledger export {LAST_YEAR}",
            [str(OURS), "export", str(LAST_YEAR), str(target), "--force", "-f", str(main)],
        ),
    ]
    print(f"export: {book.n} {book.style}, {args.runs} runs each")
    try:
        time_alternating(timings, args.runs)
    except BenchError as error:
        outcome.notes.append(f"`ledger export` on the {book.n:,} books failed, not timed: {error}")
        return
    outcome.export = timings


def with_settings(book: BookSet) -> Path:
    """A copy of the books with the bundled settings and population files beside them.

    The export needs what the bundled books have besides the journal (which accounts make
    each fund, SCB's figures); the generated books use the same accounts, so the bundled
    settings fit them. A copy keeps the books that are compared with the other tools pure.
    """
    folder = OUT / f"{book.main.parent.name}-with-settings"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(book.main.parent, folder)
    for extra in (REPO / "ledger").iterdir():
        if extra.suffix == ".journal" or extra.name.startswith("."):
            continue
        if extra.is_dir():
            shutil.copytree(extra, folder / extra.name)
        else:
            shutil.copy2(extra, folder / extra.name)
    return folder / "main.journal"


def parse_importtime(stderr: str, top: int = 12) -> list[str]:
    """The `top` slowest imports from `python -X importtime`, by cumulative microseconds."""
    rows: list[tuple[int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header line
        rows.append((int(parts[1]), parts[2].strip()))
    rows.sort(key=lambda row: -row[0])
    return [f"{micros / 1000:7.1f} ms  {name}" for micros, name in rows[:top]]


def import_profile(outcome: Outcome) -> None:
    """What `ledger summary 2020` imports before it does anything: the latency targets' cost."""
    if not (REPO / BUNDLED).is_file() or not our_command_exists("summary")[0]:
        return
    argv = [str(OUR_PYTHON), "-X", "importtime", "-m", "sodertorn_ledger", "summary", "2020"]
    result = capture(argv)
    if result.returncode != 0:
        outcome.notes.append(f"The import profile failed: {result.stderr.strip()[-300:]}")
        return
    outcome.imports = parse_importtime(result.stderr)


def profile(outcome: Outcome) -> None:
    candidates = [b for b in outcome.books if b.style == "plain" and b.n <= 100_000]
    if not candidates:
        return
    book = max(candidates, key=lambda b: b.n)
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "accounts.prof"
        argv = [
            str(OUR_PYTHON),
            "-m",
            "cProfile",
            "-o",
            str(stats_file),
            "-m",
            "sodertorn_ledger",
            "accounts",
            "-f",
            str(book.main),
        ]
        print(f"profile: ledger accounts on {book.n} {book.style}")
        result = capture(argv)
        if result.returncode != 0 or not stats_file.is_file():
            why = result.stderr.strip()[:300] or f"exit status {result.returncode}, no profile"
            outcome.notes.append(f"The profile run failed: {why}")
            return
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text)
        stats.strip_dirs().sort_stats("tottime").print_stats(15)
    lines = text.getvalue().strip().splitlines()
    # Drop pstats' own header (file name, date): keep from the totals line on.
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    outcome.profile = "\n".join(line.rstrip() for line in lines[start:])
    outcome.profile_book = f"{_n(book.n)} transactions, {book.style} style"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- the report -----------------------------------------------------------------------------


def _n(n: int | Decimal) -> str:
    return f"{n:,}".replace(",", " ")


def _verdict(value: float, limit: float, unit: str = "×") -> str:
    if value <= limit:
        return f"met ({value:.2f}{unit} ≤ {limit:g}{unit})"
    return f"**missed** by {value / limit:.2f}× ({value:.2f}{unit}, target ≤ {limit:g}{unit})"


def _by_cpu(ours: Timing, other: Timing) -> str:
    """The same ratio in CPU time: a check on wall times taken while the machine was busy."""
    if ours.cpu <= 0 or other.cpu <= 0:
        return ""
    return f"; by CPU time {ours.cpu / other.cpu:.2f}×"


def _find(timings: list[Timing], prefix: str) -> Timing | None:
    return next((t for t in timings if t.label.startswith(prefix)), None)


def render(outcome: Outcome) -> str:
    out: list[str] = ["## Results of the last run", ""]
    out += [
        "Our `ledger accounts` (parse + check + trial balance) against ledger-cli `bal` and "
        "hledger `bal`, on the same synthetic books in the same run. "
        "Written by `bench/run.py`, which replaces this section on every run; to run it "
        "yourself see 'Run it' in docs/performance.md.",
        "",
        f"- Date: {outcome.started:%Y-%m-%d %H:%M} UTC",
        f"- Command: `{outcome.command}`",
        f"- Load average (1/5/15 min) before: {outcome.load_before}, after: {outcome.load_after}",
    ]
    out += [f"- {line}" for line in outcome.machine]
    if outcome.busy:
        out += [
            "",
            "**The machine was busy during this run** (load average above its number of "
            "CPUs): wall times are inflated, unevenly; compare the CPU column.",
        ]
    out += [
        "",
        "Method: every tool runs on the same files; the tools alternate (order rotated each "
        "round) after one untimed warm-up round, so the files are in the page cache for all of "
        "them and no tool keeps a cache of parsed books. Our modules are compiled to bytecode "
        "first, as an installed copy has them. Wall time is the median; peak memory "
        "is the child's maximum resident set size (`ru_maxrss`, as `/usr/bin/time -v` "
        "reports it). CPU is the child's user + system time (median), which other load on the "
        "machine moves far less than wall time.",
        "",
    ]
    if outcome.agreement:
        out += ["### The tools agree", ""]
        out += [f"- {line}" for line in outcome.agreement]
        out.append("")

    out += ["### Big books", ""]
    out += [
        "| Books | Style | Tool | Runs | Median wall (s) | Min–max (s) | CPU (s) | Peak RSS (MB) "
        "| Time vs ledger-cli | Time vs hledger | RSS vs ledger-cli |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for book in outcome.books:
        timings = outcome.main.get((book.n, book.style), [])
        cli = _find(timings, "ledger-cli")
        hl = _find(timings, "hledger")
        for t in timings:
            vs_cli = f"{t.median / cli.median:.2f}×" if cli else "–"
            vs_hl = f"{t.median / hl.median:.2f}×" if hl else "–"
            rss_cli = f"{t.rss_mb / cli.rss_mb:.2f}×" if cli else "–"
            out.append(
                f"| {_n(book.n)} ({book.size_mb:.1f} MB, {book.files} files) | {book.style} "
                f"| {t.label} | {len(t.samples)} | {t.median:.3f} | {t.low:.3f}–{t.high:.3f} "
                f"| {t.cpu:.3f} "
                f"| {t.rss_mb:.0f} "
                f"| {vs_cli} | {vs_hl} | {rss_cli} |"
            )
    out.append("")

    if outcome.latency:
        out += ["### Latency on the bundled books", ""]
        out += [
            "The floor rows time Python starting, importing what every short command "
            "needs before our code runs (typer, rich's console) and ending as "
            f"`ledger` ends: `python -c '{FLOOR_CODE}'`.",
            "",
        ]
        out += ["| Command | Median wall (ms) | Min–max (ms) | Peak RSS (MB) | Runs |"]
        out += ["|---|---:|---:|---:|---:|"]
        for t in outcome.latency:
            out.append(
                f"| `{shlex.join(_display(t.argv))}` | {t.median * 1000:.0f} "
                f"| {t.low * 1000:.0f}–{t.high * 1000:.0f} | {t.rss_mb:.0f} | {len(t.samples)} |"
            )
        out.append("")

    if outcome.export:
        out += ["### Excel export", ""]
        out += ["| Command | Median wall (s) | Peak RSS (MB) |", "|---|---:|---:|"]
        for t in outcome.export:
            out.append(f"| `{shlex.join(_display(t.argv))}` | {t.median:.3f} | {t.rss_mb:.0f} |")
        out.append("")

    out += ["### Targets", "", "| Target | Result |", "|---|---|"]
    out += [f"| {target} | {result} |" for target, result in targets(outcome)]
    out.append("")

    if outcome.notes:
        out += ["### Notes", ""]
        out += [f"- {note}" for note in outcome.notes]
        out.append("")

    if outcome.profile:
        out += [
            "### Where our time goes",
            "",
            f"cProfile of `ledger accounts` on the {outcome.profile_book} books, "
            "top 15 functions by own time (cProfile slows Python code down, so compare rows "
            "with each other, not with the wall times above):",
            "",
            "```",
            outcome.profile,
            "```",
            "",
        ]
    if outcome.imports:
        out += [
            "### What the short commands import",
            "",
            "`python -X importtime -m sodertorn_ledger summary 2020` on the bundled books: the "
            "slowest imports, cumulative (a module's time includes what it imports):",
            "",
            "```",
            *outcome.imports,
            "```",
            "",
        ]
    return "\n".join(out)


def splice(page: str | None, results: str) -> str:
    """The page with the section between its results markers replaced by `results`; a page
    of the results alone when there is none yet (`page` None). A marker counts only on a
    line of its own, so the page may name the markers in its text."""
    body = results.strip("\n")
    section = f"{RESULTS_START}\n{body}\n{RESULTS_END}"
    if page is None:
        return section + "\n"
    starts, ends = (
        [m.start() for m in re.finditer(f"^{re.escape(marker)}$", page, re.MULTILINE)]
        for marker in (RESULTS_START, RESULTS_END)
    )
    if len(starts) != 1 or len(ends) != 1 or starts[0] > ends[0]:
        raise BenchError(
            f"the page needs the results markers once each, in this order, each on a line of "
            f"its own: {RESULTS_START} and {RESULTS_END} (found {len(starts)} and {len(ends)}); "
            "nothing was written"
        )
    return page[: starts[0]] + section + page[ends[0] + len(RESULTS_END) :]


def _spliced(path: Path, results: str) -> str:
    """The page at `path` with these results in it (the results alone if there is none)."""
    try:
        page: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        page = None
    try:
        return splice(page, results)
    except BenchError as error:
        raise BenchError(f"{path}: {error}") from None


def _display(argv: list[str]) -> list[str]:
    """A command as a reader would type it: repo-relative paths, our `ledger` by name."""
    shown = []
    for arg in argv:
        if arg == str(OURS):
            shown.append("ledger")
        elif arg.startswith(str(REPO) + os.sep):
            shown.append(os.path.relpath(arg, REPO))
        else:
            shown.append(arg)
    return shown


def targets(outcome: Outcome) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    plain = outcome.main.get((100_000, "plain"), [])
    ours, cli, hl = (_find(plain, p) for p in ("ours", "ledger-cli", "hledger"))
    if ours and cli and hl:
        rows.append(
            (
                "100 000: wall time ≤ ledger-cli's",
                _verdict(ours.median / cli.median, 1.0) + _by_cpu(ours, cli),
            )
        )
        rows.append(
            (
                "100 000: wall time ≤ 0.2× hledger's",
                _verdict(ours.median / hl.median, TARGET_VS_HLEDGER) + _by_cpu(ours, hl),
            )
        )
        rows.append(
            ("100 000: peak memory ≤ ledger-cli's", _verdict(ours.rss_mb / cli.rss_mb, 1.0))
        )
    else:
        rows.append(("100 000 transactions vs ledger-cli and hledger", "not measured in this run"))
    big = _find(outcome.main.get((1_000_000, "plain"), []), "ours")
    if ours and big:
        rows.append(
            (
                "1 000 000 run ≤ 11× the 100 000 run (time)",
                _verdict(big.median / ours.median, TARGET_GROWTH) + _by_cpu(big, ours),
            )
        )
        rows.append(
            (
                "1 000 000 run ≤ 11× the 100 000 run (memory)",
                _verdict(big.rss_mb / ours.rss_mb, TARGET_GROWTH),
            )
        )
    else:
        rows.append(
            ("Linear growth to 1 000 000", "not measured in this run (add 1000000 to --sizes)")
        )
    # One set of rows per Python: "ours" (the .venv) and each --also-venv.
    whose = sorted(
        {t.label.partition(":")[0] for t in outcome.latency if t.label.startswith("ours")}
    )
    for who in whose:
        floor_label = who.replace("ours", "floor", 1)
        floor = next((t for t in outcome.latency if t.label == floor_label), None)
        also = "" if who == "ours" else f" ({who.removeprefix('ours, ')})"
        for command in ("--help", "fees 2020", "summary 2020"):
            t = _find(outcome.latency, f"{who}: ledger {command}")
            if t is None:
                result = "not measured (see notes)"
            elif floor is None:
                result = "not judged: the floor was not measured (see notes)"
            else:
                over = (t.median - floor.median) * 1000
                result = _verdict(over, TARGET_OVER_FLOOR_MS, " ms") + (
                    f": {t.median * 1000:.0f} ms, the floor {floor.median * 1000:.0f} ms"
                )
            label = f"`ledger {command}` ≤ the floor + {TARGET_OVER_FLOOR_MS:g} ms{also}"
            rows.append((label, result))
    acc, exp = (
        _find(outcome.export, "ours: ledger accounts"),
        _find(outcome.export, "ours: ledger export"),
    )
    if acc and exp:
        rows.append(
            (
                "`ledger export` ≤ 1.5× `ledger accounts`",
                _verdict(exp.median / acc.median, TARGET_EXPORT_VS_ACCOUNTS) + _by_cpu(exp, acc),
            )
        )
    else:
        rows.append(("`ledger export` ≤ 1.5× `ledger accounts`", "not measured (see notes)"))
    return rows


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("sizes must be numbers of transactions ≥ 100")
    return sizes


def _styles(text: str) -> list[Style]:
    styles: list[Style] = []
    for part in text.split(","):
        match part.strip():
            case "plain":
                styles.append("plain")
            case "sv":
                styles.append("sv")
            case other:
                raise argparse.ArgumentTypeError(f"unknown style {other!r} ({', '.join(STYLES)})")
    return styles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Time our `ledger accounts` against ledger-cli and hledger on synthetic books "
        "and write the results into docs/performance.md.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[10_000, 100_000],
        help="transactions per book, comma-separated (default 10000,100000; "
        "add 1000000 for the growth target)",
    )
    parser.add_argument(
        "--styles",
        type=_styles,
        default=list(STYLES),
        help="amount styles: plain (all three tools) and sv (ours and hledger)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument(
        "--big-runs",
        type=int,
        default=3,
        help="timed runs per tool on 1 000 000+ books (default 3)",
    )
    parser.add_argument(
        "--latency-runs",
        type=int,
        default=21,
        help="runs per command of the latency set (default 21)",
    )
    parser.add_argument(
        "--also-venv",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="time the latency set also with the `ledger` of this virtual environment, e.g. "
        ".venv-system made with another Python (see docs/performance.md); may be repeated",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--no-profile", dest="profile", action="store_false", help="skip the cProfile run of ours"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="the markdown page whose results section is replaced (default "
        "docs/performance.md); a new file gets the results alone",
    )
    args = parser.parse_args(argv)
    if min(args.runs, args.big_runs) < 1 or args.latency_runs < 1:
        parser.error("run counts must be at least 1")
    for venv in args.also_venv:
        if not (venv / "bin" / "ledger").is_file():
            parser.error(f"--also-venv {venv}: no bin/ledger in it (make it with make test …)")
    shown_argv = sys.argv[1:] if argv is None else argv
    command = shlex.join([".venv/bin/python", "-m", "bench.run", *shown_argv])
    try:
        _spliced(args.output, "")  # a page without its markers stops the run before it starts
        outcome = run(args, command)
        report = render(outcome)
        page = _spliced(args.output, report)  # read again: it may have been edited meanwhile
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    from sodertorn_ledger.fileio import write_atomic

    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.output, page, overwrite=True)
    print(report)
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
