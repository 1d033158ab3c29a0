"""Reports: pure functions from the books (and settings) to plain data."""
