"""Reading the tracker's pages the way a browser would: links with their text, and the search count."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def search_links(html: str) -> dict[tuple, str]:
    """{(milestone, organisation, stage): link text} for every link to the search list."""
    found = {}
    for href, text in links(html):
        parts = urlsplit(href)
        if parts.path != "/search" or not parts.query:
            continue
        args = {key: values[0] for key, values in parse_qs(parts.query).items()}
        found[(args.get("milestone"), args.get("organisation"), args.get("stage"))] = text
    return found


def found_count(html: str) -> int:
    match = re.search(r"(\d+) positions? found", html)
    assert match, "the search page says how many positions it found"
    return int(match.group(1))


def result_titles(html: str) -> list[str]:
    return [text for href, text in links(html) if re.fullmatch(r"/positions/\d+", href)]
