"""Fingerprint templates and matching: pure arithmetic, no device or image libraries.

- :mod:`.template`: :class:`FingerTemplate`, the minutiae set every matcher works on.
- :mod:`.iso19794_2`: ISO/IEC 19794-2:2005 finger minutiae records, read and written.
- :mod:`.mcc`: minutia cylinder codes and the 1:1 matcher.
- :mod:`.index`: the 1:N search (pre-selection plus vectorised scoring).
- :mod:`.evaluation`: the FVC protocol and its error rates.
- :mod:`.quality`: quality gates per workflow and the altered-fingerprint warning.
"""

from __future__ import annotations
