"""The two readers of the settings agree: the quick reader of `config` accepts exactly the
data the pydantic models of `config_validation` accept, and then builds equal settings.
And the everyday path (valid settings) never imports pydantic.

The data are what tomllib gives: valid settings of every shape the rules allow, and the
same with a few mutations (a value of another type, a key missing or unknown, a padded
string, a bad code, year, rate or account, a value copied to where it overlaps or repeats).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter

from sodertorn_ledger.config import BLANKS, Settings, SettingsError, quick_settings
from sodertorn_ledger.config_validation import validate_settings

BUNDLED = Path(__file__).resolve().parent.parent / "ledger" / "sodertorn.toml"

READERS = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

Data = dict[str, Any]
PathTo = tuple[str | int, ...]

# --- valid settings --------------------------------------------------------------------

WORDS = ["drift", "personal", "avgifter", "resor och logi", "x", "södertörn"]


@st.composite
def accounts_under(draw: st.DrawFn, parent: str) -> list[str]:
    """Distinct subaccounts of `parent` (none inside another), or `parent` itself."""
    if draw(st.booleans()):
        return [parent]
    subs = draw(st.permutations(WORDS))[: draw(st.integers(min_value=1, max_value=3))]
    return [f"{parent}:{sub}" for sub in subs]


rates = st.one_of(
    st.decimals(min_value=0, max_value=100, places=2).map(str),
    st.integers(min_value=0, max_value=10),
    st.sampled_from(["4.00", "4", "4.000", "1e2", "4_00", " 4.50 ", "1E+30"]),
)


often = st.sampled_from([True, True, True, False])


@st.composite
def valid_settings(draw: st.DrawFn) -> Data:
    """Settings data that keep every rule, with optional keys now and then left out."""
    codes = draw(
        st.lists(st.integers(0, 9999).map("{:04}".format), min_size=1, max_size=4, unique=True)
    )
    members = [
        {
            "code": code,
            "name": draw(st.sampled_from(["Botkyrka", "Salem", "Ö"])),
            "fee_account": f"intäkter:drift:avgifter:m{i}",
        }
        for i, code in enumerate(codes)
    ]
    years = draw(st.lists(st.integers(1990, 2040), min_size=1, max_size=3, unique=True))
    data: Data = {
        "organisation": "Södertörnssamarbetet",
        "currency": draw(st.sampled_from(["kr", "SEK"])),
        "fees": {
            "receivable_account": "tillgångar:kundfordringar",
            "rates": {str(y): draw(rates) for y in years},
        },
        "members": members,
        "funds": [],
    }
    operating = draw(often)
    n_funds = draw(st.integers(min_value=0 if operating else 1, max_value=3))
    if operating:
        data["funds"].append(
            {
                "name": "Drift",
                "income": draw(accounts_under("intäkter:drift")),
                "costs": draw(accounts_under("kostnader:drift")),
                "result_account": "fonder:drift från {year}",
            }
        )
    for i in range(n_funds):
        fund: Data = {"name": f"Fond {i}", "account": f"fonder:f{i}"}
        if draw(often):
            fund["note"] = draw(st.sampled_from(["en not", ""]))
        for kind in ("income", "costs"):
            if draw(often):
                fund[kind] = draw(accounts_under(f"{kind}:f{i}"))
        data["funds"].append(fund)
    if operating and draw(often):
        drift = data["funds"][0]
        data["result"] = {
            kind: [
                {"name": f"Rad {j}", "accounts": [account]}
                for j, account in enumerate(drift[kind])
                if draw(st.booleans())
            ]
            for kind in ("income", "costs")
            if draw(often)
        }
    if draw(often):
        projects: Data = {}
        if draw(often):
            projects["tag"] = draw(st.sampled_from(["projekt", "p2"]))
        if draw(often):
            projects["names"] = {"Produktion kartor": "Produktion kartor, Details"}
        data["projects"] = projects
    return data


# --- mutations -------------------------------------------------------------------------

TRICKY_STRINGS = [
    "",
    " ",
    "127",
    "01a7",
    "٠١٢٧",
    "0127",
    "19",
    "2019",
    "intäkter::salem",
    "a;b",
    "a  b",
    " intäkter:drift",
    "intäkter:drift",
    "kostnader:drift:personal",
    "fonder:drift från",
    "fonder:drift från {year} {year}",
    "fonder:x {year}",
    "projekt x",
    "a\x1cb",
    "a,b",
]
BAD_RATES = [4.0, True, "4.001", "-1", "-0", "nan", "inf", "sNaN", "1e-3", "", " ", "4 kr", -1]
toml_values = st.one_of(
    st.sampled_from(TRICKY_STRINGS + WORDS),
    st.text(max_size=6),
    st.integers(min_value=-5, max_value=3000),
    st.floats(allow_nan=False, max_value=1e6, min_value=-1e6),
    st.booleans(),
    st.just(dt.date(2020, 1, 1)),
    st.just(dt.datetime(2020, 1, 1, 12, 0)),
    st.builds(list),
    st.builds(dict),
    st.lists(st.sampled_from(TRICKY_STRINGS), max_size=2),
    st.dictionaries(st.sampled_from(TRICKY_STRINGS), st.sampled_from(TRICKY_STRINGS), max_size=2),
)
pads = st.text(alphabet=BLANKS + "\x1c\x1f\u200b", min_size=1, max_size=2)
KINDS = [
    "replace",
    "tricky",
    "tricky",
    "rate",
    "key",
    "wrap",
    "delete",
    "extra",
    "pad",
    "copy",
    "repeat",
]


def nodes(data: Any, path: PathTo = ()) -> list[PathTo]:
    """Every place in `data` (the root excluded): dict values and list items."""
    if isinstance(data, dict):
        items: list[tuple[str | int, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return []
    return [p for key, value in items for p in [(*path, key), *nodes(value, (*path, key))]]


def get(data: Any, path: PathTo) -> Any:
    for key in path:
        data = data[key]
    return data


def put(data: Any, path: PathTo, value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def setting_of(path: PathTo) -> str:
    """The setting a place belongs to: "code" for ("members", 2, "code"), "rates" for a
    rate, "income" for an account of a fund's income."""
    keys = [k for k in path if isinstance(k, str)]
    if len(keys) > 1 and keys[-2] in ("rates", "names"):
        return keys[-2]
    return keys[-1] if keys else ""


