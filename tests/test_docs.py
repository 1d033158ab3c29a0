"""The manual tells the truth: README.md is a short front door with every command and a
link to every page of docs/, every link leads somewhere, and every `$ ledger …` transcript
is the command's real output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manual import (
    DOCS,
    MANUAL,
    REPO,
    anchors,
    assert_shows,
    code_blocks,
    links,
    matches,
    page,
    pages,
    prose,
    transcripts,
)
from sodertorn_ledger.cli import app

runner = CliRunner()

ON_THE_BUNDLED_BOOKS = [
    "ledger check --strict",
    "ledger accounts",
    "ledger accounts --json",
    "ledger register representation --year 2020",
    "ledger register representation --year 2020 --json",
    "ledger summary 2020",
    "ledger summary 2020 --json",
    "ledger result 2020",
    "ledger result 2020 --detail",
    "ledger result 2020 --detail --json",
    "ledger result 2020 --budget",
    "ledger result 2020 --budget --to 2020-06-30",
    "ledger result 2020 --budget --json",
    "ledger projects 2020",
    "ledger projects 2020 --json",
    "ledger balance 2020",
    "ledger population 2019",
    "ledger fees 2020",
    "ledger fees 2020 --json",
    "ledger fees --unpaid --to 2020-12-31",
    "ledger fees --unpaid --to 2020-12-31 --json",
]
"""Transcripts of commands run in the repository on the bundled books, as shown."""

IN_A_SCENARIO = {
    "ledger check -f bad.journal": "test_a_problem_in_the_books",
    "ledger check --strict -f mars.journal": "test_postings_typed_by_hand",
    "ledger fees 2020": "test_a_missing_figure, test_bad_settings, test_a_kommunkod_twice, "
    "test_a_misspelt_account",
    "ledger fees 2021 --book --date 2021-01-29 --dry-run": "test_booking_the_fees(_before…)",
    "ledger fees 2021 --book --date 2021-01-29": "test_booking_the_fees(_before…)",
    "ledger fees 2021 --book": "test_booking_the_fees",
    "ledger export 2020": "test_the_export",
    "ledger close 2020 --dry-run": "test_cli_close.py",
    "ledger close 2020": "test_cli_close.py",
    "ledger close 2020 --json": "test_cli_close.py",
    "ledger close 2019": "test_cli_close.py",
    "ledger close 2021": "test_cli_close.py",
    "ledger summary 2021": "test_cli_close.py",
    "ledger summary 2021 --no-compare": "test_a_year_with_transfers",
    "ledger result 2021": "test_the_year_before",
    "ledger result 2021 --json": "test_the_year_before",
    "ledger check": "test_cli_close.py (the lock)",
    "ledger fees 2020 --book": "test_cli_close.py (the lock)",
    "ledger summary 2021 --strict": "test_provisional_opening_balances",
    "ledger projects 2021": "test_costs_without_their_project_tag",
    "ledger balance 2021": "test_an_account_of_no_class",
    "ledger sie 2020": "test_the_sie_file_for_the_auditors",
    "ledger sie 2020 --json": "test_the_sie_file_for_the_auditors",
    "ledger sie 2021": "test_a_new_fund_needs_its_number",
    "ledger import lon-2021-01.se": "test_importing_the_hosts_salaries",
    "ledger import lon-2021-01.se --dry-run": "test_importing_the_hosts_salaries",
    "ledger import lon-2021-01.se --json": "test_importing_the_hosts_salaries",
    "ledger population": "test_each_shape_of_scbs_files",
    "ledger population 2020": "test_each_shape_of_scbs_files",
}
"""Transcripts that need books in another state first, and the test that makes it."""


COMMANDS = sorted(c.name or "" for c in app.registered_commands)
README_MAX_LINES = 200


def section(text: str, heading: str) -> list[str]:
    """The lines under a `## heading`, up to the next heading of that level."""
    lines = prose(text)
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


# --- the front door --------------------------------------------------------------------------


def test_the_readme_is_short() -> None:
    lines = page("README.md").split("\n")
    assert len(lines) - (lines[-1] == "") <= README_MAX_LINES


def test_every_command_is_in_the_readmes_table_once() -> None:
    rows = [line for line in section(page("README.md"), "Commands") if line.startswith("| ")]
    named = [m.group(1) for row in rows if (m := re.match(r"\| \[?`ledger (\w+)", row))]
    assert sorted(named) == COMMANDS


def test_the_readme_links_every_page_of_docs() -> None:
    listed = {
        target for line in section(page("README.md"), "Documentation") for target in links(line)
    }
    for path in sorted(DOCS.glob("*.md")):
        assert f"docs/{path.name}" in listed, f"add docs/{path.name} to README's Documentation"


def _sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "src").rglob("*.py")))


def test_the_pages_the_tools_messages_name_are_in_the_readme() -> None:
    # Messages that say "see the README, 'A page'": the Documentation list has the page.
    named = set(re.findall(r"see the README, [\"']([^\"']+)[\"']", _sources()))
    listed = "\n".join(section(page("README.md"), "Documentation"))
    for name in named:
        assert f"- [{name}](docs/" in listed, name


def docs_named(source: str) -> set[str]:
    """The pages of docs/ that messages point to: ``see docs/journal-format.md``, with an
    optional ``#heading``."""
    return set(re.findall(r"see (docs/[\w.-]+\.md(?:#[\w-]+)?)", source))


