"""Comparison with the year before (jämförelsetal): the one rule that pairs a report's
rows of two years.

A report of the year before is computed by the same function as the year's, from the
same loaded books; its rows are then paired with the year's by their identity (a fund's
name, a result line's name, a project's tag, a supplier, a balance account). The year's
rows keep their order; the rows only the year before has come after them, in its order,
so every column of either year adds up to its Summa.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from typing import Protocol, Self, TypeVar

Row = TypeVar("Row")


def pair_rows(
    rows: Sequence[Row], before: Sequence[Row], key: Callable[[Row], Hashable]
) -> list[tuple[Row | None, Row | None]]:
    """The rows of both years by `key`: each of the year's `rows` in its order with the
    row of the year before of the same key (None when that year had none), then the rows
    of the year before the year lacks (None for the year)."""
    earlier = {key(row): row for row in before}
    out: list[tuple[Row | None, Row | None]] = []
    seen = set()
    for row in rows:
        k = key(row)
        seen.add(k)
        out.append((row, earlier.get(k)))
    out.extend((None, row) for row in before if key(row) not in seen)
    return out


class _AmountRow(Protocol):
    """A report row of one amount that can carry the year before's (`previous`)."""

    @property
    def amount(self) -> Decimal: ...

    def _replace(self, *, previous: Decimal | None = ...) -> Self: ...


AmountRow = TypeVar("AmountRow", bound=_AmountRow)


def with_previous_amounts(
    rows: Sequence[AmountRow],
    before: Sequence[AmountRow],
    key: Callable[[AmountRow], Hashable],
    empty: Callable[[AmountRow], AmountRow],
) -> tuple[AmountRow, ...]:
    """The rows of a one-amount report with the year before's amount as `previous` (None
    when that year had no such row), paired by `pair_rows`; a row only the year before has
    is `empty(its row)`, the row at 0 for the year."""
    out = []
    for row, earlier in pair_rows(rows, before, key):
        if row is None:
            assert earlier is not None
            row = empty(earlier)
        out.append(row._replace(previous=None if earlier is None else earlier.amount))
    return tuple(out)
