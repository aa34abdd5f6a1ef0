"""The quick test for a total row's name finds exactly what the case-insensitive search finds.

Every name in a table's first column is asked whether it may be a total (``Subtotal``,
``Gesamtsumme``, ``合計``); ASCII names are asked with plain lower-case searches.
"""

from __future__ import annotations

import random

import pytest

from addin.read.rows import _TOTAL_STEMS, _has_total_stem, is_total

_PIECES = ["tot", "sum", "gesamt", "合計", "小計", "итог", "to", "su", "ges", "amt", "al", "me"]
_LETTERS = "abcdefghijklmnopqrstuvwxyz ()-:1"
#: Letters whose case-insensitive match is another letter (the long s, the Kelvin sign),
#: and Cyrillic and CJK text.
_ODD = ["ſum", "ſUM", "\u212aot", "ИТОГ", "Итого", "合計", "Toſ", "İtot", "ẞum"]


def _names() -> list[str]:
    rng = random.Random(17)
    names = ["", "Total", "SUBTOTAL", "Gesamtsumme", "Design review", "Summary", *_ODD]
    for _ in range(4000):
        parts = [
            rng.choice(_PIECES) if rng.random() < 0.4 else rng.choice(_LETTERS)
            for _ in range(rng.randint(1, 6))
        ]
        name = "".join(parts)
        names.append("".join(c.upper() if rng.random() < 0.5 else c for c in name))
    return names


def test_the_quick_test_finds_what_the_search_finds() -> None:
    names = _names()
    quick = [_has_total_stem(n) for n in names]
    assert quick == [_TOTAL_STEMS.search(n) is not None for n in names]
    assert 500 < sum(quick) < len(names) - 500  # both answers well tried
    assert sum(n.isascii() for n in names) > 1000


@pytest.mark.parametrize(
    ("name", "total"),
    [
        ("Subtotal", True),
        ("TOTAL (Scheduled)", True),
        ("Milestone 1 Totals", True),
        ("Gesamtsumme", True),
        ("ſum", True),  # the long s is an s to a case-insensitive reader
        ("合計", True),
        ("Итого", True),
        ("Totally new CRM rollout for the Berlin office", False),
        ("Design review", False),
    ],
)
def test_total_names(name: str, total: bool) -> None:
    assert is_total(name) is total
