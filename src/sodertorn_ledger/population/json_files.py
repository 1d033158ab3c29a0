"""JSON from SCB's PxWeb API: the v1 ``json`` response, JSON-stat 1 and JSON-stat 2.0.

- v1: ``columns`` (each with ``code``, ``text`` and ``type``: ``d`` variable, ``t`` time,
  ``c`` contents) and ``data`` rows ``{"key": [codes of the d/t columns], "values": [one
  per c column]}``. Keys are codes only, so regions come as kommunkod.
- JSON-stat 2.0: ``id`` and ``size`` list the dimensions, ``dimension[id].category`` gives
  ``index`` (list or object) and ``label``; ``value`` is row-major over ``id`` (a list, or
  an object keyed by position when sparse); ``null`` is a missing value. ``role.time`` and
  ``role.metric`` name the time and contents dimensions.
- JSON-stat 1 (PxWeb's ``json-stat``) wraps a dataset in ``{"dataset": ...}`` and keeps
  ``id``, ``size`` and ``role`` inside ``dimension``.
"""

from __future__ import annotations

import json
import re
from itertools import product
from typing import Any

from sodertorn_ledger.money import format_count
from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    MAX_COUNT,
    BadValue,
    Category,
    Cell,
    Code,
    FileResult,
    norm,
    parse_count,
    shorten,
)
from sodertorn_ledger.problems import Problem

_HINT = (
    "expected JSON from SCB's PxWeb API (json-stat2 from PxWebApi 2, or json and json-stat) "
    "for table TAB638 (formerly BE0101N1)"
)
MAX_ITEMS = 3 * MAX_CELLS
"""The most commas (so array items and object members) in one JSON file, counted before it
is parsed, as what Python's json makes of them costs up to 200 bytes each: JSON-stat
spends one on a cell, PxWeb's json format about five (so 300 000 cells, twice what SCB's
API gives in one download)."""


class _Bad(Exception):
    pass


class _Number:
    """A JSON number that is not a plain integer of a sane length (``94847.0``, ``1e30``,
    ``NaN``, a hundred digits), kept as written: it is judged where a figure is expected,
    and refused everywhere else."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _json_int(text: str) -> int | _Number:
    return int(text) if len(text) <= 18 else _Number(text)


def parse_json(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _fail(file, f"not UTF-8 text ({exc.reason})")
    items = text.count(",")
    if items > MAX_ITEMS:
        return _fail(
            file,
            f"{format_count(items)} commas (items): too large for a population file "
            f"(at most {format_count(MAX_ITEMS)})",
        )
    try:
        document = json.loads(
            text, parse_int=_json_int, parse_float=_Number, parse_constant=_Number
        )
    except json.JSONDecodeError as exc:
        return FileResult(
            problems=[Problem(file, exc.lineno, f"not valid JSON: {exc.msg}", hint=_HINT)]
        )
    except RecursionError:
        return _fail(file, "arrays or objects nested too deeply for a population file")
    try:
        if isinstance(document, dict) and "columns" in document and "data" in document:
            cells = _pxweb_v1(document)
        elif isinstance(document, dict) and document.get("class") == "dataset":
            cells = _jsonstat2(document, len(data))
        elif isinstance(document, dict) and isinstance(document.get("dataset"), dict):
            cells = _jsonstat1(document["dataset"], len(data))
        else:
            return _fail(file, "neither a PxWeb json response nor a JSON-stat dataset")
    except _Bad as exc:
        return _fail(file, str(exc))
    except (KeyError, TypeError, IndexError, ValueError, AttributeError) as exc:
        # Never the exception's text: it may quote a whole (deeply nested) part of the file.
        return _fail(file, f"unexpected structure ({type(exc).__name__})")
    return figures_from_cells(cells, file=file, names=names)


def _fail(file: str, message: str) -> FileResult:
    return FileResult(problems=[Problem(file, 0, message, hint=_HINT)])


def _what(value: Any) -> str:
    """A JSON value for a message, short (never a whole array or object)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(shorten(value, 40))
    if isinstance(value, int | _Number):
        return shorten(str(value), 40)
    return "an array" if isinstance(value, list) else "an object"


_POSITION = re.compile(r"0|[1-9][0-9]{0,8}")
_WHOLE_FLOAT = re.compile(r"(-?[0-9]{1,18})\.0+")


def _count(value: Any, place: str) -> int | None:
    """A figure given as a JSON number or as SCB's text (``"94606"``, ``".."``)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_COUNT:
            try:  # the text reader's words for a figure too large
                parse_count(str(value))
            except BadValue as exc:
                raise _Bad(f"{place}: {exc}") from None
        return value
    if isinstance(value, _Number):
        whole = _WHOLE_FLOAT.fullmatch(value.text)
        if whole:  # 94847.0: a whole number, as some tools write every number
            return _count(int(whole[1]), place)
        try:
            parse_count(value.text)
        except BadValue as exc:
            raise _Bad(f"{place}: {exc}") from None
        raise _Bad(f"{place}: {_what(value)} is not a whole number")
    if isinstance(value, str):
        try:
            return parse_count(value)
        except BadValue as exc:
            raise _Bad(f"{place}: {exc}") from None
    raise _Bad(f"{place}: {_what(value)} where a number belongs")


def _list(value: Any, place: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{place}: {_what(value)} where an array belongs")
    return value


def _object(value: Any, place: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{place}: {_what(value)} where an object belongs")
    return value


def _key(name: str) -> str:
    """A member's name in a key path, as JSON writes it: ``dimension["Region"]``."""
    return json.dumps(shorten(name, 40), ensure_ascii=False)


