"""``sekisho finger``: compare, search and evaluate fingerprints from the command line.

``register(subparsers)`` adds the command group; each command takes the argparse namespace
and returns an exit code. ``bench_rows()`` feeds ``sekisho bench``.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ui.benchmarks import BenchRow
from workstation.errors import WorkstationError
from workstation.fingerprint import evaluation, iso19794_2, mcc
from workstation.fingerprint.template import FingerTemplate, MinutiaeExtractor

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".tif", ".tiff", ".png", ".bmp", ".jpg", ".jpeg", ".pgm", ".wsq")
TEMPLATE_SUFFIXES = (".iso", ".fmr", ".ist")
EXIT_OK, EXIT_ERROR, EXIT_ACQUIRE = 0, 1, 2


def _extractor() -> MinutiaeExtractor:
    from devices.fingerprint.nbis_backend import NbisMinutiaeExtractor

    return NbisMinutiaeExtractor()


class _Loader:
    """Turns a file into a template: ISO records are decoded, images go through mindtct."""

    def __init__(self) -> None:
        self._extractor: MinutiaeExtractor | None = None

    def load(self, path: Path) -> FingerTemplate:
        data = path.read_bytes()
        if iso19794_2.is_iso_record(data):
            return iso19794_2.load_template(data)
        if path.suffix.lower() in TEMPLATE_SUFFIXES:
            raise iso19794_2.IsoRecordError("not an ISO/IEC 19794-2:2005 record")
        if self._extractor is None:
            self._extractor = _extractor()
        return self._extractor.extract(data)


def _samples(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)


# compare


def cmd_compare(args: argparse.Namespace) -> int:
    """``finger compare A B [--json]``: the similarity of two impressions or templates."""
    loader = _Loader()
    try:
        a = loader.load(Path(args.a))
        b = loader.load(Path(args.b))
    except (OSError, ValueError, WorkstationError) as e:
        print(f"cannot process: {e}", file=sys.stderr)
        return EXIT_ACQUIRE
    start = time.perf_counter()
    score = mcc.match_templates(a, b)
    elapsed = time.perf_counter() - start
    if args.json:
        print(
            json.dumps(
                {
                    "a": str(args.a),
                    "b": str(args.b),
                    "score": round(score, 6),
                    "minutiae": [len(a), len(b)],
                    "matcher": "mcc-lssr",
                    "seconds": round(elapsed, 4),
                }
            )
        )
    else:
        print(f"similarity {score:.4f}  ({len(a)} and {len(b)} minutiae, {elapsed * 1000:.1f} ms)")
    return EXIT_OK


# search


def cmd_search(args: argparse.Namespace) -> int:
    """``finger search IMAGE_OR_ISO --gallery DIR``: the most similar enrolled fingers."""
    from workstation.fingerprint.index import FingerIndex

    if not args.gallery:
        print(
            "no gallery: pass --gallery DIR (a folder of .iso records or finger images)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    gallery = Path(args.gallery)
    if not gallery.is_dir():
        print(f"gallery {gallery} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    loader = _Loader()
    try:
        probe = loader.load(Path(args.probe))
    except (OSError, ValueError, WorkstationError) as e:
        print(f"cannot process the probe: {e}", file=sys.stderr)
        return EXIT_ACQUIRE
    items: list[tuple[str, FingerTemplate]] = []
    failed = 0
    for path in _samples(gallery, IMAGE_SUFFIXES + TEMPLATE_SUFFIXES):
        try:
            items.append((path.name, loader.load(path)))
        except (OSError, ValueError, WorkstationError):
            failed += 1
    index = FingerIndex.build(items)
    start = time.perf_counter()
    hits = index.search(probe, top=args.top)
    elapsed = time.perf_counter() - start
    print(
        f"{len(index)} enrolled ({failed} could not be processed); search {elapsed * 1000:.0f} ms"
    )
    for rank, hit in enumerate(hits, 1):
        scale = "1:1" if hit.rescored else "pre"
        print(f"{rank:3d}  {hit.score:.4f} ({scale})  {hit.key}")
    return EXIT_OK


# evaluate


def _evaluate_folder(
    folder: Path,
    kind: str,
    suffixes: tuple[str, ...],
    loader: _Loader,
    label: str,
) -> tuple[evaluation.ErrorRates, list[evaluation.Comparison], dict[str, mcc.Cylinders | None]]:
    paths = {p.stem: p for p in _samples(folder, suffixes)}
    prepared: dict[str, mcc.Cylinders | None] = {}
    failures: list[str] = []
    for name, path in paths.items():
        try:
            prepared[name] = mcc.cylinders(loader.load(path))
        except (OSError, ValueError, WorkstationError):
            prepared[name] = None
            failures.append(f"{label}/{path.name}")
    pairs = evaluation.fvc_pairs(list(paths))
    comparisons = evaluation.score_pairs(prepared, pairs, mcc.match)
    named = [
        evaluation.Comparison(
            f"{label}/{paths[c.probe].name}",
            f"{label}/{paths[c.reference].name}",
            c.genuine,
            c.score,
        )
        for c in comparisons
    ]
    return evaluation.rates_of(named, failures), named, prepared


def _evaluate_cross(
    folder: Path, loader: _Loader, label: str
) -> tuple[evaluation.ErrorRates, list[evaluation.Comparison], dict[str, mcc.Cylinders | None]]:
    """ISO records as probes against templates extracted from the images beside them.

    A record whose declared image size differs from the image's is mapped onto the image
    first (:meth:`FingerTemplate.resampled`): the FVC2002 records need it.
    """
    records = {p.stem: p for p in _samples(folder, TEMPLATE_SUFFIXES)}
    pictures = {p.stem: p for p in _samples(folder, IMAGE_SUFFIXES)}
    names = sorted(set(records) & set(pictures))
    probes: dict[str, mcc.Cylinders | None] = {}
    references: dict[str, mcc.Cylinders | None] = {}
    failures: list[str] = []
    for name in names:
        try:
            image_template = loader.load(pictures[name])
            references[name] = mcc.cylinders(image_template)
        except (OSError, ValueError, WorkstationError):
            image_template = None
            references[name] = None
            failures.append(f"{label}/{pictures[name].name}")
        try:
            record = loader.load(records[name])
            if image_template is not None and (record.width, record.height) != (
                image_template.width,
                image_template.height,
            ):
                record = record.resampled(image_template.width, image_template.height)
            probes[name] = mcc.cylinders(record)
        except (OSError, ValueError, WorkstationError):
            probes[name] = None
            failures.append(f"{label}/{records[name].name}")
    rows = []
    for a, b, genuine in evaluation.fvc_pairs(names):
        pa, rb = probes[a], references[b]
        score = 0.0 if pa is None or rb is None else mcc.match(pa, rb)
        rows.append(
            evaluation.Comparison(
                f"{label}/{records[a].name}", f"{label}/{pictures[b].name}", genuine, score
            )
        )
    return evaluation.rates_of(rows, failures), rows, {}


def _all_impostors(prepared: dict[str, mcc.Cylinders | None]) -> list[float]:
    names = sorted(prepared)
    scores = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            fa, fb = evaluation.parse_fvc_name(a), evaluation.parse_fvc_name(b)
            if fa is None or fb is None or fa[0] == fb[0]:
                continue
            ca, cb = prepared[a], prepared[b]
            scores.append(0.0 if ca is None or cb is None else mcc.match(ca, cb))
    return scores


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``finger evaluate DIR [--scores FILE]``: FVC protocol per folder and sample kind."""
    root = Path(args.dir)
    if not root.is_dir():
        print(f"{root} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    folders = [root] + sorted(p for p in root.iterdir() if p.is_dir())
    kinds: list[tuple[str, tuple[str, ...]]] = []
    if args.kind in ("all", "images"):
        kinds.append(("images", IMAGE_SUFFIXES))
    if args.kind in ("all", "iso"):
        kinds.append(("iso", TEMPLATE_SUFFIXES))
    if args.kind in ("all", "cross"):
        kinds.append(("cross", TEMPLATE_SUFFIXES))
    loader = _Loader()
    all_rows: list[evaluation.Comparison] = []
    results = []
    for folder in folders:
        for kind, suffixes in kinds:
            names = [p.stem for p in _samples(folder, suffixes)]
            if not any(evaluation.parse_fvc_name(n) for n in names):
                continue
            label = folder.name if folder != root else root.name
            start = time.perf_counter()
            if kind == "cross":
                if not _samples(folder, IMAGE_SUFFIXES):
                    continue
                rates, rows, prepared = _evaluate_cross(folder, loader, label)
            else:
                rates, rows, prepared = _evaluate_folder(folder, kind, suffixes, loader, label)
            elapsed = time.perf_counter() - start
            all_rows.extend(rows)
            extra: dict[str, Any] = {}
            if args.all_impostors and prepared:
                genuine = [c.score for c in rows if c.genuine]
                extra = {"all_impostors": evaluation.error_rates(genuine, _all_impostors(prepared))}
            results.append((label, kind, rates, elapsed, extra))
    if not results:
        print("no FVC-layout samples (101_1.tif ... or .iso) found", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"{'folder':<10} {'kind':<7} {'genuine':>7} {'impost':>6} {'EER %':>7} "
        f"{'FMR100':>7} {'FMR1000':>7} {'ZeroFMR':>7} {'FTA':>4} {'time s':>7}"
    )
    for label, kind, r, elapsed, extra in results:
        print(
            f"{label:<10} {kind:<7} {r.genuine:>7} {r.impostor:>6} {r.eer * 100:>7.2f} "
            f"{r.fmr100 * 100:>7.2f} {r.fmr1000 * 100:>7.2f} {r.zero_fmr * 100:>7.2f} "
            f"{len(r.failures_to_acquire):>4} {elapsed:>7.1f}"
        )
        wide = extra.get("all_impostors")
        if wide is not None:
            print(
                f"{'':<10} {'':<7} {wide.genuine:>7} {wide.impostor:>6} {wide.eer * 100:>7.2f} "
                f"{wide.fmr100 * 100:>7.2f} {wide.fmr1000 * 100:>7.2f} {wide.zero_fmr * 100:>7.2f}"
                "       (all impostor pairs)"
            )
        for name in r.failures_to_acquire:
            print(f"  failure to acquire: {name} (scored 0)")
    if len(results) > 1:
        for kind, _ in kinds:
            per_db = [rates for _, k, rates, _, _ in results if k == kind]
            if per_db:
                print(
                    f"{'mean':<10} {kind:<7} {'':>7} {'':>6} "
                    f"{statistics.fmean(x.eer for x in per_db) * 100:>7.2f} "
                    f"{statistics.fmean(x.fmr100 for x in per_db) * 100:>7.2f} "
                    f"{statistics.fmean(x.fmr1000 for x in per_db) * 100:>7.2f} "
                    f"{statistics.fmean(x.zero_fmr for x in per_db) * 100:>7.2f}"
                )
    if args.scores:
        with open(args.scores, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["probe", "reference", "genuine", "score"])
            for c in all_rows:
                writer.writerow([c.probe, c.reference, int(c.genuine), f"{c.score:.6f}"])
    return EXIT_OK


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``finger`` command group to a ``sekisho`` sub-parser set."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "finger", help="compare, search and evaluate fingerprints"
    )
    sub = parser.add_subparsers(dest="finger_command", metavar="COMMAND", required=True)

    compare = sub.add_parser("compare", help="similarity of two images or ISO 19794-2 records")
    compare.add_argument("a")
    compare.add_argument("b")
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    compare.set_defaults(func=cmd_compare)

    search = sub.add_parser("search", help="1:N search of an image or ISO record")
    search.add_argument("probe", metavar="IMAGE_OR_ISO")
    search.add_argument("--gallery", metavar="DIR", help="folder of enrolled records or images")
    search.add_argument("--top", type=int, default=10)
    search.set_defaults(func=cmd_search)

    evaluate = sub.add_parser("evaluate", help="FVC protocol error rates of a folder")
    evaluate.add_argument(
        "dir", metavar="DIR", help="FVC layout (101_1.tif ...), or a folder of them"
    )
    evaluate.add_argument(
        "--scores", metavar="FILE", help="write probe,reference,genuine,score CSV"
    )
    evaluate.add_argument(
        "--kind",
        choices=("all", "images", "iso", "cross"),
        default="all",
        help="cross: ISO records as probes against templates extracted from the images",
    )
    evaluate.add_argument(
        "--all-impostors",
        action="store_true",
        help="also report every impostor pair (2,800 per FVC set)",
    )
    evaluate.set_defaults(func=cmd_evaluate)
    return parser


