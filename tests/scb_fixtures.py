"""SCB's files as people download them, written the way SCB writes them (issue 16).

`python tests/scb_fixtures.py` writes them to tests/fixtures/befolkning/; the test suite
checks that the committed files are what this module writes (tests/test_scb_files.py).
Every figure of the eight members is SCB's (DOMAIN.md: folkmängd 31 December 2019 and
2020); every other municipality's figure, and every split of a total (by sex, by civil
status), is invented here, deterministically, and adds up to the total.

- ``folkmangd-per-kommun-2020.xlsx``: SCB's table "Folkmängd per kommun 31 december 2020
  jämfört med 2019" — sheets "Topp 50", "Totalt", "Kvinnor", "Män"; two empty rows, a title,
  a subtitle, an empty row, a two-row header (Rang 2020 2019 | Kommun | Folkmängd 31 december
  2020 2019 | Förändring %), then one row per municipality by name, then footnotes.
- ``folkmangd-per-kommun-2020-konsbladen-forst.xlsx``: the same sheets, those of one sex
  first (a workbook an administrator re-saved).
- ``TAB638-pxwebapi2.json``, ``TAB638-pxwebapi2-en.json``: PxWebApi 2's JSON-stat 2.0 for
  table TAB638, in Swedish and English.
- ``population-en-2026.csv``, ``population-en-2024.csv``: Statistikdatabasen's English CSV,
  semicolon-separated with a title (2026) and comma-separated without one (2024).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "befolkning"

# The 290 municipalities, by län, with SCB's kommunkod.
KOMMUNER: tuple[tuple[str, str], ...] = tuple(
    (code, name)
    for block in (
        "0114 Upplands Väsby|0115 Vallentuna|0117 Österåker|0120 Värmdö|0123 Järfälla|"
        "0125 Ekerö|0126 Huddinge|0127 Botkyrka|0128 Salem|0136 Haninge|0138 Tyresö|"
        "0139 Upplands-Bro|0140 Nykvarn|0160 Täby|0162 Danderyd|0163 Sollentuna|"
        "0180 Stockholm|0181 Södertälje|0182 Nacka|0183 Sundbyberg|0184 Solna|0186 Lidingö|"
        "0187 Vaxholm|0188 Norrtälje|0191 Sigtuna|0192 Nynäshamn",
        "0305 Håbo|0319 Älvkarleby|0330 Knivsta|0331 Heby|0360 Tierp|0380 Uppsala|"
        "0381 Enköping|0382 Östhammar",
        "0428 Vingåker|0461 Gnesta|0480 Nyköping|0481 Oxelösund|0482 Flen|0483 Katrineholm|"
        "0484 Eskilstuna|0486 Strängnäs|0488 Trosa",
        "0509 Ödeshög|0512 Ydre|0513 Kinda|0560 Boxholm|0561 Åtvidaberg|0562 Finspång|"
        "0563 Valdemarsvik|0580 Linköping|0581 Norrköping|0582 Söderköping|0583 Motala|"
        "0584 Vadstena|0586 Mjölby",
        "0604 Aneby|0617 Gnosjö|0642 Mullsjö|0643 Habo|0662 Gislaved|0665 Vaggeryd|"
        "0680 Jönköping|0682 Nässjö|0683 Värnamo|0684 Sävsjö|0685 Vetlanda|0686 Eksjö|"
        "0687 Tranås",
        "0760 Uppvidinge|0761 Lessebo|0763 Tingsryd|0764 Alvesta|0765 Älmhult|"
        "0767 Markaryd|0780 Växjö|0781 Ljungby",
        "0821 Högsby|0834 Torsås|0840 Mörbylånga|0860 Hultsfred|0861 Mönsterås|"
        "0862 Emmaboda|0880 Kalmar|0881 Nybro|0882 Oskarshamn|0883 Västervik|0884 Vimmerby|"
        "0885 Borgholm",
        "0980 Gotland",
        "1060 Olofström|1080 Karlskrona|1081 Ronneby|1082 Karlshamn|1083 Sölvesborg",
        "1214 Svalöv|1230 Staffanstorp|1231 Burlöv|1233 Vellinge|1256 Östra Göinge|"
        "1257 Örkelljunga|1260 Bjuv|1261 Kävlinge|1262 Lomma|1263 Svedala|1264 Skurup|"
        "1265 Sjöbo|1266 Hörby|1267 Höör|1270 Tomelilla|1272 Bromölla|1273 Osby|"
        "1275 Perstorp|1276 Klippan|1277 Åstorp|1278 Båstad|1280 Malmö|1281 Lund|"
        "1282 Landskrona|1283 Helsingborg|1284 Höganäs|1285 Eslöv|1286 Ystad|"
        "1287 Trelleborg|1290 Kristianstad|1291 Simrishamn|1292 Ängelholm|1293 Hässleholm",
        "1315 Hylte|1380 Halmstad|1381 Laholm|1382 Falkenberg|1383 Varberg|1384 Kungsbacka",
        "1401 Härryda|1402 Partille|1407 Öckerö|1415 Stenungsund|1419 Tjörn|1421 Orust|"
        "1427 Sotenäs|1430 Munkedal|1435 Tanum|1438 Dals-Ed|1439 Färgelanda|1440 Ale|"
        "1441 Lerum|1442 Vårgårda|1443 Bollebygd|1444 Grästorp|1445 Essunga|1446 Karlsborg|"
        "1447 Gullspång|1452 Tranemo|1460 Bengtsfors|1461 Mellerud|1462 Lilla Edet|"
        "1463 Mark|1465 Svenljunga|1466 Herrljunga|1470 Vara|1471 Götene|1472 Tibro|"
        "1473 Töreboda|1480 Göteborg|1481 Mölndal|1482 Kungälv|1484 Lysekil|1485 Uddevalla|"
        "1486 Strömstad|1487 Vänersborg|1488 Trollhättan|1489 Alingsås|1490 Borås|"
        "1491 Ulricehamn|1492 Åmål|1493 Mariestad|1494 Lidköping|1495 Skara|1496 Skövde|"
        "1497 Hjo|1498 Tidaholm|1499 Falköping",
        "1715 Kil|1730 Eda|1737 Torsby|1760 Storfors|1761 Hammarö|1762 Munkfors|"
        "1763 Forshaga|1764 Grums|1765 Årjäng|1766 Sunne|1780 Karlstad|1781 Kristinehamn|"
        "1782 Filipstad|1783 Hagfors|1784 Arvika|1785 Säffle",
        "1814 Lekeberg|1860 Laxå|1861 Hallsberg|1862 Degerfors|1863 Hällefors|"
        "1864 Ljusnarsberg|1880 Örebro|1881 Kumla|1882 Askersund|1883 Karlskoga|1884 Nora|"
        "1885 Lindesberg",
        "1904 Skinnskatteberg|1907 Surahammar|1960 Kungsör|1961 Hallstahammar|1962 Norberg|"
        "1980 Västerås|1981 Sala|1982 Fagersta|1983 Köping|1984 Arboga",
        "2021 Vansbro|2023 Malung-Sälen|2026 Gagnef|2029 Leksand|2031 Rättvik|2034 Orsa|"
        "2039 Älvdalen|2061 Smedjebacken|2062 Mora|2080 Falun|2081 Borlänge|2082 Säter|"
        "2083 Hedemora|2084 Avesta|2085 Ludvika",
        "2101 Ockelbo|2104 Hofors|2121 Ovanåker|2132 Nordanstig|2161 Ljusdal|2180 Gävle|"
        "2181 Sandviken|2182 Söderhamn|2183 Bollnäs|2184 Hudiksvall",
        "2260 Ånge|2262 Timrå|2280 Härnösand|2281 Sundsvall|2282 Kramfors|2283 Sollefteå|"
        "2284 Örnsköldsvik",
        "2303 Ragunda|2305 Bräcke|2309 Krokom|2313 Strömsund|2321 Åre|2326 Berg|"
        "2361 Härjedalen|2380 Östersund",
        "2401 Nordmaling|2403 Bjurholm|2404 Vindeln|2409 Robertsfors|2417 Norsjö|2418 Malå|"
        "2421 Storuman|2422 Sorsele|2425 Dorotea|2460 Vännäs|2462 Vilhelmina|2463 Åsele|"
        "2480 Umeå|2481 Lycksele|2482 Skellefteå",
        "2505 Arvidsjaur|2506 Arjeplog|2510 Jokkmokk|2513 Överkalix|2514 Kalix|"
        "2518 Övertorneå|2521 Pajala|2523 Gällivare|2560 Älvsbyn|2580 Luleå|2581 Piteå|"
        "2582 Boden|2583 Haparanda|2584 Kiruna",
    )
    for code, name in (entry.split(" ", 1) for entry in block.split("|"))
)

MEMBERS = {
    "0127": (94606, 94847),
    "0136": (92095, 93690),
    "0126": (112848, 113234),
    "0140": (11014, 11222),
    "0192": (28575, 28811),
    "0128": (16750, 16959),
    "0181": (98979, 100111),
    "0138": (48333, 48678),
}
"""SCB's folkmängd 31 December 2019 and 2020 of the eight members (DOMAIN.md)."""

