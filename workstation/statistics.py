"""Throughput figures for a booth: cases decided, how, and how long they took."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from workstation.decisions import DecisionKind


@dataclass(frozen=True)
class BoothStatistics:
    """One day's figures.

    :param decided: decisions by kind.
    :param durations: seconds from opening a case to its decision, one per decided case.
    :param open_cases: cases started and not yet decided.
    """

    decided: dict[DecisionKind, int] = field(default_factory=dict)
    durations: Sequence[float] = ()
    open_cases: int = 0

    @property
    def total(self) -> int:
        return sum(self.decided.values())

    @property
    def median_seconds(self) -> float | None:
        return statistics.median(self.durations) if self.durations else None

    @property
    def p90_seconds(self) -> float | None:
        if not self.durations:
            return None
        ordered = sorted(self.durations)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
