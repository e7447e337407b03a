"""Typed configuration: every configuration file the package reads is validated by a typed model.

For each file kind, the real file of the repository loads, and a broken copy (a misspelt key, a value of the wrong
type, a missing field) is refused with one line ``FILE:LINE: FIELD: WHAT``, through the command that reads the
file where there is one (the console script's entry point, as a user runs it), with exit status 2 and no
traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from policycheck import config, ontology
from policycheck.claims.chinese.lexicon import GRAMMAR_FILE, Grammar, load_grammar
from policycheck.claims.english import patterns
from policycheck.claims.opp115 import load_type_map
from policycheck.cli import main
from policycheck.errors import PolicycheckError
from policycheck.flows.detectors.privacy_interface import InterfaceTable
from policycheck.flows.endpoints import EndpointMap
from policycheck.flows.profile import DeviceProfile
from policycheck.policies.sources import load_sources

PROFILES = Path(__file__).parent / "profiles"
PACKAGE = Path(__file__).parents[1] / "policycheck"


def run_cli(args: list[str], capsys, monkeypatch) -> str:
    """Run ``policycheck ARGS`` through the console script's entry point; its one stderr line (exit status 2)."""
    monkeypatch.setattr(sys, "argv", ["policycheck", *args])
    monkeypatch.setenv("COLUMNS", "400")
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def mutate(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file by ``new``; the line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path.name}: update the test"
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def entry_line(path: Path, line: int) -> int:
    """The line of the list entry (``- ...``) that holds ``line``."""
    rows = path.read_text(encoding="utf-8").splitlines()
    return next(n for n in range(line, 0, -1) if rows[n - 1].lstrip().startswith("- "))


def expect(message: str, path: Path, line: int, field: str, what: str) -> None:
    assert re.match(rf"^error: {re.escape(str(path))}:{line}: {field}: {what}", message), message


def test_the_repository_files_load(onto):
    mappings = config.mappings_dir()
    assert len(ontology.load(mappings).data_types) > 100
    assert EndpointMap.load(mappings, onto).rules
    assert InterfaceTable.load(mappings, onto).interfaces
    assert load_type_map(mappings / "opp115.yaml", onto).types
    for profile in sorted(PROFILES.glob("*.yaml")):
        assert DeviceProfile.load(profile, onto).values, profile
    assert patterns.load().verb_action["collect"] == "collect"
    assert load_grammar().first_party
    assert [s.document.language for s in load_sources(config.sources_file())] == ["en", "zh", "en"]


@pytest.fixture
def mappings(tmp_path: Path) -> Path:
    folder = tmp_path / "mappings"
    shutil.copytree(config.mappings_dir(), folder)
    return folder


# (command, file, text, its replacement, field (regex), message (regex)); a replacement that removes a line
# removes a field: the error names the line of the entry that lost it
MAPPINGS_CASES = {
    "ontology: misspelt key": ("ontology", "data_types.yaml", "  synonyms_en:", "  synonym_en:",
                               r"\[\d+\]\.synonym_en", "unknown field"),
    "ontology: wrong type": ("ontology", "entities.yaml", "  kind: platform", "  kind: [platform]", r"\[\d+\]\.kind",
                             "Input should be"),
    "ontology: missing field": ("ontology", "features.yaml", "  operator: wechat\n", "", r"\[\d+\]\.operator",
                                "missing field"),
    "ontology: bad id": ("ontology", "entities.yaml", "- id: wechat\n", "- id: WeChat\n", r"\[\d+\]\.id",
                         "id 'WeChat' is not snake_case"),
    "endpoints: misspelt key": ("ingest", "endpoints.yaml", "feature: werun, source: APK}",
                                "featur: werun, source: APK}", r"rules\[\d+\]\.featur", "unknown field"),
    "endpoints: wrong type": ("ingest", "endpoints.yaml", "{id: 26,", "{id: twenty-six,", r"request_types\[0\]\.id",
                              "Input should be a valid integer"),
    "endpoints: missing field": ("ingest", "endpoints.yaml", "feature: werun, source: APK}", "feature: werun}",
                                 r"rules\[\d+\]\.source", "missing field"),
    "endpoints: unknown feature": ("ingest", "endpoints.yaml", "feature: werun", "feature: jogging",
                                   r"rules\[\d+\]\.feature", "unknown feature 'jogging'"),
    "endpoints: payload with one key": ("ingest", "endpoints.yaml", "keys: [hash, ts, host, version, device]",
                                        "keys: [version]", r"payloads\[0\]\.keys",
                                        "a payload needs at least 2 keys"),
    "interfaces: misspelt key": ("ingest", "privacy_interfaces.yaml", "    information:", "    informaton:",
                                 r"interfaces\[0\]\.informaton", "unknown field"),
    "interfaces: wrong type": ("ingest", "privacy_interfaces.yaml", "read: 2026-12-05", "read: soon",
                               r"sources\.\w+\.read", "Input should be a valid date"),
    "interfaces: missing field": ("ingest", "privacy_interfaces.yaml", "    kind: api\n", "",
                                  r"interfaces\[0\]\.kind", "missing field"),
}


