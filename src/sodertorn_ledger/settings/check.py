"""Whether every account the settings name is an account of the books.

Not a rule of the settings file alone: the answer changes with the books while the file
stays the same, so it is checked on every run and never cached with the settings. The
settings know nothing of the journal: the caller hands in the names of the accounts the
books declare (`account` directives) or post to.

An account the tool posts to exactly (a member's `fee_account`, the fees'
`receivable_account`) must be one of them. An entry that covers its subaccounts (a fund's
`account`, `income` and `costs`, a result line's `accounts`) is there when it or one of its
subaccounts is. Of the operating fund's `result_account` pattern ("fonder:drift från
{year}"), whose accounts the close creates, the parent ("fonder") must be there.

`[sie]` is a table of numbers, not of the books' structure: a number may be given to an
account before the books have it (the fund the next close makes), so it is not checked
on every run. `ledger import` checks the accounts it books to (`sie_targets`), where a
misspelt one would make an account of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.errors import KeyLines, Loc, SettingsError, key_name
from sodertorn_ledger.settings.model import YEAR_PLACEHOLDER, Settings
from sodertorn_ledger.settings.reading import decode_settings, read_settings_file

MAX_LISTED = 20
"""At most this many accounts are reported one by one, then how many more there are."""


class Named(NamedTuple):
    """An account the settings name: where, the name, and whether its subaccounts count."""

    loc: Loc
    account: str
    covering: bool
    pattern: str = ""
    """The result_account pattern whose parent `account` is; else empty."""

    @property
    def written(self) -> str:
        """The value as the file has it."""
        return self.pattern or self.account


def named_accounts(settings: Settings) -> list[Named]:
    """Every account the settings name, in the order of the file."""
    named = [Named(("fees", "receivable_account"), settings.fees.receivable_account, False)]
    named.extend(
        Named(("members", i, "fee_account"), m.fee_account, False)
        for i, m in enumerate(settings.members)
    )
    for i, fund in enumerate(settings.funds):
        if fund.account is not None:
            named.append(Named(("funds", i, "account"), fund.account, True))
        for kind in ("income", "costs"):
            accounts: tuple[str, ...] = getattr(fund, kind)
            named.extend(Named(("funds", i, kind, k), a, True) for k, a in enumerate(accounts))
        if fund.result_account is not None:
            head = fund.result_account.partition(YEAR_PLACEHOLDER)[0]
            parent = head.rpartition(":")[0]
            if parent:
                where = ("funds", i, "result_account")
                named.append(Named(where, parent, True, fund.result_account))
    for kind in ("income", "costs"):
        for j, line in enumerate(getattr(settings.result, kind)):
            named.extend(
                Named(("result", kind, j, "accounts", k), a, True)
                for k, a in enumerate(line.accounts)
            )
    return named


def sie_targets(settings: Settings, numbers: Iterable[str]) -> list[Named]:
    """The accounts imported `numbers` book to, each where the settings give it
    (`[sie.numbers]`, else `[sie.accounts]`); numbers without one are left out."""
    sie = settings.sie
    named = []
    for number in numbers:
        account = sie.account_of(number)
        if account is None:
            continue
        where = ("numbers", number) if number in sie.numbers else ("accounts", account)
        named.append(Named(("sie", *where), account, False))
    return named


def all_in_books(settings: Settings, accounts: Collection[str]) -> bool:
    """True when every account the settings name is among `accounts` (a quick first look,
    which makes no problems)."""
    books = sorted(accounts)
    return all(_in_books(books, n) for n in named_accounts(settings))


def check_accounts(
    settings: Settings, accounts: Collection[str], named: Sequence[Named] | None = None
) -> list[Problem]:
    """A problem for every account the settings name (or those of `named`) that is not
    among `accounts` (those the books declare or post to), at its key and line, with the
    nearest account of the books as a hint."""
    books = sorted(accounts)
    wanted = named_accounts(settings) if named is None else named
    missing = [n for n in wanted if not _in_books(books, n)]
    if not missing:
        return []
    lines = _lines_of(settings)
    problems = [_problem(settings, lines, n, books) for n in missing[:MAX_LISTED]]
    if len(missing) > MAX_LISTED:
        problems.append(
            Problem(
                file=str(settings.path),
                line=0,
                message=f"and {len(missing) - MAX_LISTED} more accounts of the settings that "
                "are not in the books",
            )
        )
    return problems


def _in_books(books: Sequence[str], named: Named) -> bool:
    """True when the sorted `books` hold the account, or, for an entry that covers its
    subaccounts, one of them (all of which sort together, right after "NAME:")."""
    at = bisect_left(books, named.account)
    if at < len(books) and books[at] == named.account:
        return True
    if not named.covering:
        return False
    below = named.account + ":"
    at = bisect_left(books, below, at)
    return at < len(books) and books[at].startswith(below)


def _lines_of(settings: Settings) -> KeyLines | None:
    """The settings file's lines, to find each key's; None when it cannot be read (it may
    have changed since the settings were read: then a problem has no line)."""
    try:
        return KeyLines(decode_settings(read_settings_file(settings.path)))
    except (SettingsError, UnicodeDecodeError):
        return None


def _problem(settings: Settings, lines: KeyLines | None, named: Named, books: list[str]) -> Problem:
    line = lines.value_line(named.loc, named.written) if lines else 0
    if named.pattern:
        expected = f"{YEAR_PLACEHOLDER} below an account of the books"
        why = f'"{named.account}" is not declared or posted to, nor any account below it'
    elif named.covering:
        expected = "an account of the books"
        why = "neither it nor an account below it is declared or posted to"
    else:
        expected = "an account of the books"
        why = "no `account` directive declares it and no posting uses it"
    import difflib

    near = difflib.get_close_matches(named.account, books, n=1, cutoff=0.6)
    declare = f"account {named.account}"
    hint = (
        f'did you mean "{near[0]}"? (a new account is declared in the books first: {declare})'
        if near
        else f"declare it in the books first ({declare}), or correct the name"
    )
    return Problem(
        file=str(settings.path),
        line=line,
        message=f'{key_name(named.loc)}: expected {expected}, got "{named.written}" ({why})',
        hint=hint,
        text=lines.text_of(line) if lines else None,
    )
