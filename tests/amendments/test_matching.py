"""Paragraphs are followed from one revision to the next by their words, not their numbers; each
amendment gets one status against the new text."""

from __future__ import annotations

import pytest

from drafting.amendments.matching import match_paragraphs
from drafting.amendments.uptake import assess

OLD = [
    "We commit to collect and use accurate and disaggregated data as a basis for policies.",  # 0
    "We commit to ensure that all migrants have proof of legal identity.",  # 1
    "We commit to save lives and establish coordinated international efforts on missing migrants.",  # 2
    "We commit to strengthen the transnational response to smuggling of migrants.",  # 3
    "Local authorities are essential partners in the implementation of this compact.",  # 4
    "Local authorities are essential partners in the review of this compact.",  # 5
]


def by_old(matches):
    return {m.old: m for m in matches if m.old is not None}


def test_unchanged_paragraphs_are_found_however_renumbered_or_moved():
    new = [OLD[1], OLD[0], OLD[2], OLD[3], OLD[4], OLD[5]]
    matches = by_old(match_paragraphs(OLD, new))
    assert matches[0].new == 1 and matches[0].change == "unchanged"
    assert matches[1].new == 0
    assert sum(m.moved for m in matches.values()) == 1  # one paragraph moved, not two


def test_an_edited_paragraph_follows_its_words_even_when_its_old_number_holds_other_words():
    new = [
        "We commit to ensure that all migrants have proof of legal identity.",  # was 1, now first
        "We commit to collect and use accurate, timely and disaggregated data as a basis for "
        "evidence-based policies.",  # edited 0
        OLD[3], OLD[4], OLD[5],
    ]
    matches = by_old(match_paragraphs(OLD, new))
    assert matches[0].new == 1 and matches[0].change == "edited"
    assert matches[1].new == 0 and matches[1].change == "unchanged"
    assert matches[2].new is None and matches[2].change == "removed"


def test_two_near_identical_paragraphs_keep_their_own_successors():
    new = OLD[:4] + [
        "Local and regional authorities are essential partners in the implementation of this compact.",
        "Local and regional authorities are essential partners in the review of this compact.",
    ]
    matches = by_old(match_paragraphs(OLD, new))
    assert (matches[4].new, matches[5].new) == (4, 5)
    assert matches[4].change == matches[5].change == "edited"


def test_two_paragraphs_merged_into_one_both_point_to_it_and_added_ones_are_listed():
    merged = ("We commit to save lives and establish coordinated international efforts on missing "
              "migrants, and to strengthen the transnational response to smuggling of migrants.")
    new = OLD[:2] + [merged] + OLD[4:] + ["We commit to a new paragraph on cities entirely."]
    matches = match_paragraphs(OLD, new)
    olds = by_old(matches)
    assert olds[2].new == olds[3].new == 2
    assert {olds[2].change, olds[3].change} == {"edited", "merged"}
    added = [m for m in matches if m.change == "added"]
    assert [m.new for m in added] == [5]


CURRENT = "States shall cooperate with local authorities on integration."
PROPOSED = "States shall cooperate closely with local and regional governments on integration."


@pytest.mark.parametrize(("kind", "proposed", "successor", "expected"), [
    ("replace", PROPOSED, PROPOSED, "taken_up"),
    ("replace", PROPOSED, "States shall cooperate closely with local and regional governments on "
     "integration and inclusion.", "taken_up"),
    ("replace", PROPOSED, "States shall cooperate closely with local authorities on integration.",
     "partly_taken_up"),
    ("replace", PROPOSED, CURRENT, "unchanged"),
    ("replace", PROPOSED, "States  shall cooperate with LOCAL authorities on integration", "unchanged"),
    ("replace", PROPOSED, "States may consult partners on social cohesion.", "changed"),
    ("replace", PROPOSED, None, "removed"),
    ("delete", "", None, "taken_up"),
    ("delete", "", CURRENT, "unchanged"),
    ("delete", "", "States may consult partners on social cohesion.", "changed"),
])
def test_each_status(kind, proposed, successor, expected):
    assert assess(kind, CURRENT, proposed, successor, [successor] if successor else []) == expected


def test_an_inserted_paragraph_is_taken_up_wherever_it_lands():
    new_text = [CURRENT, "Cities will be consulted on every national action plan."]
    assert assess("insert_after", CURRENT, "Cities will be consulted on every national action plan.",
                  CURRENT, new_text) == "taken_up"
    assert assess("insert_after", CURRENT, "Cities will be consulted on every national plan for migrants.",
                  CURRENT, new_text) == "partly_taken_up"
    assert assess("insert_after", CURRENT, "Mayors will chair the forum.", CURRENT, [CURRENT]) == "unchanged"
    assert assess("insert_after", CURRENT, "Mayors will chair the forum.", None, []) == "removed"


def test_a_deletion_only_proposal_reflected_in_the_new_text_is_taken_up():
    current = "States shall, where appropriate, cooperate with local authorities."
    proposed = "States shall cooperate with local authorities."
    assert assess("replace", current, proposed, "States shall cooperate with local authorities and "
                  "civil society.", []) == "taken_up"


def test_the_demo_draft_changes_in_every_way_the_statuses_need():
    """The demo's two revisions (written for the demo) renumber, edit, move, merge and remove."""
    from pathlib import Path

    from drafting.negotiated_text.structure import parse_plain_text

    folder = Path(__file__).resolve().parents[2] / "drafting" / "negotiated_text" / "demo"
    zero = parse_plain_text((folder / "zero_draft.txt").read_text(encoding="utf-8")).numbered
    rev1 = parse_plain_text((folder / "revision_1.txt").read_text(encoding="utf-8")).numbered
    matches = match_paragraphs([p.text for p in zero], [p.text for p in rev1])
    changes = {m.change for m in matches}
    assert {"unchanged", "edited", "merged", "removed"} <= changes
    assert any(m.moved for m in matches)
    renumbered = [m for m in matches if m.new is not None and m.old is not None and m.change == "unchanged"
                  and zero[m.old].number != rev1[m.new].number]
    assert renumbered, "some unchanged paragraphs carry a new number"
