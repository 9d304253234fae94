"""Right-to-left wherever user text is shown or typed: Arabic runs right to left with its punctuation
on the right side, English quotes of the compact stay left to right inside an Arabic position."""

from __future__ import annotations

import re

from drafting.extensions import db
from drafting.models import CompactSection
from drafting.positions import operations
from drafting.positions.operations import PositionContent

ARABIC_TEXT = "المدن **شريكة** في التنفيذ."


def _arabic(make_position, author, **kwargs):
    section = db.session.query(CompactSection).filter_by(order=4).one()
    amendment = {"section_id": section.id, "paragraph": "31(c)",
                 "current_text": "Provide access to basic services for migrants.",
                 "proposed_text": "Provide access to basic services, with local authorities.",
                 "rationale": "الحكومات المحلية تقدم معظم الخدمات."}
    return make_position("draft", org="UCLG-MEWA", author=author, language="ar", title="دور المدن",
                         text=ARABIC_TEXT, amendments=[amendment], **kwargs)


def _revise(position, author, text):
    content = PositionContent.of(position)
    content.text = text
    operations.save_position(position, author, content, base_revision=position.revision_number)


def test_amendment_cells_follow_their_own_language(client, login_as, make_position):
    author = login_as("contributor", "UCLG-MEWA")
    position = _arabic(make_position, author)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert '<dd lang="en" dir="ltr">Provide access to basic services for migrants.</dd>' in page
    assert re.search(r'<span lang="ar-SA" dir="auto">الحكومات', page)
    assert '<tbody dir="rtl">' not in page  # the quoted compact text is no longer forced right to left


def test_comments_and_typed_fields_find_their_direction(client, login_as, make_position):
    author = login_as("contributor", "UCLG-MEWA")
    position = _arabic(make_position, author)
    operations.add_comment(position, author, "ملاحظة على الفقرة 31", "shared")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert '<p class="prose" dir="auto">ملاحظة على الفقرة 31</p>' in page
    assert re.search(r'<textarea[^>]*dir="auto"[^>]*name="body"|<textarea[^>]*name="body"[^>]*dir="auto"', page)

    form = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    for name in ("title", "summary", "text"):
        tag = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', form).group(0)
        assert 'dir="auto"' in tag, tag


def test_revision_comparison_runs_right_to_left(client, login_as, make_position):
    author = login_as("contributor", "UCLG-MEWA")
    position = _arabic(make_position, author)
    _revise(position, author, ARABIC_TEXT + " والمتابعة.")
    page = client.get(f"/positions/{position.id}/compare?old=1&new=2").get_data(as_text=True)
    assert '<div class="diff" lang="ar-SA" dir="rtl">' in page

    history = client.get(f"/positions/{position.id}/history").get_data(as_text=True)
    assert '<td data-label="Title" lang="ar-SA" dir="auto">دور المدن</td>' in history


def test_the_comparison_of_amendments_is_labelled_in_the_readers_language(client, login_as, make_position):
    """The amendments compared word by word carry their labels in the page's language, not "current:",
    "proposed:", "rationale:" in English on a French page."""
    author = login_as("contributor", "UCLG-MEWA", locale="fr")
    position = _arabic(make_position, author)
    content = PositionContent.of(position)
    content.amendments = [{**content.amendments[0], "rationale": "Les villes fournissent les services."}]
    operations.save_position(position, author, content, base_revision=position.revision_number)
    page = client.get(f"/positions/{position.id}/compare?old=1&new=2").get_data(as_text=True)
    assert "Texte actuel\u00a0:" in page and "Texte proposé\u00a0:" in page and "Justification\u00a0:" in page
    assert "rationale:" not in page and "current:" not in page
