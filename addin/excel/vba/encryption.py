"""[MS-OVBA] §2.4.3 data encryption: the CMG, DPB and GC values of the PROJECT stream.

Not secrecy: a light obfuscation keyed by the project id. ``CMG`` holds the
protection state (4 bytes), ``DPB`` the password (one ``0x00`` byte when there
is none), ``GC`` the visibility (``0xFF`` visible). Each is written as the
upper-case hex of :func:`encrypt_data`'s output.
"""

from __future__ import annotations

import struct

__all__ = ["EncryptionError", "decrypt_data", "encrypt_data"]

_ENCODING = "cp1252"
_VERSION = 2


class EncryptionError(ValueError):
    """Encrypted data is malformed or belongs to another project."""


def encrypt_data(data: bytes, project_id: str, *, seed: int, ignored: bytes = b"") -> bytes:
    """[MS-OVBA] §2.4.3.2 data encryption, as used for CMG, DPB and GC.

    Args:
        data: The plain bytes (protection state, password hash, visibility).
        project_id: The project's ``{GUID}`` as in the PROJECT stream's ID=.
        seed: The seed byte; the specification draws it at random.
        ignored: Filler bytes ("any value"); ``(seed & 6) // 2`` are used and
            zeros stand in for missing ones.

    Returns:
        The encrypted bytes (the caller writes them as upper-case hex).
    """
    seed &= 0xFF
    project_key = sum(project_id.encode(_ENCODING)) & 0xFF
    version_enc = seed ^ _VERSION
    project_key_enc = seed ^ project_key
    out = bytearray([seed, version_enc, project_key_enc])
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    ignored_length = (seed & 6) // 2
    filler = ignored[:ignored_length].ljust(ignored_length, b"\x00")
    for byte in filler + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return bytes(out)


def decrypt_data(encrypted: bytes, project_id: str | None = None) -> bytes:
    """[MS-OVBA] §2.4.3.3 data decryption: the inverse of :func:`encrypt_data`.

    Args:
        encrypted: The bytes (decoded from the PROJECT stream's hex).
        project_id: When given, the project key in the data must match it.

    Returns:
        The plain data.

    Raises:
        EncryptionError: For a wrong version, project key or length.
    """
    if len(encrypted) < 3 + 4:
        raise EncryptionError("encrypted data too short")
    seed, version_enc, project_key_enc = encrypted[0], encrypted[1], encrypted[2]
    if seed ^ version_enc != _VERSION:
        raise EncryptionError("encrypted data has an unknown version")
    project_key = seed ^ project_key_enc
    if project_id is not None and project_key != sum(project_id.encode(_ENCODING)) & 0xFF:
        raise EncryptionError("encrypted data belongs to another project id")
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    plain = bytearray()
    for byte_enc in encrypted[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored_length = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored_length)
    data = bytes(plain[ignored_length + 4 :])
    if len(data) != length:
        raise EncryptionError(f"encrypted data holds {len(data)} bytes, its length says {length}")
    return data