def pick(draw: st.DrawFn, paths: list[PathTo]) -> PathTo:
    """A place, each setting as likely as any other (a fund has many accounts, one tag)."""
    setting = draw(st.sampled_from(sorted({setting_of(p) for p in paths})))
    return draw(st.sampled_from([p for p in paths if setting_of(p) == setting]))


def mutate(data: Data, draw: st.DrawFn) -> str:
    """One mutation of `data` in place; its name ("none" when it found no place to do it)."""
    places = nodes(data)
    strings = [p for p in places if isinstance(get(data, p), str)]
    rates = [p for p in places if setting_of(p) == "rates"]
    lists = [p for p in places if isinstance(get(data, p), list) and get(data, p)]
    tables = [p for p in [(), *places] if isinstance(get(data, p), dict)]
    keyed = [p for p in places if isinstance(p[-1], str)]
    free_keys = [p for p in keyed if setting_of(p) in ("rates", "names")]
    kind = draw(st.sampled_from(KINDS))
    if kind == "replace":
        put(data, pick(draw, places), draw(toml_values))
    elif kind == "tricky" and strings:
        put(data, pick(draw, strings), draw(st.sampled_from(TRICKY_STRINGS)))
    elif kind == "rate" and rates:
        put(data, draw(st.sampled_from(rates)), draw(st.sampled_from(BAD_RATES)))
    elif kind == "key" and free_keys:
        where = pick(draw, free_keys)
        table, key = get(data, where[:-1]), where[-1]
        assert isinstance(key, str)
        new = draw(st.one_of(st.sampled_from(TRICKY_STRINGS), pads.map(lambda p: p + key)))
        table[new] = table.pop(key)
    elif kind == "wrap":
        where = pick(draw, places)
        value = get(data, where)
        if isinstance(value, list) and value:
            # `accounts = "personal"` for ["kostnader:personal"], a member for [[members]]
            put(data, where, draw(st.sampled_from([value[0], *WORDS])))
        else:
            put(data, where, [value])
    elif kind == "delete":
        where = pick(draw, places)
        del get(data, where[:-1])[where[-1]]
    elif kind == "extra":
        # A key of another table (`acount`, a fund's key in a member), with a sane value.
        source = pick(draw, keyed)
        table = get(data, pick(draw, tables) if draw(st.booleans()) else ())
        table[source[-1]] = copy.deepcopy(get(data, source))
    elif kind == "pad" and strings:
        where = pick(draw, strings)
        put(data, where, draw(pads) + get(data, where) + draw(pads))
    elif kind == "copy" and len(strings) > 1:
        put(data, pick(draw, strings), get(data, pick(draw, strings)))
    elif kind == "repeat" and lists:
        items = get(data, pick(draw, lists))
        items.append(copy.deepcopy(draw(st.sampled_from(items))))
    else:
        return "none"
    return kind


