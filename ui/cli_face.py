"""``sekisho face``: compare, search and evaluate from the command line, and face benchmarks.

Exit codes: ``compare`` returns 0 for a match, 1 for no match; every command returns 2 when
an input cannot be used (unreadable file, no face in a compared image).
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import json
import logging
import re
import shlex
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from PIL import Image, ImageOps

from devices.camera.fake import IMAGE_SUFFIXES, SimulatedCamera
from ui.benchmarks import BenchRow
from workstation.errors import CaptureFailed
from workstation.face import (
    CalibrationTable,
    FaceEncoder,
    FaceGallery,
    FaceMatcher,
    FaceTemplate,
    MatchResult,
    QualityLimits,
    assess_quality,
    error_rates,
    head_pose,
    held_out_rates,
    load_calibration,
    rank_one_rate,
)
from workstation.face.templates import TEMPLATE_DIMENSIONS

logger = logging.getLogger(__name__)

TARGETS = (0.001, 0.0005)
"""The FMR operating points ``evaluate`` reports."""

LOWEST_SIMILARITY = -1.0
"""Score given to every comparison involving a failure to acquire (ISO/IEC 19795-1)."""

EXIT_MATCH, EXIT_NO_MATCH, EXIT_UNUSABLE = 0, 1, 2

EncoderFactory = Callable[[], FaceEncoder]


def _dlib_encoder() -> FaceEncoder:
    from devices.biometrics.dlib_encoder import DlibFaceEncoder

    return DlibFaceEncoder()


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    encoder_factory: EncoderFactory = _dlib_encoder,
) -> None:
    """Add the ``face`` command group.

    :param subparsers: the ``sekisho`` parser's sub-parsers.
    :param encoder_factory: builds the encoder (tests may pass a fake).
    """
    face = subparsers.add_parser("face", help="face comparison, search and evaluation")
    commands = face.add_subparsers(dest="face_command", required=True, metavar="COMMAND")

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--target-fmr",
            type=float,
            default=0.0005,
            help="false-match rate the threshold is set for (default 0.0005 = 0.05 %%)",
        )
        parser.add_argument(
            "--calibration", type=Path, help="calibration table (default: the shipped one)"
        )
        parser.set_defaults(encoder_factory=encoder_factory)

    compare = commands.add_parser(
        "compare", help="compare two face images (exit 0: match, 1: no match, 2: unusable)"
    )
    compare.add_argument("first", type=Path, metavar="A")
    compare.add_argument("second", type=Path, metavar="B")
    compare.add_argument("--json", action="store_true", help="print JSON")
    common(compare)
    compare.set_defaults(func=cmd_compare)

    search = commands.add_parser("search", help="search a face among a folder of images (1:N)")
    search.add_argument("image", type=Path, metavar="IMAGE")
    search.add_argument(
        "--gallery",
        type=Path,
        required=True,
        metavar="DIR",
        help="images to search; ids are file names (or folder/file for sub-folders)",
    )
    search.add_argument("-k", type=int, default=5, help="candidates to list (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    common(search)
    search.set_defaults(func=cmd_search)

    evaluate = commands.add_parser(
        "evaluate", help="measure accuracy on a folder with one sub-folder per person"
    )
    evaluate.add_argument("directory", type=Path, metavar="DIR")
    evaluate.add_argument(
        "--scores", type=Path, metavar="FILE", help="write every comparison as CSV"
    )
    evaluate.add_argument(
        "--write-calibration",
        type=Path,
        metavar="FILE",
        help="write a calibration table computed from this set",
    )
    evaluate.add_argument(
        "--frontal-only",
        action="store_true",
        help="leave out images whose head pose is outside the capture's limits",
    )
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    common(evaluate)
    evaluate.set_defaults(func=cmd_evaluate)


def _matcher(args: argparse.Namespace) -> FaceMatcher:
    return FaceMatcher(load_calibration(args.calibration), args.target_fmr)


def _result_dict(result: MatchResult) -> dict[str, Any]:
    return {
        "score": round(result.score, 6),
        "threshold": round(result.threshold, 6),
        "decision": result.decision.value,
        "false_match_rate": result.false_match_rate,
        "strength": result.strength.code,
        "strength_text": result.strength.text,
    }


def _encode_file(encoder: FaceEncoder, path: Path) -> FaceTemplate:
    return encoder.encode(path.read_bytes())


def cmd_compare(args: argparse.Namespace) -> int:
    """``sekisho face compare A B [--json]``."""
    matcher = _matcher(args)
    encoder: FaceEncoder = args.encoder_factory()
    templates = []
    for path in (args.first, args.second):
        try:
            templates.append(_encode_file(encoder, path))
        except OSError as e:
            print(f"{path}: cannot read ({e.strerror})", file=sys.stderr)
            return EXIT_UNUSABLE
        except CaptureFailed as e:
            print(f"{path}: {e.code}", file=sys.stderr)
            return EXIT_UNUSABLE
    result = matcher.verify(templates[0], templates[1])
    if args.json:
        print(json.dumps(_result_dict(result), indent=2))
    else:
        verdict = "MATCH" if result.matched else "NO MATCH"
        print(f"{verdict}: similarity {result.score:.4f} (threshold {result.threshold:.4f})")
        print(f"A different person scores this high {result.strength.text}.")
    return EXIT_MATCH if result.matched else EXIT_NO_MATCH


def _images(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )


def cmd_search(args: argparse.Namespace) -> int:
    """``sekisho face search IMAGE --gallery DIR [-k N] [--json]``."""
    matcher = _matcher(args)
    encoder: FaceEncoder = args.encoder_factory()
    try:
        probe = _encode_file(encoder, args.image)
    except (OSError, CaptureFailed) as e:
        print(f"{args.image}: {getattr(e, 'code', 'cannot read')}", file=sys.stderr)
        return EXIT_UNUSABLE
    if not args.gallery.is_dir():
        print(f"{args.gallery}: not a folder", file=sys.stderr)
        return EXIT_UNUSABLE
    gallery = FaceGallery()
    failed: list[str] = []
    for path in _images(args.gallery):
        entry_id = path.relative_to(args.gallery).as_posix()
        try:
            gallery.add(entry_id, _encode_file(encoder, path))
        except (OSError, CaptureFailed):
            failed.append(entry_id)
    hits = gallery.search(probe, args.k) if len(gallery) else ()
    results = [(hit.id, matcher.assess(hit.score)) for hit in hits]
    if args.json:
        doc = {
            "gallery_size": len(gallery),
            "failed_to_acquire": failed,
            "candidates": [{"id": i, **_result_dict(r)} for i, r in results],
        }
        print(json.dumps(doc, indent=2))
    else:
        print(f"Searched {len(gallery)} faces ({len(failed)} gallery images had no usable face).")
        for rank, (entry_id, r) in enumerate(results, 1):
            flag = "MATCH" if r.matched else "     "
            print(f"{rank:3d}. {flag} {r.score:.4f}  {r.strength.text:<45} {entry_id}")
    return EXIT_MATCH


@dataclass(frozen=True)
class _Sample:
    subject: str
    path: Path
    template: FaceTemplate | None
    frontal: bool | None = None


def _is_frontal(encoder: FaceEncoder, path: Path, limits: QualityLimits) -> bool | None:
    """Whether the largest face's pose is within the capture limits (``None``: no face)."""
    with Image.open(path) as image:
        rgb = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
    found = encoder.detect(rgb, upsample=True)
    if not found:
        return None
    yaw, pitch, roll = head_pose(found[0].landmarks)
    return (
        (yaw is None or abs(yaw) <= limits.max_yaw_deg)
        and (pitch is None or abs(pitch) <= limits.max_pitch_deg)
        and abs(roll) <= limits.max_roll_deg
    )


