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

from pydantic import BaseModel, ConfigDict, StrictInt, field_validator, model_validator

from policycheck.flows.decode import MessageSchema, PayloadSchema, Schema
from policycheck.ontology import Ontology
from policycheck.yamlfile import Document, Names, Regex, load_model

ENDPOINTS_FILE = "endpoints.yaml"
REGIONS = ("wechat", "weixin")
UNKNOWN_FEATURE = "unknown"
UNKNOWN_RECIPIENT = "unknown_third_party"
RELAY_SCAN_BYTES = 65_536  # how much of a relay request's body is searched for the name of the API it calls


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
class Relay:
    """A request type that relays calls to many backend APIs, each request naming its API under ``key`` in a JSON
    object of its body; ``apis``: (regular expression searched in that name, feature), first match wins."""

    id: int
    key: str
    apis: tuple[tuple[re.Pattern[str], str], ...]
    source: str

    def feature_of(self, body: bytes) -> tuple[str, str] | None:
        """(feature, relayed API name) of a request body naming an API one of ``apis`` matches, else ``None``. Reads
        at most the first :data:`RELAY_SCAN_BYTES` bytes, where the body carries the JSON text verbatim (a
        compressed or encrypted body names nothing)."""
        found = re.search(rb'"' + re.escape(self.key.encode()) + rb'"\s*:\s*"([A-Za-z0-9_.:/-]{1,100})"',
                          body[:RELAY_SCAN_BYTES])
        if found is None:
            return None
        name = found.group(1).decode("ascii")
        return next(((feature, name) for pattern, feature in self.apis if pattern.search(name)), None)


@dataclass(frozen=True)
class Endpoint:
    """Where a request went: API ``path`` (``None`` if unknown), ``feature`` and ``recipient`` ids, and the
    ``basis`` of the feature (``relay <key> <API name>``, ``rule <pattern>``, ``request type <id>`` or
    ``none``)."""

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
    schemas: list[Schema]  # message schemas (protobuf field names) and payload schemas (forms, JSON objects)
    # (host pattern, entity id) of entities.yaml, most specific first
    entity_hosts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relays: dict[int, Relay] = field(default_factory=dict)
    # path -> first matching rule: a capture repeats few distinct paths many times (bounded, see _rule)
    _rule_cache: dict[str, Rule | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, mappings: Path, onto: Ontology) -> EndpointMap:
        """Read ``<mappings>/endpoints.yaml`` (validated by :class:`EndpointsFile`), checking every feature and
        entity id against ``onto``.

        Raises :class:`PolicycheckError` naming the file, line and field of a malformed entry, an unknown
        feature or entity, a duplicate request type, or a regular expression that does not compile.
        """
        entries, doc = load_model(mappings / ENDPOINTS_FILE, EndpointsFile, "endpoint knowledge file", empty={})
        _check_ids(entries, doc, onto)
        request_types: dict[int, RequestType] = {}
        for i, rt in enumerate(entries.request_types):
            if rt.id in request_types:
                raise doc.fail(["request_types", i, "id"], f"request type {rt.id} listed twice")
            request_types[rt.id] = RequestType(rt.id, rt.path, rt.feature, rt.source)
        rules = [Rule(_compile(r.pattern), r.feature, r.recipient, r.source) for r in entries.rules]
        schemas = [MessageSchema(m.name, m.fields, frozenset(m.at), frozenset(m.endpoints),
                                 tuple((n, _compile(regex)) for n, regex in m.signature.items()), m.envelope)
                   for m in entries.messages]
        schemas += [PayloadSchema(p.name, frozenset(k.casefold() for k in p.keys), frozenset(p.endpoints))
                    for p in entries.payloads]
        entity_hosts = sorted(
            ((str(h).lower(), e.id) for e in onto.entities.values() for h in e.attrs["hosts"]),
            key=lambda pair: -len(pair[0].replace("*", "").replace("?", "")))
        relays = {r.id: Relay(r.id, r.key, tuple((_compile(a.pattern), a.feature) for a in r.apis), r.source)
                  for r in entries.relays}
        return cls(request_types, rules, [h.host.lower() for h in entries.platform_hosts], schemas, entity_hosts,
                   relays=relays)

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
        return EndpointMap(merged, self.rules, self.platform_hosts, self.schemas, self.entity_hosts, notes,
                           self.relays)

    def path_for(self, req_type_id: int | None) -> str | None:
        rt = self.request_types.get(req_type_id) if req_type_id is not None else None
        return rt.path if rt else None

    def resolve(self, path: str | None, req_type_id: int | None, host: str | None, account_region: str,
                body: bytes | None = None) -> Endpoint:
        """Path, feature and recipient of one request.

        Inputs: the request's own API ``path`` (``None`` if the capture gave none), ``req_type_id``,
        ``host`` (``None`` if unknown), ``account_region`` (``wechat`` | ``weixin``) and the request ``body``
        (``None``: not looked at). The path falls back to the request type's; the feature comes from the API a
        relay request type's body names (``relays``), else from the first matching path rule, else from the
        request type entry, else ``unknown``.
        """
        path = path or self.path_for(req_type_id)
        feature, basis, rule_recipient = UNKNOWN_FEATURE, "none", None
        relay = self.relays.get(req_type_id) if req_type_id is not None and body else None
        relayed = relay.feature_of(body) if relay is not None and body else None
        matched = self._rule(path) if path and relayed is None else None
        if relay is not None and relayed:
            feature, basis = relayed[0], f"relay {relay.key} {relayed[1]} ({relay.source})"
        elif matched is not None:
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
        if path in self._rule_cache:
            return self._rule_cache[path]
        found = next((rule for rule in self.rules if rule.pattern.search(path)), None)
        if len(self._rule_cache) < 100_000:
            self._rule_cache[path] = found
        return found


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


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HostEntry(_Entry):
    """``platform_hosts``: a host suffix of the platform's own API."""

    host: str
    source: str | None = None


