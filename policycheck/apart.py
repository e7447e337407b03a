"""Run one stage of a command in a child process, so that the memory the stage takes is returned to the operating
system when it ends.

The claim extraction loads spaCy's English pipeline and the segmented Chinese pipeline, parses every block and
leaves the heap of the process larger than the stages after it need (glibc keeps freed memory mapped, and Python
keeps the modules): run in the main job's own process it set the job's peak memory, the report stage on top of
what extraction left behind (issue 16, README "Scale"). In a child started with ``spawn`` (a fresh interpreter:
no copy of the parent's heap, no DuckDB state inherited), the stage opens the store itself, the parent hears its
events as if the stage ran in process, and the store is reopened afterwards.

A workspace that was handed a connection opened elsewhere (:meth:`Workspace.attach`: a test, an in-memory store),
or whose store another connection of the same process still holds open (DuckDB's lock is per process: the child
could not open it), runs the stage in its own process, as before.
"""

from __future__ import annotations

import importlib
import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from policycheck import reservations, store
from policycheck.workspace import Paths, Settings, Workspace


def run_apart(ws: Workspace, target: str) -> Any:
    """Call the stage ``target`` (``"module:function"``, a function ``fn(ws)``) on the workspace's store in a child
    process and return what it returns (picklable). Its events are emitted on ``ws.events`` in order. The store's
    connection is closed while the child writes (DuckDB has one writer) and ``ws`` holds a fresh one afterwards,
    also when the stage fails. Raises what the stage raised (a :class:`~policycheck.errors.PolicycheckError` as
    itself), or ``RuntimeError`` with the child's traceback when it cannot be sent or the child died."""
    if not ws.owns_store:
        return _resolve(target)(ws)
    ws.con.close()
    if store.open_in_this_process(ws.paths.db):  # another connection of this process keeps the store (and its lock)
        ws.reopen()
        return _resolve(target)(ws)
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(ws.paths, ws.settings, target, sending), name=f"policycheck {target}")
    try:
        child.start()
        sending.close()
        return _listen(ws, receiving, child)
    finally:
        child.join()
        receiving.close()
        ws.reopen()


def _listen(ws: Workspace, receiving: Connection, child: multiprocessing.process.BaseProcess) -> Any:
    """Re-emit the child's events until it sends its result (returned) or error (raised)."""
    while True:
        if not receiving.poll():
            wait([receiving, child.sentinel])
            if not receiving.poll():
                raise RuntimeError(f"{child.name} ended (exit code {child.exitcode}) without a result")
        try:
            kind, payload = receiving.recv()
        except EOFError as exc:
            raise RuntimeError(f"{child.name} ended (exit code {child.exitcode}) without a result") from exc
        if kind == "event":
            ws.events.emit(payload)
        elif kind == "done":
            return payload
        elif kind == "error":
            raise payload
        else:
            raise RuntimeError(f"{child.name} failed:\n{payload}")


def _child(paths: Paths, settings: Settings, target: str, sending: Connection) -> None:
    reservations.cut()  # a fresh interpreter: as the command's own process (policycheck.reservations)
    try:
        with Workspace.open(paths, store.WRITE, settings) as ws:
            ws.events.subscribe(lambda event: sending.send(("event", event)))
            result = _resolve(target)(ws)
        sending.send(("done", result))
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            sending.send(("error", exc))
        except Exception:  # an exception that does not pickle: its traceback as text
            sending.send(("crash", traceback.format_exc()))
    finally:
        sending.close()


def _resolve(target: str) -> Callable[[Workspace], Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
