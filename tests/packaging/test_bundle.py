"""The frozen application: the PyInstaller build of ``make bundle``, smoke-run as CI does.

Building takes one to two minutes on two cores. Set ``SEKISHO_BUNDLE_DIR`` to an existing
application folder (``dist/sekisho`` after ``make bundle``) to test that one instead of
building a fresh bundle in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "workstation.spec"
SMOKE = REPO / "packaging" / "smoke.sh"
WINDOWS = sys.platform == "win32"
EXECUTABLE = "sekisho.exe" if WINDOWS else "sekisho"
QT_TRANSLATIONS = "PySide6/translations" if WINDOWS else "PySide6/Qt/translations"
OUR_PACKAGES = ("workstation", "devices", "db", "ui")
FACE_MODELS = (
    "dlib_face_recognition_resnet_model_v1.dat",
    "shape_predictor_5_face_landmarks.dat",
    "shape_predictor_68_face_landmarks.dat",
    "mmod_human_face_detector.dat",
)
BUILD_TIMEOUT = 900

pytestmark = [pytest.mark.bundle, pytest.mark.timeout(BUILD_TIMEOUT + 300)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The one-folder application (the folder holding the ``sekisho`` executable)."""
    existing = os.environ.get("SEKISHO_BUNDLE_DIR")
    if existing:
        app = Path(existing).resolve()
        if not (app / EXECUTABLE).is_file():
            pytest.fail(f"SEKISHO_BUNDLE_DIR={existing} holds no {EXECUTABLE}")
        yield app
        return
    work = tmp_path_factory.mktemp("bundle")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={work / 'dist'}",
        f"--workpath={work / 'build'}",
        str(SPEC),
    ]
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    print(f"PyInstaller build: {time.monotonic() - started:.0f} s")
    assert result.returncode == 0, f"build failed:\n{result.stdout[-3000:]}{result.stderr[-6000:]}"
    shutil.rmtree(work / "build", ignore_errors=True)
    yield work / "dist" / "sekisho"
    shutil.rmtree(work, ignore_errors=True)  # about 550 MB


def _internal(bundle: Path) -> Path:
    return bundle / "_internal"


def test_frozen_program_passes_the_smoke_test(bundle: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(SMOKE), str(bundle)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(f"smoke run: {time.monotonic() - started:.0f} s\n{result.stdout}{result.stderr}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout


def test_frozen_program_has_every_command(bundle: Path, tmp_path: Path) -> None:
    """Command modules that fail to import are dropped silently; frozen, none may be missing."""
    env = {**os.environ, "SEKISHO_HOME": str(tmp_path), "COLUMNS": "100"}

    def help_text(command: list[str]) -> str:
        result = subprocess.run(
            [*command, "--help"], capture_output=True, text=True, env=env, timeout=120, check=True
        )
        return result.stdout

    assert help_text([str(bundle / EXECUTABLE)]) == help_text([sys.executable, "-m", "ui"])


def test_translations_are_inside(bundle: Path) -> None:
    internal = _internal(bundle)
    assert (internal / "ui" / "i18n" / "sekisho_ja.qm").is_file()
    qt = internal / QT_TRANSLATIONS
    assert (qt / "qtbase_ja.qm").is_file()
    assert (qt / "qt_ja.qm").is_file()
    other_languages = [p.name for p in qt.glob("*.qm") if not p.name.endswith("_ja.qm")]
    assert other_languages == []


def test_face_models_are_inside_and_complete(bundle: Path) -> None:
    spec = importlib.util.find_spec("face_recognition_models")
    assert spec is not None and spec.submodule_search_locations
    installed = Path(next(iter(spec.submodule_search_locations))) / "models"
    bundled = _internal(bundle) / "face_recognition_models" / "models"
    for model in FACE_MODELS:
        assert (bundled / model).stat().st_size == (installed / model).stat().st_size, model


def test_package_data_is_inside(bundle: Path) -> None:
    """Every data file of our packages (demo image, calibration, resources) is bundled."""
    skipped_suffixes = {".py", ".pyc", ".pyi", ".ts"}
    missing = []
    for package in OUR_PACKAGES:
        for path in (REPO / package).rglob("*"):
            if (
                not path.is_file()
                or "__pycache__" in path.parts
                or path.suffix in skipped_suffixes
                or path.name == "py.typed"
            ):
                continue
            relative = path.relative_to(REPO)
            if not (_internal(bundle) / relative).is_file():
                missing.append(str(relative))
    assert missing == []


@pytest.mark.parametrize(
    ("package", "needed"),
    [("pykakasi", "data/kanwadict4.db"), ("nbis", "libnbis.so")],
)
def test_files_that_third_party_packages_open_are_inside(
    bundle: Path, package: str, needed: str
) -> None:
    """Packages no PyInstaller hook covers: pykakasi's dictionaries, nbis-py's ctypes library."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{package} is not installed (optional)")
    source = Path(next(iter(spec.submodule_search_locations))) / needed
    if not source.is_file():
        pytest.skip(f"{package} has no {needed} on this platform")
    assert (_internal(bundle) / package / needed).is_file()


@pytest.mark.skipif(WINDOWS, reason="opencv-python ships Qt only on Linux")
def test_opencv_qt_plugins_and_gtk_theme_are_left_out(bundle: Path) -> None:
    internal = _internal(bundle)
    assert not (internal / "cv2" / "qt").exists()
    assert list(internal.rglob("libqgtk3.so")) == []
    assert list(internal.glob("libgtk-3.so*")) == []
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").is_file()


def test_no_dangling_links(bundle: Path) -> None:
    internal = _internal(bundle)
    dangling = [str(p.relative_to(internal)) for p in internal.rglob("*") if not p.exists()]
    assert dangling == []


def test_windows_version_template_is_well_formed() -> None:
    """The template renders (as the spec does on Windows) into a valid version resource."""
    template = (REPO / "packaging" / "version_info.txt").read_text(encoding="utf-8")
    text = template.replace("@VERSION_TUPLE@", "0, 1, 0, 0").replace("@VERSION@", "0.1.0")
    assert "@" not in text

    def record(name: str) -> object:
        return lambda *args, **kwargs: (name, args, kwargs)

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    # PyInstaller reads the file with eval(); here the classes only record their arguments.
    info = eval(text, {name: record(name) for name in names})  # noqa: S307
    assert isinstance(info, tuple)
    assert info[0] == "VSVersionInfo"
    assert info[2]["ffi"][2]["filevers"] == (0, 1, 0, 0)
