"""What user text may contain, and how the Markdown subset of positions is read and rendered.

One home for these rules: forms clean input with `clean_text`, pages render with `render_html`, and
the Word builder walks the same tokens from `parse_markdown`.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, nor U+FFFE/U+FFFF.
# The bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) go too: an
# override reverses the words that follow it, in the page and in the document, beyond its own text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# Line and paragraph separators (and NEL) are line ends the browser shows but Markdown and Word do
# not: a line separator and NEL become a new line, a paragraph separator a new paragraph.
_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_SEPARATOR_AS = {"\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a lone surrogate becomes on the way in: bytes that are not UTF-8 decode to U+FFFD.
_BROKEN = re.compile("[\ud800-\udfff\ufffd]")


def _line_ends(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\x85" in value or "\u2028" in value or "\u2029" in value:
        value = _SEPARATORS.sub(lambda match: _SEPARATOR_AS[match.group()], value)
    return value


class UnreadableText(ValueError):
    """The text holds lone surrogates: broken characters that cannot be stored or printed."""


def has_lone_surrogates(value: str) -> bool:
    """Lone surrogates, or the replacement characters left where the browser sent broken bytes."""
    return bool(_BROKEN.search(value))


def has_refused_characters(value: str) -> bool:
    """Whether the text holds anything `clean_text` drops or refuses (tab and newline aside): a field
    that is not free text (a key, a choice, a password) takes none of it."""
    return bool(_CONTROL.search(value) or _BROKEN.search(value))


def clean_text(value: str | None) -> str:
    """Drop control characters other than tab and newline; normalise line ends.

    Raises UnreadableText for lone surrogates, which the user must fix: dropping them would
    silently change words.
    """
    if not value:
        return ""
    if has_lone_surrogates(value):
        raise UnreadableText(value)
    return _CONTROL.sub("", _line_ends(value))


# Characters that show nothing and only hide a break inside a word or a search: the byte-order mark
# (U+FEFF), zero-width space (U+200B) and word joiner (U+2060). The zero-width (non-)joiners shape
# letters in Arabic, Persian and the scripts of India: they stay between two letters of such scripts
# and go elsewhere (in Latin text they only split a word for the search).
_INVISIBLE_ALWAYS = re.compile("[\ufeff\u200b\u2060\ufffd\ud800-\udfff]")


def _keeps_joiner(before: str, after: str) -> bool:
    def shaped(char: str) -> bool:
        return char.isalpha() and ord(char) > 0x052F or unicodedata.category(char).startswith("M")
    return shaped(before) and shaped(after)


def visible_text(value: str) -> str:
    """Text read from a file (a Word revision), as it will be shown and stored: what `clean_text`
    drops, and the invisible characters above, removed; broken characters (U+FFFD, lone surrogates)
    dropped, as the text came from a file and no one typed them."""
    if value.isascii() and not value.encode().translate(None, _XML_SAFE_ASCII):
        return value  # nothing to drop: most text, and one pass in C
    value = _CONTROL.sub("", _line_ends(value))
    value = _INVISIBLE_ALWAYS.sub("", value)
    if "\u200c" in value or "\u200d" in value:
        value = "".join(char for index, char in enumerate(value)
                        if char not in "\u200c\u200d"
                        or _keeps_joiner(value[index - 1:index] or " ", value[index + 1:index + 2] or " "))
    return value


def collapse_whitespace(text: str | None) -> str:
    """Runs of spaces, tabs and line ends as one space, none at either end: one line of text."""
    return " ".join((text or "").split())


def strip_controls(value: str) -> str:
    """What is left of text that was refused: no control characters, no surrogates, so it can be shown
    again and even looked up without reaching a database that cannot hold it."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


# Anything `xml_safe` would change: most text has none, and one search is cheaper than the cleaning.
_NOT_XML_SAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\x85\u2028\u2029\u202a-\u202e\u2066-\u2069"
                           "\ufffe\uffff\ud800-\udfff]")


_XML_SAFE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def xml_safe(value: str) -> str:
    """The builder's second guard: whatever reached it, nothing XML cannot hold goes out."""
    if value.isascii():
        # Deleting every harmless byte leaves nothing: ten times faster than the search on long texts.
        if not value.encode().translate(None, _XML_SAFE_ASCII):
            return value
    elif not _NOT_XML_SAFE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _line_ends(value)))


