"""The terminal tables: cells, and names printed exactly as written."""

from __future__ import annotations

from decimal import Decimal

from sodertorn_ledger.render.terminal import cell, make_console


def test_cells_round_half_up_blank_zero_and_real_minus() -> None:
    assert cell(Decimal("-1824368.40"), ore=False) == "−1 824 368"
    assert cell(Decimal("5488.50"), ore=False) == "5 489"
    assert cell(Decimal("-0.50"), ore=False) == "−1"
    assert cell(Decimal("188431.60"), ore=True) == "188 431,60"
    assert cell(Decimal(0), ore=False, blank_zero=True) == ""
    assert cell(Decimal("0.00"), ore=True) == "0,00"


def test_names_are_printed_as_written() -> None:
    """No rich markup and no emoji codes: a name may hold brackets or spell ":fire:"."""
    from rich.table import Table

    table = Table()
    table.add_column("Fond")
    table.add_row("Konferens [b]2020[/b] :fire: :smile:")
    console = make_console()
    with console.capture() as captured:
        console.print(table)
    assert "Konferens [b]2020[/b] :fire: :smile:" in captured.get()
