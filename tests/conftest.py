"""Shared test helpers."""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str) -> str:
    """Path of a real program the test needs; skip locally, FAIL in CI (CI=true) when missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} is not installed")
    return path
