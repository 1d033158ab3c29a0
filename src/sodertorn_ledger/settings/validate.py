"""The validator of the settings: pydantic, the one place where their rules are checked.

It runs when the cache has no settings for the file as it is (new, edited, or read by
another version of the tool or of the rules). The pydantic models are made from the
records of `model` (their fields, defaults and the rules their annotations carry), and
once valid give those records. Each validation error becomes a `Problem` with the file,
the line, the key, what was expected and what was found, in TOML's words.
"""

from __future__ import annotations

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
from sodertorn_ledger.settings.errors import KeyLines, Loc, SettingsError, key_name
from sodertorn_ledger.settings.model import (
    SETTINGS,
    After,
    Before,
    EntryError,
    MinLength,
    NotInFile,
    Settings,
)
from sodertorn_ledger.settings.reading import decode_settings

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)


MAX_DEPTH = 32
"""How deeply arrays and inline tables may nest; the settings need three levels."""
MAX_PROBLEMS = 20
"""At most this many problems are listed, then how many more there are (a file of many
thousand bad entries would otherwise take minutes to report)."""


def validate_settings(data: bytes, path: Path) -> Settings:
    """The settings in `data`, the bytes of the file at `path`; raise SettingsError with
    every problem found."""
    try:
        text = decode_settings(data)
    except UnicodeDecodeError as err:
        raise SettingsError([_encoding_problem(path, data, err)]) from None
    too_deep = _too_deep(text)
    if too_deep is not None:
        raise SettingsError([_depth_problem(path, text, too_deep)]) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError([_toml_problem(path, err)]) from None
    except RecursionError:
        # _too_deep missed a nesting (it reads TOML's syntax roughly): tomllib recurses.
        raise SettingsError([_depth_problem(path, text, None)]) from None
    except ValueError as err:
        # tomllib lets Python's own refusal through: an integer of more than 4300 digits.
        raise SettingsError([_number_problem(path, text, err)]) from None
    try:
        settings = _adapter().validate_python(table)
    except ValidationError as err:
        errors = err.errors()
        lines = KeyLines(text)
        problems = [_validation_problem(path, lines, error) for error in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            problems.append(
                Problem(
                    file=str(path),
                    line=0,
                    message=f"and {len(errors) - MAX_PROBLEMS} more problems in the settings",
                    hint="fix the ones above first",
                )
            )
        raise SettingsError(problems) from None
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


def _encoding_problem(path: Path, data: bytes, err: UnicodeDecodeError) -> Problem:
    """The line and column of the first byte that is not UTF-8."""
    start = data.rfind(b"\n", 0, err.start) + 1
    before = data[start : err.start].decode("utf-8")
    if start == 0:
        before = before.removeprefix("\ufeff")
    return Problem(
        file=str(path),
        line=data.count(b"\n", 0, err.start) + 1,
        column=len(before) + 1,
        message=f"not UTF-8: the byte 0x{data[err.start]:02x} cannot be read as text",
        hint="save the settings as UTF-8 (as the journal)",
    )


_TOKENS = re.compile(
    "|".join(
        [
            r'"""(?:[^\\]|\\.?)*?(?:"""|\Z)',  # a multi-line string, escapes and all
            r"'''.*?(?:'''|\Z)",
            r'"(?:[^"\\\n]|\\[^\n]?)*(?:"|(?=\n)|\Z)',  # a string
            r"'[^'\n]*(?:'|(?=\n)|\Z)",
            r"#[^\n]*",  # a comment
            r"[\[\]{}]",
        ]
    ),
    re.DOTALL,
)
"""What can hold a bracket in TOML: strings and comments (whose brackets do not count),
and the brackets themselves. A string or comment left open ends at the line's or the
text's end, so no token fails once begun: one pass over the text, however it is written."""


def _too_deep(text: str) -> int | None:
    """Where arrays and inline tables first nest more than MAX_DEPTH deep (an offset in
    `text`), else None. Cheap, and before tomllib, which recurses once a level."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _depth_problem(path: Path, text: str, offset: int | None) -> Problem:
    line, column = (0, None)
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(
        file=str(path),
        line=line,
        column=column,
        message=f"arrays and tables nested too deep (more than {MAX_DEPTH} levels)",
        hint="the settings nest three levels at most; is this the right file?",
    )


def _number_problem(path: Path, text: str, err: ValueError) -> Problem:
    long_number = re.search(r"[0-9][0-9_]{4000,}", text)
    offset = long_number.start() if long_number else None
    line = 0 if offset is None else text.count("\n", 0, offset) + 1
    return Problem(
        file=str(path),
        line=line,
        message="not valid TOML: a number too long to read"
        if long_number
        else f"not valid TOML: {err}",
        hint='a rate is a string of kronor, e.g. "4.00"',
    )


def _validation_problem(path: Path, lines: KeyLines, error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, EntryError):
        return _entry_problem(path, lines, loc, cause)
    key = key_name(loc)
    if error["type"] == "missing":
        message = f"{key}: missing (a required setting)"
    elif error["type"] == "extra_forbidden":
        message = f"{key}: unknown setting (misspelt, or in the wrong table?)"
        near = _nearest_key(loc)
        if near is not None:
            message += f"; did you mean {near}?"
    else:
        message = f"{key}: expected {_expected(error)}, got {_shown(error.get('input'))}"
    found = error.get("input")
    # A string's own line, where an array of tables is written over several lines.
    line = lines.value_line(loc, found) if isinstance(found, str) else lines.line_of(loc)
    return Problem(file=str(path), line=line, message=message, text=lines.text_of(line))


def _nearest_key(loc: Loc) -> str | None:
    """The key of the table at `loc` nearest to its unknown last part, if one is near."""
    import difflib

    hint: Any = SETTINGS
    for part in [*loc[:-1], None]:
        while True:  # what the annotation holds: past rules and "or None"
            origin = get_origin(hint)
            if origin is Annotated:
                hint = get_args(hint)[0]
            elif origin in (Union, UnionType):
                hint = next(a for a in get_args(hint) if a is not type(None))
            else:
                break
        if part is None:
            break
        if _is_record(hint) and isinstance(part, str):
            hint = get_type_hints(hint, include_extras=True).get(part)
        elif get_origin(hint) in (tuple, dict, Mapping) and get_args(hint):
            hint = get_args(hint)[-1] if get_origin(hint) is not tuple else get_args(hint)[0]
        else:
            return None
    if not _is_record(hint) or not isinstance(loc[-1], str):
        return None
    near = difflib.get_close_matches(loc[-1], list(_model(hint).model_fields), n=1)
    return near[0] if near else None


def _entry_problem(path: Path, lines: KeyLines, loc: Loc, cause: EntryError) -> Problem:
    """A rule broken by entries (a kommunkod given twice): the problem is at the last of
    them, and names the line of each."""
    places: list[tuple[Loc, int]] = []
    for place, value in cause.places:
        where = (*loc, *place)
        line = lines.line_of(where) if value is None else lines.value_line(where, value)
        places.append((where, line))
    last, line = places[-1]
    message = f"{key_name(last)}: expected {cause.expected}, got {cause.got}"
    if len(places) > 1:
        message += ", at " + " and ".join(
            f"{key_name(where)} (line {at})" if at else key_name(where) for where, at in places
        )
    return Problem(file=str(path), line=line, message=message, text=lines.text_of(line))


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


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
