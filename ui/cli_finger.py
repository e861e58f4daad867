"""``sekisho finger``: compare, search and evaluate fingerprints from the command line.

``register(subparsers)`` adds the command group; each command takes the argparse namespace
and returns an exit code. ``bench_rows()`` feeds ``sekisho bench``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
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


def _in_frame(template: FingerTemplate, width: int, height: int) -> FingerTemplate:
    """A record mapped onto the image it came from, when its declared size differs (the
    FVC2002 records declare 300 x 400 whatever the image: their extractor resampled it)."""
    if (template.width, template.height) == (width, height):
        return template
    return template.resampled(width, height)


def _image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as im:
        return im.size


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
    pictures = {p.stem: p for p in _samples(folder, IMAGE_SUFFIXES)} if kind == "iso" else {}
    prepared: dict[str, mcc.Cylinders | None] = {}
    failures: list[str] = []
    for name, path in paths.items():
        try:
            template = loader.load(path)
            if name in pictures:
                template = _in_frame(template, *_image_size(pictures[name]))
            prepared[name] = mcc.cylinders(template)
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
            if image_template is not None:
                record = _in_frame(record, image_template.width, image_template.height)
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


# evaluate-1n

_CHUNK = 10_000  # background fingers per generated (and cached) chunk
_CACHE_FORMAT = "sekisho-finger-background-1"


def _fvc_folders(root: Path) -> list[Path]:
    return [root] + sorted(p for p in root.iterdir() if p.is_dir())


def _donor_digest(donors: list[FingerTemplate]) -> str:
    digest = hashlib.sha256(_CACHE_FORMAT.encode())
    for d in donors:
        digest.update(d.minutiae.astype("<f8").tobytes())
        digest.update(f"{d.width},{d.height},{d.resolution};".encode())
    return digest.hexdigest()[:12]


def _save_chunk(path: Path, templates: list[FingerTemplate], encoded: list[Any]) -> None:
    import numpy as np

    tmp = path.with_suffix(".tmp.npz")
    np.savez(
        tmp,
        t_counts=np.array([len(t) for t in templates]),
        t_minutiae=np.concatenate([t.minutiae for t in templates]),
        t_frame=np.array([(t.width, t.height, t.resolution) for t in templates]),
        e_counts=np.array([len(e.bits) for e in encoded]),
        e_bits=np.concatenate([e.bits for e in encoded]),
        e_masks=np.concatenate([e.masks for e in encoded]),
        e_points=np.concatenate([e.points for e in encoded]),
        e_angles=np.concatenate([e.angles for e in encoded]),
    )
    tmp.replace(path)


def _load_chunk(path: Path) -> tuple[list[FingerTemplate], list[Any]]:
    import numpy as np

    from workstation.fingerprint.index import EncodedFinger

    with np.load(path) as z:
        t_bounds = np.cumsum(z["t_counts"])[:-1]
        e_bounds = np.cumsum(z["e_counts"])[:-1]
        templates = [
            FingerTemplate(m, width=int(w), height=int(h), resolution=int(r))
            for m, (w, h, r) in zip(np.split(z["t_minutiae"], t_bounds), z["t_frame"], strict=True)
        ]
        encoded = [
            EncodedFinger(b, k, p, a)
            for b, k, p, a in zip(
                np.split(z["e_bits"], e_bounds),
                np.split(z["e_masks"], e_bounds),
                np.split(z["e_points"], e_bounds),
                np.split(z["e_angles"], e_bounds),
                strict=True,
            )
        ]
    return templates, encoded


def _background(
    donors: list[FingerTemplate], count: int, seed: int, cache: Path | None, label: str
) -> tuple[list[FingerTemplate], list[Any]]:
    """``count`` model fingers shaped like ``donors``, encoded; chunks cached in ``cache``."""
    from workstation.fingerprint.index import encode_finger
    from workstation.fingerprint.synthetic import model_fingers

    digest = _donor_digest(donors)
    templates: list[FingerTemplate] = []
    encoded: list[Any] = []
    for chunk in range((count + _CHUNK - 1) // _CHUNK):
        # the same seed per chunk: a smaller run draws a prefix of a larger one's fingers
        size = min(_CHUNK, count - chunk * _CHUNK)
        name = f"background-{label}-{digest}-{seed}-{chunk}-{size}.npz"
        path = cache / name if cache else None
        if path is not None and path.is_file():
            t, e = _load_chunk(path)
        else:
            start = time.perf_counter()
            t = model_fingers(donors, size, seed=seed * 1000 + chunk)
            e = [encode_finger(x) for x in t]
            print(
                f"  background {label}: {chunk * _CHUNK + size:,} fingers generated "
                f"({time.perf_counter() - start:.0f} s for the last {size:,})",
                file=sys.stderr,
            )
            if path is not None:
                _save_chunk(path, t, e)
        templates += t
        encoded += e
    return templates[:count], encoded[:count]


def fvc_identification_set(
    root: Path, suffixes: tuple[str, ...], loader: _Loader
) -> tuple[dict[str, FingerTemplate], dict[str, FingerTemplate | None], dict[str, str], list[str]]:
    """Enrolled (first impression of every finger of every folder, ``DB1_B/101``), probes
    (the other impressions, ``DB1_B/101_2``, ``None`` when they failed to acquire), each
    probe's mate, and the samples that failed to acquire."""
    enrolled: dict[str, FingerTemplate] = {}
    probes: dict[str, FingerTemplate | None] = {}
    mate_of: dict[str, str] = {}
    failures: list[str] = []
    for folder in _fvc_folders(root):
        paths = {p.stem: p for p in _samples(folder, suffixes)}
        firsts, others = evaluation.fvc_identification_split(list(paths))
        for finger, name in firsts.items():
            try:
                enrolled[f"{folder.name}/{finger}"] = loader.load(paths[name])
            except (OSError, ValueError, WorkstationError):
                failures.append(f"{folder.name}/{paths[name].name}")
        for name, finger in others.items():
            key = f"{folder.name}/{name}"
            mate_of[key] = f"{folder.name}/{finger}"
            try:
                probes[key] = loader.load(paths[name])
            except (OSError, ValueError, WorkstationError):
                probes[key] = None
                failures.append(f"{folder.name}/{paths[name].name}")
    return enrolled, probes, mate_of, failures


