"""Issue 23, point 5: the negotiated text as a way in - "Propose an amendment" on a paragraph opens the
network's draft (or a new one) with that paragraph picked; the network chips lead to the amendments on
the paragraph; "Only changed paragraphs" when comparing revisions."""

from __future__ import annotations

from datetime import date

from drafting.extensions import db
from drafting.models import Position
from drafting.positions.operations import anchored
from tests.conftest import login
from tests.support.published import ZERO_DRAFT, paragraph, publish


def _propose_link(page: str, number: str) -> str:
    label = f'aria-label="Propose an amendment to paragraph {number}"'
    start = page.rindex('href="', 0, page.index(label)) + len('href="')
    return page[start:page.index('"', start)].replace("&amp;", "&")


def test_a_contributor_proposes_an_amendment_from_a_paragraph_in_a_new_position(client, make_user):
    revision = publish(make_user("secretariat"))
    login(client, make_user("contributor", "CEMR"))
    page = client.get(f"/text/{revision.id}").get_data(as_text=True)
    link = _propose_link(page, "16(a)")
    assert link.startswith("/positions/new?")
    form = client.get(link).get_data(as_text=True)
    chosen = paragraph(revision, "16(a)")
    assert f'<option dir="ltr" lang="en" selected value="{chosen.id}">16(a) — ' in form
    assert "Elaborate and implement a comprehensive strategy for improving migration data;</textarea>" in form
    assert "data-focus-on-open" in form


def test_the_link_opens_the_networks_draft_for_that_milestone(client, make_user, make_position):
    revision = publish(make_user("secretariat"))
    draft = make_position("draft", org="CEMR")
    colleague = make_user("contributor", "CEMR")
    login(client, colleague)
    page = client.get(f"/text/{revision.id}").get_data(as_text=True)
    link = _propose_link(page, "17")
    assert link.startswith(f"/positions/{draft.id}/edit?")
    form = client.get(link).get_data(as_text=True)
    assert f'<option dir="ltr" lang="en" selected value="{paragraph(revision, "17").id}">17 — ' in form
    # Nothing is saved until the contributor saves the form.
    assert db.session.get(Position, draft.id).amendments == []


def test_no_propose_link_for_a_reviewer_or_when_no_open_milestone_amends_the_revision(client, make_user):
    revision = publish(make_user("secretariat"))
    login(client, make_user("reviewer", "Metropolis"))
    assert "Propose an amendment" not in client.get(f"/text/{revision.id}").get_data(as_text=True)
    later = publish(make_user("secretariat"), name="Rev 9", issued_on=date(2018, 2, 8), milestone_name=None)
    login(client, make_user("contributor", "CEMR"))
    # The newer revision is the one open milestones amend: the older one offers no proposal.
    assert "Propose an amendment" not in client.get(f"/text/{revision.id}").get_data(as_text=True)
    assert "Propose an amendment" in client.get(f"/text/{later.id}").get_data(as_text=True)


def test_network_chips_lead_to_the_amendments_on_that_paragraph(client, make_user, make_position):
    revision = publish(make_user("secretariat"))
    target = paragraph(revision, "17")
    amendment = {"paragraph_id": target.id, "kind": "replace", "proposed_text": "We commit to legal identity for all.",
                 "rationale": "Shorter."}
    position = make_position("submitted", org="CEMR", title="Identity for all", amendments=anchored([amendment]))
    login(client, make_user("reviewer", "Metropolis"))
    page = client.get(f"/text/{revision.id}").get_data(as_text=True)
    href = f'href="/text/{revision.id}/paragraphs/{target.id}"'
    assert f'<a class="tag" {href}>CEMR 1</a>' in page
    detail = client.get(f"/text/{revision.id}/paragraphs/{target.id}").get_data(as_text=True)
    assert "Amendments to paragraph 17" in detail and "CEMR · 1 amendment" in detail
    assert f'href="/positions/{position.id}"' in detail and "Shorter." in detail
    # Another network's contributor sees that there is one, not its wording.
    login(client, make_user("contributor", "Metropolis"))
    detail = client.get(f"/text/{revision.id}/paragraphs/{target.id}").get_data(as_text=True)
    assert "CEMR · 1 amendment" in detail and "Shorter." not in detail
    assert "not shared with you" in detail


def test_a_paragraph_page_of_another_revision_is_not_found(client, make_user):
    revision = publish(make_user("secretariat"))
    other = publish(make_user("secretariat"), name="Rev 2", issued_on=date(2018, 2, 7))
    login(client, make_user("reviewer", "Metropolis"))
    assert client.get(f"/text/{other.id}/paragraphs/{paragraph(revision, '17').id}").status_code == 404


def test_compare_can_show_only_the_changed_paragraphs(client, make_user):
    secretariat = make_user("secretariat")
    older = publish(secretariat)
    newer = publish(secretariat, name="Rev 1", issued_on=date(2018, 2, 7),
                    text=ZERO_DRAFT.replace("Improve international comparability of data;",
                                            "Improve the international comparability of migration data;"))
    login(client, make_user("reviewer", "Metropolis"))
    everything = client.get(f"/text/compare?from={older.id}&to={newer.id}").get_data(as_text=True)
    assert everything.count('<li class="change-') == 4
    changed = client.get(f"/text/compare?from={older.id}&to={newer.id}&changed=1").get_data(as_text=True)
    assert changed.count('<li class="change-') == 1 and "change-edited" in changed
    assert "1 of 4 paragraphs changed." in changed
    assert 'name="changed" value="1" checked' in changed
