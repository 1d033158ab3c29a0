"""Hostile settings files through the real `ledger` program, on a copy of the bundled books.

Each file is made here (a FIFO, a link to /dev/zero and a loop of links cannot be kept in
git), put beside the books as sodertorn.toml, and given to the commands a user would run.
Every run has a time limit and a memory limit (RLIMIT_AS), and must end with exit 1 (or
2), no traceback, only printable text, the message that names the file, line and key, and
the books as they were.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from sodertorn_ledger.books_writer import LOCK_FILE

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"
SETTINGS_TEXT = (BUNDLED / "sodertorn.toml").read_text(encoding="utf-8")

TIMEOUT = 60.0
"""Seconds a run may take: on an idle machine a refusal takes well under one."""
MEMORY = 1 << 30
"""Bytes of address space a run may have (a link to /dev/zero once took 2.2 GB)."""
UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

FEES = ("fees", "2020")
SUMMARY = ("summary", "2020")
DRY_RUN = ("fees", "2021", "--book", "--dry-run")
BOOK = ("fees", "2021", "--book")
EVERY_COMMAND_WITH_BOOKS_AND_SETTINGS = (
    ("check",),
    SUMMARY,
    ("result", "2020"),
    ("projects", "2020"),
    ("balance", "2020"),
    ("export", "2020"),
    FEES,
    DRY_RUN,
    BOOK,
    ("close", "2020", "--dry-run"),
)


class Run(NamedTuple):
    code: int
    out: str
    err: str
    seconds: float


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def ledger(books: Path, *args: str) -> Run:
    """`ledger ARGS -f BOOKS` as a user runs it, within the time and memory limits."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "sodertorn_ledger", *args, "-f", str(books)],
        cwd=books.parent.parent,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
        preexec_fn=_limits,
        check=False,
    )
    seconds = time.monotonic() - start
    # Strict: output that is not UTF-8 fails the test here.
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode(), seconds)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file of the books but the settings and the writers' (empty) lock file,
    by its path: what must not change."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.name in ("sodertorn.toml", LOCK_FILE):
            continue
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


@pytest.fixture
def books(tmp_path: Path) -> Path:
    """A copy of the bundled books, with 2021.journal included, so that `fees 2021 --book`
    would book the invoices of 2021 if the settings let it."""
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns(".backup"))
    (folder / "2021.journal").write_text("; räkenskaper 2021\n", encoding="utf-8")
    with (folder / "main.journal").open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    return folder / "main.journal"


def assert_refused(run: Run, expected: list[str]) -> None:
    """Exit 1 or 2, no traceback, nothing on stdout, every expected text on stderr, and
    nothing a terminal would act on."""
    shown = run.out + run.err
    assert run.code in (1, 2), shown
    assert "Traceback" not in shown and "Error:" not in shown, shown
    assert run.out == "", run.out
    unprintable = [c for c in shown if c != "\n" and unicodedata.category(c) in UNPRINTABLE]
    assert not unprintable, (unprintable, shown)
    for text in expected:
        assert text in run.err, f"{text!r} not in:\n{run.err}"
    assert run.seconds < TIMEOUT


# --- the hostile files ----------------------------------------------------------------------


