"""Fixtures of the flow tests: real captures from ../shared ingested once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycheck import config, store
from policycheck.flows import decode as decode_mod
from policycheck.flows.detectors import Detectors
from policycheck.flows.endpoints import EndpointMap, dataset_request_types
from policycheck.flows.ingest import IngestOptions, ingest
from policycheck.flows.model import Finding, Leaf, RawRequest
from policycheck.flows.profile import DeviceProfile
from policycheck.flows.readers import ReaderSettings, open_reader
from tests.conftest import require_shared, workspace

PROFILES = Path(__file__).resolve().parents[1] / "profiles"
LOGS_2023 = ("datasets", "citizenlab-wechat-2023", "network_logs")
# representative files: a Mini Program session, and the People Nearby run byte-identical to a hook test
FILES_2023 = ("start_miniapp_example_data_1.log.jsonl", "intercept_hybrid_ecdh_java.log.jsonl",
              "load_people_nearby_location_permissions_on_1.log.jsonl")
SESSION_2024 = ("datasets", "citizenlab-wechat-security-2024", "autoauth-request-packet-plaintext.hex")


def profile_values(name: str) -> list[str]:
    """Every text value of a test profile (to check that none is stored unredacted)."""
    data = yaml.safe_load((PROFILES / name).read_text(encoding="utf-8"))["values"]
    values = []
    for item in data.values():
        for value in item if isinstance(item, list) else [item]:
            if not isinstance(value, dict):
                values.append(str(value))
    return values


def real_lines_of(path: Path, count: int) -> list[str]:
    """The first ``count`` non-empty lines of a real capture file (text, newline stripped)."""
    lines = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                lines.append(line.rstrip("\n"))
            if len(lines) == count:
                break
    return lines


def ingest_into(db: Path, onto, paths: list[Path], **options):
    con = store.connect(db)
    results = ingest(workspace(con, onto), paths, IngestOptions(**options))
    return con, results


@pytest.fixture(scope="session")
def store_2023(tmp_path_factory, onto):
    """A store with three 2023 captures ingested with the 2023 device profile: (connection, results)."""
    logs = require_shared(*LOGS_2023)
    db = tmp_path_factory.mktemp("flows2023") / "store.duckdb"
    con, results = ingest_into(db, onto, [logs / name for name in FILES_2023],
                               profile=PROFILES / "citizenlab-2023.yaml")
    yield con, results
    con.close()


def analysed(onto, capture: str, endpoint: str = "") -> list[tuple[str, list[Leaf], list[Finding]]]:
    """(API path, leaves, findings) of every request of the real 2023 capture file ``capture`` whose API path ends
    with ``endpoint`` (every request by default), read with the project's endpoint map, decoders, detectors and
    the 2023 device profile as ingest reads them."""
    path = require_shared(*LOGS_2023) / capture
    mappings = config.mappings_dir()
    endpoints = EndpointMap.load(mappings, onto).with_dataset_types(dataset_request_types(path))
    detectors = Detectors.build(onto, mappings, DeviceProfile.load(PROFILES / "citizenlab-2023.yaml", onto))
    out = []
    for request in open_reader("citizenlab-jsonl", ReaderSettings(None, None)).read(path):
        if not isinstance(request, RawRequest):
            continue
        resolved = endpoints.resolve(request.path, request.req_type_id, request.host, "US")
        if not (resolved.path or "").endswith(endpoint):
            continue
        decoded = decode_mod.decode(request.body or b"", endpoints.schemas, resolved.path, 1 << 24, None)
        out.append((resolved.path or "", decoded.leaves, detectors.find(decoded.leaves, request.body or b"")))
    return out
