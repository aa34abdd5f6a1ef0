"""What a process does once, before its first tracker, stays exact when made cheaper.

``pmo validate`` (a ribbon click) reads one tracker in a fresh worker, so the work done on
first use - the kinds' fields, the header indexes, the choice lists keyed by settings - is
on its critical path. Each test holds a cheaper way equal to the way it replaced.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pytest
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from addin.core.kinds import KINDS, Field, Record, SheetKind, fields_of, normalise
from addin.core.kinds.spec import RECORD_META, _field_annotations
from addin.core.lang import plain
from addin.core.settings import Settings
from addin.core.settings.section import digest
from addin.core.settings.section import plain as plain_values
from addin.read.header_text import header_keys

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "samples" / "CUS-0201_Customer_Portal_v2.xlsx"

# --- header keys ---------------------------------------------------------------------------------

_PAREN = re.compile(r"\s*[\(\[][^)\]]*[\)\]]\s*$")


def _norm(text: str) -> str:
    return normalise(text).rstrip("=?").strip()


def _keys_reference(text: str) -> tuple[str, ...]:
    """header_keys as it was: the bare form always cut and folded again."""
    flat = plain(text)
    folded = _norm(flat)
    bare = _norm(_PAREN.sub("", flat.rstrip(":*.=? ")))
    return (folded,) if bare == folded or not bare else (folded, bare)


@hsettings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("aB é_:*.=? ()[]/\u00a0\u200bß"), max_size=14))
@example("x=:=")
@example("Cost (EUR):")
@example("Done?.")
@example("[Owner]")
@example("Start Date =")
@example("(Tâche)")
@example("Finish]")
def test_header_keys_are_the_keys_they_were(text: str) -> None:
    header_keys.cache_clear()
    assert header_keys(text) == _keys_reference(text)


@hsettings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=24))
def test_header_keys_of_any_text_are_the_keys_they_were(text: str) -> None:
    header_keys.cache_clear()
    assert header_keys(text) == _keys_reference(text)


# --- the kinds' fields ----------------------------------------------------------------------------


@pytest.mark.parametrize("spec", KINDS, ids=lambda k: k.key)
def test_a_kinds_annotations_are_read_as_declared_without_evaluating_text(spec: SheetKind) -> None:
    record = spec.record
    found = _field_annotations(record)
    hints = typing.get_type_hints(record, include_extras=True)
    names = [f.name for f in dataclasses.fields(record) if f.name not in RECORD_META]
    assert names
    for name in names:
        assert not isinstance(found[name], str), name  # the kind module keeps objects
        assert found[name] == hints[name], name


@dataclass(frozen=True, slots=True, kw_only=True)
class _TextAnnotated(Record):
    """A record declared in a module whose annotations are text (this one)."""

    code: Annotated[str | None, Field("Code", required=True)] = None
    amount: Annotated[float | None, Field("Amount", synonyms=("Sum",))] = None


def test_a_record_whose_annotations_are_text_still_has_its_fields() -> None:
    assert isinstance(_TextAnnotated.__annotations__["code"], str)
    fields = fields_of(_TextAnnotated)
    assert [(f.name, f.header, f.required, f.synonyms) for f in fields] == [
        ("code", "Code", True, ()),
        ("amount", "Amount", False, ("Sum",)),
    ]


# --- settings compared by their text --------------------------------------------------------------


def test_equal_settings_are_equal_and_hash_alike_without_hashing_bytes() -> None:
    one = Settings.default()
    two = Settings.model_validate(one.model_dump())
    assert two is not one
    assert two == one and hash(two) == hash(one)
    assert two.allowed == one.allowed and hash(two.allowed) == hash(one.allowed)
    other = one.with_changes({"allowed.task_status": ["Doing", "Done"]})
    assert other.allowed != one.allowed
    assert other != one
    assert other.reader == one.reader  # a section left alone is still equal


def test_a_sections_fingerprint_is_the_digest_of_its_values() -> None:
    settings = Settings.default().with_changes({"allowed.task_status": ["Doing", "Done"]})
    for section in (settings, settings.allowed, settings.reader):
        assert section.fingerprint == digest(plain_values(section))
        assert len(section.fingerprint) == 16


def test_reading_a_tracker_hashes_nothing() -> None:
    """A worker that validates a tracker never loads hashlib (OpenSSL's start-up)."""
    code = (
        "import sys\n"
        "from addin.core.settings import Settings\n"
        "from addin.engine.validate import check_file\n"
        f"report = check_file({str(SAMPLE)!r}, Settings.default())\n"
        "print(report.status, sorted(m for m in ('hashlib', '_hashlib') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    status, loaded = done.stdout.strip().split(" ", 1)
    assert status in {"valid", "invalid"}, done.stdout
    assert loaded == "[]"
