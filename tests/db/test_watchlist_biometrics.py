"""The watchlist's face and finger references searched 1:N in the landing checks.

Real parts throughout: the publisher's templates come from dlib and mindtct, the bundle is
applied to a real SQLite file, the references are read back and loaded into the gallery and
the finger index, and the landing case runs on the real store. Faces are the shipped demo
portrait (public domain) and, where the shared evaluation data is present, ORL subjects.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.codec import checks_from_json, checks_to_json
from db.store import SqliteInspectionStore, SqliteOperators
from db.watchlist_biometrics import SqliteBiometricReferences
from db.watchlist_sync import apply_bundle
from devices.biometrics.dlib_encoder import DlibFaceEncoder
from devices.camera.fake import demo_face_path
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner, synthetic_finger
from devices.fingerprint.nbis_backend import NbisMinutiaeExtractor
from tests.conftest import REPO, FakeClock
from tests.db.conftest import start_landing
from ui.biometric_loader import BiometricLoader
from workstation.captures import FaceCapture, Finger
from workstation.decisions import Decision, DecisionKind
from workstation.errors import PolicyViolation
from workstation.face import FaceMatcher, FaceTemplate, load_calibration
from workstation.face.verification import FaceVerifier
from workstation.watchlist import HitKind, WatchlistAction
from workstation.watchlist_biometrics import BiometricScreen, add_templates
from workstation.watchlist_source import RecordKey, encode_delta, encode_snapshot, load_source

EXAMPLE = REPO / "examples" / "watchlist"
ORL = REPO.parent / "shared" / "data" / "faces" / "orl"


@pytest.fixture(scope="module")
def encoders() -> tuple[DlibFaceEncoder, NbisMinutiaeExtractor]:
    return DlibFaceEncoder(), NbisMinutiaeExtractor()


def _records(encoders: tuple[DlibFaceEncoder, NbisMinutiaeExtractor], templates: bool = True):  # type: ignore[no-untyped-def]
    records = load_source(EXAMPLE)
    if templates:
        report = add_templates(records, encoders[0].encode, encoders[1].extract)
        assert (report.faces, report.fingers, report.unsearchable) == (1, 1, ())
    return records


def _apply(db: Database, clock: FakeClock, version: int, records) -> None:  # type: ignore[no-untyped-def]
    apply_bundle(db, encode_snapshot(version, clock.now(), records), clock, "test")


def _screen(db: Database, clock: FakeClock, verifier: FaceVerifier) -> BiometricScreen:
    screen = BiometricScreen(
        load_calibration(),
        face_encode=verifier.template,
        finger_extract=NbisMinutiaeExtractor().extract,
    )
    version, references = SqliteBiometricReferences(db, clock).read_all()
    screen.load(version, references)
    return screen


def _verifier(db: Database, clock: FakeClock) -> FaceVerifier:
    policy = SqliteOperators(db, clock).load_policy()
    return FaceVerifier(DlibFaceEncoder, FaceMatcher(load_calibration(), policy.face_target_fmr))


def test_listed_face_and_finger_found_and_block_a_permit(
    demo_db: Database, clock: FakeClock, encoders: tuple[DlibFaceEncoder, NbisMinutiaeExtractor]
) -> None:
    _apply(demo_db, clock, 100, _records(encoders))
    verifier = _verifier(demo_db, clock)
    screen = _screen(demo_db, clock, verifier)
    assert (screen.report.faces, screen.report.fingers, screen.report.unsearchable) == (1, 1, ())

    exam = start_landing(demo_db, clock, face=verifier, biometrics=screen)
    exam.read_document(SimulatedDocumentReader(today=clock.now().date()))
    live = demo_face_path().read_bytes()
    exam.record_face(FaceCapture(live, "image/jpeg", 384, 288, clock.now()))
    exam.capture_fingerprints(SimulatedFingerprintScanner())  # synthetic right index = listed
    checks = exam.run_checks()

    kinds = {h.kind: h for h in checks.hits if h.entry_id == "EX-0001"}
    assert set(kinds) >= {HitKind.FACE, HitKind.FINGERPRINT}
    face, finger = kinds[HitKind.FACE], kinds[HitKind.FINGERPRINT]
    assert face.action is WatchlistAction.REFUSE and face.reasons[0] == "face"
    assert face.reasons[1].startswith("FMR-") and face.reference == 0
    assert finger.reasons == ("fingerprint", "finger_2") and finger.reference == 2
    assert checks.biometrics is not None
    assert checks.biometrics.probes == ("face", "finger_2", "finger_7")
    assert (checks.biometrics.faces, checks.biometrics.fingers) == (1, 1)
    # stored with the case, and read back the same
    stored = SqliteInspectionStore(demo_db, clock).load_case(exam.case.case_id).checks
    assert stored == checks == checks_from_json(checks_to_json(checks))
    with pytest.raises(PolicyViolation):
        exam.decide(Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D"))
    exam.decide(Decision(DecisionKind.REFER_SECONDARY, reason_code="R-WATCHLIST"))


@pytest.mark.skipif(not ORL.exists(), reason="shared ORL faces not present")
def test_other_image_of_a_listed_person_found_and_strangers_not(
    demo_db: Database, clock: FakeClock, encoders: tuple[DlibFaceEncoder, NbisMinutiaeExtractor]
) -> None:
    records = _records(encoders)
    face_key: RecordKey = ("bio", "EX-0001/face/0")
    reference = (ORL / "s1" / "1.pgm").read_bytes()
    records[face_key]["d"].update(
        image=base64.b64encode(reference).decode(),
        media_type="image/x-portable-graymap",
        template=base64.b64encode(encoders[0].encode(reference).to_bytes()).decode(),
    )
    _apply(demo_db, clock, 100, records)
    verifier = _verifier(demo_db, clock)
    screen = _screen(demo_db, clock, verifier)
    policy = SqliteOperators(demo_db, clock).load_policy()

    matches, searched = screen.screen((ORL / "s1" / "2.pgm").read_bytes(), (), policy)
    assert [(m.entry_id, m.position) for m in matches] == [("EX-0001", 0)]
    assert searched.probes == ("face",)
    for stranger in ("s2", "s3", "s4"):
        matches, _ = screen.screen((ORL / stranger / "1.pgm").read_bytes(), (), policy)
        assert matches == ()


def test_references_without_templates_encoded_at_load_and_bad_ones_reported(
    demo_db: Database, clock: FakeClock, encoders: tuple[DlibFaceEncoder, NbisMinutiaeExtractor]
) -> None:
    records = _records(encoders, templates=False)
    # a second person whose face reference is not a face, one with a corrupt template, and
    # one with an earlier encoder's template (encoded again from its image)
    records[("bio", "EX-0002/face/0")] = {
        "t": "bio",
        "k": "EX-0002/face/0",
        "d": dict(records[("bio", "EX-0001/face/0")]["d"], entry_id="EX-0002",
                  image=base64.b64encode(synthetic_finger(Finger.LEFT_INDEX)).decode()),
    }  # fmt: skip
    records[("bio", "EX-0004/face/0")] = {
        "t": "bio",
        "k": "EX-0004/face/0",
        "d": dict(records[("bio", "EX-0001/face/0")]["d"], entry_id="EX-0004",
                  template=base64.b64encode(FaceTemplate.FORMAT_MAGIC + b"\xff" * 512).decode()),
    }  # fmt: skip
    records[("bio", "EX-0005/face/0")] = {
        "t": "bio",
        "k": "EX-0005/face/0",
        "d": dict(records[("bio", "EX-0001/face/0")]["d"], entry_id="EX-0005",
                  template=base64.b64encode(b"SKF1" + bytes(512)).decode()),
    }  # fmt: skip
    bundle = encode_snapshot(100, clock.now(), records)
    header_counts = apply_bundle(demo_db, bundle, clock, "test").counts
    assert header_counts["bio"] == 5
    screen = _screen(demo_db, clock, _verifier(demo_db, clock))
    report = screen.report
    assert (report.faces, report.fingers, report.encoded_at_load) == (2, 1, 3)
    assert sorted(report.unsearchable) == ["EX-0002/face/0", "EX-0004/face/0"]


def test_loader_follows_a_new_watchlist_version_without_restart(
    demo_db: Database, clock: FakeClock, encoders: tuple[DlibFaceEncoder, NbisMinutiaeExtractor]
) -> None:
    first = _records(encoders)
    _apply(demo_db, clock, 100, first)
    verifier = _verifier(demo_db, clock)
    screen = BiometricScreen(load_calibration(), face_encode=verifier.template)
    loader = BiometricLoader(screen, SqliteBiometricReferences(demo_db, clock), poll_seconds=60)
    loader.start()
    try:
        assert loader.loaded.wait(60)
        assert screen.version == 100 and screen.report.faces == 1
        second = {k: v for k, v in first.items() if k != ("bio", "EX-0001/face/0")}
        delta = encode_delta(101, 100, clock.now(), first, second)
        apply_bundle(demo_db, delta, clock, "test")
        loader.refresh()
        deadline = time.monotonic() + 60
        while screen.version != 101 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert screen.version == 101 and screen.report.faces == 0
        policy = SqliteOperators(demo_db, clock).load_policy()
        assert screen.screen(demo_face_path().read_bytes(), (), policy)[0] == ()
    finally:
        loader.stop()


def test_publish_command_ships_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from db.vault import unlock
    from db.watchlist_repo import init_keys
    from ui.cli import main

    init_keys(tmp_path / "keys", dt.datetime.now(dt.UTC))
    args = ["watchlist", "publish", str(EXAMPLE), "--repo", str(tmp_path / "repo")]
    assert main([*args, "--keys", str(tmp_path / "keys")]) == 0
    assert "templates computed: 1 face, 1 finger" in capsys.readouterr().out
    home = tmp_path / "ws"
    # A new workstation: the first administrator creates the encrypted database.
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-secret\n"))
    admin = ["operator", "add", "admin", "--name", "Admin", "--role", "administrator"]
    assert main(["--home", str(home), *admin, "--password-stdin"]) == 0
    monkeypatch.setenv("SEKISHO_OPERATOR", "admin")
    monkeypatch.setenv("SEKISHO_PASSWORD", "long-enough-secret")
    root = str(tmp_path / "keys" / "root.json")
    assert (
        main(["--home", str(home), "watchlist", "sync", str(tmp_path / "repo"), "--root", root])
        == 0
    )
    db = unlock(home / "sekisho.db", "admin", "long-enough-secret", FakeClock())
    try:
        version, references = SqliteBiometricReferences(db, FakeClock()).read_all()
        assert version == 1
        assert sorted((r.entry_id, r.modality.value, r.position) for r in references) == [
            ("EX-0001", "face", 0),
            ("EX-0001", "finger", 2),
        ]
        assert all(r.template is not None and r.image is None for r in references)
    finally:
        db.close()


def test_nothing_searched_before_the_first_load(demo_db: Database, clock: FakeClock) -> None:
    verifier = _verifier(demo_db, clock)
    screen = BiometricScreen(load_calibration(), face_encode=verifier.template)
    policy = SqliteOperators(demo_db, clock).load_policy()
    matches, searched = screen.screen(demo_face_path().read_bytes(), (), policy)
    assert matches == () and not searched.loaded and searched.probes == ()
