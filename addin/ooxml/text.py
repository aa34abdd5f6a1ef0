"""Text kept exactly as stored through an openpyxl round trip (load, annotate, save).

Two openpyxl habits change text that it merely passes through:

* reading drops every ``x005F_`` from text, so the literal text ``_x005F_x003D_1+1``
  (which reads as ``_x003D_1+1``) would be saved as ``_x003D_1+1``, which every reader
  returns as ``=1+1``. Kept as stored, it is written back byte for byte; annotation never
  needs the decoded form.
* writing marks text ``xml:space="preserve"`` only when it has something besides
  white space, so a cell (or a rich-text run) holding only spaces or line breaks comes
  back empty: ``macchina non pronta`` written in three runs becomes ``macchina nonpronta``.

:func:`exact_text` corrects both while its block runs (load and save inside it);
:func:`addin.ooxml.roundtrip.lost` checks the result cell by cell all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _from_tree(cls: Any, node: Any) -> Any:
    """``CellRichText.from_tree`` without the dropping of ``x005F_``."""
    from openpyxl.cell.rich_text import TextBlock
    from openpyxl.cell.text import Text

    text: Any = Text.from_tree(node)
    if text.t:
        return (text.t,)
    runs: list[Any] = [TextBlock(r.rPr, r.t or "") if r.rPr else (r.t or "") for r in text.r]
    return cls(runs)


def _whitespace(node: Any) -> None:
    """Mark any text with leading or trailing white space (or nothing else) as preserved."""
    if node.text and node.text != node.text.strip():
        node.set(XML_SPACE, "preserve")


@contextmanager
def exact_text() -> Iterator[None]:
    """Read and write text exactly as stored while the block runs (see the module's docstring)."""
    from openpyxl.cell import _writer, rich_text
    from openpyxl.descriptors import nested

    writers = (_writer, rich_text, nested)  # each imported openpyxl's ``whitespace``
    from_tree = rich_text.CellRichText.__dict__["from_tree"]
    spaces = [getattr(m, "whitespace") for m in writers]  # noqa: B009 - untyped attribute
    rich_text.CellRichText.from_tree = classmethod(_from_tree)  # type: ignore[method-assign,assignment]
    for m in writers:
        setattr(m, "whitespace", _whitespace)  # noqa: B010
    try:
        yield
    finally:
        rich_text.CellRichText.from_tree = from_tree  # type: ignore[method-assign]
        for m, f in zip(writers, spaces, strict=True):
            setattr(m, "whitespace", f)  # noqa: B010
