"""The identity of a capture file: its content (``captures.sha256``) and its canonical path (migration 013).

A file is named on the command line by any path: relative to the working directory, absolute, through a symbolic
link. :func:`canonical` turns each into one string (``os.path.realpath``: absolute, links and ``..`` resolved), so
that ingesting ``caps/a.har`` from one folder and ``/data/caps/a.har`` or ``a.har`` from another is recognised as
the same file (``unchanged``), and only a file at another place with the same content is recorded as an alias.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa

from policycheck import store
from policycheck.flows.stamp import recorded_path, store_folder


def canonical(path: Path | str) -> str:
    """The canonical path of a file (absolute, symbolic links, ``.`` and ``..`` resolved; the file need not
    exist)."""
    return os.path.realpath(path)


def stored_canonical(canonical_path: str | None, path: str, folder: Path | None) -> str:
    """The canonical path of a stored capture or alias: its ``canonical_path``, or for a row stored before
    migration 013 whose file was not found then, its recorded ``path`` resolved as :func:`.stamp.recorded_path`
    resolves settings files (the store's ``folder``, then the working directory)."""
    if canonical_path:
        return canonical_path
    if Path(path).is_absolute():
        return canonical(path)
    located = recorded_path(path, folder)
    return canonical(located if located is not None and located.is_file() else path)


def backfill(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``canonical_path`` of the captures and aliases stored before migration 013, inside the caller's
    transaction: each relative path resolved against the store's folder, then the working directory, where a file
    is found; left NULL otherwise (:func:`stored_canonical` tries again when it is needed)."""
    folder = store_folder(con)
    for table, key in (("captures", "capture_id"), ("capture_aliases", "path")):
        rows = con.execute(f"select {key}, path from {table} where canonical_path is null").fetchall()
        found = [(k, p) for k, p in ((k, recorded_path(p, folder)) for k, p in rows) if p is not None and p.is_file()]
        if not found:
            continue
        update = pa.table({"k": [k for k, _ in found], "c": [canonical(p) for _, p in found]})
        with store.registered(con, "canonical_paths", update):
            con.execute(f"update {table} set canonical_path = u.c from canonical_paths u where {table}.{key} = u.k")
