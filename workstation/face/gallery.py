"""1:N search: every watchlist template in memory, searched exactly in stages.

Design (for 1,000,000 entries on a laptop):

- One C-contiguous ``float32`` matrix of unit rows, grown by doubling. Unit rows make the
  product the cosine similarity, and the rows are what every score is finally computed from.
- Large galleries are searched in a cascade that returns the **exact** top ``k``. Beside the
  rows, the gallery keeps their coordinates in its principal directions (an orthonormal
  basis fitted on the gallery itself), split into blocks (:data:`STAGES`), and for each block
  the norm of what lies beyond it. A search streams the first block only (128 bytes per
  entry instead of 512), scores a few of the best rows exactly to get a k-th best score
  ``tau``, and drops every row whose upper bound (Cauchy-Schwarz on the part not yet read)
  is below ``tau``. The next block is read for the survivors only, and the full rows last.
  Face templates are concentrated in few directions (dlib's span about 80 of their 128), so
  a few thousand of a million rows survive the first block and a few dozen the second. On
  data without that structure most rows survive and the search ends with the single product
  over all rows (about a third slower than that product alone), still exact.
- ``add``, ``replace`` and ``remove`` are O(1): a removed row is overwritten by the last row.
  Row order is therefore not insertion order, and callers address entries by id only. The
  basis is fitted once when the gallery first reaches :data:`TWO_STAGE_MIN_ROWS` entries,
  and again only by an ``add_many`` that brings at least half of the entries (a load or a
  reload); single updates project their row onto the existing basis.
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

STAGES = (32, 64)
"""Ends of the coordinate blocks read in turn by the cascade: dimensions 0-31 of every row,
then 32-63 of the survivors, then the full rows of the last survivors."""

TWO_STAGE_MIN_ROWS = 8_192
"""Galleries from this size are searched by the cascade; smaller ones by one product."""

BLAS_MIN_ROWS = 65_536
"""From this many rows the product goes through BLAS (multi-threaded); below, numpy's own
single-threaded loop, because waking BLAS threads on a busy 2-core machine was measured to
cost 1-15 ms, far more than the 0.5 ms the whole product takes at 10,000 rows."""

COLUMN_BLAS_MIN = 262_144
"""The first block goes through BLAS from this many columns. Below, numpy's loop is faster:
its output stays in the CPU's cache, and BLAS threads were measured to add 20 ms or more
when other jobs keep both cores busy."""

_FIT_SAMPLE_ROWS = 16_384
"""At most this many rows, evenly spaced, are used to fit the basis."""

_PROJECT_CHUNK = 65_536
"""Rows projected at once (bounds the temporary memory of a load)."""

_SEED_ROWS = 32
"""Rows scored exactly after the first block to set the k-th best score."""

_SPARSE_FRACTION = 1 / 8
"""Survivors below this share of the gallery are gathered; above it, blocks are streamed."""

_HOPELESS_FRACTION = 1 / 2
"""Survivors above this share of the gallery: the cascade gives up and reads the full rows."""

_MARGIN = 1e-4
"""Rows are kept while their bound is within this of ``tau``: float32 rounding of the
bounds and scores is about 1e-5, so no row that belongs in the top k is ever dropped."""

_TAIL_SLACK = 1e-6
"""Added to each squared tail norm so that rounding can only make a bound larger."""


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


def _similarities(
    matrix: npt.NDArray[np.float32], probe: npt.NDArray[np.float32], out: npt.NDArray[np.float32]
) -> None:
    if matrix.shape[0] >= BLAS_MIN_ROWS:
        np.dot(matrix, probe, out=out)
    else:
        np.einsum("ij,j->i", matrix, probe, out=out)


def _ranked(
    rows: npt.NDArray[np.intp], values: npt.NDArray[np.float32], k: int
) -> npt.NDArray[np.intp]:
    """Positions in ``rows`` of the ``k`` highest ``values``, best first, ties by row."""
    positions = np.arange(rows.size)
    if rows.size > k:
        positions = np.argpartition(values, -k)[-k:]
    order = np.lexsort((rows[positions], -values[positions]))
    return positions[order]


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
    # Stable order for equal scores: by row, so results are deterministic.
    return candidates[_ranked(candidates, scores[candidates], k)]


def fit_basis(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Orthonormal basis of the rows' principal directions, strongest first.

    :param rows: an (n, 128) matrix of unit rows (a sample of the gallery).
    :returns: a (128, 128) ``float32`` matrix whose rows are the directions, ordered by the
        share of the rows' energy (mean squared coordinate) along each.
    NOTE: the directions are not centred on the mean: for face templates the first one is
    close to the mean template and carries most of every row's length.
    """
    gram = np.asarray(rows, dtype=np.float32).T @ np.asarray(rows, dtype=np.float32)
    energy, vectors = np.linalg.eigh(gram.astype(np.float64))
    return np.ascontiguousarray(vectors[:, np.argsort(energy)[::-1]].T, dtype=np.float32)


