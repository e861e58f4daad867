"""1:N search: locality-sensitive pre-selection over cylinder bits, then vectorised scoring.

Stage 1 follows the idea of Cappelli, Ferrara and Maltoni, "Fingerprint indexing based on
Minutia Cylinder-Code" (IEEE TPAMI 33(5), 2011): each enrolled cylinder is binarised
(8 x 8 x 6 cells, :data:`~workstation.fingerprint.mcc.FAST_PARAMETERS`) and hashed by ``tables``
random selections of ``bits`` bits taken from its central cells. Every collision of a probe
cylinder with an enrolled one votes for that finger at the rotation between the two minutiae
(``rotation_bins``); a finger scores its best rotation, normalised by the square root of its
cylinder count. Votes are counted with one ``numpy.bincount`` over an inverted index (no
per-finger Python loop).

Stage 2 scores the ``candidates`` best-voted fingers with the bit version of the cylinder
matcher: the candidates' cylinders are unpacked back to back into one matrix, so the local
similarities of every candidate come from two matrix products; LSS-R consolidation then runs
for the ``relax`` best. Stage 3 rescores the ``rescore`` best with the full 1:1 matcher from
the stored minutiae, so the reported scores are on the 1:1 scale and policy thresholds apply
unchanged.

Accuracy and the choice of parameters are measured by ``sekisho finger evaluate-1n`` and
documented in ``docs/fingerprints.md``. NOTE: the pre-selection still loses mates at 100,000
fingers (see there); a hit is evidence, a miss is not proof of absence.

Memory per enrolled finger (about 45 cylinders): 48 + 8 bytes of bits and 12 bytes of minutia
per cylinder, plus ``tables`` x 6 bytes of postings (finger and direction, so that a search
reads runs of memory): about 7.4 kB with 16 tables.
"""

from __future__ import annotations

