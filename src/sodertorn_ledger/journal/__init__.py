"""The books: data model (`model`), reader (`parser`, `amounts`), whole-book checks (`checks`),
the entry point (`loader.load_journal`) and error formatting (`errors`)."""