class FaceGallery:
    """Face templates addressed by id, searchable 1:N.

    :param capacity: rows to allocate at first; the arrays double when full.
    :param two_stage_min_rows: size from which searches use the cascade (see the module
        docstring); smaller galleries are searched with one product.
    NOTE: memory is 516 bytes per entry for the rows and a score buffer; from
    ``two_stage_min_rows`` on, the cascade adds 272 bytes per entry (two blocks of 32
    coordinates, two tail norms, two buffers), and up to an eighth more of the first block
    after growth. Python's cost of the id strings and the id index comes on top (roughly 150
    bytes per entry). :attr:`nbytes` counts the arrays.
    """

    def __init__(
        self, capacity: int = 1024, *, two_stage_min_rows: int = TWO_STAGE_MIN_ROWS
    ) -> None:
        self._lock = threading.RLock()
        self._min_rows = max(int(two_stage_min_rows), 1)
        self._matrix = np.zeros((0, TEMPLATE_DIMENSIONS), dtype=np.float32)
        self._scores = np.zeros(0, dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        # The cascade's arrays; empty until a basis is fitted.
        self._basis: npt.NDArray[np.float32] | None = None
        self._drop_basis()
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
        """Bytes held by the rows, the cascade's arrays and the buffers (not the ids)."""
        arrays = [self._matrix, self._scores, self._head, self._partial, self._bounds]
        return int(sum(a.nbytes for a in arrays) + self._second.nbytes + self._tails.nbytes)

    @property
    def staged(self) -> bool:
        """``True`` when searches use the cascade (a basis is fitted and the gallery is large)."""
        return self._basis is not None and len(self._ids) >= self._min_rows

    def _drop_basis(self) -> None:
        width = STAGES[1] - STAGES[0]
        self._basis = None
        # First block column-major, so that one BLAS call streams it (see _size_head).
        self._head = np.zeros((STAGES[0], 0), dtype=np.float32)
        self._partial = np.zeros(0, dtype=np.float32)
        self._bounds = np.zeros(0, dtype=np.float32)
        self._second = np.zeros((0, width), dtype=np.float32)
        self._tails = np.zeros((len(STAGES), 0), dtype=np.float32)

    def _reserve(self, rows: int) -> None:
        if rows <= self._matrix.shape[0]:
            return
        capacity = max(rows, 2 * self._matrix.shape[0])
        capacity = -(-capacity // BLOCK) * BLOCK
        count = len(self._ids)
        grown = np.zeros((capacity, TEMPLATE_DIMENSIONS), dtype=np.float32)
        grown[:count] = self._matrix[:count]
        self._matrix = grown
        self._scores = np.full(capacity, -np.inf, dtype=np.float32)
        if self._basis is not None:
            second = np.zeros((capacity, self._second.shape[1]), dtype=np.float32)
            second[:count] = self._second[:count]
            tails = np.zeros((len(STAGES), capacity), dtype=np.float32)
            tails[:, :count] = self._tails[:, :count]
            self._second, self._tails = second, tails

    def _size_head(self, slack: bool = True) -> None:
        """Keep the first block between the row count and an eighth more.

        A column-major block sliced to fewer columns is not contiguous, and numpy then copies
        it before calling BLAS, so searches stream the whole block; its slack is kept small
        instead (growing copies it, amortised over an eighth of the gallery's additions).

        :param slack: reserve an eighth more than the count (not when fitting on a load).
        """
        count = len(self._ids)
        capacity = self._head.shape[1]
        if count <= capacity <= 2 * count + BLOCK:
            return
        spare = count // 8 + 1 if slack else 0
        capacity = -(-(count + spare) // BLOCK) * BLOCK
        head = np.zeros((STAGES[0], capacity), dtype=np.float32)
        kept = min(count, self._head.shape[1])
        head[:, :kept] = self._head[:, :kept]
        self._head = head
        self._partial = np.full(capacity, -np.inf, dtype=np.float32)
        self._bounds = np.zeros(capacity, dtype=np.float32)

    def _fit(self) -> None:
        """Fit the basis on the current rows and project all of them."""
        count = len(self._ids)
        step = max(1, count // _FIT_SAMPLE_ROWS)
        basis = fit_basis(self._matrix[:count:step])
        self._drop_basis()
        self._basis = basis
        capacity = self._matrix.shape[0]
        self._second = np.zeros((capacity, STAGES[1] - STAGES[0]), dtype=np.float32)
        self._tails = np.zeros((len(STAGES), capacity), dtype=np.float32)
        self._size_head(slack=False)
        for start in range(0, count, _PROJECT_CHUNK):
            self._project(basis, slice(start, min(start + _PROJECT_CHUNK, count)))
        logger.debug("face gallery basis fitted on %d rows", count)

    def _project(self, basis: npt.NDArray[np.float32], rows: slice | npt.NDArray[np.intp]) -> None:
        """Write the cascade's coordinates and tail norms of ``rows``."""
        x = self._matrix[rows]
        y = x @ basis[: STAGES[-1]].T
        self._head[:, rows] = y[:, : STAGES[0]].T
        self._second[rows] = y[:, STAGES[0] : STAGES[1]]
        remaining = np.einsum("ij,ij->i", x, x, dtype=np.float64)
        start = 0
        for stage, end in enumerate(STAGES):
            block = y[:, start:end]
            remaining -= np.einsum("ij,ij->i", block, block, dtype=np.float64)
            tail = np.maximum(remaining, 0.0) + _TAIL_SLACK
            self._tails[stage, rows] = np.sqrt(tail)
            start = end

    def _write(self, rows: npt.NDArray[np.intp], templates: npt.NDArray[np.float32]) -> None:
        self._matrix[rows] = templates
        if self._basis is not None:
            self._project(self._basis, rows)

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
        NOTE: a call that brings at least half of the gallery's entries (a load) refits the
        cascade's basis, which costs 1-3 s per million entries.
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
            known = [n for n, row in enumerate(existing) if row is not None]
            if known:
                self._write(np.array([existing[n] for n in known], dtype=np.intp), rows[known])
            if fresh:
                start = len(self._ids)
                self._reserve(start + len(fresh))
                for offset, n in enumerate(fresh):
                    self._rows[ids[n]] = start + offset
                    self._ids.append(ids[n])
                if self._basis is not None and 2 * len(fresh) >= len(self._ids):
                    self._drop_basis()
                if self._basis is not None:
                    self._size_head()
                self._write(np.arange(start, start + len(fresh)), rows[fresh])
            if self._basis is None and len(self._ids) >= self._min_rows:
                self._fit()

    def replace(self, entry_id: str, template: FaceTemplate) -> None:
        """Replace the template of an existing entry.

        :raises KeyError: if the id is not in the gallery.
        """
        with self._lock:
            if entry_id not in self._rows:
                raise KeyError(entry_id)
            row = np.array([self._rows[entry_id]], dtype=np.intp)
            self._write(row, template.vector[None, :])

    def remove(self, entry_id: str) -> None:
        """Remove an entry; the last row moves into its place.

        :raises KeyError: if the id is not in the gallery.
        """
        with self._lock:
            row = self._rows.pop(entry_id)
            last = len(self._ids) - 1
            by_row = [self._matrix]
            if self._basis is not None:
                by_row += [self._second, self._tails.T, self._head.T]
            if row != last:
                moved = self._ids[last]
                for array in by_row:
                    array[row] = array[last]
                self._ids[row] = moved
                self._rows[moved] = row
            self._ids.pop()
            for array in by_row:
                array[last] = 0.0
            if self._basis is not None:
                self._size_head()

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
        """The ``k`` most similar entries, best first (exact, whatever the gallery size).

        :param probe: the live template.
        :param k: how many candidates; fewer when the gallery is smaller.
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        with self._lock:
            count = len(self._ids)
            if count == 0:
                return ()
            if self._basis is not None and count >= self._min_rows and k < count:
                rows, values = self._cascade(self._basis, probe.vector, count, k)
            else:
                rows, values = self._full(probe.vector, count, k)
            return tuple(
                GalleryHit(self._ids[int(r)], float(v)) for r, v in zip(rows, values, strict=True)
            )

    def _full(
        self, probe: npt.NDArray[np.float32], count: int, k: int
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """One product over every row, then the block top-k."""
        padded = -(-count // BLOCK) * BLOCK
        scores = self._scores[:padded]
        _similarities(self._matrix[:count], probe, scores[:count])
        scores[count:] = -np.inf
        top = _top_k(scores, count, k)
        return top, scores[top]

    def _cascade(
        self, basis: npt.NDArray[np.float32], probe: npt.NDArray[np.float32], count: int, k: int
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """The exact top ``k`` reading as little as the bounds allow (see the module)."""
        q = basis @ probe
        # Length of the probe beyond each stage's end, for the Cauchy-Schwarz bounds.
        energy = np.cumsum((q.astype(np.float64) ** 2)[::-1])[::-1]
        beyond = [float(np.sqrt(energy[end])) if end < q.size else 0.0 for end in STAGES]

        partial = self._partial
        _column_products(self._head, q[: STAGES[0]], partial)
        partial[count:] = -np.inf
        seed = _top_k(partial, count, max(_SEED_ROWS, k))
        seed_scores = self._matrix[seed] @ probe
        tau = float(np.partition(seed_scores, -k)[-k]) - _MARGIN

        rows: npt.NDArray[np.intp] | None = None  # None: every row is still in
        part = partial[:count]
        for stage, end in enumerate(STAGES):
            tails = self._tails[stage]
            if rows is None:
                bound = np.multiply(tails[:count], beyond[stage], out=self._bounds[:count])
                bound += part
                keep = bound >= tau
                survivors = np.count_nonzero(keep)
                if survivors < _SPARSE_FRACTION * count:
                    rows = np.flatnonzero(keep)
                    part = part[rows]
                elif survivors > _HOPELESS_FRACTION * count:
                    break  # nothing to prune (data unlike face templates): one full product
            else:
                keep = part + beyond[stage] * tails[rows] >= tau
                rows, part = rows[keep], part[keep]
            if stage + 1 < len(STAGES):
                segment = q[end : STAGES[stage + 1]]
                if rows is None:
                    more = self._bounds[:count]
                    _similarities(self._second[:count], segment, more)
                    part += more
                else:
                    part = part + self._second[rows] @ segment
        if rows is None or rows.size < k:
            return self._full(probe, count, k)
        exact = self._matrix[rows] @ probe
        best = _ranked(rows, exact, k)
        return rows[best], exact[best]


def _column_products(
    block: npt.NDArray[np.float32], probe: npt.NDArray[np.float32], out: npt.NDArray[np.float32]
) -> None:
    """``out[i] = probe . block[:, i]`` for a column-major block (one row per dimension)."""
    if block.shape[1] >= COLUMN_BLAS_MIN:
        np.dot(probe, block, out=out)
    else:
        np.einsum("j,ji->i", probe, block, out=out)
