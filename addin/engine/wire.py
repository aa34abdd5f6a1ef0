"""The messages between a worker and the run: a task's outcome and the phases it spent.

One message per task: the outcome ``(index, (status, payload))`` pickled, then the
task's phases (:mod:`addin.core.timing`) pickled after it in the same bytes, so the
parent reads both with two ``pickle.load`` calls and no extra round trip. Findings a
worker packed (:class:`~addin.core.packed_findings.PackedFindings`) go packed: the
pickler sends their bytes, where any other pickle of them is the plain list.
"""

from __future__ import annotations

import io
import pickle
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

import addin.core.timing as timing
from addin.core.packed_findings import PackedFindings, as_sent

R = TypeVar("R")

ForkingPickler.register(PackedFindings, as_sent)


@dataclass
class Outcome(Generic[R]):
    """The result of one task: ``value`` on success, else ``error`` (a one-line reason).

    ``phases``: the seconds the task spent per phase in its worker (:mod:`addin.core.timing`).
    """

    index: int
    value: R | None = None
    error: str = ""
    phases: dict[str, float] = field(default_factory=dict)


def send_outcome(conn: Connection, index: int, result: tuple[str, Any]) -> None:
    """Send a task's outcome, then (in the same message) the phases the task spent time in.

    The parent reads the outcome with one ``pickle.load`` and the phases with a second.
    """
    started = time.perf_counter()
    buf = io.BytesIO()
    ForkingPickler(buf).dump((index, result))
    spent = timing.take()
    spent["pickle"] = spent.get("pickle", 0.0) + time.perf_counter() - started
    ForkingPickler(buf).dump(spent)
    conn.send_bytes(buf.getbuffer())


def received(raw: bytes) -> tuple[int, str, Any, dict[str, float]]:
    """A worker's message: (task, "ok" or "error", payload, the task's phases)."""
    with timing.phase("unpickle"):
        stream = io.BytesIO(raw)
        index, (status, payload) = pickle.load(stream)
        spent = pickle.load(stream) if stream.tell() < len(raw) else {}
    return index, status, payload, spent
