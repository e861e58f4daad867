"""Screenshot of the finger capture panel for docs/fingerprints.md; run under Xvfb:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m packaging.screenshot_finger_panel

The simulated scanner plays two synthetic fingers (no personal data): the right index is
accepted; the left index is a "wet" impression (grey erosion) that the scanner scores 18,
so the panel asks for a retake and says why.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget
from screenshots import wait_until  # the folder's shared helper

from devices.fingerprint.fake import SimulatedFingerprintScanner, synthetic_finger
from ui.finger_capture import FingerCapturePanel, Phase
from ui.qt_main import create_application
from ui.widgets import Card
from ui.workers import Workers
from workstation.captures import Finger
from workstation.fingerprint.quality import FingerQualityPolicy
from workstation.landing import BOOTH_FINGERS
from workstation.policy import Policy


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/images/finger-panel-en.png"))
    args = parser.parse_args()
    app = create_application()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "1.png").write_bytes(synthetic_finger(Finger.RIGHT_INDEX))
        wet = Image.open(io.BytesIO(synthetic_finger(Finger.LEFT_INDEX))).filter(
            ImageFilter.MinFilter(5)
        )
        wet.save(Path(folder, "2.png"))
        scanner = SimulatedFingerprintScanner(Path(folder), delay=0.5)
        workers = Workers()
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        card = Card("Fingerprints")
        panel = FingerCapturePanel(workers, scanner, BOOTH_FINGERS)
        policy = Policy()
        panel.set_policy(
            FingerQualityPolicy(policy.landing_finger_min_quality, policy.landing_finger_attempts)
        )
        card.body.addWidget(panel, 1)
        layout.addWidget(card)
        page.resize(720, 560)
        page.show()
        panel.start()
        right, left = BOOTH_FINGERS
        wait_until(app, lambda: panel.slots[right].phase is Phase.DONE, timeout=30)
        scanner.quality = 18
        wait_until(app, lambda: panel.slots[left].phase is Phase.DONE, timeout=30)
        loop = QEventLoop()
        QTimer.singleShot(600, loop.quit)
        loop.exec()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screen().grabWindow(page.winId()).save(str(args.out))
        print(args.out)
        panel.stop()
        workers.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
