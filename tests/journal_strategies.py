"""Hypothesis strategies for valid hledger journals, each generated with what it means.

A generated journal is built as a structure first (transactions, postings, directives,
comments) and then rendered to text, so a test knows every account's exact balance,
every transaction's line, and can break one thing on purpose (`inject_fault`) before
rendering. The rules for which amount texts hledger 1.25 reads as what are the ones the
reader must follow too:

- a space is always a digit group mark;
- two different marks: the last is the decimal mark;
- one '.' or ',' once is a decimal mark unless a ``decimal-mark`` directive or the
  commodity directive's style decides otherwise; the generator only writes such a number
  when it means what hledger reads;
- where a directive declares the decimal mark, the reader also requires the books' style
  (stricter than hledger: the other mark only between digit groups of three), and the
  generator writes only numbers in that style (`render_amount`).

At the end, `journal_like`: text that only looks like books, for fuzzing the reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from hypothesis import strategies as st

SWEDISH = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖéü"
# Characters hledger treats as ordinary text, but which Python's str.splitlines() treats as
# line breaks: a reader that splits on them misreads the line.
ODD_TEXT = "\x1c\x1d\x1e\x85\u2028\u2029"
ROOT_NAMES = ("tillgångar", "skulder", "intäkter", "kostnader", "fonder", "eget kapital")

FaultKind = Literal[
    "unbalanced",
    "two_elided",
    "failing_assertion",
    "bad_date",
    "include_cycle",
    "nbsp",
    "thin_space",
    "unicode_minus",
    "bad_number",
]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "unbalanced",
    "two_elided",
    "failing_assertion",
    "bad_date",
    "include_cycle",
    "nbsp",
    "thin_space",
    "unicode_minus",
    "bad_number",
)


@dataclass(frozen=True)
class Style:
    """How a journal writes its one commodity."""

    mark: str
    """The decimal mark, ',' or '.'."""
    symbol: str
    decimal_mark_directive: bool
    commodity_directive: str | None
    """The whole ``commodity`` directive line, if the journal has one."""
    precision: int | None
    """Decimals the commodity directive fixes for display (hledger rounds half to even)."""

    @property
    def other(self) -> str:
        return "." if self.mark == "," else ","

    @property
    def decided(self) -> bool:
        """Whether a directive decides what a lone '.' or ',' means."""
        return self.decimal_mark_directive or self.commodity_directive is not None


@dataclass(frozen=True)
class AmountLook:
    """The free choices in writing an amount."""

    side: Literal["L", "R"]
    group: str
    """'' (no digit groups), ' ', or the style's other mark."""
    decimals: int
    """At least this many decimals are shown."""
    spaced: bool = True
    """A space between symbol and number (``5 kr``) or none (``5kr``, ``kr-5``)."""
    plus: bool = False
    """Write a '+' before a positive number."""


def render_amount(value: Decimal, style: Style, look: AmountLook) -> str:
    """Write `value` so that hledger reads exactly `value` (see the module docstring)."""
    needed = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    decimals = max(needed, look.decimals)
    text = format(abs(value).quantize(Decimal(1).scaleb(-decimals)), "f")
    whole, _, fraction = text.partition(".")
    group = look.group
    if (
        group == style.other
        and not style.decided
        and not fraction
        and 1000 <= int(whole) < 1_000_000
    ):
        # `1.234 kr` alone would be read as 1.234 (a decimal mark): group with a space.
        group = " "
    if group:
        parts = []
        while len(whole) > 3:
            parts.append(whole[-3:])
            whole = whole[:-3]
        parts.append(whole)
        whole = group.join(reversed(parts))
    number = whole + (style.mark + fraction if fraction else "")
    sign = "-" if value < 0 else "+" if look.plus else ""
    gap = " " if look.spaced else ""
    if look.side == "L":
        return f"{style.symbol}{gap}{sign}{number}"
    return f"{sign}{number}{gap}{style.symbol}"


