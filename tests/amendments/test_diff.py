"""The one diff: right on ordinary changes, and bounded on any input (a cut-off instead of a minute)."""

from __future__ import annotations

import random
import time

import pytest

from drafting.amendments import diff
from drafting.amendments.diff import Budget, Segment, compare_text, compare_words, diff_words


def words(text: str) -> str:
    return "".join(text.split())


def sides(segments: list[Segment]) -> tuple[str, str]:
    """The old and the new wording, read back from the segments (a change of spacing alone shows the
    new spacing, so spacing is set aside)."""
    old = "".join(s.text for s in segments if s.kind in ("same", "delete"))
    new = "".join(s.text for s in segments if s.kind in ("same", "insert"))
    return words(old), words(new)


def changed(segments: list[Segment]) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segments if s.kind != "same"]


def test_identical_texts_have_no_change():
    text = "States shall cooperate with local authorities.\n\nCities deliver services."
    changes = compare_text(text, text)
    assert changes.segments == [Segment("same", text)]
    assert changes.complete and not changes.changed


def test_an_inserted_and_a_deleted_word():
    assert changed(diff_words("States shall cooperate with local authorities.",
                              "States shall cooperate closely with local authorities.")) == [("insert", "closely ")]
    assert changed(diff_words("States shall, where appropriate, cooperate.", "States shall cooperate.")) == [
        ("delete", ", where appropriate,")]


def test_a_change_of_several_words_reads_as_one_run():
    segments = diff_words("cooperate with all levels of government on integration",
                          "cooperate with local and regional authorities on integration")
    assert changed(segments) == [("delete", "all levels of government"),
                                 ("insert", "local and regional authorities")]


def test_a_moved_paragraph_is_deleted_where_it_was_and_inserted_where_it_is():
    paragraphs = [f"Paragraph {n} on {word} and housing for newcomers." for n, word in
                  enumerate(["health", "schools", "transport", "jobs", "language", "culture"])]
    moved = paragraphs[1:4] + paragraphs[:1] + paragraphs[4:]
    changes = compare_text("\n".join(paragraphs), "\n".join(moved))
    assert changes.complete
    assert changed(changes.segments) == [("delete", paragraphs[0] + "\n"), ("insert", paragraphs[0] + "\n")]


def test_texts_with_nothing_in_common_are_one_deletion_and_one_insertion():
    changes = compare_words("Cities welcome newcomers.", "Mayors chair forums!")
    assert changed(changes.segments) == [("delete", "Cities welcome newcomers."), ("insert", "Mayors chair forums!")]


def test_right_to_left_and_accented_words_are_marked_whole():
    old = "تلتزم المدن بتوفير السكن للمهاجرين"
    new = "تلتزم المدن بتوفير التعليم للمهاجرين"
    assert changed(diff_words(old, new)) == [("delete", "السكن"), ("insert", "التعليم")]
    assert changed(diff_words("Les collectivités accueillent les réfugiés.",
                              "Les collectivités territoriales accueillent les réfugiés.")) == [
        ("insert", "territoriales ")]


def test_the_segments_always_give_back_both_texts():
    rng = random.Random(5)
    vocabulary = "cities states migrants the of and , . \n local dignity".split(" ")
    for _ in range(200):
        old = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 80)))
        new = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 80)))
        for changes in (compare_words(old, new), compare_text(old, new), compare_words(old, new, Budget(50))):
            assert sides(changes.segments) == (words(old), words(new))


def rewritten_text(seed: int, characters: int = 40_000, vocabulary: int = 12) -> str:
    """A text of a few words used over and over: nothing in it occurs once, so nothing anchors."""
    rng = random.Random(seed)
    words = [f"word{n}" for n in range(vocabulary)]
    text = ""
    while len(text) < characters:
        text += " ".join(rng.choice(words) for _ in range(600)) + ".\n\n"
    return text[:characters]


def test_two_rewritten_40000_character_texts_stop_at_the_cut_off(monkeypatch):
    cells = []
    original = diff.SequenceMatcher

    def counting(junk, a, b, **kwargs):
        cells.append(len(a) * len(b))
        return original(junk, a, b, **kwargs)

    monkeypatch.setattr(diff, "SequenceMatcher", counting)
    old, new = rewritten_text(1), rewritten_text(2)
    started = time.perf_counter()
    changes = compare_text(old, new)
    assert time.perf_counter() - started < 5
    assert not changes.complete  # the page says "Too many changes to mark word by word"
    assert sides(changes.segments) == (words(old), words(new))
    # difflib saw at most one page's budget, not the 170 million cells of the whole texts
    assert sum(cells) <= diff.PAGE_CELLS
    assert max(cells) <= diff.PIECE


def test_one_budget_serves_a_whole_page():
    budget = Budget()
    old, new = rewritten_text(3, 4_000), rewritten_text(4, 4_000)
    results = [compare_words(old, new, budget) for _ in range(50)]
    assert not results[-1].complete  # past the budget, the rest is not marked word by word
    assert budget.left >= 0
    assert all(sides(r.segments) == (words(old), words(new)) for r in results)


def test_an_edited_40000_character_text_is_marked_word_by_word_quickly():
    rng = random.Random(9)
    words = [f"w{n}" for n in range(3000)]
    paragraphs = [" ".join(rng.choice(words) for _ in range(70)) + "." for _ in range(80)]
    edited = list(paragraphs)
    for i in range(0, 80, 5):
        tokens = edited[i].split()
        tokens[10] = "changed"
        edited[i] = " ".join(tokens)
    old, new = "\n\n".join(paragraphs), "\n\n".join(edited)
    assert len(old) > 30_000
    started = time.perf_counter()
    changes = compare_text(old, new)
    assert time.perf_counter() - started < 5
    assert changes.complete
    assert changed(changes.segments).count(("insert", "changed")) == 16


@pytest.mark.parametrize("size", [2_000, 20_000])
def test_a_long_paragraph_against_itself_with_one_word_changed_stays_complete(size):
    rng = random.Random(size)
    tokens = [f"w{rng.randrange(500)}" for _ in range(size)]
    old = " ".join(tokens)
    tokens[size // 2] = "inserted"
    changes = compare_words(old, " ".join(tokens))
    assert changes.complete
    assert ("insert", "inserted") in changed(changes.segments)


def test_the_longest_ordered_run_keeps_what_kept_its_order_on_both_sides():
    from drafting.amendments.diff import longest_ordered_run

    # 3 and 0 jumped; 1, 2, 4 stayed in order: what the diff anchors on and what matching calls not moved.
    assert longest_ordered_run([(0, 3), (1, 1), (2, 2), (3, 0), (4, 4)]) == [(1, 1), (2, 2), (4, 4)]
    assert longest_ordered_run([]) == []
