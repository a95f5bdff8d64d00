"""Fixtures shared by the core tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the seed articles (no annotation file): tests never write into seeds/."""
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    return tmp_path
