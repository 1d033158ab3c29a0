"""The lexical rules of SIE 4 (§5 and §7 of the spec), shared by the reader and the writer.

A record is one line: a label (``#VER``) and its fields, separated by one or more
spaces or TABs. A field is quoted when it holds a space; ``\\"`` inside quotes is a
quote, any other backslash is itself. An object list ``{dim "obj" dim "obj"}`` is one
field. Amounts are written with a point, at most two decimals, a leading ``-`` and never
a ``+``; dates as YYYYMMDD. #KSUMMA (§10) is a CRC-32 over the CP437 bytes of every
record's label and field contents, without separators, quotes or braces.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.money import EXACT, ORE, ZERO

MAX_LINE = 64 * 1024
"""The longest line read or written, in bytes: a real record is a few hundred at most,
and a limit keeps a hostile file's work bounded."""

_BLANKS = re.compile(r"[ \t]*")
_WORD = re.compile(r"[^ \t]+")
_ITEM = re.compile(r'[^ \t{}"]+')
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{8}")


class Field(NamedTuple):
    """A field as read: its contents (quotes and escapes removed), where it starts
    (1-based), and for an object list the items between its braces."""

    text: str
    column: int
    items: tuple[str, ...] | None = None
    quoted: bool = False


class Fields(NamedTuple):
    """A line split into fields, and what was wrong with it (message and column)."""

    fields: list[Field]
    error: str | None = None
    error_column: int | None = None


def _closing_quote(line: str, start: int) -> int:
    """Where the quoted field whose contents start at `start` ends; -1 when it does not."""
    at = start
    while True:
        at = line.find('"', at)
        if at < 0 or at == start or line[at - 1] != "\\":
            return at
        at += 1


def _quoted(line: str, pos: int) -> tuple[str, int, bool]:
    """The contents of the quoted field opening at `pos`, where the field ends, and
    whether its closing quote was found."""
    end = _closing_quote(line, pos + 1)
    if end < 0:
        return line[pos + 1 :].replace('\\"', '"'), len(line), False
    return line[pos + 1 : end].replace('\\"', '"'), end + 1, True


def split_fields(line: str) -> Fields:
    """Split a record's line into fields. Never raises; the work is linear in the line."""
    fields: list[Field] = []
    pos = _BLANKS.match(line).end()  # type: ignore[union-attr]
    length = len(line)
    while pos < length:
        char = line[pos]
        column = pos + 1
        if char == '"':
            text, pos, closed = _quoted(line, pos)
            fields.append(Field(text, column, quoted=True))
            if not closed:
                return Fields(fields, "a quoted field is not closed with a quote", column)
        elif char == "{":
            items: list[str] = []
            pos += 1
            while True:
                pos = _BLANKS.match(line, pos).end()  # type: ignore[union-attr]
                if pos >= length:
                    fields.append(Field("", column, tuple(items)))
                    return Fields(fields, "an object list is not closed with }", column)
                char = line[pos]
                if char == "}":
                    pos += 1
                    break
                if char == "{":
                    return Fields(fields, "an object list inside an object list", pos + 1)
                if char == '"':
                    text, pos, closed = _quoted(line, pos)
                    items.append(text)
                    if not closed:
                        fields.append(Field("", column, tuple(items)))
                        return Fields(fields, "a quoted field is not closed with a quote", pos)
                else:
                    word = _ITEM.match(line, pos)
                    assert word is not None  # the characters it stops at are taken above
                    items.append(word.group())
                    pos = word.end()
            fields.append(Field("", column, tuple(items)))
        elif char == "}":
            return Fields(fields, "a } without its {", column)
        else:
            word = _WORD.match(line, pos)
            assert word is not None
            fields.append(Field(word.group(), column))
            pos = word.end()
        pos = _BLANKS.match(line, pos).end()  # type: ignore[union-attr]
    return Fields(fields)


def field_contents(fields: Iterable[Field]) -> Iterable[str]:
    """Every field's contents as #KSUMMA counts them: an object list's items one by one."""
    for field in fields:
        if field.items is None:
            yield field.text
        else:
            yield from field.items


def checksum_update(crc: int, label: str, contents: Iterable[str], encoding: str) -> int:
    """`crc` after one more record (its label and the contents of its fields)."""
    return zlib.crc32((label + "".join(contents)).encode(encoding, "surrogateescape"), crc)


def parse_amount(text: str) -> tuple[Decimal | None, str]:
    """An amount as SIE writes it, or None and why it is not one."""
    if _AMOUNT.fullmatch(text):
        return Decimal(text), ""
    if text.startswith("+") and _AMOUNT.fullmatch(text[1:]):
        return None, f"the amount {text!r} has a plus sign: SIE writes none"
    if "," in text and _AMOUNT.fullmatch(text.replace(",", ".", 1)):
        return None, f"the amount {text!r} has a decimal comma: SIE writes a point"
    if _NUMBER.fullmatch(text):
        return None, f"the amount {text!r} has more than two decimals"
    return None, f"{text!r} is not an amount"


def parse_quantity(text: str) -> Decimal | None:
    """A quantity (kvantitet): a number with a point and any decimals; None if not one."""
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def parse_integer(text: str) -> int | None:
    return int(text) if _INTEGER.fullmatch(text) and len(text) < 20 else None


def parse_date(text: str) -> dt.date | None:
    """A date YYYYMMDD, or None when `text` is not one."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def format_date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def format_amount(amount: Decimal) -> str | None:
    """``-1234.50``: a point and two decimals; None for an amount SIE cannot hold exactly
    (more than two decimals, not finite): it is never rounded."""
    if not amount.is_finite():
        return None
    exact = amount.quantize(ORE, context=EXACT)
    if exact != amount:
        return None
    if exact == ZERO:
        exact = abs(exact)  # never "-0.00"
    return format(exact, "f")


def format_quantity(quantity: Decimal) -> str | None:
    if not quantity.is_finite():
        return None
    text = format(quantity, "f")
    return text if _NUMBER.fullmatch(text) else None


def needs_quotes(text: str) -> bool:
    """A field is quoted when it is empty or holds a separator, a quote or a brace, or
    would read as a label (``#``)."""
    return (
        not text
        or text.startswith("#")
        or any(char in text for char in ' \t"{}')
        or not text.isprintable()
    )


def quote(text: str) -> str:
    """`text` as a field (it holds no control character; one ending in a backslash is
    never quoted here, see `write`)."""
    if not needs_quotes(text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def object_list(objects: Sequence[tuple[int, str]]) -> str:
    return "{" + " ".join(f"{dim} {quote(code)}" for dim, code in objects) + "}"
