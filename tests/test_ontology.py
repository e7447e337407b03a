"""Ontology loading, validation errors, closures, and the content the issues require."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policycheck import config, ontology
from policycheck.errors import PolicycheckError


def _copy_mappings(tmp_path: Path) -> Path:
    target = tmp_path / "mappings"
    shutil.copytree(config.mappings_dir(), target)
    return target


def test_content_floor(onto):
    assert len(onto.data_types) >= 60
    with_zh = [c for c in onto.data_types.values() if c.name_zh]
    assert len(with_zh) == len(onto.data_types), "every data type has a Chinese name"
    for feature in ("messaging", "moments", "mini_programs", "channels", "search", "people_nearby", "login",
                    "startup", "payments", "official_accounts"):
        assert feature in onto.features
    assert onto.features["channels"].attrs["operator"] == "weixin"
    for entity in ("wechat", "weixin", "tencent", "service_provider", "sms_provider", "advertiser",
                   "mini_program_developer", "official_account_operator", "third_party"):
        assert entity in onto.entities


def test_closure_is_transitive_with_depth(onto):
    anc = onto.ancestors("data_type", "imei")
    assert anc["imei"] == 0 and anc["device_identifier"] == 1 and anc["personal_information"] == 3
    assert onto.is_a("entity", "sms_provider", "third_party")
    assert not onto.is_a("entity", "wechat", "third_party")


def test_written_tables_match_closure(con, onto):
    n = con.execute("select count(*) from data_type_closure").fetchall()[0][0]
    assert n == sum(len(onto.ancestors("data_type", d)) for d in onto.data_types)
    rows = con.execute("select ancestor, depth from entity_closure where descendant = 'sms_provider' "
                       "order by depth").fetchall()
    assert rows == [("sms_provider", 0), ("service_provider", 1), ("third_party", 2)]


def test_cycle_is_reported_with_file_and_line(tmp_path):
    mappings = _copy_mappings(tmp_path)
    path = mappings / "data_types.yaml"
    text = path.read_text(encoding="utf-8")
    # make the root a child of one of its own descendants
    text = text.replace("- id: personal_information\n", "- id: personal_information\n  parents: [imei]\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicycheckError) as err:
        ontology.load(mappings)
    message = str(err.value)
    assert message.startswith(f"{path}:") and "cycle in parents" in message and "imei" in message


def test_unknown_parent_and_duplicate_alias(tmp_path):
    mappings = _copy_mappings(tmp_path)
    path = mappings / "features.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: extra\n  name_en: extra\n  operator: wechat\n"
                    "  parents: [no_such_feature]\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"features.yaml:\d+: extra: unknown parent 'no_such_feature'"):
        ontology.load(mappings)
    path.write_text(path.read_text(encoding="utf-8").replace("[no_such_feature]", "[app]")
                    + "  synonyms_en: [Moments feature]\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match="alias 'moments feature' already names 'moments'"):
        ontology.load(mappings)


def test_bad_yaml_and_unknown_field(tmp_path):
    mappings = _copy_mappings(tmp_path)
    path = mappings / "entities.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "- id: x\n  name_en: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"entities\.yaml:.*invalid YAML"):
        ontology.load(mappings)
    path.write_text(original + "- id: x\n  name_en: X\n  kind: third_party\n  colour: red\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"entities\.yaml:\d+: \[\d+\]\.colour: unknown field"):
        ontology.load(mappings)


def test_failed_load_keeps_stored_ontology(con, tmp_path):
    mappings = _copy_mappings(tmp_path)
    (mappings / "entities.yaml").write_text("- id: Bad Id\n  name_en: x\n  kind: user\n", encoding="utf-8")
    before = con.execute("select count(*) from entities").fetchall()[0][0]
    with pytest.raises(PolicycheckError, match="not snake_case"):
        ontology.write(con, ontology.load(mappings))
    assert con.execute("select count(*) from entities").fetchall()[0][0] == before > 0
