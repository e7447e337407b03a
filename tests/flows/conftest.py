"""Fixtures of the flow tests: real captures from ../shared ingested once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycheck import store
from policycheck.flows.ingest import IngestOptions, ingest
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
