"""Search by words and filters, within what the user may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Theme
from tests.conftest import milestone, organisation
from tests.support.tracker_pages import found_count, result_titles


def search(client, **args) -> str:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def positions(make_position):
    """A small landscape: two networks, several stages, two languages, two milestones."""
    return {
        "cemr_draft": make_position("draft", org="CEMR", title="Sanctuary cities in Europe",
                                    text="Municipal firewalls protect access to services."),
        "cemr_approved": make_position("approved", org="CEMR", title="Labour mobility",
                                       summary="Skills partnerships between cities.", text="Decent work."),
        "metro_submitted": make_position("submitted", org="Metropolis", title="Metropolitan reception",
                                         text="Large cities run SANCTUARY programmes and firewalls."),
        "metro_draft": make_position("draft", org="Metropolis", title="Unfinished metropolitan note",
                                     text="Firewalls, to be written."),
        "africa_fr": make_position("in_review", org="UCLG Africa", milestone_name="Round 3",
                                   title="Migrations intra-africaines", language="fr",
                                   text="Les collectivités territoriales accueillent.", theme_numbers=(23,)),
    }


def test_a_word_of_the_text_finds_the_position_and_an_absent_word_does_not(client, login_as, positions):
    login_as("secretariat")
    html = search(client, q="firewalls")
    assert found_count(html) == 3
    assert set(result_titles(html)) == {"Sanctuary cities in Europe", "Metropolitan reception",
                                        "Unfinished metropolitan note"}
    assert found_count(search(client, q="xenophobia")) == 0


def test_words_match_title_summary_and_text_in_any_case_and_all_must_match(client, login_as, positions):
    login_as("secretariat")
    assert result_titles(search(client, q="LABOUR")) == ["Labour mobility"]  # title
    assert result_titles(search(client, q="partnerships")) == ["Labour mobility"]  # summary
    assert set(result_titles(search(client, q="sanctuary"))) == {"Sanctuary cities in Europe",
                                                                 "Metropolitan reception"}
    assert result_titles(search(client, q="sanctuary programmes")) == ["Metropolitan reception"]
    assert found_count(search(client, q="sanctuary xenophobia")) == 0


def test_like_wildcards_in_the_words_are_taken_literally(client, login_as, positions):
    login_as("secretariat")
    assert found_count(search(client, q="%")) == 0
    assert found_count(search(client, q="_")) == 0


def test_a_contributor_sees_only_the_positions_of_their_organisation(client, login_as, positions):
    login_as("contributor", org="CEMR")
    html = search(client, q="firewalls")
    assert result_titles(html) == ["Sanctuary cities in Europe"]
    everything = search(client)
    assert set(result_titles(everything)) == {"Sanctuary cities in Europe", "Labour mobility"}
    # Asking for another network's positions by filter shows nothing either.
    assert found_count(search(client, organisation=organisation("Metropolis").id)) == 0


def test_a_reviewer_never_sees_drafts(client, login_as, positions):
    login_as("reviewer", org="UCLG")
    html = search(client, q="firewalls")
    assert result_titles(html) == ["Metropolitan reception"]
    assert found_count(search(client, stage="draft")) == 0
    assert set(result_titles(search(client))) == {"Labour mobility", "Metropolitan reception",
                                                  "Migrations intra-africaines"}


def test_filters_narrow_the_list(client, login_as, positions):
    login_as("secretariat")
    assert result_titles(search(client, stage="approved")) == ["Labour mobility"]
    assert result_titles(search(client, language="fr")) == ["Migrations intra-africaines"]
    assert result_titles(search(client, milestone=milestone("Round 3").id)) == ["Migrations intra-africaines"]
    assert found_count(search(client, organisation=organisation("Metropolis").id)) == 2
    assert found_count(search(client, organisation=organisation("Metropolis").id, stage="draft")) == 1
    objective_23 = db.session.scalar(select(Theme).where(Theme.number == 23))
    assert result_titles(search(client, theme=objective_23.id)) == ["Migrations intra-africaines"]
    assert found_count(search(client, q="firewalls", organisation=organisation("CEMR").id)) == 1


def test_the_form_keeps_the_chosen_filters_and_labels_every_control(client, login_as, positions):
    login_as("secretariat")
    html = search(client, q="firewalls", stage="submitted", language="en")
    assert 'value="firewalls"' in html
    assert '<option value="submitted" selected>Submitted</option>' in html
    assert '<option value="en" selected>English</option>' in html
    for control in ("q", "milestone", "organisation", "theme", "stage", "language"):
        assert f'<label for="search-{control}">' in html
        assert f'id="search-{control}"' in html
    for label in ("Draft", "In review", "Changes requested", "Approved", "Rejected", "Withdrawn"):
        assert f">{label}</option>" in html


@pytest.mark.parametrize("args", [
    {"milestone": "abc"},
    {"organisation": "1e9"},
    {"theme": "-1"},
    {"milestone": "99999999999999999999"},
    {"stage": "published"},
    {"language": "xx"},
    {"page": "zz"},
    {"page": "0"},
    {"page": "999"},
    {"q": "x" * 5000},
    {"q": "'; DROP TABLE positions; --"},
])
def test_values_that_make_no_sense_are_ignored_without_an_error(client, login_as, positions, args):
    login_as("secretariat")
    response = client.get("/search", query_string=args)
    assert response.status_code == 200


def test_bad_filters_are_dropped_so_the_list_is_unfiltered(client, login_as, positions):
    login_as("secretariat")
    html = search(client, milestone="abc", organisation="x", stage="published", language="xx")
    assert found_count(html) == 5


def test_results_are_paginated_by_25_and_the_pager_keeps_the_filters(client, login_as, make_position):
    from drafting.models import Position, Revision

    author = make_position("draft", org="CEMR", title="Position 0").created_by
    for number in range(1, 27):
        position = Position(organisation=author.organisation, milestone=milestone("Round 2"),
                            title=f"Position {number}", text="common words", created_by=author, language="en")
        position.revisions.append(Revision(number=1, author=author, title=position.title, text=position.text,
                                           language="en"))
        db.session.add(position)
    db.session.commit()
    login_as("secretariat")
    first = search(client, q="common", stage="draft")
    assert found_count(first) == 26
    assert len(result_titles(first)) == 25
    assert "/search?page=2&amp;q=common&amp;stage=draft" in first
    second = search(client, q="common", stage="draft", page=2)
    assert len(result_titles(second)) == 1
