"""The English extractor on text it was not built on (issue 9): data phrases the ontology does not name,
coordinated verbs, retention tables, conditions and data subjects, hand-offs, website policies with an
arbitrary first party, and the OPP-115 evaluation on real policies from ../shared."""

from __future__ import annotations

import json

import pytest

from policycheck import store
from policycheck.claims import pipeline
from policycheck.claims.model import BlockInput, BlockResult
from policycheck.claims.opp115 import evaluate_opp115, load_segments, load_type_map, segment_spans
from policycheck.policies.archive import import_archive, read_archive
from tests.conftest import require_shared, workspace


def read(extractor, text: str, first_party: str = "wechat", kind: str = "paragraph", **extra) -> BlockResult:
    return extractor.extract([BlockInput(kind, text, "", "en", first_party, **extra)])[0]


def tuples(result: BlockResult) -> set[tuple]:
    return {(c.actor, c.action, c.negated, c.data_type) for c in result.claims}


def test_unmapped_phrases_are_kept_with_their_basis(extractor):
    result = read(extractor, "We collect your name, your user ID, your login times and your favourite colour.")
    found = {(c.data_text, c.data_type, c.data_basis) for c in result.claims}
    assert ("name", "name", "lexicon") in found
    assert ("user ID", "identifier", "head_word") in found  # the head word names the concept
    assert ("login times", "login_data", "head_word") in found  # an attribute noun typed by its modifier
    assert ("favourite colour", "personal_information", "fallback") in found  # listed beside data, nothing known
    device = read(extractor, "We may collect information about you, your device, or your use of the services.")
    assert {(c.data_type, c.data_basis) for c in device.claims} >= {("device_information", "head_word"),
                                                                    ("usage_data", "head_word")}


def test_non_data_nouns_stay_out(extractor):
    for text in ("We use your information to improve our services and features.",
                 "We collect your feedback for the purposes described below.",
                 "If you wish us to transfer your data, please ensure you provide details of such party."):
        types = {c.data_type for c in read(extractor, text).claims}
        assert not types - {"personal_information", "customer_support_information"}, (text, types)
        assert all(c.data_text.lower() not in ("services", "features", "purposes", "details of such party")
                   for c in read(extractor, text).claims), text


@pytest.mark.parametrize("text, actor, actions", [
    ("We collect, use and share your location.", "wechat", {"collect", "use", "share"}),
    ("We will collect, use, retain and disclose your IP address.", "wechat", {"collect", "use", "retain", "share"}),
    ("We may collect and use your email address.", "wechat", {"collect", "use"}),
    ("We collected, used, and disclosed your name.", "wechat", {"collect", "use", "share"}),
    ("Your information may be collected, retained and/or shared by service providers.", "service_provider",
     {"collect", "retain", "share"}),
])
def test_coordinated_verbs_yield_every_action(extractor, text, actor, actions):
    result = read(extractor, text)
    assert {c.action for c in result.claims if c.actor == actor} == actions
    assert all(c.actor == actor for c in result.claims)


def test_retention_tables_yield_retain(extractor):
    cells = ("Email address", "Three years after your last log in.")
    by_header = read(extractor, " | ".join(cells), kind="table_row", header=("Type of data", "How long we keep it"),
                     cells=cells)
    assert ("wechat", "retain", False, "email_address") in tuples(by_header)
    assert not any(c.action == "collect" for c in by_header.claims)
    by_lead_in = read(extractor, " | ".join(cells), kind="table_row", header=("Data", "Notes"), cells=cells,
                      lead_in="We keep the following data for the periods below:")
    assert ("wechat", "retain", False, "email_address") in tuples(by_lead_in)
    purposes = read(extractor, " | ".join(cells), kind="table_row", header=("Data", "Purpose"), cells=cells)
    assert {c.action for c in purposes.claims} == {"collect"}


def test_conditions_and_children_of_a_denial(extractor):
    result = read(extractor, "We do not knowingly collect Personal Information from any children under the age of "
                             "16 without such consent.")
    (claim,) = result.claims
    assert claim.negated and claim.action == "collect" and claim.data_subject == "children"
    assert "knowingly" in claim.condition and "without such consent" in claim.condition
    positive = read(extractor, "We collect your child's personal information with parental consent.")
    assert {(c.negated, c.data_subject) for c in positive.claims} == {(False, "children")}
    assert "with parental consent" in positive.claims[0].condition
    law = read(extractor, "We will not share your personal information unless required by law.")
    assert law.claims[0].negated and law.claims[0].condition == "unless required by law"
    assert law.claims[0].data_subject is None
    anyone = read(extractor, "We do not intentionally collect information about anyone under 13.")
    assert anyone.claims[0].data_subject == "children" and "intentionally" in anyone.claims[0].condition


