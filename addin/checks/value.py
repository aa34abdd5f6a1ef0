"""Check one value against one tracker field, the way the reader and checks would.

Used by the worksheet function ``PMO_CHECK``: the same coercion and bounds as the
reader (:func:`addin.read.fields.type_columns`), the field's requirement, and for the
Project ID its format (:data:`addin.checks.project.PROJECT_ID`).
"""

from __future__ import annotations

from typing import Any

from addin.checks.project import PROJECT_ID
from addin.core.findings import Finding
from addin.core.kinds import KINDS, kind, normalise
from addin.core.rules import RuleBook, RuleId
from addin.core.settings import Settings
from addin.read.fields import Context, type_columns
from addin.read.headers import header_indexes


def resolve_field(name: str, settings: Settings) -> tuple[str, str]:
    """Find the field a header names: ``"Planned Finish"``, ``"Due Date"``, ``"RAID.Status"``.

    A canonical header wins over a synonym; otherwise kinds are searched in order
    (Project, Tasks, Milestones, Budget, RAID), so ``"Status"`` is the Task status;
    qualify it with a kind's key to pick another. Returns (kind key, field name).

    Raises:
        KeyError: no kind has such a field.
    """
    key, _, header = name.rpartition(".")
    indexes = header_indexes(settings)
    if key and key not in indexes:
        raise KeyError(f"no tracker sheet {key!r}")
    specs = [kind(key)] if key else list(KINDS)
    for spec in specs:  # a canonical header anywhere beats a synonym
        for f in spec.fields:
            if normalise(f.header) == normalise(header):
                return spec.key, f.name
    for spec in specs:
        found = indexes[spec.key].match(header)
        if found is not None:
            return spec.key, found
    raise KeyError(f"no tracker field named {name!r}")


def check_value(field: str, value: Any, settings: Settings) -> Finding | None:
    """Check one value against one tracker field; the finding, or None when it is valid.

    Raises:
        KeyError: ``field`` names no tracker field.
    """
    key, name = resolve_field(field, settings)
    spec = kind(key)
    f = spec.field(name)
    rules = RuleBook(dict(settings.rules))
    ctx = Context("", settings, rules)
    typed = type_columns(ctx, spec, {name: [value]}, "", lambda _n, _i: (None, None))[name][0]
    if ctx.findings:
        return ctx.findings[0]
    if typed is None:
        return rules.finding(RuleId.VALUE_REQUIRED, field=f.header) if f.required else None
    if name == "project_id" and not PROJECT_ID.match(str(typed)):
        return rules.finding(RuleId.PROJECT_ID_FORMAT, field=f.header, value=str(typed))
    return None
