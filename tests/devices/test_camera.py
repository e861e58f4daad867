from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devices.camera.base import PREVIEW_SIZE
from devices.camera.fake import DEMO_CAPTURE_SIZE, SimulatedCamera, demo_face_path
from workstation.errors import CaptureCancelled, DeviceUnavailable
from workstation.ports import FaceCamera


def take(camera: FaceCamera, count: int) -> list[np.ndarray]:
    stop = threading.Event()
    images = []
    for frame in camera.frames(stop):
        images.append(frame.image)
        if len(images) == count:
            stop.set()
    return images


def write_images(folder: Path, colours: list[tuple[int, int, int]], size=(64, 48)) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, colour in enumerate(colours):
        Image.new("RGB", size, colour).save(folder / f"frame{n:02d}.png")


def test_demo_face_is_shipped_small() -> None:
    path = demo_face_path()
    assert path.is_file()
    assert path.stat().st_size < 100_000


def test_simulated_camera_without_arguments_plays_the_demo_face() -> None:
    camera = SimulatedCamera(fps=200)
    assert camera.simulated and "demo_face" in camera.name
    frames = take(camera, 3)
    assert all(f.shape == (PREVIEW_SIZE[1], PREVIEW_SIZE[0], 3) for f in frames)
    assert all(f.dtype == np.uint8 for f in frames)
    captured = camera.capture()
    assert (captured.width, captured.height) == DEMO_CAPTURE_SIZE


def test_folder_plays_in_name_order_and_loops(tmp_path: Path) -> None:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    write_images(tmp_path, colours)
    camera = SimulatedCamera(tmp_path, fps=500)
    seen = [tuple(int(v) for v in f[10, 10]) for f in take(camera, 7)]
    assert seen == [colours[n % 3] for n in range(7)]


def test_without_loop_frames_end(tmp_path: Path) -> None:
    write_images(tmp_path, [(1, 2, 3), (4, 5, 6)])
    camera = SimulatedCamera(tmp_path, fps=500, loop=False)
    frames = list(camera.frames(threading.Event()))
    assert len(frames) == 2


def test_capture_returns_the_last_previewed_frame_at_source_size(tmp_path: Path) -> None:
    write_images(tmp_path, [(10, 10, 10), (200, 200, 200)], size=(800, 600))
    camera = SimulatedCamera(tmp_path, fps=500)
    take(camera, 2)
    captured = camera.capture()
    assert (captured.width, captured.height) == (800, 600)
    assert int(captured.image[0, 0, 0]) == 200


def test_capture_size_and_preview_crop_keep_aspect(tmp_path: Path) -> None:
    # A wide image with a marker column in the centre stays centred after the 4:3 crop.
    image = np.zeros((100, 300, 3), dtype=np.uint8)
    image[:, 145:155] = 255
    Image.fromarray(image).save(tmp_path / "wide.png")
    camera = SimulatedCamera(tmp_path / "wide.png", fps=500, capture_size=(400, 300))
    preview = take(camera, 1)[0]
    bright = np.flatnonzero(preview[240, :, 0] > 128)
    assert abs(bright.mean() - 320) < 5
    assert camera.capture().image.shape == (300, 400, 3)


def test_stop_ends_the_preview_promptly() -> None:
    camera = SimulatedCamera(fps=0.5)  # a frame every 2 s
    stop = threading.Event()
    frames = camera.frames(stop)
    next(frames)
    stop.set()
    with pytest.raises(StopIteration):
        next(frames)


def test_capture_when_stopped_is_cancelled() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(CaptureCancelled):
        SimulatedCamera().capture(stop)


@pytest.mark.parametrize("kind", ["missing", "empty-folder", "not-an-image"])
def test_bad_sources_are_device_unavailable(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "x"
    if kind == "empty-folder":
        source.mkdir()
    elif kind == "not-an-image":
        source = tmp_path / "x.jpg"
        source.write_bytes(b"not a jpeg")
    with pytest.raises(DeviceUnavailable):
        SimulatedCamera(source)


def test_fps_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SimulatedCamera(fps=-1)


@pytest.fixture
def video(tmp_path: Path) -> Path:
    cv2 = pytest.importorskip("cv2")
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 12.0, (320, 240))
    assert writer.isOpened()
    for n in range(6):
        writer.write(np.full((240, 320, 3), (0, 0, 40 * n), dtype=np.uint8))  # BGR: red rises
    writer.release()
    return path


def test_simulated_camera_plays_a_video(video: Path) -> None:
    camera = SimulatedCamera(video)
    assert camera.frame_count == 6
    assert camera.fps == pytest.approx(12.0)
    reds = [int(f[5, 5, 0]) for f in take(camera, 6)]
    assert reds == sorted(reds) and reds[-1] > 150  # RGB order, red channel first


def test_opencv_camera_reads_a_stream_source(video: Path) -> None:
    from devices.camera.opencv import OpenCvCamera

    with OpenCvCamera(str(video)) as camera:
        frames = take(camera, 2)
        assert frames[0].shape == (480, 640, 3)
        captured = camera.capture()
        assert (captured.width, captured.height) == (320, 240)


def test_opencv_camera_missing_device_is_unavailable(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    from devices.camera.opencv import OpenCvCamera

    camera = OpenCvCamera(str(tmp_path / "none.avi"))
    with pytest.raises(DeviceUnavailable):
        camera.capture()


def test_listing_cameras_never_raises() -> None:
    pytest.importorskip("cv2")
    from devices.camera.opencv import list_cameras

    cameras = list_cameras()
    assert isinstance(cameras, list)
    if sys.platform.startswith("linux") and not list(Path("/dev").glob("video*")):
        assert cameras == []


@pytest.mark.parametrize("preset", [None, "/somewhere/plugins"])
def test_importing_opencv_leaves_qt_variables_alone(preset: str | None) -> None:
    pytest.importorskip("cv2")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA_")}
    if preset is not None:
        env["QT_QPA_PLATFORM_PLUGIN_PATH"] = preset
    code = (
        "import os, devices.camera.opencv;"
        "print(os.environ.get('QT_QPA_PLATFORM_PLUGIN_PATH'), os.environ.get('QT_QPA_FONTDIR'))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [str(preset), "None"]
