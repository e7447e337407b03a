"""Device profiles: the known values of a test device and account, to find them in captured traffic.

This is the "identifiable strings" method of Citizen Lab 2023 (Methods): list what you know about the
test device (identifiers, phone number, IMEI, carrier, coordinates, IP, user name ...) and search the
traffic for it. A profile is a YAML file (format in README.md, section flows)::

    device: Pixel 4 emulator, Android 12          # free text, optional (not used by the detectors)
    source: where the values come from            # optional
    values:                                       # data type id (mappings/data_types.yaml) -> value(s)
      internal_user_id: "1234567890"
      device_model: [Pixel 4, flame]
      precise_location: {latitude: 37.42, longitude: -122.08}   # found only together
      screen_size: {width: 1080, height: 2280}                  # found only together

Profiles hold personal data: keep them beside your captures, never in the package or ``mappings/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycheck.errors import PolicycheckError
from policycheck.ontology import Ontology
from policycheck.yamlfile import read_yaml

PAIR_KEYS = {("latitude", "longitude"), ("width", "height")}


@dataclass(frozen=True)
class Pair:
    """Two numbers that identify something only together (coordinates, screen width and height)."""

    data_type: str
    first: tuple[str, float]
    second: tuple[str, float]


@dataclass
class DeviceProfile:
    """``values``: data type id -> known strings; ``pairs``: numbers matched only together."""

    path: Path
    values: dict[str, list[str]] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, onto: Ontology) -> DeviceProfile:
        """Read a profile file. Raises :class:`PolicycheckError` (file and line) for malformed YAML, a
        data type that is not in the ontology, or a value that is neither text, number, list nor pair."""
        data = read_yaml(path, "device profile")
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            raise PolicycheckError(path, "a device profile is a mapping with a 'values' mapping "
                                         "(data type id -> value or list of values)")
        values = data["values"]
        line = values.pop("__line__", None)
        profile = cls(path)
        for data_type, raw in values.items():
            if data_type not in onto.data_types:
                raise PolicycheckError(path, f"unknown data type {data_type!r} (not an ontology id)",
                                       line=line)
            for item in raw if isinstance(raw, list) else [raw]:
                profile._add(data_type, item, line)
        return profile

    def _add(self, data_type: str, item: Any, line: int | None) -> None:
        if isinstance(item, dict):
            item.pop("__line__", None)
            keys = tuple(sorted(item))
            pair = next((p for p in PAIR_KEYS if tuple(sorted(p)) == keys), None)
            try:
                numbers = {k: float(v) for k, v in item.items()}
            except (TypeError, ValueError):
                pair = None
            if pair is None:
                raise PolicycheckError(self.path, f"{data_type}: a pair must be {{latitude, longitude}} or "
                                                  f"{{width, height}} numbers, got {sorted(item)}", line=line)
            self.pairs.append(Pair(data_type, (pair[0], numbers[pair[0]]), (pair[1], numbers[pair[1]])))
        elif isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip():
            self.values.setdefault(data_type, []).append(str(item).strip())
        else:
            raise PolicycheckError(self.path, f"{data_type}: value must be text, a number, a list or a pair, "
                                              f"got {type(item).__name__}", line=line)
