"""The slices a list-like view must answer exactly as a list does (shared by its tests)."""

from __future__ import annotations

#: Plain, empty, reversed, open-ended, past the end, negative, strided and stepping back.
SLICES = [
    slice(None),
    slice(2, 5),
    slice(3, 4),
    slice(4, 8),
    slice(0, 0),
    slice(5, 2),
    slice(7, 2),
    slice(-3, None),
    slice(None, -2),
    slice(None, -8),
    slice(1, 100),
    slice(5, 100),
    slice(100, 200),
    slice(None, None, 2),
    slice(None, None, 3),
    slice(None, None, -1),
    slice(6, 0, -3),
    slice(8, 1, -2),
]
