"""Work known safe and small is done in the run's own process, the rest in workers.

:func:`~addin.engine.workers.run_isolated` takes a ``here`` call: for an item it gives a
call, that item is done in the parent (a result this user sealed, say: see
:mod:`addin.engine.file_task`), a few items ahead of the workers; any other item, or one
whose call declines or fails, goes to a worker with every guarantee a worker gives.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

from addin.engine import workers
from addin.engine.workers import run_isolated

Done = tuple[str, int, int]  # (where, pid, item)


def _in_worker(item: int) -> Done:
    if item < 0:
        time.sleep(30)  # hangs: the run's timeout stops it
    return ("worker", os.getpid(), item)


def _here_for(even: bool, made: list[int]) -> Callable[[int], Callable[[], Done | None] | None]:
    """A ``here`` that takes the even items (or none), noting each item it is asked about."""

    def here(item: int) -> Callable[[], Done | None] | None:
        made.append(item)
        if not even or item % 2:
            return None
        return lambda: ("here", os.getpid(), item)

    return here


def test_items_taken_here_are_done_in_this_process_and_the_rest_in_workers() -> None:
    asked: list[int] = []
    items = list(range(40))
    outcomes = list(run_isolated(items, _in_worker, jobs=2, here=_here_for(True, asked)))
    assert sorted(o.index for o in outcomes) == items  # each item once
    assert all(o.value is not None and not o.error for o in outcomes)
    done = {o.index: o.value for o in outcomes if o.value is not None}
    for i, (where, pid, item) in done.items():
        assert item == i
        assert (where, pid == os.getpid()) == (("here", True) if i % 2 == 0 else ("worker", False))
    assert sorted(asked) == items  # asked once about each


def test_a_call_that_declines_or_fails_sends_its_item_to_a_worker() -> None:
    def here(item: int) -> Callable[[], Done | None] | None:
        if item == 1:
            return lambda: None  # declines: e.g. an entry that does not load after all
        if item == 2:
            return lambda: 1 // 0  # type: ignore[return-value]  # fails
        return lambda: ("here", os.getpid(), item)

    outcomes = {o.index: o for o in run_isolated([0, 1, 2, 3], _in_worker, jobs=1, here=here)}
    assert sorted(outcomes) == [0, 1, 2, 3]
    where = {i: o.value[0] for i, o in outcomes.items() if o.value is not None}
    assert where == {0: "here", 1: "worker", 2: "worker", 3: "here"}


@pytest.mark.parametrize("guess", [None, "right", "wrong"])
def test_items_are_taken_only_a_few_ahead_of_the_work(guess: str | None) -> None:
    """An item taken here holds what it needs (a cache entry) until done: never all at once.

    Nor with a guess of which items are done here, even a guess wrong every time: the
    items it sends here that turn out to be a worker's wait in a queue of their own.
    """
    asked: list[int] = []
    most = 0
    likely = None if guess is None else (lambda i: (i % 2 == 0) == (guess == "right"))
    outcomes = run_isolated(
        list(range(200)), _in_worker, jobs=2, here=_here_for(True, asked), likely_here=likely
    )
    for done, _ in enumerate(outcomes, 1):
        most = max(most, len(asked) - done)  # asked about, not yet done
    queues = 2 if guess is None else 3  # here, queued (and the missed guesses'), in workers
    assert len(asked) == 200 and most <= queues * workers.AHEAD + 2


def test_items_guessed_to_be_a_workers_are_taken_first() -> None:
    """With ``likely_here``, the workers start on their items while this process does the rest.

    Taken in order, a worker's item waited for every item before it to be done here. A
    wrong guess costs the order only: each item is still done once, where ``here`` says.
    """
    items = list(range(20))  # fewer than AHEAD: all are taken at the first look
    plain: list[int] = []
    list(run_isolated(items, _in_worker, jobs=1, here=_here_for(True, plain)))
    assert plain == items

    asked: list[int] = []

    def likely(i: int) -> bool:  # odd items are a worker's; 7 and 10 are guessed wrong
        return (i % 2 == 0) != (i in (7, 10))

    outcomes = list(
        run_isolated(items, _in_worker, jobs=2, here=_here_for(True, asked), likely_here=likely)
    )
    guessed_worker = [i for i in items if not likely(i)]
    assert asked == guessed_worker + [i for i in items if likely(i)]
    assert guessed_worker[:5] == [1, 3, 5, 9, 10]
    where = {o.index: o.value[0] for o in outcomes if o.value is not None}
    assert sorted(where) == items and not any(o.error for o in outcomes)
    assert where == {i: "here" if i % 2 == 0 else "worker" for i in items}


def test_a_hanging_task_times_out_while_items_are_done_here() -> None:
    items = [-1, *range(0, 60, 2)]  # one hangs in a worker, the rest are done here
    outcomes = {
        o.index: o
        for o in run_isolated(items, _in_worker, jobs=1, timeout=1.0, here=_here_for(True, []))
    }
    assert sorted(outcomes) == list(range(len(items)))
    assert "timed out" in outcomes[0].error
    assert all(o.value is not None and o.value[0] == "here" for i, o in outcomes.items() if i)


@pytest.mark.parametrize("jobs", [1, 2])
def test_with_nothing_for_the_workers_every_item_is_done_here(jobs: int) -> None:
    outcomes = list(
        run_isolated(list(range(0, 50, 2)), _in_worker, jobs=jobs, here=_here_for(True, []))
    )
    assert len(outcomes) == 25 and all(o.value is not None for o in outcomes)
    assert {o.value[0] for o in outcomes if o.value is not None} == {"here"}
