"""Scope: statements that take a feature or a party's practices out of the policy (``scope = 'excluded'``).

1. Scope statements: "X由Y(向你)提供" with Y another party than the first party says that Y, not the policy's
   first party, runs X: a claim (actor Y, collect, personal_information, scope excluded) in X, e.g. 1.36
   微信服务中的第三方服务由外部第三方主体提供, 1.13 微信支付功能由财付通支付科技有限公司……向你提供服务.
2. Hand-off to a party's own terms: when a block names another party's own terms (a title 《财付通隐私政策》
   naming the party or a feature it operates, with a policy word of ``lexicon.yaml`` ``own_terms``), every
   claim of that party in the block is excluded: "财付通公司会收集你的姓名……；如需进一步了解微信支付功能的隐私
   政策，你可以进一步查阅《财付通隐私政策》" -> Tenpay's collection in Weixin Pay is handed to Tenpay. Like the
   English hand-off (:mod:`policycheck.claims.english.scope`), an excluded claim always names a feature: its
   own, else the scope statement's, else the feature the party operates (``features.yaml`` ``operator``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.context import pick_feature
from policycheck.claims.chinese.lexicon import Lexicon
from policycheck.claims.model import ClaimDraft
from policycheck.ontology import Ontology

_TITLE_OPEN, _TITLE_CLOSE = "《", "》"


@dataclass(frozen=True)
class ScopeStatement:
    start: int  # of the topic
    end: int  # after 提供
    entity: str
    topic: str
    feature: str | None
    verb_start: int


def scope_statements(sv: SentenceView, first_party: str, onto: Ontology) -> list[ScopeStatement]:
    """"X由Y(向你)提供(服务)" statements whose Y is not the first party (see the module docstring)."""
    out: list[ScopeStatement] = []
    text = sv.text
    pos = sv.start
    while True:
        at = text.find("由", pos, sv.end)
        if at == -1:
            break
        pos = at + 1
        if not sv.outside(at):
            continue
        verb = text.find("提供", at, min(sv.end, at + 40))
        if verb == -1 or any(text[k] in "，。；,;" for k in range(at, verb) if sv.outside(k)):
            continue
        if text.startswith("的", verb + 2):
            continue  # 接入了由第三方提供的软件开发包: a relative clause naming a thing, no statement about a feature
        entities = [m for m in sv.mentions_in(at, verb) if m.entity and sv.outside(m.start)]
        if not entities:
            if not _party_phrase(sv, at + 1, verb):
                continue
            entity = "third_party"  # 由企业微信运营方提供: a party the ontology does not name (round 19)
        elif (entity := entities[0].entity) is None \
                or _is_first_party(entity, first_party, onto, sv.lexicon, entities[0].text):
            continue  # 由我们/腾讯提供: the first party itself
        clause_start = sv.skip_connectors(sv.clause_of(at)[0])
        topic = text[clause_start:at]
        features = [m.feature for m in sv.mentions_in(clause_start, at) if m.feature]
        out.append(ScopeStatement(clause_start, verb + 2, entity, topic.strip(), pick_feature(onto, features[-1:]),
                                  verb))
    return out


_MAX_PARTY_PHRASE = 12  # characters of a party noun phrase between 由 and 提供 (企业微信运营方, 该地图服务商)


def _party_phrase(sv: SentenceView, start: int, end: int) -> bool:
    """True when ``[start, end)`` is a short noun phrase ending in a party noun (``party_nouns``: 运营方, 服务商)
    with no verb and no 的 in it: an operator the ontology does not name."""
    words = sv.text[start:end].strip()
    noun = next((n for n in sv.lexicon.grammar.party_nouns if words.endswith(n)), None)
    if noun is None or "的" in words or len(words) > _MAX_PARTY_PHRASE:
        return False
    head = end - len(noun)  # (运营方, 服务方: jieba may tag the party noun itself a verb)
    return not any(start <= t.start < head and t.tag.startswith("v") for t in sv.tokens)


def own_terms_parties(texts: list[str], lexicon: Lexicon, onto: Ontology, first_party: str) -> set[str]:
    """Parties other than the first party whose own terms ``texts`` name: a title 《…》 with a policy word
    (``own_terms``) naming the party or a feature it operates (《财付通隐私政策》 -> weixin_pay)."""
    parties: set[str] = set()
    for text in texts:
        start = text.find(_TITLE_OPEN)
        while start != -1:
            end = text.find(_TITLE_CLOSE, start)
            if end == -1:
                break
            title = text[start + 1:end]
            if any(word in title for word in lexicon.grammar.own_terms):
                for m in lexicon.mentions(title):
                    party = m.entity or (onto.features[m.feature].attrs.get("operator") if m.feature else None)
                    if party and not _is_first_party(party, first_party, onto, lexicon, m.text):
                        parties.add(party)
            start = text.find(_TITLE_OPEN, end)
    return parties


def hand_off(claims: list[ClaimDraft], parties: set[str], onto: Ontology) -> list[ClaimDraft]:
    """``claims`` with every in-scope claim whose actor is one of ``parties`` (or a kind of one) excluded, in its
    context, else the feature of the block's scope statement for that party, else the feature it operates."""
    if not parties:
        return claims
    stated = {c.actor: c.context for c in claims if c.scope == "excluded" and c.context}
    out = []
    for c in claims:
        party = next((p for p in parties if onto.is_a("entity", c.actor, p)), None)
        if party is None or c.scope == "excluded":
            out.append(c)
            continue
        context = c.context or stated.get(c.actor) or operated_feature(onto, party)
        out.append(replace(c, scope="excluded", context=context))
    return out


def operated_feature(onto: Ontology, party: str) -> str | None:
    """The most general feature ``party`` operates (``features.yaml`` ``operator``), or None."""
    return pick_feature(onto, [f for f, c in onto.features.items() if c.attrs.get("operator") == party])


def _is_first_party(entity: str, first_party: str, onto: Ontology, lexicon: Lexicon, text: str) -> bool:
    return entity == first_party or onto.is_a("entity", first_party, entity) or text in lexicon.grammar.first_party
