"""`sekisho selftest`: is this installation able to work? No personal data is printed."""

from __future__ import annotations

import importlib.metadata
import platform
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ui.context import Options


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _run(name: str, fn: Callable[[], str]) -> Check:
    try:
        return Check(name, True, fn())
    except Exception as e:  # noqa: BLE001 - a self-test reports every failure, whatever it is
        return Check(name, False, f"{type(e).__name__}: {e}")


def run_selftest(options: Options) -> list[Check]:
    """Run every check; each reports separately so one failure does not hide another."""
    from ui.app import build_services

    checks: list[Check] = []
    services = None

    def versions() -> str:
        import cv2  # noqa: F401 - proves the OpenCV wheel loads
        from PySide6 import __version__ as qt

        return (
            f"Python {platform.python_version()}, Qt {qt}, OpenCV {_version('opencv-python')}, "
            f"dlib {_version('dlib-bin')}, SQLite {sqlite3.sqlite_version}"
        )

    checks.append(_run("versions", versions))

    def database() -> str:
        nonlocal services
        from db.database import schema_version
        from db.migrations import MIGRATIONS
        from ui.cli_db import open_for_command

        built = build_services(options)
        built.attach(open_for_command(options), load_biometrics=False)  # unlocked like any command
        services = built
        pending = MIGRATIONS.pending(built.db)
        if pending:
            raise RuntimeError(f"{len(pending)} migrations pending")
        return f"{options.database_path} (schema {schema_version(built.db)})"

    checks.append(_run("database", database))
    if services is None:
        return checks
    svc = services

    def audit() -> str:
        from db import audit_trail

        report = audit_trail.verify(svc.db)
        if not report.ok:
            raise RuntimeError(f"broken at entry {report.first_broken_seq}: {report.problem}")
        return f"{report.checked} entries verified"

    checks.append(_run("audit chain", audit))

    def operators() -> str:
        count = svc.db.execute("SELECT count(*) FROM operators WHERE active = 1").fetchone()[0]
        if not count:
            raise RuntimeError("no operators; start with --demo or create an administrator")
        svc.policy()
        return f"{count} active operators, policy valid"

    checks.append(_run("operators & policy", operators))

    def watchlist() -> str:
        version = svc.watchlist.current_version()
        counts = svc.watchlist.counts()
        return f"version {version.version}, {counts['persons']} persons"

    checks.append(_run("watchlist", watchlist))

    def translations() -> str:
        from PySide6.QtCore import QTranslator

        from ui.i18n_loader import translation_file

        path = translation_file("ja")
        if path is None or not QTranslator().load(str(path)):
            raise RuntimeError("Japanese translation missing")
        return "ja, en"

    checks.append(_run("translations", translations))

    def face_models() -> str:
        from devices.biometrics.dlib_encoder import models_dir

        models = models_dir()
        needed = (
            "dlib_face_recognition_resnet_model_v1.dat",
            "shape_predictor_5_face_landmarks.dat",
        )
        missing = [n for n in needed if not (models / n).is_file()]
        if missing:
            raise RuntimeError(f"missing {', '.join(missing)}")
        return "dlib models present"

    checks.append(_run("face models", face_models))

    def devices() -> str:
        from workstation.captures import Finger

        found = svc.devices
        reader, camera, scanner = found.reader, found.camera, found.scanner
        if reader is None or camera is None or scanner is None:
            raise RuntimeError(f"not found: {', '.join(found.missing)}")
        stop = threading.Event()
        if not found.training:
            # Live devices: presence only; reading a document needs a traveller's document.
            from devices.smartcard.pcsc import list_readers

            readers = list_readers()
            if not readers:
                raise RuntimeError("no PC/SC card reader connected")
            frame = camera.capture(stop)
            return f"real: {len(readers)} card reader(s), camera {frame.width}x{frame.height}"
        reader.read(stop=stop)
        frame = camera.capture(stop)
        scanner.capture([Finger.RIGHT_INDEX], stop)
        return f"simulated (training mode): reader, camera {frame.width}x{frame.height}, scanner"

    checks.append(_run("devices", devices))
    svc.db.close()
    return checks
