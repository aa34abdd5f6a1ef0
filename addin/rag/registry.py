"""The RAG dimensions, each registered once: its name, how it is judged, whether it floors.

A dimension is a function from the tracker's :class:`~addin.rag.model.Metrics` and the
RAG settings to a :class:`~addin.rag.model.Dimension` (Red, Amber, Green or No data, with
reasons), registered with :func:`dimension`::

    @dimension("Schedule", floor=True)
    def schedule_dimension(m: Metrics, rag: RagSettings) -> Dimension: ...

:func:`addin.rag.assess.dimensions` judges every registered dimension in order, and
:func:`addin.rag.assess.conclude` takes Overall over all of them, so a new dimension is
one function here plus the inputs it needs in ``Metrics``. ``floor=True`` means that
when the dimension has no data, Overall is at least ``rag.no_data_floor`` (RAG_RULES
v2: Schedule and Cost).

A dimension judged from more than one tracker (resource utilisation: a person works on
several projects) is not judged here: :func:`~addin.rag.assess.conclude` takes it as an
``extra`` dimension, already judged, beside the registered ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from addin.core.settings import RagSettings
from addin.rag.model import Dimension, Metrics

#: How a dimension is judged.
Judge = Callable[[Metrics, RagSettings], Dimension]


@dataclass(frozen=True)
class DimensionSpec:
    """One registered dimension.

    Attributes:
        name: Its name as reasons and outputs write it (``Schedule``).
        judge: Metrics and settings -> the dimension.
        floor: When it has no data, Overall is at least ``rag.no_data_floor``.
    """

    name: str
    judge: Judge
    floor: bool = False


_SPECS: dict[str, DimensionSpec] = {}


def dimension(name: str, *, floor: bool = False) -> Callable[[Judge], Judge]:
    """Register ``judge`` as the dimension ``name`` (a decorator; the function is unchanged).

    Raises:
        ValueError: another function is already registered under ``name``.
    """

    def register(judge: Judge) -> Judge:
        known = _SPECS.get(name)
        if known is not None and known.judge is not judge:
            raise ValueError(f"dimension {name!r} is registered twice")
        _SPECS[name] = DimensionSpec(name, judge, floor)
        return judge

    return register


def registered() -> tuple[DimensionSpec, ...]:
    """Every registered dimension, in registration order."""
    return tuple(_SPECS.values())


def floors(name: str) -> bool:
    """True when a dimension of this name floors Overall when it has no data."""
    spec = _SPECS.get(name)
    return spec is not None and spec.floor
