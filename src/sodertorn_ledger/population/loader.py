"""Reading the folder of SCB files into one population table.

`parse_population_file` is pure (name and bytes in, figures and problems out);
`read_population_folder` and `read_file_bounded` are the only functions here that touch
the disk: only regular files, and never more than `MAX_FILE_BYTES` of one.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from sodertorn_ledger.money import format_count
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    Code,
    Figure,
    FileResult,
    PopulationTable,
    size_text,
)
from sodertorn_ledger.problems import Problem

Parser = Callable[[str, bytes, dict[str, Code]], FileResult]

SUPPORTED = ".csv, .txt, .tsv (SCB CSV or kommunkod;kommun;år;folkmängd), .px, .json, .xlsx"
_IGNORED_SUFFIXES = frozenset({".md"})  # a note beside the data is not data
_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".px", ".json"})
MAX_FOLDER_FILES = 100
"""The most files read from the population folder (a year or a few a file)."""
MAX_FOLDER_BYTES = 4 * MAX_FILE_BYTES
"""The most bytes read from all the files of the folder together."""
MAX_FOLDER_FIGURES = 2 * MAX_CELLS
"""The most figures kept from all the files together."""
MAX_PROBLEMS_PER_FILE = 20
"""More problems than this in one file are counted, not listed: a broken file of half a
million rows gives a screenful, not half a million messages."""

# The first bytes of the binary files most often given a text file's name.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive, such as an Excel .xlsx workbook"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook or another Office file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "a program"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like (``a PNG image``), or None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" not in head:
        return None
    if not head.strip(b"\x00"):
        return "binary data (NUL bytes only)"
    # UTF-16 without a byte-order mark: a NUL beside nearly every ASCII letter.
    for nuls, letters in ((head[0::2], head[1::2]), (head[1::2], head[0::2])):
        if nuls.count(0) >= 0.9 * len(nuls) and letters.count(0) <= 0.1 * len(letters):
            return "UTF-16 text"
    return "binary data"


def _parser_for(name: str, data: bytes) -> Parser | None:
    # Each format's module is imported for its own files only: a folder of CSV files
    # never loads the PX, JSON or Excel readers.
    suffix = Path(name).suffix.casefold()
    if suffix in _TEXT_SUFFIXES and binary_kind(data) is not None:
        return _not_text
    if suffix in (".csv", ".txt", ".tsv"):
        from sodertorn_ledger.population.csv_files import parse_csv

        return parse_csv
    if suffix == ".px":
        from sodertorn_ledger.population.px import parse_px

        return parse_px
    if suffix == ".json":
        from sodertorn_ledger.population.json_files import parse_json

        return parse_json
    if suffix in (".xlsx", ".xlsm") or data.startswith(b"PK\x03\x04"):
        from sodertorn_ledger.population.excel import parse_excel

        return parse_excel
    return None


def _not_text(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    kind = binary_kind(data)
    hint = f"this tool reads SCB's files as downloaded: {SUPPORTED}"
    if kind is not None and kind.startswith("a zip"):
        hint = "an Excel workbook must be named .xlsx; " + hint
    elif kind is not None and "text" in kind:
        hint = "save it as UTF-8 (or download it again from SCB); " + hint
    return FileResult(problems=[Problem(file, 0, f"not a text file (it looks like {kind})", hint)])


def parse_population_file(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    """Figures of one file; `names` maps exact municipality names to kommunkod."""
    parser = _parser_for(file, data)
    if parser is None:
        return FileResult(
            problems=[
                Problem(
                    file,
                    0,
                    "not a population file this tool reads",
                    hint=f"supported: {SUPPORTED}",
                )
            ]
        )
    return parser(file, data, names)


def merge_figures(results: list[tuple[str, FileResult]]) -> tuple[PopulationTable, list[Problem]]:
    """One table from every file's figures; two files disagreeing on one figure is an error."""
    table = PopulationTable()
    problems: list[Problem] = []
    for file, result in results:
        table.files.append(file)
        problems.extend(result.problems)
        for figure in result.figures:
            key = (figure.code, figure.date)
            earlier = table.figures.get(key)
            if earlier is None:
                table.figures[key] = figure
            elif earlier.population != figure.population:
                name = figure.name or earlier.name
                # A workbook's or a JSON file's figure is named by its cell or key path
                # (its row is no line of the file), a text file's by its line.
                at = f"{figure.place}: " if figure.place else ""
                problems.append(
                    Problem(
                        figure.file,
                        0 if figure.place else figure.line,
                        f"{at}folkmängd {figure.date} for {figure.code} {name}".rstrip()
                        + f" is {figure.population} here but {earlier.population} in "
                        f"{earlier.where}",
                        hint="keep only the correct file in the folder",
                    )
                )
    return table, problems


