from __future__ import annotations

import argparse
import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.workstation.test_fingerprint_matching import moved, random_template
from ui import cli_finger
from workstation.fingerprint import iso19794_2

FVC = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingerprints" / "fvc2002"
needs_fvc = pytest.mark.skipif(not FVC.is_dir(), reason="shared FVC2002 data absent")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sekisho")
    sub = p.add_subparsers(dest="command")
    cli_finger.register(sub)
    return p


def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def fvc_layout(tmp_path: Path) -> Path:
    """Three fingers x three impressions of synthetic ISO records, plus one broken record."""
    folder = tmp_path / "DBX"
    folder.mkdir()
    for f in range(3):
        base = random_template(40, seed=f)
        for i in range(1, 4):
            t = base if i == 1 else moved(base, 0.2 * i, 8 * i, -5 * i, seed=10 * f + i, drop=0.1)
            (folder / f"10{f + 1}_{i}.iso").write_bytes(iso19794_2.encode(t))
    (folder / "104_1.iso").write_bytes(b"FMR\x00 20\x00garbage")
    return tmp_path


def test_compare_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.iso", tmp_path / "b.iso"
    a.write_bytes(iso19794_2.encode(random_template(seed=1)))
    b.write_bytes(iso19794_2.encode(moved(random_template(seed=1), 0.3, 10, 4)))
    assert run(["finger", "compare", str(a), str(b), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["score"] > 0.5
    assert out["minutiae"] == [40, 40]


def test_compare_unreadable_is_failure_to_acquire(tmp_path: Path) -> None:
    a = tmp_path / "a.iso"
    a.write_bytes(b"junk")
    assert run(["finger", "compare", str(a), str(a)]) == cli_finger.EXIT_ACQUIRE


def test_evaluate_writes_scores_and_keeps_failures(
    fvc_layout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = tmp_path / "scores.csv"
    assert run(["finger", "evaluate", str(fvc_layout), "--scores", str(scores)]) == 0
    out = capsys.readouterr().out
    assert "failure to acquire: DBX/104_1.iso" in out
    rows = list(csv.DictReader(scores.open()))
    assert list(rows[0]) == ["probe", "reference", "genuine", "score"]
    # 3 fingers x 3 genuine pairs; 4 first impressions -> 6 impostor pairs, none dropped
    assert sum(r["genuine"] == "1" for r in rows) == 9
    assert sum(r["genuine"] == "0" for r in rows) == 6
    failed = [r for r in rows if "104_1" in r["probe"] + r["reference"]]
    assert len(failed) == 3 and all(float(r["score"]) == 0.0 for r in failed)
    genuine = [float(r["score"]) for r in rows if r["genuine"] == "1"]
    assert min(genuine) > 0.3


def test_evaluate_empty_folder(tmp_path: Path) -> None:
    assert run(["finger", "evaluate", str(tmp_path)]) == cli_finger.EXIT_ERROR


def test_search_gallery(
    fvc_layout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gallery = tmp_path / "gallery"
    gallery.mkdir()
    for p in (fvc_layout / "DBX").glob("*_1.iso"):
        shutil.copy(p, gallery / p.name)
    probe = fvc_layout / "DBX" / "102_3.iso"
    assert run(["finger", "search", str(probe), "--gallery", str(gallery), "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "1 could not be processed" in lines[0]
    assert lines[1].split()[-1] == "102_1.iso"


def test_search_needs_gallery(tmp_path: Path) -> None:
    probe = tmp_path / "p.iso"
    probe.write_bytes(iso19794_2.encode(random_template()))
    assert run(["finger", "search", str(probe)]) == cli_finger.EXIT_ERROR


@needs_fvc
@pytest.mark.slow
def test_evaluate_real_iso_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The full FVC protocol on DB1_B's third-party records: 280 + 45 comparisons."""
    assert run(["finger", "evaluate", str(FVC / "DB1_B"), "--kind", "iso"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("DB1_B"))
    fields = line.split()
    assert fields[2:4] == ["280", "45"]
    assert float(fields[4]) < 3.87  # EER, percent


def test_templates_are_not_modified_by_loader(tmp_path: Path) -> None:
    t = random_template(seed=4)
    path = tmp_path / "t.iso"
    path.write_bytes(iso19794_2.encode(t))
    loaded = cli_finger._Loader().load(path)
    assert np.allclose(loaded.minutiae[:, :2], np.rint(t.minutiae[:, :2]))


PYFN = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingerprints" / "pyfnprint"


@pytest.mark.skipif(not PYFN.is_dir(), reason="shared pyfnprint data absent")
def test_evaluate_cross_maps_records_onto_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records declaring another image size (as FVC2002's SDK does) are mapped back first."""
    pytest.importorskip("nbis")
    folder = tmp_path / "X"
    folder.mkdir()
    loader = cli_finger._Loader()
    for f, finger in enumerate(("2", "5"), start=101):
        for i in (1, 2, 3):
            image = folder / f"{f}_{i}.png"
            shutil.copy(PYFN / f"{finger}_{i}.png", image)
            t = loader.load(image).resampled(300, 400)
            (folder / f"{f}_{i}.iso").write_bytes(iso19794_2.encode(t))
    assert run(["finger", "evaluate", str(folder), "--kind", "cross"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if " cross " in x)
    fields = line.split()
    assert fields[2:4] == ["6", "1"]
    assert float(fields[4]) == 0.0  # EER: every genuine pair beats the impostor


def test_evaluate_1n_ranks_mates_and_caches_the_background(
    fvc_layout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    argv = ["finger", "evaluate-1n", str(fvc_layout), "--sizes", "30,60", "--cache", str(cache)]
    assert run(argv) == 0
    first = capsys.readouterr().out
    rows = [line.split() for line in first.splitlines() if line.startswith("iso ")]
    # one row per folder and gallery size, plus the "all" row of each size
    expected = [("30", "DBX"), ("30", "all"), ("60", "DBX"), ("60", "all")]
    assert [(r[1], r[2]) for r in rows] == expected
    for r in rows:
        assert r[3] == "6"  # fingers 101-103, impressions 2 and 3
        assert float(r[4]) == 100.0  # rank-1: moved copies of the enrolled impressions
        assert float(r[6]) == 100.0  # pre-selected
    assert "failure to acquire: DBX/104_1.iso" in first
    assert "model background" in first
    assert len(list(cache.glob("background-iso-*.npz"))) == 1
    # the second run reads the cached background and measures the same
    assert run(argv) == 0
    again = capsys.readouterr().out
    assert [line.split()[:8] for line in again.splitlines() if line.startswith("iso ")] == [
        r[:8] for r in rows
    ]


def test_evaluate_1n_persons_three_ways(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for db, seed in (("DB1_B", 0), ("DB2_B", 50)):
        folder = tmp_path / db
        folder.mkdir()
        for f in range(3):
            base = random_template(40, seed=seed + f)
            for i in range(1, 4):
                t = base if i == 1 else moved(base, 0.2 * i, 8 * i, -5 * i, seed=seed + i, drop=0.1)
                (folder / f"10{f + 1}_{i}.iso").write_bytes(iso19794_2.encode(t))
    (tmp_path / "DB2_B" / "103_3.iso").write_bytes(b"FMR\x00 20\x00garbage")
    argv = ["finger", "evaluate-1n", str(tmp_path), "--sizes", "40", "--persons"]
    assert run(argv) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("iso")]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("40", "20", "each"),
        ("40", "20", "cross-check"),
        ("40", "20", "person"),
    ]
    for r in rows:
        probes, found, rank1 = r[-4], r[-3], r[-2]
        # 3 persons x impressions 2 and 3; the broken left impression of 103_3 is a miss
        assert probes == "6"
        assert float(found) == pytest.approx(500 / 6, abs=0.05)
        assert float(rank1) == pytest.approx(500 / 6, abs=0.05)


def test_evaluate_1n_rejects_bad_sizes(fvc_layout: Path) -> None:
    argv = ["finger", "evaluate-1n", str(fvc_layout), "--sizes", "ten"]
    assert run(argv) == cli_finger.EXIT_ERROR
    assert run(["finger", "evaluate-1n", str(fvc_layout / "nothing")]) == cli_finger.EXIT_ERROR


def test_bench_rows_time_the_person_search_beside_each_fingers_own() -> None:
    from devices.fingerprint import nbis_backend

    if not nbis_backend.available():
        pytest.skip("nbis-py not installed")
    rows = {r.measure: r for r in cli_finger.bench_rows(quick=True)}
    persons = rows["finger: person search, two fingers, 10,000 fingers"]
    assert persons.ours.endswith(" ms")
    assert persons.reference.startswith("each finger's own search, one after the other ")
    assert "finger: 1:N search, 10,000 fingers" in rows
