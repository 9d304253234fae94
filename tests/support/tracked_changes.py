"""Accept All and Reject All on a Word file's XML, as Word and LibreOffice apply them, and the texts they
must give: the revision (Reject All) and the proposed text (Accept All), paragraph by paragraph. Also a
seeded generator of texts with proposals of every kind, for the editions that show tracked changes.

The rules applied (ECMA-376 17.13.5): accepting removes what is inside `w:del` and keeps what is inside
`w:ins`; rejecting the reverse. A paragraph whose mark is removed (`w:pPr/w:rPr/w:del` accepted,
`w:pPr/w:rPr/w:ins` rejected) is joined to the paragraph after it; the document's last mark stays.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lxml import etree

from drafting.documents.plan.data import Proposal, TextLine, TextWithAmendments
from drafting.documents.render.text_with_amendments import distinct_changes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE = "<table>"
# The sentence before the text in every "Text with proposed amendments" (English), and the appendix after it.
TEXT_STARTS_AFTER = "as tracked changes:"
TEXT_ENDS_BEFORE = "Amendments not anchored to this revision"


def _inside(element, stop, tag: str) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def settled_paragraphs(data: bytes, accept: bool) -> list[str]:
    """The body's paragraphs (tables as TABLE) after Accept All (`accept`) or Reject All."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    removed = f"{W}del" if accept else f"{W}ins"
    texts: list[str] = []
    joined = ""  # the text of paragraphs whose mark was removed, joined to the next
    for child in root.find(f"{W}body"):
        if child.tag == f"{W}tbl":
            texts.append(joined + TABLE)
            joined = ""
            continue
        if child.tag != f"{W}p":
            continue
        pieces = []
        for element in child.iter(f"{W}t", f"{W}delText", f"{W}tab"):
            if _inside(element, child, removed) or _inside(element, child, f"{W}pPr"):
                continue
            if element.tag == f"{W}delText" and not _inside(element, child, f"{W}del"):
                continue
            pieces.append("\t" if element.tag == f"{W}tab" else element.text or "")
        mark = child.find(f"{W}pPr/{W}rPr/{removed}")
        if mark is not None:
            joined += "".join(pieces)
            continue
        texts.append(joined + "".join(pieces))
        joined = ""
    if joined:
        texts.append(joined)
    return texts


def text_region(paragraphs: list[str]) -> list[str]:
    """The paragraphs of the negotiated text: after the sentence that introduces it, before the appendix,
    without the empty paragraphs that close the document."""
    start = next(i for i, text in enumerate(paragraphs) if TEXT_STARTS_AFTER in text) + 1
    end = next((i for i, text in enumerate(paragraphs) if i >= start and text == TEXT_ENDS_BEFORE),
               len(paragraphs))
    region = paragraphs[start:end]
    while region and not region[-1]:
        region.pop()
    return region


def _numbered(line: TextLine, text: str) -> str:
    if not line.number:
        return text
    number = f"({line.number.split('(', 1)[1]}" if "(" in line.number else f"{line.number}."
    return f"{number}\t{text}"


def expected_texts(text: TextWithAmendments) -> tuple[list[str], list[str]]:
    """(the revision, the proposed text) as their paragraphs should read: Reject All gives the first,
    Accept All the second (an alternative each as a paragraph with the number of the one it replaces)."""
    changes = distinct_changes(text.proposals)
    revision, proposed = [], []
    for line in text.lines:
        if line.kind == "heading":
            revision.append(line.text)
            proposed.append(line.text)
            continue
        revision.append(_numbered(line, line.text))
        found = changes.get(line.key, [])
        in_place = [change for change in found if change.kind in ("replace", "delete")]
        if not in_place:
            proposed.append(_numbered(line, line.text))
        proposed.extend(_numbered(line, change.text) for change in in_place if change.kind == "replace")
        proposed.extend(change.text for change in found if change.kind == "insert_after")
    return revision, proposed


# A seeded generator ---------------------------------------------------------------------------------

NETWORKS = ("CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa")
RATIONALES = (("Cities hold the data.", "en"), ("Les communes tiennent les registres ; c'est local.", "fr"),
              ("السلطات المحلية هي الأقرب إلى المهاجرين.", "ar"), ("La aplicación es también local.", "es"), ("", "en"))
WORDS = ("We", "commit", "to", "strengthen", "the", "evidence", "base", "on", "migration,", "local", "and",
         "regional", "authorities;", "States", "will", "review", "policies.", "in", "cooperation", "with",
         "cities", "(including", "towns)", "\u201cservices\u201d", "40%", "data", "A & B", "<scope>")
