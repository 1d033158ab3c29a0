"""Empty books for the real SIE files of tests/fixtures/sie/: an account for each BAS
number the file names or uses, and settings whose [sie.accounts] give each its number."""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.sie import SieFile

TOPS = {
    "tillgångar": "A",
    "eget kapital": "E",
    "skulder": "L",
    "intäkter": "R",
    "kostnader": "X",
}


def bas_account(number: str) -> str:
    """The account of a BAS number: class 1 assets, 20-21 equity and untaxed reserves, the
    rest of class 2 liabilities, 3 income, 4-8 costs (class 8's income too: one account a
    number is what the test needs)."""
    if number.startswith("1"):
        top = "tillgångar"
    elif number.startswith(("20", "21")):
        top = "eget kapital"
    elif number.startswith("2"):
        top = "skulder"
    elif number.startswith("3"):
        top = "intäkter"
    else:
        top = "kostnader"
    return f"{top}:{number}"


def numbers_of(sie: SieFile) -> list[str]:
    """Every number the file names (#KONTO) or uses (#TRANS, #IB), in number order."""
    found = set(sie.accounts)
    found.update(row.account for voucher in sie.vouchers for row in voucher.rows)
    found.update(account for _, account in sie.opening)
    return sorted(found, key=lambda n: (len(n), n))


def write_bas_books(folder: Path, sie: SieFile) -> Path:
    """Books with no transactions in `folder` for `sie`'s numbers; the main journal."""
    folder.mkdir(parents=True, exist_ok=True)
    numbers = numbers_of(sie)
    lines = ["decimal-mark ,", "commodity 1 000,00 kr", ""]
    lines += [f"account {top}  ; type:{kind}" for top, kind in TOPS.items()]
    lines += ["account tillgångar:fordringar", "account intäkter:avgifter"]
    for number in numbers:
        name = sie.accounts.get(number, "").replace(";", ",")
        lines.append(f"account {bas_account(number)}  ; {name}".rstrip(" ;"))
    main = folder / "main.journal"
    main.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts = "\n".join(f'"{bas_account(n)}" = "{n}"' for n in numbers)
    (folder / "sodertorn.toml").write_text(
        f"""\
organisation = "Testbolaget"
currency = "kr"

[fees]
receivable_account = "tillgångar:fordringar"

[fees.rates]
"2019" = "4.00"

[[members]]
code = "0127"
name = "Botkyrka"
fee_account = "intäkter:avgifter"

[[funds]]
name = "Drift"
income = ["intäkter"]
costs = ["kostnader"]
result_account = "eget kapital:resultat {{year}}"

[sie]
kptyp = "BAS2024"

[sie.accounts]
{accounts}
""",
        encoding="utf-8",
    )
    return main