def donors(
    enrolled: dict[str, FingerTemplate], probes: dict[str, FingerTemplate | None]
) -> list[FingerTemplate]:
    """The real templates the model background takes its sizes from (and is cached by)."""
    return list(enrolled.values()) + [t for t in probes.values() if t is not None]


def _realism(
    probes: dict[str, FingerTemplate],
    real: dict[str, FingerTemplate],
    synthetic: list[FingerTemplate],
) -> tuple[list[float], list[float]]:
    """1:1 scores of second impressions against real non-mated and against model fingers."""
    seconds = {n: t for n, t in probes.items() if n.endswith("_2")}
    real_cyl = {n: mcc.cylinders(t) for n, t in real.items()}
    syn_cyl = [mcc.cylinders(t) for t in synthetic[: max(len(real), 40)]]
    real_scores: list[float] = []
    syn_scores: list[float] = []
    for name, template in seconds.items():
        p = mcc.cylinders(template)
        finger = name.rsplit("_", 1)[0]
        real_scores += [mcc.match(p, c) for n, c in real_cyl.items() if not n.startswith(finger)]
        syn_scores += [mcc.match(p, c) for c in syn_cyl]
    return real_scores, syn_scores


def cmd_evaluate_1n(args: argparse.Namespace) -> int:
    """``finger evaluate-1n DIR``: closed-set identification among a model background."""
    import numpy as np

    from workstation.fingerprint.index import FingerIndex, IndexParameters, encode_finger

    root = Path(args.dir)
    if not root.is_dir():
        print(f"{root} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    try:
        sizes = sorted({int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()})
    except ValueError:
        print("--sizes takes gallery sizes separated by commas, e.g. 10000,100000", file=sys.stderr)
        return EXIT_ERROR
    cache = Path(args.cache) if args.cache else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    kinds = [("images", IMAGE_SUFFIXES), ("iso", TEMPLATE_SUFFIXES)]
    if args.kind != "all":
        kinds = [k for k in kinds if k[0] == args.kind]
    params = IndexParameters()
    if args.candidates:
        params = dataclasses.replace(params, candidates=args.candidates)
    loader = _Loader()
    printed = False
    for kind, suffixes in kinds:
        enrolled, probes, mate_of, failures = fvc_identification_set(root, suffixes, loader)
        if not enrolled or not probes:
            continue
        need = max(0, max(sizes) - len(enrolled))
        background, background_enc = _background(
            donors(enrolled, probes), need, args.seed, cache, kind
        )
        if args.persons:
            from ui.finger_persons import evaluate_persons

            printed = True
            evaluate_persons(kind, enrolled, probes, background, background_enc, sizes, params)
            continue
        keys = list(enrolled)
        real_enc = [encode_finger(t) for t in enrolled.values()]
        probe_enc = {n: encode_finger(t) for n, t in probes.items() if t is not None}
        for size in sizes:
            extra = max(0, size - len(keys))
            index = FingerIndex(
                keys + [f"background/{i}" for i in range(extra)],
                real_enc + background_enc[:extra],
                list(enrolled.values()) + background[:extra],
                params,
            )
            position = {k: i for i, k in enumerate(index.keys[: len(keys)])}
            outcomes: dict[str, list[evaluation.ProbeOutcome]] = {}
            for name, template in probes.items():
                mate = mate_of[name]
                db = name.split("/", 1)[0]
                if template is None or mate not in position:
                    outcome = evaluation.ProbeOutcome(name, None, None)
                else:
                    start = time.perf_counter()
                    hits = index.search(template, top=10)
                    elapsed = time.perf_counter() - start
                    ranked = [h.key for h in hits]
                    outcome = evaluation.ProbeOutcome(
                        name,
                        ranked.index(mate) if mate in ranked else None,
                        index.preselection_rank(probe_enc[name], position[mate]),
                        elapsed,
                    )
                outcomes.setdefault(db, []).append(outcome)
                outcomes.setdefault("all", []).append(outcome)
            if not printed:
                print(
                    f"{'kind':<7} {'gallery':>8} {'folder':<8} {'probes':>6} {'rank-1':>7} "
                    f"{'rank-10':>7} {'presel':>7} {'@0.1%':>6} {'@1%':>6} {'@5%':>6} "
                    f"{'@10%':>6} {'median s':>8}"
                )
                printed = True
            for db in sorted(outcomes, key=lambda d: (d == "all", d)):
                r = evaluation.identification_rates(outcomes[db], len(index), params.candidates)
                hits_at = " ".join(f"{h * 100:>6.1f}" for _, h in r.hit_rates)
                print(
                    f"{kind:<7} {len(index):>8,} {db:<8} {r.probes:>6} {r.rank1 * 100:>7.1f} "
                    f"{r.rank10 * 100:>7.1f} {r.preselected * 100:>7.1f} {hits_at} "
                    f"{r.median_seconds:>8.3f}"
                )
            del index
        real_scores, syn_scores = _realism(
            {n: t for n, t in probes.items() if t is not None}, enrolled, background
        )
        if real_scores and syn_scores:
            print(
                f"  {kind}: 1:1 impostor scores of second impressions, mean / 99th percentile: "
                f"real non-mates {np.mean(real_scores):.4f} / {np.percentile(real_scores, 99):.4f}"
                f", model background {np.mean(syn_scores):.4f} / "
                f"{np.percentile(syn_scores, 99):.4f}"
            )
        for name in failures:
            print(f"  failure to acquire: {name} (its searches count as misses)")
    if not printed:
        print("no FVC-layout samples (101_1.tif ... or .iso) found", file=sys.stderr)
        return EXIT_ERROR
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

    one_to_n = sub.add_parser(
        "evaluate-1n",
        help="identification rates: first impressions enrolled among model background fingers",
    )
    one_to_n.add_argument("dir", metavar="DIR", help="FVC layout, or a folder of them")
    one_to_n.add_argument(
        "--sizes", default="10000,100000", help="gallery sizes (default 10000,100000)"
    )
    one_to_n.add_argument("--kind", choices=("all", "images", "iso"), default="all")
    one_to_n.add_argument("--seed", type=int, default=1, help="background seed (default 1)")
    one_to_n.add_argument(
        "--cache", metavar="DIR", help="keep generated background fingers here for later runs"
    )
    one_to_n.add_argument(
        "--candidates", type=int, default=0, help="fingers passed on by the pre-selection"
    )
    one_to_n.add_argument(
        "--persons",
        action="store_true",
        help="two-finger persons: finger N of DB1_B and DB2_B (and of DB3_B and DB4_B) as one "
        "person's right and left index, searched three ways: each finger's own search, with the "
        "cross-check, and with the person vote as the landing checks do",
    )
    one_to_n.set_defaults(func=cmd_evaluate_1n)
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
    from workstation.fingerprint.persons import finger_key, search_persons
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
    index_fingers = (Finger.RIGHT_INDEX.value, Finger.LEFT_INDEX.value)
    for size in (10_000,) if quick else (10_000, 100_000):
        encoded = perturbed_copies(sources, size - len(sources), seed=size)
        index = FingerIndex(
            # persons of two fingers, right and left index
            [finger_key(f"p{i // 2}", index_fingers[i % 2]) for i in range(size)],
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
        pair = list(zip(index_fingers, (probe, templates[len(templates) // 2 + 1]), strict=True))
        persons: Callable[[], object] = partial(search_persons, index, pair, top=5)

        def one_by_one(
            index: FingerIndex = index, pair: list[tuple[int, FingerTemplate]] = pair
        ) -> object:
            return [index.search(t, top=5) for _, t in pair]

        t_persons = _median_time(persons, 3 if quick else 5)
        t_sequential = _median_time(one_by_one, 3 if quick else 5)
        rows.append(
            BenchRow(
                f"finger: person search, two fingers, {size:,} fingers",
                _ms(t_persons),
                f"each finger's own search, one after the other {_ms(t_sequential)}",
            )
        )
        del index
    return rows
