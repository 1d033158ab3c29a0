"""How a problem of the settings reaches the user: `SettingsError`, and the line of a key.

Apart from the rules (`model`) and their validator (`validate`): nothing here decides what
settings are valid, so the cache need not be made anew when it changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from sodertorn_ledger.problems import Problem


class SettingsError(Exception):
    """The settings file is missing or has bad values; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def key_line_in_file(path: Path, loc: tuple[str | int, ...]) -> int:
    """`find_key_line` in the file at `path`; 0 when it cannot be read."""
    try:
        return find_key_line(path.read_text(encoding="utf-8"), loc)
    except (OSError, UnicodeDecodeError):
        return 0


def find_key_line(text: str, loc: tuple[str | int, ...]) -> int:
    """Best-effort line (1-based) of a key in the TOML text; 0 when it cannot be found.

    Follows the path through `[table]` and `[[array]]` headers (counting array entries)
    and then looks for `key =` inside the table reached.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
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
            found = _nth_header(lines, start, end, f"[[{dotted}]]", nxt)
            if found is not None:
                start, end = found, _next_header(lines, found + 1, end, dotted)
                best = found + 1
                table = [dotted]
                i += 2
                continue
        header = _nth_header(lines, start, end, f"[{dotted}]", 0)
        if header is not None:
            start, end = header, _next_header(lines, header + 1, len(lines), dotted)
            best = header + 1
            table = [dotted]
            i += 1
            continue
        key_line = _key_line(lines, start, end, part)
        if key_line is not None:
            return key_line + 1
        return best
    return best


def _nth_header(lines: list[str], start: int, end: int, header: str, n: int) -> int | None:
    count = 0
    for number in range(start, end):
        if lines[number].strip().replace(" ", "") == header.replace(" ", ""):
            if count == n:
                return number
            count += 1
    return None


def _next_header(lines: list[str], start: int, end: int, table: str) -> int:
    for number in range(start, end):
        stripped = lines[number].strip()
        if stripped.startswith("[") and not stripped.startswith(f"[{table}."):
            return number
    return end


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(r'^\s*("?)' + re.escape(key) + r"\1\s*=")
    for number in range(start, end):
        if pattern.match(lines[number]):
            return number
    return None
