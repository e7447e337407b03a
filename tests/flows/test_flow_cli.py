"""The ingest and flows commands end to end (typer CliRunner) on the 2024 session and a 2023 capture."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from conftest import LOGS_2023, PROFILES, SESSION_2024, profile_values
from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.errors import PolicycheckError
from tests.conftest import require_shared


def features_in(output: str) -> set[str]:
    """The 'feature' column of what the flows command prints when piped (CSV, issue 12)."""
    return {row["feature"] for row in csv.DictReader(io.StringIO(output))}


def invoke(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, list(args))


def test_ingest_then_summarize_with_filters(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    session = require_shared(*SESSION_2024)
    capture = require_shared(*LOGS_2023) / "login_3.log.jsonl"
    profile = str(PROFILES / "citizenlab-2024.yaml")
    first = invoke("ingest", "--db", db, "--profile", profile, "--request-type", "763", str(session))
    assert first.exit_code == 0, first.output
    second = invoke("ingest", "--db", db, str(capture), str(capture))
    assert second.exit_code == 0, second.output
    assert "unchanged" in second.output  # the same file named twice is ingested once

    everything = invoke("flows", "--db", db)
    assert everything.exit_code == 0
    assert "autoauth-request-packet-plaintext" in everything.output and "login" in everything.output

    identifiers = invoke("flows", "--db", db, "--data-type", "device_identifier")
    assert identifiers.exit_code == 0
    assert "android_id" in identifiers.output and "network_type" not in identifiers.output

    mini = invoke("flows", "--db", db, "--feature", "mini_programs")
    assert mini.exit_code == 0
    assert features_in(mini.output) == {"mini_programs"}
    assert {"login", "channels", "mini_programs"} <= features_in(everything.output)

    for output in (first.output, second.output, everything.output, identifiers.output, mini.output):
        assert not any(v in output for v in profile_values("citizenlab-2024.yaml") if len(v) >= 4)


def test_unknown_filter_id_is_bad_input(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    session = require_shared(*SESSION_2024)
    assert invoke("ingest", "--db", db, "--request-type", "763", str(session)).exit_code == 0
    result = invoke("flows", "--db", db, "--data-type", "shoe_size")
    assert isinstance(result.exception, PolicycheckError)
    assert str(result.exception).startswith("--data-type: unknown id 'shoe_size' (known: ")
    assert str(result.exception).endswith("; see table data_types)")
    # through the console script: one line naming the problem, exit status 2
    command = [sys.executable, "-m", "policycheck", "ingest", "--db", db, "--account-region", "mars",
               str(session)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "--account-region: must be one of" in run.stderr
