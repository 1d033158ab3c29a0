"""`python -m sodertorn_ledger`: the same app as the `ledger` command."""

from sodertorn_ledger.cli import main

main()
