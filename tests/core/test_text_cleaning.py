"""What every text field does with characters that change how text reads: bidi controls and the
Unicode line and paragraph separators."""

from __future__ import annotations

import random

from drafting.text import clean_text, parse_inline_markdown, render_html, simple_emphasis, xml_safe


def test_bidi_controls_are_removed_at_input_and_by_the_builder():
    typed = "Cities \u202egnisuoh\u202c and \u2066regions\u2069 \u202a\u202b\u202d"
    assert clean_text(typed) == "Cities gnisuoh and regions "
    assert xml_safe(typed) == "Cities gnisuoh and regions "


def test_line_and_paragraph_separators_become_line_ends():
    assert clean_text("one\u2028two\u2029three\x85four") == "one\ntwo\n\nthree\nfour"
    assert xml_safe("one\u2028two\u2029three\x85four") == "one\ntwo\n\nthree\nfour"
    assert render_html(clean_text("one\u2029two")).count("<p dir=\"auto\">") == 2


def test_a_refused_link_keeps_its_text_only():
    html = render_html("See [the plan](javascript:alert(1)) now.")
    assert "the plan" in html and "](" not in html and "javascript" not in html


def _parser_reading(source: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) pieces as markdown-it reads them; any other token shows up as itself."""
    pieces, bold, italic = [], 0, 0
    for token in parse_inline_markdown(source)[0].children or []:
        if token.type == "text":
            if token.content:
                pieces.append((token.content, bold > 0, italic > 0))
        elif token.type in ("strong_open", "strong_close"):
            bold += 1 if token.type == "strong_open" else -1
        elif token.type in ("em_open", "em_close"):
            italic += 1 if token.type == "em_open" else -1
        else:
            pieces.append((f"<{token.type}>", False, False))
    return pieces


def test_the_builders_shortcut_for_plain_emphasis_reads_as_the_parser_does():
    assert simple_emphasis("**Summary.** Cities *deliver* services.") == [
        ("Summary.", True, False), (" Cities ", False, False), ("deliver", False, True), (" services.", False, False)]
    # What the shortcut leaves to the parser: nesting, odd runs, underscores, links, breaks, words glued on.
    for source in ("**a *b* c**", "***a***", "a**b**", "**a**b", "_a_", "[a](b)", "a\nb", "** a**", "*a", "*(a)*"):
        assert simple_emphasis(source) is None, source
    pieces = ["*", "**", "***", " ", " ", "word", "x", "7", ".", ",", "(", ")", "!", "'", "é", "»", "\u00a0",
              "\\", "-", "\u3000", "²"]
    rng = random.Random(2018)
    taken = 0
    for _ in range(40_000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))).strip()
        shortcut = simple_emphasis(source) if source else None
        if shortcut is not None:
            taken += 1
            assert shortcut == _parser_reading(source), source
    assert taken > 5_000  # the generated texts do exercise the shortcut
