"""Two years of small books for the comparison with the year before (`--compare`): rows in
both years, rows in one year only; and one year alone."""

from __future__ import annotations

TWO_YEARS = """
2019-01-01 * Ingående balans 2019
    tillgångar:bank                  1 000,00 kr
    fonder:modellen                 -1 000,00 kr

2019-01-31 * Botkyrka kommun | Avgift 2019  ; avgift:2019, kommun:0127
    tillgångar:bank                    400,00 kr
    intäkter:drift:avgifter:botkyrka

2019-03-01 * Konsult AB | Analys  ; projekt:Analys
    kostnader:drift:projekt            150,00 kr
    tillgångar:bank

2019-06-01 * Tillväxtverket | Bidrag 2019
    tillgångar:bank                    300,00 kr
    intäkter:bidrag

2019-12-15 * Tryckeriet | Faktura
    kostnader:modellen                  50,00 kr
    skulder:leverantörer

2020-01-15 * Tryckeriet | Betalning
    skulder:leverantörer                50,00 kr
    tillgångar:bank

2020-01-31 * Botkyrka kommun | Avgift 2020  ; avgift:2020, kommun:0127
    tillgångar:bank                    500,50 kr
    intäkter:drift:avgifter:botkyrka

2020-02-01 * Details | Kartor  ; projekt:Kartor
    kostnader:drift:projekt            200,00 kr
    tillgångar:bank

2020-03-01 * Lönekontoret | Lön mars
    kostnader:drift:personal           100,00 kr
    tillgångar:bank
"""
"""2019 and 2020, 2019 not closed (so 2020 is provisional). In both years: the funds, the
fee income, the Projekt line, the bank. Only in 2019: the project Analys (Konsult AB), the
Bidrag's income, the supplier debt (paid in 2020). Only in 2020: the project Kartor
(Details), the Personal line's cost.

2019: Drift 400 − 150 = 250; Modellen 1 000 − 50 = 950; Bidrag 300; bank 1 550,
leverantörer 50. 2020: Drift IB 250 (provisional), 500,50 − 300 → UB 450,50; bank
1 700,50."""

ONE_YEAR = """
2020-01-01 * Ingående balans 2020
    tillgångar:bank                  1 000,00 kr
    fonder:modellen                 -1 000,00 kr

2020-01-31 * Botkyrka kommun | Avgift 2020  ; avgift:2020, kommun:0127
    tillgångar:bank                    500,00 kr
    intäkter:drift:avgifter:botkyrka
"""
"""The books start in 2020: an opening transaction is no year 2019 of the books."""
