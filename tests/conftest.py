"""Shared test helpers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_settings_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The settings cache of the whole run in a temporary folder, never the user's own
    (~/.cache/sodertorn-ledger); subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SODERTORN_LEDGER_CACHE", str(folder / "sodertorn-ledger"))
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


def require_program(name: str) -> str:
    """Path of a real program the test needs; skip locally, FAIL in CI (CI=true) when missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} is not installed")
    return path
