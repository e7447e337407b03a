"""One event channel for the progress and outcomes of every stage.

A stage emits small event objects on the :class:`Events` channel of its workspace
(``ws.events.emit(Progressed("claims", 10, 40, "en blocks"))``); whoever wants them subscribes: the CLI's rich
progress bars (:mod:`policycheck.cli.progress`), the run summary, a test. A stage never knows who listens, and
no stage takes a progress callback of its own.

The shape follows Open Terms Archive's archivist, whose ``Archivist`` emits a fixed list of events
(``trackingStarted``, ``snapshotRecorded``, ``versionNotChanged``, ``inaccessibleContent``, ``trackingCompleted``,
``error`` ...) that listeners ``attach`` to (OpenTermsArchive/engine, ``src/archivist/index.js``,
``AVAILABLE_EVENTS``). Here the list is four event classes:

- :class:`Started` — a stage begins (``total``: units of work when known, else None);
- :class:`Progressed` — ``done`` of ``total`` units are finished; ``item`` names the unit just handled;
- :class:`Outcome` — a stage (or one unit of it) finished, with counts of what it did;
- :class:`Problem` — something was skipped or failed and the stage went on (``where``: a file, file:line, URL).

Events carry no raw identifiers: ``item`` and ``where`` are file names, document ids, source URLs or stage
descriptions, and messages are the one-line problem texts that are also stored or printed (redacted); never a
value read from a capture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Started:
    """Stage ``stage`` begins; ``total`` units of work (files, sources, blocks) when known."""

    stage: str
    total: int | None = None


@dataclass(frozen=True)
class Progressed:
    """``done`` of ``total`` units of ``stage`` are finished (``total`` None: unknown); ``item``: the unit just
    handled (a file name, a document id, a description such as ``parsing en blocks``)."""

    stage: str
    done: int
    total: int | None = None
    item: str = ""


@dataclass(frozen=True)
class Outcome:
    """Stage ``stage`` (or its unit ``item``) finished; ``counts``: what it did (name -> number or short text)."""

    stage: str
    counts: Mapping[str, Any] = field(default_factory=dict)
    item: str = ""


@dataclass(frozen=True)
class Problem:
    """Something in ``stage`` was skipped or failed at ``where`` (a file, ``file:line`` or URL) and the stage
    went on; ``message``: the one-line reason."""

    stage: str
    where: str
    message: str


Event = Started | Progressed | Outcome | Problem
Subscriber = Callable[[Event], None]


class Events:
    """The channel: :meth:`emit` hands an event to every subscriber, in the order they subscribed.

    A subscriber that raises stops the stage (the error is the subscriber's to avoid); with no subscriber,
    emitting costs one loop over an empty list.
    """

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add ``subscriber``; returns the function that removes it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    @contextmanager
    def subscribed(self, subscriber: Subscriber) -> Iterator[None]:
        """``with events.subscribed(fn): ...`` — ``fn`` hears the events emitted inside the block."""
        unsubscribe = self.subscribe(subscriber)
        try:
            yield
        finally:
            unsubscribe()

    def emit(self, event: Event) -> None:
        """Hand ``event`` to every subscriber."""
        for subscriber in tuple(self._subscribers):
            subscriber(event)


class Recorder:
    """A subscriber that keeps every event (for tests and for the run summary)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def outcomes(self, stage: str) -> list[Outcome]:
        """The :class:`Outcome` events of ``stage``, in order."""
        return [e for e in self.events if isinstance(e, Outcome) and e.stage == stage]

    def problems(self) -> list[Problem]:
        """Every :class:`Problem` event, in order."""
        return [e for e in self.events if isinstance(e, Problem)]
