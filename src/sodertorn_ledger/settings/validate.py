"""The validator of the settings: pydantic, the one place where their rules are checked.

It runs when the cache has no settings for the file as it is (new, edited, or read by
another version of the tool or of the rules). The pydantic models are made from the
records of `model` (their fields, defaults and the rules their annotations carry), and
once valid give those records. Each validation error becomes a `Problem` with the file,
the line, the key, what was expected and what was found, in TOML's words.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from functools import cache, partial
from pathlib import Path
from types import GenericAlias, UnionType
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
)

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.errors import SettingsError, find_key_line
from sodertorn_ledger.settings.model import (
    SETTINGS,
    After,
    Before,
    MinLength,
    NotInFile,
    Settings,
)

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)


def validate_settings(data: bytes, path: Path) -> Settings:
    """The settings in `data`, the bytes of the file at `path`; raise SettingsError with
    every problem found."""
    try:
        # Line ends as reading the file as text gives them (a lone CR ends a line too).
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as err:
        raise SettingsError(
            [Problem(file=str(path), line=0, message=f"cannot read the settings: {err}")]
        ) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError([_toml_problem(path, err)]) from None
    try:
        settings = _adapter().validate_python(table)
    except ValidationError as err:
        raise SettingsError(
            [_validation_problem(path, text, error) for error in err.errors()]
        ) from None
    assert isinstance(settings, Settings)
    return settings


@cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(_pydantic_type(SETTINGS))


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _pydantic_type(hint: Any) -> Any:
    """What pydantic validates for the annotation `hint`: the rules as pydantic's metadata,
    a settings record as a model that becomes that record once valid."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *rules = get_args(hint)
        return Annotated[(_pydantic_type(base), *map(_pydantic_rule, rules))]
    if _is_record(hint):
        # A rule on the whole record is an After on the annotation around it, which pydantic
        # runs after this one and reports at the record, as a model validator would.
        return Annotated[_model(hint), AfterValidator(partial(_from_model, hint))]
    if origin in (tuple, dict, Mapping):
        return GenericAlias(origin, tuple(map(_pydantic_type, get_args(hint))))
    if origin in (Union, UnionType):
        return Union[tuple(_pydantic_type(a) for a in get_args(hint))]  # noqa: UP007
    return hint


def _pydantic_rule(rule: Any) -> Any:
    if isinstance(rule, MinLength):
        return Field(min_length=rule.n)
    if isinstance(rule, Before):
        return BeforeValidator(rule.rule)
    if isinstance(rule, After):
        return AfterValidator(rule.rule)
    raise TypeError(f"no pydantic counterpart for the rule {rule!r}")


@cache
def _model(record: type) -> type[BaseModel]:
    """The model of a settings record, named as it (the name shows in some messages): its
    fields that are keys of the file."""
    hints = get_type_hints(record, include_extras=True)
    defaults: dict[str, Any] = record._field_defaults  # type: ignore[attr-defined]
    # A factory gives each default itself, as the record does (pydantic would copy a dict).
    definitions: dict[str, Any] = {
        name: (
            _pydantic_type(hints[name]),
            Field(default_factory=partial(_same, defaults[name])) if name in defaults else ...,
        )
        for name in record._fields  # type: ignore[attr-defined]
        if not _not_in_file(hints[name])
    }
    return create_model(record.__name__, __config__=_CONFIG, __module__=__name__, **definitions)


def _not_in_file(hint: Any) -> bool:
    return get_origin(hint) is Annotated and any(
        isinstance(rule, NotInFile) for rule in get_args(hint)[1:]
    )


def _same(value: Any) -> Any:
    return value


def _from_model(record: type, model: BaseModel) -> Any:
    return record(**dict(model))


# --- the problems, in TOML's words ---------------------------------------------------------


def _toml_problem(path: Path, err: tomllib.TOMLDecodeError) -> Problem:
    message = str(err)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (0, None)
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    return Problem(
        file=str(path),
        line=line,
        column=column,
        message=f"not valid TOML: {message}",
        hint="see https://toml.io for the syntax; strings are in double quotes",
    )


def _validation_problem(path: Path, text: str, error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    key = _key_name(loc)
    if error["type"] == "missing":
        message = f"{key}: missing (a required setting)"
    elif error["type"] == "extra_forbidden":
        message = f"{key}: unknown setting (misspelt, or in the wrong table?)"
    else:
        message = f"{key}: expected {_expected(error)}, got {_shown(error.get('input'))}"
    return Problem(file=str(path), line=find_key_line(text, loc), message=message)


_EXPECTED = {
    "tuple_type": 'an array, e.g. ["a", "b"]',
    "list_type": 'an array, e.g. ["a", "b"]',
    "dict_type": "a table",
    "model_type": "a table",
    "string_type": "a string (in double quotes)",
    "decimal_parsing": 'a number, e.g. "4.00"',
    "decimal_type": 'a number, e.g. "4.00"',
}
"""What pydantic's own checks expect, in TOML's words (pydantic says "a valid tuple" of an
array and "a valid dictionary" of a table)."""


def _expected(error: Any) -> str:
    kind = error["type"]
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    n = (error.get("ctx") or {}).get("min_length")
    if kind == "too_short" and isinstance(n, int):
        return f"at least {n} {'entry' if n == 1 else 'entries'}"
    if kind == "string_too_short" and isinstance(n, int):
        plural = "" if n == 1 else "s"
        return f"at least {n} character{plural} (blanks at either end do not count)"
    # A rule's own ValueError says what it expects; anything else as pydantic words it.
    return str(error["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")


def _key_name(loc: tuple[str | int, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if part == "[key]":  # pydantic's marker for a bad dict key: the part before it
            continue
        if i + 1 < len(loc) and loc[i + 1] == "[key]":
            out += f" (key {_quoted(str(part))})"
        elif isinstance(part, int):
            out += f"[{part + 1}]"  # the user counts tables from one
        else:
            out += ("." if out else "") + (part if part.isprintable() else _quoted(part))
    return out or "(top level)"


def _quoted(key: str) -> str:
    """A key as TOML quotes it, escapes and all: a message stays on one line."""
    return json.dumps(key, ensure_ascii=False)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
