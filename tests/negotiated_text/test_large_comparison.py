"""Comparing two revisions of thousands of paragraphs answers in seconds: paragraphs matched through
indexes, words marked inside the edited ones, and "Too many changes to mark word by word" for a
paragraph whose change is too large to mark."""

from __future__ import annotations

import random
import time  # processor time: the work of the request, whatever else the machine runs
from datetime import date

from drafting.amendments.matching import match_paragraphs
from drafting.extensions import db
from drafting.models import TextParagraph, TextRevision

CUT_OFF = "Too many changes to mark word by word."


def text(rng: random.Random, count: int) -> list[str]:
    vocabulary = [f"w{n}" for n in range(4000)]
    common = "the of and to in for local cities states".split()
    return [" ".join(rng.choice(common) if rng.random() < 0.3 else rng.choice(vocabulary)
                     for _ in range(rng.randint(30, 80))) + "." for _ in range(count)]


def revision(name: str, texts: list[str], by, day: int) -> TextRevision:
    made = TextRevision(name=name, issued_on=date(2018, 2, day), published_by=by, paragraphs=[
        TextParagraph(order=i, kind="paragraph", number=str(i), text=t) for i, t in enumerate(texts, 1)])
    db.session.add(made)
    db.session.commit()
    return made


def repetitive(seed: int) -> str:
    """A long paragraph of a dozen words used over and over: no word occurs once, nothing anchors."""
    rng = random.Random(seed)
    return " ".join(rng.choice([f"cities{n}" for n in range(12)]) for _ in range(3000))


def test_2500_paragraphs_against_2500_mark_words_and_cut_off_the_one_too_large(client, login_as):
    rng = random.Random(1)
    old = text(rng, 2500)
    new = list(old)
    for i in range(0, 2500, 10):  # a tenth edited: one word inserted
        new[i] = new[i].replace(" ", " inserted ", 1)
    old[1234], new[1234] = repetitive(1), repetitive(2)  # one paragraph rewritten past marking
    user = login_as("contributor", "CEMR")
    revision("Zero draft", old, user, 5)
    revision("Rev 1", new, user, 26)
    started = time.process_time()
    response = client.get("/text/compare")
    seconds = time.process_time() - started
    page = response.get_data(as_text=True)
    assert seconds < 5  # the bound, generous: this took 14 s unbounded
    assert page.count("<ins>inserted </ins>") == 250
    assert page.count(CUT_OFF) == 1


def test_re_anchoring_paragraphs_made_of_the_same_few_words_stays_bounded():
    """Every word pair in every paragraph: no index narrows the search, the bounds still hold."""
    rng = random.Random(3)
    words = [f"cities{n}" for n in range(12)]
    old = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(3000)]
    new = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(3000)]
    started = time.process_time()
    matches = match_paragraphs(old, new)
    assert time.process_time() - started < 10  # generous; unbounded, every pair of 3,000 × 3,000
    assert sorted(m.old for m in matches if m.old is not None) == list(range(3000))
    assert {m.new for m in matches if m.new is not None} <= set(range(3000))


def test_re_anchoring_8500_paragraphs_finds_every_successor():
    rng = random.Random(2)
    old = text(rng, 8500)
    new = list(old)
    edited = set(range(3, 8500, 5))
    for i in edited:
        new[i] = new[i].replace(" ", " amended ", 1)
    moved = new.pop(100)
    new.insert(8000, moved)
    started = time.process_time()
    matches = match_paragraphs(old, new)
    assert time.process_time() - started < 10  # generous; unbounded, this took minutes
    successor = {m.old: m.new for m in matches if m.old is not None}
    by_old = {m.old: m for m in matches if m.old is not None}
    assert all(new[successor[i]] == old[i] for i in range(8500) if i not in edited)
    assert all(by_old[i].change == "edited" and new[successor[i]] == old[i].replace(" ", " amended ", 1)
               for i in edited if i != 100)
    assert by_old[100].moved and sum(m.moved for m in matches) == 1
