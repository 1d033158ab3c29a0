"""The reference journal reader: plain-text books (hledger's journal format, a documented
subset) to data. It is the specification of how the books are read.

`parse_books(path)` reads the main file and everything it includes, in order, and returns a
`Journal` whose `problems` list every problem found (it never raises for bad input). Checks
that need the whole books (balance assertions, declared accounts) live in `checks.py`.

Files: only regular files are read (a FIFO or a device is never opened), each within
`MAX_FILE_BYTES`, all of them within `MAX_BOOK_BYTES` and `MAX_FILES`; a file that is not
UTF-8 text is a problem naming it. LF, CRLF and a bare CR each end a line. Includes are
followed with a stack of open files, never by recursion, so they nest to any depth.

The reader goes line by line: directives, includes, transactions (`transaction`) and their
postings (`posting`, amounts in `amounts.py`); it words every error and warning. Big books
are nearly all common transactions, so before reading a transaction it lets the fast path
(`fast.py`) take the common ones that come next, each in one step; the fast path takes
only what it reads exactly as this reader would and leaves everything else here. The
tests read books both ways and compare (`parse_books(path, fast=False)` skips the fast
path).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from sodertorn_ledger.journal.amounts import AmountError, NumberStyleError, parse_amount
from sodertorn_ledger.journal.fast import take_common
from sodertorn_ledger.journal.model import AccountDeclaration, Journal, Posting, Tags, Transaction
from sodertorn_ledger.money import journal_amount
from sodertorn_ledger.problems import Problem

SUPPORTED_DIRECTIVES = ("account", "commodity", "decimal-mark", "include", "comment")
# Directives of hledger and ledger-cli these books may not use. A word of letters is an
# unsupported directive anyway; these also name the ones that are not words (~, =).
KNOWN_UNSUPPORTED = {
    "alias",
    "apply",
    "end",
    "payee",
    "tag",
    "year",
    "Y",
    "P",
    "D",
    "N",
    "C",
    "A",
    "~",
    "=",
    "bucket",
    "capture",
    "check",
    "define",
    "expr",
    "assert",
    "eval",
    "python",
    "value",
    "default",
    "timeclock",
    "i",
    "o",
    "b",
    "h",
}
WHITESPACE = " \t"  # the blanks of the format: a no-break space is text to hledger
ZERO = Decimal(0)
_DATE_TOKEN = re.compile(r"[^ \t;]*").match  # a transaction's date, up to a blank or ';'
# A posting date in a posting comment ([2020-03-01], [=2020-03-01]), which hledger honours.
_BRACKETED_DATE = re.compile(r"\[=?\d{1,4}[-/.]\d").search
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)
# The end of an entry: a line and the indented lines below it.
_ENTRY_END = re.compile(r"\n(?![ \t])").search


def parse_tags(comment: str) -> Tags:
    """Tags in a comment, as hledger finds them: ``name:value`` up to the next comma."""
    tags: Tags = {}
    if ":" not in comment:
        return tags
    for part in comment.split(","):
        colon = part.find(":")
        if colon <= 0:
            continue
        head = part[:colon]
        # The tag name is the last word before the colon.
        name = head.split()[-1] if head.split() else ""
        if not name or head.endswith((" ", "\t")):
            continue
        tags[name] = part[colon + 1 :].strip()
    return tags


def _split_comment(text: str) -> tuple[str, str]:
    """Split at the first ';' into (content, comment text)."""
    semi = text.find(";")
    if semi < 0:
        return text, ""
    return text[:semi], text[semi + 1 :].strip()


_GAP = re.compile(r"[ \t]{2}").search
TWO_SPACES = (
    "put two spaces between the account and the amount "
    "(hledger too reads one space or one tab as part of the account name)"
)
_DIGIT = re.compile(r"[0-9]").search
MAX_AMOUNT_TEXT = 64
"""The longest text after one blank in an account name that is looked at as its amount
(`999 999 999 999 999,9999 kr`, the longest amount, has 27 characters)."""
_LONG_FIRST_GROUP = re.compile(r"[0-9]{4,} [0-9]").match  # `2019 5,00`: a year, then an amount


def _separator(text: str) -> int:
    """Index of the first run of two whitespace characters (hledger's account/amount gap), or -1."""
    gap = _GAP(text)
    return gap.start() if gap else -1


MAX_FILE_BYTES = 256 * 2**20
"""The most one journal file may hold (256 MiB): a million transactions are about 160 MB.
Checked before the file is read, so a file given by mistake (a disk image) is not read."""
MAX_BOOK_BYTES = 512 * 2**20
"""The most all the books' files may hold together (512 MiB). It also bounds the number of
amounts, which keeps every sum of them exact (see `amounts.py`)."""
MAX_FILES = 10_000
"""The most files one reading of the books may open (a file included twice counts twice):
books have a file a year; it bounds the work on includes that multiply."""
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_TEXT_FILES = "the books are plain text journal files (UTF-8); is this the file you meant?"

_Include = tuple[str, int, str | None, int | None]
"""Where an include stands: file, line, the line's text, the file name's column."""


class _File:
    """A file being read: its text, where the reading stands, and the files an include in
    it named, to be read before the rest of it (last first)."""

    __slots__ = ("at", "file", "folder", "includes", "line", "real", "text")

    def __init__(self, text: str, file: str, folder: Path, real: str) -> None:
        self.text = text
        self.file = file
        self.folder = folder
        self.real = real
        self.at = 0
        self.line = 1
        self.includes: list[tuple[str, _Include]] = []


class _NotAFile(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size  # as far as it was found out


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def _regular_size(mode: int, size: int) -> int:
    """The size of a regular file; what else it is, as `_NotAFile`."""
    if stat.S_ISREG(mode):
        return size
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise _NotAFile(kind)


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """The file's bytes, `size` as its status said; `_TooBig` past `limit`."""
    if size > limit:
        raise _TooBig(size)
    raw = handle.read(size + 1)
    if len(raw) <= size:
        return raw
    # The file grew since (or its status says 0, as in /proc): read on, a piece at a time.
    pieces = [raw]
    read = len(raw)
    while piece := handle.read(1 << 20):
        pieces.append(piece)
        read += len(piece)
        if read > limit:
            raise _TooBig(read)
    return b"".join(pieces)


def _binary(raw: bytes) -> str:
    """Why `raw` is not text ('' when it may be): what it is, never its bytes."""
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "it is a zip archive, such as an Excel workbook"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it is UTF-16 text: save it as UTF-8"
    nul = raw.find(b"\x00")
    if nul >= 0:
        return f"a NUL byte on line {_line_around(raw, nul)[0]}"
    return ""


def _line_around(raw: bytes, at: int) -> tuple[int, int, int]:
    """The line that holds byte `at`: its number (CRLF, LF and a bare CR each end one),
    start and end."""
    head = raw[:at]
    line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    if start == 0 and raw.startswith(b"\xef\xbb\xbf"):
        start = 3  # after the byte order mark
    ends = [k for k in (raw.find(b"\n", at), raw.find(b"\r", at)) if k >= 0]
    return line, start, min(ends, default=len(raw))


def _block_end(text: str, at: int) -> int:
    """Where the comment block that starts at `at` ends: after its `end comment` line (the
    end of the text if it has none). Found by search, not line by line: a file of many
    blocks is read in one pass."""
    find = text.find
    k = find("\nend comment", at)
    while k >= 0:
        stop = find("\n", k + 1)  # every line ends in one
        if text[k + 1 : stop].rstrip() == "end comment":
            return stop + 1
        k = find("\nend comment", stop)
    return len(text)


class _Reader:
    """Parse state that flows through the main file and its includes, in reading order.

    It is also all the fast path knows of the books (`fast.Books`, at the end).
    """

    def __init__(self, journal: Journal, *, fast: bool = True) -> None:
        self.journal = journal
        self.fast = fast  # False: every transaction line by line (tests compare the two)
        self.decimal_mark: str | None = None  # the decimal-mark directive's
        self.styles: dict[str, str | None] = {}  # a commodity directive's decimal mark
        # Where each was declared (the directive, its file and line), for the messages of
        # numbers written in another style; the decimal-mark directive's under None.
        self.declared_at: dict[str | None, tuple[str, str, int]] = {}
        self.files: list[_File] = []  # the files being read: each includes the next
        self.reading: set[str] = set()  # their real paths, to find include cycles
        self.opened = 0  # files opened, of MAX_FILES
        self.bytes_read = 0  # of MAX_BOOK_BYTES
        self.dates: dict[str, dt.date] = {}  # by their text: books use each date many times
        # Tags by comment text, for the fast path: books repeat the same few (kommun:0127).
        # Its records share these dicts; this reader's own records get dicts of their own,
        # as it adds the tags of a posting's comment lines to them.
        self.known_tags: dict[str, Tags] = {}
        self.bare: list[tuple[str, int, str, int]] = []  # bare numbers before any symbol

    # -- problems -------------------------------------------------------------------------
    def problem(
        self,
        file: str,
        line: int,
        message: str,
        hint: str = "",
        *,
        column: int | None = None,
        text: str | None = None,
        warning: bool = False,
    ) -> None:
        self.journal.problems.append(
            Problem(file, line, message, hint, column, text, "warning" if warning else "error")
        )

    # -- files ----------------------------------------------------------------------------
    def read_books(self, path: Path) -> None:
        """Read the file at `path` and, each where its include stands, the files it includes.

        Includes are followed with a stack of open files, not by recursion: the depth of
        the includes is limited only by `MAX_FILES`.
        """
        self.open(str(path), None)
        files = self.files
        while files:
            current = files[-1]
            if current.includes:
                self.open(*current.includes.pop())
            elif not self.read_on(current):
                files.pop()
                self.reading.discard(current.real)

    def open(self, name: str, where: _Include | None) -> None:
        """Start reading the file `name` (a problem when it cannot be read as a journal file);
        `where` is the include that names it (None: the main journal)."""
        file, line, text, column = where or (name, 0, None, None)

        def refuse(message: str, hint: str = "") -> None:
            self.problem(file, line, message, hint, column=column, text=text)

        try:
            real = os.path.realpath(name)
        except (OSError, ValueError):  # it cannot be read either: the reading says why
            real = name
        if real in self.reading:
            refuse(
                f"include cycle: {name} is already being read",
                "remove the include that leads back to a file that includes this one",
            )
            return
        if self.opened >= MAX_FILES:
            refuse(
                f"cannot read {name}: the books have read {MAX_FILES} files already, "
                "the most they may",
                "is a file included over and over? (see docs/journal-format.md)",
            )
            return
        self.opened += 1
        left = MAX_BOOK_BYTES - self.bytes_read
        try:
            # A FIFO or a device is never opened (it would block, or never end); the file is
            # opened without blocking, and checked again, in case it changed in between.
            limit = min(MAX_FILE_BYTES, left)
            status = os.stat(name)
            if _regular_size(status.st_mode, status.st_size) > limit:
                raise _TooBig(status.st_size)
            with open(os.open(name, _OPEN_FLAGS), "rb") as handle:
                status = os.fstat(handle.fileno())
                raw = _read_at_most(handle, _regular_size(status.st_mode, status.st_size), limit)
        except FileNotFoundError:
            if where is None:
                refuse(f"cannot read {name}: no such file")
            else:
                refuse(
                    f"included file not found: {name}",
                    "check the file name; include paths are relative to the including file",
                )
            return
        except _NotAFile as exc:
            refuse(
                f"cannot read {name}: it is {exc.kind}, not a journal file",
                "the books are plain text files; include only those",
            )
            return
        except _TooBig as exc:
            if exc.size <= MAX_FILE_BYTES:
                refuse(
                    f"cannot read {name}: the books would be more than {_mib(MAX_BOOK_BYTES)} "
                    "in all with it",
                    "keep the books to their journal files (see docs/journal-format.md)",
                )
            else:
                refuse(
                    f"cannot read {name}: it is more than {_mib(MAX_FILE_BYTES)}, "
                    "the most a journal file may be",
                    "is it a journal file? split big books into a file a year "
                    "(see docs/journal-format.md)",
                )
            return
        except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            refuse(f"cannot read {name}: {reason}")
            return
        self.bytes_read += len(raw)
        binary = _binary(raw)
        if binary:
            refuse(f"cannot read {name}: it is not a text file ({binary})", _TEXT_FILES)
            return
        content = self.decode(name, raw)
        if content is None:
            return
        self.journal.files.append(name)
        self.reading.add(real)
        self.files.append(_File(content, name, Path(name).parent, real))

    def decode(self, name: str, raw: bytes) -> str | None:
        """The file's text, every line ended by one \\n; None, with a problem, when it is not
        UTF-8."""
        try:
            # Not "utf-8-sig": it counts an error's position after the byte order mark.
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            line, start, end = _line_around(raw, exc.start)
            shown = raw[start:end].decode("utf-8", errors="surrogateescape")
            self.problem(
                name,
                line,
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)",
                column=len(raw[start : exc.start].decode("utf-8", errors="surrogateescape")) + 1,
                text=shown,
            )
            return None
        if "\r" in text:
            # CRLF (Windows), LF and a bare CR (old Mac, some spreadsheet exports) each end a
            # line, as in hledger: the lines are numbered alike.
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.endswith("\n"):
            text += "\n"  # every line ends in one, as the fast path's patterns expect
        return text

    # -- lines ----------------------------------------------------------------------------
    def read_on(self, current: _File) -> bool:
        """Read on in the file `current`, entry by entry, up to its end (False) or up to an
        include (True: the files it names are `current.includes`, to be read first)."""
        text = current.text
        file = current.file
        folder = current.folder
        includes = current.includes
        n = len(text)
        at = current.at  # where the line being read starts in `text` …
        i = current.line  # … and its number
        fast = self.fast
        find = text.find
        while at < n:
            first = text[at]
            if first == "\n":
                at += 1
                i += 1
                continue
            if first in "0123456789" and fast:
                # The common transactions from here on, if any, each in one step.
                start = at
                at, i = take_common(text, at, i, file, self)
                if at != start:
                    continue
            # Anything else is read line by line, from the lines of this entry only (the
            # whole text is never split: big books are nearly all common transactions).
            if first in WHITESPACE or first in ";#*":
                end = find("\n", at) + 1
            elif text.startswith("comment", at) and text[at + 7] in " \t\n":
                end = _block_end(text, at)  # a comment block reads on to its `end comment`
            else:
                entry_end = _ENTRY_END(text, at)  # a date or directive line, indented lines
                end = entry_end.end() if entry_end else n
            lines = text[at:end].split("\n")
            read = self.entry(lines, i, file, folder)
            at += sum(map(len, lines[:read])) + read
            i += read
            if includes:
                current.at, current.line = at, i
                return True
        return False

    def entry(self, lines: list[str], lineno: int, file: str, folder: Path) -> int:
        """Read the entry (or line) that starts `lines`, at `lineno`; the lines it took."""
        line = lines[0]
        first = line[0]
        if first in "0123456789":
            return self.transaction(lines, line, lineno, file)
        if first in ";#*":
            return 1
        if first in WHITESPACE:
            body = line.strip()
            if body and body[0] not in ";#":
                self.problem(
                    file,
                    lineno,
                    "indented line outside a transaction",
                    "postings belong directly under a transaction's date line, "
                    "with no blank or unindented comment line in between",
                    column=len(line) - len(line.lstrip()) + 1,
                    text=line,
                )
            return 1
        return self.directive(lines, line, lineno, file, folder)

    def directive(self, lines: list[str], line: str, lineno: int, file: str, folder: Path) -> int:
        """A directive line at lines[0] (line `lineno`) and its indented lines; returns how
        many lines were read."""
        i = 1
        # Split at the first space or tab only: str.split() would also split at a no-break
        # space, which is not a separator to hledger.
        word, _, rest = line.replace("\t", " ").partition(" ")
        rest = rest.strip(WHITESPACE)
        if word == "comment":
            while i < len(lines):
                i += 1
                if lines[i - 1].rstrip() == "end comment":
                    return i
            self.problem(
                file,
                lineno,
                "comment block without `end comment`: the rest of the file is not read",
                "end the block with a line `end comment` (hledger reads it the same way)",
                column=1,
                text=line,
                warning=True,
            )
            return i
        if word == "account":
            self.account_directive(rest, line, lineno, file)
        elif word == "commodity":
            self.commodity_directive(rest, line, lineno, file)
        elif word == "decimal-mark":
            if rest not in (".", ","):
                self.problem(
                    file,
                    lineno,
                    f"decimal-mark must be '.' or ',', not '{rest}'",
                    "write `decimal-mark ,` for Swedish amounts",
                    text=line,
                )
            else:
                self.decimal_mark = rest
                self.declared_at[None] = (f"decimal-mark {rest}", file, lineno)
        elif word == "include":
            self.include(rest, line, lineno, file, folder)
        elif word in KNOWN_UNSUPPORTED or word.isalpha():
            self.problem(
                file,
                lineno,
                f"unsupported directive '{word}'",
                "these books support only: account, commodity, decimal-mark, include, "
                "comment … end comment (see docs/journal-format.md)",
                column=1,
                text=line,
            )
        else:
            self.problem(
                file,
                lineno,
                f"unexpected '{line[0]}' at the start of a line",
                "a line starts with a date (a transaction), a directive, an indent (a posting) "
                "or ; # * (a comment)",
                column=1,
                text=line,
            )
        # Indented lines after a directive: comments are fine, anything else is not read.
        while i < len(lines):
            nxt = lines[i]
            if not nxt or nxt[0] not in WHITESPACE:
                break
            body = nxt.strip()
            if body and body[0] not in ";#":
                self.problem(
                    file,
                    lineno + i,
                    f"unsupported sub-directive under '{word}'",
                    "only comment lines may follow a directive indented",
                    column=len(nxt) - len(nxt.lstrip()) + 1,
                    text=nxt,
                )
            i += 1
        return i

    def account_directive(self, rest: str, line: str, lineno: int, file: str) -> None:
        """`account NAME  ; comment`: the first declaration of a name counts."""
        gap = _separator(rest)
        name, _, after = (rest[:gap], "", rest[gap:]) if gap >= 0 else (rest, "", "")
        name = name.strip().replace("\t", " ")
        comment = ""
        after = after.strip()
        if after.startswith(";"):
            comment = after[1:].strip()
        if not name:
            self.problem(file, lineno, "account directive without an account name", text=line)
            return
        if name not in self.journal.declarations:
            self.journal.declarations[name] = AccountDeclaration(
                name, comment, parse_tags(comment), file, lineno
            )

    def commodity_directive(self, rest: str, line: str, lineno: int, file: str) -> None:
        """`commodity kr` or `commodity 1 000,00 kr`: the books' currency, and with a sample
        amount its decimal mark, which decides how a lone ',' or '.' is read."""
        body, _ = _split_comment(rest)
        body = body.strip()
        if not body:
            self.problem(file, lineno, "commodity directive without a commodity", text=line)
            return
        if not any(c in "0123456789" for c in body):
            self.use_commodity(body.strip('"'), file, lineno, line, line.find(body) + 1)
            return
        try:
            # The sample amount shows the style; its own marks are read without directives.
            amount = parse_amount(body, None, {})
        except AmountError as exc:
            self.problem(file, lineno, exc.message, exc.hint, column=None, text=line)
            return
        if amount.decimal_mark is None:
            # hledger 1.25 refuses such a sample: it could not tell how to read 1,234.
            self.problem(
                file,
                lineno,
                "the commodity directive's sample amount has no decimal mark",
                "include a decimal comma (or point) in the sample, e.g. `commodity 1 000,00 kr`",
                column=line.find(body) + 1,
                text=line,
            )
            return
        self.styles[amount.commodity] = amount.decimal_mark
        self.declared_at[amount.commodity] = (f"commodity {body}", file, lineno)
        self.use_commodity(amount.commodity, file, lineno, line, line.find(body) + 1)

    def use_commodity(self, commodity: str, file: str, lineno: int, line: str, col: int) -> bool:
        """Record the books' one currency; another one is an error. True when accepted.

        A bare number ('' commodity) before any currency symbol is held back: the books
        may be kept in bare numbers, or the symbol comes later and the bare number is
        the mistake, reported at its own line.
        """
        current = self.journal.commodity
        if current is None:
            if commodity:
                self.journal.commodity = commodity
                for where in self.bare:
                    self.bare_problem(*where, commodity)
                self.bare.clear()
            else:
                self.bare.append((file, lineno, line, col))
            return True
        if commodity == current:
            return True
        if not commodity:
            self.bare_problem(file, lineno, line, col, current)
            return False
        self.problem(
            file,
            lineno,
            f"amount in '{commodity}', but the books are kept in '{current or 'bare numbers'}'",
            f"write every amount in {current} (e.g. 1 450,00 {current}); "
            "the books hold one currency"
            if current
            else "the books hold one currency: write no currency symbol, or one everywhere",
            column=col,
            text=line,
        )
        return False

    def shown(self, amount: Decimal) -> str:
        """An amount in a message, written the way these books write amounts."""
        commodity = self.journal.commodity or ""
        mark = self.decimal_mark or self.styles.get(commodity) or "."
        return journal_amount(amount, commodity, mark, pad_ore=False)

    def bare_problem(self, file: str, lineno: int, line: str, col: int, commodity: str) -> None:
        self.problem(
            file,
            lineno,
            f"amount without a currency symbol, but the books are kept in '{commodity}'",
            f"write the currency after the number, e.g. 1 450,00 {commodity}",
            column=col,
            text=line,
        )

    def include(self, rest: str, line: str, lineno: int, file: str, folder: Path) -> None:
        """`include FILE` (relative to the including file, or a glob pattern): the files to
        read next, before the rest of this one."""
        target = rest.strip()
        if not target:
            self.problem(file, lineno, "include without a file name", text=line)
            return
        pattern = os.path.expanduser(target)
        full = pattern if os.path.isabs(pattern) else str(folder / pattern)
        where: _Include = (file, lineno, line, line.find(target) + 1)
        if any(magic in full for magic in "*?["):  # as glob.has_magic
            import glob  # here: books without a pattern are most books
            from itertools import islice

            # No more matches are gathered than the books may read (a pattern like /*/*/*
            # would list a whole disk).
            matches = sorted(islice(glob.iglob(full), MAX_FILES + 1))
            if len(matches) > MAX_FILES:
                self.problem(
                    file,
                    lineno,
                    f"include pattern '{target}' matches more than {MAX_FILES} files, "
                    "more than the books may read",
                    "include the journal files by a narrower pattern",
                    text=line,
                )
                return
            if not matches:
                self.problem(file, lineno, f"include pattern '{target}' matches no file", text=line)
            where = (file, lineno, line, None)
        else:
            matches = [full]
        # Read by `read_books` in this order (it takes the last first).
        self.files[-1].includes.extend((match, where) for match in reversed(matches))

    # -- transactions ---------------------------------------------------------------------
    def date(self, token: str) -> dt.date | None:
        """The date `token` names (2020-01-31, 2020/1/31, 2020.01.31); None if it names none."""
        cached = self.dates.get(token)
        if cached is not None:
            return cached
        sep = "-" if "-" in token else "/" if "/" in token else "."
        parts = token.split(sep)
        if len(parts) != 3 or not all(p and p.isascii() and p.isdigit() for p in parts):
            return None
        try:
            value = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except (ValueError, OverflowError):  # not a calendar date, or a year past 9999
            return None
        self.dates[token] = value
        return value

    def transaction(self, lines: list[str], header: str, lineno: int, file: str) -> int:
        """The transaction whose date line is lines[0] (line `lineno`); returns how many
        lines were read."""
        i = 1
        # Header: DATE [*|!] [(CODE)] DESCRIPTION [; comment]
        found = _DATE_TOKEN(header)  # always matches, maybe empty
        end = found.end() if found else 0
        token = header[:end]
        date = self.dates.get(token) or self.date(token)
        ok = True
        if date is None:
            if "=" in token:
                msg, hint = "secondary dates are not supported", "remove the '=DATE' part"
            else:
                msg = f"invalid date '{token}'"
                hint = "write the date as YYYY-MM-DD, a real calendar date (e.g. 2020-01-31)"
            self.problem(file, lineno, msg, hint, column=1, text=header)
            ok = False
        head, comment = _split_comment(header[end:])
        head = head.strip()
        status = ""
        if head[:1] in ("*", "!"):
            status, head = head[0], head[1:].lstrip()
        code = ""
        if head.startswith("("):
            close = head.find(")")
            if close < 0:
                self.problem(
                    file,
                    lineno,
                    "transaction code without closing ')'",
                    "write the code as (CODE)",
                    text=header,
                )
                ok = False
            else:
                code, head = head[1:close], head[close + 1 :].strip()
        description = head
        tags = parse_tags(comment) if comment else {}
        comments = [comment] if comment else []

        postings: list[Posting] = []
        continued: dict[int, list[str]] = {}  # comment lines below a posting, by its index
        elided = -1
        total = ZERO
        nlines = len(lines)
        while i < nlines:
            raw = lines[i]
            if not raw or raw[0] not in WHITESPACE:
                break
            body = raw.lstrip(WHITESPACE)
            if not body:
                i += 1
                break  # a whitespace-only line ends the transaction, like a blank one
            if body[0] in ";#":
                # A comment line belongs to the posting above it, or to the transaction.
                i += 1
                text = body[1:].strip()
                if postings:
                    postings[-1].tags.update(parse_tags(text))
                    continued.setdefault(len(postings) - 1, []).append(text)
                else:
                    tags.update(parse_tags(text))
                    comments.append(text)
                continue
            posting = self.posting(raw, body, lineno + i, file)
            i += 1
            if posting is None:
                ok = False
                continue
            if posting.inferred:
                if elided >= 0:
                    self.problem(
                        file,
                        lineno + i - 1,
                        "more than one posting without an amount",
                        "only one posting per transaction may leave out its amount "
                        "(and remember two spaces between account and amount)",
                        column=len(raw) - len(raw.lstrip(WHITESPACE)) + 1,
                        text=raw,
                    )
                    ok = False
                elided = len(postings)
            else:
                total += posting.amount
            postings.append(posting)
        for k, extra in continued.items():
            p = postings[k]
            joined = "\n".join([p.comment, *extra] if p.comment else extra)
            postings[k] = _new(Posting, (*p[:5], joined, p.line))
        for posting in postings:
            tags_p, note = posting.tags, posting.comment
            if (tags_p and ("date" in tags_p or "date2" in tags_p)) or (
                "[" in note and _BRACKETED_DATE(note)
            ):
                # hledger moves such a posting to another date; reports by year would
                # then disagree with it, so the books must not rely on it.
                self.problem(
                    file,
                    posting.line,
                    "posting dates (a date: tag or [DATE] in a posting comment) are not supported",
                    "book the posting in a transaction of its own, dated when it happened",
                    text=lines[posting.line - lineno],
                )
                ok = False
        if not ok:
            return i
        if not postings:
            self.problem(
                file,
                lineno,
                "transaction without postings",
                "add indented posting lines below the date line",
                text=header,
            )
            return i
        if elided >= 0:
            p = postings[elided]
            postings[elided] = _new(Posting, (p.account, -total, True, *p[3:]))
        elif total != 0:
            self.problem(
                file,
                lineno,
                f"transaction does not balance: the amounts add up to {self.shown(total)}",
                "every transaction must sum to zero: correct an amount, or leave one "
                "posting's amount out to have it inferred",
                text=header,
            )
            return i
        assert date is not None
        self.journal.transactions.append(
            Transaction(
                date,
                status,
                code,
                description,
                tags,
                "\n".join(comments),
                tuple(postings),
                file,
                lineno,
            )
        )
        return i

    def posting(self, raw: str, body: str, lineno: int, file: str) -> Posting | None:
        """The posting on line `raw` (`body`: without its indent); None, with a problem,
        when it cannot be read."""
        indent = len(raw) - len(body)
        if body[0] in "*!" and (len(body) == 1 or body[1] in WHITESPACE):
            body = body[1:].lstrip(WHITESPACE)
            indent = len(raw) - len(body)
            if not body:
                self.problem(
                    file,
                    lineno,
                    "posting without an account",
                    "write the account after the status mark, e.g. `    * tillgångar:bank  10 kr`",
                    column=len(raw.rstrip(WHITESPACE)),
                    text=raw,
                )
                return None
        if body[0] in "([":
            self.problem(
                file,
                lineno,
                "virtual postings ( ) and [ ] are not supported",
                "write a real posting; every transaction must balance",
                column=indent + 1,
                text=raw,
            )
            return None
        gap = _separator(body)
        if gap < 0:
            account, rest = body, ""
        else:
            account, rest = body[:gap], body[gap:].strip(WHITESPACE)
        swallowed = self.amount_in_name(account)
        if swallowed >= 0:
            blank = "one tab" if account[swallowed] == "\t" else "one space"
            swallowed_amount = account[swallowed + 1 :].rstrip(WHITESPACE)
            self.problem(
                file,
                lineno,
                f"the amount '{swallowed_amount}' is read as part of the account name: "
                f"{blank} does not separate them",
                TWO_SPACES,
                column=indent + swallowed + 1,
                text=raw,
            )
            return None
        if "\t" in account:
            # hledger reads a single tab as part of the account name; so must we.
            account = account.replace("\t", " ")
            self.problem(
                file,
                lineno,
                f"the account name '{account}' contains a tab, which is read as a space",
                f"write a space in an account name; {TWO_SPACES}",
                column=indent + 1,
                text=raw,
                warning=True,
            )
        account = account.rstrip(" ")
        comment = ""
        semi = rest.find(";")
        if semi >= 0:
            comment = rest[semi + 1 :].strip()
            rest = rest[:semi].rstrip(WHITESPACE)
        assertion: Decimal | None = None
        assertion_text = ""
        assertion_at = 0
        if "=" in rest:
            rest, assertion_text = rest.split("=", 1)
            rest = rest.rstrip(WHITESPACE)
            assertion_text = assertion_text.strip(WHITESPACE)
            if assertion_text.startswith("="):
                assertion_text = assertion_text[1:].lstrip(WHITESPACE)
            if assertion_text.startswith("*"):
                self.problem(
                    file,
                    lineno,
                    "inclusive balance assertions (=*) are not supported",
                    "assert the account's own balance with =",
                    column=raw.find("=") + 1,
                    text=raw,
                )
                return None
            if not rest:
                self.problem(
                    file,
                    lineno,
                    "balance assignments (= without an amount) are not supported",
                    "write the posting's amount, then = and the expected balance",
                    column=raw.find("=") + 1,
                    text=raw,
                )
                return None
            if not assertion_text:
                self.problem(
                    file,
                    lineno,
                    "balance assertion without an amount",
                    "write the expected balance after '=', e.g. `= 1 450,00 kr`",
                    column=raw.find("=") + 1,
                    text=raw,
                )
                return None
            assertion_at = raw.find("=") + 1
        tags = parse_tags(comment) if comment else {}
        if not rest:
            return Posting(account, Decimal(0), True, None, tags, comment, lineno)
        if "@" in rest:
            self.problem(
                file,
                lineno,
                "prices (@, @@) are not supported: the books hold one currency",
                "book the amount in the books' currency",
                column=raw.find("@") + 1,
                text=raw,
            )
            return None
        amount = self.amount(rest, raw, lineno, file)
        if amount is None:
            return None
        if assertion_text:
            # Read after the amount, so the amount's currency is the one the books expect.
            assertion = self.amount(assertion_text, raw, lineno, file, assertion_at)
            if assertion is None:
                return None
        return Posting(account, amount, False, assertion, tags, comment, lineno)

    def amount_in_name(self, account: str) -> int:
        """Where, in a posting's account name as written, a single blank (space or tab)
        stands before what looks like its amount (-1: nowhere).

        hledger takes what follows one blank into the name (`a 469,00 kr` is an account),
        and so the amount is lost; these books never mean that. Text after a blank looks
        like an amount when it reads as one and has a sign or a decimal mark (`469,00`,
        `kr -5`), or starts with a digit and ends in the books' currency (`469 kr`): so
        `fonder:drift från 2019` keeps its year. Where several could be meant, the first
        whose digit groups are of three (`från 2019 5,00 kr`: not `2019 5,00 kr`).
        """
        if not _DIGIT(account):
            return -1
        currency = self.journal.commodity
        found = -1
        name = account.rstrip(WHITESPACE)  # no posting line, no gap: it may end in a blank
        # Only the name's last characters can hold an amount that is meant (a line of a
        # million words is searched in no more steps than a short one).
        start = max(0, len(name) - MAX_AMOUNT_TEXT - 1)
        for k in range(start, len(name) - 1):
            if name[k] not in WHITESPACE or name[k + 1] in WHITESPACE:
                continue
            rest = name[k + 1 :]
            try:
                amount = parse_amount(rest, None, {})
            except AmountError:
                continue
            if any(c in "+-.," for c in rest) or (
                rest[0] in "0123456789" and amount.commodity and amount.commodity == currency
            ):
                if not _LONG_FIRST_GROUP(rest):
                    return k
                if found < 0:
                    found = k
        return found

    def amount(self, text: str, raw: str, lineno: int, file: str, after: int = 0) -> Decimal | None:
        """The amount `text` found in line `raw` from `after`, in the books' currency; None,
        with a problem, when it cannot be read or is in another currency."""
        start = raw.find(text, after)
        try:
            amount = parse_amount(text, self.decimal_mark, self.styles, limited=True)
        except AmountError as exc:
            hint = exc.hint or "write an amount like 1 450,00 kr"
            if isinstance(exc, NumberStyleError):
                key = None if self.decimal_mark is not None else exc.commodity
                directive, where, at = self.declared_at[key]
                hint += f", as `{directive}` declares ({where}:{at})"
            self.problem(
                file,
                lineno,
                exc.message,
                hint,
                column=start + exc.offset + 1,
                text=raw,
            )
            return None
        bare_zero = not amount.commodity and not amount.quantity  # hledger takes `0` anywhere
        if (
            amount.commodity != self.journal.commodity
            and not bare_zero
            and not self.use_commodity(amount.commodity, file, lineno, raw, start + 1)
        ):
            return None
        if amount.ambiguous_mark is not None:
            self.problem(
                file,
                lineno,
                f"ambiguous amount '{text}': read as a decimal mark, like hledger",
                "if the books use comma decimals, put `decimal-mark ,` at the top of the main "
                f"journal; if '{amount.ambiguous_mark}' was meant as a thousands separator, "
                "write the number without it",
                column=start + 1,
                text=raw,
                warning=True,
            )
        return amount.quantity

    # -- what the fast path knows of the books (fast.Books) -------------------------------
    @property
    def transactions(self) -> list[Transaction]:
        return self.journal.transactions

    @property
    def commodity(self) -> str | None:
        return self.journal.commodity

    @property
    def decided_mark(self) -> str | None:
        """The decimal mark the books declare for their currency, if any (see amounts.py)."""
        return self.decimal_mark or self.styles.get(self.journal.commodity or "")

    def tags(self, comment: str) -> Tags:
        """The tags of `comment`, read once per comment text (`known_tags`)."""
        tags = self.known_tags.get(comment)
        if tags is None:
            tags = self.known_tags[comment] = parse_tags(comment)
        return tags


def with_source_lines(problems: list[Problem]) -> list[Problem]:
    """`problems`, where one has a line but not its text, with the text of that line as
    this reader numbers the lines, in a file where that differs from counting LFs (one
    with a bare CR): `format_problem` would otherwise show another line than the one
    meant. Each such file is read once more, by the rules the books are read by."""
    wanted = {p.file for p in problems if p.text is None and p.line > 0}
    if not wanted:
        return problems
    lines: dict[str, list[str] | None] = {name: _bare_cr_lines(name) for name in wanted}
    out = []
    for p in problems:
        found = lines.get(p.file) if p.text is None and p.line > 0 else None
        if found is not None and p.line <= len(found):
            p = p._replace(text=found[p.line - 1])
        out.append(p)
    return out


def _bare_cr_lines(name: str) -> list[str] | None:
    """The lines of the journal file `name` as the reader numbers them, if it has a bare
    CR (None: it has none, or it cannot be read as a journal file)."""
    try:
        status = os.stat(name)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        with open(os.open(name, _OPEN_FLAGS), "rb") as handle:
            status = os.fstat(handle.fileno())
            raw = _read_at_most(
                handle, _regular_size(status.st_mode, status.st_size), MAX_FILE_BYTES
            )
    except (OSError, ValueError, _NotAFile, _TooBig):
        return None
    if raw.count(b"\r") == raw.count(b"\r\n") or _binary(raw):
        return None
    text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_books(path: Path, *, fast: bool = True) -> Journal:
    """Read the books from `path` and all files it includes; problems are in `.problems`.

    `fast=False` reads every transaction line by line, without the fast path (`fast.py`):
    the same result, only slower (the tests compare the two).
    """
    journal = Journal(root=str(path))
    reader = _Reader(journal, fast=fast)
    reader.read_books(path)
    if journal.commodity is None and reader.bare:
        journal.commodity = ""  # books kept in bare numbers throughout
    return journal


__all__ = ["parse_books", "parse_tags", "with_source_lines"]
