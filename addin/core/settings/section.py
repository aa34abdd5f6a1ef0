"""The base of every settings section: frozen, documented, compared and hashed by value."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, PrivateAttr


class Section(BaseModel):
    """A settings section: no unknown keys, frozen, every field documented, finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    _key: str | None = PrivateAttr(default=None)

    @property
    def fingerprint(self) -> str:
        """A hash of every value in this section: equal settings, equal fingerprints."""
        if self._key is None:
            self._key = hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]
        return self._key

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fingerprint))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Section)
            and type(other) is type(self)
            and other.fingerprint == self.fingerprint
        )
