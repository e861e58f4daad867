"""1:N search: every watchlist template in memory as one matrix.

Design (for 1,000,000 entries on a laptop):

- One C-contiguous ``float32`` matrix of unit rows, grown by doubling, so a search is one
  matrix-vector product (memory-bound: 1M x 128 x 4 bytes = 488 MiB read per search).
  Unit rows make the precomputed norms all 1, and the product is the cosine similarity.
- Top-k without sorting a million scores: the scores are viewed as blocks of
  :data:`BLOCK` entries, the best ``k`` blocks by their maximum are kept, and only those are
  searched. The top ``k`` scores always lie in those blocks.
- ``add``, ``replace`` and ``remove`` are O(1): a removed row is overwritten by the last row.
  Row order is therefore not insertion order, and callers address entries by id only.
- One lock serialises searches and changes, so a watchlist update from another thread never
  mixes two versions in one search.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workstation.face.templates import TEMPLATE_DIMENSIONS, FaceTemplate

logger = logging.getLogger(__name__)

BLOCK = 512
"""Entries per block in the top-k pre-selection."""


@dataclass(frozen=True)
class GalleryHit:
    """One candidate: the entry's id and its cosine similarity to the probe."""

    id: str
    score: float


def _unit_rows(matrix: npt.ArrayLike) -> npt.NDArray[np.float32]:
    m = np.asarray(matrix, dtype=np.float32)
    if m.ndim != 2 or m.shape[1] != TEMPLATE_DIMENSIONS:
        raise ValueError(f"templates must be an (n, {TEMPLATE_DIMENSIONS}) matrix")
    if not np.all(np.isfinite(m)):
        raise ValueError("templates must be finite")
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a template cannot be all zeros")
    return np.ascontiguousarray(m / norms, dtype=np.float32)


BLAS_MIN_ROWS = 65_536
"""From this many rows the product goes through BLAS (multi-threaded); below, numpy's own
single-threaded loop, because waking BLAS threads on a busy 2-core machine was measured to
cost 1-15 ms, far more than the 0.5 ms the whole product takes at 10,000 rows."""


def _similarities(
    matrix: npt.NDArray[np.float32], probe: npt.NDArray[np.float32], out: npt.NDArray[np.float32]
) -> None:
    if matrix.shape[0] >= BLAS_MIN_ROWS:
        np.dot(matrix, probe, out=out)
    else:
        np.einsum("ij,j->i", matrix, probe, out=out)


def _top_k(scores: npt.NDArray[np.float32], count: int, k: int) -> npt.NDArray[np.intp]:
    """Indices of the ``k`` highest of ``scores[:count]``, best first.

    ``scores`` is padded to a multiple of :data:`BLOCK` with ``-inf`` beyond ``count``.
    """
    k = min(k, count)
    if k <= 0:
        return np.empty(0, dtype=np.intp)
    blocks = scores.reshape(-1, BLOCK)
    if blocks.shape[0] <= k:
        candidates = np.arange(count)
    else:
        block_max = blocks.max(axis=1)
        best_blocks = np.argpartition(block_max, -k)[-k:]
        candidates = (best_blocks[:, None] * BLOCK + np.arange(BLOCK)).reshape(-1)
        candidates = candidates[candidates < count]
    values = scores[candidates]
    if values.size > k:
        part = np.argpartition(values, -k)[-k:]
        candidates, values = candidates[part], values[part]
    # Stable order for equal scores: by row, so results are deterministic.
    order = np.lexsort((candidates, -values))
    return candidates[order]


