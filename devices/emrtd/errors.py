"""Errors of the eMRTD layers, each a core error class with a stable code.

Access problems are :class:`~workstation.errors.ChipAuthenticationFailed` (the operator can
fix them by re-entering the MRZ or CAN); everything else is
:class:`~workstation.errors.DocumentUnreadable`.
"""

from __future__ import annotations

from workstation.errors import ChipAuthenticationFailed, DocumentUnreadable


class AccessDenied(ChipAuthenticationFailed):
    """The chip refused the MRZ or CAN (BAC EXTERNAL AUTHENTICATE or PACE answered 63 00)."""

    code = "DOC-EMRTD-ACCESS-DENIED"


class ChipResponseInvalid(ChipAuthenticationFailed):
    """The chip's own BAC cryptogram or PACE token did not verify."""

    code = "DOC-EMRTD-CHIP-RESPONSE"


class BacNotAllowed(ChipAuthenticationFailed):
    """The chip offers no usable PACE and the policy forbids falling back to BAC."""

    code = "DOC-EMRTD-BAC-NOT-ALLOWED"


class CanNeedsPace(ChipAuthenticationFailed):
    """A CAN was given, but the chip offers no usable PACE (BAC works with the MRZ only)."""

    code = "DOC-EMRTD-CAN-NEEDS-PACE"


class PaceError(DocumentUnreadable):
    """PACE could not run: unsupported parameters or a protocol error (not a wrong password)."""

    code = "DOC-EMRTD-PACE"


class LdsError(DocumentUnreadable):
    """A data group, EF.COM, EF.CardAccess or EF.SOD is malformed."""

    code = "DOC-EMRTD-LDS"


class UnsupportedKey(DocumentUnreadable):
    """A public key or signature algorithm could not be understood or is not supported."""

    code = "DOC-EMRTD-KEY"


class EcError(DocumentUnreadable):
    """A point or key is not valid on its curve."""

    code = "DOC-EMRTD-EC"
