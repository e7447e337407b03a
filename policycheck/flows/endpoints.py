"""Endpoint knowledge: request type id -> API path, API path -> feature and recipient, message schemas.

Loaded from ``mappings/endpoints.yaml`` (format in ``mappings/README.md``; sources cited per entry there)
and, for a dataset that ships one, its own ``request_types.csv`` (``id,path`` lines, as in
citizenlab/wechat-report-data). :meth:`EndpointMap.resolve` gives every request a path (when one is
known), a feature id (``unknown`` when no rule matches: never dropped) and a recipient entity id.

Recipient: a request to the platform's own API (a host in ``platform_hosts``, or no host at all, as in
the Citizen Lab logs that carry API paths only) is received by the platform entity of the account's
region: ``wechat`` for accounts under the WeChat policy, ``weixin`` for Weixin accounts. A host that
belongs to another entity of ``entities.yaml`` (its ``hosts``) gives that entity; a host no entity claims
gives ``unknown_third_party`` (a third party: PoliCheck's entity-sensitive check, Andow et al., USENIX
Security 2020, judges third-party receipt apart from first-party collection), never the platform. Host
patterns: a plain name matches itself and its subdomains, ``*.example.com`` only subdomains, and other
``*``/``?`` wildcards match as shell patterns; the most specific pattern (most literal characters) wins.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycheck.errors import PolicycheckError
from policycheck.flows.decode import MessageSchema
from policycheck.ontology import Ontology
from policycheck.yamlfile import read_yaml

ENDPOINTS_FILE = "endpoints.yaml"
REGIONS = ("wechat", "weixin")
UNKNOWN_FEATURE = "unknown"
UNKNOWN_RECIPIENT = "unknown_third_party"


@dataclass(frozen=True)
class RequestType:
    id: int
    path: str | None
    feature: str | None
    source: str


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    feature: str
    recipient: str | None  # entity id; None = the platform of the account region
    source: str


@dataclass(frozen=True)
class Endpoint:
    """Where a request went: API ``path`` (``None`` if unknown), ``feature`` and ``recipient`` ids, and the
    ``basis`` of the feature (``rule <pattern>``, ``request type <id>`` or ``none``)."""

    path: str | None
    feature: str
    recipient: str
    basis: str


@dataclass
class EndpointMap:
    """The endpoint knowledge of ``mappings/endpoints.yaml`` plus any dataset ``request_types.csv``."""

    request_types: dict[int, RequestType]
    rules: list[Rule]
    platform_hosts: list[str]
    schemas: list[MessageSchema]
    # (host pattern, entity id) of entities.yaml, most specific first
    entity_hosts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, mappings: Path, onto: Ontology) -> EndpointMap:
        """Read ``<mappings>/endpoints.yaml``, checking every feature and entity id against ``onto``.

        Raises :class:`PolicycheckError` naming the file and line of a malformed entry, an unknown
        feature or entity, or a regular expression that does not compile.
        """
        path = mappings / ENDPOINTS_FILE
        data = read_yaml(path, "endpoint knowledge file")
        if not isinstance(data, dict):
            raise PolicycheckError(path, "expected platform_hosts, request_types, rules and messages")
        loader = _Loader(path, onto)
        request_types: dict[int, RequestType] = {}
        for item in loader.items(data, "request_types"):
            rt = loader.request_type(item)
            if rt.id in request_types:
                raise PolicycheckError(path, f"request type {rt.id} listed twice", line=item.get("__line__"))
            request_types[rt.id] = rt
        rules = [loader.rule(item) for item in loader.items(data, "rules")]
        hosts = [str(loader.require(item, "host")).lower() for item in loader.items(data, "platform_hosts")]
        schemas = [loader.schema(item) for item in loader.items(data, "messages")]
        entity_hosts = sorted(
            ((str(h).lower(), e.id) for e in onto.entities.values() for h in e.attrs["hosts"]),
            key=lambda pair: -len(pair[0].replace("*", "").replace("?", "")))
        return cls(request_types, rules, hosts, schemas, entity_hosts)

    def with_dataset_types(self, csv_path: Path) -> EndpointMap:
        """A copy that also knows the ``id,path`` lines of a dataset's ``request_types.csv``.

        An id the file maps to two different paths is left out (noted in ``notes``); a dataset path wins
        over a path from ``endpoints.yaml`` for the same id (it was recorded for that app version).
        """
        paths: dict[int, set[str]] = {}
        with csv_path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) >= 2 and row[0].strip().isdigit() and row[1].strip():
                    paths.setdefault(int(row[0]), set()).add(row[1].strip())
        merged = dict(self.request_types)
        notes = list(self.notes)
        for rid, found in sorted(paths.items()):
            if len(found) > 1:
                notes.append(f"{csv_path}: request type {rid} maps to {sorted(found)}; not used")
                continue
            old = merged.get(rid)
            merged[rid] = RequestType(rid, found.pop(), old.feature if old else None, str(csv_path))
        return EndpointMap(merged, self.rules, self.platform_hosts, self.schemas, self.entity_hosts, notes)

    def path_for(self, req_type_id: int | None) -> str | None:
        rt = self.request_types.get(req_type_id) if req_type_id is not None else None
        return rt.path if rt else None

    def resolve(self, path: str | None, req_type_id: int | None, host: str | None, account_region: str
                ) -> Endpoint:
        """Path, feature and recipient of one request.

        Inputs: the request's own API ``path`` (``None`` if the capture gave none), ``req_type_id``,
        ``host`` (``None`` if unknown) and ``account_region`` (``wechat`` | ``weixin``). The path falls
        back to the request type's; the feature comes from the first matching path rule, else from the
        request type entry, else ``unknown``.
        """
        path = path or self.path_for(req_type_id)
        feature, basis, rule_recipient = UNKNOWN_FEATURE, "none", None
        matched = self._rule(path) if path else None
        if matched is not None:
            feature, rule_recipient = matched.feature, matched.recipient
            basis = f"rule {matched.pattern.pattern}"
        elif req_type_id is not None and (rt := self.request_types.get(req_type_id)) and rt.feature:
            feature, basis = rt.feature, f"request type {req_type_id} ({rt.source})"
        return Endpoint(path, feature, self.recipient(host, account_region, rule_recipient), basis)

    def recipient(self, host: str | None, account_region: str, rule_recipient: str | None = None) -> str:
        """Entity id receiving a request to ``host`` (see the module docstring)."""
        if host:
            host = _bare_host(host)
            if any(host_matches(host, h) for h in self.platform_hosts):
                return rule_recipient or account_region
            for pattern, entity in self.entity_hosts:
                if host_matches(host, pattern):
                    return entity
            return UNKNOWN_RECIPIENT
        return rule_recipient or account_region

    def _rule(self, path: str) -> Rule | None:
        for rule in self.rules:
            if rule.pattern.search(path):
                return rule
        return None


def host_matches(host: str, pattern: str) -> bool:
    """Whether ``host`` (lowercase) matches a host pattern of ``entities.yaml`` / ``platform_hosts`` (see the
    module docstring)."""
    if "*" in pattern or "?" in pattern:
        return fnmatch.fnmatchcase(host, pattern)
    return host == pattern or host.endswith("." + pattern)


def _bare_host(host: str) -> str:
    """``Host`` without port, brackets or trailing dot, lowercased: ``[::1]:8080`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


class _Loader:
    """Validates the entries of endpoints.yaml, raising errors that name the file and line."""

    def __init__(self, path: Path, onto: Ontology) -> None:
        self.path = path
        self.onto = onto

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items = data.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise PolicycheckError(self.path, f"'{key}' must be a list of mappings",
                                   line=data.get("__line__"))
        return items

    def require(self, item: dict[str, Any], key: str) -> Any:
        if item.get(key) is None:
            raise PolicycheckError(self.path, f"missing '{key}'", line=item.get("__line__"))
        return item[key]

    def feature(self, item: dict[str, Any]) -> str | None:
        feature = item.get("feature")
        if feature is not None and feature not in self.onto.features:
            raise PolicycheckError(self.path, f"unknown feature {feature!r} (not in features.yaml)",
                                   line=item.get("__line__"))
        return feature

    def request_type(self, item: dict[str, Any]) -> RequestType:
        rid = self.require(item, "id")
        if not isinstance(rid, int):
            raise PolicycheckError(self.path, f"request type id must be an integer, got {rid!r}",
                                   line=item.get("__line__"))
        path, feature = item.get("path"), self.feature(item)
        if path is None and feature is None:
            raise PolicycheckError(self.path, f"request type {rid} needs a path or a feature",
                                   line=item.get("__line__"))
        return RequestType(rid, path, feature, str(self.require(item, "source")))

    def rule(self, item: dict[str, Any]) -> Rule:
        try:
            pattern = re.compile(str(self.require(item, "pattern")), re.IGNORECASE)
        except re.error as exc:
            raise PolicycheckError(self.path, f"bad pattern: {exc}", line=item.get("__line__")) from exc
        feature = self.feature(item)
        if feature is None:
            raise PolicycheckError(self.path, "a rule needs a feature", line=item.get("__line__"))
        recipient = item.get("recipient")
        if recipient is not None and recipient not in self.onto.entities:
            raise PolicycheckError(self.path, f"unknown recipient entity {recipient!r}",
                                   line=item.get("__line__"))
        return Rule(pattern, feature, recipient, str(self.require(item, "source")))

    def schema(self, item: dict[str, Any]) -> MessageSchema:
        line = item.get("__line__")
        fields = self.require(item, "fields")
        signature = item.get("signature") or {}
        if not isinstance(fields, dict) or not isinstance(signature, dict):
            raise PolicycheckError(self.path, "'fields' and 'signature' map field numbers to names/regexes",
                                   line=line)
        try:
            names = {int(k): str(v) for k, v in fields.items() if k != "__line__"}
            sig = tuple((int(k), re.compile(str(v), re.IGNORECASE)) for k, v in signature.items()
                        if k != "__line__")
        except (ValueError, re.error) as exc:
            raise PolicycheckError(self.path, f"bad message schema: {exc}", line=line) from exc
        at = frozenset(str(a) for a in item.get("at") or [])
        if not at and not sig:
            raise PolicycheckError(self.path, "a message needs 'at' (field paths) or a 'signature'",
                                   line=line)
        self.require(item, "source")
        return MessageSchema(str(self.require(item, "name")), names, at,
                             frozenset(item.get("endpoints") or []), sig)


def dataset_request_types(capture: Path) -> Path | None:
    """The ``request_types.csv`` shipped beside a capture (its folder or the folder above), if any."""
    folder = capture if capture.is_dir() else capture.parent
    for candidate in (folder / "request_types.csv", folder.parent / "request_types.csv"):
        if candidate.is_file():
            return candidate
    return None