@pytest.mark.parametrize("case", MAPPINGS_CASES)
def test_a_broken_mapping_file_is_one_line_through_the_command_that_reads_it(case, mappings, tmp_path, capsys,
                                                                             monkeypatch):
    command, name, old, new, field, what = MAPPINGS_CASES[case]
    path = mappings / name
    line = mutate(path, old, new)
    line = entry_line(path, line) if new.count("\n") < old.count("\n") else line
    args = [command, "--mappings", str(mappings), "--db", str(tmp_path / "s.duckdb")]
    if command == "ingest":
        (tmp_path / "captures").mkdir()
        args.append(str(tmp_path / "captures"))
    expect(run_cli(args, capsys, monkeypatch), path, line, field, what)


PROFILE_CASES = {
    "misspelt key": ("values:", "valuez:", "valuez", "unknown field"),
    "wrong type": ("device: ", "device:\n  - ", "device", "Input should be a valid string"),
    "unknown data type": ("  imei:", "  imei_number:", r"values\.imei_number", r"unknown data type"),
    "bad pair": ("latitude:", "lat:", r"values\.precise_location", "a pair must be"),
}


@pytest.mark.parametrize("case", PROFILE_CASES)
def test_a_broken_profile_is_one_line_through_ingest_without_its_values(case, tmp_path, capsys, monkeypatch):
    old, new, field, what = PROFILE_CASES[case]
    path = tmp_path / "bad.yaml"
    shutil.copy(PROFILES / "citizenlab-2023.yaml", path)
    line = mutate(path, old, new)
    (tmp_path / "captures").mkdir()
    message = run_cli(["ingest", "--profile", str(path), "--db", str(tmp_path / "s.duckdb"),
                       str(tmp_path / "captures")], capsys, monkeypatch)
    expect(message, path, line, field, what)
    secret = DeviceProfile.load(PROFILES / "citizenlab-2023.yaml", ontology.load(config.mappings_dir()))
    assert not any(value in message for values in secret.values.values() for value in values if len(value) > 3)


def test_a_profile_without_values_names_the_missing_field(tmp_path, capsys, monkeypatch):
    path = tmp_path / "bad.yaml"
    path.write_text("device: test phone\n", encoding="utf-8")
    (tmp_path / "captures").mkdir()
    message = run_cli(["ingest", "--profile", str(path), "--db", str(tmp_path / "s.duckdb"),
                       str(tmp_path / "captures")], capsys, monkeypatch)
    expect(message, path, 1, "values", "missing field")