OTHERS = {
    "0180": (975551, 975904),  # Stockholm, as SCB published it
    "01": (2377081, 2391990),  # Stockholms län
    "00": (10327589, 10379295),  # Riket
}
"""SCB's figures of the regions that are no member the coded files carry."""

# The largest municipalities, so that the ranks look like SCB's: invented, near the real.
_LARGE = {
    "1480": 580000,
    "1280": 345000,
    "0380": 232000,
    "0580": 163000,
    "1880": 156000,
    "1980": 155000,
    "1283": 148000,
    "0581": 143000,
    "0680": 141000,
    "2480": 129000,
    "1281": 125000,
    "1490": 113500,
    "0484": 106000,
    "0182": 105000,
    "2180": 102000,
    "1380": 103000,
    "2281": 99500,
    "0780": 94000,
    "1780": 94500,
    "0123": 79000,
    "1290": 85000,
    "2580": 78500,
    "0184": 82000,
    "0160": 73000,
}


def _invented(code: str, name: str) -> tuple[int, int]:
    """Folkmängd 2019 and 2020 of a municipality that is no member: made up, the same
    every run (a checksum of its name, not a random number)."""
    if code in MEMBERS:
        return MEMBERS[code]
    if code in OTHERS:
        return OTHERS[code]
    h = zlib.crc32(name.encode())
    base = _LARGE.get(code) or 2500 + (h % 997) * (h % 61) + h % 389
    change = base * ((h >> 8) % 41 - 10) // 1000  # -1 % to +3 %
    return base, base + change


