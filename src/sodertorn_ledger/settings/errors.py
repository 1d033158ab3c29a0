"""How a problem of the settings reaches the user: `SettingsError`, the name of a key and
its line.

Apart from the rules (`model`) and their validator (`validate`): nothing here decides what
settings are valid, so the cache need not be made anew when it changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sodertorn_ledger.problems import Problem


class SettingsError(Exception):
    """The settings file is missing or has bad values; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


Loc = tuple[str | int, ...]
"""A place in the settings as pydantic gives it: keys and (0-based) array indexes."""


def key_name(loc: Loc) -> str:
    """The place as the user reads it: ``members[2].fee_account`` (tables counted from
    one), a key that is no plain word in TOML's quotes, pydantic's ``[key]`` marker (a bad
    key of a table) as ``(key "19")``."""
    out = ""
    for i, part in enumerate(loc):
        if part == "[key]":  # pydantic's marker for a bad dict key: the part before it
            continue
        if i + 1 < len(loc) and loc[i + 1] == "[key]":
            out += f" (key {quoted(str(part))})"
        elif isinstance(part, int):
            out += f"[{part + 1}]"  # the user counts tables from one
        else:
            out += ("." if out else "") + (part if part.isprintable() else quoted(part))
    return out or "(top level)"


def quoted(text: str) -> str:
    """A string as TOML quotes it, escapes and all: a message stays on one line."""
    import json  # only for a message

    return json.dumps(text, ensure_ascii=False)


def find_key_line(text: str, loc: Loc) -> int:
    """Best-effort line (1-based) of a key in the TOML text; 0 when it cannot be found."""
    return KeyLines(text).line_of(loc)


# Patterns as text, compiled (and cached by `re`) when a problem is first reported: a
# command whose settings are fine never needs them.
_KEY = r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]"""
"""A line that starts with a key, quoted or bare (TOML's bare keys), or with the first part
of a dotted key (`fees.rates = …`)."""
_BLANKS = r"\s+"


class KeyLines:
    """The lines of a settings text, indexed once to find where keys are: a file of many
    tables has many problems, and each is looked up without reading the file again.

    Lines end at a newline only, as TOML's (a U+2028 in a string is no line end).
    """

    __slots__ = ("_headers", "_keys", "_strings", "lines")

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self._headers: dict[str, list[int]] | None = None
        self._keys: dict[str, list[int]] = {}
        self._strings: dict[int, frozenset[str]] = {}

    def text_of(self, line: int) -> str | None:
        """The line `line` (1-based) as written; None for no line."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def line_of(self, loc: Loc) -> int:
        """Best-effort line (1-based) of a key; 0 when it cannot be found.

        Follows the path through `[table]` and `[[array]]` headers (counting array entries)
        and then looks for `key =` inside the table reached.
        """
        start, end = 0, len(self.lines)
        table: list[str] = []
        best = 0
        parts = list(loc)
        i = 0
        while i < len(parts):
            part = parts[i]
            if isinstance(part, int):
                i += 1
                continue
            nxt = parts[i + 1] if i + 1 < len(parts) else None
            dotted = ".".join([*table, part])
            if isinstance(nxt, int):
                found = self._nth_header(start, end, f"[[{dotted}]]", nxt)
                if found is not None:
                    start, end = found, self._next_header(found + 1, end, dotted)
                    best = found + 1
                    table = [dotted]
                    i += 2
                    continue
            header = self._nth_header(start, end, f"[{dotted}]", 0)
            if header is not None:
                start, end = header, self._next_header(header + 1, len(self.lines), dotted)
                best = header + 1
                table = [dotted]
                i += 1
                continue
            key_line = self._key_line(start, end, part)
            if key_line is not None:
                return key_line + 1
            # A table given only through its subtables ([fees.rates] without [fees]):
            # its first subtable, and on into it ([budget.2020] without [budget]).
            below = self._first_header_below(start, end, dotted)
            if below is None:
                return best
            best = below + 1
            table = [dotted]
            i += 1
        return best

    def value_line(self, loc: Loc, value: str) -> int:
        """The line of the string `value` given at `loc` (an entry of an array written over
        several lines has a line of its own); else the line of the key."""
        line = self.line_of(loc)
        if line <= 0:
            return line
        for number in range(line - 1, min(len(self.lines), line + 1000)):
            text = self.lines[number]
            if number >= line and (text.lstrip().startswith("[") or re.match(_KEY, text)):
                break  # the next table or key: the value is not written on a line of its own
            strings = self._strings.get(number)
            if strings is None:
                strings = self._strings[number] = _strings_in(text)
            if value in strings:
                return number + 1
        return line

    def _index(self) -> dict[str, list[int]]:
        if self._headers is None:
            self._headers = {}
            key_at_start, blanks = re.compile(_KEY), re.compile(_BLANKS)
            for number, line in enumerate(self.lines):
                stripped = line.strip()
                if stripped.startswith("["):
                    self._headers.setdefault(blanks.sub("", stripped), []).append(number)
                match = key_at_start.match(line)
                if match:
                    key = next(group for group in match.groups() if group is not None)
                    self._keys.setdefault(key, []).append(number)
        return self._headers

    def _nth_header(self, start: int, end: int, header: str, n: int) -> int | None:
        found = self._index().get(header.replace(" ", ""), [])
        at = _bisect_left(found, start) + n
        return found[at] if at < len(found) and found[at] < end else None

    def _next_header(self, start: int, end: int, table: str) -> int:
        below = f"[{table}."
        first = end
        for header, numbers in self._index().items():
            if not header.startswith(below):
                at = _bisect_left(numbers, start)
                if at < len(numbers) and numbers[at] < first:
                    first = numbers[at]
        return first

    def _first_header_below(self, start: int, end: int, table: str) -> int | None:
        found = [
            numbers[at]
            for header, numbers in self._index().items()
            if header.startswith((f"[{table}.", f"[[{table}."))
            for at in [_bisect_left(numbers, start)]
            if at < len(numbers) and numbers[at] < end
        ]
        return min(found, default=None)

    def _key_line(self, start: int, end: int, key: str) -> int | None:
        self._index()
        found = _from(self._keys.get(key, []), start, end)
        return found[0] if found else None


_STRING = r"""\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'"""


def _strings_in(line: str) -> frozenset[str]:
    """The one-line strings of a line of TOML, as TOML reads them (escapes and all)."""
    tokens = re.findall(_STRING, line)
    plain = {token[1:-1] for token in tokens if token[0] == "'" or "\\" not in token}
    escaped = [token for token in tokens if token[0] == '"' and "\\" in token]
    if escaped:
        import contextlib
        import tomllib

        # One parse for the whole line, which may hold thousands. A bad escape cannot be:
        # TOML would have refused the file before any line was looked for.
        with contextlib.suppress(tomllib.TOMLDecodeError):
            plain.update(tomllib.loads(f"v = [{', '.join(escaped)}]")["v"])
    return frozenset(plain)


def _bisect_left(numbers: Sequence[int], value: int) -> int:
    from bisect import bisect_left

    return bisect_left(numbers, value)


def _from(numbers: Sequence[int], start: int, end: int) -> Sequence[int]:
    """The line numbers in [start, end) of a sorted list of them."""
    return numbers[_bisect_left(numbers, start) : _bisect_left(numbers, end)]
