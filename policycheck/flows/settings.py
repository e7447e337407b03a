"""Per-file capture settings: the command line, then the capture manifest, then folder conventions.

For each capture file, every setting is taken from the first source that gives it:

1. the command-line options (``ingest --profile/--account-region/--captured-at/--key-log/...``, ``run
   --profile NAME=FILE``);
2. the nearest capture manifest (``captures.yaml``, :mod:`policycheck.flows.manifest`): the file's own entry,
   then the manifest's ``defaults``;
3. conventions: the scenario and run number from the file name (``startup_permissions_on_2``), the only MMTLS
   key log in a pcap's folder, the account platform ``wechat``, and (after ingest, see
   :func:`policycheck.flows.ingest.Ingester.run`) the capture time of the files beside it for a file that
   has no time of its own.

The settings a capture was ingested with are stored in its ``captures`` row. A stored capture analysed again
because the analysis changed (:mod:`policycheck.flows.stamp`) is read with those, not with this run's options or
manifests: they belong to the capture (its scenario, account platform, profile, format, key log, time zone ...;
``captured_at`` when the option, the manifest or the folder gave it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from policycheck.errors import PolicycheckError
from policycheck.flows import manifest as manifest_mod
from policycheck.flows.mmtls import is_key_log
from policycheck.flows.readers import READERS

KEY_LOG_SNIFF = 64 * 1024


@dataclass
class FileSettings:
    """Everything ingest needs to know about one capture file besides its content."""

    scenario: str
    run: int | None
    account_region: str = "wechat"
    profile: Path | None = None
    captured_at: datetime | None = None  # naive UTC
    captured_at_source: str | None = None  # 'option' | 'manifest'
    timezone: str | None = None
    key_log: Path | None = None
    app_version: str | None = None
    format: str | None = None
    request_type: str | None = None
    manifest: Path | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Overrides:
    """Settings given on the command line (``None``: not given)."""

    scenario: str | None = None
    account_region: str | None = None
    profile: Path | None = None
    captured_at: datetime | None = None  # naive UTC
    timezone: str | None = None
    key_log: Path | None = None
    app_version: str | None = None
    format: str | None = None
    request_type: str | None = None


class Resolver:
    """Resolves :class:`FileSettings`, reading each manifest once (errors raise :class:`PolicycheckError`)."""

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self.manifests: dict[Path, manifest_mod.LoadedManifest] = {}
        self.key_logs: dict[Path, list[Path]] = {}

    def manifest_for(self, path: Path, root: Path | None) -> manifest_mod.LoadedManifest | None:
        found = manifest_mod.find(path, root)
        if found is None:
            return None
        if found not in self.manifests:
            self.manifests[found] = manifest_mod.load(found)
        return self.manifests[found]

    def auxiliary(self, path: Path, root: Path | None) -> str | None:
        """Why a file found in a folder is not a capture but one of its helpers (manifest, key log, a
        profile the manifest names), or ``None``."""
        if path.name in manifest_mod.NAMES:
            self.manifest_for(path, root)  # validated even when no capture uses it
            return "capture manifest"
        loaded = self.manifest_for(path, root)
        if loaded is not None and loaded.mentions(path):
            return "named by the capture manifest"
        if path.resolve() in self._key_logs(path.parent):
            return "MMTLS key log"
        return None

    def resolve(self, path: Path, scenario: str, run: int | None, root: Path | None) -> FileSettings:
        o = self.overrides
        loaded = self.manifest_for(path, root)
        entry = loaded.settings_for(path) if loaded is not None else None
        entry = entry or manifest_mod.CaptureSettings()
        where = loaded.path if loaded is not None else None
        fmt = o.format or entry.format
        if fmt is not None and fmt not in READERS:
            raise PolicycheckError(where or "--format", f"unknown format {fmt!r}; known: {sorted(READERS)}")
        settings = FileSettings(
            scenario=o.scenario or entry.scenario or scenario, run=run,
            account_region=o.account_region or entry.account_platform or "wechat",
            profile=o.profile or (loaded.resolve(entry.device_profile) if loaded and entry.device_profile else None),
            timezone=o.timezone or entry.timezone,
            key_log=o.key_log or (loaded.resolve(entry.key_log) if loaded and entry.key_log else None),
            app_version=o.app_version or entry.app_version, format=fmt,
            request_type=o.request_type or (str(entry.request_type) if entry.request_type is not None else None),
            manifest=where)
        if o.captured_at is not None:
            settings.captured_at, settings.captured_at_source = o.captured_at, "option"
        elif entry.captured_at is not None:
            settings.captured_at = manifest_mod.captured_at_utc(entry.captured_at, settings.timezone)
            settings.captured_at_source = "manifest"
        if settings.key_log is None:
            logs = self._key_logs(path.parent)
            if len(logs) == 1:
                settings.key_log = logs[0]
            elif len(logs) > 1:
                settings.notes.append(f"{len(logs)} MMTLS key logs beside {path.name}; name one in captures.yaml "
                                      "(key_log) or with --key-log")
        return settings

    def _key_logs(self, folder: Path) -> list[Path]:
        folder = folder.resolve()
        if folder not in self.key_logs:
            found = []
            for candidate in sorted(folder.iterdir()) if folder.is_dir() else []:
                if candidate.is_file() and not candidate.name.startswith("."):
                    try:
                        with candidate.open("rb") as handle:
                            head = handle.read(KEY_LOG_SNIFF)
                    except OSError:
                        continue
                    if is_key_log(head):
                        found.append(candidate)
            self.key_logs[folder] = found
        return self.key_logs[folder]
