"""Writing settings as a commented ``pmo.toml`` (``pmo config init`` / ``show``)."""

from __future__ import annotations

import json
import re
from typing import Any

from addin.core.settings.docs import field_doc
from addin.core.settings.models import Settings
from addin.core.settings.section import Section


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Section):  # an entry of a list of tables ([[mapping]])
        return _toml_value(value.model_dump())
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _comment(text: str | None) -> list[str]:
    return [f"# {line.strip()}" for line in (text or "").splitlines() if line.strip()]


def to_toml(settings: Settings, *, commented: bool = True) -> str:
    """Render settings as a TOML document, each setting preceded by its description."""
    lines: list[str] = []

    def section(model: Section, prefix: str) -> None:
        fields = type(model).model_fields
        nested = [n for n, f in fields.items() if isinstance(getattr(model, n), Section)]
        for name in fields:
            if name in nested:
                continue
            if commented:
                lines.extend(_comment(field_doc(type(model), name)))
            lines.append(f"{_toml_key(name)} = {_toml_value(getattr(model, name))}")
            if commented:
                lines.append("")
        for name in nested:
            child = getattr(model, name)
            full = f"{prefix}.{name}" if prefix else name
            if lines and lines[-1] != "":
                lines.append("")
            if commented:
                lines.extend(_comment(field_doc(type(model), name)))
            lines.append(f"[{full}]")
            section(child, full)

    if commented:
        lines.extend(
            [
                "# pmo.toml: settings of the PMO add-in. Delete any line to use its default.",
                "# Defaults follow the PMO standard (TRACKER_SPEC v1, RAG_RULES v2).",
                "",
            ]
        )
    section(settings, "")
    return "\n".join(lines).rstrip() + "\n"
