"""Word tracked changes on a numbered text, written so that Accept All gives exactly the proposed text and
Reject All exactly the text as it stands: typed numbers, tabs and paragraph marks included.

Any edition that shows changes to the negotiated text writes them here, each with one author: the
networks' own proposals ("Text with proposed amendments"), or another author's, such as the
secretariat's joint proposals authored "UCLG". `TrackedText.paragraph(line, changes)` is the one entry.

The rules, as Word and LibreOffice apply them:
- a replaced wording keeps its number and tab, and marks only the words that differ (`w:del`, `w:ins`);
- a deleted paragraph has everything in `w:del`, its number and tab too, and its paragraph mark deleted
  (`w:pPr/w:rPr/w:del`): accepted, nothing of it is left;
- an inserted paragraph (a new one after another, or an alternative) has all its runs in `w:ins` and its
  paragraph mark inserted: rejected, nothing of it is left;
- alternatives (several wordings for one paragraph): the paragraph deleted, each alternative after it as a
  whole inserted paragraph with the paragraph's number, labelled by its comment. Accept All keeps every
  alternative (the negotiators choose among them), Reject All the paragraph as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from drafting.amendments.diff import diff_words
from drafting.core.memo import memoized
from drafting.documents.plan.data import TextLine
from drafting.documents.render.wordml import Writer, escape

DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
IN_PLACE = ("replace", "delete")


@dataclass(frozen=True)
class CommentLine:
    """One paragraph of a Word comment, in its own language (a rationale keeps its position's)."""

    text: str
    language: str


@dataclass
class TrackedChange:
    """One change to one paragraph by one author: "replace" (`text` is the paragraph's new wording),
    "delete", or "insert_after" (`text` is a new paragraph after it). `comment`: the lines of the Word
    comment on it (none: no comment); `label`: who proposes it, named in an alternative's label."""

    kind: str
    text: str
    author: str
    date: datetime | None = None
    comment: list[CommentLine] = field(default_factory=list)
    label: str = ""
    attributes: str = ""  # w:author and w:date, escaped once however many runs the change marks


@memoized(maxsize=4096)
def _attr(text: str) -> str:
    """Escape for an XML attribute (texts are made XML-safe by the caller)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class TrackedText:
    """The text's paragraphs with their tracked changes, as WordprocessingML pieces, and the comments on
    them. Changes and comments draw their ids from one counter: no two annotations share one.

    `text_language`: the language of the text and of the changes to it (the writer's language is the
    document's, that of an alternative's label); `alternative`: that label, as "Alt. %(n)s — %(networks)s"."""

    def __init__(self, writer: Writer, text_language: str, alternative: str) -> None:
        self.writer = writer
        self.rpr = writer.rpr(text_language, False, False, None)
        self.heading_style = writer.style("Heading 2")
        self.hanging_styles = (writer.style("Hanging Paragraph"), writer.style("Hanging Sub-paragraph"))
        # The template's comment styles, under Word's built-in names.
        self.reference_style = writer.styles.get("annotation reference")
        self.comment_style = "annotation text" if "annotation text" in writer.styles else None
        self.alternative = alternative
        self.pieces: list[str] = []
        self.comments: list[str] = []
        self._next_id = 0
        self._last_marked = False  # the last paragraph's mark is tracked

    # The text, paragraph by paragraph

    def heading(self, text: str) -> None:
        self._add(f'<w:p><w:pPr><w:pStyle w:val="{self.heading_style}"/></w:pPr>{self._run(text)}</w:p>')

    def paragraph(self, line: TextLine, changes: list[TrackedChange]) -> None:
        """`line` with `changes`, in the order given: at most one in-place change ("replace" or
        "delete") is tracked in the paragraph itself; several are alternatives; each "insert_after" is a
        new paragraph after it."""
        in_place = [change for change in changes if change.kind in IN_PLACE]
        number, style = self._number(line), self._style(line)
        plain = f"<w:pPr>{style}</w:pPr>" if style else ""
        if not in_place:
            self._add(f"<w:p>{plain}{number[0]}{self._run(line.text)}</w:p>")
        elif len(in_place) == 1 and in_place[0].kind == "replace":
            change = in_place[0]
            self._add(f"<w:p>{plain}{number[0]}{self._commented(change, self._replaced(line.text, change))}</w:p>")
        elif len(in_place) == 1:
            self._deleted_paragraph(number, line.text, in_place[0], in_place[0], style=style)
        else:
            self._alternatives(line, number, in_place)
        for change in changes:
            if change.kind == "insert_after":
                self._inserted_paragraph(self._run(change.text), change, change)

    def close(self) -> None:
        """The text ends the document: a last plain paragraph, when the text's last one has a tracked
        mark (the document's final paragraph mark can be neither inserted nor deleted)."""
        if self._last_marked:
            self._add("<w:p/>")

    def xml(self) -> str:
        return "".join(self.pieces)

    def install_comments(self, document) -> None:
        if self.comments:
            document.part._comments_part._element = parse_xml(
                f"<w:comments {nsdecls('w')}>{''.join(self.comments)}</w:comments>")

    # Paragraphs

    def _alternatives(self, line: TextLine, number: tuple[str, str], alternatives: list[TrackedChange]) -> None:
        """The paragraph deleted (by the network that proposes to delete it, if one does, else by the first
        alternative's), then each other wording as a whole inserted paragraph, each labelled by its comment."""
        labels = {id(change): self.alternative % {"n": n, "networks": change.label or change.author}
                  for n, change in enumerate(alternatives, start=1)}
        deletion = next((change for change in alternatives if change.kind == "delete"), None)
        style = self._style(line)
        self._deleted_paragraph(number, line.text, deletion or alternatives[0], deletion,
                                labels.get(id(deletion)), style)
        for change in alternatives:
            if change.kind == "replace":
                self._inserted_paragraph(number[0] + self._run(change.text), change, change, labels[id(change)],
                                         style)

    def _deleted_paragraph(self, number: tuple[str, str], text: str, change: TrackedChange,
                           commented: TrackedChange | None, label: str | None = None, style: str = "") -> None:
        runs = self._deleted(number[1] + self._run(text, deleted=True), change)
        if commented is not None:
            runs = self._commented(commented, runs, label)
        self._add(f"<w:p>{self._mark('del', change, style)}{runs}</w:p>", marked=True)

    def _inserted_paragraph(self, runs: str, change: TrackedChange, commented: TrackedChange,
                            label: str | None = None, style: str = "") -> None:
        content = self._commented(commented, self._inserted(runs, change), label)
        self._add(f"<w:p>{self._mark('ins', change, style)}{content}</w:p>", marked=True)

    def _add(self, piece: str, marked: bool = False) -> None:
        self.pieces.append(piece)
        self._last_marked = marked

    # Runs

    def _style(self, line: TextLine) -> str:
        """A numbered line hangs its number as the consolidated text's numbered paragraphs do: "16." at the
        margin, "(a)" where that text starts (the template's hanging styles)."""
        if not line.number:
            return ""
        return f'<w:pStyle w:val="{self.hanging_styles["(" in line.number]}"/>'

    def _number(self, line: TextLine) -> tuple[str, str]:
        """"16." before a paragraph, "(a)" before a lettered sub-paragraph "16(a)", then a tab: as plain
        runs and as deleted runs."""
        if not line.number:
            return "", ""
        number = f"({line.number.split('(', 1)[1]}" if "(" in line.number else f"{line.number}."
        tab = f"<w:r>{self.rpr}<w:tab/></w:r>"
        return self._run(number) + tab, self._run(number, deleted=True) + tab

    def _run(self, text: str, deleted: bool = False) -> str:
        if not text:
            return ""
        tag = "w:delText" if deleted else "w:t"
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f"<w:r>{self.rpr}<{tag}{space}>{escape(text)}</{tag}></w:r>"

    def _replaced(self, current: str, change: TrackedChange) -> str:
        pieces = []
        for segment in diff_words(current, change.text):
            if segment.kind == "same":
                pieces.append(self._run(segment.text))
            elif segment.kind == "delete":
                pieces.append(self._deleted(self._run(segment.text, deleted=True), change))
            else:
                pieces.append(self._inserted(self._run(segment.text), change))
        return "".join(pieces)

    def _inserted(self, runs: str, change: TrackedChange) -> str:
        return f"<w:ins {self._change_attributes(change)}>{runs}</w:ins>" if runs else ""

    def _deleted(self, runs: str, change: TrackedChange) -> str:
        return f"<w:del {self._change_attributes(change)}>{runs}</w:del>" if runs else ""

    def _mark(self, kind: str, change: TrackedChange, style: str = "") -> str:
        """The paragraph mark inserted or deleted (after the paragraph's style, as the schema orders them)."""
        return f"<w:pPr>{style}<w:rPr><w:{kind} {self._change_attributes(change)}/></w:rPr></w:pPr>"

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _change_attributes(self, change: TrackedChange) -> str:
        if not change.attributes:
            date = f' w:date="{change.date.strftime(DATE_FORMAT)}"' if change.date else ""
            change.attributes = f'w:author="{_attr(change.author)}"{date}'
        return f'w:id="{self._id()}" {change.attributes}'

    # Comments

    def _commented(self, change: TrackedChange, content: str, label: str | None = None) -> str:
        """`content` with the change's comment on it; `label` (an alternative's) as its first line."""
        lines = ([CommentLine(label, self.writer.language)] if label else []) + change.comment
        if not lines:
            return content
        comment_id = self._id()
        date = f' w:date="{change.date.strftime(DATE_FORMAT)}"' if change.date else ""
        paragraphs = "".join(self._comment_paragraph(line) for line in lines)
        # The initials are the author's short name in full: Word shows them beside the comment.
        self.comments.append(f'<w:comment w:id="{comment_id}" w:author="{_attr(change.author)}"{date} '
                             f'w:initials="{_attr(change.author)}">{paragraphs}</w:comment>')
        style = f'<w:rPr><w:rStyle w:val="{self.reference_style}"/></w:rPr>' if self.reference_style else ""
        return (f'<w:commentRangeStart w:id="{comment_id}"/>{content}'
                f'<w:commentRangeEnd w:id="{comment_id}"/><w:r>{style}<w:commentReference w:id="{comment_id}"/></w:r>')

    def _comment_paragraph(self, line: CommentLine) -> str:
        """A comment's paragraph in the language of its text, right to left where it is Arabic (by run,
        from the script of each piece)."""
        language = self.writer.latin_if_no_rtl(line.text, line.language)
        runs = self.writer.run_xml(line.text, language, safe=True)
        return f"<w:p>{self.writer.ppr(self.comment_style, language)}{runs}</w:p>"
