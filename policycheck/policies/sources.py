"""``policies/sources.json``: where each policy document is fetched from, as Open Terms Archive declarations.

Format (Open Terms Archive declaration, https://docs.opentermsarchive.org/terms/reference/declaration/, plus
one extension): a JSON object ``{"declarations": [DECLARATION, ...]}``, a bare list of declarations, or one
declaration. A declaration is ``{"name": SERVICE, "terms": {TERMS TYPE: SOURCE or [SOURCE, ...]}}`` and a
source document is an object with

- ``fetch`` (required): the http(s) URL of the page;
- ``select`` (required): CSS selector, or list of selectors, of the part(s) of the page that hold the document;
- ``remove`` (optional): CSS selector(s) of parts to drop inside it;
- ``executeClientScripts`` (optional, boolean): the page needs a browser to render; policycheck renders it in
  headless Chromium (:mod:`policycheck.policies.browser`);
- ``filter`` (optional): OTA's JavaScript filters, accepted and ignored;
- ``language`` (required, policycheck's extension): ISO 639-1 code of the page's text (``en``, ``zh``). A terms
  type may list several sources with distinct languages (one page per language).

Each source becomes a :class:`~policycheck.policies.versions.DocumentRef`; its ``document_id``
(``weixin-privacy-policy-zh``) is the one ``import-archive`` gives the same document. OTA's range selectors
(objects with ``startBefore``/``endBefore``) and ``combine`` are not supported and are reported as such.

The file is validated with ``jsonschema`` against ``declaration.schema.json`` beside this module: a transcription
of OTA's declaration schema (``OpenTermsArchive/engine``, ``scripts/declarations/validate/service.schema.js`` at
commit f9d0eee; the schema file cites it and lists every change) plus the extensions above. ``jsonschema`` is a
runtime dependency (pinned with its transitive pins in ``constraints.txt``) rather than restating the schema as
pydantic models, so that the schema stays a file one can compare with OTA's, line by line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import idna
import soupsieve
from jsonschema import Draft202012Validator, ValidationError

from policycheck.errors import PolicycheckError
from policycheck.policies.versions import DocumentRef
from policycheck.yamlfile import Document, field_path


@dataclass(frozen=True)
class Source:
    """One page to fetch: the document it holds, its selectors, and where it was declared (for messages)."""

    document: DocumentRef
    select: tuple[str, ...]
    remove: tuple[str, ...] = ()
    execute_client_scripts: bool = False
    declared_at: str = ""  # JSON path in the sources file, e.g. 'declarations[1].terms["Privacy Policy"][0]'

    @property
    def url(self) -> str:
        assert self.document.url is not None
        return self.document.url

    @property
    def document_id(self) -> str:
        return self.document.document_id


_SCHEMA = json.loads(Path(__file__).with_name("declaration.schema.json").read_text(encoding="utf-8"))
# one validator per accepted shape of the file: {"declarations": [...]}, a bare list, one declaration
_VALIDATORS = {shape: Draft202012Validator(schema) for shape, schema in (
    ("file", _SCHEMA),
    ("list", {"$defs": _SCHEMA["$defs"], "type": "array", "minItems": 1, "items": {"$ref": "#/$defs/declaration"}}),
    ("declaration", {"$defs": _SCHEMA["$defs"], "$ref": "#/$defs/declaration"}),
)}


def _shape(data: Any) -> tuple[str, list[Any], list[str | int] | None] | None:
    """Which shape the file has, its declarations and the location of their list (None: the file is one
    declaration)."""
    if isinstance(data, dict) and "declarations" in data:
        return "file", data["declarations"], ["declarations"]
    if isinstance(data, list):
        return "list", data, []
    if isinstance(data, dict) and "terms" in data:
        return "declaration", [data], None
    return None


def _schema_problem(error: ValidationError) -> tuple[list[str | int], str]:
    """Location and message of one JSON Schema error: a missing or unknown key is named in the location."""
    loc: list[str | int] = list(error.absolute_path)
    if error.validator == "required":
        loc.append(next(k for k in error.validator_value if k not in error.instance))
        return loc, "missing field"
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        loc.append(sorted(k for k in error.instance if k not in known)[0])
        return loc, f"unknown field (expected one of {', '.join(known)})"
    custom = error.schema.get("x-error") if isinstance(error.schema, dict) else None
    return loc, custom.replace("{value}", _short(repr(error.instance))) if custom else _short(error.message, 200)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _selectors(doc: Document, value: str | list[str], loc: list[str | int]) -> tuple[str, ...]:
    """The CSS selector(s) at ``loc``, each checked by soupsieve (the schema checked their shape)."""
    items = [value] if isinstance(value, str) else value
    for i, item in enumerate(items):
        try:
            soupsieve.compile(item)
        except (soupsieve.SelectorSyntaxError, ValueError, RecursionError) as exc:  # ValueError: nesting limit
            where = loc if isinstance(value, str) else [*loc, i]
            shown = item if len(item) <= 60 else f"{item[:57]}..."
            raise doc.fail(where, f"invalid CSS selector {shown!r}: {str(exc).splitlines()[0]}") from exc
    return tuple(items)


def _check_url(doc: Document, url: str, loc: list[str | int]) -> None:
    """Refuse a ``fetch`` URL that the schema's pattern lets through but no HTTP client can request (an unclosed
    IPv6 bracket, a port that is no number or above 65535, no host, a host that IDNA cannot encode: an empty or
    64-character label, a code point IDNA 2008 forbids)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (parsing the port raises ValueError for a bad one)
    except ValueError as exc:
        raise doc.fail(loc, f"not a valid URL: {exc}") from exc
    if not parts.hostname:
        raise doc.fail(loc, "not a valid URL: no host")
    try:  # what httpx does with the host before it connects (labels of 1-63 characters, IDNA 2008 code points)
        idna.encode(parts.hostname, uts46=True)
    except (idna.IDNAError, UnicodeError) as exc:
        raise doc.fail(loc, f"not a valid URL: host {parts.hostname[:60]!r} is no domain name ({exc})") from exc


