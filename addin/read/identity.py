"""Every tracker is named: its Project block, else a label, a title, its content, its file.

A PMO cannot report on a nameless project (four unnamed Red rows on one Exceptions page
read as one project). The Project ID and Name come from the Project block when it has
them; otherwise the name is taken, in this order, from

1. a *label* anywhere in the workbook (``PROJECT TITLE: KeeperAI``, ``Project: X`` in a
   merged title line, ``Название проекта:`` beside its value);
2. a *title*: the first row above the first table of the first sheet that holds one
   (``Sauce & Spoon Project Plan`` in a merged A1), without the words that only say what
   the document is (``Project Plan``, ``Tracker``, ``Risikokatalog``); a title made of
   such words alone (``Risk Register``) names nothing;
3. the *content*: a first word two sheet names share that names nothing else
   (``Mercury Windows``, ``Mercury Simple``);
4. the *file name*.

An ID the workbook does not give is the file name's stem. Each inference is a warning at
the cell it came from (the first sheet's A1 for the file name), so the PM knows what to
add to the tracker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from addin.core.identity import Identity
from addin.core.lang import Vocabulary, fold
from addin.read.block import BlockHit
from addin.read.grid import Grid
from addin.read.headers import HeaderIndex, HeaderMatch

#: Rows from the top of a sheet a title may sit in.
TITLE_ROWS = 6
_PARENS = re.compile(r"\s*[\(\[][^)\]]*[\)\]]")
_WORD = re.compile(r"\w+", re.UNICODE)


def _text(v: Any) -> str:
    return " ".join(v.split()) if isinstance(v, str) else ""


def project_title(text: str, vocab: Vocabulary) -> str | None:
    """The project name a document title states, or None when it states none.

    ``Sauce & Spoon Project Plan`` -> ``Sauce & Spoon``; ``Childs Game Project`` ->
    ``Childs Game``; ``Risk Register``, ``SEMANA 1 - 20/03`` and ``Estimated Project Costs
    (Some Fields May Not be Applicable)`` -> None.
    """
    flat = _PARENS.sub("", _text(text)).strip(" -–—:|,;")
    if not flat or len(flat) > 100 or len(flat.split()) > 12 or flat.endswith(":"):
        return None
    generic = vocab.title_words
    own = [
        w
        for w in _WORD.findall(flat)
        if fold(w) not in generic and len(w) >= 3 and any(ch.isalpha() for ch in w)
    ]
    if not own:
        return None
    tokens = flat.split()
    while tokens and fold(tokens[-1].strip(".,:;-–()")) in generic:
        tokens.pop()
    name = " ".join(tokens).strip(" -–—:|,;")
    return name or None


def _labelled(scans: Iterable[BlockHit]) -> tuple[str, str, int, int] | None:
    """A Project Name label's value on any sheet searched: (name, sheet, row, col)."""
    for hit in scans:
        value = _text(hit.raw.get("project_name"))
        if value and "project_name" in hit.cells:
            r, c = hit.cells["project_name"]
            return value, hit.sheet, r, c
    return None


def _titled(
    tables: Sequence[tuple[Grid, HeaderMatch]],
    grids: Sequence[Grid],
    indexes: Iterable[HeaderIndex],
    vocab: Vocabulary,
) -> tuple[str, str, int, int] | None:
    """The first title above a table (or on the first sheet): (name, sheet, row, col)."""
    header_rows: dict[str, int] = {}
    for g, m in tables:
        header_rows.setdefault(g.name, m.row)
    order = [g for g, _ in tables[:1]] or list(grids[:1])
    known = list(indexes)
    for grid in order:
        below = header_rows.get(grid.name, grid.top + TITLE_ROWS)
        for i, row in enumerate(grid.rows[:TITLE_ROWS]):
            r = grid.top + i
            if r >= below:
                break
            cells = [(grid.left + j, _text(v)) for j, v in enumerate(row) if _text(v)]
            if not cells:
                continue
            if len(cells) > 2:
                break  # a row of several cells is a header or data, not a title
            for c, text in cells:
                if any(index.label(text) for index in known):
                    continue
                name = project_title(text, vocab)
                if name:
                    return name, grid.name, r, c
            break  # only the first filled row is a title
    return None


def _from_content(sheets: Sequence[str], vocab: Vocabulary) -> str | None:
    """The first word two or more sheet names begin with, when it is a name.

    Not a word of the document's kind (``Risk``, ``Closed``, ``Semana``), and no digit.
    """
    generic = (
        vocab.title_words
        | vocab.closed
        | vocab.examples
        | set(vocab.raid_types)
        | {w for words in vocab.kind_words.values() for w in words}
    )
    counts: dict[str, list[str]] = {}
    for s in sheets:
        words = s.split()
        if len(words) < 2:
            continue
        word = fold(words[0])
        if word not in generic and len(word) >= 3 and word.isalpha():
            counts.setdefault(word, []).append(words[0])
    common = [spelt for spelt in counts.values() if len(spelt) >= 2]
    return max(common, key=len)[0] if len(common) == 1 else None


def find_identity(
    file: str,
    block: BlockHit | None,
    scans: Sequence[BlockHit],
    tables: Sequence[tuple[Grid, HeaderMatch]],
    grids: Sequence[Grid],
    indexes: Iterable[HeaderIndex],
    vocab: Vocabulary,
    sheet_names: Sequence[str] = (),
) -> Identity:
    """Name the tracker (see the module docstring).

    Args:
        file: The workbook's path (its stem names what nothing else does).
        block: The Project block found, if any.
        scans: The Project labels found on every sheet searched.
        tables: (grid, header) of every table read, in workbook order.
        grids: The workbook's sheets, in order (for a title when no table was read).
        indexes: The header indexes of every kind (a header cell is no title).
        vocab: The settings' language packs.
        sheet_names: Every sheet's name (a name they share is the project's).
    """
    stem = PurePath(file).stem
    block_name = _text(block.raw.get("project_name")) if block is not None else ""
    block_id = _text(block.raw.get("project_id")) if block is not None else ""
    project_id, id_from = (block_id, "block") if block_id else (stem, "filename")
    if block_name and block is not None:
        r, c = block.cells["project_name"]
        return Identity(block_name, project_id, "block", id_from, block.sheet, r, c)
    for how, found in (
        ("label", _labelled([*([block] if block else []), *scans])),
        ("title", _titled(tables, grids, indexes, vocab)),
    ):
        if found is not None:
            name, sheet, r, c = found
            return Identity(name, project_id, how, id_from, sheet, r, c)
    content = _from_content(sheet_names, vocab)
    if content:
        return Identity(content, project_id, "content", id_from)
    return Identity(stem, project_id, "filename", id_from)
