"""The names a web site's policy gives its own party (round `opp16`, ``claims/english/own_names.py``): a name
declared in one block of a document ("Kestrel Outfitters, Inc. ("Kestrel", "we" or "us")", "Kestrel respects your
privacy", "This is the web site of ...") resolves to the first party in every other block of it, through the real
pipeline (archive import, ``policycheck extract``). Constructed policies of our own (none copied from OPP-115),
each site's domain unrelated to its name; guards for names of other parties and for generic defined terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.claims import pipeline
from policycheck.claims.english.own_names import own_names
from policycheck.claims.evaluate import evaluate, load_gold
from policycheck.claims.model import BlockInput
from policycheck.policies.archive import import_archive
from tests.claims.test_english_generalize import read, tuples
from tests.conftest import workspace

SITE = "hatshop.com"
FIRST = "hatshop_com"


def blocks(*texts: str) -> list[BlockInput]:
    return [BlockInput("paragraph", t, "", "en", FIRST) for t in texts]


@pytest.mark.parametrize("opening, name", [
    ('Kestrel Outfitters, Inc. ("Kestrel", "we", "us" or "our") respects the privacy of its visitors.', "kestrel"),
    ("Kestrel Outfitters and Kestrel Retail SARL (collectively, Kestrel) operate this web site.", "kestrel"),
    ('At the Marlow Publishing Group, Inc. ("Marlow"), we value our readers.', "marlow"),
    ("Our Commitment to Privacy Lantern Books values your time and respects your privacy.", "lanternbooks"),
    ("This is the web site of the Northern Plains Credit Union of Fargo.", "northernplainscreditunionoffargo"),
    ("This privacy statement describes how Orchard Media collects and uses your information.", "orchardmedia"),
    ("Bluefin Travel has adopted this privacy policy to explain its practices.", "bluefintravel"),
    ('Welcome. Harbor Games LLC ("we") publishes games.', "harborgames"),
    ('Later on: Quill Lending Corporation ("QLC") respects and protects customer privacy.', "qlc"),
    ('Fenwick Bros. Studios ("Fenwick" or "we") makes short films.', "fenwickbrosstudios"),
    ('Tallis Media, Inc. and its affiliates (collectively, "Tallis") run these sites.', "tallis"),
    ("Corvo Holdings Ltd. and its subsidiaries (hereinafter 'Corvo') publish this notice.", "corvo"),
])
def test_declared_names_are_found(onto, opening, name):
    """Definitional parentheticals with "we" (PolicyLint's "X ("we")"), a parenthetical in the policy's opening,
    "X respects/values your privacy", "this web site of X", "this policy describes how X collects", "X has
    adopted this policy": each declares the policy's own name (title words run into it are dropped)."""
    assert name in own_names(blocks(opening, "We collect your name."), onto), opening


@pytest.mark.parametrize("text", [
    'We use Google Analytics ("Google", "we" do not control it) to count visits.',
    'Later on, we list our partners. Digital Advertising Alliance ("DAA") runs an opt-out page.',
    'Our Advertising Partners ("Partners", "we") may set cookies.',
    'Facebook respects your privacy settings.',
    'These terms govern the Kestrel Websites ("Websites") and our services ("Services", "we").',
    'Personal Information ("PI") means information that identifies you.',
])
def test_other_parties_and_terms_are_not_names(onto, text):
    """Guards: a party the entity ontology knows (Google, Facebook), a role noun ("Advertising Partners"), a
    bare parenthetical outside the policy's opening, a defined thing ("Websites", "Services") is never the
    first party's name."""
    found = own_names(blocks("Privacy Policy", "We respect you.", "We collect data.", text), onto)
    assert not {"google", "facebook", "daa", "digitaladvertisingalliance", "advertisingpartners", "partners",
                "websites", "services", "kestrelwebsites", "pi", "personalinformation"} & set(found), (text, found)


def test_a_known_first_party_learns_no_names(onto):
    """A policy whose first party the ontology knows (WeChat) keeps the ontology's names only."""
    assert own_names([BlockInput("paragraph", 'Kestrel Ltd. ("Kestrel", "we") runs this app.', "", "en",
                                 "wechat")], onto) == ()


@pytest.mark.parametrize("text, wanted", [
    ("Kestrel's servers log your IP address.", (FIRST, "collect", False, "ip_address")),
    ("You may provide Kestrel with your email address.", (FIRST, "collect", False, "email_address")),
    ("Content is any material submitted by you to Kestrel through this site.", (FIRST, "collect", False,
                                                                                "user_content")),
    ("Information provided to Kestrel is stored in the United States.", (FIRST, "collect", False,
                                                                         "personal_information")),
    ("Information provided to the Northern Plains Bank of Fargo is stored in the United States.",
     (FIRST, "collect", False, "personal_information")),
])
def test_a_declared_name_is_the_first_party(extractor, text, wanted):
    """A block whose document declared "Kestrel" (or "the Northern Plains Bank of Fargo", a role noun in its
    name) its own name: the name as possessor, recipient or passive agent is the first party (a name the domain
    does not spell: before, no claim)."""
    names = ("kestrel", "northernplainsbankoffargo")
    assert wanted in tuples(read(extractor, text, FIRST, own_names=names)), text
    assert wanted not in tuples(read(extractor, text, FIRST)), text


@pytest.mark.parametrize("text, wanted", [
    ("Information Collection Kestrel or third parties may collect information from our users at several points.",
     (FIRST, "collect", False, "personal_information")),
    ("Cookies Kestrel or its partners may use cookies and web beacons to learn how you use the site.",
     (FIRST, "collect", False, "cookies")),
    ("Online Advertising Kestrel also uses cookies to manage our advertising.", (FIRST, "collect", False, "cookies")),
])
def test_a_declared_name_after_heading_words(extractor, text, wanted):
    """A heading run into its first sentence (as website text is often scraped): the declared name ending the
    run of capitalised words is the subject (before: the third party alone, or no claim)."""
    names = ("kestrel", "northernplainsbankoffargo")
    assert wanted in tuples(read(extractor, text, FIRST, own_names=names)), text
    assert wanted not in tuples(read(extractor, text, FIRST)), text


def test_the_head_noun_of_a_declared_name(extractor):
    """"The Bank" in the policy of "the Northern Plains Bank of Fargo" is the policy's own party."""
    names = own_names(blocks("This is the web site of the Northern Plains Bank of Fargo.",
                             "The Bank respects your privacy."), extractor.onto)
    assert "the bank" in names
    found = tuples(read(extractor, "You may send the Bank your email address.", FIRST, own_names=names))
    assert (FIRST, "collect", False, "email_address") in found


POLICY = """Privacy Policy

Effective date: January 1, 2024

Kestrel Outfitters, Inc. ("Kestrel", "we", "us" or "our") respects the privacy of the visitors of this site.

Information We Collect. When you order, you may provide Kestrel with your email address and your shipping address.

Kestrel's servers log your IP address and your browser type.

Sharing. We do not sell your information to Google or to other advertisers.

Security. We protect the information we hold with reasonable physical, technical and administrative safeguards.

Children. This site is not directed to children under thirteen years of age.

Contact. If you have questions about this policy, write to the privacy office at our store address.
"""


def _import(tmp_path: Path, con, onto):
    folder = tmp_path / SITE
    folder.mkdir()
    (folder / f"{SITE}_2024-01-01.txt").write_text(POLICY, encoding="utf-8")
    ws = workspace(con, onto)
    return ws, import_archive(ws, folder, service=SITE, doc_type="Privacy Policy", language="en")


def test_a_name_defined_in_one_block_resolves_in_the_others(tmp_path: Path, con, onto, extractor):
    """Through the real pipeline: the archive import splits the policy into blocks, ``extract`` reads the
    document's names once and every block resolves "Kestrel" to the first party; read alone (no names) the
    later block states no first-party collection."""
    ws, _ = _import(tmp_path, con, onto)
    pipeline.extract(ws)
    rows = set(con.execute("select data_type from claims where actor_role = 'first_party' and action = 'collect' "
                           "and not negated").fetchall())
    assert {("email_address",), ("ip_address",), ("browser_information",)} <= rows
    assert con.execute("select distinct first_party from documents").fetchall() == [(FIRST,)]
    alone = tuples(read(extractor, "Kestrel's servers log your IP address and your browser type.", FIRST))
    assert (FIRST, "collect", False, "ip_address") not in alone


def test_eval_claims_reads_a_stored_block_with_its_documents_names(tmp_path: Path, con, onto):
    """``eval-claims`` reads a stored block as ``extract`` does: with the names of its document (and without
    them under ``--disable own_names``)."""
    _, imported = _import(tmp_path, con, onto)
    gold = tmp_path / "gold.yaml"
    gold.write_text(f"""- id: opp16-001
  document: {imported.document.document_id}
  version: 2024-01-01
  block: "Kestrel's servers log"
  split: dev
  claims:
    - {{actor_role: first_party, action: collect, negated: false, data_type: [ip_address, browser_information],
       context: null}}
""", encoding="utf-8")
    items = load_gold([gold])
    assert evaluate(con, onto, items).scores["dev"]["tuples"].recall == 1.0
    assert evaluate(con, onto, items, frozenset({"own_names"})).scores["dev"]["tuples"].recall == 0.0


def test_a_block_of_one_endless_name_is_read_in_linear_time():
    """A block that is one run of capitalised abbreviations ("A.A.A...", 300 KB) was one candidate word of unbounded
    length at every start: the definitional search was quadratic (minutes). Run in a subprocess that must finish
    well within its timeout (a few seconds now)."""
    import subprocess
    import sys
    code = ("from pathlib import Path; from policycheck import ontology; "
            "from policycheck.claims.english.own_names import own_names; "
            "from policycheck.claims.model import BlockInput; "
            "b = BlockInput('paragraph', 'A.' * 150_000, 'x', 'en', 'acme_example'); "
            "print(own_names([b], ontology.load(Path('mappings'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "()"
