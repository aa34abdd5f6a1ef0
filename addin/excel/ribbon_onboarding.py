"""The ribbon's Inspect and Adopt buttons (Tracker group): onboarding the active tracker.

Thin like every handler (:mod:`addin.excel.ribbon`). Inspect reads the saved active
workbook as every run does (``pmo.toml`` beside it, ``[[mapping]]`` included), writes
the full report and its mapping block into a new workbook in a temporary folder, opens
it, and says in a few lines what was recognised. Adopt writes ``<name>.adopted.xlsx``
beside the tracker (``<name>.adopted (2).xlsx`` ... when taken: nothing is replaced),
opens it, and says what was carried over and what was not.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from addin.core.words import counted
from addin.excel.book import Book, Host, free_path, settings_for


def _saved(book: Book | None, button: str) -> tuple[Book, Path] | str:
    if book is None:
        return f"Open a project tracker, then click {button}."
    if book.path is None:
        return f"Save {book.name} first: {button} reads the saved workbook."
    return book, book.path


def on_inspect(host: Host) -> str:
    """Say what the reader recognised in the active workbook; open the full report."""
    from addin.app.inspect import inspect
    from addin.app.inspect_text import render_inspection
    from addin.outputs.text_book import write_text_book

    found = _saved(host.active_book(), "Inspect")
    if isinstance(found, str):
        return found
    book, path = found
    settings, _ = settings_for(path.parent)
    host.status(f"PMO: inspecting {book.name} ...")
    seen = inspect(path, settings)
    report = Path(tempfile.mkdtemp(prefix="pmo-inspect-")) / f"{path.stem} inspect.xlsx"
    write_text_book(report, "Inspect", render_inspection(seen).splitlines())
    host.open(report)
    read = [s for s in seen.sheets if s.kinds]
    lines = [
        f"{book.name}: {seen.status}; project '{seen.project_name}' (ID {seen.project_id}).",
        f"{counted(len(read), 'sheet')} read: "
        + (", ".join(f"{s.name} ({', '.join(s.kinds)})" for s in read[:6]) or "none")
        + (" ..." if len(read) > 6 else ""),
        f"{counted(len(seen.sheets) - len(read), 'sheet')} not read (the report says why).",
        "The full report and a [[mapping]] block for pmo.toml are in the workbook just opened.",
    ]
    return "\n".join(lines)


def on_adopt(host: Host) -> str:
    """Write the active tracker into the governed template beside it and open the result."""
    from addin.app.adopt import ADOPTED_SUFFIX, adopt

    found = _saved(host.active_book(), "Adopt")
    if isinstance(found, str):
        return found
    book, path = found
    settings, _ = settings_for(path.parent)
    output = free_path(path.parent, path.stem + ADOPTED_SUFFIX.removesuffix(".xlsx"))
    host.status(f"PMO: adopting {book.name} ...")
    done = adopt(path, output, settings)
    host.open(done.written)
    rows = ", ".join(f"{key} {n}" for key, n in done.rows.items()) or "no rows"
    return (
        f"Adopted {book.name} into the PMO template: {rows}.\n"
        f"{counted(done.notes, 'value')} carry a note naming the source cell; "
        f"{counted(len(done.left), 'thing')} not carried over, listed on the Adoption sheet.\n"
        f"Wrote {done.written}."
    )
