"""Validation: every TRACKER_SPEC rule, as registered check functions over a read tracker.

Each kind's checks live in their own module (:mod:`.project`, :mod:`.tasks` ...) and
register themselves with :func:`~addin.checks.registry.check`; :func:`validate_tracker`
runs them all. Rule ids, severities and messages live in :mod:`addin.core.rules`.
"""

from __future__ import annotations

from addin.checks import budget, common, lessons, milestones, project, raid, resources, tasks
from addin.checks.context import CheckContext, date_formatter
from addin.checks.dated import dated_findings
from addin.checks.registry import Check, check, checks, run
from addin.checks.value import check_value, resolve_field
from addin.core.findings import Finding
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.read import ReadResult

#: The modules whose checks are registered (imported for that effect).
MODULES = (common, project, tasks, milestones, budget, raid, lessons, resources)


def validate_tracker(
    result: ReadResult, settings: Settings, *, rules: RuleBook | None = None
) -> list[Finding]:
    """Apply every registered check to a read tracker (the date-independent rules).

    The reader's own findings (structure, unreadable values) are not repeated, and the
    rules that depend on the day of the run are :func:`dated_findings`, so these
    findings can be cached between runs.
    """
    ctx = CheckContext(result, settings, rules or RuleBook(dict(settings.rules)))
    return list(run(ctx))


__all__ = [
    "MODULES",
    "Check",
    "CheckContext",
    "check",
    "check_value",
    "checks",
    "date_formatter",
    "dated_findings",
    "resolve_field",
    "validate_tracker",
]
