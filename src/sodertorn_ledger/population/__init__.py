"""SCB's population figures (folkmängd): reading every format SCB publishes them in.

One module per format (`csv_files`, `px`, `json_files`, `excel`), each turning a file's
bytes into cells; `cube` applies the reading rules shared by all; `loader` reads a folder
and merges the files into one `PopulationTable`.
"""

from sodertorn_ledger.population.loader import (
    SUPPORTED,
    merge_figures,
    parse_population_file,
    read_population_folder,
)
from sodertorn_ledger.population.model import Figure, FileResult, PopulationTable

__all__ = [
    "SUPPORTED",
    "Figure",
    "FileResult",
    "PopulationTable",
    "merge_figures",
    "parse_population_file",
    "read_population_folder",
]
