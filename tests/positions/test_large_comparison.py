"""Comparing two 40,000-character revisions of a position answers at once: word marks where they can
be made, "Too many changes to mark word by word" where they cannot, never a minute of work."""

from __future__ import annotations

import random
import time  # processor time: the work of the request, whatever else the machine runs

from drafting.extensions import db
from drafting.models import Position
from drafting.positions import operations
from drafting.positions.workflow import transition
from tests.conftest import login

CUT_OFF = "Too many changes to mark word by word."


def rewritten(seed: int, characters: int = 40_000) -> str:
    """Long paragraphs of a dozen words used over and over: no word occurs once, nothing anchors."""
    rng = random.Random(seed)
    words = [f"cities{n}" for n in range(12)]
    text = ""
    while len(text) < characters:
        text += " ".join(rng.choice(words) for _ in range(600)) + ".\n\n"
    return text[:characters].strip()


def resubmitted(make_user, make_position, old: str, new: str) -> tuple[Position, object]:
    position = make_position("in_review", text=old)
    reviewer = make_user("reviewer", "CEMR")
    transition(position, "request_changes", reviewer, comment="Shorter, please.")
    content = operations.PositionContent.of(position)
    content.text = new
    operations.save_position(position, position.created_by, content, base_revision=1)
    transition(position, "submit", position.created_by)
    return db.session.get(Position, position.id), reviewer


def timed_page(client, url: str) -> tuple[str, float]:
    started = time.process_time()
    response = client.get(url)
    seconds = time.process_time() - started
    assert response.status_code == 200
    return response.get_data(as_text=True), seconds


def test_two_rewritten_40000_character_texts_show_the_cut_off_on_both_pages(client, make_user, make_position):
    old, new = rewritten(1), rewritten(2)
    assert len(old) > 39_000 and len(new) > 39_000
    position, reviewer = resubmitted(make_user, make_position, old, new)

    login(client, position.created_by)
    page, seconds = timed_page(client, f"/positions/{position.id}/compare?old=1&new=2")
    assert seconds < 5  # the bound, generous: unbounded, this took minutes
    assert CUT_OFF in page and "<del>" in page and "<ins>" in page

    login(client, reviewer)
    page, seconds = timed_page(client, f"/positions/{position.id}")
    assert seconds < 5
    assert "Changes since the revision last reviewed (revision 1)" in page and CUT_OFF in page


def test_an_edited_40000_character_text_keeps_its_word_marks(client, make_user, make_position):
    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(3000)]
    paragraphs = [" ".join(rng.choice(vocabulary) for _ in range(80)) + "." for _ in range(80)]
    edited = [p.replace(" ", " revised ", 1) if i % 7 == 0 else p for i, p in enumerate(paragraphs)]
    position, reviewer = resubmitted(make_user, make_position, "\n\n".join(paragraphs)[:40_000],
                                     "\n\n".join(edited)[:40_000])
    login(client, reviewer)
    page, seconds = timed_page(client, f"/positions/{position.id}")
    assert seconds < 5
    assert page.count("<ins>revised </ins>") == sum(1 for i in range(0, 80, 7) if len(
        "\n\n".join(paragraphs[:i + 1])) < 40_000)
    assert CUT_OFF not in page


def test_the_cut_off_is_said_in_the_readers_language(client, make_user, make_position):
    position, _reviewer = resubmitted(make_user, make_position, rewritten(4), rewritten(5))
    author = position.created_by
    author.locale = "fr"
    db.session.commit()
    login(client, author)
    page = client.get(f"/positions/{position.id}/compare?old=1&new=2").get_data(as_text=True)
    assert "Trop de modifications pour les marquer mot à mot." in page
