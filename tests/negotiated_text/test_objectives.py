"""Issue 23, point 6: each paragraph of a revision mapped to one of the compact's 23 objectives, proposed
from the revision's headings when it is loaded, confirmed or corrected by the secretariat."""

from __future__ import annotations

from drafting.extensions import db
from drafting.models import TextParagraph, TextRevision, Theme
from drafting.negotiated_text.objectives import objective_names, objective_of_heading
from tests.conftest import login
from tests.support.published import publish

DRAFT = """Preamble words before any heading.
# Objective 4: Access to basic services
31. We commit to ensure that all migrants can safely access basic services.
32. We commit to establish service points.
# Objective 1: Collect and use data
16. We commit to strengthen the global evidence base on international migration.
# Objective 22: Something no objective is called
40. We commit to a thing.
# Implementation
50. We will implement this.
"""


def objective(number: int) -> Theme:
    return db.session.query(Theme).filter_by(kind="objective", number=number).one()


def mapped(revision: TextRevision) -> dict[str, int | None]:
    return {p.number: (db.session.get(Theme, p.objective_id).number if p.objective_id else None)
            for p in revision.paragraphs if p.kind == "paragraph"}


def test_headings_propose_the_compact_objective_by_name_before_number(app, make_user):
    revision = publish(make_user("secretariat"), text=DRAFT)
    # "Access to basic services" is the compact's objective 15, whatever the draft numbered it;
    # a name that matches no objective falls back to the number; a heading that is no objective, none.
    assert mapped(revision) == {"": None, "31": 15, "32": 15, "16": 1, "40": 22, "50": None}
    assert revision.objectives_confirmed_at is None


def test_a_heading_with_the_compact_name_and_no_number_is_recognised(app):
    names = objective_names()
    assert objective_of_heading("Save lives and coordinate efforts on missing migrants", names) == objective(8).id
    assert objective_of_heading("Preamble", names) is None


def test_the_secretariat_confirms_and_corrects_the_objectives(client, make_user):
    secretariat = make_user("secretariat")
    revision = publish(secretariat, text=DRAFT)
    login(client, secretariat)
    page = client.get(f"/text/{revision.id}/objectives").get_data(as_text=True)
    assert "Proposed from the headings; not confirmed yet." in page
    heading = next(p for p in revision.paragraphs if p.kind == "heading" and p.text.startswith("Objective 4"))
    assert f'<option value="{objective(15).id}" selected>15. ' in page
    p32 = next(p for p in revision.paragraphs if p.number == "32")
    p50 = next(p for p in revision.paragraphs if p.number == "50")
    form = {"csrf_token": "", f"heading-{heading.id}": str(objective(15).id), f"paragraph-{p32.id}": "7",
            f"paragraph-{p50.id}": "99"}
    refused = client.post(f"/text/{revision.id}/objectives", data=form)
    assert refused.status_code == 422
    assert "Enter the number of an objective, 1 to 23, or leave it empty." in refused.get_data(as_text=True)
    assert mapped(db.session.get(TextRevision, revision.id))["32"] == 15  # nothing saved

    form[f"paragraph-{p50.id}"] = "23"
    response = client.post(f"/text/{revision.id}/objectives", data=form, follow_redirects=True)
    assert "Objectives of the paragraphs confirmed" in response.get_data(as_text=True)
    db.session.expire_all()
    revision = db.session.get(TextRevision, revision.id)
    assert mapped(revision)["32"] == 7 and mapped(revision)["31"] == 15 and mapped(revision)["50"] == 23
    assert revision.objectives_confirmed_at is not None
    page = client.get(f"/text/{revision.id}/objectives").get_data(as_text=True)
    assert f'name="paragraph-{p32.id}" type="text" inputmode="numeric" size="3" maxlength="2" value="7"' in page


def test_only_the_secretariat_maps_objectives(client, make_user):
    revision = publish(make_user("secretariat"), text=DRAFT)
    login(client, make_user("reviewer", "Metropolis"))
    assert client.get(f"/text/{revision.id}/objectives").status_code == 403
    paragraph = db.session.query(TextParagraph).filter_by(revision_id=revision.id, number="31").one()
    before = paragraph.objective_id
    assert client.post(f"/text/{revision.id}/objectives", data={f"paragraph-{paragraph.id}": "3"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(TextParagraph, paragraph.id).objective_id == before
