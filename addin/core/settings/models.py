"""The settings model: every setting of the PMO add-in, typed, documented, frozen.

Defaults equal shared/RAG_RULES.md and TRACKER_SPEC. A :class:`Settings` is frozen:
nothing changes it after it is loaded, so every cache can key on it by value (its
:attr:`Settings.fingerprint`). To vary a setting, make a new one with
:meth:`Settings.with_changes` (tests do), or load another ``pmo.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

import addin.core.settings.lesson_values as lv
from addin.core.errors import ConfigError
from addin.core.settings.engine import EngineSettings
from addin.core.settings.fields import Field
from addin.core.settings.history import HistorySettings
from addin.core.settings.mapping import FileMapping
from addin.core.settings.problems import TOO_DEEP, InvalidSettings, problem
from addin.core.settings.reader import ReaderSettings, ScaleSettings
from addin.core.settings.resources import ResourceSettings
from addin.core.settings.section import Section, digest, model_validator, plain

# Every number is finite (NaN and infinity are refused) and within a range that means something,
# so no setting can overflow the arithmetic that uses it (a date plus days, bytes from MB).
_MAX_DAYS = 36_500  # a hundred years
_MAX_RATIO = 1_000.0  # SPI, CPI, VAC as a fraction
_MAX_COUNT = 1_000_000  # risks and issues


class ScheduleThresholds(Section):
    """When the Schedule dimension turns Red or Amber."""

    spi_red: float = Field(default=0.85, gt=0, le=_MAX_RATIO)
    """SPI below this is Red."""
    spi_amber: float = Field(default=0.95, gt=0, le=_MAX_RATIO)
    """SPI below this is Amber."""
    slippage_red_days: int = Field(default=30, ge=0, le=_MAX_DAYS)
    """A milestone slipping more than this many days is Red."""
    slippage_amber_days: int = Field(default=10, ge=0, le=_MAX_DAYS)
    """A milestone slipping more than this many days is Amber."""
    finish_slip_red_days: int = Field(default=30, ge=0, le=_MAX_DAYS)
    """Forecast Finish more than this many days after Baseline Finish is Red."""
    finish_slip_amber_days: int = Field(default=10, ge=0, le=_MAX_DAYS)
    """Forecast Finish more than this many days after Baseline Finish is Amber."""
    overdue_milestone_red: bool = True
    """Any overdue milestone (not Achieved, forecast before the Status Date) is Red."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _check_order("spi_red", self.spi_red, "spi_amber", self.spi_amber, higher_is_worse=False)
        _check_order(
            "slippage_red_days",
            self.slippage_red_days,
            "slippage_amber_days",
            self.slippage_amber_days,
        )
        _check_order(
            "finish_slip_red_days",
            self.finish_slip_red_days,
            "finish_slip_amber_days",
            self.finish_slip_amber_days,
        )
        return self


class CostThresholds(Section):
    """When the Cost dimension turns Red or Amber."""

    vac_red: float = Field(default=0.10, ge=0, le=_MAX_RATIO)
    """VAC % (EAC over budget, as a fraction of budget) above this is Red: 0.10 = 10 %."""
    vac_amber: float = Field(default=0.05, ge=0, le=_MAX_RATIO)
    """VAC % above this is Amber."""
    cpi_red: float = Field(default=0.85, gt=0, le=_MAX_RATIO)
    """CPI below this is Red."""
    cpi_amber: float = Field(default=0.95, gt=0, le=_MAX_RATIO)
    """CPI below this is Amber."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _check_order("vac_red", self.vac_red, "vac_amber", self.vac_amber)
        _check_order("cpi_red", self.cpi_red, "cpi_amber", self.cpi_amber, higher_is_worse=False)
        return self


class RiskThresholds(Section):
    """When the Risk dimension turns Red or Amber (open Risks and Issues only)."""

    critical_red: int = Field(default=1, ge=1, le=_MAX_COUNT)
    """This many open Critical risks/issues make Red."""
    high_or_critical_red: int = Field(default=3, ge=1, le=_MAX_COUNT)
    """This many open High-or-Critical risks/issues make Red."""
    high_amber: int = Field(default=1, ge=1, le=_MAX_COUNT)
    """This many open High risks/issues make Amber."""
    overdue_amber: bool = True
    """Any open risk/issue whose Due date has passed makes Amber."""


class SeverityScores(Section):
    """Severity derived from Probability x Impact when the Severity cell is blank."""

    critical: int = Field(default=20, ge=1, le=25)
    """Score at or above this is Critical."""
    high: int = Field(default=12, ge=1, le=25)
    """Score at or above this is High."""
    medium: int = Field(default=6, ge=1, le=25)
    """Score at or above this is Medium; below it, Low."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.critical >= self.high >= self.medium:
            raise ValueError("scores must satisfy critical >= high >= medium")
        return self


