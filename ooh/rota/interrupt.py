"""Ctrl-C during a solve: stop the search and keep the best rota found so far.

CP-SAT searches in C++; while ``CpSolver.solve`` runs in the main thread, Python's own
Ctrl-C handling waits until the search ends (and CP-SAT, by default, swallows the first
Ctrl-C itself, so the caller never learns of it). ``SearchInterrupt.solve`` therefore runs
each search in a helper thread with CP-SAT's own handler off, while the main thread waits
where Python can act on Ctrl-C:

- the first Ctrl-C calls ``stop_search()``: the search returns its best solution so far,
  ``hit`` becomes true, and every later search of the same solve returns at once, so the
  caller keeps what it has and marks the result as stopped early. It is acknowledged at
  once (``notify``): a step that is not a search (building a large model, the reasons for
  open places) ends first, and a user who saw nothing might press again;
- a second Ctrl-C raises ``KeyboardInterrupt`` as usual (the CLI prints "Interrupted.").

``ooh.rota.solve.solve`` runs wholly within ``catching``, so a first Ctrl-C between two
searches (building, or Python work from one search to the next) is remembered the same way.

Outside the main thread (a solve run by a worker) signals cannot be caught: searches run
directly and are interrupted only by their time limits.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

POLL_SECONDS = 0.05  # how often the waiting main thread looks for Ctrl-C
STOPPING = (
    "Ctrl-C: stopping; the best rota so far is kept once the current step ends "
    "(Ctrl-C again abandons the solve)"
)


class SearchInterrupt:
    """Shared by the searches of one solve: remembers a Ctrl-C and stops each search."""

    def __init__(self, notify: Callable[[str], None] | None = None) -> None:
        self.hit = False
        self._solver: Any = None
        self._notify = notify  # told of the first Ctrl-C (a progress line)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.hit:
            raise KeyboardInterrupt  # the second Ctrl-C: stop everything now
        self.hit = True
        if self._solver is not None:
            self._solver.stop_search()
        if self._notify is not None:
            # a RuntimeError is a reentrant write (the handler ran while the main thread
            # wrote to the same stream): the solve stops all the same, unacknowledged
            with suppress(RuntimeError):
                self._notify(STOPPING)

    @contextmanager
    def catching(self) -> Iterator[None]:
        """While the block runs, the first Ctrl-C only sets ``hit``: for Python work between
        searches (loops of many small searches check ``hit`` between them)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def solve(self, solver: Any, model: Any, callback: Any = None) -> Any:
        """``solver.solve(model, callback)``, stoppable by Ctrl-C; returns its status."""
        solver.parameters.catch_sigint_signal = False  # this class handles Ctrl-C
        if self.hit:  # already interrupted: no more searching, but a valid (empty) response
            solver.parameters.max_time_in_seconds = 0.0
            solver.parameters.max_deterministic_time = 0.0
        if threading.current_thread() is not threading.main_thread():
            return solver.solve(model, callback)
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["status"] = solver.solve(model, callback)
            except BaseException as exc:  # re-raised in the calling thread
                outcome["error"] = exc

        previous = signal.signal(signal.SIGINT, self._handle)
        self._solver = solver
        worker = threading.Thread(target=run, name="cp-sat search", daemon=True)
        try:
            worker.start()
            while worker.is_alive():
                worker.join(POLL_SECONDS)
                if self.hit:  # also covers a Ctrl-C that came just before the search began
                    solver.stop_search()
        except KeyboardInterrupt:
            solver.stop_search()
            worker.join()
            raise
        finally:
            self._solver = None
            signal.signal(signal.SIGINT, previous)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["status"]
