"""What every text field does with characters that change how text reads: bidi controls and the
Unicode line and paragraph separators."""

from __future__ import annotations

from drafting.text import clean_text, render_html, xml_safe


def test_bidi_controls_are_removed_at_input_and_by_the_builder():
    typed = "Cities \u202egnisuoh\u202c and \u2066regions\u2069 \u202a\u202b\u202d"
    assert clean_text(typed) == "Cities gnisuoh and regions "
    assert xml_safe(typed) == "Cities gnisuoh and regions "


def test_line_and_paragraph_separators_become_line_ends():
    assert clean_text("one\u2028two\u2029three\x85four") == "one\ntwo\n\nthree\nfour"
    assert xml_safe("one\u2028two\u2029three\x85four") == "one\ntwo\n\nthree\nfour"
    assert render_html(clean_text("one\u2029two")).count("<p>") == 2


def test_a_refused_link_keeps_its_text_only():
    html = render_html("See [the plan](javascript:alert(1)) now.")
    assert "the plan" in html and "](" not in html and "javascript" not in html
