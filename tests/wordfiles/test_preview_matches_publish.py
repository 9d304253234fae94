"""The Word preview at /text/new shows exactly what Publish stores: characters that reverse or hide
text are gone from both, and the joiners that shape Indic and Arabic letters stay in both."""

from __future__ import annotations

import html
import io
import re

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import TextParagraph
from drafting.text import visible_text
from tests.support import hostile_word_files as hostile_files

HIDDEN = "\u202e\u202c\u2066\u2069\ufeff"


def test_visible_text_drops_what_reverses_or_hides_text_and_keeps_what_shapes_letters():
    assert visible_text("Cities \u202ethat reverses\u202c commit.") == "Cities that reverses commit."
    assert visible_text("\ufeffgovern\u200bments co\u200doperate\u2060.") == "governments cooperate."
    devanagari = "\u0915\u094d\u200d\u0937"  # a half form: the joiner is part of the spelling
    assert visible_text(devanagari) == devanagari
    assert visible_text("x\u200d y \u200c") == "x y "
    assert visible_text("plain text stays") == "plain text stays"


def test_the_preview_shows_what_publish_stores_without_hidden_characters(client, login_as):
    login_as("secretariat")
    form = {"name": "Bidi draft", "issued_on": "2018-02-05", "milestone": "0", "text": "", "preview": "1",
            "word_file": (io.BytesIO(hostile_files.invisible_characters()), "draft.docx")}
    preview = client.post("/text/new", data=form, content_type="multipart/form-data")
    assert preview.status_code == 200
    page = html.unescape(preview.get_data(as_text=True))
    assert not set(HIDDEN) & set(page)
    assert "Cities that reverses commit." in page and "Local isolated governments cooperate." in page
    structure = re.search(r'<textarea name="structure" hidden>(.*?)</textarea>', page, re.DOTALL).group(1)

    published = client.post("/text/new", data={"name": "Bidi draft", "issued_on": "2018-02-05", "milestone": "0",
                                                "structure": structure, "publish": "1"})
    assert published.status_code == 302
    stored = [p.text for p in db.session.scalars(select(TextParagraph).order_by(TextParagraph.order))]
    previewed = [re.sub(r"^\d+\. ", "", line.strip()) for line in structure.split("\n\n") if line.strip()]
    assert stored == previewed
    assert stored[2] == "\u0645\u0631\u062d\u0628\u0627 \u0915\u094d\u200d\u0937 kept."
    assert not any(set(HIDDEN + "\u200d") & set(text) for text in stored[:2])
