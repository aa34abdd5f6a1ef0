"""Settings (addin/config.py) and the ``pmo config`` commands.

Defaults are written by hand from shared/RAG_RULES.md v1 and TRACKER_SPEC v1. A bad
``pmo.toml`` must give one clear line naming the file and the setting, never
pydantic's own text (the words the settings were once checked with).
"""

from __future__ import annotations

import tomllib
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from typer.testing import CliRunner

from addin.cli import app
from addin.core.errors import ConfigError
from addin.core.findings import Severity
from addin.core.rules import RULES, RuleBook
from addin.core.settings import Settings, load_settings, settings_from_mapping, to_toml

FAST = hsettings(max_examples=60, deadline=None, derandomize=True)
SPI_LOW = 'pmo.toml: rag.schedule.spi_red must be a number, got "low"'
PYDANTIC_WORDS = ("Input should", "validation error", "pydantic", "type=", "For further")


# --- defaults ---------------------------------------------------------------------------------


def test_rag_defaults_are_rag_rules_v2() -> None:
    assert Settings().rag.model_dump() == {
        "stale_days": 14,  # "> 14 days" -> stale
        "no_data_floor": "Amber",  # v2: at least Amber when Schedule or Cost has no data
        "unknown_progress_max": 0.5,  # v2: "more than half of the weight unknown" -> no SPI
        "schedule": {
            "spi_red": 0.85,  # SPI < 0.85
            "spi_amber": 0.95,  # SPI < 0.95
            "slippage_red_days": 30,  # max slippage > 30
            "slippage_amber_days": 10,  # max slippage > 10
            "finish_slip_red_days": 30,  # finish slip > 30
            "finish_slip_amber_days": 10,  # finish slip > 10
            "overdue_milestone_red": True,  # any overdue milestone
        },
        "cost": {
            "vac_red": 0.10,  # VAC % > 10 %
            "vac_amber": 0.05,  # VAC % > 5 %
            "cpi_red": 0.85,  # CPI < 0.85
            "cpi_amber": 0.95,  # CPI < 0.95
        },
        "risk": {
            "critical_red": 1,  # any open Critical
            "high_or_critical_red": 3,  # >= 3 open High-or-Critical
            "high_amber": 1,  # any open High
            "overdue_amber": True,  # any open risk/issue with Due < d
        },
        "severity": {"critical": 20, "high": 12, "medium": 6},  # score >= 20 / 12 / 6
        "quality": {  # v2 "Schedule quality": warn when ...
            "bei_warn": 0.95,  # BEI < 0.95
            "missed_tasks_warn": 0.05,  # missed tasks > 5 %
            "high_duration_days": 44,  # "longer than 44 working days"
            "high_duration_warn": 0.05,  # high duration > 5 %
            "invalid_dates_warn": 0,  # invalid dates > 0
            "unassigned_warn": 0.0,  # unassigned > 0 %
        },
    }


def test_allowed_values_are_tracker_spec_v1() -> None:
    assert {k: list(v) for k, v in Settings().allowed.model_dump().items()} == {
        "phase": ["Initiation", "Planning", "Execution", "Closing", "Closed"],
        "rag": ["Red", "Amber", "Green"],
        "task_status": ["Not Started", "In Progress", "Complete", "On Hold", "Cancelled"],
        "milestone_status": ["Not Started", "On Track", "At Risk", "Late", "Achieved"],
        "raid_type": ["Risk", "Assumption", "Issue", "Dependency"],
        "severity": ["Low", "Medium", "High", "Critical"],
        "raid_status": ["Open", "Mitigating", "Closed"],
        # v1.1: the Lessons sheet
        "lesson_category": [
            "Schedule",
            "Cost",
            "Scope",
            "Quality",
            "Risk",
            "Resourcing",
            "Stakeholder",
            "Supplier",
            "Technical",
            "Governance",
        ],
        "lesson_type": ["Went well", "To improve"],
    }


def test_reader_defaults() -> None:
    r = Settings().reader
    # dd/mm/yyyy text is day-first by default; nothing extra configured
    assert (r.day_first, r.sheet_synonyms, r.header_synonyms) == (True, {}, {})
    assert Settings().rules == {}


# --- loading pmo.toml ---------------------------------------------------------------------------


