"""Elliptic-curve arithmetic over prime fields, for what ``cryptography`` cannot do.

PACE generic mapping needs the full ECDH point ``H`` and key pairs on a mapped generator
(ICAO 9303-11 §4.4.3.3.1); documents carry keys with explicit domain parameters that
``cryptography`` refuses unless they are P-256/384/521. This module covers both with plain
integer arithmetic in Jacobian coordinates.

NOTE: not constant time. It handles ephemeral PACE keys and public-key verification, where
timing leaks nothing long-lived; never use it for long-term private keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from devices.emrtd.errors import EcError

Point = tuple[int, int] | None
"""An affine point; ``None`` is the point at infinity."""


@dataclass(frozen=True)
class Curve:
    """Short Weierstrass curve y² = x³ + ax + b over GF(p) with base point G of order n."""

    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int = 1
    oid: str = ""

    @property
    def g(self) -> tuple[int, int]:
        return (self.gx, self.gy)

    @property
    def size(self) -> int:
        """Bytes of a field element."""
        return (self.p.bit_length() + 7) // 8

    def same_domain(self, other: Curve) -> bool:
        """Whether ``other`` has the same p, a, b, G and n (names and OIDs aside)."""
        return (self.p, self.a, self.b, self.gx, self.gy, self.n) == (
            other.p,
            other.a,
            other.b,
            other.gx,
            other.gy,
            other.n,
        )

    def with_generator(self, g: tuple[int, int]) -> Curve:
        """The same curve with another base point (PACE's mapped generator Ĝ)."""
        return Curve(f"{self.name}~", self.p, self.a, self.b, g[0], g[1], self.n, self.h)

    def contains(self, point: Point) -> bool:
        if point is None:
            return False
        x, y = point
        if not (0 <= x < self.p and 0 <= y < self.p):
            return False
        return (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    # Jacobian arithmetic (X, Y, Z) with x = X/Z², y = Y/Z³; Z = 0 is infinity.

    def _double(self, P: tuple[int, int, int]) -> tuple[int, int, int]:
        X, Y, Z = P
        p = self.p
        if Z == 0 or Y == 0:
            return (1, 1, 0)
        YY = Y * Y % p
        S = 4 * X * YY % p
        ZZ = Z * Z % p
        M = (3 * X * X + self.a * ZZ * ZZ) % p
        X3 = (M * M - 2 * S) % p
        Y3 = (M * (S - X3) - 8 * YY * YY) % p
        Z3 = 2 * Y * Z % p
        return (X3, Y3, Z3)

    def _add(self, P: tuple[int, int, int], Q: tuple[int, int, int]) -> tuple[int, int, int]:
        if P[2] == 0:
            return Q
        if Q[2] == 0:
            return P
        p = self.p
        X1, Y1, Z1 = P
        X2, Y2, Z2 = Q
        Z1Z1 = Z1 * Z1 % p
        Z2Z2 = Z2 * Z2 % p
        U1 = X1 * Z2Z2 % p
        U2 = X2 * Z1Z1 % p
        S1 = Y1 * Z2 * Z2Z2 % p
        S2 = Y2 * Z1 * Z1Z1 % p
        if U1 == U2:
            return self._double(P) if S1 == S2 else (1, 1, 0)
        H = (U2 - U1) % p
        R = (S2 - S1) % p
        HH = H * H % p
        HHH = H * HH % p
        V = U1 * HH % p
        X3 = (R * R - HHH - 2 * V) % p
        Y3 = (R * (V - X3) - S1 * HHH) % p
        Z3 = H * Z1 * Z2 % p
        return (X3, Y3, Z3)

    def _affine(self, P: tuple[int, int, int]) -> Point:
        X, Y, Z = P
        if Z == 0:
            return None
        zi = pow(Z, -1, self.p)
        zi2 = zi * zi % self.p
        return (X * zi2 % self.p, Y * zi2 * zi % self.p)

    def add(self, a: Point, b: Point) -> Point:
        ja = (a[0], a[1], 1) if a else (1, 1, 0)
        jb = (b[0], b[1], 1) if b else (1, 1, 0)
        return self._affine(self._add(ja, jb))

    def multiply(self, k: int, point: Point) -> Point:
        """k · point (double and add)."""
        if point is None or k % self.n == 0:
            return None
        k %= self.n
        result = (1, 1, 0)
        addend = (point[0], point[1], 1)
        while k:
            if k & 1:
                result = self._add(result, addend)
            addend = self._double(addend)
            k >>= 1
        return self._affine(result)

    # Encodings (BSI TR-03111 §3.2: uncompressed 04 ‖ x ‖ y).

    def encode_point(self, point: Point) -> bytes:
        if point is None:
            raise EcError("cannot encode the point at infinity")
        return b"\x04" + point[0].to_bytes(self.size, "big") + point[1].to_bytes(self.size, "big")

    def decode_point(self, data: bytes) -> tuple[int, int]:
        """Decode an uncompressed point and check that it lies on the curve.

        :raises EcError: wrong encoding, or not a point of this curve.
        """
        size = self.size
        if len(data) != 1 + 2 * size or data[0] != 0x04:
            raise EcError("not an uncompressed point of the expected size")
        point = (int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big"))
        if not self.contains(point):
            raise EcError("point is not on the curve")
        return point

    def new_private_key(self) -> int:
        return secrets.randbelow(self.n - 1) + 1

    def public_key(self, private: int) -> tuple[int, int]:
        point = self.multiply(private, self.g)
        if point is None:
            raise EcError("private key out of range")
        return point


def ecdsa_verify(curve: Curve, public: tuple[int, int], digest: bytes, r: int, s: int) -> bool:
    """ECDSA verification (BSI TR-03111 §4.2.1.2) over any curve.

    :param digest: the message hash; truncated to the bit length of n as usual.
    """
    n = curve.n
    if not (0 < r < n and 0 < s < n) or not curve.contains(public):
        return False
    e = int.from_bytes(digest, "big")
    excess = len(digest) * 8 - n.bit_length()
    if excess > 0:
        e >>= excess
    w = pow(s, -1, n)
    u1 = e * w % n
    u2 = r * w % n
    point = curve.add(curve.multiply(u1, curve.g), curve.multiply(u2, public))
    if point is None:
        return False
    return point[0] % n == r


def ecdsa_sign(curve: Curve, private: int, digest: bytes) -> tuple[int, int]:
    """ECDSA signature with a random nonce (emulators and tests only; not constant time)."""
    n = curve.n
    e = int.from_bytes(digest, "big")
    excess = len(digest) * 8 - n.bit_length()
    if excess > 0:
        e >>= excess
    while True:
        k = curve.new_private_key()
        point = curve.multiply(k, curve.g)
        if point is None:
            continue
        r = point[0] % n
        s = pow(k, -1, n) * (e + r * private) % n
        if r and s:
            return r, s


P192 = Curve(
    "secp192r1",
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC,
    b=0x64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1,
    gx=0x188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012,
    gy=0x7192B95FFC8DA78631011ED6B24CDD573F977A11E794811,
    n=0xFFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831,
    oid="1.2.840.10045.3.1.1",
)
P224 = Curve(
    "secp224r1",
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE,
    b=0xB4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4,
    gx=0xB70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21,
    gy=0xBD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34,
    n=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D,
    oid="1.3.132.0.33",
)
P256 = Curve(
    "secp256r1",
    p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    oid="1.2.840.10045.3.1.7",
)
P384 = Curve(
    "secp384r1",
    p=int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000"
        "FFFFFFFF",
        16,
    ),
    a=int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000"
        "FFFFFFFC",
        16,
    ),
    b=int(
        "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8ED"
        "D3EC2AEF",
        16,
    ),
    gx=int(
        "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E38"
        "72760AB7",
        16,
    ),
    gy=int(
        "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C"
        "90EA0E5F",
        16,
    ),
    n=int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196A"
        "CCC52973",
        16,
    ),
    oid="1.3.132.0.34",
)
P521 = Curve(
    "secp521r1",
    p=(1 << 521) - 1,
    a=(1 << 521) - 4,
    b=int(
        "51953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109E156193951EC7E937B1652C0"
        "BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
        16,
    ),
    gx=int(
        "C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E77EFE75928FE1DC1"
        "27A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66",
        16,
    ),
    gy=int(
        "11839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE72995EF42640C550B"
        "9013FAD0761353C7086A272C24088BE94769FD16650",
        16,
    ),
    n=int(
        "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0"
        "148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    oid="1.3.132.0.35",
)
BP192 = Curve(
    "brainpoolP192r1",
    p=0xC302F41D932A36CDA7A3463093D18DB78FCE476DE1A86297,
    a=0x6A91174076B1E0E19C39C031FE8685C1CAE040E5C69A28EF,
    b=0x469A28EF7C28CCA3DC721D044F4496BCCA7EF4146FBF25C9,
    gx=0xC0A0647EAAB6A48753B033C56CB0F0900A2F5C4853375FD6,
    gy=0x14B690866ABD5BB88B5F4828C1490002E6773FA2FA299B8F,
    n=0xC302F41D932A36CDA7A3462F9E9E916B5BE8F1029AC4ACC1,
    oid="1.3.36.3.3.2.8.1.1.3",
)
BP224 = Curve(
    "brainpoolP224r1",
    p=0xD7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF,
    a=0x68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43,
    b=0x2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B,
    gx=0x0D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D,
    gy=0x58AA56F772C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD,
    n=0xD7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F,
    oid="1.3.36.3.3.2.8.1.1.5",
)
BP256 = Curve(
    "brainpoolP256r1",
    p=0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    a=0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    b=0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    gx=0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
    gy=0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997,
    n=0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
    oid="1.3.36.3.3.2.8.1.1.7",
)
BP320 = Curve(
    "brainpoolP320r1",
    p=0xD35E472036BC4FB7E13C785ED201E065F98FCFA6F6F40DEF4F92B9EC7893EC28FCD412B1F1B32E27,
    a=0x3EE30B568FBAB0F883CCEBD46D3F3BB8A2A73513F5EB79DA66190EB085FFA9F492F375A97D860EB4,
    b=0x520883949DFDBC42D3AD198640688A6FE13F41349554B49ACC31DCCD884539816F5EB4AC8FB1F1A6,
    gx=0x43BD7E9AFB53D8B85289BCC48EE5BFE6F20137D10A087EB6E7871E2A10A599C710AF8D0D39E20611,
    gy=0x14FDD05545EC1CC8AB4093247F77275E0743FFED117182EAA9C77877AAAC6AC7D35245D1692E8EE1,
    n=0xD35E472036BC4FB7E13C785ED201E065F98FCFA5B68F12A32D482EC7EE8658E98691555B44C59311,
    oid="1.3.36.3.3.2.8.1.1.9",
)
BP384 = Curve(
    "brainpoolP384r1",
    p=int(
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729901D1A71874700133"
        "107EC53",
        16,
    ),
    a=int(
        "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F8AA5814A503AD4EB04A8C7DD2"
        "2CE2826",
        16,
    ),
    b=int(
        "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57CB4390295DBC9943AB78696F"
        "A504C11",
        16,
    ),
    gx=int(
        "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8E826E03436D646AAEF87B2E24"
        "7D4AF1E",
        16,
    ),
    gy=int(
        "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF99129280E4646217791811142820341"
        "263C5315",
        16,
    ),
    n=int(
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7CF3AB6AF6B7FC3103B883202E"
        "9046565",
        16,
    ),
    oid="1.3.36.3.3.2.8.1.1.11",
)
BP512 = Curve(
    "brainpoolP512r1",
    p=int(
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA703308717D4D9B009BC66842AECDA12AE"
        "6A380E62881FF2F2D82C68528AA6056583A48F3",
        16,
    ),
    a=int(
        "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98"
        "B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA",
        16,
    ),
    b=int(
        "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CAD"
        "C083E67984050B75EBAE5DD2809BD638016F723",
        16,
    ),
    gx=int(
        "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098EFF3B1F78E2D0D48D50D1687B9"
        "3B97D5F7C6D5047406A5E688B352209BCB9F822",
        16,
    ),
    gy=int(
        "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111B2DCDE494A5F485E5BCA4BD88"
        "A2763AED1CA2B2FA8F0540678CD1E0F3AD80892",
        16,
    ),
    n=int(
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870553E5C414CA92619418661197"
        "FAC10471DB1D381085DDADDB58796829CA90069",
        16,
    ),
    oid="1.3.36.3.3.2.8.1.1.13",
)

KNOWN_CURVES: tuple[Curve, ...] = (
    P192,
    P224,
    P256,
    P384,
    P521,
    BP192,
    BP224,
    BP256,
    BP320,
    BP384,
    BP512,
)

BY_OID: dict[str, Curve] = {c.oid: c for c in KNOWN_CURVES}

PACE_STANDARD_PARAMETERS: dict[int, Curve] = {
    8: P192,
    9: BP192,
    10: P224,
    11: BP224,
    12: P256,
    13: BP256,
    14: BP320,
    15: P384,
    16: BP384,
    17: BP512,
    18: P521,
}
"""ICAO 9303-11 §9.5.1, standardized domain parameters (IDs 0-2 are MODP groups, not here)."""


def identify(curve: Curve) -> Curve | None:
    """The named curve whose domain parameters equal ``curve``'s, if any.

    :param curve: typically built from explicit parameters in a certificate or DG14/DG15.
    """
    return next((known for known in KNOWN_CURVES if known.same_domain(curve)), None)
