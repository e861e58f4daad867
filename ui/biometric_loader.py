"""Keeps the in-memory watchlist references in step with the applied watchlist.

A daemon thread loads the references at start and again whenever another watchlist version
has been applied (by ``sekisho watchlist sync``, in another process), without a restart.
Searches keep using the previous version until the new one is loaded whole.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from db.watchlist_biometrics import SqliteBiometricReferences, VersionChanged
from workstation.errors import StorageError
from workstation.face.calibration import load_calibration
from workstation.face.verification import FaceVerifier
from workstation.fingerprint.template import FingerTemplate
from workstation.watchlist_biometrics import BiometricScreen

logger = logging.getLogger(__name__)

POLL_SECONDS = 30.0


def finger_extractor() -> Callable[[bytes], FingerTemplate] | None:
    """mindtct minutiae extraction when nbis-py is installed."""
    try:
        from devices.fingerprint.nbis_backend import NbisMinutiaeExtractor

        return NbisMinutiaeExtractor().extract
    except Exception as e:  # noqa: BLE001 - ImportError or CaptureFailed: run without it
        logger.warning("finger watchlist search unavailable: %s", type(e).__name__)
        return None


def build_biometric_screen(face: FaceVerifier | None) -> BiometricScreen:
    """The 1:N screen, encoding with the face verifier's encoder and mindtct."""
    return BiometricScreen(
        load_calibration(),
        face_encode=face.template if face is not None else None,
        finger_extract=finger_extractor(),
    )


class BiometricLoader:
    """Loads ``screen`` from ``references`` now and after every watchlist change.

    :param on_loaded: called (from the loader thread) after each load, e.g. to refresh a
        status display.
    """

    def __init__(
        self,
        screen: BiometricScreen,
        references: SqliteBiometricReferences,
        poll_seconds: float = POLL_SECONDS,
        on_loaded: Callable[[], None] | None = None,
    ) -> None:
        self.screen = screen
        self._references = references
        self._poll = poll_seconds
        self._on_loaded = on_loaded
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watchlist-biometrics", daemon=True)
        self.loaded = threading.Event()
        """Set once the first load has finished (successfully or not)."""
        self.error: str | None = None

    def start(self) -> None:
        self._thread.start()

    def refresh(self) -> None:
        """Check for a new version now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._load_if_changed()
            self.loaded.set()
            self._wake.wait(self._poll)
            self._wake.clear()

    def _load_if_changed(self) -> None:
        try:
            if self._references.version() == self.screen.version and self.loaded.is_set():
                return
            version, references = self._references.read_all()
            if version != self.screen.version or not self.loaded.is_set():
                self.screen.load(version, references)
            self.error = None
        except (StorageError, VersionChanged) as e:
            self.error = type(e).__name__
            logger.warning("watchlist references not loaded: %s", self.error)
            return
        if self._on_loaded is not None:
            self._on_loaded()
