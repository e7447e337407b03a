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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, model_validator

from policycheck.errors import PolicycheckError
from policycheck.ontology import Ontology
from policycheck.yamlfile import Document, load_model

PAIR_KEYS = {("latitude", "longitude"), ("width", "height")}
# what one test device has, with room to spare; each value is searched in every body in 7 forms (as is, hashed,
# encoded), so these bound the search automaton's memory (README, section flows, "Device profiles")
MAX_VALUES = 1_000
MAX_VALUE_CHARS = 256
_RANGES = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0), "width": (1.0, 1e6), "height": (1.0, 1e6)}
# a number of fewer digits is a counter, size or flag as often as the device's value (an OS release "12"): such a
# value is not searched; the key detector finds it under a key that names its type (README, "Device profiles")
AMBIGUOUS_DIGITS = 6
# what the "identifiable strings" method lists for a test device and account (Citizen Lab 2023, Methods, and its
# Tables 1-2: device and user ids, WeChat ID, OS and API version, model, brand, manufacturer, build, carrier,
# coordinates, IP address, language); a profile without one finds that type by key names and value patterns only
IDENTIFYING = ("platform_device_id", "internal_user_id", "wechat_id", "os_api_level", "os_version", "device_model",
               "device_brand", "device_manufacturer", "build_display", "mobile_carrier", "precise_location",
               "ip_address", "language_setting")


def ambiguous(value: str) -> bool:
    """Whether a profile value is too common to search on its own: a number of fewer than
    :data:`AMBIGUOUS_DIGITS` digits."""
    return value.isdigit() and len(value) < AMBIGUOUS_DIGITS


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
        """Read a profile file (validated by :class:`ProfileFile`). Raises :class:`PolicycheckError` naming the
        file, line and field for malformed YAML, an unknown field, a data type that is not in the ontology, or a
        value that is neither text, number, list nor pair (the message never shows the value)."""
        data, doc = load_model(path, ProfileFile, "device profile")
        profile = cls(path)
        for data_type, items in data.values.items():
            if data_type not in onto.data_types:
                raise _unknown_type(doc, data_type)
            for item in items:
                if isinstance(item, Pair):
                    profile.pairs.append(Pair(data_type, item.first, item.second))
                else:
                    profile.values.setdefault(data_type, []).append(item)
        return profile

    def notes(self) -> list[str]:
        """What this profile leaves to the other detectors, one line each, naming data types, never values: the
        :data:`IDENTIFYING` types it states no value for, and values not searched because they are
        :func:`ambiguous`. Empty for a profile that states every identifying type searchably."""
        stated = set(self.values) | {pair.data_type for pair in self.pairs}
        missing = [data_type for data_type in IDENTIFYING if data_type not in stated]
        notes = []
        if missing:
            notes.append(f"device profile {self.path.name} states no value for {', '.join(missing)}: these are "
                         "found by key names and value patterns only (README, flows, \"Device profiles\")")
        for data_type, values in sorted(self.values.items()):
            count = sum(ambiguous(value) for value in values)
            if count:
                notes.append(f"device profile {self.path.name}: values.{data_type}: {count} number(s) of fewer than "
                             f"{AMBIGUOUS_DIGITS} digits not searched (counters take such values everywhere); found "
                             "only under a key that names the type")
        return notes


def _value(item: Any) -> str | Pair:
    """A profile value: its text, or a :class:`Pair` (without data type yet) for a mapping of two numbers."""
    if isinstance(item, dict):
        keys = tuple(sorted(item))
        pair = next((p for p in PAIR_KEYS if tuple(sorted(p)) == keys), None)
        try:
            if pair is not None and not any(isinstance(v, bool) for v in item.values()):
                numbers = [(key, float(item[key])) for key in pair]
                if all(_RANGES[key][0] <= number <= _RANGES[key][1] for key, number in numbers):
                    return Pair("", numbers[0], numbers[1])
        except (TypeError, ValueError, OverflowError):
            pass
        # the keys are not named: a mapping keyed by identifiers would show them
        raise ValueError("a pair must be {latitude, longitude} or {width, height} numbers in range (latitude "
                         f"-90..90, longitude -180..180, width and height 1..1e6), got a mapping of {len(item)} key(s)")
    if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip():
        if len(str(item).strip()) > MAX_VALUE_CHARS:
            raise ValueError(f"value longer than {MAX_VALUE_CHARS} characters (a device profile lists identifiers)")
        return str(item).strip()
    if isinstance(item, str):  # empty or spaces only: it would match nothing, or everything
        raise ValueError("value is empty or only spaces")
    raise ValueError(f"value must be text, a number, a list or a pair, got {type(item).__name__}")


def _listed(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


class ProfileFile(BaseModel):
    """A device profile file (format in the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    device: str | None = None
    source: str | None = None
    values: dict[str, Annotated[list[Annotated[Any, AfterValidator(_value)]], BeforeValidator(_listed)]]

    @model_validator(mode="after")
    def _not_too_many(self) -> ProfileFile:
        count = sum(len(items) for items in self.values.values())
        if count > MAX_VALUES:
            raise ValueError(f"{count:,} values; a device profile holds at most {MAX_VALUES:,}")
        return self


_TYPE_ID = re.compile(r"(?!.*\d{4})[a-z][a-z0-9_]{0,63}")  # a data type id (mappings/data_types.yaml): no long number


def _unknown_type(doc: Document, key: str) -> PolicycheckError:
    """The error for a ``values`` key that is no data type id: the key is named when it looks like an id (a
    misspelt ``imie``), else only described, never shown (a value written where its type belongs, an IMEI or an
    e-mail address as the key, is personal data)."""
    if _TYPE_ID.fullmatch(key):
        return doc.fail(["values", key], "unknown data type (not an ontology id)")
    return PolicycheckError(doc.path, f"values: a key of {len(key)} characters that is no data type id (ids are "
                                      "lower-case words joined by '_', such as imei; the key is not shown: it may be "
                                      "a value)", line=doc.line(["values", key]))
