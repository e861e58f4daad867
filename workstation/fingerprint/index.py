"""1:N search: locality-sensitive pre-selection over cylinder bits, then vectorised scoring.

Stage 1 follows the idea of Cappelli, Ferrara and Maltoni, "Fingerprint indexing based on
Minutia Cylinder-Code" (IEEE TPAMI 33(5), 2011): each enrolled cylinder is binarised
(8 x 8 x 6 cells, :data:`~workstation.fingerprint.mcc.FAST_PARAMETERS`) and hashed by ``tables``
random projections of ``bits`` bits taken from its central cells. A probe's cylinders vote for
every enrolled finger sharing a bucket; votes are counted with one ``numpy.bincount`` over an
inverted index (no per-finger Python loop), normalised by the square root of the finger's
cylinder count.

Stage 2 scores the ``candidates`` best-voted fingers with the bit version of the cylinder
matcher: all candidate cylinders are unpacked into one matrix, so the local similarities of
every candidate come from a single matrix product; LSS-R consolidation then runs per
candidate. Stage 3 rescores the ``rescore`` best with the full 1:1 matcher from the stored
minutiae, so the reported scores are on the 1:1 scale and policy thresholds apply unchanged.

Memory per enrolled finger (about 40 minutiae): 48 + 8 bytes of bits and 12 bytes of
minutia per cylinder, plus ``tables`` x 4 bytes of postings: about 4.6 kB with 16 tables.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workstation.fingerprint import mcc
from workstation.fingerprint.template import FingerTemplate

logger = logging.getLogger(__name__)

_FAST = mcc.FAST_PARAMETERS
_FULL_CACHE = 512  # full-resolution cylinders kept for rescoring (about 0.3 MB each)
_CELLS = _FAST.ns * _FAST.ns
_BITS = _CELLS * _FAST.nd


@dataclass(frozen=True)
class IndexParameters:
    """Pre-selection parameters.

    :param tables: number of hash tables (random bit selections).
    :param bits: bits per hash (buckets per table = 2**bits).
    :param candidates: fingers passed from pre-selection to the cylinder scoring.
    :param relax: best of those consolidated with LSS-R on bit cylinders.
    :param rescore: best candidates rescored by the full 1:1 matcher.
    :param seed: seed of the bit selections (part of the index format).
    :param informative_bits: draw hash bits from this many most balanced central bits of the
        gallery (0 = from all central bits); needs at least 1,000 enrolled cylinders.
    :param bucket_cap: buckets holding more than this many times the mean load are skipped
        at search time: they are the near-empty cylinders every finger has, and vote for all.
    """

    tables: int = 8
    bits: int = 16
    candidates: int = 500
    relax: int = 10
    rescore: int = 3
    seed: int = 2011
    bucket_cap: float = 20.0
    informative_bits: int = 48


@dataclass(frozen=True)
class SearchHit:
    """One candidate of a 1:N search.

    :param key: the enrolled finger's key.
    :param score: similarity on the 1:1 scale for rescored hits, else the bit-matcher's.
    :param rescored: whether ``score`` comes from the full 1:1 matcher.
    """

    key: str
    score: float
    rescored: bool


@dataclass(frozen=True, eq=False)
class EncodedFinger:
    """The compact per-finger form the index stores.

    :param bits: (n, 48) uint8 packed cylinder bits.
    :param masks: (n, 8) uint8 packed cell validity.
    :param points: (n, 2) float32 minutia positions (``y`` up, 500 dpi).
    :param angles: (n,) float32 directions.
    """

    bits: npt.NDArray[np.uint8]
    masks: npt.NDArray[np.uint8]
    points: npt.NDArray[np.float32]
    angles: npt.NDArray[np.float32]


def encode_finger(template: FingerTemplate) -> EncodedFinger:
    """Binarise a template's 8 x 8 x 6 cylinders for the index."""
    c = mcc.cylinders(template, _FAST)
    bits = np.packbits(c.values > 0.5, axis=1)
    masks = np.packbits(c.cell_mask > 0.5, axis=1)
    return EncodedFinger(bits, masks, c.points.astype(np.float32), c.angles.astype(np.float32))


