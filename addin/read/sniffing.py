"""What a file really is, by its bytes, not its name; refuse what we cannot or must not read.

Before any parser sees a file, :func:`sniff` checks it and refuses, with a one-line
reason, what we cannot or must not read: missing files, folders and devices, empty
files, encrypted workbooks, ``.xlsb``/``.ods``/CSV under an Excel name, oversized files,
zip bombs and XML that declares a DTD or entities (:mod:`addin.ooxml.xmlsafety`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import addin.core.timing as timing
from addin.core.errors import UnreadableFileError, os_reason
from addin.core.filetypes import not_regular
from addin.core.settings import LimitSettings
from addin.ooxml.lean_copy import MAX_FILE
from addin.ooxml.member import StoredPart, stored_or_none
from addin.ooxml.xmlsafety import xml_part_reason

#: Extensions the reader accepts when scanning folders.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024
#: Why a workbook whose archive holds a damaged part is refused (the reader says it too).
BAD_CHECKSUM = "damaged workbook archive (a part fails its checksum): ask for a new copy"
NOT_INFLATING = "damaged workbook archive (a part does not decompress): ask for a new copy"
CUT_SHORT = "damaged or truncated workbook (a part is cut short): ask for a new copy"
#: A zip entry's flag: encrypted with zip's own password (APPNOTE 4.4.4, bit 0).
_ENCRYPTED = 0x1


def is_lock_file(path: Path) -> bool:
    """True for Excel's owner/lock files (``~$Budget.xlsx``), which hold no data."""
    return path.name.startswith("~$")


Stamp = tuple[int, int, int, int]


def file_stamp(st: os.stat_result) -> Stamp:
    """What identifies one version of a file: device, inode, size and modification time."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Sniffed:
    """What a file really is."""

    kind: str  # "xlsx" (any OOXML zip workbook) or "xls"
    size: int
    stamp: Stamp = (0, 0, 0, 0)
    #: Asked for with ``keep_open``: the zip archive the safety scan read, still open, so
    #: the reader does not open and parse its central directory a second time. The
    #: caller closes it.
    archive: zipfile.ZipFile | None = field(default=None, compare=False, repr=False)
    #: With the archive, for one of at most :data:`~addin.ooxml.lean_copy.MAX_FILE` bytes:
    #: every part's bytes as stored, read once for the safety scan, for the parser's copy
    #: to take; None when a part is not read so (the copy then reads the file itself).
    parts: tuple[StoredPart, ...] | None = field(default=None, compare=False, repr=False)


_Kept = tuple[zipfile.ZipFile, tuple[StoredPart, ...] | None]


def archive_damage(exc: BaseException) -> str | None:
    """Why reading a part of a zip archive failed, in words a person acts on, or None.

    None when ``exc`` is not one of zipfile's or zlib's damaged-part errors. A CRC that
    does not match (or a local header's bad signature), a deflate stream that does not
    decompress, and a part whose bytes run past the end of the file (zipfile says no
    more) each have one reason, wherever the part is read: the safety scan, or a library
    (openpyxl) that reads whole the parts the scan only peeked at.
    """
    if isinstance(exc, zipfile.BadZipFile) and ("CRC" in str(exc) or "Bad magic" in str(exc)):
        return BAD_CHECKSUM
    if isinstance(exc, zlib.error):
        return NOT_INFLATING
    if isinstance(exc, EOFError):
        return CUT_SHORT
    return None


def _zip_reason(
    path: Path, limits: LimitSettings, *, keep_open: bool = False, size: int = 0
) -> tuple[str | None, _Kept | None]:
    """Why to refuse a zip workbook (None: none); with ``keep_open``, the open archive.

    With it come the parts as stored (see :attr:`Sniffed.parts`) when the file's ``size``
    is at most :data:`~addin.ooxml.lean_copy.MAX_FILE`: each is read once, its local
    header checked as before, and its head read from memory.
    """
    zf: zipfile.ZipFile | None = None
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
        names = {i.filename for i in infos}
        reason = _zip_layout_reason(names, infos, limits)
        parts: list[StoredPart] | None = [] if keep_open and size <= MAX_FILE else None
        if reason is None:
            for info in infos:
                stored = None
                if parts is not None:
                    stored = stored_or_none(zf, info)
                    if stored is None:
                        parts = None  # this part and the rest are read from the file, as ever
                    else:
                        parts.append(stored)
                if info.is_dir() or info.filename.lower().endswith(".svg"):
                    continue  # images may carry a DTD; nothing of ours parses them
                reason = xml_part_reason(zf, info, stored)
                if reason:
                    break
        if reason is None and keep_open:
            kept, zf = zf, None  # handed over: the finally below leaves it open
            return None, (kept, None if parts is None else tuple(parts))
        return reason, None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        damage = archive_damage(exc)  # else a directory zipfile cannot follow
        return (
            damage or "damaged or truncated workbook (not a valid zip archive): ask for a new copy",
            None,
        )
    except NotImplementedError as exc:  # an unknown compression method, strong encryption
        return f"workbook archive uses a feature we cannot read ({exc})", None
    except (OSError, ValueError) as exc:
        return f"cannot read the workbook archive ({exc})", None
    finally:
        if zf is not None:
            zf.close()


def _zip_layout_reason(
    names: set[str], infos: Sequence[zipfile.ZipInfo], limits: LimitSettings
) -> str | None:
    if "xl/workbook.bin" in names:
        return "binary workbook (.xlsb) is not supported: save it as .xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument spreadsheet (.ods) under an Excel name: save it as .xlsx"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "Word document under an Excel name, not a workbook"
        return "zip archive but not an Excel workbook (no xl/workbook.xml)"
    locked = next((i.filename for i in infos if i.flag_bits & _ENCRYPTED), None)
    if locked is not None:  # zip's own password: Excel never writes it (see sniff's OLE check)
        return (
            f"workbook archive holds encrypted parts ({locked}): it cannot be read without "
            "their password; ask its owner for an unprotected copy"
        )
    seen: set[str] = set()
    for info in infos:
        folded = info.filename.replace("\\", "/").lower()
        if folded in seen:
            return (
                f"damaged workbook archive: part {info.filename} appears twice; ask for a new copy"
            )
        seen.add(folded)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 * _MB and info.compress_size > 0:
            ratio = info.file_size / info.compress_size
            if ratio > limits.max_compression_ratio:
                return (
                    f"refused: part {info.filename} expands {ratio:,.0f}x "
                    f"(limit {limits.max_compression_ratio:,.0f}x; possible zip bomb)"
                )
    if total > limits.max_uncompressed_mb * _MB:
        return (
            f"refused: workbook expands to {_megabytes(total)} MB "
            f"(limit {limits.max_uncompressed_mb:,g} MB; possible zip bomb)"
        )
    return None


def _megabytes(size: int) -> str:
    """A size in MB as a person reads it next to a limit: ``100.4``, ``3.2``, ``0.03``."""
    mb = size / _MB
    return f"{mb:,.1f}" if mb >= 1 else f"{mb:.2f}"


#: The main stream of the other Office files that are OLE containers, and what they are.
_OTHER_OLE = (
    ("WordDocument", "Word document (.doc)"),
    ("PowerPoint Document", "PowerPoint presentation (.ppt)"),
)


def _ole_reason(path: Path) -> str | None:
    """Return the reason to refuse an OLE compound file, or None for a legacy .xls."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return (
                    "password-protected (encrypted) workbook: it cannot be read without "
                    "the password; ask its owner for an unprotected copy"
                )
            if ole.exists("Workbook") or ole.exists("Book"):
                return None
            for stream, what in _OTHER_OLE:
                if ole.exists(stream):
                    return f"{what} under an Excel name, not a workbook"
            return (
                "damaged legacy workbook (.xls): it holds no workbook stream, or another "
                "program's file under an Excel name; ask for a new copy"
            )
    except OSError as exc:
        return f"damaged compound file ({exc})"