class FaceGallery:
    """Face templates addressed by id, searchable 1:N.

    :param capacity: rows to allocate at first; the matrix doubles when full.
    NOTE: memory is about 512 bytes per entry for the matrix plus Python's cost of the id
    strings and the id index (roughly 150 bytes per entry).
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._lock = threading.RLock()
        self._matrix = np.zeros((0, TEMPLATE_DIMENSIONS), dtype=np.float32)
        self._scores = np.zeros(0, dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._reserve(max(capacity, 1))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._rows

    def ids(self) -> tuple[str, ...]:
        """Every id, in no particular order."""
        with self._lock:
            return tuple(self._ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the matrix and score buffer (not counting the ids)."""
        return int(self._matrix.nbytes + self._scores.nbytes)

    def _reserve(self, rows: int) -> None:
        if rows <= self._matrix.shape[0]:
            return
        capacity = max(rows, 2 * self._matrix.shape[0])
        capacity = -(-capacity // BLOCK) * BLOCK
        grown = np.zeros((capacity, TEMPLATE_DIMENSIONS), dtype=np.float32)
        grown[: len(self._ids)] = self._matrix[: len(self._ids)]
        self._matrix = grown
        self._scores = np.full(capacity, -np.inf, dtype=np.float32)

    def add(self, entry_id: str, template: FaceTemplate) -> None:
        """Add an entry, or replace the template of an existing id.

        :param entry_id: the watchlist entry's id.
        :param template: its face template.
        """
        self.add_many([entry_id], template.vector[None, :])

    def add_many(self, entry_ids: Sequence[str], templates: npt.ArrayLike) -> None:
        """Add (or replace) many entries at once, e.g. the whole watchlist at start.

        :param entry_ids: one id per row; duplicates within the call are rejected.
        :param templates: an (n, 128) matrix; rows are normalised to unit length.
        :raises ValueError: on a shape mismatch, non-finite values or duplicate ids.
        """
        rows = _unit_rows(templates)
        ids = [str(i) for i in entry_ids]
        if rows.shape[0] != len(ids):
            raise ValueError("one id per template")
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids")
        with self._lock:
            existing = [self._rows.get(i) for i in ids]
            fresh = [n for n, row in enumerate(existing) if row is None]
            for n, row in enumerate(existing):
                if row is not None:
                    self._matrix[row] = rows[n]
            if fresh:
                start = len(self._ids)
                self._reserve(start + len(fresh))
                self._matrix[start : start + len(fresh)] = rows[fresh]
                for offset, n in enumerate(fresh):
                    self._rows[ids[n]] = start + offset
                    self._ids.append(ids[n])

    def replace(self, entry_id: str, template: FaceTemplate) -> None:
        """Replace the template of an existing entry.

        :raises KeyError: if the id is not in the gallery.
        """
        with self._lock:
            if entry_id not in self._rows:
                raise KeyError(entry_id)
            self._matrix[self._rows[entry_id]] = template.vector

    def remove(self, entry_id: str) -> None:
        """Remove an entry; the last row moves into its place.

        :raises KeyError: if the id is not in the gallery.
        """
        with self._lock:
            row = self._rows.pop(entry_id)
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._matrix[row] = self._matrix[last]
                self._ids[row] = moved
                self._rows[moved] = row
            self._ids.pop()
            self._matrix[last] = 0.0

    def remove_many(self, entry_ids: Iterable[str]) -> None:
        """Remove several entries; ids not present are ignored."""
        with self._lock:
            for entry_id in entry_ids:
                if entry_id in self._rows:
                    self.remove(entry_id)

    def template(self, entry_id: str) -> FaceTemplate:
        """The stored template of an entry.

        :raises KeyError: if the id is not in the gallery.
        """
        with self._lock:
            return FaceTemplate(self._matrix[self._rows[entry_id]].copy())

    def search(self, probe: FaceTemplate, k: int = 10) -> tuple[GalleryHit, ...]:
        """The ``k`` most similar entries, best first.

        :param probe: the live template.
        :param k: how many candidates; fewer when the gallery is smaller.
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        with self._lock:
            count = len(self._ids)
            if count == 0:
                return ()
            padded = -(-count // BLOCK) * BLOCK
            scores = self._scores[:padded]
            _similarities(self._matrix[:count], probe.vector, scores[:count])
            scores[count:] = -np.inf
            top = _top_k(scores, count, k)
            return tuple(GalleryHit(self._ids[int(r)], float(scores[r])) for r in top)
