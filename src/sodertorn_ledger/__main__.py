"""`python -m sodertorn_ledger`: the same program as the `ledger` command."""

from sodertorn_ledger.launcher import main

main()
