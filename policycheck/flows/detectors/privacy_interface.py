"""Privacy-interface detector: request fields that name a Mini Program privacy interface or authorization scope.

A Mini Program obtains personal data from WeChat through ``wx.*`` interfaces (``wx.getLocation``,
``wx.chooseAddress`` ...), gated by ``wx.authorize`` scopes (``scope.userLocation`` ...). The client asks WeChat's
servers to authorize them (``js-authorize``, ``js-operatewxdata`` requests: the 2023 captures name ``getLocation``
in field 6 of ``js-authorize``), and the interface then hands the data to the Mini Program, that is to its
developer. Weixin's developer documentation lists which personal information each interface processes; the table
is ``mappings/privacy_interfaces.yaml`` (each entry with its source URL and the date it was read).

A leaf whose whole value (after a leading ``wx.``) is an interface name, alias or scope of the table gives one
finding per data type the interface hands over, with the leaf's field path, detector
``privacy_interface:<interface>`` (``privacy_interface:getLocation``: the name is no personal data; the stored
value is redacted like every other) and confidence 0.9: the request names the interface; that the data then
reaches the developer is what the documentation says the interface does. Such a finding says what the Mini
Program's *developer* obtains, not what the request carries: the gap verdicts leave these observations out
(``carried_observations`` in gaps.sql) and the report lists them per Mini Program app id
(``flows.mini_program_appid``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from policycheck.errors import PolicycheckError
from policycheck.flows.model import Finding, Leaf
from policycheck.ontology import Ontology
from policycheck.yamlfile import LINE_KEY, read_yaml

NAME = "privacy_interface"
CONFIDENCE = 0.9
TABLE_FILE = "privacy_interfaces.yaml"
KINDS = ("api", "scope", "component")
_ENTRY_FIELDS = {"name", "aliases", "kind", "data_types", "information", "sources"}
_SOURCE_FIELDS = {"url", "title", "read"}


@dataclass(frozen=True)
class Source:
    """A page of Weixin's developer documentation the table rests on, and when it was read."""

    id: str
    url: str
    title: str
    read: date


@dataclass(frozen=True)
class Interface:
    """One privacy interface, component or scope: the data types it hands to the Mini Program's developer."""

    name: str
    kind: str
    data_types: tuple[str, ...]
    information: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class InterfaceTable:
    """``mappings/privacy_interfaces.yaml``, validated against the ontology. ``names`` maps every name and alias to
    its interface."""

    path: Path
    sources: dict[str, Source]
    interfaces: dict[str, Interface]
    names: dict[str, Interface]

    def lookup(self, text: str) -> Interface | None:
        """The interface a value names: its name, an alias or ``wx.`` + either; None otherwise."""
        value = text.strip()
        return self.names.get(value[3:] if value.startswith("wx.") else value)

    @classmethod
    def load(cls, mappings: Path, onto: Ontology) -> InterfaceTable:
        """Read and validate the table in the folder ``mappings``. Raises :class:`PolicycheckError` naming the file
        and line of the first problem: an unknown field, source or data type, a missing field, a duplicate name."""
        path = mappings / TABLE_FILE
        data = read_yaml(path, "privacy interface table")
        if not isinstance(data, dict) or not isinstance(data.get("sources"), dict) \
                or not isinstance(data.get("interfaces"), list):
            raise PolicycheckError(path, "expected a mapping with 'sources' (a mapping) and 'interfaces' (a list)")
        sources = {sid: _source(path, sid, item) for sid, item in data["sources"].items() if sid != LINE_KEY}
        interfaces: dict[str, Interface] = {}
        names: dict[str, Interface] = {}
        for item in data["interfaces"]:
            entry = _interface(path, item, sources, onto)
            for name in (entry.name, *entry.aliases):
                if name in names:
                    raise PolicycheckError(path, f"{name!r} already names interface {names[name].name!r}",
                                           line=entry.line)
                names[name] = entry
            interfaces[entry.name] = entry
        return cls(path, sources, interfaces, names)


def _source(path: Path, sid: str, item: Any) -> Source:
    if not isinstance(item, dict):
        raise PolicycheckError(path, f"source {sid!r} must be a mapping of {sorted(_SOURCE_FIELDS)}")
    line = item.get(LINE_KEY)
    fields = set(item) - {LINE_KEY}
    if fields != _SOURCE_FIELDS:
        raise PolicycheckError(path, f"source {sid!r} needs exactly the fields {sorted(_SOURCE_FIELDS)}, has "
                                     f"{sorted(fields)}", line=line)
    url, read = str(item["url"]), item["read"]
    if not url.startswith("https://"):
        raise PolicycheckError(path, f"source {sid!r}: url must be an https URL, got {url!r}", line=line)
    if not isinstance(read, date):
        raise PolicycheckError(path, f"source {sid!r}: 'read' must be a date (YYYY-MM-DD)", line=line)
    return Source(sid, url, str(item["title"]), read)


def _strings(path: Path, item: dict, key: str, line: int | None) -> tuple[str, ...]:
    value = item.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PolicycheckError(path, f"'{key}' must be a list of names", line=line)
    return tuple(value)


def _interface(path: Path, item: Any, sources: dict[str, Source], onto: Ontology) -> Interface:
    if not isinstance(item, dict):
        raise PolicycheckError(path, f"each interface must be a mapping, got {item!r}")
    line = item.get(LINE_KEY)
    fields = set(item) - {LINE_KEY}
    unknown, missing = fields - _ENTRY_FIELDS, _ENTRY_FIELDS - {"aliases"} - fields
    if unknown or missing:
        raise PolicycheckError(path, f"unknown field(s) {sorted(unknown)}, missing field(s) {sorted(missing)}",
                               line=line)
    name = str(item["name"])
    if item["kind"] not in KINDS:
        raise PolicycheckError(path, f"{name}: kind must be one of {KINDS}", line=line)
    data_types = _strings(path, item, "data_types", line)
    cited = _strings(path, item, "sources", line)
    if not data_types or not cited:
        raise PolicycheckError(path, f"{name}: needs at least one data type and one source", line=line)
    for data_type in data_types:
        if data_type not in onto.data_types:
            raise PolicycheckError(path, f"{name}: {data_type!r} is not a data type of data_types.yaml", line=line)
    for source in cited:
        if source not in sources:
            raise PolicycheckError(path, f"{name}: source {source!r} is not listed under 'sources'", line=line)
    return Interface(name, item["kind"], data_types, str(item["information"]), cited,
                     _strings(path, item, "aliases", line), line)


class PrivacyInterfaceDetector:
    """Findings for leaves that name an interface of :class:`InterfaceTable` (see the module docstring)."""

    name = NAME

    def __init__(self, table: InterfaceTable) -> None:
        self.table = table

    def find(self, leaves: list[Leaf], texts: list[str], body: bytes) -> list[Finding]:
        found = []
        for leaf, text in zip(leaves, texts, strict=True):
            if not isinstance(leaf.value, str) or len(text) > 64:
                continue
            interface = self.table.lookup(text)
            if interface is None:
                continue
            found.extend(Finding(data_type, leaf.path, f"{NAME}:{interface.name}", CONFIDENCE, interface.name,
                                 leaf.name) for data_type in interface.data_types)
        return found
