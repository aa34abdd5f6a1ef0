"""Where things go on a slide: a :class:`Box` in points, split into rows and columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.util import Emu

from addin.outputs.slides.measure import PT_PER_EMU

#: EMU per point.
EMU_PER_PT = 12_700


def emu(points: float) -> Emu:
    """A length in points as python-pptx's EMU."""
    return Emu(round(points * EMU_PER_PT))


def points(length: int | None) -> float:
    """A python-pptx length (EMU) in points (None is 0)."""
    return (length or 0) * PT_PER_EMU


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide: left, top, width and height in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.h

    def top(self, height: float) -> Box:
        """The top ``height`` points of this box."""
        return Box(self.x, self.y, self.w, min(height, self.h))

    def below(self, height: float, gap: float = 0.0) -> Box:
        """What is left of this box under its top ``height`` points and a ``gap``."""
        cut = min(self.h, height + gap)
        return Box(self.x, self.y + cut, self.w, self.h - cut)

    def bottom_part(self, height: float) -> Box:
        """The bottom ``height`` points of this box."""
        height = min(height, self.h)
        return Box(self.x, self.bottom - height, self.w, height)

    def columns(self, weights: Sequence[float], gap: float = 0.0) -> list[Box]:
        """Side-by-side boxes whose widths follow ``weights``, ``gap`` points apart."""
        room = self.w - gap * (len(weights) - 1)
        total = sum(weights)
        out, x = [], self.x
        for weight in weights:
            w = room * weight / total
            out.append(Box(x, self.y, w, self.h))
            x += w + gap
        return out

    def rows(self, weights: Sequence[float], gap: float = 0.0) -> list[Box]:
        """Stacked boxes whose heights follow ``weights``, ``gap`` points apart."""
        room = self.h - gap * (len(weights) - 1)
        total = sum(weights)
        out, y = [], self.y
        for weight in weights:
            h = room * weight / total
            out.append(Box(self.x, y, self.w, h))
            y += h + gap
        return out

    def inset(self, dx: float, dy: float | None = None) -> Box:
        """This box shrunk by ``dx`` on the left and right and ``dy`` on top and bottom."""
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(0.0, self.w - 2 * dx), max(0.0, self.h - 2 * dy))
