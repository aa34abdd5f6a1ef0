"""The ``[reader]`` and ``[scales]`` settings: how drifted trackers are read."""

from __future__ import annotations

from typing import Self

from addin.core.lang import DEFAULT_LANGUAGES, PACKS
from addin.core.settings.fields import Field
from addin.core.settings.section import Section, model_validator


class ReaderSettings(Section):
    """How the reader finds sheets, headers and values in drifted trackers."""

    day_first: bool = True
    """Read ambiguous text dates such as 03/01/2026 as day/month (3 January)."""
    header_scan_rows: int = Field(default=30, ge=1, le=1000)
    """How many rows from the top to search for a table's header row."""
    sheet_synonyms: dict[str, tuple[str, ...]] = {}
    """Extra sheet names per tracker sheet, e.g. ``Tasks = ["Work Items"]``."""
    header_synonyms: dict[str, dict[str, tuple[str, ...]]] = {}
    """Extra headers per sheet and canonical header, e.g. ``[reader.header_synonyms.Tasks]`` then
    ``"Planned Finish" = ["Target End"]``."""
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    """Language packs whose sheet names, headers and value words are read, e.g. ``["en", "de"]``;
    all by default (en, de, fr, es, pt, it, nl, ja, ru). The spec's own headers always are."""

    @model_validator(mode="after")
    def _known_names(self) -> Self:
        from addin.core.kinds import KINDS, kind

        keys = {k.key for k in KINDS}
        for where in (self.sheet_synonyms, self.header_synonyms):
            for key in where:
                if key not in keys:
                    raise ValueError(
                        f"unknown sheet {key!r}; expected one of {', '.join(sorted(keys))}"
                    )
        for key, headers in self.header_synonyms.items():
            known = set(kind(key).headers)
            for header in headers:
                if header not in known:
                    raise ValueError(
                        f"{key} has no column {header!r}; "
                        f"expected one of {', '.join(sorted(known))}"
                    )
        unknown = [code for code in self.languages if code not in PACKS]
        if unknown:
            raise ValueError(
                f"unknown language {unknown[0]!r}; expected some of {', '.join(PACKS)}"
            )
        return self


class ScaleSettings(Section):
    """Words of a 1-5 probability or impact scale: ``[scales.words]`` ``"Vorstellbar" = 2``.

    Matched case-, accent- and space-insensitively; they add to (and win over) the language
    packs' words, and a tracker's own key sheet (scale words beside their numbers) wins
    over both.
    """

    words: dict[str, int] = {}
    """Scale word -> 1 (lowest) to 5 (highest)."""
    file_keys: bool = True
    """Read a tracker's own scoring key (a sheet listing scale words beside their numbers)."""

    @model_validator(mode="after")
    def _in_range(self) -> Self:
        for word, n in self.words.items():
            if not 1 <= n <= 5:
                raise ValueError(f"scale word {word!r} is {n}; scale numbers are 1 to 5")
        return self