def replaced(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    """The bundled settings with `old` replaced by `new`."""
    assert SETTINGS_TEXT.count(old) >= count, f"test setup: {old!r}"

    def make(path: Path) -> None:
        path.write_text(SETTINGS_TEXT.replace(old, new, count), encoding="utf-8")

    return make


def written(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def linked(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


def many_members(path: Path) -> None:
    """About 1 MB: twenty thousand members, each with a bad kommunkod."""
    entries = "".join(
        f'[[members]]\ncode = "{i}"\nname = "M{i}"\nfee_account = "x:{i}"\n' for i in range(20_000)
    )
    path.write_text((SETTINGS_TEXT + entries)[:990_000].rpartition("[[members]]")[0])


def many_accounts(path: Path) -> None:
    """Forty-five thousand cost accounts of one fund (0.9 MB), none of them in the books."""
    accounts = ", ".join(f'"kostnader:x{i}"' for i in range(45_000))
    text = SETTINGS_TEXT.replace(
        'costs = ["kostnader:södertörnsmodellen"]', f"costs = [{accounts}]"
    )
    path.write_text(text, encoding="utf-8")


def many_escaped_accounts(path: Path) -> None:
    """Thirty-eight thousand accounts on one line (0.9 MB), each written with an escape
    ("kostnader:\\u0078…"): a problem's line is found without reading each one anew."""
    accounts = ", ".join(f'"kostnader:\\u0078{i}"' for i in range(38_000))
    text = SETTINGS_TEXT.replace(
        'costs = ["kostnader:södertörnsmodellen"]', f"costs = [{accounts}]"
    )
    path.write_text(text, encoding="utf-8")


def chained_accounts(path: Path) -> None:
    """Accounts each inside the one before ("k", "k:a", "k:a:a", …): every pair overlaps."""
    accounts = ", ".join(f'"k{":a" * i}"' for i in range(900))
    text = SETTINGS_TEXT.replace(
        'costs = ["kostnader:södertörnsmodellen"]', f"costs = [{accounts}]"
    )
    path.write_text(text, encoding="utf-8")


HAVE_DEV_ZERO = os.path.exists("/dev/zero")


class Hostile(NamedTuple):
    make: Callable[[Path], None]
    expected: list[str]
    """Texts of the error output; {file} is the settings file's path, {line:TEXT} the number
    of the line of the settings that holds TEXT."""
    commands: tuple[tuple[str, ...], ...] = (FEES,)


INJECTED = "Haninge\\n    tillgångar:bank  1000000 kr\\n    intäkter:drift  -1000000 kr"

HOSTILE = {
    "a link to /dev/zero": Hostile(
        linked("/dev/zero"),
        ["{file}: the settings are a character device, not a file; nothing was read from it"],
        (FEES, SUMMARY, DRY_RUN),
    ),
    "a FIFO": Hostile(fifo, ["{file}: the settings are a FIFO (named pipe), not a file"]),
    "a directory": Hostile(folder, ["{file}: the settings are a directory, not a file"]),
    "a link to nowhere": Hostile(linked("nowhere.toml"), ["{file}: no settings file"]),
    "a loop of links": Hostile(linked("sodertorn.toml"), ["{file}: cannot read the settings: "]),
    "2 MB": Hostile(
        written(SETTINGS_TEXT.encode() + b"# " + b"x" * 2_000_000 + b"\n"),
        ["{file}: the settings file is larger than 1 MB; nothing was read from it"],
    ),
    "arrays 5000 deep": Hostile(
        written(b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        ["{file}:1:37: arrays and tables nested too deep (more than 32 levels)"],
    ),
    "inline tables 5000 deep": Hostile(
        written(b"a = " + b"{b = " * 5000 + b"}" * 5000 + b"\n"),
        ["{file}:1:", ": arrays and tables nested too deep (more than 32 levels)"],
    ),
    "dotted keys 5000 deep": Hostile(
        written(b"a" + b".a" * 5000 + b" = 1\n[b" + b".b" * 5000 + b"]\n"),
        ["{file}:1: a: unknown setting", "{file}:2: b: unknown setting"],
    ),
    "a 5000-digit number": Hostile(
        replaced('"2019" = "4.00"', '"2019" = ' + "9" * 5000),
        ['{file}:{line:"2019" =}: not valid TOML: a number too long to read'],
    ),
    "a byte that is not UTF-8": Hostile(
        written(
            SETTINGS_TEXT.replace('"Salem"', '"S\udce9lem"').encode("utf-8", "surrogateescape")
        ),
        ['{file}:{line:lem"}:10: not UTF-8: the byte 0xe9 cannot be read as text'],
    ),
    "not TOML": Hostile(written(b"= = =\n"), ["{file}:1:1: not valid TOML: "]),
    "a raw escape character": Hostile(
        replaced('"Salem"', '"Sa\x1b[2Jlem"'),
        ['{file}:{line:name = "Sa}:11: not valid TOML: ', "\\x1b[2Jlem"],
    ),
    "a 28-digit rate": Hostile(
        replaced('"2019" = "4.00"', '"2019" = "1234567890123456789012345678"'),
        [
            '{file}:{line:"2019" =}: fees.rates.2019: expected a rate below 1 000 000 000 kr '
            "per inhabitant (at most nine digits before the decimal point), got "
            "'1234567890123456789012345678'"
        ],
        (FEES, SUMMARY, DRY_RUN),
    ),
    "a rate beyond öre": Hostile(
        replaced('"2019" = "4.00"', '"2019" = "4.0000000000000000000000000000001"'),
        ['{file}:{line:"2019" =}: fees.rates.2019: expected a rate in whole öre'],
    ),
    "a name that writes postings": Hostile(
        replaced('name = "Haninge"', f'name = "{INJECTED}"'),
        [
            '{file}:{line:name = "Haninge}: members[2].name: expected one line of text, with '
            "no line break, tab or other control or format character (found U+000A, a line "
            "break), got 'Haninge\\n    tillgångar:bank  1000000 kr\\n    intäkter:d..."
        ],
        (FEES, SUMMARY, DRY_RUN, BOOK),
    ),
    "a name with ';'": Hostile(
        replaced('name = "Haninge"', 'name = "Haninge ; avgift:2021"'),
        ["members[2].name: expected a name without ';' or '|'"],
        (DRY_RUN, BOOK),
    ),
    "a name with '|'": Hostile(
        replaced('name = "Haninge"', 'name = "Haninge | Avgift"'),
        ["members[2].name: expected a name without ';' or '|'"],
    ),
    "a name with ESC": Hostile(
        replaced('name = "Haninge"', 'name = "Han\\u001b[31minge"'),
        ["members[2].name: expected one line", "(found U+001B, an escape character)"],
        (FEES, SUMMARY),
    ),
    "a name with NUL": Hostile(
        replaced('name = "Haninge"', 'name = "Han\\u0000inge"'),
        ["members[2].name: expected one line", "(found U+0000, a NUL byte)"],
    ),
    "a name with U+2028, escaped": Hostile(
        replaced('name = "Haninge"', 'name = "Han\\u2028inge"'),
        ["members[2].name: expected one line", "(found U+2028, a line separator)"],
    ),
    "a name with U+2028, as is": Hostile(
        replaced('name = "Haninge"', 'name = "Han\u2028inge"'),
        ['{file}:{line:name = "Han}: members[2].name: expected one line', "U+2028"],
    ),
    "a name with U+202E": Hostile(
        replaced('name = "Haninge"', 'name = "Han\u202eegninah"'),
        ["members[2].name: expected one line", "(found U+202E, right-to-left override)"],
    ),
    "a fund's note over two lines": Hostile(
        replaced('note = "avser', 'note = "x\\navser'),
        ["funds[5].note: expected one line", "(found U+000A, a line break)"],
        (SUMMARY,),
    ),
    "a result line's name with a tab": Hostile(
        replaced('"Personalkostnader"', '"Personal\\tkostnader"'),
        ["result.costs[1].name: expected one line", "(found U+0009, a tab)"],
        (("result", "2020"),),
    ),
    "a project's name over two lines": Hostile(
        replaced('"Produktion kartor, Details"', '"Produktion\\r\\nkartor"'),
        ["projects.names.Produktion kartor: expected one line"],
    ),
    "an organisation over two lines": Hostile(
        replaced('organisation = "Södertörnssamarbetet"', 'organisation = "Söder\\ntörn"'),
        ["organisation: expected one line"],
    ),
    "a currency with a digit": Hostile(
        replaced('currency = "kr"', 'currency = "kr1"'),
        ["currency: expected a currency symbol of letters or a currency sign"],
        (DRY_RUN,),
    ),
    "a currency with a line break": Hostile(
        replaced('currency = "kr"', 'currency = "kr\\n    tillgångar:bank  1 kr"'),
        ["currency: expected a currency symbol"],
        (DRY_RUN,),
    ),
    "an account with a tab": Hostile(
        replaced(
            'receivable_account = "tillgångar:kundfordringar"',
            'receivable_account = "tillgångar:kund\\tfordringar"',
        ),
        ["fees.receivable_account: expected an account name"],
        (DRY_RUN,),
    ),
    "an account with a line break": Hostile(
        replaced(
            'fee_account = "intäkter:drift:avgifter:haninge"',
            'fee_account = "intäkter:drift:avgifter:haninge\\n    tillgångar:bank"',
        ),
        ["members[2].fee_account: expected an account name"],
        (DRY_RUN,),
    ),
    "a tag with ESC": Hostile(
        replaced('tag = "projekt"', 'tag = "pro\\u001bjekt"'),
        ["projects.tag: expected a tag name"],
        (("projects", "2020"),),
    ),
    "an operating fund's name with a comma": Hostile(
        replaced('name = "Södertörnssamarbetet drift"', 'name = "Södertörnssamarbetet, drift"'),
        ["funds[1].name: expected the operating fund's name without ','"],
        (("close", "2020", "--dry-run"),),
    ),
    "a kommunkod twice": Hostile(
        replaced('code = "0136"', 'code = "0127"'),
        [
            '{file}:{line:code = "0127"@2}: members[2].code: expected each kommunkod once, got '
            '"0127" twice, at members[1].code (line {line:code = "0127"}) and members[2].code '
            '(line {line:code = "0127"@2})'
        ],
    ),
    "a fee_account twice": Hostile(
        replaced("avgifter:haninge", "avgifter:botkyrka"),
        [
            "members[2].fee_account: expected each fee_account once, got "
            '"intäkter:drift:avgifter:botkyrka" twice, at members[1].fee_account (line '
            '{line:avgifter:botkyrka"}) and members[2].fee_account (line '
            '{line:avgifter:botkyrka"@2})'
        ],
    ),
    "a misspelt fee_account": Hostile(
        replaced('"intäkter:drift:avgifter:haninge"', '"intäkter:drift:avgifter:haning"'),
        [
            '{file}:{line:avgifter:haning"}: members[2].fee_account: expected an account of '
            'the books, got "intäkter:drift:avgifter:haning" (no `account` directive declares '
            "it and no posting uses it)",
            'hint: did you mean "intäkter:drift:avgifter:haninge"?',
            "ledger: the settings {file} name accounts that are not in the books; nothing was done",
        ],
        EVERY_COMMAND_WITH_BOOKS_AND_SETTINGS,
    ),
    "a misspelt fund account": Hostile(
        replaced(
            'income = ["intäkter:södertörnsmodellen"]', 'income = ["intäkter:södertörnsmodelen"]'
        ),
        [
            '{file}:{line:"intäkter:södertörnsmodelen"}: funds[2].income[1]: expected an '
            'account of the books, got "intäkter:södertörnsmodelen" (neither it nor an account '
            "below it is declared or posted to)",
            'hint: did you mean "intäkter:södertörnsmodellen"?',
        ],
        EVERY_COMMAND_WITH_BOOKS_AND_SETTINGS,
    ),
    "a misspelt result line account": Hostile(
        replaced('"kostnader:drift:resor och logi"', '"kostnader:drift:resor och logi:x"'),
        [
            '{file}:{line:"kostnader:drift:resor och logi:x"}: result.costs[3].accounts[1]: '
            'expected an account of the books, got "kostnader:drift:resor och logi:x"'
        ],
        (("result", "2020"),),
    ),
    "a misspelt result fund": Hostile(
        replaced('"fonder:drift från {year}"', '"fondr:drift från {year}"'),
        [
            "{file}:{line:fondr:drift}: funds[1].result_account: expected {year} below an "
            'account of the books, got "fondr:drift från {year}" ("fondr" is not declared or '
            "posted to, nor any account below it)",
            'hint: did you mean "fonder"?',
        ],
        (("close", "2020", "--dry-run"),),
    ),
    "20 000 members with a bad kommunkod": Hostile(
        many_members,
        ["members[9].code: expected the SCB kommunkod", "more problems in the settings"],
    ),
    "45 000 accounts not in the books": Hostile(
        many_accounts,
        ['funds[2].costs[1]: expected an account of the books, got "kostnader:x0"', "and "],
        (SUMMARY,),
    ),
    "38 000 escaped accounts not in the books": Hostile(
        many_escaped_accounts,
        [
            '{file}:{line:costs = ["kostnader:\\u00780"}: funds[2].costs[1]: expected an account '
            'of the books, got "kostnader:x0"',
            "and 37980 more accounts of the settings that are not in the books",
        ],
        (SUMMARY,),
    ),
    "900 accounts inside each other": Hostile(
        chained_accounts, ['funds[2].costs[2]: expected each account in one place, got "k"']
    ),
}


def expected_texts(case: Hostile, settings: Path) -> list[str]:
    lines = settings.read_text(encoding="utf-8", errors="replace").split("\n")

    def line_of(marker: str) -> str:
        text, _, nth = marker.partition("@")
        found = [n for n, line in enumerate(lines, 1) if text in line]
        return str(found[int(nth or 1) - 1])

    out = []
    for text in case.expected:
        text = text.replace("{file}", str(settings))
        while "{line:" in text:
            start = text.index("{line:")
            end = text.index("}", start)
            text = text[:start] + line_of(text[start + 6 : end]) + text[end + 1 :]
        out.append(text)
    return out


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_settings_file_is_refused_cleanly(name: str, books: Path) -> None:
    case = HOSTILE[name]
    if "/dev/zero" in name and not HAVE_DEV_ZERO:
        pytest.skip("no /dev/zero here")
    settings = books.parent / "sodertorn.toml"
    settings.unlink()
    case.make(settings)
    before = snapshot(books.parent)
    expected = (
        expected_texts(case, settings)
        if settings.is_file() and not settings.is_symlink()
        else [t.replace("{file}", str(settings)) for t in case.expected]
    )
    for command in case.commands:
        run = ledger(books, *command)
        assert_refused(run, expected)
        assert snapshot(books.parent) == before, f"{command}: the books changed"
    assert not list(books.parent.parent.glob("*.xlsx")), "export wrote a workbook"


def test_the_same_books_with_the_bundled_settings_book_the_invoices(books: Path) -> None:
    """The control: what the hostile settings are refused in would otherwise work."""
    run = ledger(books, *DRY_RUN)
    assert run.code == 0, run.err
    assert run.out.count("kommun:") == 8 and "Haninge kommun | Avgift 2021" in run.out


def test_a_byte_order_mark_is_read_as_the_journal_reads_it(books: Path) -> None:
    settings = books.parent / "sodertorn.toml"
    plain = ledger(books, *FEES)
    settings.write_bytes(b"\xef\xbb\xbf" + settings.read_bytes())
    with_bom = ledger(books, *FEES)
    assert plain.code == with_bom.code == 0, with_bom.err
    assert with_bom.out == plain.out


def test_a_file_of_exactly_the_limit_is_read(books: Path) -> None:
    settings = books.parent / "sodertorn.toml"
    data = SETTINGS_TEXT.encode()
    settings.write_bytes(data + b"#" * (1_000_000 - len(data) - 1) + b"\n")
    assert settings.stat().st_size == 1_000_000
    run = ledger(books, *FEES)
    assert run.code == 0, run.err


def test_the_accounts_are_checked_on_every_run_not_cached(books: Path) -> None:
    """Settings that validated (and were cached) fail once the books lose an account they
    name: the accounts check depends on the books, so it is never part of the cache."""
    settings = books.parent / "sodertorn.toml"
    typo = "intäkter:drift:avgifter:haning"
    settings.write_text(
        SETTINGS_TEXT.replace('"intäkter:drift:avgifter:haninge"', f'"{typo}"'), encoding="utf-8"
    )
    main = books.read_text(encoding="utf-8")
    books.write_text(main + f"account {typo}\n", encoding="utf-8")
    assert ledger(books, *SUMMARY).code == 0
    assert ledger(books, *SUMMARY).code == 0  # from the cache
    books.write_text(main, encoding="utf-8")
    run = ledger(books, *SUMMARY)
    assert_refused(run, [f'members[2].fee_account: expected an account of the books, got "{typo}"'])


def test_an_account_only_posted_to_is_in_the_books(books: Path) -> None:
    """Declaring accounts is not required (only `check --strict` asks for it): an account
    with postings counts, and a fund's entry counts when an account below it does."""
    text = books.read_text(encoding="utf-8")
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(
            (
                "account intäkter:drift:avgifter:haninge ",  # posted to
                "account fonder:södertörnsmodellen ",  # posted to
                "account kostnader:drift:personal ",  # its subaccounts are declared
            )
        )
    ]
    assert len(kept) == len(text.splitlines()) - 3, "test setup"
    books.write_text("".join(kept), encoding="utf-8")
    assert ledger(books, "check", "--strict").code == 1
    run = ledger(books, *SUMMARY)
    assert run.code == 0, run.err


def test_population_needs_only_the_settings(books: Path) -> None:
    """`ledger population` reads no books, so it does not check the settings' accounts."""
    settings = books.parent / "sodertorn.toml"
    settings.write_text(
        SETTINGS_TEXT.replace("avgifter:haninge", "avgifter:haning"), encoding="utf-8"
    )
    run = ledger(books, "population", "2019")
    assert run.code == 0, run.err
    assert ledger(books, "accounts").code == 0