@dataclass
class PostingSpec:
    account: str
    amount: Decimal
    """The amount, inferred when `text` is None."""
    text: str | None
    """The amount as written; None when elided."""
    look: AmountLook
    indent: str
    sep: str
    assertion: Decimal | None = None
    assertion_text: str | None = None
    comment: str | None = None
    """Trailing comment text after '; '."""
    comment_lines: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    status: str = ""
    """The posting's own status mark ('', '*' or '!'), written before the account."""
    line: int = 0


@dataclass
class TxnSpec:
    date: dt.date
    date_text: str
    status: str
    code: str
    description: str
    comment: str | None
    comment_lines: list[str]
    tags: dict[str, str]
    postings: list[PostingSpec]
    before: list[str]
    """Lines (blank, comments, comment blocks, directives) written before the transaction."""
    file: str = ""
    line: int = 0

    @property
    def last_line(self) -> int:
        last = self.postings[-1]
        return last.line + len(last.comment_lines)


@dataclass
class GeneratedJournal:
    style: Style
    head: list[str]
    """Directive lines at the top of main.journal."""
    main_before: list[TxnSpec]
    include_line: str | None
    include_target: str | None
    """Path of the included file relative to main.journal's directory."""
    included_head: list[str]
    included: list[TxnSpec]
    main_after: list[TxnSpec]
    declared: list[str]
    trailing: list[str]
    """Lines at the end of main.journal (comments, blank lines, an unclosed comment block)."""
    extra_included: list[str] = field(default_factory=list)
    """Extra lines at the end of the included file (used to make an include cycle)."""
    line_ends: tuple[str, ...] = ("\n",)
    """The line ends, taken in turn line by line: LF, CRLF (Windows), a bare CR (old Mac,
    spreadsheet exports) or a mix; both tools read each as the end of one line."""
    bom: bool = False
    """A UTF-8 byte order mark at the start of main.journal."""

    @property
    def transactions(self) -> list[TxnSpec]:
        """In the order hledger parses them (the included file spliced in at its include)."""
        return [*self.main_before, *self.included, *self.main_after]

    def balances(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for txn in self.transactions:
            for p in txn.postings:
                totals[p.account] = totals.get(p.account, Decimal(0)) + p.amount
        return totals

    def balances_in(self, year: int) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for txn in self.transactions:
            if txn.date.year == year:
                for p in txn.postings:
                    totals[p.account] = totals.get(p.account, Decimal(0)) + p.amount
        return totals

    def used_accounts(self) -> set[str]:
        return {p.account for t in self.transactions for p in t.postings}

    def write(self, directory: Path) -> Path:
        """Render into `directory`; returns main.journal's path and sets every line number."""
        main = directory / "main.journal"
        lines = list(self.head)
        _render_txns(self.main_before, lines, str(main))
        if self.include_line is not None:
            lines.append(self.include_line)
        _render_txns(self.main_after, lines, str(main))
        lines.extend(self.trailing)
        includes = (self.include_line,) if self.include_line else ()
        text = join_lines(lines, self.line_ends, includes)
        main.write_text(text, encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        if self.include_target is not None:
            target = directory / self.include_target.replace("*", "other")
            target.parent.mkdir(parents=True, exist_ok=True)
            inc_lines = list(self.included_head)
            _render_txns(self.included, inc_lines, str(target))
            inc_lines.extend(self.extra_included)
            text = join_lines(inc_lines, self.line_ends, tuple(self.extra_included))
            target.write_text(text, encoding="utf-8", newline="")
        return main


def join_lines(lines: list[str], ends: tuple[str, ...], lf: tuple[str, ...] = ()) -> str:
    """`lines`, each ended by the next of `ends` in turn.

    A bare CR before an empty line that ends in LF would make one CRLF of the two: that CR
    is written as CRLF. hledger 1.25 reads a bare CR as a line end except in two places,
    where it keeps it as text: at the very end of a file (`-1 kr<CR>` is then in another
    currency, `kr<CR>`) and after an include's file name. There, and after the lines in
    `lf`, a bare CR is written as LF (the reader reads every bare CR as a line end; its
    own tests have files that end in one).
    """
    out = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        end = ends[i % len(ends)]
        if end == "\r":
            if i == last or line in lf:
                end = "\n"
            elif lines[i + 1] == "" and ends[(i + 1) % len(ends)][0] == "\n":
                end = "\r\n"
        out.append(line + end)
    return "".join(out)


def _render_txns(txns: list[TxnSpec], lines: list[str], file: str) -> None:
    for txn in txns:
        lines.extend(txn.before)
        txn.file = file
        txn.line = len(lines) + 1
        head = txn.date_text
        if txn.status:
            head += " " + txn.status
        if txn.code:
            head += f" ({txn.code})"
        if txn.description:
            head += " " + txn.description
        if txn.comment is not None:
            head += "  ; " + txn.comment
        lines.append(head)
        lines.extend(f"    ; {c}" for c in txn.comment_lines)
        for p in txn.postings:
            p.line = len(lines) + 1
            text = p.indent + (p.status + " " if p.status else "") + p.account
            if p.text is not None:
                text += p.sep + p.text
                if p.assertion_text is not None:
                    text += " = " + p.assertion_text
                if p.comment is not None:
                    text += "  ; " + p.comment
            elif p.comment is not None:
                text += "  ; " + p.comment
            lines.append(text)
            lines.extend(f"{p.indent}  ; {c}" for c in p.comment_lines)


# --- strategies -------------------------------------------------------------------------------

letters = st.one_of(
    st.sampled_from(SWEDISH),
    st.sampled_from(SWEDISH),
    st.characters(categories=("Lu", "Ll", "Lo")),
)
word = st.text(letters, min_size=1, max_size=7)
component = st.lists(word, min_size=1, max_size=3).map(" ".join)


@st.composite
def account_trees(draw: st.DrawFn) -> list[str]:
    """2-8 accounts that share roots and parents (``tillgångar:bank``, ``tillgångar:kassa``)."""
    roots = [draw(st.one_of(st.sampled_from(ROOT_NAMES), component)) for _ in range(2)]
    pool = [draw(component) for _ in range(3)]
    accounts: list[str] = []
    for _ in range(draw(st.integers(2, 8))):
        depth = draw(st.integers(0, 3))
        path = [roots[draw(st.integers(0, 1))]]
        path += [pool[draw(st.integers(0, 2))] for _ in range(depth)]
        accounts.append(":".join(path))
    return sorted(set(accounts))


@st.composite
def styles(draw: st.DrawFn) -> Style:
    mark = draw(st.sampled_from([",", ",", "."]))
    symbol = draw(st.sampled_from(["kr", "SEK"]))
    decimal_mark_directive = draw(st.booleans())
    precision: int | None = None
    commodity: str | None = None
    if draw(st.booleans()):
        precision = draw(st.sampled_from([2, 2, 2, 0, 1, 3]))
        group = draw(st.sampled_from(["", " ", "." if mark == "," else ","]))
        number = "1" + group + "000" + mark + "0" * precision
        if draw(st.booleans()):
            commodity = f"commodity {number} {symbol}"
        else:
            commodity = f"commodity {symbol} {number}"
    return Style(mark, symbol, decimal_mark_directive, commodity, precision)


@st.composite
def looks(draw: st.DrawFn, style: Style) -> AmountLook:
    return AmountLook(
        side=draw(st.sampled_from(["R", "R", "L"])),
        group=draw(st.sampled_from(["", " ", " ", style.other])),
        decimals=draw(st.sampled_from([0, 0, 2, 2])),
        spaced=draw(st.sampled_from([True, True, True, False])),
        plus=draw(st.sampled_from([False, False, False, True])),
    )


@st.composite
def values(draw: st.DrawFn) -> Decimal:
    decimals = draw(st.sampled_from([0, 0, 2, 2, 2, 1, 3]))
    digits = draw(st.sampled_from([1, 3, 4, 5, 7, 9, 11]))
    units = draw(st.integers(-(10**digits), 10**digits))
    return Decimal(units).scaleb(-decimals)


text_chars = st.one_of(
    st.sampled_from(SWEDISH + "0123456789 .-/&'"),
    st.sampled_from(SWEDISH + "  "),
    st.sampled_from(ODD_TEXT),
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters=";#\t\n\r|()"),
)
plain_text = st.text(text_chars, max_size=20).map(lambda s: " ".join(s.split(" ")).strip())
# `date:` and `date2:` in a posting comment are posting dates to hledger, not tags.
tag_name = st.text(st.sampled_from(SWEDISH + "0123456789_-"), min_size=1, max_size=8).filter(
    lambda name: name not in ("date", "date2")
)
tag_value = st.text(st.sampled_from(SWEDISH + "0123456789 .-/"), max_size=20).map(
    lambda s: " ".join(s.split())
)


@st.composite
def comments(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A comment's text and the tags hledger finds in it (``projekt:X, kommun:0127``)."""
    prose = draw(st.text(st.sampled_from(SWEDISH + " 0123456789.!?"), max_size=15)).strip()
    names = draw(st.lists(tag_name, max_size=3, unique=True))
    tags = {name: draw(tag_value) for name in names}
    parts = [f"{k}:{v}" for k, v in tags.items()]
    text = prose
    if parts:
        text = (prose + " " if prose else "") + ", ".join(parts)
    return text, tags


@st.composite
def descriptions(draw: st.DrawFn) -> str:
    # A leading '*', '!' or '(' would be read as a status mark or a code.
    payee = draw(plain_text).lstrip("*! ")
    if draw(st.booleans()):
        return f"{payee} | {draw(plain_text)}".strip()
    return payee


def _date_text(date: dt.date, sep: str) -> str:
    return f"{date.year:04d}{sep}{date.month:02d}{sep}{date.day:02d}"


@st.composite
def filler_lines(draw: st.DrawFn) -> list[str]:
    """What may stand between transactions: blank lines, comment lines and comment blocks."""
    out: list[str] = []
    if draw(st.integers(0, 2)) != 0:  # mostly nothing, to keep generation fast
        return out
    for kind in draw(st.lists(st.sampled_from(["blank", ";", "#", "*", "block"]), max_size=3)):
        if kind == "blank":
            out.append(draw(st.sampled_from(["", "", "   "])))
        elif kind == "block":
            out.append("comment")
            out.append(draw(plain_text))
            out.append("2020-01-01 not a transaction")
            out.append("    tillgångar:bank  1 000 000 kr")
            out.append("end comment")
        else:
            out.append(f"{kind} {draw(plain_text)}")
    return out


@st.composite
def transactions(
    draw: st.DrawFn, style: Style, accounts: list[str], first_in_file: bool
) -> TxnSpec:
    date = draw(st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)))
    n = draw(st.integers(2, 5))
    amounts = [draw(values()) for _ in range(n - 1)]
    amounts.append(-sum(amounts, Decimal(0)))
    elided = draw(st.one_of(st.none(), st.integers(0, n - 1)))
    postings: list[PostingSpec] = []
    for i, amount in enumerate(amounts):
        look = draw(looks(style))
        comment: str | None = None
        tags: dict[str, str] = {}
        comment_lines: list[str] = []
        if draw(st.integers(0, 3)) == 0:
            comment, tags = draw(comments())
        if draw(st.integers(0, 5)) == 0:
            extra, extra_tags = draw(comments())
            if not set(extra_tags) & set(tags):  # a repeated tag name would be ambiguous
                comment_lines.append(extra)
                tags = {**tags, **extra_tags}
        postings.append(
            PostingSpec(
                account=draw(st.sampled_from(accounts)),
                amount=amount,
                text=None if i == elided else render_amount(amount, style, look),
                look=look,
                indent=draw(st.sampled_from(["    ", "  ", " ", "\t", "\t "])),
                sep=draw(st.sampled_from(["  ", "  ", "    ", "\t\t", " \t", "\t ", "  \t"])),
                comment=comment,
                comment_lines=comment_lines,
                tags=tags,
                status=draw(st.sampled_from(["", "", "", "", "*", "!"])),
            )
        )
    txn_comment: str | None = None
    txn_tags: dict[str, str] = {}
    txn_comment_lines: list[str] = []
    if draw(st.booleans()):
        txn_comment, txn_tags = draw(comments())
    if draw(st.integers(0, 4)) == 0:
        extra, extra_tags = draw(comments())
        if not set(extra_tags) & set(txn_tags):
            txn_comment_lines.append(extra)
            txn_tags = {**txn_tags, **extra_tags}
    before = draw(filler_lines())
    if not first_in_file and not before and draw(st.booleans()):
        before = [""]
    return TxnSpec(
        date=date,
        date_text=_date_text(date, draw(st.sampled_from(["-", "-", "/", "."]))),
        status=draw(st.sampled_from(["", "", "*", "!"])),
        code=draw(st.sampled_from(["", "", "12", "A-7", "ver 3"])),
        description=draw(descriptions()),
        comment=txn_comment,
        comment_lines=txn_comment_lines,
        tags=txn_tags,
        postings=postings,
        before=before,
    )


