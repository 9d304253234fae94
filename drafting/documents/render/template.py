"""The template the Word writer builds from (`template.docx`, written by `make_template`), and the ids
and measures that the writer and the template must agree on."""

from __future__ import annotations

from pathlib import Path

TEMPLATE_PATH = Path(__file__).with_name("template.docx")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BULLET_NUM_ID = 1
DECIMAL_NUM_ID = 2
DECIMAL_ABSTRACT_ID = 11
PARAGRAPH_NUM_ID = 3  # the positions' paragraphs, numbered continuously through the document ("paragraph 37")
PARAGRAPH_ABSTRACT_ID = 12
# Lists inside numbered paragraphs: (a), (b), then (i), (ii), as UN documents, so that "paragraph 2"
# always means one of the document's own numbered paragraphs.
LETTERED_ABSTRACT_ID = 13
FONT = "Times New Roman"  # as UN documents; Liberation Serif is its metric twin (same line and page breaks)
# The serif Arabic face named for complex script (w:cs): Debian's fonts-hosny-amiri, free for Word users too;
# without it LibreOffice sets Arabic in a sans-serif fallback beside the serif Latin text.
ARABIC_FONT = "Amiri"
TEXT_WIDTH = 9412  # twips between the margins of an A4 page with 2.2 cm margins: right tabs stop here
CLOSING_RULE_WIDTH = 2268  # twips (4 cm): the short centred rule closing a UN document's text
# Numbered paragraphs hang their number: "16." at the margin, the text one indent in, and "(a)" where that
# text starts. Every edition kind takes it from the template's styles ("Numbered Paragraph", whose number
# is a list, "Hanging Paragraph" and "Hanging Sub-paragraph", whose numbers are typed), never from its own.
PARAGRAPH_INDENT = 567
