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
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from policycheck.flows.model import Finding, Leaf
from policycheck.ontology import Ontology
from policycheck.yamlfile import Names, load_model

NAME = "privacy_interface"
CONFIDENCE = 0.9
TABLE_FILE = "privacy_interfaces.yaml"
Kind = Literal["api", "scope", "component"]
KINDS = get_args(Kind)


@dataclass(frozen=True)
class Source:
    """A page of Weixin's developer documentation the table rests on, and when it was read."""

    id: str
    url: str
    title: str
    read: Annotated[date, Strict()]  # a YAML date (YYYY-MM-DD), as the table writes it


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
        """Read the table in the folder ``mappings`` (validated by :class:`InterfaceFile`). Raises
        :class:`PolicycheckError` naming the file, line and field of the first problem: an unknown field, source or
        data type, a missing field, a duplicate name."""
        path = mappings / TABLE_FILE
        data, doc = load_model(path, InterfaceFile, "privacy interface table")
        sources = {sid: Source(sid, src.url, src.title, src.read) for sid, src in data.sources.items()}
        interfaces: dict[str, Interface] = {}
        names: dict[str, Interface] = {}
        for i, item in enumerate(data.interfaces):
            checks = (("data_types", onto.data_types, "a data type of data_types.yaml"),
                      ("sources", sources, "listed under 'sources'"))
            for key, known, what in checks:
                unknown = [x for x in getattr(item, key) if x not in known]
                if unknown:
                    raise doc.fail(["interfaces", i, key], f"{unknown[0]!r} is not {what}")
            entry = Interface(item.name, item.kind, tuple(item.data_types), item.information, tuple(item.sources),
                              tuple(item.aliases), doc.line(["interfaces", i]))
            for name in (entry.name, *entry.aliases):
                if name in names:
                    raise doc.fail(["interfaces", i], f"{name!r} already names interface {names[name].name!r}")
                names[name] = entry
            interfaces[entry.name] = entry
        return cls(path, sources, interfaces, names)


def _https(url: str) -> str:
    if not url.startswith("https://"):
        raise ValueError("url must be an https URL")
    return url


NonEmptyNames = Annotated[Names, Field(min_length=1)]


class SourceEntry(BaseModel):
    """``sources``: a page of Weixin's developer documentation and the date it was read."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, AfterValidator(_https)]
    title: str
    read: Annotated[date, Strict()]  # a YAML date (YYYY-MM-DD), as the table writes it


class InterfaceEntry(BaseModel):
    """``interfaces``: one interface, component or scope and the data types it hands over."""

    model_config = ConfigDict(extra="forbid")

    name: str
    aliases: Names = []
    kind: Kind
    data_types: NonEmptyNames
    information: str
    sources: NonEmptyNames


class InterfaceFile(BaseModel):
    """``mappings/privacy_interfaces.yaml``."""

    model_config = ConfigDict(extra="forbid")

    sources: dict[str, SourceEntry]
    interfaces: list[InterfaceEntry]


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