KINDS = ("plain", "replace", "delete", "insert_after", "alternatives", "shared", "replace_and_insert",
         "delete_and_insert", "alternatives_with_delete")


@dataclass
class GeneratedText:
    text: TextWithAmendments
    kinds: set[str]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _rewording(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        position = rng.randrange(len(words) + 1)
        if action < 0.4:
            words.insert(position, rng.choice(WORDS))
        elif action < 0.7 and len(words) > 1:
            words.pop(min(position, len(words) - 1))
        else:
            words[min(position, len(words) - 1)] = rng.choice(WORDS)
    reworded = " ".join(words)
    return reworded if reworded != text else f"{text} {rng.choice(WORDS)}"


def generated_text(seed: int) -> GeneratedText:
    """A text of one to three sections with proposals of every kind; the last paragraph of each section
    often gets a new paragraph after it (a paragraph inserted at the end of a section)."""
    rng = random.Random(seed)
    lines: list[TextLine] = []
    proposals: list[Proposal] = []
    kinds: set[str] = set()
    number, key = rng.randint(1, 40), 0
    start = datetime(2018, 3, 1, 9, 0)

    def propose(paragraph: int, kind: str, text: str, sponsor: str | None = None, day: int | None = None) -> None:
        rationale, language = rng.choice(RATIONALES)
        when = start + timedelta(days=rng.randint(0, 3) if day is None else day, minutes=rng.randint(0, 59))
        proposals.append(Proposal(paragraph, kind, text, sponsor or rng.choice(NETWORKS), when, rationale, language))

    for section in range(rng.randint(1, 3)):
        key += 1
        lines.append(TextLine(key, "heading", f"Objective {section + 1}: {_sentence(rng, 4)}"))
        count = rng.randint(1, 6)
        for index in range(count):
            key += 1
            lettered = index and rng.random() < 0.2
            if lettered:
                reference = f"{number - 1}({'abcdefgh'[index % 8]})"
            elif rng.random() < 0.1:
                reference = ""  # an unnumbered paragraph (a chapeau)
            else:
                reference = str(number)
                number += 1
            text = _sentence(rng, rng.randint(3, 14))
            lines.append(TextLine(key, "paragraph", text, reference))
            kind = rng.choice(KINDS)
            if index == count - 1 and rng.random() < 0.5:
                kind = "insert_after"  # at the end of its section
            kinds.add(kind)
            if kind == "replace":
                propose(key, "replace", _rewording(rng, text))
            elif kind == "delete":
                propose(key, "delete", "")
            elif kind == "insert_after":
                propose(key, "insert_after", _sentence(rng, rng.randint(2, 10)))
            elif kind in ("alternatives", "alternatives_with_delete"):
                sponsors = rng.sample(NETWORKS, 3)
                propose(key, "replace", _rewording(rng, text), sponsors[0], day=0)
                if kind == "alternatives":
                    propose(key, "replace", _rewording(rng, text), sponsors[1], day=1)
                else:
                    propose(key, "delete", "", sponsors[1], day=1)
                if rng.random() < 0.5:
                    propose(key, "replace", _rewording(rng, text), sponsors[2], day=2)
            elif kind == "shared":
                wording = _rewording(rng, text)
                first, second = rng.sample(NETWORKS, 2)
                propose(key, "replace", wording, first, day=0)
                propose(key, "replace", wording.replace(" ", "  ", 1), second, day=1)  # whitespace aside, the same
            elif kind == "replace_and_insert":
                propose(key, "replace", _rewording(rng, text))
                propose(key, "insert_after", _sentence(rng, 5))
            elif kind == "delete_and_insert":
                propose(key, "delete", "")
                propose(key, "insert_after", _sentence(rng, 5))
    return GeneratedText(TextWithAmendments("Zero draft", date(2018, 2, 5), lines, proposals), kinds)


def joined_texts(texts: list[TextWithAmendments]) -> TextWithAmendments:
    """Several generated texts as one (their keys renumbered): fewer documents for LibreOffice to open."""
    lines, proposals, offset = [], [], 0
    for text in texts:
        keys = {line.key: offset + index + 1 for index, line in enumerate(text.lines)}
        lines += [TextLine(keys[line.key], line.kind, line.text, line.number) for line in text.lines]
        proposals += [Proposal(keys[p.paragraph_key], p.kind, p.text, p.sponsor, p.approved_at, p.rationale,
                               p.language) for p in text.proposals]
        offset += len(text.lines)
    return TextWithAmendments("Zero draft", date(2018, 2, 5), lines, proposals)