_TEXTY = re.compile(rb"^[\x09\x0a\x0d\x20-\x7e\x80-\xff]*$")


def sniff(path: Path, limits: LimitSettings, *, keep_open: bool = False) -> Sniffed:
    """Check a file before parsing; raise :class:`UnreadableFileError` with a one-line reason.

    With ``keep_open``, a zip workbook that passes comes back with its archive open
    (:attr:`Sniffed.archive`, which the caller closes): the reader reuses it.
    """
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFileError(
                name, "broken link: it points to a file that does not exist"
            ) from None
        raise UnreadableFileError(name, "file not found") from None
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFileError(
                name, "link loop: the link leads back to itself, never to a file"
            ) from None
        raise UnreadableFileError(name, f"cannot read this file ({os_reason(exc)})") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFileError(name, "is a folder, not a workbook")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        raise UnreadableFileError(name, not_regular(st.st_mode))
    if st.st_size == 0:
        raise UnreadableFileError(
            name, "empty file (0 bytes): probably an interrupted save or upload"
        )
    if st.st_size > limits.max_file_mb * _MB:
        raise UnreadableFileError(
            name,
            f"refused: file is {_megabytes(st.st_size)} MB (limit {limits.max_file_mb:,g} MB)",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot read this file ({os_reason(exc)})") from None
    if head.startswith(_ZIP_MAGIC):
        with timing.phase("safety scan"):
            reason, kept = _zip_reason(path, limits, keep_open=keep_open, size=st.st_size)
        if reason:
            raise UnreadableFileError(name, reason)
        if kept is None:
            return Sniffed("xlsx", st.st_size, file_stamp(st))
        return Sniffed("xlsx", st.st_size, file_stamp(st), *kept)
    if head.startswith(_OLE_MAGIC):
        reason = _ole_reason(path)
        if reason:
            raise UnreadableFileError(name, reason)
        return Sniffed("xls", st.st_size, file_stamp(st))
    lowered = head.lower().lstrip()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise UnreadableFileError(name, "HTML or XML file under an Excel name, not a workbook")
    if _TEXTY.match(head):
        raise UnreadableFileError(
            name, "text (CSV?) file under an Excel name, not a workbook: save it as .xlsx"
        )
    raise UnreadableFileError(name, "not an Excel workbook (unrecognised file format)")
