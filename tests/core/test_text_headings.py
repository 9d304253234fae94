"""Headings inside a position's text nest below the page's own headings (h1 title, h2 "Text")."""

from __future__ import annotations

from drafting.text import render_html


def test_hash_headings_start_at_h3():
    html = str(render_html("# Aims\n\n## Housing\n\n### Detail\n\ntext"))
    for heading in ("<h3 dir=\"auto\">Aims</h3>", "<h4 dir=\"auto\">Housing</h4>", "<h5 dir=\"auto\">Detail</h5>"):
        assert heading in html
    assert "<h1" not in html and "<h2" not in html


def test_deep_headings_stop_at_h6():
    html = str(render_html("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5"))
    assert '<h6 dir="auto">4</h6>' in html and '<h6 dir="auto">5</h6>' in html


def test_headings_never_skip_a_level():
    """The Nu Html Checker reports an h4 straight after the page's h2 ("## Housing" as a text's first heading)."""
    html = str(render_html("## Housing\n\n#### Detail\n\n# Aims"))
    assert '<h3 dir="auto">Housing</h3>' in html and '<h4 dir="auto">Detail</h4>' in html
    assert '<h3 dir="auto">Aims</h3>' in html


def test_a_page_may_choose_its_top_level():
    assert '<h2 dir="auto">Preface</h2>' in str(render_html("# Preface", top_level=2))


def test_position_page_headings_never_jump_above_its_own(client, login_as, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author, text="# Our aims\n\nCities first.")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "<h3 dir=\"auto\">Our aims</h3>" in page
    assert page.count("<h1") == 1