FIGURES: dict[str, tuple[int, int]] = {code: _invented(code, name) for code, name in KOMMUNER}
NAMES = dict(KOMMUNER)


def women_of(code: str, total: int, year: int) -> int:
    """An invented number of women of a total: about half."""
    return total // 2 + (zlib.crc32(f"{code}{year}".encode()) % 401) - 200


def sexes(code: str) -> dict[str, tuple[int, int]]:
    """Folkmängd 2019 and 2020 by sex: {"Totalt", "Kvinnor", "Män"} -> (2019, 2020)."""
    total = FIGURES[code]
    women = tuple(women_of(code, total[i], 2019 + i) for i in (0, 1))
    men = tuple(total[i] - women[i] for i in (0, 1))
    return {"Totalt": total, "Kvinnor": (women[0], women[1]), "Män": (men[0], men[1])}


def _ranks(values: dict[str, int]) -> dict[str, int]:
    order = sorted(values, key=lambda code: (-values[code], NAMES[code]))
    return {code: n for n, code in enumerate(order, start=1)}


# --- the workbook ------------------------------------------------------------------------------

TITLE = "Folkmängd per kommun 31 december 2020 jämfört med 2019"
_SHEET_TITLES = {
    "Totalt": TITLE,
    "Kvinnor": "Antal kvinnor per kommun 31 december 2020 jämfört med 2019",
    "Män": "Antal män per kommun 31 december 2020 jämfört med 2019",
}
_SUBTITLE = "Sorterat i alfabetisk ordning. Rangordning från största till minsta kommun."
_FOOTNOTES = (
    "Kommunernas rangordning avser folkmängden den 31 december respektive år.",
    "Källa: SCB, Befolkningsstatistik.",
)


def _sheet_rows(kind: str, top: int | None) -> list[list[Any]]:
    """A sheet of the workbook: `kind` Totalt, Kvinnor or Män; `top` the largest only."""
    figures = {code: sexes(code)[kind] for code in NAMES}
    rank_2020 = _ranks({code: f[1] for code, f in figures.items()})
    rank_2019 = _ranks({code: f[0] for code, f in figures.items()})
    if top is None:
        codes = sorted(NAMES, key=lambda code: _swedish(NAMES[code]))
        subtitle = _SUBTITLE
    else:
        codes = sorted(NAMES, key=lambda code: rank_2020[code])[:top]
        subtitle = f"De {top} största kommunerna. Rangordning från största till minsta kommun."
    group = "Folkmängd 31 december" if kind == "Totalt" else f"{kind} 31 december"
    rows: list[list[Any]] = [
        [],
        [],
        [_SHEET_TITLES[kind]],
        [subtitle],
        [],
        ["Rang", None, "Kommun", group, None, "Förändring"],
        [2020, 2019, None, 2020, 2019, "Antal" if top else "%"],
    ]
    for code in codes:
        before, now = figures[code]
        change: int | float = now - before if top else round((now - before) / before * 100, 1)
        rows.append([rank_2020[code], rank_2019[code], NAMES[code], now, before, change])
    rows.append([])
    rows.extend([note] for note in _FOOTNOTES)
    return rows


