"""Personal-data detectors: decoded leaves (and raw body bytes) -> findings of ontology data types.

One module per method, each a class with ``name`` and ``find(leaves, texts, body) -> list[Finding]``
(``texts[i]`` is ``leaves[i].text()``, computed once per request):

- :mod:`.profile`: values of a user-supplied device profile, in every leaf and in the raw bytes, also
  hex-, base64-, URL-encoded, MD5/SHA1/SHA256-hashed or varint-encoded (Aho-Corasick, pyahocorasick);
- :mod:`.keys`: JSON/form/XML keys and named protobuf fields listed in the ``keys`` of
  ``mappings/data_types.yaml``;
- :mod:`.patterns`: value formats (IPv4/IPv6, coordinate pairs, IMEI with Luhn check, MAC, phone
  numbers via ``phonenumbers``, e-mail, Android ID, advertising ids, WeChat ids, Mini Program app ids,
  push tokens, user agents), each mapped to data types through ``patterns`` in ``data_types.yaml``;
- :mod:`.privacy_interface`: fields naming a Mini Program privacy interface or scope (``getLocation``,
  ``scope.userLocation``), mapped to the data types it hands to the developer by
  ``mappings/privacy_interfaces.yaml``.

Every finding names its detector (``profile``, ``profile:md5``, ``key``, ``pattern:ipv4`` ...) and a
confidence in [0, 1]; values leave this package only redacted (:mod:`policycheck.flows.redact`).
"""

from __future__ import annotations

from pathlib import Path

from policycheck.flows.detectors.keys import KeyDetector
from policycheck.flows.detectors.patterns import PatternDetector
from policycheck.flows.detectors.privacy_interface import InterfaceTable, PrivacyInterfaceDetector
from policycheck.flows.detectors.profile import ProfileDetector
from policycheck.flows.model import Finding, Leaf
from policycheck.flows.profile import DeviceProfile
from policycheck.ontology import Ontology

__all__ = ["Detectors", "InterfaceTable", "KeyDetector", "PatternDetector", "PrivacyInterfaceDetector",
           "ProfileDetector"]


class Detectors:
    """All detectors of one ingest run; :meth:`find` runs each and drops duplicate findings."""

    def __init__(self, keys: KeyDetector, patterns: PatternDetector, profile: ProfileDetector | None,
                 interfaces: PrivacyInterfaceDetector | None = None) -> None:
        self.detectors = [d for d in (profile, keys, patterns, interfaces) if d is not None]

    @classmethod
    def build(cls, onto: Ontology, mappings: Path, profile: DeviceProfile | None) -> Detectors:
        """The detectors of an ingest, for one use (the re-check of a stored request): key names and value
        patterns of the ontology, the device ``profile``'s values when given, and the privacy interfaces of
        ``mappings/privacy_interfaces.yaml`` (ingest builds the same set per profile, sharing the others).
        Raises :class:`~policycheck.errors.PolicycheckError` for a malformed interface table."""
        patterns = PatternDetector(onto)
        keys = KeyDetector(onto, patterns)
        return cls(keys, patterns, ProfileDetector(profile, keys.agrees, keys.data_type_of) if profile else None,
                   PrivacyInterfaceDetector(InterfaceTable.load(mappings, onto)))

    def identifies(self, name: str) -> bool:
        """Whether a key, element or attribute ``name`` is itself an identifier: a value of the device
        profile or a match of a value pattern (a name such as ``wxid_...`` or an e-mail address used as a
        map key). Such names are redacted before they reach a field path."""
        leaf = [Leaf("", name)]
        return any(detector.find(leaf, [name], b"") for detector in self.detectors
                   if isinstance(detector, ProfileDetector | PatternDetector))

    def find(self, leaves: list[Leaf], body: bytes) -> list[Finding]:
        """Findings for one request: ``leaves`` from :func:`policycheck.flows.decode.decode`, ``body`` the raw
        payload. The same (data type, path, detector, value) is reported once, at the highest confidence found
        (the leaves of a repeated field share a path: ``samsung`` whole in one, inside ``samsung-SM-S9110`` in
        the next)."""
        best: dict[tuple[str, str, str, str], Finding] = {}
        texts = [leaf.text() for leaf in leaves]
        for detector in self.detectors:
            for finding in detector.find(leaves, texts, body):
                key = (finding.data_type, finding.path, finding.detector, finding.value)
                if key not in best or finding.confidence > best[key].confidence:
                    best[key] = finding
        return list(best.values())