def test_operators_under_their_own_terms_are_handed_off(extractor):
    pay = read(extractor, "When you use WeChat Pay, your payment information is collected by Tenpay and is governed "
                          "by the Tenpay Privacy Policy.")
    assert {(c.actor, c.scope, c.context) for c in pay.claims} == {("weixin_pay", "excluded", "payments")}
    developers = read(extractor, "Mini Programs are operated by third party developers, who collect your information "
                                 "under their own privacy policies.")
    assert {(c.actor, c.scope, c.context) for c in developers.claims} == {
        ("mini_program_developer", "excluded", "mini_programs")}


def test_a_website_first_party(extractor):
    site = "redorbit_com"
    assert tuples(read(extractor, "RedOrbit, Inc. collects your email address.", site)) == {
        (site, "collect", False, "email_address")}
    assert tuples(read(extractor, "This Web site requests information such as your zip code.", site)) >= {
        (site, "collect", False, "postal_code")}
    assert tuples(read(extractor, "If you choose to enter a contest, we will ask you to provide your name and "
                                  "address.", site)) == {(site, "collect", False, "name"),
                                                         (site, "collect", False, "postal_address")}
    cookies = read(extractor, "We use cookies and web beacons to remember your preferences.", site)
    assert (site, "collect", False, "cookies") in tuples(cookies)
    listed = read(extractor, "We gather certain information automatically. This information may include IP "
                             "addresses, browser type and referring pages.", site)
    assert {"ip_address", "browser_information"} <= {c.data_type for c in listed.claims if c.action == "collect"}


def test_the_2020_children_denial_is_conditional_and_about_children(con, onto):
    import_archive(workspace(con, onto), require_shared("datasets", "policies", "wechat-privacy-policy"))
    versions = [r[0] for r in con.execute(
        "select version_id from versions where effective_date between date '2020-01-01' and date '2020-12-31'")
        .fetchall()]
    pipeline.extract(workspace(con, onto), version_ids=versions)
    rows = con.execute("select negated, condition, data_subject, data_type from claims where action = 'collect' "
                       "and sentence like 'We do not knowingly collect Personal Information from any children%'"
                       ).fetchall()
    assert rows and all(negated and "knowingly" in condition and "without such consent" in condition
                        and subject == "children" for negated, condition, subject, _ in rows)
    unconditional = con.execute("select count(*) from claims where negated and action = 'collect' and condition "
                                "is null and data_subject is null and list_contains(?, version_id)",
                                [versions]).fetchall()[0][0]
    assert unconditional == 0
    # every unmapped phrase is listed by the view, with how often it was found
    view = con.execute("select data_text, data_basis, claims from unmapped_data_phrases").fetchall()
    counted = con.execute("select count(*) from claims where data_basis <> 'lexicon' and scope = 'in_scope'"
                          ).fetchall()[0][0]
    assert view and {b for _, b, _ in view} <= {"head_word", "fallback"} and sum(n for *_, n in view) == counted


OPP = ("datasets", "opp115-dev")


def test_opp115_segments_are_found_in_the_imported_text(tmp_path, onto):
    folder = require_shared(*OPP)
    segments = load_segments(folder)
    policy = "1034_aol.com"
    files = read_archive(folder / "policies" / policy)
    spans = segment_spans(files[0].parsed.text, segments[policy])
    assert all(a >= 0 for a, _ in spans) and spans == sorted(spans)


def test_opp115_evaluation_on_a_few_policies(onto):
    folder = require_shared(*OPP)
    from policycheck import config
    type_map = load_type_map(config.mappings_dir() / "opp115.yaml", onto)
    chosen = ["1034_aol.com", "1050_honda.com", "1106_allstate.com"]
    result = evaluate_opp115(folder, onto, type_map, chosen)
    # the pairs are the labels of these policies, counted here from labels.jsonl directly
    labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = sum(len([c for c in row["categories"] if c in type_map.types]) for row in labels
                   if row["policy"] in chosen)
    assert sum(result.pairs.values()) == expected and result.policies == 3 and not result.missing
    assert result.recall() >= 0.5 and result.segment_precision >= 0.8
    assert result.hits["Contact"] > 0 and result.hits["Cookies and tracking elements"] > 0


def test_opp115_mapping_names_known_types(onto, tmp_path):
    from policycheck import config
    from policycheck.errors import PolicycheckError
    type_map = load_type_map(config.mappings_dir() / "opp115.yaml", onto)
    assert len(type_map.types) == 14
    assert type_map.belongs(onto, "postal_code", "Contact") and type_map.belongs(onto, "postal_code", "Location")
    assert not type_map.belongs(onto, "email_address", "Generic personal information")
    bad = tmp_path / "opp115.yaml"
    bad.write_text("types:\n  Contact: {data_types: [no_such_type]}\n", encoding="utf-8")
    with pytest.raises(PolicycheckError, match="no_such_type"):
        load_type_map(bad, onto)


def test_read_open_lists_unmapped_phrases(db_path, onto):
    con = store.open_store(db_path, store.WRITE)
    con.close()
    con = store.open_store(db_path, store.READ)
    assert con.execute("select count(*) from unmapped_data_phrases").fetchall() == [(0,)]
    con.close()
