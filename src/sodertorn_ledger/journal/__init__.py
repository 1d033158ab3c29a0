"""The books: data model (`model`), reader (`parser`, the reference; its fast path `fast`;
amounts in `amounts`), whole-book checks (`checks`) and the entry point
(`loader.load_journal`). Problems and their formatting are in `sodertorn_ledger.problems`."""