def _swedish(name: str) -> tuple[int, ...]:
    """Swedish alphabetical order: å, ä, ö after z."""
    alphabet = "abcdefghijklmnopqrstuvwxyzåäö"
    return tuple(alphabet.find(c) if c in alphabet else ord(c) for c in name.casefold())


SHEETS = {"Topp 50": ("Totalt", 50), "Totalt": ("Totalt", None), "Kvinnor": ("Kvinnor", None)}
SHEETS["Män"] = ("Män", None)


def workbook(order: tuple[str, ...] = ("Topp 50", "Totalt", "Kvinnor", "Män")) -> bytes:
    """SCB's "Folkmängd per kommun" workbook with its sheets in `order`."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in order:
        ws = wb.create_sheet(title)
        for row in _sheet_rows(*SHEETS[title]):
            ws.append(row)
        ws.merge_cells("A6:B6")  # Rang over both years
        ws.merge_cells("D6:E6")  # Folkmängd 31 december over both years
    return _fixed(wb)


def _fixed(wb: Any) -> bytes:
    """The workbook's bytes without the time of the run (openpyxl writes it twice: in the
    document's properties and in the zip's directory)."""
    when = dt.datetime(2021, 3, 22, 8, 0, 0)
    wb.properties.created = wb.properties.modified = when
    out = io.BytesIO()
    wb.save(out)
    fixed = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "docProps/core.xml":
                part = _core_xml_fixed(part)
            stamp = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            target.writestr(stamp, part, compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def _core_xml_fixed(part: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-03-22T08:00:00Z", part)


def sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values, to compare a workbook with another."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


# --- PxWebApi 2: JSON-stat 2.0 ----------------------------------------------------------------

_REGIONS_SV = [("00", "Riket"), ("01", "Stockholms län"), ("0180", "Stockholm")]
_REGIONS_SV += sorted(((code, NAMES[code]) for code in MEMBERS), key=lambda r: r[0])


def pxwebapi2(lang: str) -> bytes:
    """TAB638 from PxWebApi 2 (``/tables/TAB638/data?lang=sv&outputFormat=json-stat2``) for
    the members, Stockholm, the län and Riket, 2019 and 2020: by sex with the total (sv), or
    by sex without it and by age with its total (en)."""
    en = lang == "en"
    regions = [(code, f"{code} {_english(name) if en else name}") for code, name in _REGIONS_SV]
    if en:
        sexes_ = {"1": "men", "2": "women"}
        ages = {"tot": "total age"}
    else:
        sexes_ = {"1": "män", "2": "kvinnor", "1+2": "totalt"}
        ages = {}
    years = ["2019", "2020"]
    ids = ["Region", *(["Alder"] if ages else []), "Kon", "ContentsCode", "Tid"]
    dims: dict[str, Any] = {
        "Region": _dimension("region", dict(regions), elimination=False, show="code_value"),
        "Kon": _dimension("sex" if en else "kön", sexes_, elimination=True, show="value"),
        "ContentsCode": _dimension(
            "observations" if en else "tabellinnehåll",
            {"BE0101N1": "Population" if en else "Folkmängd"},
            elimination=False,
            show="value",
        ),
        "Tid": _dimension("year" if en else "år", {y: y for y in years}, elimination=False),
    }
    if ages:
        dims["Alder"] = _dimension("age", ages, elimination=True, show="value")
    dims["ContentsCode"]["category"]["unit"] = {
        "BE0101N1": {"base": "number of persons" if en else "antal", "decimals": 0}
    }
    values: list[int | None] = []
    for code, _ in regions:
        for sex in sexes_:
            for year in (0, 1):
                total = FIGURES.get(code) or OTHERS[code]
                if sex == "1+2":
                    values.append(total[year])
                    continue
                women = women_of(code, total[year], 2019 + year)
                values.append(women if sex == "2" else total[year] - women)
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "href": f"https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data?lang={lang}"
        "&outputFormat=json-stat2",
        "label": (
            "Population by region, age, sex, observations and year"
            if en
            else "Folkmängden efter region, kön, tabellinnehåll och år"
        ),
        "source": "Statistics Sweden" if en else "SCB",
        "updated": "2025-02-21T07:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": ids,
        "size": [len(dims[i]["category"]["index"]) for i in ids],
        "dimension": {i: dims[i] for i in ids},
        "extension": {
            "px": {"tableid": "TAB638", "decimals": 0, "language": lang, "matrix": "BE0101N1"}
        },
        "value": values,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def _dimension(
    label: str, categories: dict[str, str], *, elimination: bool, show: str = "code"
) -> dict[str, Any]:
    return {
        "label": label,
        "category": {
            "index": {code: n for n, code in enumerate(categories)},
            "label": dict(categories),
        },
        "extension": {"elimination": elimination, "show": show},
    }


def _english(name: str) -> str:
    return {"Riket": "Sweden", "Stockholms län": "Stockholm county"}.get(name, name)


# --- English CSV from Statistikdatabasen --------------------------------------------------------

_MARITAL = ("single", "married", "divorced", "widowers/widows")
_SHARE = (50, 36, 10, 4)  # per cent of each sex, the last one taking what is left


def _by_marital_status(code: str, total: int, year: int) -> dict[tuple[str, str], int]:
    """An invented split of a total by sex and civil status that adds up to it."""
    women = women_of(code, total, year)
    out: dict[tuple[str, str], int] = {}
    for sex, n in (("men", total - women), ("women", women)):
        left = n
        for status, share in zip(_MARITAL, _SHARE, strict=True):
            part = left if status == _MARITAL[-1] else n * share // 100
            out[(status, sex)] = part
            left -= part
    return out


def _csv_regions(kind: str) -> list[tuple[str, str]]:
    """(code, label) of the rows: the other kinds of region first, as SCB lists them."""
    others = {
        "2026": [("00", "00 Sweden"), ("01", "01 Stockholm county")],
        "2024": [("", "SE110 Stockholms län"), ("00", "00 Sweden")],
    }[kind]
    members = [(code, f"{code} {NAMES[code]}") for code in sorted(MEMBERS)]
    return [*others, *members]


def english_csv(kind: str) -> bytes:
    """Statistikdatabasen's English CSV of TAB638: 2026, semicolons, a title, the years as
    headers and each sex with its total; 2024, commas, no title, "Population 2019"
    headers, men and women only."""
    lines = io.StringIO()
    sep = ";" if kind == "2026" else ","
    writer = csv.writer(lines, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    if kind == "2026":
        writer.writerow(["Population by region, marital status, age, sex and year"])
        lines.write("\r\n")
        writer.writerow(["region", "marital status", "age", "sex", "2019", "2020"])
        sex_rows: tuple[str, ...] = ("men", "women", "total")
    else:
        writer.writerow(
            ["region", "marital status", "age", "sex", "Population 2019", "Population 2020"]
        )
        sex_rows = ("men", "women")
    for code, label in _csv_regions(kind):
        totals = FIGURES.get(code) or OTHERS[code or "01"]  # SE110 is the län
        split = [_by_marital_status(code or "SE110", totals[i], 2019 + i) for i in (0, 1)]
        for status in _MARITAL:
            for sex in sex_rows:
                if sex == "total":
                    row = [split[i][(status, "men")] + split[i][(status, "women")] for i in (0, 1)]
                else:
                    row = [split[i][(status, sex)] for i in (0, 1)]
                writer.writerow([label, status, "total", sex, *row])
    text = lines.getvalue()
    return ("\ufeff" + text if kind == "2024" else text).encode("utf-8")


# --- all of them -------------------------------------------------------------------------------

WRITERS: dict[str, Callable[[], bytes]] = {
    "folkmangd-per-kommun-2020.xlsx": workbook,
    "folkmangd-per-kommun-2020-konsbladen-forst.xlsx": lambda: workbook(
        ("Kvinnor", "Män", "Totalt", "Topp 50")
    ),
    "TAB638-pxwebapi2.json": lambda: pxwebapi2("sv"),
    "TAB638-pxwebapi2-en.json": lambda: pxwebapi2("en"),
    "population-en-2026.csv": lambda: english_csv("2026"),
    "population-en-2024.csv": lambda: english_csv("2024"),
}
"""Each fixture of issue 16 by its name in tests/fixtures/befolkning/, and what writes it."""


def write_all(folder: Path = FIXTURES) -> None:
    for name, write in WRITERS.items():
        (folder / name).write_bytes(write())


if __name__ == "__main__":
    assert len(KOMMUNER) == 290 and len(set(NAMES.values())) == 290
    write_all()