# bench


def _data_root() -> Path | None:
    for candidate in (
        Path(os.environ.get("SEKISHO_SHARED_DATA", "")),
        Path(__file__).resolve().parents[2] / "shared" / "data",
        Path("../shared/data"),
    ):
        if str(candidate) and (candidate / "fingerprints").is_dir():
            return candidate
    return None


def _median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_rows(quick: bool = False) -> list[BenchRow]:
    """Extraction, 1:1 and 1:N timings beside Bozorth3 measured in the same run.

    1:N galleries are synthetic fingers derived from real templates
    (:mod:`workstation.fingerprint.synthetic`).
    """
    from devices.fingerprint import nbis_backend
    from devices.fingerprint.fake import synthetic_finger
    from devices.fingerprint.nbis_backend import Bozorth3Reference, NbisMinutiaeExtractor
    from workstation.captures import Finger
    from workstation.fingerprint.index import FingerIndex, encode_finger
    from workstation.fingerprint.synthetic import perturbed_copies

    if not nbis_backend.available():
        return [BenchRow("finger: all measures", "skipped: nbis-py not installed")]
    root = _data_root()
    folder = root / "fingerprints" / "fvc2002" / "DB1_B" if root else None
    if folder is not None and folder.is_dir():
        images = [p.read_bytes() for p in _samples(folder, (".tif",))[:16]]
    else:
        images = [synthetic_finger(f) for f in Finger]
    extractor = NbisMinutiaeExtractor()
    reference = Bozorth3Reference()
    runs = 3 if quick else 10
    t_extract = _median_time(lambda: extractor.extract(images[0]), runs)
    templates = [extractor.extract(img) for img in images]
    t_cyl = _median_time(lambda: mcc.cylinders(templates[0]), runs)
    a, b = mcc.cylinders(templates[0]), mcc.cylinders(templates[1])
    t_match = _median_time(lambda: mcc.match(a, b), runs * 5)
    ra, rb = reference.prepare_image(images[0]), reference.prepare_image(images[1])
    t_boz = _median_time(lambda: reference.score(ra, rb), runs * 5)
    rows = [
        BenchRow("finger: minutiae extraction (mindtct)", _ms(t_extract)),
        BenchRow("finger: cylinder codes per template", _ms(t_cyl)),
        BenchRow("finger: 1:1 comparison (MCC LSS-R)", _ms(t_match), f"Bozorth3 {_ms(t_boz)}"),
    ]
    sources = [encode_finger(t) for t in templates]
    probe = templates[len(templates) // 2]
    for size in (10_000,) if quick else (10_000, 100_000):
        encoded = perturbed_copies(sources, size - len(sources), seed=size)
        index = FingerIndex(
            [f"t{i}" for i in range(size)],
            sources + encoded,
            templates + [templates[0]] * (size - len(templates)),
        )
        search: Callable[[], object] = partial(index.search, probe)
        t_search = _median_time(search, 3 if quick else 5)
        rows.append(
            BenchRow(
                f"finger: 1:N search, {size:,} fingers",
                _ms(t_search),
                f"Bozorth3 linear scan (est.) {size * t_boz:.1f} s",
                "<= 1 s at 100,000" if size == 100_000 else "",
            )
        )
        del index
    return rows