def _declared(doc: Document, declarations: list[dict[str, Any]], prefix: list[str | int] | None
              ) -> list[tuple[list[str | int], Source]]:
    """Every source document of the (schema-valid) declarations, in file order, with its location."""
    out = []
    for i, declaration in enumerate(declarations):
        base = [] if prefix is None else [*prefix, i]
        for doc_type, value in declaration["terms"].items():
            where = [*base, "terms", doc_type]
            entries = [([*where, j], v) for j, v in enumerate(value)] if isinstance(value, list) else [(where, value)]
            languages: list[str] = []
            for loc, obj in entries:
                if obj["language"] in languages:
                    raise doc.fail([*loc, "language"], f"{obj['language']!r} is declared twice for this terms type; "
                                                       "each page needs its own language")
                languages.append(obj["language"])
                _check_url(doc, obj["fetch"], [*loc, "fetch"])
                source = Source(DocumentRef(declaration["name"], doc_type, obj["language"], obj["fetch"]),
                                _selectors(doc, obj["select"], [*loc, "select"]),
                                _selectors(doc, obj["remove"], [*loc, "remove"]) if "remove" in obj else (),
                                obj.get("executeClientScripts", False), field_path(loc))
                out.append((loc, source))
    return out


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources file against ``declaration.schema.json`` (Open Terms Archive's declaration
    schema plus the ``language`` extension, see the module docstring), then check what a schema cannot: CSS
    selector syntax, one page per language per terms type, one declaration per document.

    Input: path of a JSON file. Output: the sources, in file order. Raises :class:`PolicycheckError` naming the
    file, the line and the JSON path of the first problem, e.g.
    ``sources.json:9: declarations[1].terms["Privacy Policy"][0].fetch: not an http(s) URL``.
    """
    if not path.exists():
        raise PolicycheckError(path, "no such sources file (see README, section 'policies', for the format)")
    doc = Document.read_json(path, "sources file")
    shape = _shape(doc.data)
    if shape is None:
        raise doc.fail([], "expected {\"declarations\": [...]}, a list of declarations, or one declaration")
    name, declarations, prefix = shape
    problems = [_schema_problem(e) for e in _VALIDATORS[name].iter_errors(doc.data)]
    if problems:
        rank = {"unknown field": 0, "missing field": 2}  # a misspelt key also makes its right name missing
        loc, what = min(problems, key=lambda p: (rank.get(p[1].split(" (")[0], 1), doc.line(p[0]) or 0))
        raise doc.fail(loc, what)
    sources = _declared(doc, declarations, prefix)
    seen: dict[str, Source] = {}
    for loc, source in sources:
        first = seen.setdefault(source.document_id, source)
        if first is not source:
            raise doc.fail(loc, f"declares document {source.document_id!r} again (already at {first.declared_at})")
    return [source for _, source in sources]


def select_sources(sources: list[Source], only: list[str] | None, where: Path | str) -> list[Source]:
    """The sources whose document id is in ``only`` (all when None or empty), in file order.

    Raises :class:`PolicycheckError` naming ``where`` (the sources file) for an id no source declares.
    """
    if not only:
        return sources
    known = {s.document_id for s in sources}
    unknown = [d for d in only if d not in known]
    if unknown:
        raise PolicycheckError(where, f"no source declares document {unknown[0]!r} (declared: "
                                      f"{', '.join(sorted(known))})")
    return [s for s in sources if s.document_id in only]
