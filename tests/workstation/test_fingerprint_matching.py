from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from workstation.fingerprint import evaluation, iso19794_2, mcc
from workstation.fingerprint.template import FingerTemplate

FVC = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingerprints" / "fvc2002"
needs_fvc = pytest.mark.skipif(not FVC.is_dir(), reason="shared FVC2002 data absent")


def random_template(n: int = 40, seed: int = 0) -> FingerTemplate:
    rng = np.random.default_rng(seed)
    pts = np.column_stack(
        [rng.uniform(40, 260, n), rng.uniform(40, 360, n), rng.uniform(0, 2 * math.pi, n)]
    )
    return FingerTemplate(pts, width=300, height=400)


def moved(
    t: FingerTemplate,
    angle: float,
    dx: float,
    dy: float,
    seed: int = 1,
    drop: float = 0.0,
    jitter: float = 0.0,
) -> FingerTemplate:
    rng = np.random.default_rng(seed)
    m = t.minutiae.copy()
    keep = rng.random(len(m)) >= drop
    m = m[keep]
    c, s = math.cos(angle), math.sin(angle)
    # rotate on screen: y grows downwards, angles are counter-clockwise
    x, y = m[:, 0] - 150, m[:, 1] - 200
    m[:, 0] = c * x + s * y + 150 + dx + rng.normal(0, jitter, len(m))
    m[:, 1] = -s * x + c * y + 200 + dy + rng.normal(0, jitter, len(m))
    m[:, 2] = m[:, 2] + angle
    return FingerTemplate(m, width=300, height=400)


@pytest.mark.parametrize(
    ("angle", "dx", "dy", "drop", "jitter"),
    [
        (0.0, 0, 0, 0.0, 0.0),
        (0.4, 20, -15, 0.0, 0.0),
        (-0.6, -30, 25, 0.2, 2.0),
        (1.2, 5, 5, 0.1, 1.5),
    ],
)
def test_matching_is_invariant_to_rigid_motion(
    angle: float, dx: float, dy: float, drop: float, jitter: float
) -> None:
    t = random_template()
    genuine = mcc.match_templates(t, moved(t, angle, dx, dy, drop=drop, jitter=jitter))
    impostor = mcc.match_templates(t, random_template(seed=99))
    assert genuine > 0.5
    assert impostor < 0.2
    assert genuine > 3 * impostor


def test_identical_templates_score_near_one_and_symmetric() -> None:
    a, b = random_template(seed=3), moved(random_template(seed=3), 0.3, 10, 10, drop=0.15)
    assert mcc.match_templates(a, a) > 0.95
    assert mcc.match_templates(a, b) == pytest.approx(mcc.match_templates(b, a), abs=0.1)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_templates_score_zero(n: int) -> None:
    tiny = random_template(n)
    assert mcc.match_templates(tiny, random_template()) == 0.0


def test_resolution_is_normalised() -> None:
    t = random_template(seed=5)
    m = t.minutiae.copy()
    m[:, :2] *= 2
    hires = FingerTemplate(m, width=600, height=800, resolution=394)
    assert mcc.match_templates(t, hires) > 0.9


def test_convex_hull_and_distance() -> None:
    square = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [5, 5]], float)
    hull = mcc._convex_hull(square)
    assert len(hull) == 4
    d = mcc._outside_hull_distance(hull, np.array([[5.0, 5.0], [15.0, 5.0], [5.0, -3.0]]))
    assert d[0] < 0 and d[1] == pytest.approx(5) and d[2] == pytest.approx(3)


def test_erf_approximation() -> None:
    xs = np.linspace(-4, 4, 101)
    assert np.allclose(mcc._erf(xs), [math.erf(x) for x in xs], atol=2e-7)


# evaluation


def test_fvc_pairs_counts() -> None:
    names = [f"{f}_{i}" for f in range(101, 111) for i in range(1, 9)]
    pairs = evaluation.fvc_pairs(names + ["readme"])
    genuine = [p for p in pairs if p[2]]
    impostor = [p for p in pairs if not p[2]]
    assert len(genuine) == 280 and len(impostor) == 45
    assert all(a.split("_")[0] == b.split("_")[0] for a, b, _ in genuine)
    assert all(a.endswith("_1") and b.endswith("_1") for a, b, _ in impostor)


@pytest.mark.parametrize(
    ("genuine", "impostor", "eer", "zero"),
    [
        ([0.9, 0.8, 0.7, 0.6], [0.1, 0.2, 0.3], 0.0, 0.0),
        ([0.9, 0.8, 0.2, 0.6], [0.1, 0.5, 0.3], 0.25, 0.25),
        ([0.1, 0.2], [0.8, 0.9], 1.0, 1.0),
    ],
)
def test_error_rates(genuine: list[float], impostor: list[float], eer: float, zero: float) -> None:
    r = evaluation.error_rates(genuine, impostor)
    assert r.eer == pytest.approx(eer, abs=0.13)
    assert r.zero_fmr == pytest.approx(zero)
    assert r.fmr100 <= r.fmr1000 <= r.zero_fmr


def test_error_rates_need_both_sides() -> None:
    with pytest.raises(ValueError, match="genuine and impostor"):
        evaluation.error_rates([], [0.1])


def test_failures_to_acquire_score_lowest_and_are_kept() -> None:
    samples = {"101_1": 1.0, "101_2": None, "102_1": 0.5}
    comps = evaluation.score_pairs(samples, evaluation.fvc_pairs(list(samples)), lambda a, b: 0.7)
    assert len(comps) == 2  # 101_1/101_2 genuine, 101_1/102_1 impostor: none dropped
    genuine = next(c for c in comps if c.genuine)
    assert genuine.score == 0.0


@needs_fvc
@pytest.mark.parametrize("db", ["DB1_B", "DB4_B"])
def test_iso_templates_separate_genuine_from_impostor(db: str) -> None:
    """Three fingers of real third-party records: every genuine pair beats every impostor."""
    cyl = {
        p.stem: mcc.cylinders(iso19794_2.load_template(p.read_bytes()))
        for f in ("101", "102", "103")
        for p in sorted((FVC / db).glob(f"{f}_[1-4].iso"))
    }
    comps = evaluation.score_pairs(cyl, evaluation.fvc_pairs(list(cyl)), mcc.match)
    genuine = [c.score for c in comps if c.genuine]
    impostor = [c.score for c in comps if not c.genuine]
    assert len(genuine) == 18 and len(impostor) == 3
    assert np.median(genuine) > 3 * max(impostor)


def test_resampled_template_maps_back() -> None:
    t = random_template(seed=8)
    stretched = t.resampled(390, 370)
    assert (stretched.width, stretched.height) == (390, 370)
    assert np.allclose(stretched.minutiae[:, 0], t.minutiae[:, 0] * 1.3)
    back = stretched.resampled(300, 400)
    assert np.allclose(back.minutiae, t.minutiae)
    assert mcc.match_templates(back, t) > 0.95


def test_resampled_needs_a_size() -> None:
    with pytest.raises(ValueError, match="image size"):
        FingerTemplate.from_points([[1, 2, 0]]).resampled(10, 10)