def _member(document: dict[str, Any], key: str, place: str) -> Any:
    if key not in document:
        raise _Bad(f"{place}: no {key!r}")
    return document[key]


def _role(role: dict[str, Any], name: str, ids: list[str]) -> str | None:
    """The dimension JSON-stat's role names as `name` (time, metric), if it is one of `ids`."""
    named = role.get(name)
    first = named[0] if isinstance(named, list) and named else None
    return first if first in ids else None


def _text(value: Any, place: str) -> str:
    """A code or label: text, or a whole number written as a number."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Bad(f"{place}: {_what(value)} where a code or label belongs")


def _pxweb_v1(document: dict[str, Any]) -> list[Cell]:
    raw_columns = _list(document["columns"], "columns")
    columns = [_object(c, f"columns[{n}]") for n, c in enumerate(raw_columns)]
    codes = [_text(c.get("code"), f"columns[{n}].code") for n, c in enumerate(columns)]
    texts = [str(c.get("text") or codes[n]) for n, c in enumerate(columns)]
    keyed = [n for n, c in enumerate(columns) if c.get("type") != "c"]
    contents = [n for n, c in enumerate(columns) if c.get("type") == "c"]
    if not contents:
        raise _Bad("no contents column (type c)")
    time_col = next((n for n in keyed if columns[n].get("type") == "t"), None)
    if time_col is None:
        raise _Bad("no time column (type t)")
    region_col = next(
        (n for n in keyed if norm(codes[n]) == "region" or "region" in norm(texts[n])), None
    )
    if region_col is None:
        raise _Bad("no Region column")
    rows = _list(document["data"], "data")
    if len(rows) * len(contents) > MAX_CELLS:
        raise _Bad(
            f"{format_count(len(rows) * len(contents))} values; at most {format_count(MAX_CELLS)} "
            "are read from one file"
        )
    split_cols = [n for n in keyed if n not in (region_col, time_col)]
    cells: list[Cell] = []
    for r, raw_row in enumerate(rows):
        row = _object(raw_row, f"data[{r}]")
        key = _list(row.get("key"), f"data[{r}].key")
        values = _list(row.get("values"), f"data[{r}].values")
        if len(key) != len(keyed):
            raise _Bad(f"data[{r}].key: {len(key)} codes for {len(keyed)} columns")
        if len(values) != len(contents):
            raise _Bad(f"data[{r}].values: {len(values)} values for {len(contents)} contents")
        by_col = {
            n: _text(k, f"data[{r}].key[{i}]")
            for i, (n, k) in enumerate(zip(keyed, key, strict=True))
        }
        splits = tuple((texts[n], Category(by_col[n], "")) for n in split_cols)
        for i, (n, raw) in enumerate(zip(contents, values, strict=True)):
            place = f"data[{r}].values[{i}]"
            cells.append(
                Cell(
                    Category(by_col[region_col], ""),
                    by_col[time_col],
                    texts[n],
                    splits,
                    _count(raw, place),
                    0,
                    place,
                )
            )
    return cells


def _categories(dimension: dict[str, Any], where: str) -> list[Category]:
    category = _object(dimension.get("category"), f"{where}.category")
    index = category.get("index")
    raw_labels = category.get("label")
    labels = _object(raw_labels, f"{where}.category.label") if raw_labels is not None else {}
    if index is None:
        codes = list(labels)
    elif isinstance(index, list):
        codes = [_text(c, f"{where}.category.index[{n}]") for n, c in enumerate(index)]
    else:
        positions = _object(index, f"{where}.category.index")
        codes = [""] * len(positions)
        for code, position in positions.items():
            if not (isinstance(position, int) and 0 <= position < len(codes)) or codes[position]:
                raise _Bad(
                    f"{where}.category.index[{_key(code)}]: position {_what(position)} "
                    f"is not one of 0–{len(codes) - 1}, each once"
                )
            codes[position] = code
    return [Category(code, _label(labels.get(code))) for code in codes]


def _label(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else _what(value)


_TIMES = frozenset({"tid", "år", "year", "månad", "month", "kvartal", "quarter"})
_CONTENTS = frozenset({"tabellinnehåll", "contents", "table contents", "observations"})
"""The contents dimension's label (its id is ``ContentsCode`` at SCB, its role ``metric``)."""


def _jsonstat2(document: dict[str, Any], file_bytes: int) -> list[Cell]:
    if str(document.get("version", "2.0")) != "2.0":
        raise _Bad(f"JSON-stat version {_what(document.get('version'))}; expected 2.0")
    return _cube(
        document,
        _member(document, "id", "the dataset"),
        _member(document, "size", "the dataset"),
        document.get("role") or {},
        "",
        file_bytes,
    )


