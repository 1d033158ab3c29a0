"""sodertorn-ledger: the books, fees and annual figures of Södertörnssamarbetet."""

__version__ = "0.1.0"