def _add_assertions(journal: GeneratedJournal, chosen: Callable[[], bool]) -> None:
    """Give some written amounts a balance assertion that holds (date order, per account)."""
    running: dict[str, Decimal] = {}
    ordered = sorted(enumerate(journal.transactions), key=lambda it: (it[1].date, it[0]))
    for _, txn in ordered:
        for p in txn.postings:
            running[p.account] = running.get(p.account, Decimal(0)) + p.amount
            if p.text is not None and chosen():
                p.assertion = running[p.account]
                p.assertion_text = render_amount(p.assertion, journal.style, p.look)


@st.composite
def journals(draw: st.DrawFn) -> GeneratedJournal:
    """A valid journal (hledger reads it) in one commodity, with what it means."""
    style = draw(styles())
    accounts = draw(account_trees())
    count = draw(st.integers(1, 8))
    txns = [draw(transactions(style, accounts, first_in_file=i == 0)) for i in range(count)]
    head: list[str] = []
    if style.decimal_mark_directive:
        head.append(f"decimal-mark {style.mark}")
    if style.commodity_directive is not None:
        head.append(style.commodity_directive)
    head = draw(st.permutations(head)) if head else head
    head = list(draw(filler_lines())) + list(head)

    declared = draw(st.lists(st.sampled_from(accounts), unique=True, max_size=len(accounts)))
    unused = draw(st.lists(component, max_size=2, unique=True))
    declared += [f"oanvänt:{u}" for u in unused if f"oanvänt:{u}" not in declared]
    decl_lines: list[str] = []
    for name in declared:
        if draw(st.booleans()):
            text, _ = draw(comments())
            decl_lines.append(f"account {name}  ; {text}")
        else:
            decl_lines.append(f"account {name}")
    split = draw(st.integers(0, len(decl_lines)))

    include = draw(st.booleans())
    included_head: list[str] = []
    include_line: str | None = None
    include_target: str | None = None
    if include:
        a = draw(st.integers(0, count))
        b = draw(st.integers(a, count))
        main_before, included, main_after = txns[:a], txns[a:b], txns[b:]
        include_target = draw(
            st.sampled_from(["other.journal", "sub/other.journal", "sub/*.journal"])
        )
        include_line = "include " + draw(st.sampled_from([include_target, "./" + include_target]))
        included_head = decl_lines[split:]
        decl_lines = decl_lines[:split]
    else:
        main_before, included, main_after = txns, [], []
    if included:
        included[0].before = [line for line in included[0].before if line.strip()]
    line_ends = draw(st.sampled_from([("\n",)] * 6 + [("\r\n",), ("\r",), ("\n", "\r", "\r\n")]))
    trailers = [[], [""], ["; slut"], ["comment", "ej stängt block"]]
    if "\r" in line_ends:
        # A file's last line ends in LF (see join_lines): after a bare CR, an empty last
        # line would make one CRLF of the two line ends.
        trailers.remove([""])
    trailing = draw(st.sampled_from(trailers))
    journal = GeneratedJournal(
        style=style,
        head=head + decl_lines,
        main_before=main_before,
        include_line=include_line,
        include_target=include_target,
        included_head=included_head,
        included=included,
        main_after=main_after,
        declared=declared,
        trailing=trailing,
        line_ends=line_ends,
        bom=draw(st.integers(0, 5)) == 0,
    )
    tenths = draw(st.sampled_from([0, 2, 5]))
    _add_assertions(journal, lambda: draw(st.integers(0, 9)) < tenths)
    return journal


