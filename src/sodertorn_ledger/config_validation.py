"""The pydantic validation of the settings: the validator of record, run when the quick
reader of `config` is not sure (that is, when the file has a problem).

The models are made from the records of `config` (their fields, defaults and the rules
their annotations carry), so the two readers cannot drift apart, and on success they
give the same records. Each validation error becomes a `Problem` with the file,
the line, the key, what was expected and what was found.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, partial
from pathlib import Path
from types import GenericAlias, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

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

from sodertorn_ledger.config import (
    RECORDS,
    SETTINGS,
    After,
    Before,
    MinLength,
    Settings,
    SettingsError,
    find_key_line,
    setting_fields,
)
from sodertorn_ledger.problems import Problem

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)


def validate_settings(data: dict[str, Any], path: Path, text: str) -> Settings:
    """The settings in `data` (read from `path`, whose `text` locates the problems); raise
    SettingsError with every problem pydantic finds."""
    try:
        settings = _adapter().validate_python(data)
    except ValidationError as err:
        raise SettingsError(
            [_validation_problem(path, text, error) for error in err.errors()]
        ) from None
    assert isinstance(settings, Settings)
    return settings


@cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(_pydantic_type(SETTINGS))


def _pydantic_type(hint: Any) -> Any:
    """What pydantic validates for the annotation `hint`: the rules as pydantic's metadata,
    a settings record as a model that becomes that record once valid."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *rules = get_args(hint)
        return Annotated[(_pydantic_type(base), *map(_pydantic_rule, rules))]
    if hint in RECORDS:
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
def _model(cls: type) -> type[BaseModel]:
    """The model of a settings record, named as it (the name shows in some messages)."""
    # The defaults are immutable; a factory keeps pydantic from deep-copying them (it cannot
    # copy the read-only empty mapping).
    definitions: dict[str, Any] = {
        f.name: (
            _pydantic_type(f.annotation),
            ... if f.required else Field(default_factory=partial(_same, f.default)),
        )
        for f in setting_fields(cls)
    }
    return create_model(cls.__name__, __config__=_CONFIG, __module__=__name__, **definitions)


def _same(value: Any) -> Any:
    return value


def _from_model(cls: type, model: BaseModel) -> Any:
    return cls(**dict(model))


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
