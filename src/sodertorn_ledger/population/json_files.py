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
from itertools import product
from typing import Any

from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    BadValue,
    Category,
    Cell,
    Code,
    FileResult,
    norm,
    parse_count,
)
from sodertorn_ledger.problems import Problem

_HINT = (
    "expected JSON from SCB's PxWeb API (format json, json-stat or json-stat2) for table BE0101N1"
)


class _Bad(Exception):
    pass


def parse_json(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return _fail(file, f"not UTF-8 text ({exc.reason})")
    except json.JSONDecodeError as exc:
        return FileResult(
            problems=[Problem(file, exc.lineno, f"not valid JSON: {exc.msg}", hint=_HINT)]
        )
    try:
        if isinstance(document, dict) and "columns" in document and "data" in document:
            cells = _pxweb_v1(document)
        elif isinstance(document, dict) and document.get("class") == "dataset":
            cells = _jsonstat2(document)
        elif isinstance(document, dict) and isinstance(document.get("dataset"), dict):
            cells = _jsonstat1(document["dataset"])
        else:
            return _fail(file, "neither a PxWeb json response nor a JSON-stat dataset")
    except _Bad as exc:
        return _fail(file, str(exc))
    except (KeyError, TypeError, IndexError, ValueError, AttributeError) as exc:
        return _fail(file, f"unexpected structure ({type(exc).__name__}: {exc})")
    return figures_from_cells(cells, file=file, names=names)


def _fail(file: str, message: str) -> FileResult:
    return FileResult(problems=[Problem(file, 0, message, hint=_HINT)])


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"value {value!r} is not a number")
    if isinstance(value, int):
        return value
    try:
        return parse_count(str(value))
    except BadValue:
        raise _Bad(f"value {value!r} is not a whole number") from None


def _pxweb_v1(document: dict[str, Any]) -> list[Cell]:
    columns: list[dict[str, Any]] = document["columns"]
    keyed = [c for c in columns if c.get("type") != "c"]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise _Bad("no contents column (type c)")
    time_col = next((c for c in keyed if c.get("type") == "t"), None)
    if time_col is None:
        raise _Bad("no time column (type t)")
    region_col = next(
        (c for c in keyed if norm(c["code"]) == "region" or "region" in norm(c.get("text", ""))),
        None,
    )
    if region_col is None:
        raise _Bad("no Region column")
    cells: list[Cell] = []
    for row in document["data"]:
        key = dict(zip((c["code"] for c in keyed), row["key"], strict=True))
        values = row["values"]
        if len(values) != len(contents):
            raise _Bad(f"a row has {len(values)} values for {len(contents)} contents")
        splits = tuple(
            (c.get("text") or c["code"], Category(str(key[c["code"]]), ""))
            for c in keyed
            if c is not region_col and c is not time_col
        )
        for content, raw in zip(contents, values, strict=True):
            cells.append(
                Cell(
                    Category(str(key[region_col["code"]]), ""),
                    str(key[time_col["code"]]),
                    str(content.get("text") or content["code"]),
                    splits,
                    _count(raw),
                    0,
                )
            )
    return cells


def _categories(dimension: dict[str, Any]) -> list[Category]:
    category = dimension["category"]
    index = category.get("index")
    labels: dict[str, str] = category.get("label") or {}
    if index is None:
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    else:
        codes = [c for c, _ in sorted(index.items(), key=lambda item: int(item[1]))]
    return [Category(code, str(labels.get(code, ""))) for code in codes]


def _jsonstat2(document: dict[str, Any]) -> list[Cell]:
    if str(document.get("version", "2.0")) != "2.0":
        raise _Bad(f"JSON-stat version {document.get('version')!r}; expected 2.0")
    return _cube(document, document["id"], document["size"], document.get("role") or {})


def _jsonstat1(dataset: dict[str, Any]) -> list[Cell]:
    dimension = dataset["dimension"]
    return _cube(dataset, dimension["id"], dimension["size"], dimension.get("role") or {})


def _cube(
    dataset: dict[str, Any], ids: list[str], sizes: list[int], role: dict[str, list[str]]
) -> list[Cell]:
    dims = dataset["dimension"]
    categories = [_categories(dims[i]) for i in ids]
    for dim_id, size, cats in zip(ids, sizes, categories, strict=True):
        if len(cats) != size:
            raise _Bad(f"dimension {dim_id!r} has {len(cats)} categories but size {size}")
    labels = {i: str(dims[i].get("label") or i) for i in ids}
    time_id = next(iter(role.get("time") or []), None) or next(
        (i for i in ids if norm(i) in ("tid", "år", "year") or norm(labels[i]) == "år"), None
    )
    if time_id is None:
        raise _Bad("no time dimension (role.time or Tid)")
    content_id = next(iter(role.get("metric") or []), None) or next(
        (i for i in ids if norm(i) == "contentscode"), None
    )
    region_id = next(
        (i for i in ids if norm(i) == "region" or "region" in norm(labels[i])),
        next((i for i in ids if i not in (time_id, content_id)), None),
    )
    if region_id is None:
        raise _Bad("no region dimension")
    raw_values = dataset["value"]
    total = 1
    for size in sizes:
        total *= size
    if isinstance(raw_values, list):
        if len(raw_values) != total:
            raise _Bad(f"{len(raw_values)} values for {total} cells")
        values: list[Any] = raw_values
    else:
        values = [raw_values.get(str(n)) for n in range(total)]
    default_content = str(dataset.get("label") or "")
    cells: list[Cell] = []
    for raw, combo in zip(values, product(*categories), strict=True):
        coordinates = dict(zip(ids, combo, strict=True))
        content = coordinates[content_id].text if content_id in coordinates else default_content
        time_cat = coordinates[time_id]
        splits = tuple(
            (labels[i], cat)
            for i, cat in coordinates.items()
            if i not in (region_id, time_id, content_id)
        )
        cells.append(
            Cell(
                coordinates[region_id],
                time_cat.code or time_cat.label,
                content,
                splits,
                _count(raw),
                0,
            )
        )
    return cells
