"""The ribbon's deck buttons: Steering pack (on a portfolio) and Status report (on a tracker).

Registered in :data:`addin.excel.ribbon.BUTTONS` like every button; each is thin: get the
book from the host, call one use case, open what it wrote, return one message.

A deck is written beside its workbook as ``steering.pptx`` or ``<tracker> status
report.pptx``; a file of that name is replaced only when this add-in wrote it (its
document properties say so), else the next free name is used (``steering (2).pptx``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from addin.core.words import counted
from addin.excel.book import Host, settings_for
from addin.excel.portfolio_book import saved_portfolio

STEERING_NAME = "steering"
REPORT_SUFFIX = " status report"


def _as_of(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _free_deck(folder: Path, stem: str) -> Path:
    """``stem.pptx`` in ``folder`` unless someone else's file has that name, then ``(2)`` ..."""
    from addin.outputs.slides.deck import made_by_pmo

    n = 1
    while True:
        candidate = folder / (f"{stem}.pptx" if n == 1 else f"{stem} ({n}).pptx")
        if not candidate.exists() or made_by_pmo(candidate):
            return candidate
        n += 1


def on_steering_pack(host: Host) -> str:
    """Write ``steering.pptx`` beside the active portfolio workbook and open it."""
    from addin.app.history import HistoryError, trend_beside
    from addin.app.pack import load_for_pack, steering_pack

    found = saved_portfolio(host, "Steering pack")
    if isinstance(found, str):
        return found
    name, path = found
    folder = path.parent
    settings, _ = settings_for(folder)
    portfolio = load_for_pack(path, settings)
    output = _free_deck(folder, STEERING_NAME)
    trends, note = None, ""
    try:  # the configured history, or the one beside the portfolio (trends and movers)
        trends = trend_beside(portfolio, settings, path)
    except HistoryError as exc:
        note = f"\nHistory not read (no trends slides): {exc}"
    host.status(f"PMO: writing the steering pack for {name} ...")
    steering_pack(portfolio, output, settings, history=trends)
    host.open(output)
    return (
        f"Wrote {output}: {counted(len(portfolio.projects), 'project')}, "
        f"as of {portfolio.as_of:%d %b %Y}. The reasons behind every RAG are in the "
        "speaker notes." + note
    )


def on_status_report(host: Host, *, as_of: dt.date | str | None = None) -> str:
    """Write the active tracker's one-page status report beside it and open it."""
    from addin.app.report import report_for_book

    book = host.active_book()
    if book is None:
        return "Open a project tracker, then click Status report."
    folder = book.path.parent if book.path is not None else Path.home()
    settings, _ = settings_for(folder)
    book.configure(settings)
    name = str(book.path) if book.path is not None else book.name
    output = _free_deck(folder, f"{Path(book.name).stem}{REPORT_SUFFIX}")
    host.status(f"PMO: writing the status report of {book.name} ...")
    try:
        written, why = report_for_book(book, name, output, settings, as_of=_as_of(as_of))
    finally:
        book.close()
    if written is None:
        return f"{book.name}: no status report ({why})."
    host.open(written)
    return f"Wrote {written}: the one-page status report of {book.name}."