class ScheduleQualityThresholds(Section):
    """When a schedule-quality metric is worth a warning (reported beside RAG, not in it)."""

    bei_warn: float = Field(default=0.95, ge=0, le=_MAX_RATIO)
    """Baseline execution index (tasks Complete / tasks due by the Status Date) below this."""
    missed_tasks_warn: float = Field(default=0.05, ge=0, le=1)
    """Share of finished tasks that finished after their baseline (or planned) finish above this."""
    high_duration_days: int = Field(default=44, ge=1, le=_MAX_DAYS)
    """An incomplete task longer than this many working days has a high duration."""
    high_duration_warn: float = Field(default=0.05, ge=0, le=1)
    """Share of incomplete tasks with a high duration above this."""
    invalid_dates_warn: int = Field(default=0, ge=0, le=_MAX_COUNT)
    """Tasks with invalid dates (actuals after the Status Date, or incomplete and due before it)
    above this."""
    unassigned_warn: float = Field(default=0.0, ge=0, le=1)
    """Share of incomplete tasks without an Owner above this."""


class RagSettings(Section):
    """RAG thresholds (defaults: shared/RAG_RULES.md v2)."""

    stale_days: int = Field(default=14, ge=0, le=_MAX_DAYS)
    """A report whose Status Date is more than this many days before the as-of date is stale."""
    no_data_floor: Literal["Amber", "Red", "none"] = "Amber"
    """Overall is at least this when Schedule or Cost has no data ("none" turns it off)."""
    unknown_progress_max: float = Field(default=0.5, ge=0, le=1)
    """SPI and % complete are none when tasks of unknown progress hold more than this share of
    the weight (a task's progress is unknown when % Complete is blank and its Status says
    neither Complete nor Not Started)."""
    schedule: ScheduleThresholds = Field(default_factory=ScheduleThresholds)
    """Schedule dimension."""
    cost: CostThresholds = Field(default_factory=CostThresholds)
    """Cost dimension."""
    risk: RiskThresholds = Field(default_factory=RiskThresholds)
    """Risk dimension."""
    severity: SeverityScores = Field(default_factory=SeverityScores)
    """Severity from Probability x Impact."""
    quality: ScheduleQualityThresholds = Field(default_factory=ScheduleQualityThresholds)
    """Schedule quality (DCMA-style checks of the Tasks table), warned about beside RAG."""


