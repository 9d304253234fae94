"""The structure of a revision of the negotiated text: headings and numbered paragraphs.

Both importers (a Word file, pasted text) produce a `ParsedText`; its canonical plain-text form
(`canonical_text`) is what the preview carries to "Publish", parsed again there, so the structure
the secretariat confirmed is exactly the structure saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.text import visible_text

KINDS = ("heading", "paragraph")

# "16." "16)" "16 " at the start of a paragraph; "(a)" "a)" "(aa)" for a lettered sub-paragraph.
_NUMBER = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4}){0,3})\s*[.)]?\s+(?=\S)")
_LETTER = re.compile(r"^\s*\(?([a-z]{1,3})\)\s+(?=\S)")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s+")


@dataclass
class Paragraph:
    kind: str  # "heading" or "paragraph"
    text: str
    number: str = ""  # "16", "16(a)"; empty for headings and for what could not be numbered
    section: str = ""  # the heading the paragraph stands under

    @property
    def numbered(self) -> bool:
        return bool(self.number)

    @property
    def anchor(self) -> str:
        """`p-16`, `p-16-a`: stable across revisions for the same number."""
        if not self.number:
            return ""
        return "p-" + self.number.replace("(", "-").replace(")", "")

    @property
    def first_words(self) -> str:
        words = self.text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


@dataclass
class ParsedText:
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def sections(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.kind == "heading"]

    @property
    def numbered(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "paragraph" and p.numbered]

    @property
    def unnumbered(self) -> list[Paragraph]:
        """Body paragraphs the importer could not number: the preview flags them."""
        return [p for p in self.paragraphs if p.kind == "paragraph" and not p.numbered]

    @property
    def duplicate_numbers(self) -> list[str]:
        seen: set[str] = set()
        repeated: list[str] = []
        for paragraph in self.numbered:
            if paragraph.number in seen and paragraph.number not in repeated:
                repeated.append(paragraph.number)
            seen.add(paragraph.number)
        return repeated

    def canonical_text(self) -> str:
        """Plain text that `parse_plain_text` reads back into the same structure."""
        lines = []
        for paragraph in self.paragraphs:
            if paragraph.kind == "heading":
                lines.append(f"# {paragraph.text}")
            elif "(" in paragraph.number:
                lines.append(f"({paragraph.number.split('(', 1)[1]} {paragraph.text}")
            elif paragraph.number:
                lines.append(f"{paragraph.number}. {paragraph.text}")
            else:
                lines.append(paragraph.text)
        return "\n\n".join(lines) + ("\n" if lines else "")


def normalise_space(text: str) -> str:
    """The text as shown and stored: invisible and reversing characters gone (`visible_text`), every
    run of spaces one space. Both importers and the publish step read text through here, so that the
    preview shows exactly what is published."""
    return " ".join(visible_text(text).split())


class Numberer:
    """Assigns numbers and sections while paragraphs come in document order."""

    def __init__(self) -> None:
        self.parsed = ParsedText()
        self._section = ""
        self._main = ""  # the last main number, for lettered sub-paragraphs

    def heading(self, text: str) -> None:
        text = normalise_space(text)
        if text:
            self._section = text
            self.parsed.paragraphs.append(Paragraph("heading", text, section=text))

    def numbered(self, number: str, text: str) -> None:
        self._main = number
        self._add(number, text)

    def lettered(self, letter: str, text: str) -> None:
        self._add(f"{self._main}({letter})" if self._main else "", text)

    def plain(self, text: str) -> None:
        self._add("", text)

    def _add(self, number: str, text: str) -> None:
        text = normalise_space(text)
        if text:
            self.parsed.paragraphs.append(Paragraph("paragraph", text, number=number, section=self._section))

    def typed(self, text: str) -> None:
        """A paragraph whose number, if any, is typed at its start."""
        text = normalise_space(text)
        if match := _NUMBER.match(text):
            self.numbered(".".join(str(int(part)) for part in match.group(1).split(".")), text[match.end():])
        elif (match := _LETTER.match(text)) and self._main:
            self.lettered(match.group(1), text[match.end():])
        else:
            self.plain(text)


def looks_like_heading(text: str) -> bool:
    """An unnumbered short line without closing punctuation: "Objective 2: …", "Preamble"."""
    text = text.strip()
    return 0 < len(text) <= 160 and text[-1] not in ".;,:" and not _NUMBER.match(text) \
        and not _LETTER.match(text)


def parse_plain_text(source: str) -> ParsedText:
    """Pasted text: one paragraph per line (blank lines ignored); `# ` marks a heading, as does a
    short unnumbered line without closing punctuation; "16." numbers a paragraph, "(a)" letters one."""
    numberer = Numberer()
    for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        if _HEADING_MARK.match(line):
            numberer.heading(_HEADING_MARK.sub("", line))
        elif looks_like_heading(line) and not line.strip()[0].isdigit():
            numberer.heading(line)
        else:
            numberer.typed(line)
    return numberer.parsed
