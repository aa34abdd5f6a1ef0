"""Settings of resource planning: the capacity list, periods, units, loads and thresholds.

Defaults follow shared/RAG_RULES.md v2 "Resources": over-allocated above 100 %
(Amber) and above 120 % (Red) of capacity.
"""

from __future__ import annotations

from typing import Literal, Self

from addin.core.settings.fields import Field
from addin.core.settings.section import Section, model_validator


class ResourceSettings(Section):
    """Resources across projects: who is over-allocated, when, and by which projects."""

    capacity: str = ""
    """The PMO's capacity list (``pmo new-capacity`` writes one); a relative path is relative to
    the pmo.toml. Empty: no list (everyone is taken as full time, and names are not checked)."""
    portfolio: str = ""
    """The portfolio workbook ``PMO_LOAD`` reads when a cell gives none (a relative path is
    relative to the pmo.toml)."""
    period: Literal["month", "week"] = "month"
    """Demand and capacity per month or per ISO week."""
    unit: Literal["days", "hours", "FTE"] = "days"
    """Unit of a wide Resources sheet's values when the sheet does not say (a title or header
    with "hours", "FTE" or "%" says)."""
    hours_per_day: float = Field(default=8.0, gt=0, le=24)
    """Hours in a working day (hours in a resource plan become days)."""
    default_load: float = Field(default=0.5, ge=0, le=1)
    """Share of a task Owner's working days a task takes when it has no Effort (and the
    project has no Resources sheet): 0.5 = half time. 0 leaves such tasks out of demand."""
    over_amber: float = Field(default=1.0, gt=0, le=10)
    """Utilisation above this is over-allocated (Amber): 1.0 = 100 %."""
    over_red: float = Field(default=1.2, gt=0, le=10)
    """Utilisation above this is Red."""
    past_periods: int = Field(default=2, ge=0, le=104)
    """Periods before the as-of date shown on the Capacity sheet."""
    ahead_periods: int = Field(default=12, ge=1, le=260)
    """Periods from the as-of date on shown on the Capacity sheet and checked for conflicts."""
    dashboard_periods: int = Field(default=6, ge=1, le=24)
    """Periods from the as-of date on shown on the dashboard's Resources page."""
    dashboard_people: int = Field(default=20, ge=1, le=200)
    """People listed on the dashboard's Resources page (the most over-allocated first)."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.over_red < self.over_amber:
            raise ValueError(
                f"over_red ({self.over_red}) must not be below over_amber ({self.over_amber})"
            )
        return self