def _jsonstat1(dataset: dict[str, Any], file_bytes: int) -> list[Cell]:
    dimension = _object(_member(dataset, "dimension", "dataset"), "dataset.dimension")
    role = dimension.get("role") or {}
    return _cube(
        dataset,
        _member(dimension, "id", "dataset.dimension"),
        _member(dimension, "size", "dataset.dimension"),
        role,
        "dataset.",
        file_bytes,
    )


def _cube(
    dataset: dict[str, Any], raw_ids: Any, raw_sizes: Any, raw_role: Any, at: str, file_bytes: int
) -> list[Cell]:
    """The cells of a JSON-stat dataset in a file of `file_bytes`."""
    size_at = f"{at}size" if at == "" else f"{at}dimension.size"
    id_at = f"{at}id" if at == "" else f"{at}dimension.id"
    ids = [_text(i, f"{id_at}[{n}]") for n, i in enumerate(_list(raw_ids, id_at))]
    sizes = _list(raw_sizes, size_at)
    if len(sizes) != len(ids):
        raise _Bad(f"{size_at}: {len(sizes)} sizes for {len(ids)} dimensions in {id_at}")
    total = 1
    for n, size in enumerate(sizes):
        if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
            raise _Bad(f"{size_at}[{n}]: {_what(size)} is not a number of categories")
        total = min(total * size, MAX_CELLS + 1)  # never a huge product of a huge list
    if total > MAX_CELLS:
        shown = shorten(" × ".join(str(s) for s in sizes))
        raise _Bad(
            f"{size_at}: the dimensions ({shown}) make more than {format_count(MAX_CELLS)} cells, "
            "the most read from one file"
        )
    dims = _object(_member(dataset, "dimension", at.rstrip(".") or "the dataset"), f"{at}dimension")
    categories: list[list[Category]] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        where = f"{at}dimension[{_key(dim_id)}]"
        cats = _categories(_object(dims.get(dim_id), where), where)
        if len(cats) != size:
            raise _Bad(f"{where}: {len(cats)} categories but size {size}")
        categories.append(cats)
    labels = {i: _label(dims[i].get("label")) or i for i in ids}
    role = _object(raw_role, f"{at}role")
    time_id = _role(role, "time", ids) or next(
        (i for i in ids if norm(i) in _TIMES or norm(labels[i]) in _TIMES), None
    )
    if time_id is None:
        raise _Bad("no time dimension (role.time or Tid)")
    content_id = _role(role, "metric", ids) or next(
        (i for i in ids if norm(i) == "contentscode" or norm(labels[i]) in _CONTENTS), None
    )
    region_id = _role(role, "geo", ids) or next(
        (i for i in ids if norm(i) == "region" or "region" in norm(labels[i])),
        next((i for i in ids if i not in (time_id, content_id)), None),
    )
    if region_id is None:
        raise _Bad("no region dimension")
    raw_values = _member(dataset, "value", at.rstrip(".") or "the dataset")
    value_at = f"{at}value"
    if isinstance(raw_values, list):
        if len(raw_values) != total:
            raise _Bad(f"{value_at}: {len(raw_values)} values for {total} cells")
        values: list[Any] | dict[str, Any] = raw_values
    else:
        values = _object(raw_values, value_at)
        if total > file_bytes // 2:  # a cell's value takes two bytes at least ("0,")
            raise _Bad(
                f"{value_at}: a sparse value for {format_count(total)} cells in a file of "
                f"{format_count(file_bytes)} bytes, which could hold values for "
                f"{format_count(file_bytes // 2)} at most: fill in the cells (a list)"
            )
        for key in values:  # sparse: each key a cell's position
            if not (_POSITION.fullmatch(key) and int(key) < total):
                raise _Bad(f"{value_at}[{_key(key)}]: not a cell's position (0–{total - 1})")
    default_content = _label(dataset.get("label"))
    cells: list[Cell] = []
    shared: dict[tuple[tuple[str, Category], ...], tuple[tuple[str, Category], ...]] = {}
    for n, combo in enumerate(product(*categories)):
        if isinstance(values, list):
            raw, place = values[n], f"{value_at}[{n}]"
        else:
            raw, place = values.get(str(n)), f'{value_at}["{n}"]'
        coordinates = dict(zip(ids, combo, strict=True))
        content = coordinates[content_id].text if content_id in coordinates else default_content
        time_cat = coordinates[time_id]
        splits = tuple(
            (labels[i], cat)
            for i, cat in coordinates.items()
            if i not in (region_id, time_id, content_id)
        )
        splits = shared.setdefault(splits, splits)  # one tuple for many cells
        try:
            value = _count(raw, "")
        except _Bad as exc:
            at = ", ".join(f"{i} {c.code or c.label}" for i, c in coordinates.items())
            raise _Bad(f"{place} ({shorten(at, 120)}){exc}") from None
        cells.append(
            Cell(
                coordinates[region_id],
                time_cat.code or time_cat.label,
                content,
                splits,
                value,
                0,
                place,
            )
        )
    return cells
