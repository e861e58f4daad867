"""Records landing decisions in a loop and prints each case ID once its decision is stored.

Run by test_crash.py, which kills it with SIGKILL at random moments. A line on stdout is the
acknowledgement: the decision must survive whatever happens after it is printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from db.database import open_database
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from workstation.captures import FaceCapture
from workstation.decisions import Decision, DecisionKind
from workstation.landing import LandingExamination
from workstation.ports import SystemClock


def main(path: str) -> None:
    clock = SystemClock()
    db = open_database(Path(path))
    operators = SqliteOperators(db, clock)
    found = operators.find("inspector")
    if found is None:
        raise SystemExit("no inspector")
    store, watchlist = SqliteInspectionStore(db, clock), SqliteWatchlist(db, clock)
    policy = operators.load_policy()
    reader, scanner = SimulatedDocumentReader(), SimulatedFingerprintScanner()
    face = FaceCapture(b"\x89PNG" + bytes(20_000), "image/png", 640, 480, clock.now())
    decision = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
    while True:
        reader.select(4)
        exam = LandingExamination.start(store, watchlist, clock, policy, found[0], training=True)
        exam.read_document(reader)
        exam.record_face(face)
        exam.capture_fingerprints(scanner)
        exam.run_checks()
        exam.decide(decision)
        sys.stdout.write(exam.case.case_id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
