"""Cold start: each ``pmo`` command imports only the layers it uses (issue 17, item D).

Every ribbon click starts Python, so what ``pmo validate`` imports is its start-up time.
These tests run a fresh interpreter and look at ``sys.modules``; they never time anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.main import get_command

import addin
from addin.cli import app, app_for
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
#: Libraries ``pmo validate`` of a tracker has no use for (the database, the writers, frames).
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "xlsxwriter", "pptx", "numpy", "pandas", "PIL")


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def _after(argv: list[str], measure: str) -> tuple[int, Any]:
    """Run ``pmo ARGV`` in a fresh interpreter: its exit code, and ``measure`` evaluated after
    it (Python code that sets ``found``)."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['pmo', *{argv!r}]\n"
        "from addin.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        f"{measure}\n"
        "sys.stderr.write(json.dumps([code, found]))\n"
    )
    done = _fresh(code)
    exit_code, found = json.loads(done.stderr.strip().splitlines()[-1])
    return exit_code, found


def _loaded_after(argv: list[str]) -> tuple[int, set[str]]:
    """Run ``pmo ARGV`` in a fresh interpreter: its exit code and the top-level modules loaded."""
    code, modules = _after(argv, "found = sorted({m.split('.')[0] for m in sys.modules})")
    return code, set(modules)


def test_validate_of_a_tracker_imports_no_database_writer_or_frames() -> None:
    tracker = next(SAMPLES.glob("*.xlsx"))
    code, modules = _loaded_after(["validate", str(tracker), "--as-of", "2026-11-20"])
    assert code in (0, 1)  # it ran: valid or with findings
    assert "python_calamine" in modules  # and it really read the workbook
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not modules & {"hashlib", "_hashlib"}  # OpenSSL's start-up: nothing here hashes


