"""Minutia cylinder codes and the 1:1 matcher.

The local descriptor is the Minutia Cylinder-Code of Cappelli, Ferrara and Maltoni (IEEE
TPAMI 32(12), 2010): around each minutia, a cylinder of ``ns x ns`` spatial cells and ``nd``
directional sections records which neighbours lie where and at which relative direction. It
is invariant to translation and rotation, and tolerant to missing and spurious minutiae.

Global consolidation is the paper's "local similarity sort with relaxation" (LSS-R): the
best cylinder pairs are iteratively reweighted by how well their geometry agrees with the
other pairs, and the score is the mean of the most consistent ones. Everything is computed
with numpy matrix products; no per-cell Python loops.

Scores are similarities in [0, 1]. Thresholds come from policy, never from this module.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workstation.fingerprint.template import DEFAULT_RESOLUTION_PPCM, FingerTemplate

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class MccParameters:
    """Cylinder and consolidation parameters (the paper's values at 500 dpi).

    :param radius: cylinder radius in pixels at 500 dpi.
    :param ns: spatial cells along a cylinder's side.
    :param nd: directional sections.
    :param sigma_s: spatial Gaussian spread.
    :param sigma_d: directional Gaussian spread (radians).
    :param mu_psi: sigmoid centre of the cell contribution.
    :param tau_psi: sigmoid steepness of the cell contribution.
    :param omega: how far outside the minutiae's convex hull a cell stays valid (pixels).
    :param min_valid_cells: fraction of in-circle cells a cylinder needs to be valid.
    :param min_neighbours: neighbouring minutiae a cylinder needs to be valid.
    :param min_matchable: fraction of in-circle cells two cylinders must share.
    :param max_rotation: largest direction difference between two matched minutiae.
    :param min_pair_quality: when both templates report minutia qualities (0-100), minutiae
        below this are not paired and not counted in n_P; they still shape their neighbours'
        cylinders. 25 is the lower bound of NBIS mindtct's reliability classes A and B
        (quality map levels 3-4 give 25-99 %, levels 0-2 give 1-24 %). 0 disables the rule.
    """

    radius: float = 70.0
    ns: int = 16
    nd: int = 6
    sigma_s: float = 28.0 / 3.0
    sigma_d: float = 2.0 * math.pi / 9.0
    mu_psi: float = 0.01
    tau_psi: float = 400.0
    omega: float = 50.0
    min_valid_cells: float = 0.75
    min_neighbours: int = 2
    min_matchable: float = 0.6
    max_rotation: float = math.pi / 2
    min_pair_quality: int = 25
    # LSS-R consolidation
    min_np: int = 4
    max_np: int = 12
    mu_p: float = 20.0
    tau_p: float = 0.4
    relaxation_steps: int = 5
    relaxation_weight: float = 0.5
    mu_distance: float = 5.0
    tau_distance: float = -1.6
    mu_angle: float = math.pi / 12
    tau_angle: float = -30.0


DEFAULT_PARAMETERS = MccParameters()
FAST_PARAMETERS = MccParameters(ns=8)
"""Coarser cylinders (8 x 8 x 6) for the 1:N candidate stage."""


@dataclass(frozen=True, eq=False)
class Cylinders:
    """Cylinder codes of one template, ready for matching.

    :param values: (n, cells * nd) float32 contributions, zero in invalid cells.
    :param squares: (n, cells) sums over sections of squared contributions.
    :param cell_mask: (n, cells) float32, 1 where the cell is valid.
    :param points: (n, 2) minutia positions, ``y`` pointing up, at 500 dpi.
    :param angles: (n,) minutia directions in radians.
    :param circle_cells: number of cells inside the cylinder's circle.
    :param reliable: (n,) True where the minutia's quality reaches ``min_pair_quality`` (or is
        0, not reported); ``None`` when the template reports no qualities at all.
    """

    values: FloatArray
    squares: FloatArray
    cell_mask: FloatArray
    points: npt.NDArray[np.float64]
    angles: npt.NDArray[np.float64]
    circle_cells: int
    reliable: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.values)

    def reliable_only(self, minimum: int) -> Cylinders:
        """The cylinders of reliable minutiae only; all of them if fewer than ``minimum``."""
        keep = self.reliable
        if keep is None or keep.all() or int(keep.sum()) < minimum:
            return self
        return Cylinders(
            self.values[keep],
            self.squares[keep],
            self.cell_mask[keep],
            self.points[keep],
            self.angles[keep],
            self.circle_cells,
            keep[keep],
        )


def _angle_diff(a: npt.ArrayLike, b: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``a - b`` wrapped to ``[-π, π)``."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return np.mod(d + np.pi, 2 * np.pi) - np.pi


def _sigmoid(v: npt.NDArray[np.float64], mu: float, tau: float) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(np.clip(-tau * (v - mu), -60.0, 60.0)))


def _erf(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Vectorised error function (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return np.asarray(sign * (1.0 - poly * np.exp(-a * a)), dtype=np.float64)


def _convex_hull(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Vertices of the convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts: list[tuple[float, float]] = sorted(set(map(tuple, points.tolist())))
    if len(pts) < 3:
        return np.asarray(pts, dtype=np.float64).reshape(-1, 2)

    def chain(seq: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for px, py in seq:
            while len(out) >= 2:
                (ox, oy), (ax, ay) = out[-2], out[-1]
                if (ax - ox) * (py - oy) - (ay - oy) * (px - ox) > 0:
                    break
                out.pop()
            out.append((px, py))
        return out

    lower = chain(pts)
    upper = chain(pts[::-1])
    return np.asarray(lower[:-1] + upper[:-1], dtype=np.float64)


def _outside_hull_distance(
    hull: npt.NDArray[np.float64], query: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """For each query point, the largest signed distance to the hull's edge lines.

    Negative inside; outside it is a lower bound of the true distance, close enough for
    deciding whether a cell lies within ``omega`` of the hull.
    """
    if len(hull) < 3:
        return np.zeros(query.shape[:-1])
    edges = np.roll(hull, -1, axis=0) - hull
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    keep = lengths > 0
    hull, edges, lengths = hull[keep], edges[keep], lengths[keep]
    # outward normal of a counter-clockwise polygon edge (dx, dy) is (dy, -dx)
    normals = np.stack([edges[:, 1], -edges[:, 0]], axis=1) / lengths[:, None]
    offsets = np.einsum("ij,ij->i", normals, hull)
    signed = query @ normals.T - offsets
    return np.asarray(signed.max(axis=-1), dtype=np.float64)


def _cell_offsets(params: MccParameters) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    step = 2 * params.radius / params.ns
    centre = (params.ns + 1) / 2
    idx = np.arange(1, params.ns + 1, dtype=np.float64)
    gx, gy = np.meshgrid(idx, idx, indexing="ij")
    offsets = np.stack([(gx - centre) * step, (gy - centre) * step], axis=-1).reshape(-1, 2)
    in_circle = np.hypot(offsets[:, 0], offsets[:, 1]) <= params.radius
    return offsets, in_circle


def cylinders(template: FingerTemplate, params: MccParameters = DEFAULT_PARAMETERS) -> Cylinders:
    """Compute the cylinder codes of a template.

    Invalid cylinders (too few neighbours or valid cells) are dropped. Templates are first
    rescaled to 500 dpi so that records from scanners of other resolutions match.

    :param template: the minutiae.
    :param params: cylinder parameters.
    """
    t = template.scaled_to(DEFAULT_RESOLUTION_PPCM)
    points = np.stack([t.minutiae[:, 0], -t.minutiae[:, 1]], axis=1)
    angles = t.minutiae[:, 2]
    offsets, in_circle = _cell_offsets(params)
    cells = len(offsets)
    circle_cells = int(in_circle.sum())
    n = len(points)
    width = cells * params.nd
    if n == 0:
        empty = np.zeros((0, width), np.float32)
        return Cylinders(
            empty,
            np.zeros((0, cells), np.float32),
            np.zeros((0, cells), np.float32),
            np.zeros((0, 2)),
            np.zeros(0),
            circle_cells,
        )
    cos, sin = np.cos(angles), np.sin(angles)
    # cell centres rotated by each minutia's direction: (n, cells, 2)
    rot_x = offsets[None, :, 0] * cos[:, None] - offsets[None, :, 1] * sin[:, None]
    rot_y = offsets[None, :, 0] * sin[:, None] + offsets[None, :, 1] * cos[:, None]
    centres = np.stack([points[:, None, 0] + rot_x, points[:, None, 1] + rot_y], axis=-1)

    hull = _convex_hull(points)
    cell_valid = (_outside_hull_distance(hull, centres) <= params.omega) & in_circle[None, :]

    # spatial term: (n, cells, n), neighbours within 3 sigma of the cell centre, never itself;
    # float32 and the |c|^2 + |p|^2 - 2 c.p expansion keep this a matrix product
    c32 = centres.astype(np.float32).reshape(-1, 2)
    p32 = points.astype(np.float32)
    dist2 = ((c32 * c32).sum(1)[:, None] + (p32 * p32).sum(1)[None, :] - 2 * (c32 @ p32.T)).reshape(
        n, cells, n
    )
    spatial = np.exp(dist2 * np.float32(-1 / (2 * params.sigma_s**2)))
    spatial *= (dist2 <= np.float32((3 * params.sigma_s) ** 2)) * np.float32(
        1 / (params.sigma_s * math.sqrt(2 * math.pi))
    )
    spatial[np.arange(n), :, np.arange(n)] = 0.0

    # directional term: (n, n, nd), Gaussian mass of each section around the direction difference
    step_d = 2 * math.pi / params.nd
    section = -math.pi + (np.arange(params.nd) + 0.5) * step_d
    relative = _angle_diff(angles[:, None], angles[None, :])
    alpha = _angle_diff(section[None, None, :], relative[:, :, None])
    scale = params.sigma_d * math.sqrt(2)
    directional = 0.5 * (_erf((alpha + step_d / 2) / scale) - _erf((alpha - step_d / 2) / scale))

    total = np.matmul(spatial, directional.astype(np.float32))
    values = 1.0 / (
        1.0
        + np.exp(
            np.clip(np.float32(-params.tau_psi) * (total - np.float32(params.mu_psi)), -60.0, 60.0)
        )
    )
    values *= cell_valid[:, :, None]

    near = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    neighbours = (near <= params.radius + 3 * params.sigma_s).sum(axis=1) - 1
    keep = (cell_valid.sum(axis=1) >= params.min_valid_cells * circle_cells) & (
        neighbours >= params.min_neighbours
    )
    values = values[keep].astype(np.float32)
    mask = cell_valid[keep].astype(np.float32)
    qualities = t.qualities.astype(np.int64)
    reliable = (
        ((qualities == 0) | (qualities >= params.min_pair_quality))[keep]
        if qualities.any()
        else None
    )
    return Cylinders(
        values.reshape(-1, width),
        (values**2).sum(axis=2).astype(np.float32),
        mask,
        points[keep],
        angles[keep],
        circle_cells,
        reliable,
    )


def similarity_matrix(
    a: Cylinders, b: Cylinders, params: MccParameters = DEFAULT_PARAMETERS
) -> npt.NDArray[np.float64]:
    """Local similarities of every cylinder of ``a`` with every cylinder of ``b``.

    Zero where the pair is not matchable (too few common cells, or directions more than
    ``max_rotation`` apart).
    """
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    common = a.cell_mask @ b.cell_mask.T
    norm_a = np.sqrt(np.maximum(a.squares @ b.cell_mask.T, 0))
    norm_b = np.sqrt(np.maximum(a.cell_mask @ b.squares.T, 0))
    dot = a.values @ b.values.T
    dist = np.sqrt(np.maximum(norm_a**2 + norm_b**2 - 2 * dot, 0))
    denom = norm_a + norm_b
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(denom > 0, 1.0 - dist / denom, 0.0)
    ok = (common >= params.min_matchable * a.circle_cells) & (
        np.abs(_angle_diff(a.angles[:, None], b.angles[None, :])) <= params.max_rotation
    )
    return np.where(ok, sim, 0.0).astype(np.float64)


def pairs_count(n: int, params: MccParameters = DEFAULT_PARAMETERS) -> int:
    """n_P: how many consistent pairs the score averages, for ``n`` minutiae."""
    z = 1.0 / (1.0 + math.exp(-params.tau_p * (n - params.mu_p)))
    return params.min_np + round(z * (params.max_np - params.min_np))


def _top_pairs(sim: npt.NDArray[np.float64], count: int) -> tuple[npt.NDArray[np.intp], ...]:
    """Up to ``count`` pairs in decreasing similarity, each minutia used at most once."""
    flat = sim.ravel()
    positive = np.nonzero(flat > 0)[0]
    order = positive[np.argsort(-flat[positive], kind="stable")]
    cols = sim.shape[1]
    used_r: set[int] = set()
    used_c: set[int] = set()
    chosen_r: list[int] = []
    chosen_c: list[int] = []
    for k in order.tolist():
        r, c = divmod(k, cols)
        if r in used_r or c in used_c:
            continue
        used_r.add(r)
        used_c.add(c)
        chosen_r.append(r)
        chosen_c.append(c)
        if len(chosen_r) >= count:
            break
    return np.asarray(chosen_r, np.intp), np.asarray(chosen_c, np.intp)


def consolidate(
    a: Cylinders,
    b: Cylinders,
    sim: npt.NDArray[np.float64],
    params: MccParameters = DEFAULT_PARAMETERS,
) -> float:
    """LSS-R: relax the best local pairs by their geometric compatibility and score them.

    :param a: the first template's cylinders.
    :param b: the second template's cylinders.
    :param sim: their :func:`similarity_matrix`.
    """
    n_min = min(len(a), len(b))
    if n_min == 0:
        return 0.0
    n_p = pairs_count(n_min, params)
    ia, ib = _top_pairs(sim, n_min)
    if len(ia) == 0:
        return 0.0
    lam0 = sim[ia, ib]
    if len(ia) == 1:
        return float(lam0[0]) * min(1.0, 1.0 / n_p)
    pa, pb = a.points[ia], b.points[ib]
    ta, tb = a.angles[ia], b.angles[ib]
    da = pa[:, None, :] - pa[None, :, :]
    db = pb[:, None, :] - pb[None, :, :]
    d1 = np.abs(np.hypot(da[..., 0], da[..., 1]) - np.hypot(db[..., 0], db[..., 1]))
    d2 = np.abs(
        _angle_diff(_angle_diff(ta[:, None], ta[None, :]), _angle_diff(tb[:, None], tb[None, :]))
    )
    # direction of each minutia relative to the segment joining it to the other one
    ra = _angle_diff(ta[:, None], np.arctan2(-da[..., 1], -da[..., 0]))
    rb = _angle_diff(tb[:, None], np.arctan2(-db[..., 1], -db[..., 0]))
    d3 = np.abs(_angle_diff(ra, rb))
    rho = (
        _sigmoid(d1, params.mu_distance, params.tau_distance)
        * _sigmoid(d2, params.mu_angle, params.tau_angle)
        * _sigmoid(d3, params.mu_angle, params.tau_angle)
    )
    np.fill_diagonal(rho, 0.0)
    lam = lam0.copy()
    w = params.relaxation_weight
    for _ in range(params.relaxation_steps):
        lam = w * lam + (1 - w) * (rho @ lam) / (len(lam) - 1)
    efficiency = lam / lam0
    best = np.argsort(efficiency)[::-1][:n_p]
    # fewer consistent pairs than n_p counts as zeros, so tiny overlaps cannot score high
    return float(lam[best].sum() / n_p)


def match(a: Cylinders, b: Cylinders, params: MccParameters = DEFAULT_PARAMETERS) -> float:
    """Similarity of two templates' cylinders, in [0, 1].

    When both templates report minutia qualities, only their reliable minutiae (see
    ``MccParameters.min_pair_quality``) are paired: unreliable ones (mindtct: low-quality
    blocks, the impression's border) inflate n_P and pair by chance, which cost most on small
    impressions (FVC2002 DB3). Qualities from different extractors are not comparable, so a
    comparison where one side reports none uses every minutia of both.

    :param a: cylinders of the first template (see :func:`cylinders`).
    :param b: cylinders of the second template, computed with the same parameters.
    """
    if a.reliable is not None and b.reliable is not None:
        a, b = a.reliable_only(params.min_np), b.reliable_only(params.min_np)
    return consolidate(a, b, similarity_matrix(a, b, params), params)


def match_templates(
    a: FingerTemplate, b: FingerTemplate, params: MccParameters = DEFAULT_PARAMETERS
) -> float:
    """Convenience: compute both templates' cylinders and :func:`match` them."""
    return match(cylinders(a, params), cylinders(b, params), params)
