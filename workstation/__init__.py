"""Sekisho domain core: documents, travellers, checks, decisions and the inspection workflows.

Nothing in this package imports Qt, pyscard, OpenCV, dlib or SQLite (import-linter enforces it).
"""

from __future__ import annotations

__version__ = "0.1.0"
