"""Shared fixtures: a controllable clock and real SQLite databases with all migrations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def memory_db() -> Iterator[object]:
    """An in-memory database with every migration applied (sqlite-utils' fresh_db idea)."""
    from db.database import open_database

    db = open_database(":memory:")
    yield db
    db.close()


@pytest.fixture
def demo_db(tmp_path: Path, clock: FakeClock) -> Iterator[object]:
    """A database file seeded with the demo operators, policy and watchlist."""
    from db.database import open_database
    from db.demo import ensure_demo

    db = open_database(tmp_path / "sekisho.db")
    ensure_demo(db, clock)
    yield db
    db.close()
