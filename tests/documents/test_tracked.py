"""The writer of tracked changes on its own (drafting/documents/render/tracked.py), as another kind of
edition uses it: changes of one author, "UCLG", with the comments it is given; Accept All and Reject All
give the proposed text and the text as it stands."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
import pytest
from lxml import etree

from drafting.documents.plan.data import TextLine
from drafting.documents.render.template import TEMPLATE_PATH
from drafting.documents.render.tracked import CommentLine, TrackedChange, TrackedText
from drafting.documents.render.wordml import Writer
from tests.support.tracked_changes import W, settled_paragraphs

from .test_tracked_text import comments_of

LINES = [
    TextLine(1, "heading", "Objective 15: Provide access to basic services"),
    TextLine(2, "paragraph", "We commit to ensure that all migrants can safely access basic services.", "31"),
    TextLine(3, "paragraph", "Enact laws to ensure that service delivery does not amount to discrimination;", "31(a)"),
    TextLine(4, "paragraph", "Establish independent institutions to receive complaints;", "31(b)"),
]
WHEN = datetime(2018, 3, 20, 16, 0)


@pytest.fixture
def backend():
    """No database here: the app only provides the catalogues."""
    return "sqlite"


def joint(kind: str, text: str, reason: str, networks: str) -> TrackedChange:
    """A joint proposal of the secretariat: authored "UCLG", its comment naming the networks behind it."""
    return TrackedChange(kind, text, "UCLG", WHEN, [CommentLine(f"Proposed by {networks}.", "en"),
                                                     CommentLine(reason, "en")])


def document_with(changes: dict[int, list[TrackedChange]]) -> bytes:
    document = docx.Document(str(TEMPLATE_PATH))
    writer = Writer(document, "en")
    tracked = TrackedText(writer, "en", "Alt. %(n)s \u2014 %(networks)s")
    for line in LINES:
        if line.kind == "heading":
            tracked.heading(line.text)
        else:
            tracked.paragraph(line, changes.get(line.key, []))
    tracked.close()
    writer.insert(tracked.xml())
    tracked.install_comments(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("app")
def test_the_joint_proposals_are_changes_by_uclg_that_accept_and_reject_cleanly():
    data = document_with({
        2: [joint("replace", "We commit to ensure that all migrants, regardless of status, can safely access "
                  "basic services.", "CEMR's wording, shortened.", "CEMR, Metropolis")],
        3: [joint("delete", "", "Covered by paragraph 31.", "UCLG-MEWA"),
            joint("insert_after", "Ensure that local authorities can deliver services to all;",
                  "Merged from two proposals.", "UCLG Africa, CEMR")],
    })
    assert settled_paragraphs(data, accept=False)[:4] == [
        "Objective 15: Provide access to basic services",
        "31.\tWe commit to ensure that all migrants can safely access basic services.",
        "(a)\tEnact laws to ensure that service delivery does not amount to discrimination;",
        "(b)\tEstablish independent institutions to receive complaints;"]
    assert settled_paragraphs(data, accept=True)[:4] == [
        "Objective 15: Provide access to basic services",
        "31.\tWe commit to ensure that all migrants, regardless of status, can safely access basic services.",
        "Ensure that local authorities can deliver services to all;",
        "(b)\tEstablish independent institutions to receive complaints;"]
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    changes = root.findall(f".//{W}ins") + root.findall(f".//{W}del")
    assert changes and {change.get(f"{W}author") for change in changes} == {"UCLG"}
    assert {change.get(f"{W}date") for change in changes} == {"2018-03-20T16:00:00Z"}
    comments = comments_of(data)
    assert [c["author"] for c in comments] == ["UCLG"] * 3
    assert comments[1]["lines"] == ["Proposed by UCLG-MEWA.", "Covered by paragraph 31."]


@pytest.mark.usefixtures("app")
def test_a_change_without_comment_lines_has_no_comment():
    data = document_with({4: [TrackedChange("delete", "", "UCLG", WHEN)]})
    assert settled_paragraphs(data, accept=True)[:3] == [
        "Objective 15: Provide access to basic services",
        "31.\tWe commit to ensure that all migrants can safely access basic services.",
        "(a)\tEnact laws to ensure that service delivery does not amount to discrimination;"]
    assert b"commentReference" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
