"""Settings: one typed model, loaded once and passed in explicitly.

Load order: the defaults below (which equal shared/RAG_RULES.md v1 and
TRACKER_SPEC v1), then a ``pmo.toml`` (an explicit ``--config`` path, else one in
the current folder), then overrides a caller supplies (e.g. a workbook's own
settings sheet). A bad file gives a :class:`~addin.errors.ConfigError` whose
message names the file and the setting in PMO words::

    pmo.toml: rag.schedule.spi_red must be a number, got "low"
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from addin.errors import ConfigError

CONFIG_FILENAME = "pmo.toml"

# Every number is finite (``allow_inf_nan=False``) and within a range that means something,
# so no setting can overflow the arithmetic that uses it (a date plus days, bytes from MB).
_MAX_DAYS = 36_500  # a hundred years
_MAX_RATIO = 1_000.0  # SPI, CPI, VAC as a fraction
_MAX_COUNT = 1_000_000  # risks and issues
#: A settings file is a page of text; anything larger is not one (and is not read whole).
_MAX_CONFIG_BYTES = 1024 * 1024


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, validate_assignment=True, allow_inf_nan=False
    )


class ScheduleThresholds(_Section):
    """When the Schedule dimension turns Red or Amber."""

    spi_red: float = Field(0.85, gt=0, le=_MAX_RATIO)
    """SPI below this is Red."""
    spi_amber: float = Field(0.95, gt=0, le=_MAX_RATIO)
    """SPI below this is Amber."""
    slippage_red_days: int = Field(30, ge=0, le=_MAX_DAYS)
    """A milestone slipping more than this many days is Red."""
    slippage_amber_days: int = Field(10, ge=0, le=_MAX_DAYS)
    """A milestone slipping more than this many days is Amber."""
    finish_slip_red_days: int = Field(30, ge=0, le=_MAX_DAYS)
    """Forecast Finish more than this many days after Baseline Finish is Red."""
    finish_slip_amber_days: int = Field(10, ge=0, le=_MAX_DAYS)
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


class CostThresholds(_Section):
    """When the Cost dimension turns Red or Amber."""

    vac_red: float = Field(0.10, ge=0, le=_MAX_RATIO)
    """VAC % (EAC over budget, as a fraction of budget) above this is Red: 0.10 = 10 %."""
    vac_amber: float = Field(0.05, ge=0, le=_MAX_RATIO)
    """VAC % above this is Amber."""
    cpi_red: float = Field(0.85, gt=0, le=_MAX_RATIO)
    """CPI below this is Red."""
    cpi_amber: float = Field(0.95, gt=0, le=_MAX_RATIO)
    """CPI below this is Amber."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _check_order("vac_red", self.vac_red, "vac_amber", self.vac_amber)
        _check_order("cpi_red", self.cpi_red, "cpi_amber", self.cpi_amber, higher_is_worse=False)
        return self


class RiskThresholds(_Section):
    """When the Risk dimension turns Red or Amber (open Risks and Issues only)."""

    critical_red: int = Field(1, ge=1, le=_MAX_COUNT)
    """This many open Critical risks/issues make Red."""
    high_or_critical_red: int = Field(3, ge=1, le=_MAX_COUNT)
    """This many open High-or-Critical risks/issues make Red."""
    high_amber: int = Field(1, ge=1, le=_MAX_COUNT)
    """This many open High risks/issues make Amber."""
    overdue_amber: bool = True
    """Any open risk/issue whose Due date has passed makes Amber."""


