"""The template and the samples open cleanly in a real spreadsheet client (LibreOffice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from addin import TEMPLATE_VERSION
from addin.core.kinds import kind as sheet
from addin.core.kinds import table_kinds
from addin.core.settings import Settings
from addin.demo import SAMPLE_CASES, sample_trackers, write_drifted
from addin.outputs.template import template_fields, write_tracker
from tests.normalise import normalise
from tests.soffice import SOFFICE, convert

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
]

CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)

#: The kinds the template of its version writes.
TABLE_KEYS = tuple(k.key for k in table_kinds() if k.since <= TEMPLATE_VERSION)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tracker(
        tmp_path_factory.mktemp("lo") / "Template.xlsx", None, Settings(), created=CREATED
    )


def test_template_converts_to_pdf(template: Path, tmp_path: Path) -> None:
    pdf = convert(template, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_template_survives_a_libreoffice_round_trip(template: Path, tmp_path: Path) -> None:
    before = normalise(template)
    after = normalise(convert(template, "xlsx", tmp_path))
    assert after["sheets"] == before["sheets"]
    for name in before["sheets"]:
        old, new = before["sheet"][name], after["sheet"][name]
        assert len(new["validations"]) == len(old["validations"]), name
        assert [t["headers"] for t in new["tables"]] == [t["headers"] for t in old["tables"]]
        assert new["protection"]["sheet"] is True
    for key in TABLE_KEYS:
        (table,) = after["sheet"][key]["tables"]
        assert table["headers"] == [f.header for f in template_fields(sheet(key))]


@pytest.mark.parametrize(
    "stem",
    [
        next(s for s, c in SAMPLE_CASES.items() if c.layout == "standard"),
        next(s for s, c in SAMPLE_CASES.items() if c.layout == "drifted"),
    ],
)
def test_a_sample_tracker_converts_to_pdf(stem: str, tmp_path: Path) -> None:
    tracker = dict(sample_trackers())[stem]
    path = tmp_path / f"{stem}.xlsx"
    if SAMPLE_CASES[stem].layout == "drifted":
        write_drifted(path, tracker, Settings(), created=CREATED)
    else:
        write_tracker(path, tracker, Settings(), created=CREATED)
    pdf = convert(path, "pdf", tmp_path / "out")
    assert pdf.read_bytes().startswith(b"%PDF")
