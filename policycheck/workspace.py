"""The workspace of one command: the open store, the ontology, the endpoint map, the paths and the settings.

Every command builds one :class:`Workspace` and hands it to the stages it runs; a stage is a function
``fn(ws, ...)`` (``import_archive(ws, folder)``, ``extract(ws)``, ``ingest(ws, paths)``, ``run(ws, inputs)``)
that reads what it needs from it and emits its progress and outcomes on ``ws.events``
(:mod:`policycheck.events`). The CLI is a thin layer that parses options into a workspace and prints what the
stages return, as sqlite-utils' CLI is over its ``Database`` object.

What the workspace does once, so that no stage does it again:

- opens the store by the rules of :func:`policycheck.store.open_store` (``read``: read-only; ``write``:
  created, checked and migrated);
- loads and validates the ontology of ``paths.mappings`` before the store is touched, and, when the store is
  opened for writing, writes it there (:func:`policycheck.ontology.ensure_written`: a no-op when the store
  holds the same files);
- loads the endpoint map (:meth:`policycheck.flows.endpoints.EndpointMap.load`) on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from policycheck import config, ontology, store
from policycheck.events import Events
from policycheck.ontology import Ontology

if TYPE_CHECKING:
    from policycheck.flows.endpoints import EndpointMap
    from policycheck.gaps.classify import Judgement
    from policycheck.policies.fetch_settings import FetchSettings


@dataclass(frozen=True)
class Paths:
    """Where a command reads and writes: the store file ``db``, the ``mappings`` folder (ontologies, endpoint
    knowledge) and the ``out`` folder of reports. Defaults: ``POLICYCHECK_DB`` / ``POLICYCHECK_MAPPINGS`` or
    ``out/policycheck.duckdb`` / the repository's ``mappings/`` (:mod:`policycheck.config`), and ``out``."""

    db: Path = field(default_factory=config.default_db)
    mappings: Path = field(default_factory=config.mappings_dir)
    out: Path = Path("out")


def _default_judgement() -> Judgement:
    from policycheck.gaps.classify import Judgement
    return Judgement()


@dataclass(frozen=True)
class Settings:
    """Settings shared by the stages of one command: how gaps are judged (as-of date, consistency mode,
    minimum confidence: :class:`policycheck.gaps.classify.Judgement`) and how live sources are fetched
    (timeouts, retries, politeness delay: :class:`policycheck.policies.fetch_settings.FetchSettings`; None:
    defaults)."""

    judgement: Judgement = field(default_factory=_default_judgement)
    fetch: FetchSettings | None = None


class Workspace:
    """An open store with the ontology and endpoint knowledge it is read with. Build it with :meth:`open`
    (a command) or :meth:`attach` (a connection opened elsewhere: a test, a temporary store).

    Attributes: ``con`` (the DuckDB connection), ``paths``, ``settings``, ``events``, ``owns_store`` (whether
    ``con`` is the store ``paths.db`` opened by :meth:`open`, which :meth:`reopen` can open again); ``onto`` and
    ``endpoints`` are loaded on first use when the workspace was opened read-only (a read command that does
    not need them does not pay for them), and before the store is opened for a write.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, onto: Ontology | None = None, paths: Paths | None = None,
                 settings: Settings | None = None, events: Events | None = None) -> None:
        self.con = con
        self.paths = paths or Paths()
        self.settings = settings or Settings()
        self.events = events or Events()
        self._onto = onto
        self.ontology_written = False  # whether building the workspace wrote the ontology to the store
        self.owns_store = False
        self._mode = store.WRITE

    @classmethod
    def open(cls, paths: Paths, mode: str, settings: Settings | None = None, events: Events | None = None,
             onto: Ontology | None = None) -> Workspace:
        """Open the store ``paths.db`` in ``mode`` (``"read"`` or ``"write"``, :func:`policycheck.store.open_store`).
        For ``write``, the ontology of ``paths.mappings`` (unless ``onto`` is given) is loaded and validated
        first and then written to the store. Raises :class:`policycheck.errors.PolicycheckError` (one line) for
        a malformed mapping file or a store that cannot be opened in that mode."""
        write = mode == store.WRITE
        if write and onto is None:
            onto = ontology.load(paths.mappings)  # a malformed mapping file stops the command before the store
        ws = cls(store.open_store(paths.db, mode), onto, paths, settings, events)
        ws.owns_store, ws._mode = True, mode
        if write:
            ws.write_ontology()
        return ws

    @classmethod
    def attach(cls, con: duckdb.DuckDBPyConnection, onto: Ontology | None = None, paths: Paths | None = None,
               settings: Settings | None = None, events: Events | None = None, write: bool = True) -> Workspace:
        """A workspace over a connection opened elsewhere (read-write unless ``write`` is False): the ontology
        ``onto`` (else loaded from ``paths.mappings``) is written to it when ``write``. ``paths.db`` is only
        informative here (the connection may be to another file or in memory)."""
        ws = cls(con, onto, paths, settings, events)
        if write:
            ws.write_ontology()
        return ws

    def write_ontology(self) -> None:
        """Write the ontology to the store unless it holds the same files (:func:`ontology.ensure_written`);
        called once, when the workspace is built for a write."""
        self.ontology_written = ontology.ensure_written(self.con, self.onto)

    @property
    def onto(self) -> Ontology:
        """The ontology of ``paths.mappings`` (data types, entities, features), loaded once."""
        if self._onto is None:
            self._onto = ontology.load(self.paths.mappings)
        return self._onto

    @cached_property
    def endpoints(self) -> EndpointMap:
        """The endpoint map of ``paths.mappings`` (request types, paths, recipients, message schemas), loaded
        once per workspace. Raises :class:`PolicycheckError` for a malformed endpoints file."""
        from policycheck.flows.endpoints import EndpointMap
        return EndpointMap.load(self.paths.mappings, self.onto)

    def close(self) -> None:
        """Close the store connection."""
        self.con.close()

    def reopen(self) -> None:
        """Close the store connection and open ``paths.db`` again in the same mode (a store :meth:`open` opened):
        after another process wrote to it (:func:`policycheck.apart.run_apart`), and so that DuckDB hands back
        the memory its buffers held. Raises :class:`PolicycheckError` as :meth:`open` does."""
        self.con.close()
        self.con = store.open_store(self.paths.db, self._mode)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
