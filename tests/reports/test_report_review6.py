"""Review6: the report's definition quotes (audit7) rendered for a finding of any class.

``findings[].definitions`` (:func:`policycheck.reports.findings._definitions`) carry no ``features``; only the clear
disclosures' merged list (:meth:`policycheck.reports.write.View.definitions_of`) does. The ``definitions`` macro read
``x.features`` under the templates' strict undefined, so a vague, incorrect or handed-off finding resting on a
definition ("We do not collect Location Data", a member above the data type) raised ``UndefinedError`` and no
report was written.
"""

from __future__ import annotations

import pytest

from policycheck.reports.write import View, environment

VERSION = {"document_id": "example-privacy-policy", "effective_date": "2024-01-01", "valid_from": "2024-01-01"}
BLOCK = {"block_id": 7, "text": "Location Data: GPS <coordinates> and the Wi-Fi networks near you.", "version_id": 3,
         "section_path": "1 > Definitions", "term_text": "Location Data",
         "members": [{"member_text": "GPS", "data_types": ["precise_location"]}]}
REPORT = {"captures": [], "findings": [{"id": "finding-vague-wechat-people_nearby", "feature": "people_nearby",
                                        "definitions": [BLOCK]}],
          "versions": {"3": VERSION}}


@pytest.mark.parametrize("name", ["macros.md.j2", "macros.html.j2"])
def test_a_findings_definitions_render_without_features(name):
    macros = environment().get_template(name).module
    text = str(macros.definitions(View(REPORT), REPORT["findings"][0]["definitions"]))
    assert "example-privacy-policy, effective 2024-01-01" in text and "GPS" in text and "precise_location" in text
    assert "; in " not in text  # no feature list for one finding's own definitions
    assert "<coordinates>" not in text  # text from the policy never raw HTML (md: &lt;, html: escaped)


@pytest.mark.parametrize("name", ["macros.md.j2", "macros.html.j2"])
def test_merged_definitions_name_the_features_resting_on_them(name):
    view = View(REPORT)
    blocks = view.definitions_of(["finding-vague-wechat-people_nearby"])
    text = str(environment().get_template(name).module.definitions(view, blocks))
    assert "; in people_nearby" in text
