"""Reading the folder of SCB files into one population table.

`parse_population_file` is pure (name and bytes in, figures and problems out);
`read_population_folder` is the only function here that touches the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sodertorn_ledger.population.model import Code, Figure, FileResult, PopulationTable
from sodertorn_ledger.problems import Problem

Parser = Callable[[str, bytes, dict[str, Code]], FileResult]

SUPPORTED = ".csv, .txt, .tsv (SCB CSV or kommunkod;kommun;år;folkmängd), .px, .json, .xlsx"
_IGNORED_SUFFIXES = frozenset({".md"})  # a note beside the data is not data


def _parser_for(name: str, data: bytes) -> Parser | None:
    # Each format's module is imported for its own files only: a folder of CSV files
    # never loads the PX, JSON or Excel readers.
    suffix = Path(name).suffix.casefold()
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
                problems.append(
                    Problem(
                        figure.file,
                        figure.line,
                        f"folkmängd {figure.date} for {figure.code} {name}".rstrip()
                        + f" is {figure.population} here but {earlier.population} in "
                        f"{earlier.where}",
                        hint="keep only the correct file in the folder",
                    )
                )
    return table, problems


def read_population_folder(
    folder: Path, names: dict[str, Code]
) -> tuple[PopulationTable, list[Problem]]:
    """Every file in `folder` (hidden files, Excel lock files and notes aside), in name order."""
    if not folder.is_dir():
        return PopulationTable(), [
            Problem(
                str(folder),
                0,
                "no population folder",
                hint="create it and put SCB's folkmängd files (CSV, PX, JSON, xlsx) in it",
            )
        ]
    results: list[tuple[str, FileResult]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        if path.suffix.casefold() in _IGNORED_SUFFIXES:
            continue
        file = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append(
                (file, FileResult(problems=[Problem(file, 0, f"cannot read: {exc.strerror}")]))
            )
            continue
        results.append((file, parse_population_file(file, data, names)))
    return merge_figures(results)


def figures_json(figures: list[Figure]) -> list[dict[str, object]]:
    return [
        {
            "code": f.code,
            "name": f.name,
            "date": f.date.isoformat(),
            "population": f.population,
            "file": f.file,
            "line": f.line or None,
        }
        for f in figures
    ]


__all__ = [
    "SUPPORTED",
    "figures_json",
    "merge_figures",
    "parse_population_file",
    "read_population_folder",
]