class SeverityScores(_Section):
    """Severity derived from Probability x Impact when the Severity cell is blank."""

    critical: int = Field(20, ge=1, le=25)
    """Score at or above this is Critical."""
    high: int = Field(12, ge=1, le=25)
    """Score at or above this is High."""
    medium: int = Field(6, ge=1, le=25)
    """Score at or above this is Medium; below it, Low."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.critical >= self.high >= self.medium:
            raise ValueError("scores must satisfy critical >= high >= medium")
        return self


class RagSettings(_Section):
    """RAG thresholds (defaults: shared/RAG_RULES.md v1)."""

    stale_days: int = Field(14, ge=0, le=_MAX_DAYS)
    """A report whose Status Date is more than this many days before the as-of date is stale."""
    schedule: ScheduleThresholds = Field(default_factory=ScheduleThresholds)
    """Schedule dimension."""
    cost: CostThresholds = Field(default_factory=CostThresholds)
    """Cost dimension."""
    risk: RiskThresholds = Field(default_factory=RiskThresholds)
    """Risk dimension."""
    severity: SeverityScores = Field(default_factory=SeverityScores)
    """Severity from Probability x Impact."""


class AllowedValues(_Section):
    """The values a dropdown column accepts (matched case-insensitively)."""

    phase: list[str] = ["Initiation", "Planning", "Execution", "Closing", "Closed"]
    """Project phase."""
    rag: list[str] = ["Red", "Amber", "Green"]
    """Reported RAG. Do not change: RAG arithmetic depends on these three."""
    task_status: list[str] = ["Not Started", "In Progress", "Complete", "On Hold", "Cancelled"]
    """Task status. The engine gives meaning to Not Started, Complete and Cancelled."""
    milestone_status: list[str] = ["Not Started", "On Track", "At Risk", "Late", "Achieved"]
    """Milestone status. The engine gives meaning to Achieved."""
    raid_type: list[str] = ["Risk", "Assumption", "Issue", "Dependency"]
    """RAID item type."""
    severity: list[str] = ["Low", "Medium", "High", "Critical"]
    """RAID severity, least severe first."""
    raid_status: list[str] = ["Open", "Mitigating", "Closed"]
    """RAID status. Open and Mitigating count as open."""

    def of(self, key: str) -> list[str]:
        """Return the allowed values for a choice key such as ``task_status``."""
        values: list[str] = getattr(self, key)
        return values


class ValueSynonyms(_Section):
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

    def of(self, key: str) -> dict[str, str]:
        """Return the synonyms for a choice key such as ``task_status``."""
        values: dict[str, str] = getattr(self, key, {})
        return values


class ReaderSettings(_Section):
    """How the reader finds sheets, headers and values in drifted trackers."""

    day_first: bool = True
    """Read ambiguous text dates such as 03/01/2026 as day/month (3 January)."""
    header_scan_rows: int = Field(30, ge=1, le=1000)
    """How many rows from the top to search for a table's header row."""
    sheet_synonyms: dict[str, list[str]] = {}
    """Extra sheet names per tracker sheet, e.g. ``Tasks = ["Work Items"]``."""
    header_synonyms: dict[str, dict[str, list[str]]] = {}
    """Extra headers per sheet and canonical header, e.g. ``[reader.header_synonyms.Tasks]`` then
    ``"Planned Finish" = ["Target End"]``."""

    @model_validator(mode="after")
    def _known_names(self) -> Self:
        from addin import schema

        keys = {s.key for s in schema.sheets()}
        for where in (self.sheet_synonyms, self.header_synonyms):
            for key in where:
                if key not in keys:
                    raise ValueError(
                        f"unknown sheet {key!r}; expected one of {', '.join(sorted(keys))}"
                    )
        for key, headers in self.header_synonyms.items():
            known = set(schema.sheet(key).headers)
            for header in headers:
                if header not in known:
                    raise ValueError(
                        f"{key} has no column {header!r}; "
                        f"expected one of {', '.join(sorted(known))}"
                    )
        return self


class LimitSettings(_Section):
    """Bounds on what one file may cost; past them the file is refused with a reason."""

    max_file_mb: float = Field(100, gt=0, le=1e6)
    """Largest workbook file read, in MB."""
    max_uncompressed_mb: float = Field(400, gt=0, le=1e7)
    """Largest total uncompressed size of a workbook's parts, in MB (zip-bomb guard)."""
    max_compression_ratio: float = Field(200, gt=1, le=1e6)
    """Largest uncompressed/compressed ratio of any sheet part (zip-bomb guard)."""
    max_rows: int = Field(100_000, ge=10, le=1_048_576)
    """Most rows read from one sheet."""
    max_columns: int = Field(500, ge=10, le=16_384)
    """Most columns read from one sheet."""
    timeout_seconds: float = Field(60, gt=0, le=1e6)
    """Longest time one file may take to read (validate, consolidate) or annotate before it is
    abandoned with a reason; the run goes on."""
    worker_memory_mb: float = Field(2048, ge=256, le=1e7)
    """Address-space limit of each reader process in MB, so one file cannot exhaust the machine."""


class TemplateSettings(_Section):
    """The governed tracker template that ``pmo new-tracker`` writes."""

    protect_sheets: bool = True
    """Lock headers and protect the sheets (data cells stay editable)."""
    password: str = ""
    """Sheet-protection password; empty for none. Protection is a guard rail, not security."""


class Settings(_Section):
    """Every setting of the PMO add-in. Defaults follow TRACKER_SPEC v1 and RAG_RULES v1."""

    portfolio_name: str = "PMO Portfolio"
    """Title printed on the portfolio and dashboard."""
    currency: str = Field("GBP", pattern=r"^[A-Z]{3}$")
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
    rules: dict[str, Literal["error", "warning", "off"]] = {}
    """Re-level or switch off validation rules by id, e.g. ``"task.owner_required" = "warning"``."""
    limits: LimitSettings = Field(default_factory=LimitSettings)
    """Per-file limits."""
    template: TemplateSettings = Field(default_factory=TemplateSettings)
    """Template options."""

    @model_validator(mode="after")
    def _known_rules(self) -> Self:
        from addin.rules import RULES

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


