"""Decide which sheets feed which kind: by name first, then by the header rows they hold.

1. By name: each kind takes the sheets named like it (its canonical name first, then
   its synonyms in order, then those settings add). A kind fed by one sheet takes the
   first such sheet; a kind that may be spread over several (see
   :attr:`~addin.core.kinds.spec.SheetKind.several`) takes every one, and RAID also
   takes sheets whose name holds a RAID word (``Risks - not project specific``).
2. By content: a kind with no named sheet holding its header row takes the sheet
   whose header row names its fields best.
3. A kind spread over several sheets then also takes every other sheet that holds a
   header row of its own and no better one of another kind (one plan sheet per
   workstream; ``Risks`` beside ``Issues``).

In a workbook made from our template (its ``PMO Template Version`` property), the
template's guidance sheet (:data:`GUIDANCE_SHEETS`) is not searched for a header row:
it holds no records, and reading it in every tracker of a portfolio costs time for
nothing. In any other workbook every sheet is searched, whatever its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from addin.core.kinds import KINDS, SheetKind, kind, normalise, table_kinds
from addin.core.lang import fold, vocabulary
from addin.core.ours import ADOPTION_SHEET, ADOPTION_TITLE, VALIDATION_SHEET, VALIDATION_TITLE
from addin.read.blocks import stack_blocks
from addin.read.columns import settle_columns
from addin.read.fields import Context
from addin.read.gantt_band import unheaded_gantt
from addin.read.grid import Grid, GridSource
from addin.read.headers import HeaderMatch, find_header, qualifies, says_kind
from addin.read.overrides import apply_columns
from addin.read.risk_box import risk_box

T = TypeVar("T")

#: Folded names of the template's sheets that hold guidance, never records.
GUIDANCE_SHEETS = frozenset({"instructions"})


@dataclass
class Assignment:
    """Which sheets feed which kind.

    Attributes:
        by_name: Kind -> the sheets named for it, in preference order.
        tables: Kind -> (grid, header match) of every table that feeds it, in order (a
            sheet may hold several, one below the other).
        unheaded: Kind -> its named sheet where no header row was found (for the finding).
        by_word: Sheets claimed by a word in their name (``Risks - not project specific``)
            rather than their whole name; their content may give them to another kind.
        ignored: Sheet -> why it feeds nothing although it was a candidate.
    """

    by_name: dict[str, list[str]] = field(default_factory=dict)
    tables: dict[str, list[tuple[Grid, HeaderMatch]]] = field(default_factory=dict)
    unheaded: dict[str, str] = field(default_factory=dict)
    by_word: set[str] = field(default_factory=set)
    ignored: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=64)
def _folded_names(key: str, extra: tuple[str, ...], languages: tuple[str, ...]) -> list[str]:
    spec = kind(key)
    packs = vocabulary(languages).sheets.get(key, ())
    return list(dict.fromkeys(fold(n) for n in (spec.key, *spec.sheet_names, *extra, *packs)))


def _names_for(spec: SheetKind, ctx: Context) -> list[str]:
    """The folded sheet names of a kind: canonical first, then declared, settings', packs'."""
    extra = tuple(ctx.settings.reader.sheet_synonyms.get(spec.key, ()))
    return _folded_names(spec.key, extra, ctx.settings.reader.languages)


def sheet_words(name: str) -> set[str]:
    """The folded words of a sheet name (``Risks - not project specific``)."""
    return set(fold(name).replace("-", " ").replace("_", " ").split())


def named_type(name: str, words: Mapping[str, T]) -> T | None:
    """The value a sheet name's word gives (``Risks`` -> Risk), or None.

    Whole words count, or for scripts written without spaces (``リスク管理表``), anywhere.
    """
    own = sheet_words(name)
    hit = own & words.keys()
    if hit:
        return next(value for word, value in words.items() if word in hit)
    folded = fold(name)
    if folded.isascii():
        return None
    for word, value in words.items():
        if not word.isascii() and len(word) > 1 and word in folded:
            return value
    return None


@lru_cache(maxsize=16)
def _raid_words(own: tuple[tuple[str, str], ...], languages: tuple[str, ...]) -> dict[str, str]:
    return {**{fold(k): v for k, v in own}, **vocabulary(languages).raid_types}


def raid_words(spec: SheetKind, ctx: Context) -> dict[str, str]:
    """Folded sheet-name word -> RAID Type: the kind's own, then the language packs'."""
    if not spec.type_words:
        return {}
    return _raid_words(tuple(spec.type_words.items()), ctx.settings.reader.languages)


def _by_name(names: Sequence[str], ctx: Context) -> tuple[dict[str, list[str]], set[str]]:
    """Kind -> sheets named for it: canonical names first, then synonyms in their order.

    Also the sheets claimed only by a word of their name (RAID words).
    """
    folded = {name: fold(name) for name in names}
    out: dict[str, list[str]] = {}
    used: set[str] = set()
    for rank in range(2):  # pass 0: canonical names; pass 1: synonyms in their order
        for spec in KINDS:
            if spec.key in out and not spec.several:
                continue
            wanted = _names_for(spec, ctx)
            for want in wanted[:1] if rank == 0 else wanted[1:]:
                hits = [n for n in names if folded[n] == want and n not in used]
                for hit in hits[: None if spec.several else 1]:
                    out.setdefault(spec.key, []).append(hit)
                    used.add(hit)
                if hits and not spec.several:
                    break
    by_word: set[str] = set()
    for spec in KINDS:  # RAID: any sheet whose name holds one of its words
        words = raid_words(spec, ctx)
        if not words:
            continue
        for name in names:
            if name not in used and named_type(name, words) is not None:
                out.setdefault(spec.key, []).append(name)
                used.add(name)
                by_word.add(name)
    return out, by_word


class _Headers:
    """Header matches per (sheet, kind), each computed once."""

    def __init__(
        self, wb: GridSource, ctx: Context, named: Mapping[str, list[str]] | None = None
    ) -> None:
        self.wb = wb
        self.ctx = ctx
        self.named = named or {}
        self.scan = ctx.settings.reader.header_scan_rows
        self._done: dict[tuple[str, str], tuple[Grid, HeaderMatch | None]] = {}

    def match(self, sheet: str, key: str, named: bool = False) -> tuple[Grid, HeaderMatch | None]:
        found = self._done.get((sheet, key))
        if found is None:
            grid = self.wb.grid(sheet)
            index = self.ctx.indexes[key]
            m = find_header(
                index,
                grid.rows,
                top=grid.top,
                left=grid.left,
                scan=self.scan,
                merged=self.wb.merged_ranges(sheet),
                named=named,
            )
            if m is not None:
                settle_columns(self.ctx, kind(key), grid, m)
                apply_columns(self.ctx.mapping, key, m)
                if not qualifies(key, m, named=named):
                    m = None
            found = self._done[(sheet, key)] = (grid, m)
        return found

    def match_at(self, grid: Grid, key: str, row: int) -> HeaderMatch | None:
        """A header of ``key`` exactly at a 0-based sheet row (settled and qualified), or None."""
        named = grid.name in self.named.get(key, ())
        m = find_header(
            self.ctx.indexes[key],
            grid.rows,
            top=grid.top,
            left=grid.left,
            scan=row + 1,
            merged=self.wb.merged_ranges(grid.name),
            named=named,
            start=row - grid.top,
        )
        if m is not None:
            settle_columns(self.ctx, kind(key), grid, m)
            apply_columns(self.ctx.mapping, key, m)
            if not qualifies(key, m, named=named):
                m = None
        return m

    def best_kind(self, sheet: str) -> str | None:
        """The table kind whose header row this sheet holds best (None: none qualifies)."""
        best: tuple[int, str] | None = None
        for spec in table_kinds():
            _, m = self.match(sheet, spec.key)
            if m is not None and (best is None or m.score > best[0]):
                best = (m.score, spec.key)
        return None if best is None else best[1]


def ours(wb: GridSource, name: str) -> bool:
    """True for a sheet we wrote into a tracker (Validation, Adoption): no data of it."""
    if name == ADOPTION_SHEET:
        return bool(wb.grid(name).value(0, 0) == ADOPTION_TITLE)
    return name.startswith(VALIDATION_SHEET) and wb.grid(name).value(0, 0) == VALIDATION_TITLE


def _examples(names: Sequence[str], ctx: Context) -> set[str]:
    """Sheets named as an example or a template (``Exemple Planification``, ``Template``)."""
    words = ctx.vocab.examples
    return {n for n in names if named_type(n, dict.fromkeys(words, True))}


def assign_sheets(
    wb: GridSource, names: Sequence[str], ctx: Context, *, from_template: bool = False
) -> Assignment:
    """Decide which sheets feed which kind (see the module docstring)."""
    by_name, by_word = _by_name(names, ctx)
    plan = Assignment(by_name=by_name, by_word=by_word)
    headers = _Headers(wb, ctx, plan.by_name)
    skip = GUIDANCE_SHEETS if from_template else frozenset()
    probed = [n for n in names if normalise(n) not in skip and not ours(wb, n)]
    claimed = {n for sheets in plan.by_name.values() for n in sheets}
    used: set[str] = set()
    pending: list[SheetKind] = []
    for spec in table_kinds():
        for sheet in plan.by_name.get(spec.key, []):
            grid, match = headers.match(sheet, spec.key, named=True)
            if match is not None and sheet in plan.by_word:
                best = headers.best_kind(sheet)
                if best not in (None, spec.key):  # a task sheet named "Risk actions"
                    claimed.discard(sheet)
                    continue
            if match is not None:
                plan.tables.setdefault(spec.key, []).append((grid, match))
                used.add(sheet)
            elif spec.key not in plan.unheaded and not plan.tables.get(spec.key):
                plan.unheaded[spec.key] = sheet
        if plan.tables.get(spec.key):
            plan.unheaded.pop(spec.key, None)
        else:
            pending.append(spec)

    for spec in pending:  # no named sheet with a header: the best header row anywhere
        best_found: tuple[Grid, HeaderMatch] | None = None
        for sheet in probed:
            if sheet in used or headers.best_kind(sheet) != spec.key:
                continue
            grid, match = headers.match(sheet, spec.key)
            if match is not None and (best_found is None or match.score > best_found[1].score):
                best_found = (grid, match)
        if best_found is not None:
            plan.tables[spec.key] = [best_found]
            used.add(best_found[0].name)
            plan.unheaded.pop(spec.key, None)

    if not plan.tables.get("Tasks"):  # no task table: a chart whose names have no header
        for sheet in probed:
            gantt = None if sheet in used else unheaded_gantt(wb.grid(sheet))
            if gantt is not None:
                plan.tables["Tasks"] = [(wb.grid(sheet), gantt)]
                used.add(sheet)
                plan.unheaded.pop("Tasks", None)
                break

    if not plan.tables.get("RAID"):  # no RAID log: a report's box of main risks
        for sheet in probed:
            grid = wb.grid(sheet)
            on_sheet = [m for found in plan.tables.values() for g, m in found if g is grid]
            box = risk_box(grid, ctx.indexes["RAID"], on_sheet)
            if box is not None:
                plan.tables["RAID"] = [(grid, box)]
                plan.unheaded.pop("RAID", None)
                break

    for spec in table_kinds():  # kinds spread over sheets: every other sheet that is theirs
        if not spec.several or not plan.tables.get(spec.key):
            continue
        for sheet in probed:
            if sheet in used or sheet in claimed or headers.best_kind(sheet) != spec.key:
                continue
            grid, match = headers.match(sheet, spec.key)
            assert match is not None and spec.anchor is not None
            if match.strength.get(spec.anchor.field, 0) < 2 and not says_kind(
                match, spec.anchor.field
            ):
                continue  # a weak clue for a name does not add a sheet to the plan
            plan.tables[spec.key].append((grid, match))
            used.add(sheet)
    _drop_examples(plan, _examples(names, ctx))
    stack_blocks(plan.tables, headers.match_at)
    order = {name: i for i, name in enumerate(names)}
    for found in plan.tables.values():  # workbook order within a kind, then down a sheet
        found.sort(key=lambda gm: (order.get(gm[0].name, len(order)), gm[1].row))
    return plan


def _drop_examples(plan: Assignment, examples: set[str]) -> None:
    """An example or template sheet feeds nothing when another sheet feeds its kind."""
    for key, found in plan.tables.items():
        kept = [gm for gm in found if gm[0].name not in examples]
        if kept and len(kept) < len(found):
            plan.ignored.update(
                {
                    gm[0].name: f"an example or template sheet (its name says so); "
                    f"{key} is read from '{kept[0][0].name}'"
                    for gm in found
                    if gm not in kept
                }
            )
            plan.tables[key] = kept
