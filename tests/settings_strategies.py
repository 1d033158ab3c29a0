"""Settings as tomllib reads them, for the property tests of the settings: valid settings
of every shape the rules allow, and the same with a few mutations (a value of another type,
a key missing or unknown, a padded string, a bad code, year, rate or account, a value
copied to where it overlaps or repeats); and `toml_text`, which writes them as a file.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import event
from hypothesis import strategies as st

Data = dict[str, Any]
PathTo = tuple[str | int, ...]

BLANKS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Unicode's White_Space: what pydantic's str_strip_whitespace strips from a string's ends."""

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
    st.sampled_from(["4.00", "4", "4.000", "1e2", "4_00", " 4.50 ", "1E+8"]),
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
def edits(draw: st.DrawFn) -> tuple[Data, Data]:
    """Valid settings, and the same after an edit: mostly one mutation (so that a single
    rule decides), at times several."""
    before = draw(valid_settings())
    after = copy.deepcopy(before)
    for _ in range(draw(st.sampled_from([1, 1, 1, 1, 2, 3]))):
        event(f"mutation: {mutate(after, draw)}")
    return before, after


# --- as a file -------------------------------------------------------------------------


def toml_text(data: Data) -> str:
    """`data` as a TOML file that tomllib reads back as `data` (every table inline)."""
    return "".join(f"{_toml_string(key)} = {_toml_value(value)}\n" for key, value in data.items())


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, dict):
        items = (f"{_toml_string(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no TOML for {value!r}")


def _toml_string(text: str) -> str:
    # JSON's escapes are TOML's, but for DEL, which TOML wants escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
