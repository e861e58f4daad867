"""Entry script of the frozen ``sekisho`` executable (see packaging/workstation.spec).

The installed console script and ``python -m ui`` reach the same ``ui.cli.main``; this file
exists because PyInstaller needs a script, not an entry point.
"""

from __future__ import annotations

import multiprocessing
import sys

from ui.cli import main

if __name__ == "__main__":
    # A frozen Windows program re-executes itself for every multiprocessing child; without
    # this call the child would start a second workstation instead of running its task.
    multiprocessing.freeze_support()
    sys.exit(main())
