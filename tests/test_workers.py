"""The render processes' scheduler: hand-out order and when the caller hears of each task."""

from __future__ import annotations

from lessonpack.building import workers


def _echo(task: int) -> int:
    return task * 10


def test_a_free_worker_gets_its_next_task_before_the_caller_writes_the_last_one():
    events: list[tuple[str, int]] = []
    workers.run([1, 2, 3], _echo, workers=1, limit=workers.Limits(timeout=30),
                prepare=lambda t: events.append(("sent", t)) or t,
                note=lambda t, outcome: events.append(("noted", t)),
                on_done=lambda t, outcome: events.append(("done", t)) if outcome == workers.Outcome(t * 10) else None)
    assert events == [("sent", 1), ("noted", 1), ("sent", 2), ("done", 1), ("noted", 2), ("sent", 3), ("done", 2),
                      ("noted", 3), ("done", 3)]
