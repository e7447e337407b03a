"""Plausible dates (issue 14): capture dates outside 1990..tomorrow are refused with file and line, never
stored; an implausible effective date is ignored and named. Built at test time from the real archives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policycheck import store
from policycheck.cli import app
from policycheck.errors import PolicycheckError
from policycheck.policies.dates import effective_date, implausible_dates
from tests.conftest import require_shared

ZH = ("datasets", "policies", "weixin-privacy-guidelines")


def zh_archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the real Weixin archive folder and its (first) capture file."""
    folder = tmp_path / "weixin-privacy-guidelines"
    shutil.copytree(require_shared(*ZH), folder)
    capture = sorted(folder.glob("*.txt"))[0]
    return folder, capture


def versions(db: Path) -> int:
    con = store.open_store(db, store.READ)
    try:
        return con.execute("select count(*) from versions").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("captured", ["9999-12-31T23:00:00-05:00", "2099-01-01", "1970-01-01T00:00:00Z"])
def test_implausible_capture_header_is_refused_with_file_and_line(tmp_path, captured):
    folder, capture = zh_archive(tmp_path)
    db = tmp_path / "p.duckdb"
    assert CliRunner().invoke(app, ["import-archive", "--db", str(db), str(folder)]).exit_code == 10
    stored = versions(db)
    lines = capture.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("# 抓取日期"))
    lines[header] = f"# 抓取日期: {captured}"
    lines.insert(header + 1, "新增一行，使文本成为新版本。")
    late = folder / "zh_new.txt"
    late.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import-archive", "--db", str(db), str(folder)])
    assert isinstance(result.exception, PolicycheckError), result.output
    assert str(result.exception).startswith(f"{late}:{header + 1}: capture time {captured!r} is not plausible")
    assert versions(db) == stored  # nothing of the archive stored


def test_future_date_in_file_name_is_refused(tmp_path):
    folder, capture = zh_archive(tmp_path)
    text = "\n".join(line for line in capture.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("# 抓取日期"))
    (folder / "zh_2099-01-01.txt").write_text(text + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import-archive", "--db", str(tmp_path / "p.duckdb"), str(folder)])
    assert isinstance(result.exception, PolicycheckError)
    assert str(result.exception).startswith(f"{folder / 'zh_2099-01-01.txt'}: capture time '2099-01-01'")


def test_implausible_effective_date_is_ignored_and_named(tmp_path):
    text = require_shared(*ZH).joinpath(sorted(p.name for p in require_shared(*ZH).glob("*.txt"))[0])
    real = text.read_text(encoding="utf-8")
    stated = effective_date(real)
    assert stated is not None
    forged = real.replace(stated.value.isoformat(), "2099-08-17").replace(
        f"{stated.value.year}年{stated.value.month:02d}月{stated.value.day:02d}日", "2099年08月17日")
    found = effective_date(forged)
    assert found is None or found.value.year < 2099  # the forged date never becomes the effective date
    assert "2099-08-17" in {d.value.isoformat() for d in implausible_dates(forged)}