class AllowedValues(Section):
    """The values a dropdown column accepts (matched case-insensitively)."""

    phase: tuple[str, ...] = ("Initiation", "Planning", "Execution", "Closing", "Closed")
    """Project phase."""
    rag: tuple[str, ...] = ("Red", "Amber", "Green")
    """Reported RAG. Do not change: RAG arithmetic depends on these three."""
    task_status: tuple[str, ...] = (
        "Not Started",
        "In Progress",
        "Complete",
        "On Hold",
        "Cancelled",
    )
    """Task status. The engine gives meaning to Not Started, Complete and Cancelled."""
    milestone_status: tuple[str, ...] = ("Not Started", "On Track", "At Risk", "Late", "Achieved")
    """Milestone status. The engine gives meaning to Achieved."""
    raid_type: tuple[str, ...] = ("Risk", "Assumption", "Issue", "Dependency")
    """RAID item type."""
    severity: tuple[str, ...] = ("Low", "Medium", "High", "Critical")
    """RAID severity, least severe first."""
    raid_status: tuple[str, ...] = ("Open", "Mitigating", "Closed")
    """RAID status. Open and Mitigating count as open."""
    lesson_category: tuple[str, ...] = lv.LESSON_CATEGORIES
    """Lesson category (Lessons sheet, TRACKER_SPEC v1.1)."""
    lesson_type: tuple[str, ...] = lv.LESSON_TYPES
    """Lesson type: what went well, what to improve."""

    def of(self, key: str) -> tuple[str, ...]:
        """Return the allowed values for a choice key such as ``task_status``."""
        values: tuple[str, ...] = getattr(self, key)
        return values


class ValueSynonyms(Section):
    """Other words trackers use for an allowed value: ``alias = canonical``, per list."""

    rag: dict[str, str] = {"R": "Red", "A": "Amber", "G": "Green", "Yellow": "Amber", "Y": "Amber"}
    """RAG letters and colours."""
    task_status: dict[str, str] = {
        "Done": "Complete",
        "Completed": "Complete",
        "Finished": "Complete",
        "Closed": "Complete",
        "WIP": "In Progress",
        "Ongoing": "In Progress",
        "Started": "In Progress",
        "Not started yet": "Not Started",
        "To Do": "Not Started",
        "Todo": "Not Started",
        "Canceled": "Cancelled",
        "On-Hold": "On Hold",
    }
    """Task status words."""
    milestone_status: dict[str, str] = {
        "In Progress": "On Track",
        "Complete": "Achieved",
        "Completed": "Achieved",
        "Done": "Achieved",
        "Met": "Achieved",
    }
    """Milestone status words."""
    raid_status: dict[str, str] = {
        "In Progress": "Mitigating",
        "Resolved": "Closed",
        "Done": "Closed",
    }
    """RAID status words."""
    raid_type: dict[str, str] = {"R": "Risk", "A": "Assumption", "I": "Issue", "D": "Dependency"}
    """RAID type letters."""
    severity: dict[str, str] = {
        "Med": "Medium",
        "Very High": "Critical",
        "Severe": "Critical",
        "Moderate": "Medium",
    }
    """Severity words."""
    phase: dict[str, str] = {
        "Initiate": "Initiation",
        "Plan": "Planning",
        "Execute": "Execution",
        "Delivery": "Execution",
    }
    """Phase words."""
    lesson_category: dict[str, str] = lv.LESSON_CATEGORY_SYNONYMS
    """Lesson category words."""
    lesson_type: dict[str, str] = lv.LESSON_TYPE_SYNONYMS
    """Lesson type words."""

    def of(self, key: str) -> dict[str, str]:
        """Return the synonyms for a choice key such as ``task_status``."""
        values: dict[str, str] = getattr(self, key, {})
        return values


class LimitSettings(Section):
    """Bounds on what one file may cost; past them the file is refused with a reason."""

    max_file_mb: float = Field(default=100, gt=0, le=1e6)
    """Largest workbook file read, in MB."""
    max_uncompressed_mb: float = Field(default=400, gt=0, le=1e7)
    """Largest total uncompressed size of a workbook's parts, in MB (zip-bomb guard)."""
    max_compression_ratio: float = Field(default=200, gt=1, le=1e6)
    """Largest uncompressed/compressed ratio of any sheet part (zip-bomb guard)."""
    max_rows: int = Field(default=100_000, ge=10, le=1_048_576)
    """Most rows read from one sheet."""
    max_columns: int = Field(default=500, ge=10, le=16_384)
    """Most columns read from one sheet."""
    timeout_seconds: float = Field(default=60, gt=0, le=1e6)
    """Longest time one file may take to read (validate, consolidate) or annotate before it is
    abandoned with a reason; the run goes on."""
    worker_memory_mb: float = Field(default=2048, ge=256, le=1e7)
    """Address-space limit of each reader process in MB, so one file cannot exhaust the machine."""


