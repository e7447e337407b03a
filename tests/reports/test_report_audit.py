"""What a fact-checker found misleading in the real report (../shared): each finding's policy history must
name the sentence that explains each class change."""

from __future__ import annotations

DISCLOSES = {"clear": 3, "vague": 2, "omitted": 1}


def _changes(report):
    for finding in report["findings"]:
        for history in finding["histories"]:
            for change in history["changes"]:
                yield history["data_types"], change


def test_history_explains_a_loss_by_what_was_dropped(real_report):
    """The WeChat policy named the UIN in a table row (2024-12-16) and dropped that row (2025-12-18): the
    history says so, instead of quoting a sentence the new version added."""
    report = real_report.report
    losses = [(types, c) for types, c in _changes(report) if c["claim_id"] and c["to_class"] in DISCLOSES
              and DISCLOSES[c["to_class"]] < DISCLOSES.get(c["from_class"], 0)]
    assert losses
    assert all(c["change"] == "dropped" for _, c in losses), [c for _, c in losses if c["change"] != "dropped"]
    uin = [c for types, c in _changes(report) if "internal_user_id" in types and c["to_class"] == "clear"]
    assert uin, "the UIN's history no longer turns clear"
    for change in uin:
        claim = report["claims"][str(change["claim_id"])]
        sentence = report["sentences"][claim["sentence_id"]]["text"]
        assert claim["data_text"].lower() in sentence.lower(), sentence
