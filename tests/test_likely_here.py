"""A re-run sends the files that changed to its workers first (engine/file_task's guess).

The run takes a sealed entry of an unchanged file in its own process, and sends any
other file to a worker. Taken in list order, the workers waited for the run to reach
each changed file, and a re-run's workers started late and finished last. The guess
(:meth:`~addin.engine.file_task.Tasks.likely_here`) asks only the file's size and
modification time against its sealed entry's: one stat, no hash, no entry read. It only
orders the work: each task still decides where it is done.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from addin.core.seal import Seal
from addin.core.settings import Settings
from addin.core.tracker import replace
from addin.demo import SAMPLES_AS_OF, sample_trackers
from addin.engine.cache import Entry, Key, ResultCache
from addin.engine.consolidate import consolidate
from addin.engine.discover import discover
from addin.engine.file_task import Tasks
from addin.outputs.template import write_tracker

SAMPLES = dict(sample_trackers())
MAX_BYTES = 50 * 1024 * 1024


def _folder(tmp_path: Path, copies: int) -> list[str]:
    """Sample trackers and copies of them, consolidated once into a cache (sealed)."""
    folder = tmp_path / "trackers"
    folder.mkdir()
    for stem in list(SAMPLES)[:3]:
        write_tracker(folder / f"{stem}.xlsx", SAMPLES[stem])
        for n in range(copies):
            shutil.copy(folder / f"{stem}.xlsx", folder / f"{stem}-{n}.xlsx")
    files = [str(f) for f in discover([folder]).files]
    consolidate(files, Settings(), as_of=SAMPLES_AS_OF, cache_path=_cache(tmp_path), jobs=1)
    return files


def _cache(tmp_path: Path) -> Path:
    return tmp_path / "portfolio.pmo-cache.sqlite"


def _with_new_sponsor(path: str) -> None:
    tracker = next(t for stem, t in SAMPLES.items() if Path(path).stem.startswith(stem))
    project = replace(tracker.project, **{"sponsor": "Someone Else Entirely"})
    write_tracker(Path(path), replace(tracker, **{"project": project}))


def test_a_file_is_guessed_here_while_it_has_its_sealed_entrys_size_and_time(
    tmp_path: Path,
) -> None:
    files = _folder(tmp_path, 1)
    assert len(files) == 6
    fingerprint = Settings().results_fingerprint
    cache = ResultCache(_cache(tmp_path), fingerprint, seal=Seal.mine())
    tasks = Tasks(files, cache, MAX_BYTES)
    assert [tasks.likely_here(i) for i in range(6)] == [True] * 6

    st = os.stat(files[0])
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))  # touched
    _with_new_sponsor(files[1])  # changed
    os.unlink(files[2])  # gone
    guesses = [tasks.likely_here(i) for i in range(6)]
    assert guesses == [False, False, False, True, True, True]

    # Entries not sealed by this user are checked in a worker: none is guessed here.
    unsealed = ResultCache(_cache(tmp_path), fingerprint, seal=None)
    assert not any(Tasks(files, unsealed, MAX_BYTES).likely_here(i) for i in range(3, 6))
    assert not any(Tasks(files, None, MAX_BYTES).likely_here(i) for i in range(3, 6))
    # Nor are entries made under other settings.
    other = ResultCache(_cache(tmp_path), fingerprint + "-other", seal=Seal.mine())
    assert not any(Tasks(files, other, MAX_BYTES).likely_here(i) for i in range(3, 6))


def test_a_rerun_looks_up_the_changed_files_first_and_matches_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _folder(tmp_path, 4)
    assert len(files) == 15
    changed = [files[-4], files[-1]]  # late in the list: in order, the workers waited
    for path in changed:
        _with_new_sponsor(path)
    looked: list[str] = []
    lookup = ResultCache.lookup

    def spy(self: ResultCache, path: str, max_bytes: float) -> tuple[Key | None, Entry | None]:
        looked.append(path)
        return lookup(self, path, max_bytes)

    monkeypatch.setattr(ResultCache, "lookup", spy)
    warm = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, cache_path=_cache(tmp_path), jobs=2)
    assert looked[:2] == changed
    assert sorted(looked) == sorted(files)  # each file once
    assert warm.reread == changed and warm.cache_hits == 13

    cold = consolidate(files, Settings(), as_of=SAMPLES_AS_OF, jobs=2)
    assert [e.file for e in warm.load_log] == files == [e.file for e in cold.load_log]
    assert warm.projects == cold.projects and warm.tables == cold.tables
    assert warm.findings == cold.findings
