"""One module per `ledger` command. Each defines one function that Typer turns into the command."""