def _make_parser() -> MarkdownIt:
    # Paragraphs, headings, bulleted and numbered lists, bold, italic, links. Nothing else: no raw
    # HTML, no images, no tables, no code blocks (an indented line stays a paragraph).
    parser = MarkdownIt("zero").enable(["heading", "list", "emphasis", "link", "newline"])
    # Every [text](target) is read as a link, whatever its target: a refused target (javascript:,
    # file:, ...) is then dropped by the sanitizer and the Word builder, keeping the text alone,
    # instead of the whole Markdown printing raw.
    parser.validateLink = lambda url: True
    return parser


_PARSER = _make_parser()


def parse_markdown(source: str) -> list[Token]:
    return _PARSER.parse(source or "")


def parse_inline_markdown(source: str) -> list[Token]:
    """The inline tokens (emphasis, links, breaks) of one paragraph's text, without the block pass."""
    return _PARSER.parseInline(source or "")


# The emphasis that positions mostly use, read without the parser: "**Summary.** text *word* text".
# Only delimiter runs whose reading cannot depend on CommonMark's finer rules take this way: `*` or
# `**` opening after a space (or at the start) before a letter or digit, closing the same run after a
# letter, digit or ASCII punctuation and before a space, ASCII punctuation or the end, never nested.
# Anything else (underscores, links, line breaks, `***`, a run touching other characters) goes to
# the parser; a test holds both readings equal on generated text.
_DELIMITER_RUNS = re.compile(r"(\*+)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()+,-./:;<=>?@\\^`{|}~")


def simple_emphasis(source: str) -> list[tuple[str, bool, bool]] | None:
    """(text, bold, italic) pieces of one paragraph's text, as `parse_inline_markdown` reads it, or
    None when the text holds anything beyond the plain emphasis described above."""
    if "_" in source or "[" in source or "]" in source or "\n" in source:
        return None
    pieces = _DELIMITER_RUNS.split(source)
    spans: list[tuple[str, bool, bool]] = []
    opened = 0  # length of the open run, 0 outside emphasis
    for index in range(1, len(pieces), 2):
        run = len(pieces[index])
        before, after = pieces[index - 1], pieces[index + 1]
        if not opened:
            if run > 2 or (before and before[-1] != " ") or not (after and after[0].isalnum()):
                return None
            opened = run
            spans.append((before, False, False))
        else:
            last = before[-1:]  # never empty: the opening run is followed by a letter or digit
            if run != opened or not (last.isalnum() or last in _ASCII_PUNCTUATION):
                return None
            if after and after[0] != " " and after[0] not in _ASCII_PUNCTUATION:
                return None
            spans.append((before, opened == 2, opened == 1))
            opened = 0
    if opened:
        return None
    spans.append((pieces[-1], False, False))
    return [span for span in spans if span[0]]


ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_BARE_BLOCK = re.compile(r"<(p|h[1-6]|li)>")

# A position's text sits under the page's own h1 (its title) and h2 ("Text"): its `#` becomes h3.
TOP_HEADING_LEVEL = 3


def _shift_headings(tokens: list[Token], top_level: int) -> None:
    """The text's headings from `top_level` down, never skipping a level (a page's outline, and HTML,
    want no h4 straight after an h2): each goes at most one level below the heading before it."""
    previous, level = top_level - 1, top_level
    for token in tokens:
        if token.type == "heading_open":
            wanted = int(token.tag[1]) + top_level - 1
            level = min(wanted, previous + 1, 6)
            previous = level
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{level}"


def render_html(source: str, top_level: int = TOP_HEADING_LEVEL) -> Markup:
    """The Markdown subset as HTML, through the nh3 sanitizer: no script, style, iframe, event
    handler or javascript: link can come out, whatever the input. Headings start at `top_level`
    (`#` is h3 by default, deeper levels follow without skipping one, h6 at most) so that they nest
    below the page's."""
    parser = _PARSER
    env: dict = {}
    tokens = parser.parse(source or "", env)
    _shift_headings(tokens, top_level)
    html = parser.renderer.render(tokens, parser.options, env)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    # Each block takes the direction of its own first strong letter: an English paragraph quoted in an
    # Arabic position reads left to right, and the other way round. nh3 left these tags bare.
    cleaned = _BARE_BLOCK.sub(r'<\1 dir="auto">', cleaned)
    return Markup(cleaned)  # noqa: S704  (sanitized by nh3 just above)
