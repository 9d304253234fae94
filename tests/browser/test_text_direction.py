"""An Arabic position reads from its own start edge: its text is a column on the right of the page,
each paragraph aligned to its start, and an English paragraph inside it reads left to right."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_an_arabic_positions_text_sits_on_the_right_and_each_block_starts_at_its_own_edge(page, log_in):
    log_in(page, "contributor", "UCLG-MEWA")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Positions").click()
    page.get_by_role("link", name="DEMO · بيانات محلية من أجل سياسات أفضل").click()
    text = page.locator("section:has(h2:text-is('Text')) .prose")
    main = page.locator("main").bounding_box()
    block = text.bounding_box()
    # The column's right edge is the page's text edge on the right (main's padding aside), not its left.
    assert main["x"] + main["width"] - (block["x"] + block["width"]) < 40
    for paragraph in text.locator("p").all()[:3]:
        style = paragraph.evaluate("p => [getComputedStyle(p).direction, getComputedStyle(p).textAlign]")
        assert style == ["rtl", "start"]
