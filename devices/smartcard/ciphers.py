"""Block ciphers and MACs for secure messaging: 3DES with the retail MAC, AES with CMAC.

Each cipher works in CBC mode with an explicit IV and pads with ISO/IEC 9797-1 padding
method 2 (``80 00..``), which is what ICAO 9303-11 and the Japanese residence card use.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from devices.smartcard.base import SecureMessagingError


def pad(data: bytes, block_size: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: always append ``80`` then zeros to a block boundary.

    :param data: the message.
    :param block_size: 8 for 3DES, 16 for AES.
    """
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % block_size)


def unpad(data: bytes) -> bytes:
    """Remove padding method 2.

    :raises SecureMessagingError: the data does not end in ``80 00..``.
    """
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise SecureMessagingError("bad padding")
    return stripped[:-1]


class BlockCipher(Protocol):
    """A CBC cipher plus the MAC that goes with it."""

    @property
    def block_size(self) -> int:
        """8 for 3DES, 16 for AES."""
        ...

    def encrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        """CBC-encrypt block-aligned ``data``; IV defaults to zeros."""
        ...

    def decrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        """CBC-decrypt block-aligned ``data``; IV defaults to zeros."""
        ...

    def mac(self, data: bytes) -> bytes:
        """The 8-byte MAC over ``data`` (padding method 2 is applied here)."""
        ...


def _cbc(algorithm: algorithms.BlockCipherAlgorithm | TripleDES, iv: bytes) -> Cipher:
    return Cipher(algorithm, modes.CBC(iv))


class Des3Cipher:
    """Two-key 3DES (EDE) in CBC mode; MAC = ISO/IEC 9797-1 algorithm 3 ("retail MAC").

    :param key: 16 bytes, K1 ‖ K2. DES parity bits are ignored.
    """

    block_size: ClassVar[int] = 8

    def __init__(self, key: bytes) -> None:
        if len(key) != 16:
            raise ValueError("3DES key must be 16 bytes")
        # K1 K2 K1 as a 24-byte key: cryptography deprecates the 16-byte two-key form.
        self._key = key + key[:8]
        self._k1 = TripleDES(key[:8] * 3)

    def _check(self, data: bytes) -> None:
        if len(data) % 8:
            raise SecureMessagingError("data is not a multiple of the 3DES block")

    def encrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        self._check(data)
        enc = _cbc(TripleDES(self._key), iv or bytes(8)).encryptor()
        return enc.update(data) + enc.finalize()

    def decrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        self._check(data)
        dec = _cbc(TripleDES(self._key), iv or bytes(8)).decryptor()
        return dec.update(data) + dec.finalize()

    def mac(self, data: bytes) -> bytes:
        padded = pad(data, 8)
        # Single-DES CBC under K1 over every block but the last, then the last block goes
        # through full 3DES (E_K1 D_K2 E_K1), which is algorithm 3's output transform.
        head, last = padded[:-8], padded[-8:]
        chain = bytes(8)
        if head:
            enc = _cbc(self._k1, bytes(8)).encryptor()
            chain = (enc.update(head) + enc.finalize())[-8:]
        final = Cipher(TripleDES(self._key), modes.ECB()).encryptor()  # noqa: S305
        block = bytes(a ^ b for a, b in zip(chain, last, strict=True))
        return final.update(block) + final.finalize()


class AesCipher:
    """AES in CBC mode; MAC = AES-CMAC truncated to 8 bytes.

    :param key: 16, 24 or 32 bytes.
    """

    block_size: ClassVar[int] = 16

    def __init__(self, key: bytes) -> None:
        if len(key) not in (16, 24, 32):
            raise ValueError("AES key must be 16, 24 or 32 bytes")
        self._key = key

    def _check(self, data: bytes) -> None:
        if len(data) % 16:
            raise SecureMessagingError("data is not a multiple of the AES block")

    def encrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        self._check(data)
        enc = _cbc(algorithms.AES(self._key), iv or bytes(16)).encryptor()
        return enc.update(data) + enc.finalize()

    def decrypt(self, data: bytes, iv: bytes | None = None) -> bytes:
        self._check(data)
        dec = _cbc(algorithms.AES(self._key), iv or bytes(16)).decryptor()
        return dec.update(data) + dec.finalize()

    def encrypt_block(self, block: bytes) -> bytes:
        """AES-ECB of one block (ICAO 9303-11 derives the SM IV this way)."""
        enc = Cipher(algorithms.AES(self._key), modes.ECB()).encryptor()  # noqa: S305
        return enc.update(block) + enc.finalize()

    def mac(self, data: bytes) -> bytes:
        # CMAC pads internally (its own scheme); callers pass unpadded data.
        c = CMAC(algorithms.AES(self._key))
        c.update(data)
        return c.finalize()[:8]