def _central_bits() -> npt.NDArray[np.intp]:
    offsets = np.arange(_FAST.ns) - (_FAST.ns - 1) / 2
    gx, gy = np.meshgrid(offsets, offsets, indexing="ij")
    central = np.nonzero((np.hypot(gx, gy) <= _FAST.ns * 0.3).ravel())[0]
    return np.asarray((central[:, None] * _FAST.nd + np.arange(_FAST.nd)[None, :]).ravel())


def _selections(
    params: IndexParameters, bits: npt.NDArray[np.uint8] | None = None
) -> npt.NDArray[np.intp]:
    """Bit positions of each hash: (tables, bits), drawn from the central cells.

    With ``bits`` (the gallery's packed cylinders) the draw is restricted to the central bits
    that are set closest to half of the time: balanced bits split the gallery most evenly,
    so buckets stay small and a collision says more.
    """
    candidates = _central_bits()
    if bits is not None and len(bits) >= 1000 and params.informative_bits:
        sample = bits[:: max(1, len(bits) // 100_000)]
        freq = np.array(
            [((sample[:, p >> 3] >> (7 - (p & 7))) & 1).mean() for p in candidates.tolist()]
        )
        keep = max(params.bits * 2, params.informative_bits)
        candidates = candidates[np.argsort(np.abs(freq - 0.5), kind="stable")[:keep]]
    rng = np.random.default_rng(params.seed)
    return np.stack(
        [rng.choice(candidates, size=params.bits, replace=False) for _ in range(params.tables)]
    )


def _hash_keys(
    bits: npt.NDArray[np.uint8], selections: npt.NDArray[np.intp], nbits: int
) -> npt.NDArray[np.int32]:
    """Bucket keys (table * 2**bits + code) of packed cylinders: (n, tables).

    Reads the selected bits straight from the packed bytes, so memory stays at one int32 per
    cylinder and table even for millions of cylinders.
    """
    tables = selections.shape[0]
    keys = np.empty((len(bits), tables), dtype=np.int32)
    for t in range(tables):
        code = np.zeros(len(bits), dtype=np.int32)
        for j, position in enumerate(selections[t].tolist()):
            bit = (bits[:, position >> 3] >> (7 - (position & 7))) & 1
            code |= bit.astype(np.int32) << j
        keys[:, t] = code | (t << nbits)
    return keys


def _as_cylinders(
    bits: npt.NDArray[np.uint8],
    masks: npt.NDArray[np.uint8],
    points: npt.NDArray[np.floating],
    angles: npt.NDArray[np.floating],
    circle_cells: int,
) -> mcc.Cylinders:
    values = np.unpackbits(bits, axis=1, count=_BITS).astype(np.float32)
    cell_mask = np.unpackbits(masks, axis=1, count=_CELLS).astype(np.float32)
    # bits per cell through one matrix product (a reduction over a 3-D view is slower)
    squares = values @ _CELL_SUM
    return mcc.Cylinders(
        values,
        squares,
        cell_mask,
        points.astype(np.float64),
        angles.astype(np.float64),
        circle_cells,
    )


_CELL_SUM = np.repeat(np.eye(_CELLS, dtype=np.float32), _FAST.nd, axis=0)

_CIRCLE_CELLS = int(
    (
        np.hypot(*np.meshgrid(*(2 * [np.arange(1, _FAST.ns + 1) - (_FAST.ns + 1) / 2])))
        * (2 * _FAST.radius / _FAST.ns)
        <= _FAST.radius
    ).sum()
)


class FingerIndex:
    """An in-memory 1:N index of enrolled fingers.

    Build it once (:meth:`build` or :meth:`from_encoded`); it is immutable afterwards and safe
    to search from several threads.

    :param keys: one key per enrolled finger.
    :param encoded: the encoded fingers, in key order.
    :param minutiae: the original templates for rescoring, or ``None`` to skip stage 3.
    :param params: index parameters.
    """

    def __init__(
        self,
        keys: Sequence[str],
        encoded: Sequence[EncodedFinger],
        minutiae: Sequence[FingerTemplate] | None = None,
        params: IndexParameters | None = None,
    ) -> None:
        if len(keys) != len(encoded) or (minutiae is not None and len(minutiae) != len(keys)):
            raise ValueError("keys, encoded fingers and templates must align")
        self.params = params or IndexParameters()
        self.keys = list(keys)
        self._templates = list(minutiae) if minutiae is not None else None
        self._full: dict[int, mcc.Cylinders] = {}
        counts = np.asarray([len(e.bits) for e in encoded], dtype=np.int64)
        self._counts = counts
        self._starts = np.concatenate([[0], np.cumsum(counts)])
        total = int(self._starts[-1])
        if total:
            self._bits = np.concatenate([e.bits for e in encoded])
            self._masks = np.concatenate([e.masks for e in encoded])
            self._points = np.concatenate([e.points for e in encoded]).astype(np.float32)
            self._angles = np.concatenate([e.angles for e in encoded]).astype(np.float32)
        else:
            self._bits = np.zeros((0, _BITS // 8), np.uint8)
            self._masks = np.zeros((0, _CELLS // 8), np.uint8)
            self._points = np.zeros((0, 2), np.float32)
            self._angles = np.zeros(0, np.float32)
        self._selections = _selections(self.params, self._bits)
        owners = np.repeat(np.arange(len(encoded), dtype=np.uint32), counts)
        keys_ = _hash_keys(self._bits, self._selections, self.params.bits).ravel()
        order = np.argsort(keys_, kind="stable")
        self._postings = owners[order // self.params.tables]
        del order
        buckets = self.params.tables << self.params.bits
        self._bucket_starts = np.concatenate(
            [[0], np.cumsum(np.bincount(keys_, minlength=buckets))]
        ).astype(np.int64)
        sizes = np.diff(self._bucket_starts)
        used = sizes[sizes > 0]
        self._mean_bucket = float(used.mean()) if used.size else 1.0
        self._max_bucket = int(self.params.bucket_cap * self._mean_bucket)
        self._norm = 1.0 / np.sqrt(np.maximum(counts, 1)).astype(np.float32)
        logger.info("finger index built: %d fingers, %d cylinders", len(self.keys), total)

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def build(
        cls,
        items: Iterable[tuple[str, FingerTemplate]],
        params: IndexParameters | None = None,
    ) -> FingerIndex:
        """Encode and index templates.

        :param items: ``(key, template)`` pairs.
        """
        keys: list[str] = []
        encoded: list[EncodedFinger] = []
        templates: list[FingerTemplate] = []
        for key, template in items:
            keys.append(key)
            encoded.append(encode_finger(template))
            templates.append(template)
        return cls(keys, encoded, templates, params)

    def preselect(self, probe: EncodedFinger, count: int) -> npt.NDArray[np.intp]:
        """Indices of the ``count`` best-voted fingers, best first."""
        if len(self.keys) == 0 or len(probe.bits) == 0:
            return np.zeros(0, np.intp)
        keys = _hash_keys(probe.bits, self._selections, self.params.bits).ravel()
        lo = self._bucket_starts[keys]
        lengths = self._bucket_starts[keys + 1] - lo
        lengths[lengths > self._max_bucket] = 0
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, np.intp)
        # positions lo[i] .. lo[i] + lengths[i] - 1 for every probe key, without a loop
        shift = np.repeat(lo - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        positions = np.arange(total, dtype=np.int64) + shift
        # rare buckets say more than common ones (inverse document frequency)
        weights = np.repeat(np.log1p(self._mean_bucket / np.maximum(lengths, 1)), lengths)
        votes = np.bincount(self._postings[positions], weights=weights, minlength=len(self.keys))
        scores = votes.astype(np.float32) * self._norm
        count = min(count, int((votes > 0).sum()))
        if count == 0:
            return np.zeros(0, np.intp)
        top = np.argpartition(-scores, count - 1)[:count]
        return np.asarray(top[np.argsort(-scores[top], kind="stable")], dtype=np.intp)

    def _candidate_scores(
        self, probe: EncodedFinger, candidates: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.float64]:
        """Bit-cylinder scores of the candidates: a vectorised local-similarity sort for all,
        then LSS-R consolidation for the ``relax`` best of those."""
        p = _as_cylinders(probe.bits, probe.masks, probe.points, probe.angles, _CIRCLE_CELLS)
        counts = self._counts[candidates]
        width = int(counts.max()) if len(counts) else 0
        if len(p) == 0 or width == 0:
            return np.zeros(len(candidates))
        # (candidates, width) row numbers into the cylinder store, padding repeats a row
        slots = np.arange(width)[None, :]
        valid = slots < counts[:, None]
        rows = self._starts[candidates][:, None] + np.minimum(slots, counts[:, None] - 1)
        flat = rows.ravel()
        g = _as_cylinders(
            self._bits[flat],
            self._masks[flat],
            self._points[flat],
            self._angles[flat],
            _CIRCLE_CELLS,
        )
        sim = mcc.similarity_matrix(p, g, _FAST).reshape(len(p), len(candidates), width)
        sim *= valid[None, :, :]
        # LSS: mean of the n_P best "best partner" similarities of the probe's cylinders
        best = sim.max(axis=2)  # (probe cylinders, candidates)
        n_p = np.array([mcc.pairs_count(min(len(p), int(c)), _FAST) for c in counts])
        ordered = -np.sort(-best, axis=0)
        cums = np.cumsum(ordered, axis=0)
        take = np.minimum(n_p, len(p)) - 1
        scores = cums[take, np.arange(len(candidates))] / n_p
        relax = np.argsort(-scores, kind="stable")[: self.params.relax]
        for k in relax:
            part = slice(int(k) * width, int(k) * width + int(counts[k]))
            sub = mcc.Cylinders(
                g.values[part],
                g.squares[part],
                g.cell_mask[part],
                g.points[part],
                g.angles[part],
                _CIRCLE_CELLS,
            )
            # relaxed scores rank above all unrelaxed ones
            scores[k] = 1.0 + mcc.consolidate(p, sub, sim[:, k, : counts[k]], _FAST)
        return np.asarray(scores, dtype=np.float64)

    def search(self, probe: FingerTemplate, top: int = 10) -> list[SearchHit]:
        """The ``top`` most similar enrolled fingers, best first.

        :param probe: the probe template.
        :param top: how many hits to return.
        """
        encoded = encode_finger(probe)
        candidates = self.preselect(encoded, max(self.params.candidates, top))
        if len(candidates) == 0:
            return []
        scores = self._candidate_scores(encoded, candidates)
        order = np.argsort(-scores, kind="stable")
        ranked = [
            (int(candidates[k]), float(scores[k]) % 1.0 if scores[k] > 1 else float(scores[k]))
            for k in order
        ]
        hits: list[SearchHit] = []
        if self._templates is not None and self.params.rescore > 0:
            probe_full = mcc.cylinders(probe)
            rescored = []
            for i, _ in ranked[: self.params.rescore]:
                full = self._full.get(i)
                if full is None:
                    full = mcc.cylinders(self._templates[i])
                    if len(self._full) >= _FULL_CACHE:
                        # plain dicts keep insertion order: drop the oldest entry
                        self._full.pop(next(iter(self._full)), None)
                    self._full[i] = full
                rescored.append((i, mcc.match(probe_full, full)))
            rescored.sort(key=lambda x: -x[1])
            hits = [SearchHit(self.keys[i], s, True) for i, s in rescored]
            ranked = ranked[self.params.rescore :]
        hits.extend(SearchHit(self.keys[i], s, False) for i, s in ranked)
        return hits[:top]