def _load_samples(
    directory: Path,
    encoder: FaceEncoder,
    progress: Callable[[int, int], None],
    pose_limits: QualityLimits | None = None,
) -> list[_Sample]:
    subjects = sorted(p for p in directory.iterdir() if p.is_dir())
    files = [(s.name, f) for s in subjects for f in _images(s)]
    samples = []
    for n, (subject, path) in enumerate(files, 1):
        try:
            template: FaceTemplate | None = _encode_file(encoder, path)
        except CaptureFailed:
            template = None
        frontal = None
        if pose_limits is not None and template is not None:
            frontal = _is_frontal(encoder, path, pose_limits)
        samples.append(_Sample(subject, path, template, frontal))
        progress(n, len(files))
    return samples


def _score_matrix(samples: Sequence[_Sample]) -> np.ndarray:
    vectors = np.zeros((len(samples), TEMPLATE_DIMENSIONS), dtype=np.float64)
    acquired = np.array([s.template is not None for s in samples])
    for n, s in enumerate(samples):
        if s.template is not None:
            vectors[n] = s.template.vector
    scores = vectors @ vectors.T
    scores[~acquired, :] = LOWEST_SIMILARITY
    scores[:, ~acquired] = LOWEST_SIMILARITY
    return scores


def _natural_key(text: str) -> tuple[Any, ...]:
    """``s2`` before ``s10``, ``2.pgm`` before ``10.pgm``."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text))


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``sekisho face evaluate DIR [--scores FILE] [--write-calibration FILE] [--json]``."""
    directory: Path = args.directory
    if not directory.is_dir():
        print(f"{directory}: not a folder", file=sys.stderr)
        return EXIT_UNUSABLE
    encoder: FaceEncoder = args.encoder_factory()

    def progress(done: int, total: int) -> None:
        if not args.json and (done % 50 == 0 or done == total):
            print(f"  encoded {done}/{total}", file=sys.stderr)

    limits = QualityLimits() if args.frontal_only else None
    samples = _load_samples(directory, encoder, progress, limits)
    # A booth retakes a capture outside the pose limits: such images are left out, not
    # scored as failures (images without any face still are).
    not_frontal = [s.path.relative_to(directory).as_posix() for s in samples if s.frontal is False]
    samples = [s for s in samples if s.frontal is not False]
    samples.sort(key=lambda s: (_natural_key(s.subject), _natural_key(s.path.name)))
    subjects = sorted({s.subject for s in samples}, key=_natural_key)
    if len(subjects) < 2 or len(samples) < 3:
        print("need at least two people with images", file=sys.stderr)
        return EXIT_UNUSABLE
    scores = _score_matrix(samples)
    labels = np.array([s.subject for s in samples])
    upper = np.triu_indices(len(samples), 1)
    genuine_mask = (labels[:, None] == labels[None, :])[upper]
    pair_scores = scores[upper]
    genuine, impostor = pair_scores[genuine_mask], pair_scores[~genuine_mask]
    if genuine.size == 0:
        print("need at least two images of one person", file=sys.stderr)
        return EXIT_UNUSABLE
    rates = error_rates(genuine, impostor, TARGETS)
    # Where the misses come from: genuine pairs rejected at the strictest target's threshold.
    strictest = rates.fnmr_at_fmr[min(TARGETS)][1]
    rejected = collections.Counter(
        str(labels[a])
        for a, ok in zip(upper[0], genuine_mask & (pair_scores < strictest), strict=True)
        if ok
    )
    held_out = {}
    if len(subjects) >= 4:
        for target in TARGETS:
            held_out[target] = held_out_rates(scores, labels.tolist(), target)

    # Rank-1: the first image of each person is the gallery, the others probe it.
    gallery_rows = [
        next(n for n, s in enumerate(samples) if s.subject == subj) for subj in subjects
    ]
    probe_rows = [n for n in range(len(samples)) if n not in set(gallery_rows)]
    rank1 = (
        rank_one_rate(
            scores[np.ix_(probe_rows, gallery_rows)],
            [samples[n].subject for n in probe_rows],
            [samples[n].subject for n in gallery_rows],
        )
        if probe_rows
        else float("nan")
    )
    failed = [s.path.relative_to(directory).as_posix() for s in samples if s.template is None]
    rel = [s.path.relative_to(directory).as_posix() for s in samples]

    if args.scores:
        with args.scores.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["probe", "reference", "genuine", "score"])
            for a, b, is_genuine, score in zip(
                upper[0], upper[1], genuine_mask, pair_scores, strict=True
            ):
                writer.writerow([rel[a], rel[b], int(is_genuine), f"{score:.6f}"])

    shipped: dict[str, float] | None = None
    try:
        matcher = _matcher(args)
    except (OSError, ValueError) as e:
        logger.info("no calibration to check against: %s", e)
    else:
        t = matcher.threshold
        shipped = {
            "target_fmr": args.target_fmr,
            "threshold": t,
            "fmr": float(np.mean(impostor >= t)),
            "fnmr": float(np.mean(genuine < t)),
        }

    if args.write_calibration:
        command = "sekisho face evaluate " + shlex.quote(directory.name) + " --write-calibration"
        table = CalibrationTable.from_scores(
            genuine,
            impostor,
            source=(
                f"{directory.name}: {len(subjects)} people, {len(samples)} images, all pairs; "
                f"{len(failed)} failures to acquire scored {LOWEST_SIMILARITY}; made by '{command}'"
            ),
            encoder=getattr(encoder, "name", type(encoder).__name__),
        )
        args.write_calibration.write_text(table.to_json(), encoding="utf-8")

    report: dict[str, Any] = {
        "people": len(subjects),
        "images": len(samples),
        "failures_to_acquire": failed,
        "failure_to_acquire_rate": len(failed) / len(samples),
        "genuine_comparisons": rates.genuine_count,
        "impostor_comparisons": rates.impostor_count,
        "eer": rates.eer,
        "eer_threshold": rates.eer_threshold,
        "fnmr_at_fmr": {
            str(k): {"fnmr": v[0], "threshold": v[1], "achieved_fmr": v[2]}
            for k, v in rates.fnmr_at_fmr.items()
        },
        "rank1": rank1,
        "rank1_probes": len(probe_rows),
        "rejected_genuine_by_subject": dict(rejected.most_common()),
        "held_out": {
            str(t): {
                "splits": h.splits,
                "fnmr_mean": h.fnmr_mean,
                "fnmr_p10": h.fnmr_low,
                "fnmr_p90": h.fnmr_high,
                "fmr_mean": h.fmr_mean,
            }
            for t, h in held_out.items()
        },
        "not_frontal": not_frontal if args.frontal_only else None,
        "shipped_threshold": shipped,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{len(subjects)} people, {len(samples)} images")
    if limits is not None:
        print(
            f"Frontal only: {len(not_frontal)} images left out, outside the capture's pose "
            f"limits (yaw {limits.max_yaw_deg:g}, pitch {limits.max_pitch_deg:g}, roll "
            f"{limits.max_roll_deg:g} degrees)"
        )
    print(
        f"Failure to acquire: {len(failed)} of {len(samples)} "
        f"({100 * len(failed) / len(samples):.2f} %); scored {LOWEST_SIMILARITY}, not dropped"
    )
    for path in failed:
        print(f"  no face: {path}")
    print(f"Comparisons: {rates.genuine_count} genuine, {rates.impostor_count} impostor")
    print(f"EER: {100 * rates.eer:.2f} % (at similarity {rates.eer_threshold:.4f})")
    for target, (fnmr, t, achieved) in rates.fnmr_at_fmr.items():
        print(
            f"FNMR at FMR {100 * target:.2f} %: {100 * fnmr:.2f} % "
            f"(threshold {t:.4f}, measured FMR {100 * achieved:.3f} %)"
        )
    print(
        f"Rank-1 identification (1 gallery image per person, {len(probe_rows)} probes): "
        f"{100 * rank1:.2f} %"
    )
    if rejected:
        people = ", ".join(f"{name} {count}" for name, count in rejected.most_common())
        print(
            f"Genuine comparisons rejected at FMR {100 * min(TARGETS):.2f} %, by person: {people}"
        )
    for target, h in held_out.items():
        print(
            f"Held out (threshold for FMR {100 * target:.2f} % chosen on a random half of the "
            f"people, measured on the other; {h.splits} splits, both ways): FNMR mean "
            f"{100 * h.fnmr_mean:.2f} % (10th-90th percentile {100 * h.fnmr_low:.2f}-"
            f"{100 * h.fnmr_high:.2f} %), FMR mean {100 * h.fmr_mean:.3f} %"
        )
    if shipped:
        print(
            f"Shipped threshold for FMR {100 * args.target_fmr:.2f} % ({shipped['threshold']:.4f})"
            f" on this set: FMR {100 * shipped['fmr']:.3f} %, FNMR {100 * shipped['fnmr']:.2f} %"
        )
    return 0


# Benchmarks


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _mib(nbytes: int) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


@dataclass(frozen=True)
class TemplateModel:
    """Synthetic templates with the shape of dlib face templates, for the 1:N benchmark.

    dlib's templates span only about 80 of their 128 dimensions (measured on ORL and on
    colour images: the singular values of any set of templates drop to zero after the 80th),
    around a mean that carries most of their length. The model draws a person as the mean
    plus a Gaussian in 79 directions with variances falling as exp(-i/12), and an image of
    that person as the person plus a smaller Gaussian falling as exp(-i/20) in other
    directions of the same span. The parameters were set so that the similarity of
    different people has ORL's median (0.86), 99th percentile (0.92) and 99.95th percentile
    (0.94), and two images of one person score 0.98 at the median, as on ORL.
    """

    mean: np.ndarray
    between: np.ndarray
    within: np.ndarray

    SPAN: ClassVar[int] = 79

    @classmethod
    def face_like(cls, seed: int = 2024) -> TemplateModel:
        rng = np.random.default_rng(seed)
        axes = np.linalg.qr(rng.standard_normal((TEMPLATE_DIMENSIONS, TEMPLATE_DIMENSIONS)))[0]
        span = axes[:, 1 : 1 + cls.SPAN]
        steps = np.arange(cls.SPAN)
        between = np.exp(-steps / 12.0)
        within = np.exp(-steps / 20.0)
        turn = np.linalg.qr(rng.standard_normal((cls.SPAN, cls.SPAN)))[0]
        return cls(
            mean=0.928 * axes[:, 0],
            between=(span * np.sqrt(0.120 * between / between.sum())).T,
            within=(span @ turn * np.sqrt(0.022 * within / within.sum())).T,
        )

    def people(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """``count`` new people (the centres their images scatter around)."""
        return self.mean + rng.standard_normal((count, self.SPAN)) @ self.between

    def images(self, rng: np.random.Generator, people: np.ndarray) -> np.ndarray:
        """One unit template per person."""
        x = people + rng.standard_normal((len(people), self.SPAN)) @ self.within
        return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _gallery_data(
    model: TemplateModel, rng: np.random.Generator, size: int, mates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``size`` templates of different people, and ``mates`` probes of some of them.

    :returns: the gallery matrix, the rows that have a mate, and the mates' templates.
    """
    matrix = np.empty((size, TEMPLATE_DIMENSIONS), dtype=np.float32)
    mated = np.sort(rng.choice(size, size=min(mates, size), replace=False))
    probes = np.empty((mated.size, TEMPLATE_DIMENSIONS), dtype=np.float32)
    chunk = 100_000
    for start in range(0, size, chunk):
        people = model.people(rng, min(chunk, size - start))
        matrix[start : start + len(people)] = model.images(rng, people)
        here = (mated >= start) & (mated < start + len(people))
        probes[here] = model.images(rng, people[mated[here] - start])
    return matrix, mated, probes


def _timed(search: Callable[[np.ndarray], object], probes: np.ndarray) -> list[float]:
    search(probes[0])  # warm up
    times = []
    for probe in probes:
        start = time.perf_counter()
        search(probe)
        times.append(1000 * (time.perf_counter() - start))
    return times


def _exact_top(matrix: np.ndarray, probe: np.ndarray, k: int) -> set[int]:
    scores = matrix @ probe
    return set(np.argpartition(-scores, k)[:k].tolist())


def _search_row(size: int, k: int, model: TemplateModel, rng: np.random.Generator) -> BenchRow:
    matrix, mated, mate_probes = _gallery_data(model, rng, size, mates=20)
    probes = np.concatenate([mate_probes, model.images(rng, model.people(rng, 20))])
    gallery = FaceGallery(capacity=size)
    gallery.add_many([f"wl-{n}" for n in range(size)], matrix)
    answers: list[set[int]] = []

    def ours(probe: np.ndarray) -> None:
        answers.append({int(h.id[3:]) for h in gallery.search(FaceTemplate(probe), k)})

    times = _timed(ours, probes)
    del answers[0]  # the warm-up
    exact = [_exact_top(matrix, p, k) for p in probes]
    recalled = sum(len(a & e) for a, e in zip(answers, exact, strict=True))
    # A mate counts where the exact search ranks it in the top k (a different person can
    # outrank it in a million); it must then be found.
    expected = [n for n, row in enumerate(mated) if row in exact[n]]
    mates_found = sum(int(mated[n]) in answers[n] for n in expected)
    reference = ""
    try:
        import faiss  # benchmark-only optional dependency
    except ImportError:
        pass
    else:
        index = faiss.IndexFlatIP(TEMPLATE_DIMENSIONS)
        index.add(matrix)
        faiss_times = _timed(lambda p: index.search(p[None, :], k), probes)
        reference = (
            f"FAISS IndexFlatIP {statistics.median(faiss_times):.2f} ms "
            f"(max {max(faiss_times):.1f}; {_mib(index.ntotal * 4 * TEMPLATE_DIMENSIONS)})"
        )
    return BenchRow(
        measure=(
            f"face 1:N search, {size:,} face-like entries, top-{k}, median of {len(probes)} probes"
        ),
        ours=(
            f"{statistics.median(times):.2f} ms (max {max(times):.1f}; "
            f"{gallery.nbytes / size:.0f} B/entry, {_mib(gallery.nbytes)}); "
            f"exact top-{k} recall {100 * recalled / (k * len(probes)):.1f} %, "
            f"mates found {mates_found}/{len(expected)}"
        ),
        reference=reference,
        target="<= 30 ms at 1M, not slower than FAISS" if size >= 1_000_000 else "",
    )


def _search_rows(sizes: Sequence[int], k: int = 10) -> list[BenchRow]:
    rng = np.random.default_rng(2024)
    model = TemplateModel.face_like()
    return [_search_row(size, k, model, rng) for size in sizes]


def _camera_rows(encoder: FaceEncoder) -> list[BenchRow]:
    camera = SimulatedCamera(fps=1000.0)
    stop = threading.Event()
    frames = []
    for frame in camera.frames(stop):
        frames.append(frame)
        if len(frames) == 10:
            stop.set()
    scale = (camera.capture_size or (frames[0].width, 0))[0] / frames[0].width

    cycle = itertools.cycle(frames)

    def preview() -> None:
        frame = next(cycle)
        assess_quality(frame, encoder.detect(frame.image), capture_scale=scale)

    preview_ms = _median_ms(preview, 10)
    captured = camera.capture()

    def to_template() -> None:
        detections = encoder.detect(captured.image, upsample=True)
        encoder.encode(captured.image, detections[0] if detections else None)

    capture_ms = _median_ms(to_template, 3)
    size = f"{captured.width}x{captured.height}"
    return [
        BenchRow(
            "face preview frame 640x480: detect + 68 landmarks + quality",
            f"{preview_ms:.1f} ms ({1000 / preview_ms:.0f} fps)",
            "",
            ">= 15 fps",
        ),
        BenchRow(
            f"face capture {size} to template (detect, upsampled; encode)", f"{capture_ms:.0f} ms"
        ),
    ]


def bench_rows(
    sizes: Sequence[int] = (10_000, 100_000, 1_000_000),
    encoder_factory: EncoderFactory | None = _dlib_encoder,
) -> list[BenchRow]:
    """Face rows for ``sekisho bench``: preview, capture-to-template and 1:N search.

    :param sizes: gallery sizes for the 1:N rows (synthetic random unit templates).
    :param encoder_factory: the encoder for the camera rows; ``None`` skips them.
    NOTE: the FAISS reference column is empty when ``faiss`` is not installed.
    """
    rows = _camera_rows(encoder_factory()) if encoder_factory is not None else []
    return rows + _search_rows(sizes)
