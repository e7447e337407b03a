"""The cluster path (issue 16): the store exported as Parquet, the gap SQL of gaps.sql transpiled by sqlglot and
run by Apache Spark (pyspark, ``local[2]``), equal to DuckDB's gap rows row for row on the real data (../shared).

One Spark session for the module (starting the JVM takes seconds). A missing Java runtime FAILS the tests (CI
installs Debian's default-jre-headless, see .ci/run); ``POLICYCHECK_ALLOW_MISSING_TOOLS=1`` turns that into a
skip."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from policycheck.gaps import spark
from policycheck.gaps.classify import Judgement, gap_rows


@pytest.fixture(scope="module")
def session():
    if shutil.which("java") is None:
        message = "no Java runtime: apt-get install default-jre-headless (the Spark tests need one)"
        if os.environ.get("POLICYCHECK_ALLOW_MISSING_TOOLS") == "1":
            pytest.skip(message)
        pytest.fail(message)
    started = spark.spark_session("local[2]")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def exported(real_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parquet")
    counts = spark.export_parquet(real_store, folder)
    return folder, counts


def key(row: dict[str, Any]) -> tuple:
    return (row["recipient"], row["data_type"], row["feature"], row["scenario"], tuple(row["version_ids"]))


def test_export_writes_every_table(real_store, exported):
    folder, counts = exported
    tables = {r[0] for r in real_store.execute("select table_name from duckdb_tables() where not temporary "
                                               "and database_name = current_database()").fetchall()}
    assert set(counts) == tables >= {"claims", "flows", "observations", "captures", "versions", "capture_coverage",
                                     "data_type_closure", "entity_closure", "feature_closure"}
    assert counts["observations"] == real_store.execute("select count(*) from observations").fetchall()[0][0]
    days = {p.name for p in (folder / "flows").iterdir()}
    assert all(d.startswith("day=") for d in days) and len(days) > 1  # partitioned by the requests' day


def test_spark_sql_is_transpiled_not_copied():
    views, query = spark.spark_statements()
    names = [name for name, _ in views]
    assert {"distinct_flows", "flow_times", "version_validity", "claim_receipt", "claim_data_coverage"} <= set(names)
    assert "COLLECT_LIST" in query and "TRANSFORM" in query  # Spark's spelling of DuckDB's list functions
    assert "'intermediate'" in query and "CAST(NULL AS DATE)" in query  # the macro's parameters as literals


def test_spark_rows_equal_duckdb_rows(real_store, exported, session):
    """Spark's gap rows with their pivotal claims (``--explain``) equal DuckDB's; without the pivotal claims they
    equal DuckDB's rows judged without ``explain``, so one Spark run (about 3 minutes on two cores) checks both;
    the run without ``explain`` is Spark's in :func:`test_spark_judges_as_of_a_date`."""
    folder, _ = exported
    duck = gap_rows(real_store, explain=True)
    rows = spark.spark_gap_rows(session, str(folder), explain=True)
    assert len(duck) > 500 and all(isinstance(r["pivotal_claims"], list) for r in rows)
    assert sorted(rows, key=key) == sorted(duck, key=key)
    plain = gap_rows(real_store)
    assert all(r["pivotal_claims"] is None for r in plain)
    assert sorted(plain, key=key) == sorted(({**r, "pivotal_claims": None} for r in rows), key=key)


def test_spark_judges_as_of_a_date(real_store, exported, session):
    from datetime import date

    folder, _ = exported
    judgement = Judgement(as_of=date(2020, 6, 1), mode="strict")
    duck = gap_rows(real_store, judgement=judgement)
    rows = spark.spark_gap_rows(session, str(folder), judgement.as_of, judgement.mode)
    assert sorted(rows, key=key) == sorted(duck, key=key)