def write(folder: Path, text: str, name: str = "pmo.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(tmp_path: Path, text: str) -> str:
    write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_settings(cwd=tmp_path)
    return str(exc.value)


def test_the_clear_message_for_a_wrong_type(tmp_path: Path) -> None:
    assert config_error(tmp_path, '[rag.schedule]\nspi_red = "low"\n') == SPI_LOW


@pytest.mark.parametrize(
    ("text", "starts", "contains"),
    [
        # wrong types
        ('[rag.schedule]\nspi_red = "low"\n', "pmo.toml: rag.schedule.spi_red", ['"low"']),
        ("[rag]\nstale_days = 1.5\n", "pmo.toml: rag.stale_days", ["1.5"]),
        ('[allowed]\nphase = "Initiation"\n', "pmo.toml: allowed.phase", ["list", '"Initiation"']),
        ('[rag.risk]\noverdue_amber = "maybe"\n', "pmo.toml: rag.risk.overdue_amber", ['"maybe"']),
        ("rules = 5\n", "pmo.toml: rules", ["5"]),
        ("rag = 5\n", "pmo.toml: rag", ["5"]),  # a section given a value
        ("[rag]\nschedule = 0.9\n", "pmo.toml: rag.schedule", ["0.9"]),
        # unknown keys
        ("[rag.schedule]\nspi_rd = 0.8\n", "pmo.toml: rag.schedule.spi_rd", ["not a known"]),
        ("colour = 1\n", "pmo.toml: colour", ["not a known"]),
        # out of range
        ("[rag]\nstale_days = -1\n", "pmo.toml: rag.stale_days", [">= 0", "-1"]),
        ("[rag.schedule]\nspi_red = 0\n", "pmo.toml: rag.schedule.spi_red", ["> 0", "0"]),
        ("[rag.severity]\nhigh = 26\n", "pmo.toml: rag.severity.high", ["<= 25", "26"]),
        ('currency = "pounds"\n', "pmo.toml: currency", ['"pounds"']),
        # red and amber the wrong way round
        ("[rag.schedule]\nspi_red = 0.96\n", "pmo.toml: rag.schedule", ["spi_red", "spi_amber"]),
        (
            "[rag.schedule]\nslippage_red_days = 5\n",
            "pmo.toml: rag.schedule",
            ["slippage_red_days", "slippage_amber_days"],
        ),
        ("[rag.cost]\nvac_red = 0.01\n", "pmo.toml: rag.cost", ["vac_red", "vac_amber"]),
        ("[rag.cost]\ncpi_amber = 0.5\n", "pmo.toml: rag.cost", ["cpi_red", "cpi_amber"]),
        ("[rag.severity]\ncritical = 5\n", "pmo.toml: rag.severity", ["critical", "high"]),
        # rules: unknown id, unknown level
        ('[rules]\n"task.nope" = "warning"\n', "pmo.toml: ", ["task.nope"]),
        ('[rules]\n"task.owner_required" = "loud"\n', "pmo.toml: rules", ['"loud"']),
        # reader names that do not exist
        ('[reader.sheet_synonyms]\nGantt = ["G"]\n', "pmo.toml: reader", ["Gantt"]),
        (
            '[reader.header_synonyms.Tasks]\n"Planned Fin" = ["x"]\n',
            "pmo.toml: reader",
            ["Planned Fin"],
        ),
        # not TOML at all
        ("this is = = not toml\n", "pmo.toml: ", ["TOML"]),
        ("[rag\n", "pmo.toml: ", ["TOML"]),
    ],
)
def test_bad_settings_give_one_clear_line(
    tmp_path: Path, text: str, starts: str, contains: list[str]
) -> None:
    message = config_error(tmp_path, text)
    assert not any(w in message for w in PYDANTIC_WORDS), message
    assert "\n" not in message
    assert message.startswith(starts), message
    assert all(c in message for c in contains), message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rag.schedule]\nspi_rd = 0.8\n", "pmo.toml: rag.schedule.spi_rd is not a known setting"),
        (
            '[allowed]\nphase = "Initiation"\n',
            'pmo.toml: allowed.phase must be a list, got "Initiation"',
        ),
        ("[rag]\nstale_days = -1\n", "pmo.toml: rag.stale_days must be >= 0, got -1"),
        ("[rag]\nstale_days = 1.5\n", "pmo.toml: rag.stale_days must be a whole number, got 1.5"),
    ],
)
def test_messages_of_the_same_form(tmp_path: Path, text: str, message: str) -> None:
    # same form as the documented example: "<file>: <setting> <what is wrong>, got <value>"
    assert config_error(tmp_path, text) == message


