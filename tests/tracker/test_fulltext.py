"""Full-text search by the database: the same cases on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Differences between the two, on purpose and documented in drafting.models.fulltext: PostgreSQL stems
each position in its own language and drops stop words; SQLite stems every language with English
(porter) rules and keeps every word.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from drafting.extensions import db
from drafting.models import Position
from drafting.positions.operations import PositionContent, save_position
from drafting.tracker.fulltext import fts5_expression, parse
from tests.support.tracker_pages import found_count, result_titles


def search(client, q: str, **args) -> str:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(client, q: str) -> set[str]:
    return set(result_titles(search(client, q)))


@pytest.fixture
def library(make_position):
    return {
        "migrant": make_position("draft", title="Labour rights",
                                 text="Every migrant worker has access to local services."),
        "phrase": make_position("draft", title="Local authorities first",
                                text="Local authorities run reception centres for newcomers."),
        "scattered": make_position("draft", title="Scattered words",
                                   text="Authorities of the state, and local clubs, met once."),
        "detention": make_position("draft", title="Alternatives to detention",
                                   text="Cities oppose the detention of children."),
        "french": make_position("draft", title="Les collectivités territoriales", language="fr",
                                text="Les collectivités accueillent les réfugiés dans leurs écoles."),
        "spanish": make_position("draft", title="Ciudades de acogida", language="es",
                                 text="Las ciudades ofrecen vivienda digna a las personas migrantes."),
        "arabic": make_position("draft", title="المدن والهجرة", language="ar",
                                text="تقدم المدن الخدمات للمهاجرين واللاجئين."),
        "amended": make_position("draft", title="Amended text", text="Nothing special here.",
                                 amendments=[{"section_id": None, "paragraph": "31(c)", "current_text": "as is",
                                              "proposed_text": "with subnational governments",
                                              "rationale": "Subsidiarity matters."}]),
    }


@pytest.fixture
def secretariat(login_as):
    return login_as("secretariat")


def test_a_plural_finds_the_singular_by_stemming(client, library, secretariat):
    assert titles(client, "migrants") >= {"Labour rights"}
    assert "Labour rights" in titles(client, "workers")


def test_accents_do_not_matter_either_way(client, library, secretariat):
    assert titles(client, "collectivites") == {"Les collectivités territoriales"}
    assert titles(client, "réfugiés") == {"Les collectivités territoriales"}
    assert titles(client, "refugies") == {"Les collectivités territoriales"}
    assert titles(client, "ÉCOLES") == {"Les collectivités territoriales"}


def test_spanish_and_arabic_positions_are_found_by_their_words(client, library, secretariat):
    assert titles(client, "vivienda") == {"Ciudades de acogida"}
    assert titles(client, "للمهاجرين") == {"المدن والهجرة"}
    assert titles(client, "المدن") == {"المدن والهجرة"}


def test_a_quoted_phrase_needs_the_words_together(client, library, secretariat):
    assert titles(client, '"local authorities"') == {"Local authorities first"}
    assert titles(client, "local authorities") == {"Local authorities first", "Scattered words"}


def test_a_minus_excludes_a_word_and_or_joins_alternatives(client, library, secretariat):
    assert titles(client, "cities") >= {"Alternatives to detention"}
    assert "Alternatives to detention" not in titles(client, "cities -detention")
    assert titles(client, "local -clubs") >= {"Local authorities first", "Labour rights"}
    assert "Scattered words" not in titles(client, "local -clubs")
    assert titles(client, "children or newcomers") == {"Alternatives to detention", "Local authorities first"}
    assert titles(client, "children OR newcomers") == {"Alternatives to detention", "Local authorities first"}


def test_only_exclusions_means_everything_without_those_words(client, library, secretariat):
    found = titles(client, "-detention")
    assert "Alternatives to detention" not in found
    assert "Labour rights" in found


def test_amendments_are_searched(client, library, secretariat):
    assert titles(client, "subsidiarity") == {"Amended text"}
    assert titles(client, "subnational") == {"Amended text"}


def test_a_word_that_matches_nothing_finds_nothing(client, library, secretariat):
    html = search(client, "xylophone")
    assert found_count(html) == 0
    assert result_titles(html) == []


def test_snippets_mark_the_matched_words_and_escape_the_rest(client, make_position, secretariat):
    make_position("draft", title="Markup in text",
                  text='Towns & cities welcome migrants <script>alert(1)</script> "every" day.')
    html = search(client, "migrants")
    assert "<mark>migrants</mark>" in html
    assert "Towns &amp; cities" in html
    # PostgreSQL's parser drops what looks like a tag from the snippet; SQLite keeps it, escaped.
    assert "<script>alert" not in html


def snippets(html: str) -> list[str]:
    return re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', html, re.S)


def test_a_snippet_comes_from_around_the_first_match_however_far_into_the_text(client, make_position,
                                                                              secretariat):
    filler = " ".join(["Councils meet every week to plan services."] * 120)  # about 5,000 characters
    make_position("draft", title="Late mention", text=f"{filler} Shelters house asylum seekers. {filler}")
    [snippet] = snippets(search(client, "asylum"))
    assert "<mark>asylum</mark> seekers" in snippet
    assert "Councils meet every week" in snippet  # the words around it
    assert snippet.count("<mark>") == 1


def test_snippets_find_a_word_typed_with_or_without_accents_in_any_case(client, library, secretariat):
    assert "<mark>réfugiés</mark>" in search(client, "REFUGIES")
    assert "<mark>réfugiés</mark>" in search(client, "réfugiés")
    assert "<mark>migrantes</mark>" in search(client, "vivienda migrantes")
    assert "<mark>للمهاجرين</mark>" in search(client, "للمهاجرين")


def test_a_snippet_marks_the_words_of_a_phrase_and_not_the_excluded_ones(client, library, secretariat):
    [snippet] = snippets(search(client, '"local authorities" -detention'))
    # PostgreSQL marks the words one by one (drafting.tracker.fulltext.highlighted_words), SQLite the phrase.
    assert re.search(r"<mark>Local(</mark> <mark>| )authorities</mark>", snippet)
    assert snippets(search(client, "-detention")) == []  # nothing to mark


def test_a_row_shows_its_network_milestone_themes_language_and_stage(client, make_position, secretariat):
    make_position("submitted", org="Metropolis", milestone_name="Round 3", title="Listed row",
                  text="Ports and harbours.", theme_numbers=(23,), language="en")
    html = search(client, "harbours")
    row = re.search(r"<tr>\s*<td[^>]*><a href=\"/positions/\d+\"[^>]*>Listed row</a>.*?</tr>", html, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]]
    assert cells[0] == "Metropolis"
    assert "Round 3" in cells[1]
    assert cells[2].startswith("23.")
    assert cells[3:5] == ["English", "Submitted"]


@pytest.mark.parametrize("q", ['"unbalanced', 'NEAR(a b)', "a AND OR NOT", "title:foo", "*", "^x", "-", "(", ")",
                               '""', "a -", "or", "or or", "' OR 1=1 --", "\\", "%", "migr*", "{title}: x"])
def test_no_input_is_an_error(client, library, secretariat, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200


def test_the_translation_into_fts5_quotes_every_word():
    assert fts5_expression(parse('cities "local authorities" -detention or NEAR')) == (
        '(("cities" AND "local authorities") NOT ("detention")) OR ("NEAR")')
    assert fts5_expression(parse("-detention")) is None


def test_results_keep_the_permission_rules(client, login_as, make_position):
    make_position("draft", org="Metropolis", title="Metropolis draft", text="Harbour cities.")
    make_position("submitted", org="Metropolis", title="Metropolis submitted", text="Harbour cities.")
    make_position("draft", org="CEMR", title="CEMR draft", text="Harbour cities.")
    login_as("contributor", org="CEMR")
    assert titles(client, "harbour") == {"CEMR draft"}
    login_as("reviewer", org="UCLG")
    assert titles(client, "harbour") == {"Metropolis submitted"}


def _indexed_rows() -> int:
    if db.engine.dialect.name == "sqlite":
        return db.session.scalar(text("SELECT count(*) FROM position_search"))
    return db.session.scalar(text("SELECT count(*) FROM positions WHERE search_document IS NOT NULL"))


def test_the_index_follows_insert_update_and_delete(client, make_position, login_as):
    position = make_position("draft", title="Port cities", text="Seasonal workers arrive by boat.")
    secretariat_user = login_as("secretariat")
    assert titles(client, "boat") == {"Port cities"}
    assert _indexed_rows() == 1

    content = PositionContent.of(position)
    content.text = "Seasonal workers arrive by train."
    save_position(position, position.created_by, content, base_revision=position.revision_number)
    assert titles(client, "boat") == set()
    assert titles(client, "train") == {"Port cities"}
    assert _indexed_rows() == 1

    db.session.delete(db.session.get(Position, position.id))
    db.session.commit()
    assert titles(client, "train") == set()
    assert _indexed_rows() == 0
    assert secretariat_user.id


def test_many_matches_are_counted_up_to_a_cap_and_listed_newest_first(client, make_position, secretariat,
                                                                       monkeypatch):
    from drafting import pagination

    for number in range(4):
        make_position("draft", title=f"Common {number}", text="Shared words.")
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    html = search(client, "shared")
    assert "More than 3 positions found." in html
    assert "Newest first" in html
    assert result_titles(html) == ["Common 3", "Common 2", "Common 1", "Common 0"]
    assert all("<mark>Shared</mark> words" in snippet for snippet in snippets(html))
    assert len(snippets(html)) == 4