import logging
import threading
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
    :param rotation_bins: a colliding cylinder pair votes for its finger at the rotation
        between the two minutiae (this many bins, each vote also counted in the next bin);
        a finger scores its best rotation, so votes of a mate add up and chance collisions
        spread out. 1 = plain votes.
    """

    tables: int = 16
    bits: int = 12
    candidates: int = 2000
    relax: int = 20
    rescore: int = 3
    seed: int = 2011
    bucket_cap: float = 20.0
    informative_bits: int = 48
    rotation_bins: int = 24


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


def best_first(scores: npt.NDArray[np.floating], count: int) -> npt.NDArray[np.intp]:
    """Indices of the ``count`` highest positive ``scores``, highest first (ties in index
    order)."""
    count = min(count, int((scores > 0).sum()))
    if count <= 0:
        return np.zeros(0, np.intp)
    top = np.argpartition(-scores, count - 1)[:count]
    return np.asarray(top[np.argsort(-scores[top], kind="stable")], dtype=np.intp)


def _turns(angles: npt.NDArray[np.floating]) -> npt.NDArray[np.uint16]:
    """Directions as fractions of a full turn in 16 bits (0.0055 degree steps)."""
    fraction = np.mod(np.asarray(angles, dtype=np.float64) / (2 * np.pi), 1.0)
    return np.asarray(np.round(fraction * 65536).astype(np.int64) % 65536, dtype=np.uint16)


_CELL_SUM = np.repeat(np.eye(_CELLS, dtype=np.float32), _FAST.nd, axis=0)


def _bit_similarity(
    probe: EncodedFinger,
    bits: npt.NDArray[np.uint8],
    masks: npt.NDArray[np.uint8],
    angles: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """MCC local similarities of the probe's bit cylinders with ``bits`` rows: (n, rows).

    Same arithmetic as :func:`~workstation.fingerprint.mcc.similarity_matrix` on binary
    cylinders (a bit's square is itself), in float32 and two matrix products: the probe's
    values and cell masks are stacked so that one product gives both the dot products and
    the gallery norms over the common cells.
    """
    pv = np.unpackbits(probe.bits, axis=1, count=_BITS).astype(np.float32)
    pm = np.unpackbits(probe.masks, axis=1, count=_CELLS).astype(np.float32)
    gv = np.unpackbits(bits, axis=1, count=_BITS).astype(np.float32)
    gm = np.unpackbits(masks, axis=1, count=_CELLS).astype(np.float32)
    n = len(pv)
    over_bits = np.vstack([pv, np.repeat(pm, _FAST.nd, axis=1)]) @ gv.T
    over_cells = np.vstack([pv @ _CELL_SUM, pm]) @ gm.T
    dot, norm_b2 = over_bits[:n], over_bits[n:]
    norm_a2, common = over_cells[:n], over_cells[n:]
    norm_a = np.sqrt(norm_a2)
    norm_b = np.sqrt(norm_b2)
    dist = np.sqrt(np.maximum(norm_a2 + norm_b2 - 2 * dot, 0))
    denom = norm_a + norm_b
    sim = 1.0 - dist / np.maximum(denom, np.float32(1e-6))
    sim[denom <= 0] = 0.0
    # directions at most max_rotation apart: cos of the difference from one small product
    pa = probe.angles.astype(np.float32)
    cos_d = np.outer(np.cos(pa), np.cos(angles)) + np.outer(np.sin(pa), np.sin(angles))
    ok = (common >= _FAST.min_matchable * _CIRCLE_CELLS) & (
        cos_d >= np.float32(np.cos(_FAST.max_rotation)) - np.float32(1e-6)
    )
    return np.asarray(np.where(ok, sim, np.float32(0.0)), dtype=np.float32)


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
        self._full_lock = threading.Lock()
        self._positions: dict[str, int] | None = None
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
        keys_ = _hash_keys(self._bits, self._selections, self.params.bits).ravel()
        order = np.argsort(keys_, kind="stable")
        # a posting is what the vote reads of its cylinder, stored in bucket order so that a
        # search reads runs of memory: the finger, and the minutia's direction
        cylinder = order // self.params.tables
        del order
        owners = np.repeat(np.arange(len(encoded), dtype=np.uint32), counts)
        self._post_owner = owners[cylinder]
        self._post_angle = _turns(self._angles)[cylinder]
        del cylinder, owners
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

    def votes(self, probe: EncodedFinger) -> npt.NDArray[np.float32]:
        """Pre-selection score of every enrolled finger (0 = no shared bucket)."""
        if len(self.keys) == 0 or len(probe.bits) == 0:
            return np.zeros(len(self.keys), np.float32)
        keys = _hash_keys(probe.bits, self._selections, self.params.bits).ravel()
        lo = self._bucket_starts[keys]
        lengths = self._bucket_starts[keys + 1] - lo
        lengths[lengths > self._max_bucket] = 0
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(len(self.keys), np.float32)
        # positions lo[i] .. lo[i] + lengths[i] - 1 for every probe key, without a loop
        shift = np.repeat(lo - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        positions = np.arange(total, dtype=np.int64) + shift
        # rare buckets say more than common ones (inverse document frequency)
        weights = np.repeat(np.log1p(self._mean_bucket / np.maximum(lengths, 1)), lengths)
        owners = self._post_owner[positions]
        bins = max(1, self.params.rotation_bins)
        if bins == 1:
            votes = np.bincount(owners, weights=weights, minlength=len(self.keys))
        else:
            probe_angle = np.repeat(np.repeat(_turns(probe.angles), self.params.tables), lengths)
            # the rotation between the two minutiae in turns; uint16 arithmetic wraps round
            turn = self._post_angle[positions] - probe_angle
            slot = (turn.astype(np.uint32) * np.uint32(bins)) >> np.uint32(16)
            grid = np.bincount(
                owners * np.uint32(bins) + slot, weights=weights, minlength=len(self.keys) * bins
            ).reshape(len(self.keys), bins)
            # soft bins: a rotation near a bin edge still adds up with its neighbours
            votes = (grid + np.roll(grid, 1, axis=1)).max(axis=1)
        return np.asarray(votes.astype(np.float32) * self._norm, dtype=np.float32)

    def preselect(self, probe: EncodedFinger, count: int) -> npt.NDArray[np.intp]:
        """Indices of the ``count`` best-voted fingers, best first."""
        return best_first(self.votes(probe), count)

    def preselection_rank(self, probe: EncodedFinger, position: int) -> int | None:
        """Where the enrolled finger at ``position`` falls in the pre-selection order of
        ``probe`` (0 = first; ties count against it), ``None`` when it got no vote at all.

        For evaluation: the pre-selection hit rate at a penetration rate ``p`` is the share
        of probes whose mate's rank is below ``p * len(index)``.
        """
        scores = self.votes(probe)
        mine = scores[position]
        if mine <= 0:
            return None
        return int((scores > mine).sum() + (scores == mine).sum() - 1)

    def _candidate_scores(
        self, probe: EncodedFinger, candidates: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.float64]:
        """Bit-cylinder scores of the candidates: a vectorised local-similarity sort for all,
        then LSS-R consolidation for the ``relax`` best of those (ranked above the rest)."""
        counts = self._counts[candidates]
        scores = np.zeros(len(candidates))
        n = len(probe.bits)
        live = np.nonzero(counts > 0)[0]
        if n == 0 or len(live) == 0:
            return scores
        # the candidates' cylinder rows, back to back (no padding)
        lengths = counts[live]
        seg = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        rows = np.repeat(self._starts[candidates[live]] - seg, lengths) + np.arange(
            int(lengths.sum())
        )
        sim = _bit_similarity(
            probe,
            self._bits[rows],
            self._masks[rows],
            self._angles[rows],
        )
        # LSS: mean of the n_P best "best partner" similarities of the probe's cylinders
        best = np.maximum.reduceat(sim, seg, axis=1)  # (probe cylinders, live candidates)
        n_p = np.array([mcc.pairs_count(min(n, int(c)), _FAST) for c in lengths])
        ordered = -np.sort(-best, axis=0)
        cums = np.cumsum(ordered, axis=0)
        take = np.minimum(n_p, n) - 1
        lss = cums[take, np.arange(len(live))] / n_p
        scores[live] = lss
        p = mcc.Cylinders(
            np.zeros((n, 0), np.float32),
            np.zeros((n, 0), np.float32),
            np.zeros((n, 0), np.float32),
            probe.points.astype(np.float64),
            probe.angles.astype(np.float64),
            _CIRCLE_CELLS,
        )
        for k in np.argsort(-lss, kind="stable")[: self.params.relax].tolist():
            part = slice(int(seg[k]), int(seg[k] + lengths[k]))
            g_rows = rows[part]
            g = mcc.Cylinders(
                np.zeros((len(g_rows), 0), np.float32),
                np.zeros((len(g_rows), 0), np.float32),
                np.zeros((len(g_rows), 0), np.float32),
                self._points[g_rows].astype(np.float64),
                self._angles[g_rows].astype(np.float64),
                _CIRCLE_CELLS,
            )
            # relaxed scores rank above all unrelaxed ones
            block = sim[:, part].astype(np.float64)
            scores[live[k]] = 1.0 + mcc.consolidate(p, g, block, _FAST)
        return scores

    def _enrolled_full(self, i: int) -> mcc.Cylinders:
        """Full-resolution cylinders of enrolled finger ``i`` (cached for rescoring)."""
        with self._full_lock:
            full = self._full.get(i)
        if full is None:
            if self._templates is None:
                raise LookupError("this index keeps no templates")
            full = mcc.cylinders(self._templates[i])
            with self._full_lock:
                if len(self._full) >= _FULL_CACHE:
                    # plain dicts keep insertion order: drop the oldest entry
                    self._full.pop(next(iter(self._full)), None)
                self._full[i] = full
        return full

    def verify(self, key: str, probe: mcc.Cylinders) -> float | None:
        """The 1:1 score of a probe's full cylinders against the enrolled finger ``key``;
        ``None`` when no such finger is enrolled (or the index keeps no templates)."""
        if self._templates is None:
            return None
        if self._positions is None:
            self._positions = {k: i for i, k in enumerate(self.keys)}
        i = self._positions.get(key)
        return None if i is None else mcc.match(probe, self._enrolled_full(i))

    def search(
        self, probe: FingerTemplate, top: int = 10, probe_full: mcc.Cylinders | None = None
    ) -> list[SearchHit]:
        """The ``top`` most similar enrolled fingers, best first.

        :param probe: the probe template.
        :param top: how many hits to return.
        :param probe_full: the probe's full cylinders when the caller has them already
            (:func:`mcc.cylinders` of ``probe``), for the rescoring.
        """
        encoded = encode_finger(probe)
        candidates = self.preselect(encoded, max(self.params.candidates, top))
        if self._templates is not None and self.params.rescore > 0 and probe_full is None:
            probe_full = mcc.cylinders(probe)
        return self.rank(encoded, candidates, top, probe_full)

    def rank(
        self,
        probe: EncodedFinger,
        candidates: npt.NDArray[np.intp],
        top: int,
        probe_full: mcc.Cylinders | None,
    ) -> list[SearchHit]:
        """Stages 2 and 3 of :meth:`search` over pre-selected ``candidates`` (finger
        positions, e.g. from :meth:`preselect` or a person-level vote): the ``top`` best,
        the first ``rescore`` of them rescored from ``probe_full`` when given."""
        if len(candidates) == 0:
            return []
        scores = self._candidate_scores(probe, candidates)
        order = np.argsort(-scores, kind="stable")
        ranked = [
            (int(candidates[k]), float(scores[k]) % 1.0 if scores[k] > 1 else float(scores[k]))
            for k in order
        ]
        hits: list[SearchHit] = []
        if self._templates is not None and self.params.rescore > 0 and probe_full is not None:
            rescored = []
            for i, _ in ranked[: self.params.rescore]:
                rescored.append((i, mcc.match(probe_full, self._enrolled_full(i))))
            rescored.sort(key=lambda x: -x[1])
            hits = [SearchHit(self.keys[i], s, True) for i, s in rescored]
            ranked = ranked[self.params.rescore :]
        hits.extend(SearchHit(self.keys[i], s, False) for i, s in ranked)
        return hits[:top]
