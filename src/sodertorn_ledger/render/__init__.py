"""Rendering report data: rich tables for the terminal, plain dicts for JSON."""
