"""The 1:N gallery's cascade: exact top-k on face-like and on unstructured templates."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from workstation.face import FaceGallery, FaceTemplate
from workstation.face.gallery import STAGES, fit_basis

SEED = 20240611
AXES = np.linalg.qr(np.random.default_rng(7).standard_normal((128, 128)))[0]


def face_like(rng: np.random.Generator, n: int, span: int = 80, decay: float = 12.0) -> np.ndarray:
    """Unit rows around a common mean with variance in a few directions, as face templates
    are (see ``TemplateModel`` in ``ui/cli_face.py`` for the full model)."""
    axes = AXES
    scales = 0.35 * np.exp(-np.arange(span) / decay)
    x = 0.93 * axes[:, 0] + (rng.standard_normal((n, span)) * scales) @ axes[:, 1 : 1 + span].T
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def spread(rng: np.random.Generator, n: int) -> np.ndarray:
    """Between the two: variance over 120 directions, so that every stage prunes some rows."""
    return face_like(rng, n, span=120, decay=40.0)


def isotropic(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, 128)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute_force(ids: list[str], matrix: np.ndarray, probe: np.ndarray, k: int) -> list[str]:
    scores = matrix.astype(np.float64) @ probe.astype(np.float64)
    return [ids[n] for n in np.argsort(-scores, kind="stable")[:k]]


def assert_exact(
    gallery: FaceGallery, model: dict[str, np.ndarray], probe: np.ndarray, k: int
) -> None:
    ids = list(model)
    matrix = np.array([model[i] for i in ids])
    hits = gallery.search(FaceTemplate(probe), k)
    assert [h.id for h in hits] == brute_force(ids, matrix, probe, k)
    for hit in hits:
        assert hit.score == pytest.approx(float(model[hit.id] @ probe), abs=1e-5)


@pytest.mark.parametrize("data", [face_like, spread, isotropic])
@pytest.mark.parametrize("k", [1, 10, 64])
def test_cascade_returns_the_exact_top_k(
    data: Callable[[np.random.Generator, int], np.ndarray], k: int
) -> None:
    rng = np.random.default_rng(SEED + k)
    matrix = data(rng, 6000)
    ids = [f"e{n}" for n in range(len(matrix))]
    gallery = FaceGallery(capacity=10, two_stage_min_rows=1000)
    gallery.add_many(ids, matrix)
    assert gallery.staged
    model = dict(zip(ids, matrix, strict=True))
    # Probes: new people, and mates (an entry plus a little noise) that must come first.
    for probe in data(rng, 8):
        assert_exact(gallery, model, probe, k)
    for row in rng.choice(len(matrix), 8, replace=False):
        mate = matrix[row] + 0.02 * isotropic(rng, 1)[0]
        mate /= np.linalg.norm(mate)
        assert gallery.search(FaceTemplate(mate), k)[0].id == ids[row]
        assert_exact(gallery, model, mate, k)


def test_cascade_stays_exact_through_updates() -> None:
    rng = np.random.default_rng(SEED)
    gallery = FaceGallery(capacity=4, two_stage_min_rows=500)
    model: dict[str, np.ndarray] = {}
    start = face_like(rng, 700)
    gallery.add_many([f"s{n}" for n in range(700)], start)
    model.update({f"s{n}": v for n, v in enumerate(start)})
    assert gallery.staged
    for step in range(600):
        action = int(rng.integers(0, 4))
        if action == 0:
            key, vector = f"a{step}", face_like(rng, 1)[0]
            gallery.add(key, FaceTemplate(vector))
            model[key] = vector
        elif action == 1:
            victim = sorted(model)[int(rng.integers(0, len(model)))]
            gallery.remove(victim)
            del model[victim]
        elif action == 2:
            victim = sorted(model)[int(rng.integers(0, len(model)))]
            vector = face_like(rng, 1)[0]
            gallery.replace(victim, FaceTemplate(vector))
            model[victim] = vector
        else:
            # An outlier far from the fitted directions must still be found.
            key, vector = f"o{step}", isotropic(rng, 1)[0]
            gallery.add(key, FaceTemplate(vector))
            model[key] = vector
            assert gallery.search(FaceTemplate(vector), 1)[0].id == key
            assert_exact(gallery, model, vector, 10)
        if step % 50 == 0:
            assert_exact(gallery, model, face_like(rng, 1)[0], 10)
    assert set(gallery.ids()) == set(model)
    for key in list(model)[:50]:
        assert np.allclose(gallery.template(key).vector, model[key], atol=1e-6)
        assert_exact(gallery, model, model[key], 5)


def test_shrinking_and_reloading_keep_the_search_exact() -> None:
    rng = np.random.default_rng(SEED + 1)
    gallery = FaceGallery(two_stage_min_rows=300)
    first = face_like(rng, 3000)
    gallery.add_many([f"f{n}" for n in range(3000)], first)
    gallery.remove_many([f"f{n}" for n in range(2600)])  # the first block shrinks
    model = {f"f{n}": first[n] for n in range(2600, 3000)}
    assert gallery.staged and len(gallery) == 400
    assert_exact(gallery, model, face_like(rng, 1)[0], 10)
    # A reload bringing most of the entries refits the basis, here on other data.
    second = isotropic(rng, 2000)
    gallery.add_many([f"r{n}" for n in range(2000)], second)
    model.update({f"r{n}": second[n] for n in range(2000)})
    for probe in (*face_like(rng, 3), *isotropic(rng, 3)):
        assert_exact(gallery, model, probe, 10)
    # Below the size limit the gallery falls back to one product, still exact.
    gallery.remove_many(list(model)[:2200])
    model = {key: model[key] for key in list(model)[2200:]}
    assert not gallery.staged
    assert_exact(gallery, model, face_like(rng, 1)[0], 10)


def test_memory_is_reported_for_the_cascade() -> None:
    rng = np.random.default_rng(SEED)
    small = FaceGallery(capacity=1000, two_stage_min_rows=2000)
    small.add_many([str(n) for n in range(1000)], face_like(rng, 1000))
    large = FaceGallery(capacity=1000, two_stage_min_rows=500)
    large.add_many([str(n) for n in range(1000)], face_like(rng, 1000))
    assert small.nbytes == 1024 * (512 + 4)
    # Rows and score buffer, two blocks of coordinates, two tail norms, two buffers.
    assert large.nbytes >= small.nbytes + 1000 * (4 * STAGES[1] + 2 * 4 + 2 * 4)


def test_fit_basis_is_orthonormal_and_strongest_first() -> None:
    rng = np.random.default_rng(SEED)
    rows = face_like(rng, 2000)
    basis = fit_basis(rows)
    assert basis.shape == (128, 128)
    assert np.allclose(basis @ basis.T, np.eye(128), atol=1e-5)
    energy = ((rows @ basis.T) ** 2).mean(axis=0)
    assert np.all(np.diff(energy) <= 1e-6)
    # Face-like rows: the first 32 directions hold almost all of their length.
    assert energy[:32].sum() > 0.97


def test_searches_during_updates_see_a_consistent_staged_gallery() -> None:
    rng = np.random.default_rng(SEED)
    gallery = FaceGallery(two_stage_min_rows=1000)
    gallery.add_many([f"base{n}" for n in range(3000)], face_like(rng, 3000))
    target = face_like(rng, 1)[0]
    gallery.add("target", FaceTemplate(target))
    stop = threading.Event()
    errors: list[str] = []

    def churn() -> None:
        local = np.random.default_rng(1)
        n = 0
        while not stop.is_set():
            gallery.add(f"new{n}", FaceTemplate(face_like(local, 1)[0]))
            gallery.replace(f"base{n % 3000}", FaceTemplate(face_like(local, 1)[0]))
            gallery.remove(f"new{n}")
            n += 1

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(200):
            hits = gallery.search(FaceTemplate(target), 3)
            if hits[0].id != "target" or len(hits) != 3:
                errors.append("lost target")
    finally:
        stop.set()
        worker.join()
    assert not errors