def test_a_broken_manifest_is_one_line_through_ingest(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "session"
    folder.mkdir()
    (folder / "startup.har").write_text('{"log": {"version": "1.2", "entries": []}}', encoding="utf-8")
    manifest = folder / "captures.yaml"
    manifest.write_text("defaults:\n  timezone: Asia/Shanghai\ncaptures:\n  startup.har:\n    scenario: x\n"
                        "    captured_at: yesterday\n", encoding="utf-8")
    message = run_cli(["ingest", "--db", str(tmp_path / "s.duckdb"), str(folder)], capsys, monkeypatch)
    expect(message, manifest, 6, r'captures\["startup\.har"\]\.captured_at', "Input should be a valid")
    manifest.write_text("defaults:\n  time_zone: Asia/Shanghai\n", encoding="utf-8")
    message = run_cli(["ingest", "--db", str(tmp_path / "s.duckdb"), str(folder)], capsys, monkeypatch)
    expect(message, manifest, 2, r"defaults\.time_zone", "unknown field")


OPP115_CASES = {
    "misspelt key": ("    data_types:", "    data_typs:", r'types(\.\w+|\[".+"\])\.data_typs',
                     "unknown field"),
    "wrong type": ("exact: [log_data]", "exact: {log_data: 1}", r'types\[".+"\]\.exact',
                   "Input should be a valid list"),
    "unknown data type": ("exact: [log_data]", "exact: [logs]", r'types\[".+"\]\.exact', r"unknown data type id"),
}


@pytest.mark.parametrize("case", OPP115_CASES)
def test_a_broken_opp115_map_is_one_line_through_eval_claims(case, mappings, tmp_path, capsys, monkeypatch):
    old, new, field, what = OPP115_CASES[case]
    path = mappings / "opp115.yaml"
    line = mutate(path, old, new)
    message = run_cli(["eval-claims", "--opp115", str(tmp_path), "--mappings", str(mappings)], capsys, monkeypatch)
    expect(message, path, line, field, what)


def test_an_opp115_map_without_types_names_the_missing_field(mappings, tmp_path, capsys, monkeypatch):
    path = mappings / "opp115.yaml"
    path.write_text("# nothing yet\n{}\n", encoding="utf-8")
    message = run_cli(["eval-claims", "--opp115", str(tmp_path), "--mappings", str(mappings)], capsys, monkeypatch)
    expect(message, path, 2, "types", "missing field")


SOURCE = 'declarations\\[1\\]\\.terms\\["Privacy Policy"\\]\\[0\\]'
SOURCES_CASES = {
    "misspelt key": ('"fetch": "https://weixin.qq.com', '"fech": "https://weixin.qq.com', rf"{SOURCE}\.fech",
                     r"unknown field \(expected one of"),
    "wrong type": ('"executeClientScripts": true', '"executeClientScripts": "yes"',
                   r'declarations\[0\]\.terms\["Privacy Policy"\]\.executeClientScripts', "expected true or false"),
    "missing field": ('"language": "zh"', '"lang": "zh"', rf"{SOURCE}\.lang", "unknown field"),
    "range selector": ('"select": "#js_content"', '"select": {"startBefore": "#a", "endBefore": "#b"}',
                       rf"{SOURCE}\.select", "range selectors"),
}


@pytest.mark.parametrize("case", SOURCES_CASES)
def test_a_broken_sources_file_is_one_line_through_scrape(case, tmp_path, capsys, monkeypatch):
    old, new, field, what = SOURCES_CASES[case]
    path = tmp_path / "sources.json"
    shutil.copy(config.sources_file(), path)
    line = mutate(path, old, new)
    message = run_cli(["scrape", "--sources", str(path), "--db", str(tmp_path / "s.duckdb"), "--snapshots",
                       str(tmp_path / "snap")], capsys, monkeypatch)
    expect(message, path, line, field, what)


def test_a_sources_file_missing_a_field_names_it_at_its_object(tmp_path):
    path = tmp_path / "sources.json"
    data = json.loads(config.sources_file().read_text(encoding="utf-8"))
    del data["declarations"][1]["terms"]["Privacy Policy"][1]["select"]
    text = json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    rows = text.splitlines()
    second = [n for n, row in enumerate(rows, 1) if '"fetch"' in row][2] - 1  # the '{' of the third source
    with pytest.raises(PolicycheckError) as err:
        load_sources(path)
    assert str(err.value) == f'{path}:{second}: {SOURCE.replace(chr(92), "")[:-3]}[1].select: missing field'


def test_sources_json_may_be_indented_with_tabs_and_keeps_its_lines(tmp_path):
    path = tmp_path / "sources.json"
    data = json.loads(config.sources_file().read_text(encoding="utf-8"))
    data["declarations"][0]["terms"]["Privacy Policy"]["select"] = "##x"
    text = json.dumps(data, indent="\t")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "##x" in row)
    with pytest.raises(PolicycheckError, match=rf":{line}: .*select: invalid CSS selector '##x'"):
        load_sources(path)