# --- breaking a journal on purpose --------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    file: str
    """'main' or 'included'."""
    txn: TxnSpec | None
    posting: PostingSpec | None


def _explicit(txn: TxnSpec) -> list[PostingSpec]:
    return [p for p in txn.postings if p.text is not None]


def inject_fault(data: st.DataObject, journal: GeneratedJournal, kind: FaultKind) -> Fault:
    """Break `journal` in one way that hledger 1.25 also rejects; returns where."""
    txns = journal.transactions
    txn = data.draw(st.sampled_from(txns))
    where = "included" if txn in journal.included else "main"
    if kind == "unbalanced":
        for p in txn.postings:  # write the inferred amount, so nothing absorbs the error
            if p.text is None:
                p.text = render_amount(p.amount, journal.style, p.look)
        posting = data.draw(st.sampled_from(txn.postings))
        # Whole kronor: hledger balances at the commodity directive's display precision.
        posting.amount += Decimal(data.draw(st.sampled_from(["1", "-1", "100"])))
        posting.text = render_amount(posting.amount, journal.style, posting.look)
        _drop_assertions(journal)
        return Fault(kind, where, txn, posting)
    if kind == "two_elided":
        n = len(txn.postings)
        picked = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        for i in picked:
            txn.postings[i].text = None
        _drop_assertions(journal)
        return Fault(kind, where, txn, None)
    if kind == "failing_assertion":
        posting = data.draw(st.sampled_from(_explicit(txn)))
        right = posting.assertion
        if right is None:
            right = _running_balance(journal, posting)
        posting.assertion = right + Decimal(data.draw(st.sampled_from(["1", "-1", "0.01", "1000"])))
        posting.assertion_text = render_amount(posting.assertion, journal.style, posting.look)
        return Fault(kind, where, txn, posting)
    if kind == "bad_date":
        txn.date_text = data.draw(
            st.sampled_from(["2020-13-01", "2020-02-30", "2021-02-29", "2020-04-31", "2020-00-10"])
        )
        return Fault(kind, where, txn, None)
    if kind == "include_cycle":
        # Only plainly named files: hledger 1.25 loops forever on a cycle written with
        # `./`, `../` or a glob instead of reporting it.
        journal.include_target = "other.journal"
        journal.include_line = "include other.journal"
        journal.extra_included = ["include main.journal"]
        return Fault(kind, "included", None, None)
    if kind in ("nbsp", "thin_space", "unicode_minus", "bad_number"):
        posting = data.draw(st.sampled_from(_explicit(txn)))
        assert posting.text is not None
        text = posting.text
        if kind == "bad_number":
            bad = data.draw(st.sampled_from(["1.234,5.6", "1 000.000,5", "1,000 000.5", "1,2.3,4"]))
            posting.text = f"{bad} {journal.style.symbol}"
        elif kind == "unicode_minus":
            if "-" in text:
                posting.text = text.replace("-", "\u2212")
            else:
                number_at = next(i for i, c in enumerate(text) if c.isdigit())
                posting.text = text[:number_at] + "\u2212" + text[number_at:]
        else:
            char = "\u00a0" if kind == "nbsp" else "\u2009"
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            inner = [i for i in digits[:-1] if text[i + 1] == " " and i + 2 < len(text)]
            inner = [i for i in inner if text[i + 2].isdigit()]
            if inner:
                at = inner[0] + 1
                posting.text = text[:at] + char + text[at + 1 :]
            else:
                at = digits[0] + 1
                posting.text = text[:at] + char + "5" + text[at:]
        return Fault(kind, where, txn, posting)
    raise AssertionError(kind)


