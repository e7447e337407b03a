"""The feature (context) of a sentence, of its numbered clause, and scope statements.

A clause of the Weixin guidelines names its feature once, in its opening condition (1.6 当你使用小程序功能时…);
its other sentences and continuation paragraphs inherit it (the plain-text reader gives a continuation
paragraph the clause's first sentence as ``lead_in``). A sentence with its own 当-frame (当你使用直播预约功能时)
or a condition naming a feature uses that instead. Among several features named in the conditions, those on one
branch of the ontology give the most general (注册/使用微信账号 -> account), otherwise the first one named wins
(附近的人、…附近的小程序 -> people_nearby). The root feature (微信) means no restriction: None.

Without a condition, two weaker signals: a locative 在 + feature (我们将在微信游戏的……场景收集) and the topic of a
scope statement (微信支付功能由财付通……提供, :mod:`.scope`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from policycheck.claims.chinese.clauses import SentenceView
from policycheck.claims.chinese.conditions import Span
from policycheck.ontology import Ontology

if TYPE_CHECKING:  # scope reads features with this module
    from policycheck.claims.chinese.scope import ScopeStatement


@dataclass(frozen=True)
class Context:
    """A sentence's feature: ``own`` when the sentence states its own condition (then it overrides the clause's)."""

    feature: str | None
    own: bool
    weak: str | None = None  # locative or scope-topic feature, used only without any condition


def roots(onto: Ontology) -> set[str]:
    return {fid for fid, c in onto.features.items() if not c.parents}


def pick_feature(onto: Ontology, features: list[str]) -> str | None:
    """One feature for a list named in order of preference: the most general if they lie on one branch, else
    the first."""
    chosen = [f for f in dict.fromkeys(features) if f not in roots(onto)]
    if not chosen:
        return None
    on_branch = all(onto.is_a("feature", a, b) or onto.is_a("feature", b, a) for a in chosen for b in chosen)
    if on_branch:
        return min(chosen, key=lambda f: len(onto.ancestors("feature", f)))
    return chosen[0]


def features_in(sv: SentenceView, start: int, end: int) -> list[str]:
    """Feature readings of mentions in ``[start, end)`` outside brackets, in order; a feature named as the
    thing used (使用小微功能, 使用附近的人) comes before features that only set the scene (在公众号、视频号等场景中)."""
    base = sv.depth[start] if start < len(sv.depth) else 0
    scored = []
    for m in sv.mentions_in(start, end):
        if not m.feature or (sv.depth[m.start] > base and not _quoted_name(sv, m.start, m.end, base)):
            continue
        used = sv.text.endswith(("使用", "开通", "打开", "进入"), 0, m.start) or m.text.endswith("功能") \
            or sv.text.startswith(("功能", "服务"), m.end)
        scored.append((0 if used else 1, m.start, m.feature))
    return [f for _, _, f in sorted(scored)]


def _quoted_name(sv: SentenceView, start: int, end: int, base: int) -> bool:
    """True when the feature name fills a pair of quotes one level down (当你使用“附近的人”时: a UI label names the
    feature it quotes; round 12)."""
    return sv.depth[start] == base + 1 and sv.text[start - 1:start] in "“「\"" and sv.text[end:end + 1] in "”」\"" \
        and start > 0 and end < len(sv.text)


def sentence_context(sv: SentenceView, conditions: list[Span], onto: Ontology,
                     scopes: list[ScopeStatement]) -> Context:
    """The sentence's own feature (from its conditions) or its weak signals."""
    named: list[str] = []
    has_when = False
    for c in conditions:
        named += features_in(sv, c.start, c.end)
        has_when = has_when or c.kind == "frame_when"
    feature = pick_feature(onto, named)
    weak = None
    for scope in scopes:
        weak = weak or scope.feature
    if weak is None:
        for m in sv.mentions_in(sv.start, sv.end, top_level=True):
            if m.feature and m.start > 0 and sv.text[m.start - 1] == "在" and not any(
                    c.start <= m.start < c.end for c in conditions) and _locative(sv, m.end):
                weak = pick_feature(onto, [m.feature])
                if weak:
                    break
    return Context(feature, own=bool(feature) or has_when, weak=weak)


def _locative(sv: SentenceView, pos: int) -> bool:
    """True when the 在-phrase ending somewhere after ``pos`` leads to a verb (我们将在微信游戏的……场景收集), not
    to 的 (你在视频号等场景内的关注 is a noun phrase)."""
    for token in sv.tokens:
        if token.start < pos:
            continue
        if token.text == "的" or token.text in "，,。；;":
            return False
        if token.tag == "v":
            return True
    return False


def resolve(own: Context, clause: str | None) -> str | None:
    """The context of a claim: the sentence's own, else the clause's, else the sentence's weak signal."""
    if own.own:
        return own.feature
    return clause or own.weak