class TemplateSettings(Section):
    """The governed tracker template that ``pmo new-tracker`` writes."""

    protect_sheets: bool = True
    """Lock headers and protect the sheets (data cells stay editable)."""
    password: str = ""
    """Sheet-protection password; empty for none. Protection is a guard rail, not security."""


class Settings(Section):
    """Every setting of the PMO add-in. Defaults follow TRACKER_SPEC v1 and RAG_RULES v2."""

    portfolio_name: str = "PMO Portfolio"
    """Title printed on the portfolio and dashboard."""
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    """Default ISO 4217 currency when a tracker leaves Currency blank."""
    date_format: str = "dd/mm/yyyy"
    """Excel number format for dates in the workbooks we write; also used in messages."""
    rag: RagSettings = Field(default_factory=RagSettings)
    """RAG thresholds."""
    allowed: AllowedValues = Field(default_factory=AllowedValues)
    """Allowed values of dropdown columns."""
    values: ValueSynonyms = Field(default_factory=ValueSynonyms)
    """Accepted synonyms of allowed values."""
    reader: ReaderSettings = Field(default_factory=ReaderSettings)
    """Reader behaviour."""
    scales: ScaleSettings = Field(default_factory=ScaleSettings)
    """Words of probability and impact scales and their numbers."""
    rules: dict[str, Literal["error", "warning", "off"]] = {}
    """Re-level or switch off validation rules by id, e.g. ``"task.owner_required" = "warning"``."""
    limits: LimitSettings = Field(default_factory=LimitSettings)
    """Per-file limits."""
    template: TemplateSettings = Field(default_factory=TemplateSettings)
    """Template options."""
    history: HistorySettings = Field(default_factory=HistorySettings)
    """The history database."""
    resources: ResourceSettings = Field(default_factory=ResourceSettings)
    """Resources across projects: the capacity list, periods, loads and thresholds."""
    mapping: tuple[FileMapping, ...] = ()
    """``[[mapping]]`` entries: per file glob, sheet -> kind, header rows, header -> field."""
    engine: EngineSettings = Field(default_factory=EngineSettings)
    """Where consolidation runs its per-file work: locally or on a Dask cluster."""

    @property
    def results_fingerprint(self) -> str:
        """A hash of every setting that can change what reading a tracker produces.

        :attr:`fingerprint` less ``[engine]``: a result read on a Dask cluster is the one a
        local run would have made, so the cache serves both.
        """
        data = plain(self)
        del data["engine"]
        return digest(data)

    def with_changes(self, changes: Mapping[str, Any]) -> Settings:
        """New settings with some values changed, by dotted name; validated like a pmo.toml.

        ``settings.with_changes({"allowed.task_status": ["Doing", "Done"]})``

        Raises:
            ConfigError: a changed value is invalid (the message names it).
        """
        data = self.model_dump()
        for dotted, value in changes.items():
            *path, last = dotted.split(".")
            node = data
            for part in path:
                node = node[part]
            node[last] = value
        try:
            return Settings.model_validate(data)
        except RecursionError:
            raise ConfigError(f"settings: {TOO_DEEP}") from None
        except InvalidSettings as exc:
            raise ConfigError(f"settings: {problem(exc)}") from None

    @model_validator(mode="after")
    def _known_rules(self) -> Self:
        from addin.core.rules import RULES

        unknown = sorted(set(self.rules) - set(RULES))
        if unknown:
            raise ValueError(f"unknown rule id {unknown[0]!r} (see `pmo rules` for the list)")
        return self


def _check_order(
    red_name: str, red: float, amber_name: str, amber: float, *, higher_is_worse: bool = True
) -> None:
    if higher_is_worse and red < amber:
        raise ValueError(f"{red_name} ({red}) must not be below {amber_name} ({amber})")
    if not higher_is_worse and red > amber:
        raise ValueError(f"{red_name} ({red}) must not be above {amber_name} ({amber})")