def test_the_pages_the_tools_messages_name_exist() -> None:
    named = docs_named(_sources())
    assert "docs/journal-format.md" in named  # the journal reader's hint, at least
    for target in sorted(named):
        path, _, anchor = target.partition("#")
        file = REPO / path
        assert file.is_file(), f"a message names {target}: no such file"
        if anchor:
            assert anchor in anchors(file.read_text(encoding="utf-8")), target


def test_a_message_naming_a_missing_page_is_caught() -> None:
    assert docs_named("(see docs/nowhere.md) and see docs/journal-format.md#x") == {
        "docs/nowhere.md",
        "docs/journal-format.md#x",
    }
    assert not (REPO / "docs/nowhere.md").is_file()


@pytest.mark.parametrize("name", list(pages()))
def test_every_link_leads_somewhere(name: str) -> None:
    here = REPO if name == "README.md" else DOCS
    text = page(name)
    for target in links(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (here / path).resolve() if path else here / name
        assert file.is_file(), f"{name}: {target}: no such file"
        if anchor:
            assert file.suffix == ".md", f"{name}: {target}: an anchor in a file that is not a page"
            assert anchor in anchors(file.read_text(encoding="utf-8")), (
                f"{name}: {target}: no such heading"
            )


def test_anchors_are_made_as_github_makes_them() -> None:
    text = "# Settings: `sodertorn.toml`\n## The books' account scheme\n"
    text += "### `ledger fees YEAR --book`\n## Targets (issue 7)\n"
    text += "```\n# not a heading\n```\n## Targets (issue 7)\n"
    assert anchors(text) == {
        "settings-sodertorntoml",
        "the-books-account-scheme",
        "ledger-fees-year---book",
        "targets-issue-7",
        "targets-issue-7-1",
    }


# --- the transcripts -------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def books_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled books in ./ledger of a fresh current folder."""
    shutil.copytree(REPO / "ledger", tmp_path / "ledger", ignore=shutil.ignore_patterns(".*"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    return tmp_path / "ledger"


def test_every_transcript_is_checked() -> None:
    shown = {t.command for t in transcripts(MANUAL)}
    unchecked = shown - set(ON_THE_BUNDLED_BOOKS) - set(IN_A_SCENARIO)
    assert not unchecked, "add each to ON_THE_BUNDLED_BOOKS or to a scenario test"


@pytest.mark.parametrize("command", ON_THE_BUNDLED_BOOKS)
def test_transcripts_on_the_bundled_books(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    code, out, err = run(*command.split()[1:])
    assert code == 0, err
    assert_shows(MANUAL, command, out)


def test_a_transcript_that_differs_from_the_output_fails() -> None:
    shown = ["Konto   Saldo", "…", "Summa   0"]
    assert matches(shown, "Konto   Saldo\nSumma   0\n")
    assert matches(shown, "Konto   Saldo\na  1\nb  -1\nSumma   0\n")
    assert not matches(shown, "Konto   Saldo\na  1\nSumma   1\n")
    assert not matches(shown, "Konto   Saldo\nSumma   0\nextra\n")
    with pytest.raises(AssertionError, match="no `\\$ ledger nothing` transcript"):
        assert_shows(MANUAL, "ledger nothing", "")
    with pytest.raises(AssertionError, match="the command prints"):
        assert_shows(MANUAL, "ledger check --strict", "ledger/main.journal: OK\n")


def test_a_problem_in_the_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [
        "decimal-mark ,",
        "",
        "account kostnader:drift:resor",
        "account tillgångar:bank",
        "",
        "; a train ticket, its amount pasted from a spreadsheet",
        "2020-02-06 * SL | Resa till möte i Haninge",
        "    kostnader:drift:resor  1\u00a0330,00 kr",
        "    tillgångar:bank",
    ]
    Path("bad.journal").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("check", "-f", "bad.journal")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger check -f bad.journal", err)


def test_postings_typed_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [
        "decimal-mark ,",
        "",
        "account kostnader:drift:tele och it",
        "account kostnader:drift:representation",
        "account kostnader:drift:resor",
        "account tillgångar:bank",
        "",
        "2020-03-02 Telia | Mobilabonnemang",
        "    kostnader:drift:tele och it  469.00 kr",
        "    tillgångar:bank",
        "",
        "2020-03-05 Restaurang Tornet | Lunch med styrelsen",
        "    kostnader:drift:representaion  1 240,00 kr",
        "    tillgångar:bank",
        "",
        "2020-03-09 SL | Resa till Haninge",
        "    kostnader:drift:resor 39,00 kr",
        "    tillgångar:bank  -39,00 kr",
    ]
    Path("mars.journal").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("check", "--strict", "-f", "mars.journal")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger check --strict -f mars.journal", err)


def test_a_missing_figure(books_here: Path) -> None:
    scb = books_here / "befolkning" / "BE0101N1_20210222-093741.csv"
    rows = scb.read_bytes().split(b"\n")
    scb.write_bytes(b"\n".join(row for row in rows if b"Nykvarn" not in row))
    code, out, err = run("fees", "2020")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger fees 2020", err)


def test_booking_the_fees(books_here: Path) -> None:
    # As in the yearly workflow: `ledger close 2020` has opened ledger/2021.journal.
    assert run("close", "2020")[0] == 0
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "--dry-run")
    assert code == 0, err
    assert_shows(MANUAL, "ledger fees 2021 --book --date 2021-01-29 --dry-run", out + err)
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29")
    assert code == 0, err
    assert_shows(MANUAL, "ledger fees 2021 --book --date 2021-01-29", out + err)
    code, out, err = run("fees", "2021", "--book")
    assert code == 0, err
    assert_shows(MANUAL, "ledger fees 2021 --book", err + out)


def test_booking_the_fees_before_the_years_file(books_here: Path) -> None:
    # January, before the close of 2020: no ledger/2021.journal yet.
    assert not (books_here / "2021.journal").exists()
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29", "--dry-run")
    assert code == 0, err
    assert out.startswith("--- /dev/null\n")
    assert_shows(MANUAL, "ledger fees 2021 --book --date 2021-01-29 --dry-run", out + err)
    code, out, err = run("fees", "2021", "--book", "--date", "2021-01-29")
    assert code == 0, err
    assert out.startswith("created ")
    assert_shows(MANUAL, "ledger fees 2021 --book --date 2021-01-29", out + err)


def test_the_export(books_here: Path) -> None:
    code, out, err = run("export", "2020")
    assert code == 0, err
    assert_shows(MANUAL, "ledger export 2020", out + err)
    assert Path("sammanstallning-2020.xlsx").is_file()


def append_2021(books: Path, text: str) -> None:
    """After `ledger close 2020`, as in the yearly workflow: transactions of 2021."""
    assert run("close", "2020")[0] == 0
    with (books / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def test_a_year_with_transfers(books_here: Path) -> None:
    append_2021(
        books_here,
        "2021-03-10 * Samarbetskommittén | Medel till konferensen 2021\n"
        "    fonder:drift från 2018                             100 000,00 kr\n"
        "    fonder:södertörnskonferensen                      -100 000,00 kr\n"
        "\n"
        "2021-05-20 * Konferensgården | Lokal och mat\n"
        "    kostnader:södertörnskonferensen                     42 300,00 kr\n"
        "    tillgångar:bank\n",
    )
    code, out, err = run("summary", "2021", "--no-compare")
    assert (code, err) == (0, "")
    assert_shows(page("commands.md"), "ledger summary 2021 --no-compare", out)


def test_provisional_opening_balances(books_here: Path) -> None:
    # 2021 booked before 2020 is closed.
    main = books_here / "main.journal"
    main.write_text(main.read_text(encoding="utf-8") + "include 2021.journal\n", "utf-8")
    (books_here / "2021.journal").write_text(
        "2021-01-29 * Nykvarns kommun | Inbetalning avgift 2020  ; kommun:0140\n"
        "    tillgångar:bank                                       44 056,00 kr\n"
        "    tillgångar:kundfordringar                            -44 056,00 kr\n",
        "utf-8",
    )
    code, out, err = run("summary", "2021", "--strict")
    assert code == 1
    warning, strict = err.splitlines()
    assert_shows(page("commands.md"), "ledger summary 2021 --strict", f"{warning}\n{out}{strict}\n")


def test_costs_without_their_project_tag(books_here: Path) -> None:
    append_2021(books_here, PROJECT_COSTS_2021)
    code, out, err = run("projects", "2021")
    assert code == 0
    assert_shows(page("commands.md"), "ledger projects 2021", err + out)


def test_the_year_before(books_here: Path) -> None:
    append_2021(books_here, PROJECT_COSTS_2021)
    for command in ("ledger result 2021", "ledger result 2021 --json"):
        code, out, err = run(*command.split()[1:])
        assert (code, err) == (0, "")
        assert_shows(page("commands.md"), command, out)


def test_an_account_of_no_class(books_here: Path) -> None:
    append_2021(books_here, PROJECT_COSTS_2021)
    code, out, err = run("balance", "2021")
    assert code == 1
    assert_shows(page("commands.md"), "ledger balance 2021", err + out)


PROJECT_COSTS_2021 = """\
2021-04-15 * Great | Näringslivsanalys 2021, del 1  ; projekt:Näringslivsanalyser Great
    kostnader:drift:projekt                              20 000,00 kr
    skulder:leverantörsskulder

2021-05-03 * Details | Kartor över kollektivtrafiken  ; Projekt:Produktion kartor
    kostnader:drift:projekt                               5 000,00 kr
    skulder:leverantörsskulder

2021-06-10 * Sweco | Workshop om regionplanen
    kostnader:drift:projekt                              12 000,00 kr
    skulder:leverantörsskulder

2021-06-30 * Swedbank | Årsavgift företagspaket
    kostnader:drift:övriga avgifter                       1 200,00 kr
    tilgångar:bank
"""
"""2021 as the projects and the balance sheet transcripts show it: a cost without its
project tag, one with the tag in another case, a bank fee on a misspelt account."""


def test_bad_settings(books_here: Path) -> None:
    settings = books_here / "sodertorn.toml"
    text = settings.read_text(encoding="utf-8")
    bad = text.replace('"2019" = "4.00"', '"2019" = 4.0').replace('code = "0140"', 'code = "140"')
    assert bad.count("4.0\n") == 1 and 'code = "140"' in bad
    settings.write_text(bad, encoding="utf-8")
    code, out, err = run("fees", "2020")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger fees 2020", err)


def test_a_kommunkod_twice(books_here: Path) -> None:
    settings = books_here / "sodertorn.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('code = "0136"', 'code = "0127"'),
        encoding="utf-8",
    )
    code, out, err = run("fees", "2020")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger fees 2020", err)


def test_a_misspelt_account(books_here: Path) -> None:
    settings = books_here / "sodertorn.toml"
    text = settings.read_text(encoding="utf-8")
    misspelt = text.replace(
        'fee_account = "intäkter:drift:avgifter:haninge"',
        'fee_account = "intäkter:drift:avgifter:haning"',
    )
    settings.write_text(misspelt, encoding="utf-8")
    code, out, err = run("fees", "2020")
    assert code == 1 and out == ""
    assert_shows(MANUAL, "ledger fees 2020", err)


SCB_SHAPES = [
    ("folkmangd-per-kommun-2020.xlsx", "ledger population"),
    ("TAB638-pxwebapi2.json", "ledger population 2020"),
    ("population-en-2026.csv", "ledger population 2019"),
]
"""scb-files.md's transcripts in their order: each a fixture alone in befolkning/."""


def test_each_shape_of_scbs_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = transcripts(page("scb-files.md"))
    assert [t.command for t in shown] == [command for _, command in SCB_SHAPES]
    monkeypatch.delenv("LEDGER_FILE", raising=False)
    for (name, command), transcript in zip(SCB_SHAPES, shown, strict=True):
        here = tmp_path / name
        shutil.copytree(REPO / "ledger", here / "ledger", ignore=shutil.ignore_patterns(".*"))
        for path in (here / "ledger" / "befolkning").iterdir():
            path.unlink()
        shutil.copy(
            REPO / "tests" / "fixtures" / "befolkning" / name, here / "ledger" / "befolkning"
        )
        monkeypatch.chdir(here)
        code, out, err = run(*command.split()[1:])
        assert code == 0, err
        # This transcript, not another of the same command elsewhere in the manual.
        assert matches(transcript.lines, out), f"{name}: `$ {command}` prints\n{out}"


def test_the_settings_examples_are_the_bundled_settings() -> None:
    examples = code_blocks(page("settings.md"), "toml")
    assert len(examples) >= 3
    bundled = (REPO / "ledger" / "sodertorn.toml").read_text(encoding="utf-8")
    for lines in examples:
        assert "\n".join(lines) + "\n" in bundled, lines


# --- SIE files ---------------------------------------------------------------------------------

GENERATED_2021_02_01 = "1612137600"
"""$SOURCE_DATE_EPOCH of the #GEN the manual shows (1 February 2021)."""


def test_the_sie_file_for_the_auditors(books_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GENERATED_2021_02_01)
    code, out, err = run("sie", "2020")
    assert (code, err) == (0, "")
    assert_shows(page("sie.md"), "ledger sie 2020", out)
    (excerpt,) = code_blocks(page("sie.md"), "text")
    written = Path("sie-2020.se").read_bytes().decode("cp437")
    assert matches(excerpt, written.replace("\r\n", "\n"))
    code, out, err = run("sie", "2020", "--json", "--force")
    assert (code, err) == (0, "")
    assert_shows(page("sie.md"), "ledger sie 2020 --json", out)


def test_a_new_fund_needs_its_number(books_here: Path) -> None:
    assert run("close", "2020")[0] == 0
    code, out, err = run("sie", "2021")
    assert (code, out) == (1, "")
    assert_shows(page("sie.md"), "ledger sie 2021", err)
    assert not Path("sie-2021.se").exists()


def test_importing_the_hosts_salaries(books_here: Path) -> None:
    (lines,) = code_blocks(page("sie.md"), "sie")
    Path("lon-2021-01.se").write_bytes("".join(f"{line}\r\n" for line in lines).encode("cp437"))
    before = {p.name: p.read_bytes() for p in books_here.glob("*.journal")}
    code, out, err = run("import", "lon-2021-01.se")
    assert (code, out) == (1, "")
    assert_shows(page("sie.md"), "ledger import lon-2021-01.se", err)
    assert {p.name: p.read_bytes() for p in books_here.glob("*.journal")} == before
    (numbers,) = [b for b in code_blocks(page("sie.md"), "toml") if b[0] == "[sie.numbers]"]
    with (books_here / "sodertorn.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n" + "\n".join(numbers) + "\n")
    code, out, err = run("import", "lon-2021-01.se", "--dry-run")
    assert code == 0, err
    assert_shows(page("sie.md"), "ledger import lon-2021-01.se --dry-run", out + err)
    assert not (books_here / "2021.journal").exists()
    for _ in range(2):
        code, out, err = run("import", "lon-2021-01.se")
        assert (code, err) == (0, "")
        assert_shows(page("sie.md"), "ledger import lon-2021-01.se", out)
    code, out, err = run("import", "lon-2021-01.se", "--json")
    assert (code, err) == (0, "")
    assert_shows(page("sie.md"), "ledger import lon-2021-01.se --json", out)
