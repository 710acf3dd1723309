"""Render processes with limits: each document renders in a worker with a memory cap and a deadline.

A pack is untrusted, so whatever renders it runs where it can do no lasting harm: in a child
process whose address space may grow by at most the memory limit, which is killed when a document
takes longer than the deadline, and which dies with the build (``PR_SET_PDEATHSIG`` on Linux, a
watchdog thread elsewhere), so a ``kill -9`` of the build leaves no process behind. A limit that is
hit is that document's error; the other documents go on in a fresh worker.

On Linux the workers are forked from the build process after it has imported the renderers, so
they start warm; elsewhere they are spawned.
"""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable

from .. import limits

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """What one render may use: memory beyond its start (MiB) and wall-clock time (seconds)."""

    memory_mib: int = limits.DEFAULT_MEMORY_MIB
    timeout: float = limits.DEFAULT_TIMEOUT

    def memory_message(self) -> str:
        return f"it needed more than {self.memory_mib:,} MiB of memory (the memory limit; raise it with --memory-limit)"

    def timeout_message(self) -> str:
        return f"it took longer than {self.timeout:g} seconds (the time limit; raise it with --timeout)"


@dataclass(frozen=True)
class Outcome:
    """What became of one task: the work function's ``result``, or (``failure``) why the process could not
    finish it — a limit hit, a crash, or an error the work function did not expect — said plainly."""

    result: Any = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)  # the running program's libc (find_library would fork)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the build died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:  # elsewhere: poll for the parent
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _silence_stderr() -> None:
    faulthandler.disable()  # a crash is reported by the build, not as a Python stack dump
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:  # pragma: no cover - no /dev/null: leave stderr as it is
        pass


_address_limit = 0  # this worker's address-space limit in bytes (0: none set)


def _vm(field: str) -> int:
    """A ``/proc/self/status`` size in bytes (0 where there is no /proc)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _hit_memory_limit() -> bool:
    """True when this worker's address space came within 64 MiB of its limit: a library that then fails in
    its own way (a SystemError, a crash) failed for want of memory."""
    return bool(_address_limit) and _vm("VmPeak") >= _address_limit - (64 << 20)


def _limit_memory(mib: int) -> None:
    global _address_limit
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no rlimits; the deadline still holds
        return
    current = _vm("VmSize")
    wanted = current + mib * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
        _address_limit = wanted
    except (ValueError, OSError):  # pragma: no cover - a hard limit below what we have already
        pass


def _worker_main(conn: Connection, work: Callable[[Any], Any], limit: Limits, parent: int,
                 initializer: Callable[[], None] | None) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle; it stops the workers
    if not os.environ.get("LESSONPACK_DEBUG"):
        _silence_stderr()  # libraries that hit a limit print raw C-level chatter; the build reports it instead
    _limit_memory(limit.memory_mib)
    if initializer is not None:
        initializer()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, payload = task
        try:
            outcome = Outcome(work(payload))
        except MemoryError:
            outcome = Outcome(failure=limit.memory_message())
        except RecursionError:
            outcome = Outcome(failure="it nests too deeply to render (a recursion limit was hit)")
        except Exception as exc:  # a renderer failure: reported for this document, the others go on
            outcome = Outcome(failure=limit.memory_message() if _hit_memory_limit() else f"{type(exc).__name__}: {exc}")
        try:
            conn.send((index, outcome))
        except MemoryError:
            conn.send((index, Outcome(failure=limit.memory_message())))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: int | None = None
    deadline: float = 0.0


def _context():
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def run(tasks: Iterable[Any], work: Callable[[Any], Any], *, workers: int, limit: Limits,
        on_done: Callable[[Any, Outcome], None], initializer: Callable[[], None] | None = None,
        prepare: Callable[[Any], Any] | None = None, note: Callable[[Any, Outcome], None] | None = None) -> None:
    """Run ``work(task)`` for every task in up to ``workers`` limited processes; report each via ``on_done``.

    Tasks are handed out in order, each through ``prepare`` (if given) as it is handed out, so a task
    can carry what earlier ones found; ``note`` (if given) hears each outcome as soon as it arrives, before
    the next tasks are handed out. ``on_done`` runs in this process as each task finishes, once the free
    workers have their next task, so the caller writes files while the workers go on.
    """
    queue = deque(enumerate(tasks))
    by_index = dict(queue)
    context = _context()
    pool: list[_Worker] = []
    parent = os.getpid()
    finished: list[tuple[Any, Outcome]] = []

    def start() -> _Worker:
        mine, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, work, limit, parent, initializer), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        pool.append(worker)
        return worker

    def retire(worker: _Worker) -> None:
        pool.remove(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def done(index: int, outcome: Outcome) -> None:
        task = by_index.pop(index)
        if note is not None:
            note(task, outcome)
        finished.append((task, outcome))

    try:
        while queue or finished or any(w.task is not None for w in pool):
            for worker in [w for w in pool if w.task is None] + [None] * max(0, workers - len(pool)):
                if not queue:
                    break
                worker = worker or start()
                index, payload = queue.popleft()
                worker.conn.send((index, prepare(payload) if prepare else payload))
                worker.task, worker.deadline = index, time.monotonic() + limit.timeout
            for task, outcome in finished:
                on_done(task, outcome)
            finished.clear()
            busy = [w for w in pool if w.task is not None]
            if not busy:
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=timeout)
            for worker in busy:
                index = worker.task
                assert index is not None
                if worker.conn in ready:
                    try:
                        got, outcome = worker.conn.recv()
                    except (EOFError, OSError):
                        got, outcome = index, Outcome(failure=_crash_message(worker, limit))
                        retire(worker)
                    else:
                        worker.task = None
                    done(got, outcome)
                elif worker.process.sentinel in ready:
                    retire(worker)
                    done(index, Outcome(failure=_crash_message(worker, limit)))
                elif time.monotonic() >= worker.deadline:
                    retire(worker)
                    done(index, Outcome(failure=limit.timeout_message()))
    finally:
        for worker in list(pool):
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in list(pool):
            worker.process.join(timeout=2)
            retire(worker)


def _crash_message(worker: _Worker, limit: Limits) -> str:
    worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the render process was stopped by {name}; {limit.memory_message().replace('it needed', 'it probably needed', 1)}"
    return f"the render process ended unexpectedly (exit status {code})"


def run_one(work: Callable[[Any], Any], task: Any, *, limit: Limits) -> Outcome:
    """``work(task)`` in one limited process; the outcome as :func:`run` reports it."""
    outcomes: list[Outcome] = []
    run([task], work, workers=1, limit=limit, on_done=lambda _, outcome: outcomes.append(outcome))
    return outcomes[0]
