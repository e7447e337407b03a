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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import soupsieve

from policycheck.errors import PolicycheckError
from policycheck.policies.versions import DocumentRef

SOURCE_KEYS = {"fetch", "select", "remove", "executeClientScripts", "filter", "language"}
_LANGUAGE = re.compile(r"^[a-z]{2}$")


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


class _Invalid(Exception):
    def __init__(self, path: str, what: str) -> None:
        super().__init__(f"{path}: {what}" if path else what)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Invalid("", f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _key(path: str, key: str) -> str:
    """JSON path of ``key`` inside the object at ``path``."""
    return f"{path}.{key}" if path else key


def _selectors(value: Any, path: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _Invalid(path, "expected a CSS selector or a non-empty list of CSS selectors")
    for i, item in enumerate(items):
        where = path if isinstance(value, str) else f"{path}[{i}]"
        if isinstance(item, dict):
            raise _Invalid(where, "range selectors (startBefore/endBefore ...) are not supported; use a CSS selector")
        if not isinstance(item, str) or not item.strip():
            raise _Invalid(where, "expected a non-empty CSS selector string")
        try:
            soupsieve.compile(item)
        except soupsieve.SelectorSyntaxError as exc:
            raise _Invalid(where, f"invalid CSS selector {item!r}: {str(exc).splitlines()[0]}") from exc
    return tuple(items)


def _url(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _Invalid(path, "expected a URL string")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Invalid(path, f"not an http(s) URL: {value!r}")
    return value


def _source(service: str, doc_type: str, obj: Any, path: str) -> Source:
    if not isinstance(obj, dict):
        raise _Invalid(path, "expected an object with 'fetch', 'select' and 'language'")
    if "combine" in obj:
        raise _Invalid(_key(path, "combine"), "multi-page documents ('combine') are not supported; declare one page")
    unknown = sorted(set(obj) - SOURCE_KEYS)
    if unknown:
        raise _Invalid(_key(path, unknown[0]), f"unknown key (expected one of {', '.join(sorted(SOURCE_KEYS))})")
    for key, what in (("fetch", "the page's URL"),
                      ("select", "CSS selector of the part of the page that holds the document"),
                      ("language", "ISO 639-1 code of the page's text, e.g. \"en\"; policycheck's extension")):
        if key not in obj:
            raise _Invalid(path, f"missing {key!r} ({what})")
    language = obj["language"]
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise _Invalid(_key(path, "language"), f"expected an ISO 639-1 code such as \"en\" or \"zh\", got {language!r}")
    scripts = obj.get("executeClientScripts", False)
    if not isinstance(scripts, bool):
        raise _Invalid(_key(path, "executeClientScripts"), "expected true or false")
    if "filter" in obj and not isinstance(obj["filter"], list):
        raise _Invalid(_key(path, "filter"), "expected a list of filter names")
    remove = _selectors(obj["remove"], _key(path, "remove")) if "remove" in obj else ()
    url = _url(obj["fetch"], _key(path, "fetch"))
    return Source(DocumentRef(service, doc_type, language, url), _selectors(obj["select"], _key(path, "select")),
                  remove, scripts, path)


def _declaration(obj: Any, path: str) -> list[Source]:
    if not isinstance(obj, dict):
        raise _Invalid(path, "expected a declaration object with 'name' and 'terms'")
    unknown = sorted(set(obj) - {"name", "terms"})
    if unknown:
        raise _Invalid(_key(path, unknown[0]), "unknown key (a declaration has 'name' and 'terms')")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _Invalid(_key(path, "name"), "expected the service name, a non-empty string")
    terms = obj.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise _Invalid(_key(path, "terms"), "expected a non-empty object {terms type: source document}")
    sources = []
    for doc_type, value in terms.items():
        where = f"{_key(path, 'terms')}[{json.dumps(doc_type, ensure_ascii=False)}]"
        if not doc_type.strip():
            raise _Invalid(where, "empty terms type")
        if isinstance(value, list):
            if not value:
                raise _Invalid(where, "empty list of source documents")
            found = [_source(name, doc_type, item, f"{where}[{i}]") for i, item in enumerate(value)]
            languages = [s.document.language for s in found]
            for i, language in enumerate(languages):
                if language in languages[:i]:
                    raise _Invalid(f"{where}[{i}].language",
                                   f"{language!r} is declared twice for this terms type; each page needs its own "
                                   "language")
            sources.extend(found)
        else:
            sources.append(_source(name, doc_type, value, where))
    return sources


def parse_sources(data: Any) -> list[Source]:
    """Validate parsed JSON (see the module docstring) into sources, in file order.

    Raises ``_Invalid`` with the JSON path of the first problem; :func:`load_sources` adds the file name.
    """
    if isinstance(data, dict) and "declarations" in data:
        extra = sorted(set(data) - {"declarations"})
        if extra:
            raise _Invalid(extra[0], "unknown top-level key (expected only 'declarations')")
        items, prefix = data["declarations"], "declarations"
        if not isinstance(items, list):
            raise _Invalid(prefix, "expected a list of declarations")
    elif isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict) and "terms" in data:
        return _declaration(data, "")
    else:
        raise _Invalid("", "expected {\"declarations\": [...]}, a list of declarations, or one declaration")
    if not items:
        raise _Invalid(prefix, "no declarations")
    sources = [s for i, d in enumerate(items) for s in _declaration(d, f"{prefix}[{i}]")]
    seen: dict[str, Source] = {}
    for source in sources:
        first = seen.setdefault(source.document_id, source)
        if first is not source:
            raise _Invalid(source.declared_at, f"declares document {source.document_id!r} again "
                                               f"(already at {first.declared_at})")
    return sources


def load_sources(path: Path) -> list[Source]:
    """Read and validate a sources file.

    Input: path of a JSON file in the format of the module docstring. Output: the sources, in file order.
    Raises :class:`PolicycheckError` naming the file (and the line for a JSON syntax error, else the JSON
    path, e.g. ``declarations[1].terms["Privacy Policy"][0].fetch: not an http(s) URL``).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise PolicycheckError(path, "no such sources file (see README, section 'policies', for the format)") from exc
    except OSError as exc:
        raise PolicycheckError(path, f"cannot read sources file: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicycheckError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from exc
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise PolicycheckError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
    except _Invalid as exc:
        raise PolicycheckError(path, str(exc)) from exc
    try:
        return parse_sources(data)
    except _Invalid as exc:
        raise PolicycheckError(path, str(exc)) from exc


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
