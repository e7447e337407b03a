"""Re-read requests from their capture files and detect again, without touching the store.

``policycheck verify`` uses this to check that a redacted sample in a report is still what the capture file
gives: the same reader, endpoint map, decoders and detectors as ingest (:mod:`policycheck.flows.ingest`), and
the store's redaction salt, applied to the named lines only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policycheck.errors import PolicycheckError
from policycheck.flows import manifest as manifest_mod
from policycheck.flows.detectors import Detectors
from policycheck.flows.endpoints import dataset_request_types
from policycheck.flows.ingest import IngestOptions, _Analyzer
from policycheck.flows.model import RawRequest
from policycheck.flows.profile import DeviceProfile
from policycheck.flows.readers import READERS, ReaderSettings, open_reader
from policycheck.flows.redact import SALT_KEY

if TYPE_CHECKING:
    from policycheck.workspace import Workspace

Detection = tuple[str, str, str, str]  # data type, field path, detector, redacted value


def redetect(ws: Workspace, path: Path, fmt: str, lines: set[int], account_region: str, profile: Path | None,
             key_log: Path | None = None, timezone: str | None = None) -> dict[int, list[Detection]]:
    """For each of ``lines`` (1-based) of the capture file ``path`` (format ``fmt``, read with the ``key_log``
    and ``timezone`` it was ingested with): the detections found in that request now, with the workspace's
    endpoint map and ontology, redacted with the store's salt. Lines the reader cannot read are absent. Raises
    :class:`PolicycheckError` for an unknown format, a store without a salt, or a missing profile or key-log
    file."""
    if fmt not in READERS:
        raise PolicycheckError(path, f"unknown capture format {fmt!r}")
    con, onto, mappings = ws.con, ws.onto, ws.paths.mappings
    salt = con.execute("select value from settings where key = ?", [SALT_KEY]).fetchall()
    if not salt:
        raise PolicycheckError("settings", "the store has no redaction salt: nothing was ingested into it")
    endpoints = ws.endpoints
    csv_path = dataset_request_types(path)
    if csv_path is not None:
        endpoints = endpoints.with_dataset_types(csv_path)
    if profile is not None and not profile.is_file():
        raise PolicycheckError(profile, "the device profile this capture was ingested with is missing")
    detectors = Detectors.build(onto, mappings, DeviceProfile.load(profile, onto) if profile else None)
    analyzer = _Analyzer(detectors, endpoints.schemas, salt[0][0], IngestOptions(cache=False))
    out: dict[int, list[Detection]] = {}
    if key_log is not None and not key_log.is_file():
        raise PolicycheckError(key_log, "the key log this capture was decrypted with is missing")
    reader = open_reader(fmt, ReaderSettings(key_log, manifest_mod.zone_of(timezone)))
    for request in reader.read(path):
        if not isinstance(request, RawRequest) or request.line not in lines:
            continue
        if request.body is None and not request.fields:
            continue
        endpoint = endpoints.resolve(request.path, request.req_type_id, request.host, account_region, request.body)
        analysis = analyzer.analyse(request.body or b"", endpoint.path, tuple(request.fields))
        out[request.line] = [(o[0], o[1], o[2], o[4]) for o in analysis.observations]
        if len(out) == len(lines):
            break
    return out
