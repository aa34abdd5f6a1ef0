"""Seeded, realistic sample portfolios for the demo, the tests and the benchmarks.

* :func:`sample_trackers` returns a dozen believable trackers across four programmes,
  each designed to land where its case says at :data:`SAMPLES_AS_OF`
  (:data:`SAMPLE_CASES`: healthy, late, over budget, risky, stale, optimistic, amber,
  data errors); :func:`write_samples` writes them (``workbooks/samples``).
* :func:`standard_tracker` makes one "standard size" tracker fast (benchmarks).
* :func:`write_drifted` writes a tracker the way real ones drift from the template
  (title rows, synonyms, text dates, ``"50%"``, ``"£12,500.00"``, RAG letters,
  other sheet names and order), so the reader can be tested on it.

Everything is deterministic for a given seed: no clock, no global random state.
"""

from addin.demo.cases import CASES, DEFAULT_SEED, SAMPLES_AS_OF, SAMPLES_CREATED, SampleCase
from addin.demo.drift import (
    DRIFT_EXTRA_HEADER,
    DRIFT_FIRST_COLUMN,
    DRIFT_HEADER_ROW,
    DRIFT_HEADERS,
    DRIFT_ODD_HEADERS,
    DRIFT_SHEETS,
    drift_header,
    write_drifted,
)
from addin.demo.samples import SAMPLE_CASES, case_rows, sample_trackers, write_samples
from addin.demo.standard import standard_tracker

__all__ = [
    "CASES",
    "DEFAULT_SEED",
    "DRIFT_EXTRA_HEADER",
    "DRIFT_FIRST_COLUMN",
    "DRIFT_HEADERS",
    "DRIFT_HEADER_ROW",
    "DRIFT_ODD_HEADERS",
    "DRIFT_SHEETS",
    "SAMPLES_AS_OF",
    "SAMPLES_CREATED",
    "SAMPLE_CASES",
    "SampleCase",
    "case_rows",
    "drift_header",
    "sample_trackers",
    "standard_tracker",
    "write_drifted",
    "write_samples",
]
