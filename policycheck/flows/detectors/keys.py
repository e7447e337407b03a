"""Key-name detector: a value under a key that names a data type (``devicemodel``, ``networktype``, ...).

The key names come from ``keys`` of ``mappings/data_types.yaml``: plain names match the leaf's name (JSON/form key,
XML tag, protobuf key-value pair key, or field name from a message schema of ``mappings/endpoints.yaml``); qualified
names ``parent/name`` (``softtype/k22``, ``SessionTicket/version``) match only inside that parent (an XML parent
element, a JSON key, a message schema or a payload of ``endpoints.yaml``): a generic name that means different
things in different payloads is listed only qualified. Names compare case- and separator-insensitively. Empty and
placeholder values (``0``, ``null``, ``unknown``) are skipped. Confidence 0.9, or 0.4 (below the default
``--min-confidence`` 0.5: listed apart, never judged) when the key name and the value disagree:
- the data type has value patterns and the value matches none of them or only a known placeholder (an ``ip`` key
  whose value is not an address, an IMEI field holding a value that is not an IMEI, a MAC field holding Android's
  constant ``02:00:00:00:00:00``);
- the data type has value formats (``formats``, :mod:`policycheck.flows.detectors.formats`) and the value has none
  of them (a ``page`` key holding a pagination counter, a ``query`` key holding a URL query string, a ``display``
  key holding a screen size).
"""

from __future__ import annotations

from policycheck.errors import PolicycheckError
from policycheck.flows.detectors.common import is_empty, normalize_key
from policycheck.flows.detectors.formats import FORMATS, has_format
from policycheck.flows.detectors.patterns import PatternDetector
from policycheck.flows.model import Finding, Leaf
from policycheck.ontology import Ontology

CONFIDENT = 0.9
DOUBTFUL = 0.4  # key and value disagree: below the default --min-confidence (0.5), never judged


class KeyDetector:
    name = "key"

    def __init__(self, onto: Ontology, patterns: PatternDetector) -> None:
        self.patterns = patterns
        self.plain: dict[str, str] = {}
        self.qualified: dict[tuple[str, str], str] = {}
        self.value_patterns: dict[str, list[str]] = {}
        self.value_formats: dict[str, list[str]] = {}
        for concept in onto.data_types.values():
            self.value_patterns[concept.id] = concept.attrs["patterns"]
            self.value_formats[concept.id] = concept.attrs["formats"]
            unknown = [f for f in concept.attrs["formats"] if f not in FORMATS]
            if unknown:
                raise PolicycheckError(concept.path, f"{concept.id}: no value format named {unknown[0]!r} "
                                       f"(known: {sorted(FORMATS)})", line=concept.line)
            for key in concept.attrs["keys"]:
                if "/" in key:
                    parent, _, name = key.rpartition("/")
                    table, norm = self.qualified, (normalize_key(parent), normalize_key(name))
                else:
                    table, norm = self.plain, normalize_key(key)
                other = table.get(norm)  # type: ignore[arg-type]
                if other is not None and other != concept.id:
                    raise PolicycheckError(concept.path, f"{concept.id}: key {key!r} already names {other!r}",
                                           line=concept.line)
                table[norm] = concept.id  # type: ignore[index]

    def agrees(self, data_type: str, text: str) -> bool:
        """Whether ``text`` has the value format of ``data_type``: one of its value patterns (a known placeholder
        such as Android's constant MAC address does not count) and one of its value formats, each test passing
        when the type declares none."""
        patterns = self.value_patterns.get(data_type)
        return ((not patterns or self.patterns.validates(patterns, text))
                and has_format(self.value_formats.get(data_type, []), text))

    def data_type_of(self, leaf: Leaf) -> str | None:
        """The data type a leaf's key names, if any."""
        if not leaf.name:
            return None
        name = normalize_key(leaf.name)
        if leaf.parent:
            found = self.qualified.get((normalize_key(leaf.parent), name))
            if found:
                return found
        return self.plain.get(name)

    def find(self, leaves: list[Leaf], texts: list[str], body: bytes) -> list[Finding]:
        found: list[Finding] = []
        for leaf, text in zip(leaves, texts, strict=True):
            data_type = self.data_type_of(leaf)
            if data_type is None:
                continue
            if is_empty(text):
                continue
            confidence = CONFIDENT if self.agrees(data_type, text) else DOUBTFUL
            field_name = f"{leaf.parent}.{leaf.name}" if leaf.parent else leaf.name
            found.append(Finding(data_type, leaf.path, self.name, confidence, text, field_name))
        # a field read two ways (fixed32 as integer and as float): keep the reading that fits the type
        confident = {(f.path, f.data_type) for f in found if f.confidence == CONFIDENT}
        return [f for f in found if f.confidence == CONFIDENT or (f.path, f.data_type) not in confident]
