"""Composition root: the one place that names concrete adapters, and the GUI entry point."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlite_utils import Database

from db.database import open_database
from db.demo import ensure_demo
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from devices.documents.fake import SPECIMENS, SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from ui.context import Options
from workstation.documents import Mrz
from workstation.face import FaceEncoder, FaceMatcher, load_calibration
from workstation.face.verification import FaceVerifier
from workstation.policy import Policy
from workstation.ports import (
    Clock,
    DocumentReader,
    FaceCamera,
    FingerprintScanner,
    Progress,
    SystemClock,
)
from workstation.residence_card import ResidenceCardReport

logger = logging.getLogger(__name__)


class CardInspector(Protocol):
    """Reads a residence card with its printed number and judges it."""

    name: str

    def inspect(
        self,
        card_number: str,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> ResidenceCardReport: ...


@dataclass
class Devices:
    """The devices in use; ``missing`` names families with no device, for the health panel."""

    reader: DocumentReader | None
    camera: FaceCamera | None
    scanner: FingerprintScanner | None
    training: bool
    specimens: tuple[tuple[str, str], ...] = ()
    """Training mode: the simulated documents as (name, purpose)."""
    select_specimen: Callable[[int], None] | None = None
    """Training mode: put specimen ``i`` on the simulated reader."""
    capture_scale: float = 1.0
    """Camera capture width over preview width."""
    card_inspector: CardInspector | None = None
    """Reads and verifies residence cards (the Document check screen)."""
    training_cards: tuple[tuple[str, str], ...] = ()
    """Training mode: the simulated residence cards as (card number, purpose)."""
    select_card: Callable[[int], None] | None = None

    @property
    def missing(self) -> list[str]:
        return [
            name
            for name, device in (
                ("reader", self.reader),
                ("camera", self.camera),
                ("scanner", self.scanner),
            )
            if device is None
        ]


@dataclass
class Services:
    """Everything a window or a command needs, built once at start."""

    options: Options
    db: Database
    clock: Clock
    cases: SqliteInspectionStore
    watchlist: SqliteWatchlist
    operators: SqliteOperators
    devices: Devices
    face: FaceVerifier | None
    """Face 1:1 against the document photo; ``None`` if the dlib stack is not installed."""

    def policy(self) -> Policy:
        return self.operators.load_policy()


def discover_devices(options: Options, bac_allowed: bool = True) -> Devices:
    """Simulated devices in training mode; otherwise the real devices found (never raises)."""
    if options.simulate_devices:
        from devices.camera.base import PREVIEW_SIZE
        from devices.camera.fake import DEMO_CAPTURE_SIZE, SimulatedCamera
        from devices.residence_card.fake import TRAINING_CARDS, SimulatedResidenceCardReader

        simulated = SimulatedDocumentReader(delay=0.3)
        cards = SimulatedResidenceCardReader()
        return Devices(
            reader=simulated,
            camera=SimulatedCamera(),
            scanner=SimulatedFingerprintScanner(delay=0.3),
            training=True,
            specimens=tuple((f"{s.surname}, {s.given_names}", s.purpose) for s in SPECIMENS),
            select_specimen=simulated.select,
            capture_scale=DEMO_CAPTURE_SIZE[0] / PREVIEW_SIZE[0],
            card_inspector=cards,
            training_cards=tuple((c.card_number, c.purpose) for c in TRAINING_CARDS),
            select_card=cards.select,
        )
    camera: FaceCamera | None = None
    try:
        from devices.camera.opencv import OpenCvCamera, list_cameras

        found = list_cameras()
        if options.camera is not None:
            camera = OpenCvCamera(
                int(options.camera) if options.camera.isdigit() else options.camera
            )
        elif found:
            camera = OpenCvCamera(found[0].index, found[0].name)
    except ImportError:
        logger.warning("OpenCV camera support not installed")
    reader: DocumentReader | None = None
    inspector: CardInspector | None = None
    try:
        from devices.emrtd.pcsc_document_reader import PcscPassportDocumentReader
        from devices.residence_card.pcsc_inspector import PcscResidenceCardInspector

        # Trust folders (see docs/documents.md): CSCA certificates / master lists for
        # passports, ZairyuCard CA certificates for residence cards.
        reader = PcscPassportDocumentReader(
            options.home / "trust" / "csca", options.reader, bac_allowed=bac_allowed
        )
        inspector = PcscResidenceCardInspector(options.home / "trust" / "zairyu", options.reader)
    except ImportError:
        logger.warning("PC/SC support (pyscard) not installed")
    return Devices(
        reader=reader,
        camera=camera,
        scanner=discover_sbi_scanner(options),
        training=False,
        card_inspector=inspector,
    )


def discover_sbi_scanner(options: Options) -> FingerprintScanner | None:
    """The first SBI fingerprint device on this host whose signatures chain to the trust
    roots in ``$SEKISHO_HOME/trust/sbi/*.pem`` (see docs/fingerprints.md); never raises."""
    folder = options.home / "trust" / "sbi"
    roots = [p.read_bytes() for p in sorted(folder.glob("*.pem"))] if folder.is_dir() else []
    if not roots:
        logger.warning("no SBI trust roots in %s: fingerprint scanners are not used", folder)
        return None
    try:
        from devices.fingerprint.sbi.client import SbiClient, SbiTrust
        from devices.fingerprint.sbi.scanner import SbiFingerprintScanner

        client = SbiClient(SbiTrust.from_pem(roots))
        found = client.discover()
    except (ImportError, ValueError) as e:
        logger.warning("SBI discovery unavailable: %s", type(e).__name__)
        return None
    return SbiFingerprintScanner(client, found[0]) if found else None


def build_face_verifier(policy: Policy) -> FaceVerifier | None:
    """The dlib face verifier at the policy's target FMR; models load on first use."""
    try:
        from devices.biometrics.dlib_encoder import DlibFaceEncoder
    except ImportError:
        logger.warning("face matching unavailable: dlib is not installed")
        return None
    return FaceVerifier(DlibFaceEncoder, FaceMatcher(load_calibration(), policy.face_target_fmr))


def mrz_image_reader() -> Callable[[bytes], Mrz] | None:
    """MRZ OCR (Debian's tesseract) when it is installed."""
    import shutil

    if shutil.which("tesseract") is None:
        return None
    from devices.documents.mrz_ocr import read_mrz

    return read_mrz


def preview_encoder_factory() -> Callable[[], FaceEncoder] | None:
    """A factory for the detector used on preview frames (one per camera thread)."""
    try:
        from devices.biometrics.dlib_encoder import DlibFaceEncoder
    except ImportError:
        return None
    return DlibFaceEncoder


def build_services(options: Options, clock: Clock | None = None) -> Services:
    """Open the database (migrating it), seed the demo if asked, and find devices.

    :raises workstation.errors.StorageError: the database cannot be opened.
    """
    clock = clock or SystemClock()
    db = open_database(options.database_path)
    if options.demo:
        ensure_demo(db, clock)
    operators = SqliteOperators(db, clock)
    policy = operators.load_policy()
    return Services(
        options=options,
        db=db,
        clock=clock,
        cases=SqliteInspectionStore(db, clock),
        watchlist=SqliteWatchlist(db, clock),
        operators=operators,
        devices=discover_devices(options, policy.bac_allowed),
        face=build_face_verifier(policy),
    )


def main(options: Options, *, startup_probe: bool = False) -> int:
    """Start the GUI and run until the main window closes.

    :param startup_probe: print ``login-ready`` when the login screen is shown and quit
        (used by ``sekisho bench`` to measure start-up time).
    """
    from ui.qt_main import run_gui

    services = build_services(options)
    try:
        return run_gui(services, startup_probe=startup_probe)
    finally:
        services.db.close()
