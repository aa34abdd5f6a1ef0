"""A secret of the user's own that seals what ``pmo`` keeps for itself, so it can trust it.

A consolidation's cache lives where the portfolio does, often a shared folder: anyone who
can write there can change it. So every entry the cache gives back is checked before use
(:mod:`addin.engine.cached_result`, :mod:`addin.outputs.portfolio.block_store`), and on
a re-run of 1,000 unchanged trackers those checks are most of the workers' time
(1.8 CPU-s). A :class:`Seal` is an HMAC-SHA-256 of an entry made with a key only
this user can read (``~/.pmo/cache.key``, 32 random bytes, made on first use, readable by
its owner only): an entry whose seal verifies was written by this user's ``pmo`` and has
not been changed since, so it is used without checking it again. An entry without a
valid seal (written before seals, by another user, or changed) is checked as before.

No key (a home folder that cannot be written, a key file that is a link, not the
user's, readable by others, or not 32 bytes) means nothing is trusted: every entry is
checked, as before seals. The key is never printed, logged or sent to another machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

#: The key's file, in ``<home>/.pmo/`` (the folder of the add-in's log too).
KEY_NAME = "cache.key"
_KEY_BYTES = 32
_TAG_BYTES = 32


def key_path(home: Path | None = None) -> Path:
    """``<home>/.pmo/cache.key`` (``home`` defaults to ``$PMO_HOME``, else the user's)."""
    if home is None:
        named = os.environ.get("PMO_HOME")
        home = Path(named) if named else Path.home()
    return home / ".pmo" / KEY_NAME


def _own_key(path: Path) -> bytes | None:
    """The key in ``path`` when it is a regular file of 32 bytes only its owner, we, can read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != _KEY_BYTES:
            return None
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None
        key = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == _KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    """A new key written to ``path``, or the one another run wrote there first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{KEY_NAME}.{secrets.token_hex(8)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    key = secrets.token_bytes(_KEY_BYTES)
    fd = os.open(draft, flags, 0o600)
    try:
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(draft, path)  # never replaces a key another run made meanwhile
        except FileExistsError:
            return _own_key(path)
    finally:
        with contextlib.suppress(OSError):
            draft.unlink()
    return key


def user_key(home: Path | None = None) -> bytes | None:
    """This user's key (made on first use), or None when there is none we can trust."""
    try:
        path = key_path(home)
        try:
            return _own_key(path)
        except FileNotFoundError:
            return _new_key(path)
    except (OSError, RuntimeError, KeyError):  # no home folder (Path.home), or no room
        return None


class Seal:
    """Seals byte strings with a key: a seal verifies only for the very same strings."""

    def __init__(self, key: bytes) -> None:
        """A seal made with ``key`` (see :func:`user_key`)."""
        self._key = key

    @classmethod
    def mine(cls, home: Path | None = None) -> Seal | None:
        """A seal with this user's key; None when there is no key to trust."""
        key = user_key(home)
        return None if key is None else cls(key)

    def of(self, *parts: bytes) -> bytes:
        """The seal of ``parts`` (each one's length is sealed too: parts cannot shift).

        HMAC-SHA-256: where the processor computes SHA-256 itself (x86 since about 2017,
        ARMv8) it seals a re-run's 26 MB of entries in half the time keyed BLAKE2b took.
        """
        digest = hmac.new(self._key, digestmod=hashlib.sha256)
        for part in parts:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.digest()

    def verifies(self, tag: object, *parts: bytes) -> bool:
        """True when ``tag`` is the seal of ``parts``."""
        return isinstance(tag, bytes) and hmac.compare_digest(tag, self.of(*parts))
