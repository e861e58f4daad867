"""SecurityInfos (ICAO 9303-11 §9.2): what EF.CardAccess and DG14 announce.

Each SecurityInfo is ``SEQUENCE { protocol OID, requiredData ANY, optionalData ANY OPTIONAL }``;
this module parses the ones the reader uses and keeps the rest as unknown protocols.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import core, keys

from devices.emrtd.crypto import PublicKey, SmCipher, load_public_key
from devices.emrtd.errors import LdsError, UnsupportedKey

ID_PACE = "0.4.0.127.0.7.2.2.4"
ID_CA = "0.4.0.127.0.7.2.2.3"
ID_PK_DH = "0.4.0.127.0.7.2.2.1.1"
ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
ID_AA = "2.23.136.1.1.5"

_SUITES = {"1": SmCipher.DES3, "2": SmCipher.AES128, "3": SmCipher.AES192, "4": SmCipher.AES256}
_PACE_MAPPINGS = {
    "1": ("DH", "GM"),
    "2": ("ECDH", "GM"),
    "3": ("DH", "IM"),
    "4": ("ECDH", "IM"),
    "6": ("ECDH", "CAM"),
}


class _SecurityInfo(core.Sequence):
    _fields = [
        ("protocol", core.ObjectIdentifier),
        ("required_data", core.Any),
        ("optional_data", core.Any, {"optional": True}),
    ]


class _SecurityInfos(core.SetOf):
    _child_spec = _SecurityInfo


def oid_value(dotted: str) -> bytes:
    """The content octets of an OID (what goes into DO'80' and DO'06')."""
    return core.ObjectIdentifier(dotted).contents


@dataclass(frozen=True)
class PaceInfo:
    """One PACEInfo: protocol OID, version and the standardized domain parameter ID."""

    protocol: str
    version: int
    parameter_id: int | None

    @property
    def key_agreement(self) -> str:
        return _PACE_MAPPINGS.get(self.protocol.split(".")[-2], ("?", "?"))[0]

    @property
    def mapping(self) -> str:
        return _PACE_MAPPINGS.get(self.protocol.split(".")[-2], ("?", "?"))[1]

    @property
    def suite(self) -> SmCipher | None:
        return _SUITES.get(self.protocol.split(".")[-1])

    def describe(self) -> str:
        suite = self.suite.value if self.suite else "?"
        return f"PACE-{self.key_agreement}-{self.mapping}-{suite}"


@dataclass(frozen=True)
class ChipAuthenticationInfo:
    """ChipAuthenticationInfo: the CA protocol (key agreement and cipher) and key ID."""

    protocol: str
    version: int
    key_id: int | None

    @property
    def key_agreement(self) -> str:
        return "ECDH" if self.protocol.split(".")[-2] == "2" else "DH"

    @property
    def suite(self) -> SmCipher | None:
        return _SUITES.get(self.protocol.split(".")[-1])


@dataclass(frozen=True)
class ChipAuthenticationPublicKey:
    """ChipAuthenticationPublicKeyInfo: the chip's static key and key ID."""

    protocol: str
    key: PublicKey
    key_id: int | None
    der: bytes = field(repr=False, default=b"")


@dataclass(frozen=True)
class ActiveAuthenticationInfo:
    """ActiveAuthenticationInfo: which ECDSA signature the chip produces."""

    version: int
    signature_algorithm: str | None


@dataclass(frozen=True)
class SecurityInfos:
    """The parsed set. Unknown protocols are listed by OID only."""

    pace: tuple[PaceInfo, ...] = ()
    chip_authentication: tuple[ChipAuthenticationInfo, ...] = ()
    chip_authentication_keys: tuple[ChipAuthenticationPublicKey, ...] = ()
    active_authentication: ActiveAuthenticationInfo | None = None
    other: tuple[str, ...] = ()


def _int(value: core.Any | None) -> int | None:
    if value is None or isinstance(value, core.Void):
        return None
    try:
        parsed = core.Integer.load(value.dump())
    except ValueError as e:
        raise LdsError("SecurityInfo integer malformed") from e
    return int(parsed.native)


def parse_security_infos(data: bytes) -> SecurityInfos:
    """Parse a DER ``SET OF SecurityInfo``.

    :raises LdsError: the bytes are not a SecurityInfos structure.
    """
    try:
        infos = _SecurityInfos.load(data, strict=True)
        items = [(i["protocol"].dotted, i["required_data"], i["optional_data"]) for i in infos]
    except (ValueError, TypeError) as e:
        raise LdsError("SecurityInfos malformed") from e
    pace: list[PaceInfo] = []
    ca: list[ChipAuthenticationInfo] = []
    ca_keys: list[ChipAuthenticationPublicKey] = []
    aa: ActiveAuthenticationInfo | None = None
    other: list[str] = []
    for oid, required, optional in items:
        try:
            if oid.startswith(ID_PACE + ".") and oid.count(".") == ID_PACE.count(".") + 2:
                pace.append(PaceInfo(oid, _int(required) or 0, _int(optional)))
            elif oid.startswith(ID_CA + ".") and oid.count(".") == ID_CA.count(".") + 2:
                ca.append(ChipAuthenticationInfo(oid, _int(required) or 0, _int(optional)))
            elif oid in (ID_PK_DH, ID_PK_ECDH):
                der = required.dump()
                key = load_public_key(keys.PublicKeyInfo.load(der))
                ca_keys.append(ChipAuthenticationPublicKey(oid, key, _int(optional), der))
            elif oid == ID_AA:
                algorithm = None
                if optional is not None and not isinstance(optional, core.Void):
                    algorithm = core.ObjectIdentifier.load(optional.dump()).dotted
                aa = ActiveAuthenticationInfo(_int(required) or 0, algorithm)
            else:
                other.append(oid)
        except UnsupportedKey:
            other.append(oid)  # a key type we cannot use is reported as an unknown protocol
        except (ValueError, TypeError) as e:
            raise LdsError(f"SecurityInfo {oid} malformed") from e
    return SecurityInfos(tuple(pace), tuple(ca), tuple(ca_keys), aa, tuple(other))
