"""Read module sources back out of an add-in: what ``pmo addin status`` checks.

An installed ``PMO.xlam`` may have been saved by Excel since we built it, with a
compiled cache before each module's source; so this follows the ``dir`` stream
([MS-OVBA] §2.3.4.2) to each module's stream name and source offset rather than
assuming our own layout. The compound file is read with ``olefile``.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import olefile

from addin.excel.vba.compression import DecompressionError, decompress

__all__ = ["VbaReadError", "module_sources", "string_constant"]

_PROJECT_VERSION = 0x0009  # Size says 4, but 6 bytes follow (§2.3.4.2.1.11)
_CODEPAGE, _STREAM_NAME, _OFFSET, _MODULE_END, _TERMINATOR = 0x0003, 0x001A, 0x0031, 0x002B, 0x0010


class VbaReadError(ValueError):
    """The file is not an add-in whose VBA project can be read."""


def module_sources(path: Path) -> dict[str, str]:
    """Every module's source in an ``.xlam``/``.xlsm``, by stream name.

    Args:
        path: The workbook or add-in.

    Returns:
        Module stream name -> source text.

    Raises:
        VbaReadError: When the file has no readable VBA project.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("xl/vbaProject.bin")
        ole = olefile.OleFileIO(io.BytesIO(data))
        dir_stream = decompress(ole.openstream("VBA/dir").read())
        streams = _modules(dir_stream)
        codepage = _codepage(dir_stream)
        return {
            name: decompress(ole.openstream(f"VBA/{name}").read()[offset:]).decode(
                f"cp{codepage}", "replace"
            )
            for name, offset in streams
        }
    except (OSError, KeyError, zipfile.BadZipFile, DecompressionError, struct.error) as error:
        raise VbaReadError(f"{path}: no readable VBA project ({error})") from error
    except LookupError as error:  # an unknown code page
        raise VbaReadError(f"{path}: {error}") from error


def string_constant(sources: dict[str, str], name: str) -> str | None:
    """The value of ``[Public|Private] Const <name> As String = "..."`` in any module."""
    pattern = re.compile(
        rf'^[ \t]*(?:Public |Private )?Const {re.escape(name)} As String = "([^"]*)"',
        re.MULTILINE | re.IGNORECASE,
    )
    for source in sources.values():
        match = pattern.search(source)
        if match:
            return match.group(1)
    return None


def _records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    out, position = [], 0
    while position + 6 <= len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, position)
        if record_id == _PROJECT_VERSION:
            size = 6
        out.append((record_id, dir_stream[position + 6 : position + 6 + size]))
        position += 6 + size
        if record_id == _TERMINATOR:
            break
    return out


def _modules(dir_stream: bytes) -> list[tuple[str, int]]:
    modules, name, offset = [], "", 0
    for record_id, payload in _records(dir_stream):
        if record_id == _STREAM_NAME:
            name = payload.decode("latin-1")
        elif record_id == _OFFSET:
            (offset,) = struct.unpack("<I", payload)
        elif record_id == _MODULE_END:
            modules.append((name, offset))
    return modules


def _codepage(dir_stream: bytes) -> int:
    for record_id, payload in _records(dir_stream):
        if record_id == _CODEPAGE:
            return int(struct.unpack("<H", payload)[0])
    return 1252
