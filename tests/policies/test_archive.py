"""Archive import on the real WeChat archive and the Chinese Weixin guidelines (issue 2, Verify)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policycheck.errors import PolicycheckError
from policycheck.policies.archive import import_archive
from policycheck.policies.dates import effective_date
from policycheck.policies.markdown import parse_markdown
from tests.conftest import require_shared, workspace

WECHAT = ("datasets", "policies", "wechat-privacy-policy")
WEIXIN = ("datasets", "policies", "weixin-privacy-guidelines")


@pytest.fixture(scope="module")
def wechat_archive() -> Path:
    return require_shared(*WECHAT)


def _rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_wechat_archive_versions_quarantine_and_changes(con, onto, wechat_archive):
    result = import_archive(workspace(con, onto), wechat_archive)
    assert result.document.document_id == "wechat-privacy-policy-en"
    assert result.document.url == "https://www.wechat.com/en/privacy_policy.html"  # from the OTA declaration
    assert len(result.recorded) == 40

    # Every distinct full text is one version; its effective date is the one the text states.
    texts = {}
    for archived, rec in result.recorded:
        if rec.status != "quarantined":
            texts.setdefault(archived.parsed.text, rec.version_id)
    versions = _rows(con, "select version_id, effective_date, text from versions order by version_id")
    assert len(versions) == len(texts)
    for version_id, effective, text in versions:
        stated = effective_date(text)
        assert stated is not None and effective == stated.value, version_id

    # Broken captures are quarantined with a reason: much smaller than their neighbours, sections missing.
    quarantined = [(a, r) for a, r in result.recorded if r.status == "quarantined"]
    assert quarantined, "the archive holds summary-only and truncated captures"
    sizes = {a.path.name: len(a.parsed.text) for a, _ in result.recorded}
    full = max(sizes.values())
    for archived, rec in quarantined:
        assert rec.reason and "sections missing" in rec.reason
        assert sizes[archived.path.name] < 0.6 * full
        assert rec.version_id is None
    # ... and their text is kept as evidence, never as a version.
    kept = _rows(con, "select count(*) from snapshots where status = 'quarantined' and text is not null")[0][0]
    assert kept == len(quarantined)

    # No change event comes from a broken capture or from the restore that follows it: every change event
    # moves to a version whose text differs from the one before, and is made by an 'ok' snapshot.
    changes = _rows(con, "select c.from_version_id, c.to_version_id, s.status from changes c "
                         "join snapshots s using (snapshot_id) order by c.observed_at")
    assert len(changes) == len(versions)
    assert all(status == "ok" and from_id != to_id for from_id, to_id, status in changes)
    for i, (archived, rec) in enumerate(result.recorded):
        if rec.status == "quarantined" and i + 1 < len(result.recorded):
            following = result.recorded[i + 1][1]
            if following.status != "quarantined":
                assert following.changed is False or following.new_version, archived.path.name

    # The 2022-09-09 text (in force during the Citizen Lab captures) is a version effective that day.
    assert _rows(con, "select count(*) from versions where effective_date = '2022-09-09'")[0][0] == 1


def test_reimport_is_a_noop(con, onto, wechat_archive):
    import_archive(workspace(con, onto), wechat_archive)
    before = _rows(con, "select count(*) from snapshots")[0][0]
    again = import_archive(workspace(con, onto), wechat_archive)
    assert again.recorded == [] and len(again.skipped) == 40
    assert _rows(con, "select count(*) from snapshots")[0][0] == before


def test_weixin_guidelines_plain_text(con, onto):
    folder = require_shared(*WEIXIN)
    result = import_archive(workspace(con, onto), folder)
    ref = result.document
    assert (ref.service, ref.doc_type, ref.language) == ("Weixin", "Privacy Policy", "zh")
    assert ref.url and ref.url.startswith("https://weixin.qq.com/")
    (effective, title), = _rows(con, "select effective_date, title from versions")
    assert str(effective) == "2026-08-17" and title == "微信隐私保护指引"
    clauses = dict(_rows(con, "select split_part(section_path, ' > ', -1), min(text) from blocks "
                              "where regexp_matches(section_path, '\\d+\\.\\d+$') group by 1"))
    for number in ("1.2", "1.6", "1.35", "1.36", "2.1"):
        assert clauses[number].startswith(number), number
    assert "我们无法获得你在使用该类第三方服务时产生的信息" in clauses["1.36"]


def test_archive_errors_name_the_file_and_keep_the_store(con, onto, wechat_archive, tmp_path):
    import_archive(workspace(con, onto), wechat_archive)
    before = _rows(con, "select count(*) from snapshots")[0][0]

    bad = tmp_path / "latin1"
    bad.mkdir()
    (bad / "policy_2024-01-01.txt").write_bytes("Privacy Policy\n\nWe collect your données.".encode("latin-1"))
    with pytest.raises(PolicycheckError, match=r"policy_2024-01-01\.txt: not UTF-8 text: invalid byte 0xe9"):
        import_archive(workspace(con, onto), bad)

    undated = tmp_path / "undated"
    undated.mkdir()
    (undated / "policy.txt").write_text("WeChat Privacy Policy\n\nWe collect your name.", encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"policy\.txt: no capture date"):
        import_archive(workspace(con, onto), undated)

    # A manifest naming a missing file is refused before anything is stored.
    partial = tmp_path / "partial"
    shutil.copytree(wechat_archive, partial)
    (partial / "2022-09-09_b9d6b3e1.md").unlink()
    with pytest.raises(PolicycheckError, match=r"manifest\.csv: lists files that do not exist"):
        import_archive(workspace(con, onto), partial)
    assert _rows(con, "select count(*) from snapshots")[0][0] == before


def test_blocks_of_2022_09_09(wechat_archive):
    parsed = parse_markdown((wechat_archive / "2022-09-09_b9d6b3e1.md").read_text(encoding="utf-8"))
    for block in parsed.blocks:
        assert parsed.text[block.start:block.end] == block.text
    rows = [b for b in parsed.blocks if b.kind == "table_row" and "HOW DO WE USE" in b.section_path]
    assert len(rows) >= 10
    assert all(r.header == ["Information", "Purpose of Processing", "Retention Period"] for r in rows)
    registration = next(r for r in rows if r.cells[0].startswith("Registration data"))
    assert "mobile number" in registration.cells[0] and "To set up your WeChat account" in registration.cells[1]
    log_items = [b for b in parsed.blocks if b.kind == "list_item" and b.lead_in and b.lead_in.startswith('"Log Data"')]
    assert len(log_items) == 4 and "IP address" in log_items[0].text
    nested = [b for b in parsed.blocks if b.kind == "list_item" and b.level == 2]
    assert nested and all(b.lead_in == "When you:" for b in nested)
