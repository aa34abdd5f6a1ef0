"""The rule registry: every finding's stable id, default severity and message template.

Tests assert rule ids, never wording. Settings can re-level a rule or switch it
off (``[rules]`` in ``pmo.toml``); :class:`RuleBook` applies that when a finding is
made. Templates are ``str.format`` strings over the keyword arguments the caller
passes (``field``, ``value`` and rule-specific names).
"""

from __future__ import annotations

from typing import Any

from addin.core.findings import Finding, Severity
from addin.core.rule_ids import Rule, RuleId
from addin.core.rule_table import RULE_TABLE
from addin.core.words import one_line

__all__ = ["RULES", "Rule", "RuleBook", "RuleId"]

#: Every rule by id.
RULES: dict[str, Rule] = {r.id: r for r in RULE_TABLE}


class _Params(dict[str, Any]):
    """Template parameters; a placeholder nobody filled shows as ``?`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


class RuleBook:
    """The rules as a run applies them: defaults, re-levelled or switched off by settings."""

    def __init__(self, levels: dict[str, str] | None = None) -> None:
        self._levels: dict[str, Severity | None] = {}
        for rule_id, level in (levels or {}).items():
            if rule_id not in RULES:
                raise KeyError(f"unknown rule id {rule_id!r}")
            self._levels[rule_id] = None if level == "off" else Severity(level)

    def severity(self, rule_id: RuleId | str) -> Severity | None:
        """Return the severity of a rule in this run, or None when it is switched off."""
        if rule_id in self._levels:
            return self._levels[rule_id]
        return RULES[rule_id].severity

    def finding(
        self,
        rule_id: RuleId | str,
        *,
        file: str = "",
        sheet: str = "",
        row: int | None = None,
        col: int | None = None,
        field: str = "",
        value: str = "",
        **params: Any,
    ) -> Finding | None:
        """Make a finding for ``rule_id``, or return None when the rule is switched off.

        ``field`` and ``value`` fill the message template too; extra keyword arguments
        fill the rule's own placeholders.
        """
        severity = self.severity(rule_id)
        if severity is None:
            return None
        params = _Params(field=field, value=value, **params)
        message = one_line(RULES[rule_id].template.format_map(params))
        return Finding(
            rule=rule_id,
            severity=severity,
            message=message,
            file=file,
            sheet=sheet,
            row=row,
            col=col,
            field=field,
            value=value,
        )