def _drop_assertions(journal: GeneratedJournal) -> None:
    """Changing an amount invalidates later assertions; remove them so one fault remains."""
    for txn in journal.transactions:
        for p in txn.postings:
            p.assertion = None
            p.assertion_text = None


def _running_balance(journal: GeneratedJournal, target: PostingSpec) -> Decimal:
    running = Decimal(0)
    ordered = sorted(enumerate(journal.transactions), key=lambda it: (it[1].date, it[0]))
    for _, txn in ordered:
        for p in txn.postings:
            if p.account == target.account:
                running += p.amount
            if p is target:
                return running
    raise AssertionError("posting not in journal")


# --- journal-like text, for fuzzing -----------------------------------------------------------
# Not valid books: text biased towards journal lines (dates, indented postings, amounts,
# directives, comments), so that a fuzzer gets past the first line.

FRAGMENTS = [
    "2020-01-01",
    "2020/02/30",
    "2020.13.01",
    " * ",
    " ! ",
    " (12) ",
    "payee | note",
    "\n    ",
    "\n\t",
    "\n",
    "tillgångar:bank",
    "kostnader:lön",
    "  ",
    "\t",
    "1 824 368,40 kr",
    "-1 450 kr",
    "kr -1450",
    "1824368.40 SEK",
    "1.824.368,40 kr",
    "1,234",
    "999 999 999 999 999,9999 kr",
    "1 000 000 000 000 000 kr",
    "0,12345 kr",
    "1\u00a0000",
    "\u22125",
    "\u0661\u0662",  # digits of another script (Arabic-Indic one, two)
    "0.,",
    ",5",
    " = ",
    " @ ",
    "; ",
    "# ",
    "* ",
    "tag:värde, ",
    "(virtuell)",
    "[virtuell]",
    "account ",
    "commodity ",
    "decimal-mark ,",
    "decimal-mark",
    "include ",
    "include main.journal",
    "include *.journal",
    "include /",
    "comment\n",
    "end comment\n",
    "P 2020-01-01 kr 1 SEK",
    "Y2020",
    "~ monthly",
    "=",
    '"',
    "\r\n",
    "\r",
    "\r    ",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x00",
    # Whole transactions the fast path takes, and near misses it must leave alone.
    "\n2020-01-01 * (V3) Avgift | Huddinge  ; kommun:0126\n    tillgångar:bank  1 824,50 kr"
    "\n    intäkter:avgifter\n",
    "\n2020-02-29 ! Lön\n    kostnader:lön  10200.00 SEK  ; projekt:x\n"
    "    skulder:skatt  -6264.84 SEK\n    tillgångar:bank\n",
    "\n2020-01-01 x\n    a  1,234 kr\n    b  -1,234 kr\n",
    "\n2020-01-01 *(1)t;c\n\ta\t 1\n\tb  -1\n",
    "\n2020-01-01 t\n    a  5 kr  ; date:2020-02-01\n    b\n",
    "\n2020-01-01 t\n    a  5 kr\n    ; under a posting\n    b  -5 kr\n",
    # Numbers in another style than the books' (469.00 in comma books), and amounts after
    # one blank (in the account name), which the reference reader refuses.
    "469.00 kr",
    "1 234.50 kr",
    "1.234.567,00 kr",
    "\n2020-01-01 t\n    a 469,00 kr\n    b  -469,00 kr\n",
    "\n2020-01-01 t\n    fonder:drift från 2019  5 kr\n    a 2019 5 kr\n",
]

journal_like: st.SearchStrategy[str] = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40
).map("".join)
