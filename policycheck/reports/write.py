"""Render a report dict (``build.py``) to ``<out>/<name>/report.md``, ``report.html`` and ``report.json``."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON text (dates as ISO 8601 strings)."""
    return json.dumps(report, default=_json_default, ensure_ascii=False, indent=2)


def write_report(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three renderings into ``out_dir / report['name']``; returns ``{format: path}``.

    The folder is written through temporary files and renamed, so an interrupted run leaves the previous
    report intact.
    """
    target = out_dir / report["name"]
    target.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=PackageLoader("policycheck.reports", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=False, lstrip_blocks=False)
    outputs = {
        "md": env.get_template("report.md.j2").render(r=report),
        "html": env.get_template("report.html.j2").render(r=report),
        "json": to_json(report),
    }
    paths = {}
    for fmt, text in outputs.items():
        path = target / f"report.{fmt}"
        tmp = path.with_suffix(f".{fmt}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        paths[fmt] = path
    return paths