def test_several_problems_still_one_line(tmp_path: Path) -> None:
    message = config_error(tmp_path, '[rag.schedule]\nspi_red = "low"\nspi_amber = "high"\n')
    assert message.startswith(SPI_LOW)
    assert "\n" not in message


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_settings(cwd=tmp_path) == Settings()


def test_explicit_path_wins_over_pmo_toml_in_cwd(tmp_path: Path) -> None:
    write(tmp_path, "[rag]\nstale_days = 7\n")
    custom = write(tmp_path, "[rag]\nstale_days = 21\n", "custom.toml")
    assert load_settings(cwd=tmp_path).rag.stale_days == 7
    assert load_settings(custom, cwd=tmp_path).rag.stale_days == 21


def test_pmo_toml_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "[rag]\nstale_days = 9\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().rag.stale_days == 9


def test_errors_name_the_explicit_file(tmp_path: Path) -> None:
    custom = write(tmp_path, '[rag.schedule]\nspi_red = "low"\n', "custom.toml")
    with pytest.raises(ConfigError) as exc:
        load_settings(custom, cwd=tmp_path)
    assert str(exc.value) == SPI_LOW.replace("pmo.toml", "custom.toml")


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path / "nope.toml")
    assert "nope.toml" in str(exc.value)


def test_file_values_merge_with_defaults_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, "[rag.schedule]\nspi_red = 0.9\nspi_amber = 0.97\n")
    s = load_settings(cwd=tmp_path, overrides={"rag": {"stale_days": 3}})
    assert (s.rag.schedule.spi_red, s.rag.schedule.spi_amber, s.rag.stale_days) == (0.9, 0.97, 3)
    # untouched settings keep their defaults
    assert s.rag.cost == Settings().rag.cost
    assert s.rag.schedule.slippage_red_days == 30


# --- [rules] re-levelling -----------------------------------------------------------------------


def test_rules_relevelled_from_toml(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[rules]\n"task.owner_required" = "warning"\n"raid.severity_missing" = "off"\n'
        '"raid.severity_mismatch" = "error"\n',
    )
    s = load_settings(cwd=tmp_path)
    book = RuleBook(dict(s.rules))
    assert [
        book.severity(r)
        for r in ("task.owner_required", "raid.severity_missing", "raid.severity_mismatch")
    ] == [Severity.WARNING, None, Severity.ERROR]
    assert book.finding("raid.severity_missing") is None
    # every other rule keeps its default level
    others = set(RULES) - {"task.owner_required", "raid.severity_missing", "raid.severity_mismatch"}
    assert {r: book.severity(r) for r in others} == {r: RULES[r].severity for r in others}


# --- writing pmo.toml --------------------------------------------------------------------------


CUSTOM = {
    "portfolio_name": 'Quote " and backslash \\ and ü',
    "rules": {"task.owner_required": "warning", "raid.severity_missing": "off"},
    "rag": {"stale_days": 7, "schedule": {"spi_red": 0.9, "spi_amber": 0.97}},
    "reader": {
        "day_first": False,
        "header_synonyms": {"Tasks": {"Planned Finish": ["Target End"]}},
        "sheet_synonyms": {"RAID": ["Log", "Risks/Issues"]},
    },
    "values": {"task_status": {"En cours": "In Progress", "Fini!": "Complete"}},
}
#: A PMO working in French or German adds its own words for the allowed values.
ACCENTED = {"values": {"task_status": {"Terminé": "Complete", "Geschlossen": "Complete"}}}


@pytest.mark.parametrize(
    "data", [{}, CUSTOM, ACCENTED], ids=["defaults", "custom", "accented_synonym"]
)
@pytest.mark.parametrize("commented", [True, False])
def test_to_toml_round_trips(data: dict[str, object], commented: bool) -> None:
    settings = Settings.model_validate(data)
    text = to_toml(settings, commented=commented)
    assert settings_from_mapping(tomllib.loads(text)) == settings


@FAST
@given(
    spi=st.tuples(st.floats(0.01, 5), st.floats(0.01, 5)).map(sorted),
    vac=st.tuples(st.floats(0, 5), st.floats(0, 5)).map(sorted),
    days=st.tuples(st.integers(0, 400), st.integers(0, 400)).map(sorted),
    stale=st.integers(0, 1000),
    name=st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30),
)
def test_to_toml_round_trips_any_thresholds(
    spi: list[float], vac: list[float], days: list[int], stale: int, name: str
) -> None:
    settings = Settings.model_validate(
        {
            "portfolio_name": name,
            "rag": {
                "stale_days": stale,
                "schedule": {
                    "spi_red": spi[0],
                    "spi_amber": spi[1],
                    "slippage_red_days": days[1],
                    "slippage_amber_days": days[0],
                },
                "cost": {"vac_red": vac[1], "vac_amber": vac[0]},
            },
        }
    )
    assert settings_from_mapping(tomllib.loads(to_toml(settings))) == settings