# package word lists: no command takes another file, so their loaders are called with a broken copy
WORD_LIST_CASES = {
    "patterns: misspelt key": (patterns.PATH, "\nuser_gives:", "\nuser_givs:", "user_givs", "unknown field"),
    "patterns: wrong type": (patterns.PATH, "holder_preps: [\"on\",", "holder_preps: [on,", r"holder_preps\[0\]",
                             "Input should be a valid string .YAML reads a bare yes/no/on/off"),
    "patterns: missing field": (patterns.PATH, "\nuser_gives:", "\n# user_gives:", "user_gives", "missing field"),
    "patterns: bad regex": (patterns.PATH, "retention_lead_in: \"", "retention_lead_in: \"(", "retention_lead_in",
                            "bad pattern"),
    "patterns: nested key": (patterns.PATH, "  max_tokens:", "  max_token:", r"skip\.max_token", "unknown field"),
    "lexicon: misspelt key": (GRAMMAR_FILE, "\nqualifiers:", "\nqualifierz:", "qualifierz", "unknown field"),
    "lexicon: wrong type": (GRAMMAR_FILE, "\ngroup_marker: 等", "\ngroup_marker: [等]", "group_marker",
                            "Input should be a valid string"),
    "lexicon: missing field": (GRAMMAR_FILE, "\nqualifiers:", "\n# qualifiers:", "qualifiers", "missing field"),
}


@pytest.mark.parametrize("case", WORD_LIST_CASES)
def test_a_broken_word_list_is_one_line_naming_file_line_and_field(case, tmp_path):
    source, old, new, field, what = WORD_LIST_CASES[case]
    path = tmp_path / source.name
    shutil.copy(source, path)
    line = mutate(path, old, new) + (1 if old.startswith("\n") else 0)
    load = patterns.load.__wrapped__ if source == patterns.PATH else load_grammar
    with pytest.raises(PolicycheckError) as err:
        load(path)
    message = str(err.value)
    if what == "missing field":  # reported at the mapping that lacks it: the file's first key
        rows = path.read_text(encoding="utf-8").splitlines()
        line = next(n for n, row in enumerate(rows, 1) if row.strip() and not row.startswith("#"))
    assert "\n" not in message
    assert re.match(rf"^{re.escape(str(path))}:{line}: {field}: {what}", message), message


def test_every_grammar_list_the_chinese_rules_name_exists():
    """Rules that name a grammar list by string (``phrase_at(text, pos, "first_party")``) name a field of
    :class:`Grammar`: a misspelt name would otherwise fail only when the rule runs."""
    named = set()
    for module in (PACKAGE / "claims" / "chinese").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        named |= set(re.findall(r"(?:phrase_at|phrase_ending)\([^()]*?\"(\w+)\"\)", text))
        named |= set(re.findall(r"\.words\(\"(\w+)\"\)", text))
    assert named, "no rule names a grammar list: update the pattern of this test"
    assert named <= set(Grammar.model_fields), named - set(Grammar.model_fields)


def test_aliases_that_expand_past_the_limit_and_deep_nesting_are_one_line_errors(tmp_path, onto):
    laughs = tmp_path / "laughs.yaml"
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    laughs.write_text("\n".join([*rows, "values: {imei: *a8}"]) + "\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match="values once YAML aliases are expanded"):
        DeviceProfile.load(laughs, onto)
    deep = tmp_path / "deep.yaml"
    deep.write_text("values: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match="nested too deeply"):
        DeviceProfile.load(deep, onto)
    deep_json = tmp_path / "sources.json"
    deep_json.write_text('{"declarations": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    with pytest.raises(PolicycheckError, match="nested too deeply"):
        load_sources(deep_json)


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path, onto):
    path = tmp_path / "profile.yaml"
    path.write_text("values:\n  imei: '490154203237518'\n  imei: '490154203237519'\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match=r"profile\.yaml:3: key 'imei' appears twice in one mapping "
                                               r"\(first at line 2\)"):
        DeviceProfile.load(path, onto)