class RequestTypeEntry(_Entry):
    """``request_types``: a WeChat request type id and its API path and/or feature."""

    id: StrictInt
    path: str | None = None
    feature: str | None = None
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _path_or_feature(self) -> RequestTypeEntry:
        if self.path is None and self.feature is None:
            raise ValueError(f"request type {self.id} needs a path or a feature")
        return self


class RuleEntry(_Entry):
    """``rules``: a regular expression searched in the API path (case-insensitive) -> feature and recipient."""

    pattern: Regex
    feature: str
    recipient: str | None = None
    source: str


class RelayApiEntry(_Entry):
    """``relays[].apis``: a regular expression searched in the relayed API's name (case-insensitive) -> feature."""

    pattern: Regex
    feature: str


class RelayEntry(_Entry):
    """``relays``: a request type whose body names the backend API it calls under ``key`` (a JSON key)."""

    id: StrictInt
    key: str
    apis: list[RelayApiEntry]
    source: str
    note: str | None = None


class MessageEntry(_Entry):
    """``messages``: names of a protobuf message's fields, where the message is found (``at``) or how it is
    recognised (``signature``: field number -> regular expression of its text). ``envelope``: the client sends
    the message with every request, whatever the feature (WeChat's BaseRequest session header)."""

    name: str
    fields: dict[int, str]
    signature: dict[int, Regex] = {}
    at: Names = []
    endpoints: Names = []
    envelope: bool = False
    source: str

    @model_validator(mode="after")
    def _located(self) -> MessageEntry:
        if not self.at and not self.signature:
            raise ValueError("a message needs 'at' (field paths) or a 'signature'")
        return self


class PayloadEntry(_Entry):
    """``payloads``: a text payload (URL-encoded form or JSON object) recognised by the keys it holds (``keys``, all
    of them, case ignored), optionally only in requests to ``endpoints``; the values inside it take ``name`` as
    their parent, which ``data_types.yaml`` keys can qualify (``SessionTicket/version``)."""

    name: str
    keys: Names
    endpoints: Names = []
    source: str

    @field_validator("keys")
    @classmethod
    def _recognisable(cls, keys: list[str]) -> list[str]:
        if len(keys) < 2:
            raise ValueError("a payload needs at least 2 keys to be recognised by")
        return keys


class EndpointsFile(_Entry):
    """``mappings/endpoints.yaml`` (format in ``mappings/README.md``)."""

    platform_hosts: list[HostEntry] = []
    request_types: list[RequestTypeEntry] = []
    rules: list[RuleEntry] = []
    relays: list[RelayEntry] = []
    messages: list[MessageEntry] = []
    payloads: list[PayloadEntry] = []


def _check_ids(entries: EndpointsFile, doc: Document, onto: Ontology) -> None:
    """Every feature and recipient id names a concept of the ontology."""
    features = [("request_types", i, rt.feature) for i, rt in enumerate(entries.request_types)]
    features += [("rules", i, r.feature) for i, r in enumerate(entries.rules)]
    for key, i, feature in features:
        if feature is not None and feature not in onto.features:
            raise doc.fail([key, i, "feature"], f"unknown feature {feature!r} (not in features.yaml)")
    for i, relay in enumerate(entries.relays):
        for j, api in enumerate(relay.apis):
            if api.feature not in onto.features:
                raise doc.fail(["relays", i, "apis", j, "feature"], f"unknown feature {api.feature!r} (not in "
                                                                     "features.yaml)")
    for i, rule in enumerate(entries.rules):
        if rule.recipient is not None and rule.recipient not in onto.entities:
            raise doc.fail(["rules", i, "recipient"], f"unknown recipient entity {rule.recipient!r}")


def dataset_request_types(capture: Path) -> Path | None:
    """The ``request_types.csv`` shipped beside a capture (its folder or the folder above), if any."""
    folder = capture if capture.is_dir() else capture.parent
    for candidate in (folder / "request_types.csv", folder.parent / "request_types.csv"):
        if candidate.is_file():
            return candidate
    return None
