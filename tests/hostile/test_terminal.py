"""Nothing from a tracker acts on the terminal: escapes, bidi overrides and rich markup are shown.

A file name or a cell value may hold ESC (window titles, OSC 8 links, clear-screen),
C1 controls, a right-to-left override or rich markup. Every line ``pmo`` prints, the
JSON it prints and the log it appends show such characters as ``\\uXXXX`` text; the
progress bar shows markup as text. The class is closed at one place: nothing in
``addin/`` prints except the CLI's ``_echo``.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import unicodedata
from pathlib import Path

import pytest
from rich.progress import TextColumn
from typer.testing import CliRunner

from addin import cli
from addin.cli.reporter import Reporter
from tests.builders import base_project, base_tracker, write

AS_OF = ["--as-of", "2026-11-20"]
HOSTILE = "\x1b]0;TITLE\x07\x1b]8;;https:evil.example\x07x\x1b]8;;\x07\x9b2J\u202e"
runner = CliRunner()


def _unsafe(text: str) -> list[str]:
    """Characters that act on a terminal or hide text (all but line feed and tab)."""
    kinds = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    return [c for c in text if unicodedata.category(c) in kinds and c not in "\n\t"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder with a tracker whose file name and Phase cell hold escapes and an override."""
    folder = tmp_path / "trackers"
    folder.mkdir()
    tracker = base_tracker(project=base_project(phase=f"Exec{HOSTILE}ution"))
    write(folder / f"esc{HOSTILE}.xlsx", tracker)
    return folder


@pytest.mark.parametrize(
    "command",
    [["validate"], ["validate", "--format", "json"], ["consolidate", "--no-cache", "-o"]],
)
def test_no_output_or_log_line_carries_a_control_character(
    hostile: Path, tmp_path: Path, command: list[str]
) -> None:
    log = tmp_path / "run.jsonl"
    out = [str(tmp_path / "p.xlsx")] if command[-1] == "-o" else []
    result = runner.invoke(cli.app, [*command, *out, str(hostile), *AS_OF, "--log-file", str(log)])
    assert result.exit_code in (cli.EXIT_FINDINGS, cli.EXIT_OK), result.output
    assert _unsafe(result.output) == []
    assert _unsafe(log.read_text(encoding="utf-8")) == []
    assert "esc\\u001b]0;TITLE\\u0007" in result.output  # shown, so the file can be found
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    assert events[0] == "start" and events[-1] == "end"


def test_json_output_stays_json_and_decodes_to_the_value(hostile: Path) -> None:
    result = runner.invoke(cli.app, ["validate", str(hostile), "--format", "json", *AS_OF])
    (file,) = json.loads(result.stdout)["files"]
    assert file["file"].endswith(f"esc{HOSTILE}.xlsx")
    assert file["findings"][0]["value"] == f"Exec{HOSTILE}ution"


def test_the_progress_bar_shows_rich_markup_in_a_file_name_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    reporter = Reporter(1, None)
    reporter(1, 1, "/x/[link=https:evil.example]bar\x1b[2J.xlsx")
    bar = reporter._bar
    texts = [c.render(bar.tasks[0]) for c in bar.columns if isinstance(c, TextColumn)]
    reporter.close()
    shown = "".join(t.plain for t in texts)
    assert "[link=https:evil.example]bar\\u001b[2J.xlsx" in shown
    assert [s.style for t in texts for s in t.spans if "link" in str(s.style)] == []


def test_every_invisible_or_control_character_is_escaped() -> None:
    from addin.core.words import terminal_safe

    kinds = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    every = (
        "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in kinds)
        .replace("\n", "")
        .replace("\t", "")
    )
    assert _unsafe(terminal_safe(every, lines=True)) == []
    assert _unsafe(terminal_safe("a\nb\tc")) == []  # one value cannot fake a line of its own
    text = "".join(c for c in every if unicodedata.category(c) != "Cs")  # JSON holds no halves
    assert json.loads(terminal_safe(json.dumps(text, ensure_ascii=False), lines=True)) == text


def _prints(tree: ast.AST) -> list[int]:
    """Lines that write to the terminal directly: print(), typer/click echo, stream writes."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        owner = ast.unparse(f.value) if isinstance(f, ast.Attribute) else ""
        echo = name in ("echo", "secho") and owner in ("typer", "click")
        stream = name == "write" and owner.endswith(("sys.stdout", "sys.stderr"))
        if name == "print" or echo or stream:
            found.append(node.lineno)
    return found


def test_nothing_prints_except_through_the_one_guarded_echo() -> None:
    package = Path(cli.__file__).parent.parent
    offenders = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = set(_prints(tree))
        if path.relative_to(package).as_posix() == "cli/app.py":  # the one place: echo's body
            (echo,) = [n for n in ast.walk(tree) if getattr(n, "name", "") == "echo"]
            lines -= set(_prints(echo))
        if lines:
            offenders[str(path.relative_to(package))] = sorted(lines)
    assert offenders == {}