@st.composite
def settings_data(draw: st.DrawFn) -> Data:
    """Valid settings with mostly one mutation (so that a single rule decides), at times
    none or several."""
    data = draw(valid_settings())
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 1, 2, 3]))):
        event(f"mutation: {mutate(data, draw)}")
    return data


# --- the properties --------------------------------------------------------------------


USERS_WORDS = re.compile(r"\S.*: (expected .+, got .+|missing \(a required setting\)|unknown .+)")
PYDANTICS_WORDS = re.compile(r"Input should|should have|should match|valid (tuple|dict|list)")


def by_pydantic(data: Data) -> Settings | None:
    try:
        return validate_settings(data, Path("sodertorn.toml"), "")
    except SettingsError as refused:
        # Every problem is worded for the user, whichever check found it.
        for problem in refused.problems:
            assert USERS_WORDS.fullmatch(problem.message), problem.message
            assert not PYDANTICS_WORDS.search(problem.message), problem.message
        return None


@READERS
@given(settings_data())
def test_quick_reader_accepts_what_pydantic_accepts_and_builds_the_same(data: Data) -> None:
    quick = quick_settings(data)
    full = by_pydantic(data)
    event("accepted" if full is not None else "refused")
    assert (quick is None) == (full is None), (quick, full)
    assert quick == full


def test_the_bundled_settings_take_the_quick_path() -> None:
    import tomllib

    data = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    quick = quick_settings(data)
    assert quick is not None
    assert quick == by_pydantic(data)


def test_blanks_are_what_pydantic_strips() -> None:
    """BLANKS against pydantic's str_strip_whitespace, for every code point."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    strip = TypeAdapter(list[str], config=ConfigDict(str_strip_whitespace=True))
    stripped = strip.validate_python([f"{c}x{c}" for c in chars])
    assert "".join(c for c, s in zip(chars, stripped, strict=True) if s == "x") == BLANKS


def test_loading_valid_settings_does_not_import_pydantic() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from sodertorn_ledger.config import load_settings
        settings = load_settings(Path({str(BUNDLED)!r}))
        assert settings.fee_rate(2020), settings
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core")))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("command", [["summary", "2020"], ["fees", "2020"]])
def test_everyday_commands_do_not_import_pydantic(command: list[str]) -> None:
    """The whole command on the bundled books, as run (typer 0.26 and later would import
    pydantic again: see pyproject.toml)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sodertorn_ledger", *command],
        cwd=BUNDLED.parent.parent,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()]
    assert not [m for m in imported if m.split(".")[0] in ("pydantic", "pydantic_core")]
