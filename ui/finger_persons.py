"""``sekisho finger evaluate-1n --persons``: the two-finger person search on FVC2002.

FVC2002 has no person with two fingers, so persons are made of fingers that share a number:
finger N of DB1_B is a person's right index and finger N of DB2_B their left index, and the
same for DB3_B and DB4_B (20 persons). Each is enrolled with the first impressions, among
model background fingers paired into persons the same way; impressions 2 to 8 of both fingers
are the probes (140). The two fingers of such a person come from different sensors and
different people, so their pre-selection misses are independent: real pairs of a person's
index fingers may be more alike in quality, and the gain of the cross-check smaller.

Each probe pair is searched three ways (:func:`search_persons`): each finger's own search only;
with the cross-check; and as the landing checks do, pre-selecting persons on both fingers'
votes, with the cross-check. "Found" is the landing check's criterion:
one of the traveller's fingers scores at least the policy's finger threshold against the
person; "rank-1", the person with the highest summed score is the mate.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from workstation.captures import Finger
from workstation.fingerprint.index import FingerIndex, IndexParameters, encode_finger
from workstation.fingerprint.persons import finger_key, search_persons
from workstation.fingerprint.template import FingerTemplate
from workstation.policy import Policy

PAIRS = (("DB1_B", "DB2_B"), ("DB3_B", "DB4_B"))
RIGHT_INDEX, LEFT_INDEX = Finger.RIGHT_INDEX.value, Finger.LEFT_INDEX.value
IMPRESSIONS = range(2, 9)
# (label, person-level vote, cross-check): the landing checks use the last
_MODES = (
    ("each finger", False, False),
    ("cross-check", False, True),
    ("person vote", True, True),
)


def _persons(
    enrolled: dict[str, FingerTemplate], probes: dict[str, FingerTemplate | None]
) -> tuple[dict[str, dict[int, FingerTemplate]], list[tuple[str, list[tuple[int, Any]] | None]]]:
    """Chimeric persons (enrolled fingers by position) and their probe pairs (``None``:
    an impression failed to acquire, counted as a miss)."""
    persons: dict[str, dict[int, FingerTemplate]] = {}
    searches: list[tuple[str, list[tuple[int, Any]] | None]] = []
    for right_db, left_db in PAIRS:
        numbers = sorted(k.split("/", 1)[1] for k in enrolled if k.startswith(f"{right_db}/"))
        for number in numbers:
            right, left = enrolled.get(f"{right_db}/{number}"), enrolled.get(f"{left_db}/{number}")
            if right is None or left is None:
                continue
            person = f"{right_db}+{left_db}/{number}"
            persons[person] = {RIGHT_INDEX: right, LEFT_INDEX: left}
            for j in IMPRESSIONS:
                names = (f"{right_db}/{number}_{j}", f"{left_db}/{number}_{j}")
                if not any(name in probes for name in names):
                    continue  # no such impression (a failure to acquire is in ``probes``)
                r = probes.get(f"{right_db}/{number}_{j}")
                lt = probes.get(f"{left_db}/{number}_{j}")
                pair = None if r is None or lt is None else [(RIGHT_INDEX, r), (LEFT_INDEX, lt)]
                searches.append((person, pair))
    return persons, searches


def evaluate_persons(
    kind: str,
    enrolled: dict[str, FingerTemplate],
    probes: dict[str, FingerTemplate | None],
    background: Sequence[FingerTemplate],
    background_enc: Sequence[Any],
    sizes: Sequence[int],
    params: IndexParameters,
) -> None:
    """Print person-level identification of each of the three ways, per gallery size."""
    policy = Policy()
    persons, searches = _persons(enrolled, probes)
    keys = [finger_key(p, pos) for p, fingers in persons.items() for pos in fingers]
    templates = [t for fingers in persons.values() for t in fingers.values()]
    encoded = [encode_finger(t) for t in templates]
    print(
        f"{'kind':<7} {'fingers':>8} {'persons':>8} {'search':<12} {'probes':>6} "
        f"{'found':>6} {'rank-1':>7} {'median s':>8}"
    )
    for size in sizes:
        extra = max(0, size - len(keys))
        extra -= extra % 2
        positions = (RIGHT_INDEX, LEFT_INDEX)
        index = FingerIndex(
            keys + [finger_key(f"background/{i // 2}", positions[i % 2]) for i in range(extra)],
            encoded + list(background_enc[:extra]),
            templates + list(background[:extra]),
            params,
        )
        for label, fuse, cross_check in _MODES:
            found = rank1 = 0
            seconds: list[float] = []
            for person, pair in searches:
                if pair is None:
                    continue
                start = time.perf_counter()
                candidates = search_persons(
                    index,
                    pair,
                    top=policy.watchlist_candidates,
                    cross_check=cross_check,
                    fuse=fuse,
                )
                seconds.append(time.perf_counter() - start)
                rank1 += bool(candidates) and candidates[0].person == person
                mate = next((c for c in candidates if c.person == person), None)
                found += mate is not None and any(
                    s.score >= policy.finger_watchlist_threshold for s in mate.scores
                )
            n = len(searches)
            print(
                f"{kind:<7} {len(index):>8,} {len(index) // 2:>8,} {label:<12} {n:>6} "
                f"{100 * found / n:>6.1f} {100 * rank1 / n:>7.1f} "
                f"{statistics.median(seconds) if seconds else 0.0:>8.3f}"
            )
        del index