_TYPE_WORDS = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "extra_forbidden": "is not a known setting",
    "missing": "is required",
    "finite_number": "must be a finite number",
}


def _describe(error: Mapping[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    try:
        got = json.dumps(error.get("input"), default=str, ensure_ascii=False)
    except (RecursionError, ValueError):  # nested too deeply to show, or a circular value
        got = "a nested value"
    if len(got) > 60:
        got = got[:57] + "..."
    if kind in _TYPE_WORDS:
        text = _TYPE_WORDS[kind]
        return (
            f"{loc} {text}"
            if kind in ("extra_forbidden", "missing")
            else f"{loc} {text}, got {got}"
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{loc} must be one of {expected}, got {got}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ((word, bound),) = error["ctx"].items()
        sign = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}[word]
        return f"{loc} must be {sign} {bound}, got {got}"
    if kind == "string_pattern_mismatch":
        return f"{loc} has the wrong form, got {got}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def settings_from_mapping(data: Mapping[str, Any], source: str = CONFIG_FILENAME) -> Settings:
    """Build settings from a parsed mapping; raise :class:`ConfigError` with a clear message.

    Args:
        data: The parsed TOML (or any mapping of the same shape).
        source: What to call the origin in error messages (usually the file name).
    """
    try:
        return Settings.model_validate(dict(data))
    except RecursionError:
        raise ConfigError(f"{source}: {_TOO_DEEP}") from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        more = len(exc.errors()) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(f"{source}: {_describe(first)}{tail}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


_TOO_DEEP = "nested too deeply (tables or lists inside one another): not a settings file"


def _read_config(path: Path) -> bytes:
    """The bytes of a settings file: a regular file of at most 1 MB, checked before reading."""
    try:  # opened without blocking: opening a FIFO for reading would wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
                raise ConfigError(f"{path}: not a regular file, so not a settings file")
            if st.st_size > _MAX_CONFIG_BYTES:
                raise ConfigError(
                    f"{path}: {st.st_size:,} bytes is too large for a settings file "
                    f"(limit {_MAX_CONFIG_BYTES:,})"
                )
            return fh.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read settings file ({exc.strerror or exc})") from None


def find_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Path | None:
    """Return the settings file to use: ``explicit`` if given, else ``pmo.toml`` in ``cwd``."""
    if explicit is not None:
        return Path(explicit)
    candidate = (cwd or Path.cwd()) / CONFIG_FILENAME
    return candidate if candidate.is_file() else None


def load_settings(
    path: str | Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Load the effective settings: defaults, then ``pmo.toml``, then ``overrides``.

    Args:
        path: An explicit settings file (``--config``); it must exist. When None, a
            ``pmo.toml`` in ``cwd`` (default: the current folder) is used if present.
        overrides: Settings applied last, e.g. from a workbook's settings sheet.
        cwd: Folder searched for ``pmo.toml`` when ``path`` is None.

    Raises:
        ConfigError: the file is missing, not TOML, or holds an invalid setting.
    """
    found = find_config(path, cwd)
    data: dict[str, Any] = {}
    name = CONFIG_FILENAME
    if found is not None:
        name = found.name
        raw = _read_config(found)
        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: not valid TOML ({exc})") from None
        except (RecursionError, MemoryError):
            raise ConfigError(f"{name}: {_TOO_DEEP}") from None
    if overrides:
        data = _merge(data, overrides)
    return settings_from_mapping(data, name)


# --- writing a commented pmo.toml -------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
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

    def section(model: BaseModel, prefix: str) -> None:
        fields = type(model).model_fields
        nested = [n for n, f in fields.items() if isinstance(getattr(model, n), BaseModel)]
        for name, info in fields.items():
            if name in nested:
                continue
            if commented:
                lines.extend(_comment(info.description))
            lines.append(f"{_toml_key(name)} = {_toml_value(getattr(model, name))}")
            if commented:
                lines.append("")
        for name in nested:
            child = getattr(model, name)
            full = f"{prefix}.{name}" if prefix else name
            if lines and lines[-1] != "":
                lines.append("")
            if commented:
                lines.extend(_comment(fields[name].description))
            lines.append(f"[{full}]")
            section(child, full)

    if commented:
        lines.extend(
            [
                "# pmo.toml: settings of the PMO add-in. Delete any line to use its default.",
                "# Defaults follow the PMO standard (TRACKER_SPEC v1, RAG_RULES v1).",
                "",
            ]
        )
    section(settings, "")
    return "\n".join(lines).rstrip() + "\n"
