"""Booth throughput figures read from the cases and decisions tables."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from workstation.decisions import DecisionKind
from workstation.statistics import BoothStatistics


def booth_statistics(db: Database, start: dt.datetime, end: dt.datetime) -> BoothStatistics:
    """Figures for cases opened in ``[start, end)`` (timezone-aware).

    Training cases are left out: they are not traffic.
    """
    low, high = start.astimezone(dt.UTC).isoformat(), end.astimezone(dt.UTC).isoformat()
    decided: dict[DecisionKind, int] = {}
    durations: list[float] = []
    for kind, opened, decided_at in db.execute(
        "SELECT d.kind, c.opened_at, d.decided_at FROM decisions d JOIN cases c USING (case_id) "
        "WHERE c.training = 0 AND c.opened_at >= ? AND c.opened_at < ?",
        [low, high],
    ):
        decided[DecisionKind(kind)] = decided.get(DecisionKind(kind), 0) + 1
        delta = dt.datetime.fromisoformat(decided_at) - dt.datetime.fromisoformat(opened)
        durations.append(delta.total_seconds())
    (open_count,) = db.execute(
        "SELECT count(*) FROM cases WHERE training = 0 AND state != 'closed' "
        "AND opened_at >= ? AND opened_at < ?",
        [low, high],
    ).fetchone()
    return BoothStatistics(decided, tuple(durations), open_count)
