"""Rich progress bars on stderr, fed by the event channel (:mod:`policycheck.events`).

``with progress_bars(ws.events): stage(ws, ...)`` shows one bar per stage that emits
:class:`~policycheck.events.Started` or :class:`~policycheck.events.Progressed` (its description: the stage
and the item just handled), and removes the bars when the block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from policycheck.cli.common import err_console
from policycheck.events import Event, Events, Progressed, Started

DESCRIPTION_WIDTH = 48


class ProgressBars:
    """A subscriber drawing one rich task per stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, Started):
            self._task(event.stage, event.stage, 0, event.total)
        elif isinstance(event, Progressed):
            described = f"{event.stage}: {event.item}" if event.item else event.stage
            self._task(event.stage, described[:DESCRIPTION_WIDTH], event.done, event.total)

    def _task(self, stage: str, description: str, done: int, total: int | None) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(description, total=total or None)
        self.progress.update(self.tasks[stage], description=description, completed=done, total=total or None)


@contextmanager
def progress_bars(events: Events) -> Iterator[None]:
    """Draw the stages' progress on stderr (transient) while the block runs."""
    columns = (TextColumn(f"{{task.description:<{DESCRIPTION_WIDTH}}}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress, \
            events.subscribed(ProgressBars(progress)):
        yield