def _not_a_file(mode: int) -> str | None:
    """What a path that is not a regular file is, for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_file_bounded(path: Path, limit: int = MAX_FILE_BYTES, *, why: str = "") -> bytes | Problem:
    """The bytes of a regular file (a symbolic link to one is fine) of at most `limit`
    bytes; a problem naming the file for anything else. A FIFO or a device is never read:
    it is opened without blocking and refused on what the open descriptor is; the size is
    checked before reading and again while reading, as a file may grow. `why` is the
    limit's reason, when it is not the limit of one file."""
    file = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            return Problem(file, 0, "is a symbolic link to nothing (its target is missing)")
        return Problem(file, 0, f"cannot read: {exc.strerror or exc}")
    kind = _not_a_file(info.st_mode)
    if kind is not None:
        return _not_file(file, kind)
    if info.st_size > limit:
        return _too_large(file, f"{format_count(info.st_size)} bytes", limit, why)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return Problem(file, 0, f"cannot read: {exc.strerror or exc}")
    try:
        kind = _not_a_file(os.fstat(fd).st_mode)  # it may have been replaced since the stat
        if kind is not None:
            return _not_file(file, kind)
        chunks: list[bytes] = []
        size = 0
        # One read of the size the stat gave (and a byte more, to see a file that grew):
        # a single chunk is returned as it is, not copied by the join.
        step = min(info.st_size + 1, limit + 1)
        while chunk := os.read(fd, min(step, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            step = 1 << 20
            if size > limit:
                return _too_large(file, "it grew while read", limit, why)
    except OSError as exc:
        return Problem(file, 0, f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    return b"".join(chunks)


def _not_file(file: str, kind: str) -> Problem:
    hint = "only files are read from the population folder"
    if kind == "a folder":
        hint += "; move it out, or start its name with '.' to keep it there"
    return Problem(file, 0, f"is {kind}, not a file with figures", hint=hint)


def _too_large(file: str, size: str, limit: int, why: str) -> Problem:
    at_most = why or f"at most {size_text(limit)} ({format_count(limit)} bytes) is read"
    return Problem(
        file,
        0,
        f"too large for a population file: {size}; {at_most}",
        hint="download only the members and the years needed (SCB's table TAB638)",
    )


def _keep_first_problems(result: FileResult) -> None:
    """Keep a file's first MAX_PROBLEMS_PER_FILE problems and count the rest."""
    extra = len(result.problems) - MAX_PROBLEMS_PER_FILE
    if extra > 0:
        result.omitted += extra
        del result.problems[MAX_PROBLEMS_PER_FILE:]


def _capped(problems: list[Problem], omitted: dict[str, int]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems of each file, then one saying how many more
    (`omitted`: those already left out, per file)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    out: list[Problem] = []
    for file, found in by_file.items():
        out.extend(found[:MAX_PROBLEMS_PER_FILE])
        more = omitted.get(file, 0) + max(0, len(found) - MAX_PROBLEMS_PER_FILE)
        if more:
            out.append(Problem(file, 0, f"and {format_count(more)} more problems"))
    return out


def read_population_folder(
    folder: Path, names: dict[str, Code]
) -> tuple[PopulationTable, list[Problem]]:
    """Every file in `folder` (hidden files, Excel lock files and notes aside), in name order."""
    try:
        is_folder = stat.S_ISDIR(os.stat(folder).st_mode)
    except OSError:
        is_folder = False
    if not is_folder:
        return PopulationTable(), [
            Problem(
                str(folder),
                0,
                "no population folder",
                hint="create it and put SCB's folkmängd files (CSV, PX, JSON, xlsx) in it",
            )
        ]
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        return PopulationTable(), [
            Problem(str(folder), 0, f"cannot list the folder: {exc.strerror or exc}")
        ]
    results: list[tuple[str, FileResult]] = []
    files = read = figures = 0
    for path in entries:
        if path.name.startswith((".", "~$")):
            continue
        if path.suffix.casefold() in _IGNORED_SUFFIXES:
            continue
        file = str(path)
        files += 1
        if files > MAX_FOLDER_FILES or figures > MAX_FOLDER_FIGURES:
            if files > MAX_FOLDER_FILES:
                what = f"more than {MAX_FOLDER_FILES} files"
            else:
                what = f"more than {format_count(MAX_FOLDER_FIGURES)} figures in its files"
            results.append((file, FileResult(problems=[_not_read(file, what)])))
            break
        budget = MAX_FOLDER_BYTES - read
        data = read_file_bounded(
            path,
            min(MAX_FILE_BYTES, budget),
            why=""
            if budget >= MAX_FILE_BYTES
            else f"the folder's files may have {size_text(MAX_FOLDER_BYTES)} together, and "
            f"those before it have {format_count(read)} bytes",
        )
        if isinstance(data, Problem):
            results.append((file, FileResult(problems=[data])))
            continue
        read += len(data)
        result = parse_population_file(file, data, names)
        del data
        _keep_first_problems(result)  # a broken file's messages are counted, not all kept
        figures += len(result.figures)
        results.append((file, result))
    table, problems = merge_figures(results)
    return table, _capped(problems, {file: result.omitted for file, result in results})


def _not_read(file: str, what: str) -> Problem:
    return Problem(
        file,
        0,
        f"not read, nor the files after it: the population folder has {what}",
        hint="keep only SCB's folkmängd files for the members in the folder",
    )


def figures_json(figures: list[Figure]) -> list[dict[str, object]]:
    return [
        {
            "code": f.code,
            "name": f.name,
            "date": f.date.isoformat(),
            "population": f.population,
            "file": f.file,
            "line": f.line or None,
            "place": f.place or None,
        }
        for f in figures
    ]


__all__ = [
    "SUPPORTED",
    "figures_json",
    "merge_figures",
    "parse_population_file",
    "read_file_bounded",
    "read_population_folder",
]
