"""Composition root: the one place that names concrete adapters, and the GUI entry point."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlite_utils import Database

from db.demo import ensure_demo, ensure_demo_home
from db.keyring import Keyring, keyring_path
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from db.vault import HomeState, audit_failed_unlocks, home_state, unlock
from db.watchlist_biometrics import SqliteBiometricReferences
from devices.documents.fake import SPECIMENS, SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from ui.biometric_loader import BiometricLoader, build_biometric_screen
from ui.context import Options
from workstation.documents import Mrz
from workstation.errors import DatabaseLocked
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
from workstation.watchlist import BiometricModality
from workstation.watchlist_biometrics import BiometricScreen

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
class Stores:
    """The unlocked database and the stores on it, with the policy read once at unlock."""

    db: Database
    cases: SqliteInspectionStore
    watchlist: SqliteWatchlist
    operators: SqliteOperators
    references: SqliteBiometricReferences
    policy: Policy

    @classmethod
    def on(cls, db: Database, clock: Clock) -> Stores:
        # One lock for the one connection: the watchlist references are read by a
        # background thread while the screen's worker stores cases.
        lock = threading.RLock()
        operators = SqliteOperators(db, clock, lock)
        return cls(
            db=db,
            cases=SqliteInspectionStore(db, clock, lock),
            watchlist=SqliteWatchlist(db, clock, lock),
            operators=operators,
            references=SqliteBiometricReferences(db, clock, lock),
            policy=operators.load_policy(),
        )


@dataclass
class Services:
    """Everything a window or a command needs, built once at start.

    The database is encrypted and stays closed until an operator unlocks it
    (:meth:`unlock`); ``db``, ``cases``, ``watchlist`` and ``operators`` raise
    :class:`DatabaseLocked` before that and after :meth:`lock`.
    """

    options: Options
    clock: Clock
    devices: Devices
    face: FaceVerifier | None
    """Face 1:1 against the document photo; ``None`` if the dlib stack is not installed."""
    biometrics: BiometricScreen
    """The watchlist's face and finger references, searched 1:N in the checks."""
    stores: Stores | None = None
    loader: BiometricLoader | None = None

    @property
    def unlocked(self) -> bool:
        return self.stores is not None

    def _open(self) -> Stores:
        stores = self.stores
        if stores is None:
            raise DatabaseLocked("no operator has unlocked the database")
        return stores

    @property
    def db(self) -> Database:
        return self._open().db

    @property
    def cases(self) -> SqliteInspectionStore:
        return self._open().cases

    @property
    def watchlist(self) -> SqliteWatchlist:
        return self._open().watchlist

    @property
    def operators(self) -> SqliteOperators:
        return self._open().operators

    def policy(self) -> Policy:
        """The stored policy (read at unlock); the shipped defaults while locked."""
        return self.stores.policy if self.stores is not None else Policy()

    def home_state(self) -> HomeState:
        return home_state(self.options.database_path)

    def unlock(self, operator_id: str, password: str) -> Stores:
        """Unwrap the database key with the operator's password and open the database with
        it: queued failed unlocks go to the audit log, the demo data are refreshed in demo
        mode, the stored policy is applied. While the database is open (the lock screen),
        the password is verified against the keyring again, and failures are audited.

        :raises AuthenticationFailed, AccountLocked: from the keyring's lockout rule.
        :raises StorageError: the database cannot be opened.
        """
        path = self.options.database_path
        stores = self.stores
        if stores is not None:
            keyring = Keyring(keyring_path(path))
            try:
                keyring.unlock(operator_id, password, self.clock.now())
            finally:
                audit_failed_unlocks(stores.db, keyring, self.clock)
            return stores
        db = unlock(path, operator_id, password, self.clock)
        try:
            if self.options.demo:
                ensure_demo(db, self.clock)
            return self.attach(db)
        except BaseException:
            db.close()
            raise

    def attach(self, db: Database, *, load_biometrics: bool = True) -> Stores:
        """Use an open database (unlocked here or by a command); applies its policy.

        :param load_biometrics: start loading the watchlist's face and finger references
            for 1:N search (a command that screens nobody, like the self-test, skips it).
        """
        stores = Stores.on(db, self.clock)
        reader = self.devices.reader
        if reader is not None and hasattr(reader, "bac_allowed"):
            reader.bac_allowed = stores.policy.bac_allowed  # read at every document
        if self.face is not None and self.face.matcher.target_fmr != stores.policy.face_target_fmr:
            self.face.matcher = FaceMatcher(
                self.face.matcher.calibration, stores.policy.face_target_fmr
            )
        self.stores = stores
        if load_biometrics:
            self.loader = BiometricLoader(self.biometrics, stores.references)
            self.loader.start()
        return stores

    def reference_image(
        self, entry_id: str, modality: BiometricModality, position: int
    ) -> tuple[str, bytes] | None:
        """A watchlist reference image, to show beside the traveller's capture."""
        return self._open().references.image(entry_id, modality, position)

    def lock(self) -> None:
        """Close the database: nothing can be read until the next unlock."""
        loader, self.loader = self.loader, None
        if loader is not None:
            loader.stop()
        stores, self.stores = self.stores, None
        if stores is not None:
            stores.db.close()

    close = lock


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
    """Find devices and build the face verifier; the database stays closed until an
    operator unlocks it (:meth:`Services.unlock`), which applies the stored policy.

    In demo mode a new (or unencrypted) demo home is first made encrypted, with the key
    wrapped for the demo accounts.

    :raises workstation.errors.StorageError: the demo home cannot be created.
    """
    clock = clock or SystemClock()
    if options.demo:
        ensure_demo_home(options.database_path, clock)
    policy = Policy()  # the shipped defaults until the stored policy is unlocked
    face = build_face_verifier(policy)
    return Services(
        options=options,
        clock=clock,
        devices=discover_devices(options, policy.bac_allowed),
        face=face,
        biometrics=build_biometric_screen(face),
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
        services.close()