# --- the pmo config commands -----------------------------------------------------------------


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_config_init_writes_the_defaults(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "init"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert "pmo.toml" in result.stdout
    assert load_settings(tmp_path / "pmo.toml") == Settings()
    # every setting is written (so it can be edited), with comments
    text = (tmp_path / "pmo.toml").read_text(encoding="utf-8")
    assert "spi_red = 0.85" in text
    assert "\n# " in text


def test_config_init_does_not_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, "[rag]\nstale_days = 7\n")
    result = runner.invoke(app, ["config", "init"])
    assert result.exit_code == 2
    assert "pmo.toml" in result.stderr
    assert load_settings(tmp_path / "pmo.toml").rag.stale_days == 7
    result = runner.invoke(app, ["config", "init", "--force"])
    assert result.exit_code == 0
    assert load_settings(tmp_path / "pmo.toml") == Settings()


def test_config_init_to_a_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "init", "other.toml"])
    assert result.exit_code == 0
    assert load_settings(tmp_path / "other.toml") == Settings()
    assert not (tmp_path / "pmo.toml").exists()


def test_config_show_prints_the_effective_settings(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "show"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert settings_from_mapping(tomllib.loads(result.stdout)) == Settings()

    write(tmp_path, "[rag]\nstale_days = 7\n")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    shown = settings_from_mapping(tomllib.loads(result.stdout))
    assert shown == Settings.model_validate({"rag": {"stale_days": 7}})


def test_config_show_with_explicit_config(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, "[rag]\nstale_days = 7\n")
    write(tmp_path, "[rag]\nstale_days = 30\n", "custom.toml")
    result = runner.invoke(app, ["config", "show", "--config", "custom.toml"])
    assert result.exit_code == 0
    assert settings_from_mapping(tomllib.loads(result.stdout)).rag.stale_days == 30


@pytest.mark.parametrize(
    "args",
    [
        ["config", "show"],
        ["rules"],
        ["validate", "."],
        ["consolidate", ".", "--output", "portfolio.xlsx"],
    ],
)
def test_bad_pmo_toml_makes_commands_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    write(tmp_path, '[rag.schedule]\nspi_red = "low"\n')
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith(SPI_LOW)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "portfolio.xlsx").exists()


def test_bad_explicit_config_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, "this is = = not toml\n", "bad.toml")
    result = runner.invoke(app, ["rules", "--config", "bad.toml"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "bad.toml" in result.stderr
    assert "Traceback" not in result.stderr


# --- settings are values: frozen, compared and cached by what they hold -------------------------


def test_settings_cannot_be_changed_in_place() -> None:
    s = Settings()
    with pytest.raises(FrozenInstanceError, match="frozen"):
        s.allowed.task_status = ("Not Started", "Brewing", "Done")  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="frozen"):
        s.rag.stale_days = 1  # type: ignore[misc]
    assert s == Settings() and hash(s) == hash(Settings())


def test_a_changed_status_list_is_judged_by_its_value_not_by_an_earlier_cache() -> None:
    """Issue 11's repro: the choice cache was keyed by id(settings) and mutated settings
    kept answering from it ("Brewing" not allowed, in a message listing "Brewing")."""
    from addin.checks import check_value

    before = Settings()
    first = check_value("Status", "Brewing", before)  # fills the choice cache for `before`
    assert first is not None and first.rule == "value.not_allowed"
    after = before.with_changes({"allowed.task_status": [*before.allowed.task_status, "Brewing"]})
    assert after != before and after.fingerprint != before.fingerprint
    assert check_value("Status", "Brewing", after) is None
    again = check_value("Status", "Brewing", before)
    assert again is not None and "Brewing" not in again.message.split("one of:")[-1]
    # Equal settings built apart share one answer (the cache is keyed by value).
    twin = Settings().with_changes({"allowed.task_status": list(after.allowed.task_status)})
    assert twin == after and hash(twin) == hash(after)
    assert check_value("Status", "Brewing", twin) is None
