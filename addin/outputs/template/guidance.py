"""What each template column accepts, in words and as Excel data validation.

Derived from the kind registry's :class:`~addin.core.kinds.Field` declarations
(type, bounds, choices, note) and the settings' dropdown lists, so the guidance a
project manager reads, the validation Excel enforces and the reader's checks agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from addin.core.kinds import Field, Layout, SheetKind, ValueType
from addin.core.settings import Settings

#: Dates accepted by the date validation.
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def bounds(spec: SheetKind, field: Field) -> tuple[int | float | None, int | float | None]:
    """Return the (lower, upper) bounds the spec puts on a numeric field, None when open.

    The same bounds the reader checks (:attr:`Field.ge`, :attr:`Field.le`), so the
    template's validation can never disagree with the reader.
    """
    return field.ge, field.le


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _range_words(spec: SheetKind, field: Field) -> str:
    lower, upper = bounds(spec, field)
    if field.type is ValueType.PERCENT:
        low, high = (lower or 0.0) * 100, (1.0 if upper is None else upper) * 100
        return f"from {_number(low)}% to {_number(high)}%"
    if lower is not None and upper is not None:
        return f"from {_number(lower)} to {_number(upper)}"
    if lower is not None:
        return f">= {_number(lower)}"
    if upper is not None:
        return f"<= {_number(upper)}"
    return "any value"


def guidance(spec: SheetKind, field: Field, settings: Settings) -> str:
    """Return one line of guidance for a field: required?, its note, what it accepts."""
    parts: list[str] = []
    if spec.layout is Layout.KEYVALUE and field.name == "template_version":
        return "Written by the template; do not change."
    if spec.layout is Layout.KEYVALUE and field.name == "currency":
        return f"A 3-letter ISO code such as GBP, EUR or USD. Blank means {settings.currency}."
    if field.required:
        parts.append("Required.")
    if field.note:
        parts.append(field.note)
    elif not field.required:
        parts.append("Optional.")
    kind = field.type
    if kind is ValueType.CHOICE and field.choices:
        values = settings.allowed.of(field.choices)
        parts.append("Pick from the list." if field.note else f"One of: {', '.join(values)}.")
    elif field.note:
        return " ".join(parts)
    elif kind is ValueType.DATE:
        parts.append(f"A date ({settings.date_format}).")
    elif kind is ValueType.NUMBER:
        parts.append(f"A number {_range_words(spec, field)}.")
    elif kind is ValueType.PERCENT:
        parts.append(f"{_range_words(spec, field).capitalize()}.")
    elif kind is ValueType.INTEGER:
        parts.append(f"A whole number {_range_words(spec, field)}.")
    return " ".join(parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation(
    spec: SheetKind,
    field: Field,
    settings: Settings,
    list_source: str | list[str] | None = None,
) -> dict[str, Any] | None:
    """Return XlsxWriter ``data_validation`` options for a field, or None for none.

    Args:
        spec: The sheet the field belongs to.
        field: The field.
        settings: Where dropdown lists come from.
        list_source: For a CHOICE field, the list or a range reference holding it
            (default: the allowed values from settings as an in-cell list).
    """
    header = field.header
    prompt: dict[str, Any] = {
        "ignore_blank": True,
        "input_title": _clip(header, 32),
        "input_message": _clip(guidance(spec, field, settings), 255),
    }
    base = prompt | {"error_type": "stop", "error_title": _clip(f"Invalid {header}", 32)}
    kind = field.type
    if kind is ValueType.CHOICE and field.choices:
        values = settings.allowed.of(field.choices)
        source = list_source if list_source is not None else list(values)
        message = f"{header} must be one of: {', '.join(values)}."
        return base | {"validate": "list", "source": source, "error_message": _clip(message, 255)}
    if kind is ValueType.DATE:
        message = (
            f"{header} must be a date between {DATE_MIN.year} and {DATE_MAX.year}, "
            f"typed as {settings.date_format}."
        )
        return base | {
            "validate": "date",
            "criteria": "between",
            "minimum": DATE_MIN,
            "maximum": DATE_MAX,
            "error_message": message,
        }
    if kind in (ValueType.NUMBER, ValueType.PERCENT, ValueType.INTEGER):
        lower, upper = bounds(spec, field)
        kind_word = "whole number" if kind is ValueType.INTEGER else "number"
        message = f"{header} must be a {kind_word} {_range_words(spec, field)}."
        rule: dict[str, Any] = {"validate": "whole" if kind is ValueType.INTEGER else "decimal"}
        if lower is not None and upper is not None:
            rule |= {"criteria": "between", "minimum": lower, "maximum": upper}
        elif lower is not None:
            rule |= {"criteria": ">=", "value": lower}
        elif upper is not None:
            rule |= {"criteria": "<=", "value": upper}
        else:
            rule |= {"criteria": "between", "minimum": -1e307, "maximum": 1e307}
        return base | rule | {"error_message": message}
    if prompt["input_message"]:
        return prompt | {"validate": "any"}
    return None
