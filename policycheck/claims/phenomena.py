"""The phenomena of claim extraction that can be switched off, one by one, to see what each contributes
(``policycheck eval-claims --disable PHENOMENON``, an ablation as PoliGraph's evaluation runner offers: Cui et
al., USENIX Security 2023).

Each name is a real switch that both front ends honour (``head_words``: in English only for a record of an
operation and for coordinated modifiers over a generic head, ``english/enumerations.py``), at the module that
reads the phenomenon (``claims/english/`` and ``claims/chinese/``, one module per phenomenon); :data:`PHENOMENA`
says what the extractor does without it. An extractor with a phenomenon off carries ``-without-<names>`` in its
version, so its output is never taken for the full extractor's.
"""

from __future__ import annotations

from collections.abc import Iterable

from policycheck.errors import PolicycheckError

PHENOMENA: dict[str, str] = {
    "negation": "negated and not-asserted practices (english/negation.py, chinese/negation.py): off, every "
                "practice is read as asserted and not negated",
    "context": "the feature a practice's own words tie it to (english/context.py, chinese/context.py): off, a "
               "claim has a context only from a scope statement",
    "scope": "statements that take a feature, party or service out of the policy (english/scope.py, "
             "chinese/scope.py): off, nothing is excluded or handed off",
    "anaphora": "back-references (\"this information\", 上述信息) resolved to the data named before "
                "(english/enumerations.py, chinese/frame.py): off, they stay as written",
    "tables": "table rows read by their columns (english/tables.py, chinese/tables.py): off, a row is read as "
              "plain text",
    "lead_ins": "list items completed by the lead-in that introduces their list (english/extractor.py, "
                "chinese/extractor.py; zh-rules 2.6.0: an item of a list of recipients or places receives the "
                "lead-in's sharing or transfer, 关联公司。……, 加拿大安大略省；): off, each item is read alone",
    "parties": "parties the ontology does not name, read by their phrase (chinese/actors.py: a party noun "
               "phrase as subject, 商家可以获取; the head of a recipient after its relative clause; other users' "
               "access as display; english/actors.py: a role noun, 'third party publishers', 'the participating "
               "dealer'; a thing a third party runs, 'third-party advertising technology'; a web site's own "
               "affiliates, 'our subsidiaries'; other users who can see data, 'your contacts can view your "
               "nickname', as the first party's share to them; round 6: another party that can see or view data "
               "collects it, 'that website' / 'the platform' referring back to another party's site named before, "
               "a role noun of a feature we run, 'the creator of a sticker'; zh-rules 2.6.0: 在X内部共享 names X as "
               "the recipient, a party subject opening a sentence carries to its later subjectless clauses, "
               "任何……的第三方，均须……，并且禁止……): off, only named entities and "
               "pronouns are parties",
    "head_words": "data phrases the ontology does not name, typed by their head word and modifiers "
                  "(chinese/heads.py, chinese/enumerations.py: 操作系统类型, 登录时间, conjuncts sharing one head "
                  "设备和网络信息, pictures of an identity document 身份证正反面照片, records and contents typed by "
                  "their modifier 与客服的沟通记录; in English only coordinated modifiers over a generic head, "
                  "'contact, demographic and technical information', english/enumerations.py distributed): off, "
                  "such a phrase is personal_information (data_basis fallback)",
    "own_names": "the names a web site's policy gives its own party, read once per document (english/own_names.py: "
                 "'Acme Inc. (\"Acme\", \"we\")', 'Acme respects your privacy', 'this web site is operated by "
                 "Acme'; the Chinese front end reads no such names): off, only 'we', the domain's name and "
                 "'this Web site' name the first party",
}


def parse(names: Iterable[str]) -> frozenset[str]:
    """The phenomena named (``--disable`` values). Raises :class:`PolicycheckError` (one line, listing the known
    names) for a name that is not in :data:`PHENOMENA`."""
    chosen = frozenset(names)
    unknown = sorted(chosen - PHENOMENA.keys())
    if unknown:
        raise PolicycheckError("--disable", f"unknown phenomenon {', '.join(map(repr, unknown))}; known: "
                                            f"{', '.join(PHENOMENA)}")
    return chosen
