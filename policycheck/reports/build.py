"""Gather a gap report from the store: one dict that every rendering (Markdown, HTML, JSON) is made from.

The dict follows ``report.schema.json`` (JSON Schema 2020-12). Its parts:

- meta: ``name``, ``generated_at``, ``policycheck_version``, ``as_of`` and ``judgement`` (mode, minimum
  confidence), ``stale_analysis`` (captures whose flows rest on an older analysis, by scenario), ``sections``
  (id and title of each section in reading order, see ``sections.py``);
- shared data (``sections.SHARED``): ``totals``, ``summary``, ``policies``, ``captures``, ``gaps``;
- one key per section with a builder (``key_findings``, ``matrix``, ``findings``, ...);
- evidence maps, each entry once, referred to by id everywhere else (``context.ReportContext.evidence``):
  ``claims``, ``sentences``, ``requests`` (redacted samples), ``versions`` (text and snapshot hashes),
  ``ontology`` (names and ancestors).

Evidence on the flow side is redacted: requests carry data types, field paths and ``value_redacted`` (a
short prefix and a salted hash), never a raw value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from policycheck import __version__
from policycheck.flows.stamp import stale_captures
from policycheck.gaps.classify import Judgement
from policycheck.reports.context import ReportContext
from policycheck.reports.sections import INTERNAL, SECTIONS, SHARED

SCHEMA_ID = "https://policycheck.invalid/report.schema.json"


def build_report(con: duckdb.DuckDBPyConnection, name: str, judgement: Judgement | None = None,
                 full: bool = False, mappings: Path | None = None) -> dict[str, Any]:
    """The report as a dict following ``report.schema.json``.

    ``judgement``: as-of date (None: each flow at its own time), consistency mode and minimum detection
    confidence (defaults: :class:`~policycheck.gaps.classify.Judgement`). ``full`` adds every request id and
    the per-version history to each gap row (``report.json --full``). Counts are distinct requests: a request
    present in several cumulative capture files counts once (``distinct_flows``). ``con`` is a connection
    from :func:`policycheck.store.open_store` (read or write), which provides the gap views. ``mappings``: the
    folder whose analysis stamp tells which captures rest on an older analysis (``stale_analysis``; default: the
    folder of the store's ontology, :func:`policycheck.flows.stamp.store_mappings`). Raises
    :class:`~policycheck.errors.PolicycheckError` for an invalid judgement.
    """
    judgement = judgement or Judgement()
    judgement.validate()
    builders = {**SHARED, **INTERNAL, **{s.id: s.build for s in SECTIONS if s.build is not None}}
    ctx = ReportContext(con, judgement, full=full, builders=builders)
    report: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "name": name,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "policycheck_version": __version__,
        "as_of": judgement.as_of,
        "judgement": {"as_of": judgement.as_of, "mode": judgement.mode, "min_confidence": judgement.min_confidence},
        "full": full,
        "stale_analysis": stale_captures(con, mappings).as_json(),
        "sections": [{"id": s.id, "title": s.title} for s in SECTIONS],
    }
    for key in SHARED:
        report[key] = ctx.data(key)
    for section in SECTIONS:
        if section.build is not None:
            report[section.id] = ctx.data(section.id)
    report.update(ctx.evidence())
    return report
