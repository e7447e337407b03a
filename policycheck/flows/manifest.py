"""The capture manifest: ``captures.yaml`` (or ``captures.yml`` / ``captures.json``) beside capture files.

It says, per file, what the file name and folder cannot: the scenario, the account platform (whose policy
governs the account: ``wechat`` or ``weixin``), when it was captured and in which time zone local times are,
the device profile, the app version and, for a pcap, the MMTLS key log. Format (README, section flows)::

    defaults:                         # optional: for every capture file under this folder
      account_platform: wechat
      timezone: Asia/Singapore
    captures:                         # file paths relative to this file
      capture-logged-in-all-keys.pcapng:
        scenario: logged_in_startup
        captured_at: 2023-12-05       # a date (noon in `timezone`) or a date and time
        device_profile: profiles/emulator.yaml
        app_version: 8.0.44
        key_log: frida-logged-in-all-keys.log

Validated by the typed model :class:`Manifest` (unknown keys refused); an error is one line naming the file, its
line and the key, e.g. ``captures.yaml:7: captures["x.pcapng"].account_platform: Input should be 'wechat' or
'weixin'``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, field_validator

from policycheck.timewindow import plausible
from policycheck.yamlfile import load_model

NAMES = ("captures.yaml", "captures.yml", "captures.json")


class CaptureSettings(BaseModel):
    """What the manifest says about one capture file (every key optional)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = None
    account_platform: Literal["wechat", "weixin"] | None = None
    captured_at: datetime | date | None = None
    timezone: str | None = None
    device_profile: Path | None = None
    app_version: str | None = None
    key_log: Path | None = None
    format: str | None = None
    request_type: int | str | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from exc
        return value

    @field_validator("app_version", "scenario", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    def merged(self, other: CaptureSettings) -> CaptureSettings:
        """These settings with the keys ``other`` sets taken from ``other``."""
        return self.model_copy(update=other.model_dump(exclude_unset=True))


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: CaptureSettings = CaptureSettings()
    captures: dict[str, CaptureSettings] = {}


class LoadedManifest:
    """A validated manifest with its paths resolved against its folder."""

    def __init__(self, path: Path, manifest: Manifest) -> None:
        self.path = path
        self.folder = path.parent
        self.manifest = manifest
        self.files = {(self.folder / name).resolve(): name for name in manifest.captures}

    def settings_for(self, capture: Path) -> CaptureSettings | None:
        """The defaults merged with the file's own entry; ``None`` when the file is not under the folder."""
        try:
            capture.resolve().relative_to(self.folder.resolve())
        except ValueError:
            return None
        name = self.files.get(capture.resolve())
        own = self.manifest.captures[name] if name is not None else CaptureSettings()
        return self.manifest.defaults.merged(own)

    def mentions(self, path: Path) -> bool:
        """Whether ``path`` is a key log or profile the manifest names (not a capture itself)."""
        resolved = path.resolve()
        return any(resolved == self.resolve(p) for s in (self.manifest.defaults, *self.manifest.captures.values())
                   for p in (s.key_log, s.device_profile) if p is not None)

    def resolve(self, path: Path) -> Path:
        return (self.folder / path).resolve()


def find(capture: Path, root: Path | None) -> Path | None:
    """The manifest that governs ``capture``: the nearest ``captures.yaml|yml|json`` in its folder or a folder
    above it, up to ``root`` (the folder given on the command line; only the file's own folder without one)."""
    folder = capture.parent.resolve()
    stop = root.resolve() if root is not None else folder
    while True:
        for name in NAMES:
            if (folder / name).is_file():
                return folder / name
        if folder == stop or folder.parent == folder or stop not in folder.parents:
            return None
        folder = folder.parent


def load(path: Path) -> LoadedManifest:
    """Read and validate a manifest. Raises :class:`PolicycheckError` (file, line, key) when it is malformed,
    names a file that does not exist, or a profile or key log that does not exist, or dates a capture outside
    1990 to tomorrow (:func:`policycheck.timewindow.plausible`; year 1 in a zone west of UTC cannot even be
    converted to UTC)."""
    manifest, doc = load_model(path, Manifest, "capture manifest", empty={})
    loaded = LoadedManifest(path, manifest)
    entries: list[tuple[list[str], CaptureSettings]] = [(["defaults"], manifest.defaults)]
    entries += [(["captures", name], settings) for name, settings in manifest.captures.items()]
    for loc, settings in entries:
        if loc[0] == "captures" and not (loaded.folder / loc[1]).is_file():
            raise doc.fail(loc, "no such capture file beside the manifest")
        if settings.captured_at is not None and not plausible(settings.captured_at):
            raise doc.fail([*loc, "captured_at"], f"{settings.captured_at.isoformat()} is not plausible: captures are "
                                                  "dated from 1990 to tomorrow")
        for field in ("device_profile", "key_log"):
            value = getattr(settings, field)
            if value is not None and not loaded.resolve(value).is_file():
                raise doc.fail([*loc, field], f"no such file: {value}")
    return loaded


def captured_at_utc(value: datetime | date | None, zone: str | None) -> datetime | None:
    """A manifest's ``captured_at`` as naive UTC: a date is noon of that day, a time without offset is read
    in ``zone`` (UTC when none)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(12, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone_of(zone) or UTC)
    return value.astimezone(UTC).replace(tzinfo=None)


def zone_of(name: str | None) -> tzinfo | None:
    return ZoneInfo(name) if name else None