def test_importing_the_command_line_loads_no_layer_below_it() -> None:
    done = _fresh(
        "import sys, addin.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith(('addin.app', 'addin.engine', "
        "'addin.outputs', 'addin.history', 'addin.core.settings', 'importlib.metadata', "
        "'pydantic', 'sqlalchemy', 'openpyxl', 'xlsxwriter'))))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_version_is_the_installed_one_without_reading_metadata() -> None:
    """``addin.__version__`` is what pip installed (pyproject reads it from the source), and
    naming it loads nothing: importlib.metadata cost a consolidation ~50 M instructions."""
    done = _fresh(
        "import sys, addin\n"
        "print(addin.__version__, 'importlib.metadata' in sys.modules)\n"
        "from importlib.metadata import version\n"
        "print(version('pmo-addin'))"
    )
    assert done.returncode == 0, done.stderr
    named, installed = done.stdout.split("\n")[:2]
    assert named == f"{addin.__version__} False"
    assert installed == addin.__version__


def test_help_lists_every_command_with_its_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "addin", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    root = get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        first_line = (command.help or "").strip().splitlines()[0]
        rows = [ln.strip("\u2502 ") for ln in done.stdout.splitlines()]  # rich's box edges
        line = next((row for row in rows if row.startswith(f"{name} ")), "")
        assert line, f"pmo --help does not list {name}"
        assert first_line[:30] in line, f"{name}: {line!r}"


def test_worksheet_functions_do_not_load_the_history_database() -> None:
    done = _fresh(
        "import sys, addin.app.functions\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_consolidate_without_history_does_not_load_the_database(tmp_path: Path) -> None:
    """``--no-history`` (a scheduler's dry run, the benchmark) pays nothing for SQLAlchemy."""
    tracker = next(SAMPLES.glob("*.xlsx"))
    out = tmp_path / "p.xlsx"
    argv = ["consolidate", str(tracker), "-o", str(out), "--no-history", "--no-cache"]
    code, modules = _loaded_after([*argv, "--as-of", "2026-11-20"])
    assert code in (0, 1) and out.exists()  # it ran and wrote the portfolio
    assert not modules & {"sqlalchemy", "alembic"}, sorted(modules & {"sqlalchemy", "alembic"})


def test_consolidate_without_history_does_not_import_the_trend(tmp_path: Path) -> None:
    """The trend's types are for a run that reads a history (4 ms of its own imports)."""
    out = tmp_path / "p.xlsx"
    argv = ["consolidate", str(SAMPLES), "-o", str(out), "--no-history", "--no-cache"]
    measure = "found = sorted(m for m in sys.modules if m.startswith('addin.engine'))"
    code, modules = _after([*argv, "--as-of", "2026-11-20", "--jobs", "1"], measure)
    assert code in (0, 1) and out.exists()  # it ran and wrote the portfolio
    assert "addin.engine.consolidate" in modules  # the engine ran here
    assert "addin.engine.trend" not in modules


def test_the_cache_check_is_built_when_an_entry_is_first_checked() -> None:
    """A re-run whose entries are all sealed never checks one: importing the check builds
    nothing; checking an entry builds it, once."""
    done = _fresh(
        "import pickle\n"
        "import addin.engine.cached_result as c\n"
        "before = len(c._CHECKS)\n"
        "from addin.engine.pipeline import failed\n"
        "from addin.core.findings import FileStatus\n"
        "blob = pickle.dumps(failed('t.xlsx', FileStatus.UNREADABLE, 'why'))\n"
        "c.from_cache(blob, 't.xlsx')\n"
        "print(before, len(c._CHECKS) > 0, c._result_fields.cache_info().currsize)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True", "1"]


def _help_of(argv: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "addin", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"},
        cwd=ROOT,
        check=False,
    )
    return f"{done.returncode}\n{done.stdout}\n{done.stderr}"


def test_a_command_line_naming_a_command_builds_that_command_only() -> None:
    every = get_command(app).commands  # type: ignore[attr-defined]
    groups = {g.name for g in app.registered_groups}
    assert {"config", "addin"} <= groups
    for name in every:
        if name in groups:  # a group of commands: the whole app
            assert app_for([name, "show"]) is app
            continue
        one = get_command(app_for([name, "--help"]))
        assert list(one.commands) == [name]  # type: ignore[attr-defined]
        mine = one.commands[name]  # type: ignore[attr-defined]
        assert [p.name for p in mine.params] == [p.name for p in every[name].params]
    for argv in ([], ["--help"], ["--version"], ["valdate", "x.xlsx"], ["config", "show"]):
        assert app_for(argv) is app, argv
    assert len(app.registered_commands) == len(every) - len(groups)  # the app is left whole


def test_a_command_says_the_same_when_built_alone() -> None:
    """Its help and its usage errors read as they did when every command was built."""
    from addin.cli import tracker

    assert tracker.validate.__name__ == "validate"
    alone = _help_of(["validate", "--help"])
    assert alone.startswith("0\n") and "--as-of" in alone and "validate [OPTIONS]" in alone
    wrong = _help_of(["validate", "--no-such-option"])
    assert wrong.startswith("2\n") and "No such option: --no-such-option" in wrong
    misspelt = _help_of(["valdate", "x.xlsx"])  # not a command: the whole app answers
    assert misspelt.startswith("2\n") and "No such command" in misspelt


def _checks_made(argv: list[str]) -> tuple[int, list[str]]:
    """Run ``pmo ARGV`` in a fresh interpreter: its exit code, the settings sections whose
    check was made, and ``pydantic`` if anything imported it."""
    measure = (
        "from addin.core.settings import section\n"
        "found = sorted(c.__name__ for c in section._CHECKS)\n"
        "found += ['pydantic'] if 'pydantic' in sys.modules else []"
    )
    code, made = _after(argv, measure)
    return code, list(made)


def test_validate_and_consolidate_make_no_settings_check(tmp_path: Path) -> None:
    """With no pmo.toml, the defaults are taken as made; pydantic is not even imported."""
    tracker = next(SAMPLES.glob("*.xlsx"))
    code, made = _checks_made(["validate", str(tracker), "--as-of", "2026-11-20"])
    assert code in (0, 1) and made == []  # it ran (valid or with findings), made nothing
    out = tmp_path / "portfolio.xlsx"
    argv = ["consolidate", str(SAMPLES), "-o", str(out), "--as-of", "2026-11-20", "--no-cache"]
    code, made = _checks_made([*argv, "--no-history", "--jobs", "2"])
    assert code in (0, 1) and out.is_file() and made == []
    with_toml = tmp_path / "pmo.toml"
    with_toml.write_text('portfolio_name = "Named"\n', encoding="utf-8")
    code, made = _checks_made([*argv, "--config", str(with_toml), "--no-history"])
    assert code in (0, 1) and "Settings" in made  # a settings file is checked, as ever
    assert "pydantic" not in made
