"""`sekisho bench`: each measurement is a row beside a reference measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchRow:
    """One line of the benchmark table.

    :param measure: what was measured ("decision store, p99").
    :param ours: our figure with its unit ("3.1 ms").
    :param reference: the reference figure measured in the same run, or "" if none.
    :param target: the product target ("<= 20 ms"), or "".
    """

    measure: str
    ours: str
    reference: str = ""
    target: str = ""
