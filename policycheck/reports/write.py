"""Render a report dict (``build.py``) to ``<out>/<name>/report.md``, ``report.html`` and ``report.json``.

Both templates render the same dict through the same :class:`View` (lookups into the report's evidence maps),
section by section: ``templates/report.{md,html}.j2`` lay out the title and contents and include
``templates/sections/<id>.{md,html}.j2`` for each entry of ``report['sections']``. The HTML file is
self-contained (its CSS and script are inlined from ``templates/report.css`` and ``report.js``; no network).
``report.json`` is the dict itself, compact (no indentation); ``build_report(full=True)`` makes it complete.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policycheck.errors import PolicycheckError

SYMBOL = {"incorrect": "🟥", "omitted": "🟧", "ambiguous": "🟪", "handed_off": "🟦", "vague": "🟨", "clear": "🟩"}
VERB = {"collect": "collects", "use": "uses", "share": "shares", "retain": "retains", "transfer": "transfers",
        "process": "processes"}


def blob_text(value: bytes | bytearray | memoryview) -> str:
    """A BLOB as DuckDB casts it to VARCHAR: printable ASCII as it is, every other byte and the backslash as
    ``\\xHH`` (``\\x00\\xFFab``), so the text names the bytes exactly and holds no control character."""
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else f"\\x{b:02X}" for b in bytes(value))


def interval_text(value: timedelta) -> str:
    """An interval as DuckDB casts it to VARCHAR: days, then the time as ``HH:MM:SS[.ffffff]``, each part with the
    sign of the whole (``5 days``, ``1 day 02:00:03.5``, ``-01:30:00``; Python's own text, ``-1 day, 22:30:00``,
    reads as a day and a half). DuckDB's Python API hands an INTERVAL over as a ``timedelta``, with a month as 30
    days (``INTERVAL '1 month'`` arrives as ``timedelta(days=30)``) and 24 hours or more of the time part as days
    (``36 hours`` as ``1 day 12:00:00``; DuckDB writes ``36:00:00``)."""
    sign = "-" if value < timedelta(0) else ""
    micros = abs(value) // timedelta(microseconds=1)
    days, micros = divmod(micros, 86_400_000_000)
    seconds, fraction = divmod(micros, 1_000_000)
    parts = [f"{sign}{days} day{'' if days == 1 else 's'}"] if days else []
    if seconds or fraction or not days:
        clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        parts.append(sign + clock + (f".{fraction:06d}".rstrip("0") if fraction else ""))
    return " ".join(parts)


def _json_default(value: Any) -> Any:
    """JSON for the values ``json`` cannot write: dates and times in ISO 8601, a BLOB as :func:`blob_text`, a
    UUID as its text and an interval (``timedelta``) as :func:`interval_text`; a DuckDB result (``sql --format
    json``) can hold each."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return blob_text(value)
    if isinstance(value, timedelta):
        return interval_text(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | tuple):
        return sorted(value)
    if isinstance(value, np.ndarray):  # request ids of gap rows (policycheck.gaps.classify flow_arrays)
        return value.tolist()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def to_json(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON text (dates as ISO 8601 strings); compact (no spaces, no indentation) unless ``indent``."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=indent, separators=separators)


def capture_stem(file_name: str) -> str:
    """A capture file's name without its extensions: 'login_1.log.jsonl' -> 'login_1'."""
    return file_name.split(".", 1)[0]


class View:
    """What the templates look up in a report dict: claims, sentences, requests, captures, versions and
    findings by id, ontology names, and labels built from them (the same strings in every format)."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.r = report
        self.captures = {c["capture_id"]: c for c in report["captures"]}
        self.findings = {f["id"]: f for f in report["findings"]}
        self.symbol = SYMBOL

    def claim(self, claim_id: int | str) -> dict[str, Any]:
        return self.r["claims"][str(claim_id)]

    def sentence(self, sentence_id: int | str) -> dict[str, Any]:
        return self.r["sentences"][str(sentence_id)]

    def sentence_of(self, claim_id: int | str) -> dict[str, Any]:
        return self.sentence(self.claim(claim_id)["sentence_id"])

    def request(self, flow_id: int | str) -> dict[str, Any]:
        return self.r["requests"][str(flow_id)]

    def observation(self, flow_id: int | str, data_type: str) -> dict[str, Any] | None:
        return next((o for o in self.request(flow_id)["observations"] if o["data_type"] == data_type), None)

    def version(self, version_id: int | str) -> dict[str, Any] | None:
        return self.r["versions"].get(str(version_id))

    def capture(self, capture_id: int | str) -> dict[str, Any]:
        return self.captures[int(capture_id)]

    def file_label(self, capture_id: int | str) -> str:
        """A capture as its file names give it: 'login_1', or 'a_2 ≡ b_1' for byte-identical files."""
        c = self.capture(capture_id)
        return " ≡ ".join([capture_stem(c["file"]), *(capture_stem(a) for a in c["also_saved_as"])])

    def definitions_of(self, finding_ids: list[str]) -> list[dict[str, Any]]:
        """The findings' ``definitions``, each block once, with the features of the findings resting on it."""
        merged: dict[int, dict[str, Any]] = {}
        for fid in finding_ids:
            f = self.findings[fid]
            for x in f["definitions"]:
                entry = merged.setdefault(x["block_id"], x | {"features": []})
                if f["feature"] not in entry["features"]:
                    entry["features"].append(f["feature"])
        return list(merged.values())

    def other_scenarios(self, scenario: str, files: dict[str, int]) -> list[str]:
        """The scenarios other file names give to the capture files a row's requests came from, where the bytes
        are the same as a file named for another scenario (the bytes cannot tell which activity it was)."""
        return sorted({s for c in files for s in self.capture(c).get("also_scenarios", []) if s != scenario})

    def scenarios(self, files: dict[str, int]) -> list[str]:
        """The scenarios of the capture files a row's requests came from."""
        return sorted({self.capture(c)["scenario"] for c in files})

    def name(self, kind: str, concept: str | None) -> str:
        if concept is None:
            return ""
        return self.r["ontology"].get(kind, {}).get(concept, {}).get("name_en") or concept

    def ancestors(self, kind: str, concept: str) -> list[str]:
        return self.r["ontology"].get(kind, {}).get(concept, {}).get("ancestors") or [concept]

    def version_label(self, version_id: int | str) -> str:
        """'wechat-privacy-policy-en, effective 2022-09-09' (or 'valid from' for an undated text)."""
        v = self.version(version_id)
        if v is None:
            return f"version {version_id}"
        when = f"effective {v['effective_date']}" if v["effective_date"] else f"valid from {v['valid_from']}"
        return f"{v['document_id']}, {when}"

    def count(self, n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"


def _md_text(text: Any) -> str:
    """Text from the data (a scenario or file name, a policy sentence) as one Markdown line: white space runs
    collapsed and ``<`` written ``&lt;``, so that no tag in it (``<script>``, ``<img onerror=...>``) is raw HTML
    in a renderer that passes HTML through (CommonMark, https://spec.commonmark.org/0.31.2/#raw-html)."""
    return " ".join(str(text).split()).replace("<", "&lt;")


def environment() -> Environment:
    """The Jinja environment of the report templates (strict: an undefined name raises), with the Markdown text
    filters ``oneline`` and ``mdcell``."""
    env = Environment(loader=PackageLoader("policycheck.reports", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "html.j2"]), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["oneline"] = _md_text
    env.filters["mdcell"] = lambda text: _md_text(text).replace("|", "\\|")
    return env


def render(report: dict[str, Any]) -> dict[str, str]:
    """The three renderings of a report dict: ``{"md": ..., "html": ..., "json": ...}``."""
    env = environment()
    view = View(report)
    assets = files("policycheck.reports").joinpath("templates")
    css, js = (Markup(assets.joinpath(name).read_text(encoding="utf-8")) for name in ("report.css", "report.js"))
    return {"md": env.get_template("report.md.j2").render(r=report, v=view),
            "html": env.get_template("report.html.j2").render(r=report, v=view, css=css, js=js),
            "json": to_json(report)}


def write_report(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three renderings into ``out_dir / report['name']``; returns ``{format: path}``.

    The folder is written through temporary files and renamed, so an interrupted run leaves the previous
    report intact. Raises :class:`PolicycheckError` naming the path that cannot be written (``--out`` is a file,
    ``report.md`` a folder, no permission, disk full).
    """
    target = out_dir / report["name"]
    paths = {}
    path = target
    try:
        target.mkdir(parents=True, exist_ok=True)
        for fmt, text in render(report).items():
            path = target / f"report.{fmt}"
            tmp = path.with_suffix(f".{fmt}.tmp")
            try:
                tmp.write_text(text, encoding="utf-8")
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
            paths[fmt] = path
    except OSError as exc:
        raise PolicycheckError(path, f"cannot write the report: {exc.strerror or exc}") from exc
    return paths
