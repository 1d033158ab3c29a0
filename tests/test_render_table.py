"""The report tables: `Table` draws what rich's Table draws (box SIMPLE_HEAD), the same
characters in the same styles, whether it draws the table itself or hands it to rich."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from sodertorn_ledger.render.table import Justify, Table

SAME = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# What the reports hold: Swedish words, amounts with blanks and a real minus, footnote
# markers; in some tables also characters that are wide, invisible or not for one line.
usual = st.sampled_from("abcåäöÅÄÖ ABC0123456789 −¹⁾,:")
unusual = st.sampled_from(["漢", "\u0301", "\t", "\xa0", "\n", " "])


def words(draw: st.DrawFn, odd: bool) -> str:
    return draw(st.text(alphabet=st.one_of(usual, unusual) if odd else usual, max_size=14))


styles = st.sampled_from([None, "bold", "dim", "bold red"])


@st.composite
def tables(draw: st.DrawFn) -> Table:
    odd = draw(st.integers(0, 4)) == 0
    table = Table(
        words(draw, odd),
        title_justify=draw(st.sampled_from(["left", "center"])),
        title_style=draw(st.sampled_from([None, "bold"])),
        show_footer=draw(st.booleans()),
    )
    n = draw(st.integers(1, 5))
    for _ in range(n):
        justify: Justify = draw(st.sampled_from(["left", "right"]))
        table.add_column(words(draw, odd), justify=justify, footer=words(draw, odd))
    for _ in range(draw(st.integers(0, 7))):
        cells: list[str | Text] = []
        for _ in range(n):
            text, style = words(draw, odd), draw(styles)
            cells.append(text if style is None else Text(text, style=style))
        table.add_row(*cells, style=draw(styles))
        if draw(st.integers(0, 3)) == 0:
            table.add_section()
    return table


def console(width: int, *, styled: bool) -> Console:
    """As make_console makes it (no markup, no emoji, no highlighting), at `width`."""
    return Console(
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        force_terminal=styled,
        color_system="truecolor" if styled else None,
    )


def drawn(renderable: RenderableType, width: int) -> list[list[tuple[str, Any]]]:
    """Every line as (character, style) pairs; a blank's style is not seen, so not kept."""
    lines = Segment.split_lines(console(width, styled=True).render(renderable))
    out = []
    for line in lines:
        chars = []
        for segment in line:
            style = segment.style or Style.null()
            seen = (style.bold, style.dim, style.italic, style.color)
            chars += [(c, None if c == " " else seen) for c in segment.text]
        out.append(chars)
    return out


def plain(renderable: RenderableType, width: int) -> str:
    out = console(width, styled=False)
    with out.capture() as captured:
        out.print(renderable)
    return captured.get()


@SAME
@given(table=tables(), width=st.integers(10, 300))
def test_the_table_is_drawn_as_rich_draws_it(table: Table, width: int) -> None:
    here = table.widths_drawn_here(console(width, styled=False).options) is not None
    event("drawn here" if here else "drawn by rich")
    assert plain(table, width) == plain(table.rich_table(), width)
    assert drawn(table, width) == drawn(table.rich_table(), width)


@pytest.mark.parametrize("title", ["", " ", "\n", "a\nb", "\t", "\u0301", "\xa0", "漢字", " x "])
def test_odd_titles_are_drawn_as_rich_draws_them(title: str) -> None:
    table = Table(title)
    table.add_column("")
    table.add_row("")
    for width in (4, 10, 80):
        assert plain(table, width) == plain(table.rich_table(), width)
        assert drawn(table, width) == drawn(table.rich_table(), width)


def test_a_report_table_that_fits_is_drawn_here_and_one_that_does_not_by_rich() -> None:
    table = Table("Avgifter 2020", show_footer=True)
    table.add_column("Kommun", footer="Summa")
    table.add_column("Avgift", justify="right", footer="2 012 800")
    table.add_row("Södertälje", "395 916")
    table.add_row(Text("Tyresö", style="dim"), "193 332", style="bold")
    assert table.widths_drawn_here(console(1000, styled=False).options) == [10, 9]
    assert table.widths_drawn_here(console(24, styled=False).options) is None
    assert plain(table, 24) == plain(table.rich_table(), 24)  # rich wraps it
    assert plain(table, 1000).splitlines() == [
        "      Avgifter 2020       ",
        "                          ",
        "  Kommun          Avgift  ",
        " ──────────────────────── ",
        "  Södertälje     395 916  ",
        "  Tyresö         193 332  ",
        "                          ",
        "  Summa        2 012 800  ",
        "                          ",
    ]
    assert plain(table, 1000) == plain(table.rich_table(), 1000)


def test_a_table_drawn_here_does_not_import_rich_table() -> None:
    code = (
        "import sys\n"
        "from rich.console import Console\n"
        "from sodertorn_ledger.render.table import Table\n"
        "t = Table('T'); t.add_column('a'); t.add_row('b')\n"
        "Console(width=80).print(t)\n"
        "assert 'rich.table' not in sys.modules, 'rich.table was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
