"""The Budget table: one row per month, planned, actual and forecast (TRACKER_SPEC v1)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar

from addin.core.kinds.spec import Anchor, Field, Layout, Record, SheetKind, ValueType


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetLine(Record):
    """One row (one month) of the ``Budget`` table."""

    kind: ClassVar[str] = "Budget"

    period: Annotated[
        dt.date | None,
        Field(
            "Period",
            ValueType.DATE,
            required=True,
            synonyms=("Month", "Period Start", "Month Start"),
            note="The first day of the month.",
        ),
    ] = None
    planned: Annotated[
        float | None,
        Field(
            "Planned",
            ValueType.NUMBER,
            synonyms=("Plan", "Planned Cost", "Budgeted", "Baseline"),
            ge=0,
        ),
    ] = None
    actual: Annotated[
        float | None,
        Field(
            "Actual",
            ValueType.NUMBER,
            synonyms=("Actuals", "Actual Cost", "Spend", "Actual Spend", "Spent"),
            note="Only for months up to the Status Date.",
            ge=0,
        ),
    ] = None
    forecast: Annotated[
        float | None,
        Field(
            "Forecast", ValueType.NUMBER, synonyms=("Forecast Cost", "Estimate", "Projected"), ge=0
        ),
    ] = None


KIND = SheetKind(
    key="Budget",
    record=BudgetLine,
    layout=Layout.TABLE,
    sheet_names=(
        "Financials",
        "Finance",
        "Costs",
        "Cost Tracker",
        "Project Budget",
        "Budget Tracker",
    ),
    anchor=Anchor("period", frozenset({"planned", "actual", "forecast"}), "a period and an amount"),
    portfolio="Budget",
    purpose="One row per month (Period = first day of the month): Planned, Actual to date "
    "and Forecast.",
    template_rows=36,
    rule_prefix="budget.",
)
