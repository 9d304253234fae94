"""The language of parts (WCAG 3.1.2) on pages read in French or Spanish.

The negotiated text is English: whatever quotes it (a paragraph, its first words, a heading, the words of
a diff, UCLG's wording of a joint proposal) sits inside an element marked lang="en" and dir="ltr", so that
a screen reader reads it in English. A position's title is marked with the position's own language.

Every page of every role that the browser walk visits (tests/browser/test_every_page.py, PAGES), on the
demo data, plus each notification of the walking accounts, is fetched in French and in Spanish and parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape as html_escape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import html
from sqlalchemy import select

import drafting
from drafting.demo import load_demo
from drafting.extensions import db
from drafting.i18n import LANGUAGE_TAGS
from drafting.models import JointProposal, OutboxMessage, Position, TextParagraph, User
from tests.browser.test_every_page import ROLES, _ids, _urls_for

# Messages are text written once in their recipient's language, titles included: not parts of the page.
MESSAGES = ("/notifications", "/outbox")
# Shorter pieces ("the", "local authorities") are words any sentence may share with the compact.
MIN_LENGTH = 25
# Text that is never read as a part of the page: the head (its <title> cannot carry a language), scripts'
# data and styles.
NOT_READ = {"head", "title", "script", "style"}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _inherited(element, attribute: str) -> str:
    """The value of `attribute` (lang, dir) that applies to `element`: its own, else its nearest ancestor's."""
    for node in (element, *element.iterancestors()):
        if node.get(attribute) is not None:
            return node.get(attribute)
    return ""


def _text_nodes(page: str) -> Iterator[tuple[object, str]]:
    """(the element holding it, the text) for each piece of text that a reader reads on the page."""
    for element in html.fromstring(page).iter():
        if not isinstance(element.tag, str) or any(
                node.tag in NOT_READ for node in (element, *element.iterancestors())):
            continue
        # An element's own text, then the text after each of its children (lxml's "tail").
        for raw in (element.text, *(child.tail for child in element)):
            if text := _normalised(raw or ""):
                yield element, text


def _compact_texts() -> list[str]:
    """The English texts of the negotiated text: every paragraph and heading, and UCLG's wordings."""
    texts = [p.text for p in db.session.scalars(select(TextParagraph))]
    texts += [p.text for p in db.session.scalars(select(JointProposal)) if p.text]
    return [_normalised(text) for text in texts if len(_normalised(text)) >= MIN_LENGTH]


def _beginning(text: str) -> str:
    """What a list quotes of a text: its first words (TextParagraph.first_words, without " …")."""
    return " ".join(text.split()[:12])


def quotes(page: str, texts: list[str]) -> Iterator[tuple[object, str]]:
    """The pieces of text in `page` that quote the compact: a piece of it, or its first words."""
    beginnings = {_beginning(text) for text in texts}
    for holder, text in _text_nodes(page):
        if len(text) >= MIN_LENGTH and (any(text in compact for compact in texts)
                                        or any(b in text for b in beginnings)):
            yield holder, text


def unmarked_quotes(page: str, texts: list[str]) -> list[str]:
    """The quotations of the compact in `page` that are not inside lang="en" and dir="ltr"."""
    found = []
    for holder, text in quotes(page, texts):
        lang, direction = _inherited(holder, "lang"), _inherited(holder, "dir")
        if not lang.lower().startswith("en") or direction != "ltr":
            found.append(f"{text[:70]!r} (in <{holder.tag}> lang={lang!r} dir={direction!r})")
    return found


def unmarked_titles(page: str, titles: dict[str, str]) -> list[str]:
    """The positions' titles (title -> language tag) shown in `page` outside an element of that language, or
    (Arabic) outside one that runs right to left."""
    found = []
    for holder, text in _text_nodes(page):
        for title, tag in titles.items():
            if title not in text:
                continue
            lang, direction = _inherited(holder, "lang"), _inherited(holder, "dir")
            if lang != tag or (tag == "ar-SA" and direction not in ("rtl", "auto")):
                found.append(f"{text[:70]!r} (in <{holder.tag}> lang={lang!r}, dir={direction!r}; "
                             f"its language is {tag})")
    return found


def interface_words(language: str) -> set[str]:
    """The translated labels of the interface in `language` (those that differ from the English)."""
    path = Path(drafting.__file__).parent / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po)
    return {_normalised(m.string) for m in catalogue if isinstance(m.string, str) and m.string
            and m.string != m.id and "%(" not in m.string and len(m.string) >= 4}


def english_interface(page: str, words: set[str]) -> list[str]:
    """The interface's words in `page` that sit inside an element marked English (a quotation's)."""
    return [f"{text!r} (in <{holder.tag}>)" for holder, text in _text_nodes(page)
            if text in words and _inherited(holder, "lang").lower().startswith("en")]


def _log_in(client, email: str, password: str) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code in (302, 303), f"login as {email} failed"


def walk(app, language: str) -> Iterator[tuple[str, str]]:
    """("role url", page) for every page of every role, on the demo data, read in `language`."""
    accounts = {(role, organisation): (email, password) for email, role, organisation, password in load_demo()}
    ids = _ids(app, accounts)
    for role in ("anonymous", *ROLES):
        client = app.test_client()
        urls = _urls_for(role, ids)
        if role == "anonymous":
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        else:
            email, password = accounts[ROLES[role]]
            user = db.session.scalar(select(User).where(User.email == email))
            user.locale = language
            db.session.commit()
            _log_in(client, email, password)
            # Every notification of the account: the joint proposals' messages quote UCLG's wording.
            urls += [f"/notifications/{message_id}" for message_id in db.session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.recipient_id == user.id))]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            page = response.get_data(as_text=True)
            assert f'<html lang="{language}">' in page, f"{role} {url} is not in {language}"
            yield f"{role} {url}", page


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_compacts_text_is_marked_english_on_every_page(app, language):
    problems, pages, quoted = [], 0, 0
    texts = None
    for where, page in walk(app, language):
        texts = texts or _compact_texts()
        pages += 1
        quoted += sum(1 for _ in quotes(page, texts))
        problems += [f"{where}: {problem}" for problem in unmarked_quotes(page, texts)]
    assert pages > 60 and len(texts) > 20 and quoted > 250
    assert not problems, f"{len(problems)} quotes of the compact not marked English:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_positions_titles_are_marked_with_their_language_on_every_page(app, language):
    problems, titles, shown = [], None, 0
    for where, page in walk(app, language):
        if where.split()[1].startswith(MESSAGES):
            continue
        titles = titles or {_normalised(p.title): LANGUAGE_TAGS[p.language]
                            for p in db.session.scalars(select(Position)) if len(p.title) >= 12}
        shown += sum(page.count(html_escape(title)) for title in titles)
        problems += [f"{where}: {problem}" for problem in unmarked_titles(page, titles)]
    assert {"ar-SA", "es-ES", "en-GB"} <= set(titles.values()) and shown > 100
    assert not problems, f"{len(problems)} titles not marked with their language:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_interfaces_words_beside_a_quote_are_in_the_pages_language(app, language):
    problems, words = [], interface_words(language)
    for where, page in walk(app, language):
        problems += [f"{where}: {problem}" for problem in english_interface(page, words)]
    assert len(words) > 300
    assert not problems, f"{len(problems)} words of the interface marked English:\n" + "\n".join(problems)


TEXT = ("We commit to ensure that all migrants, regardless of their status, can safely access basic services in "
        "the towns and cities where they live.")


@pytest.mark.parametrize(("body", "problems"), [
    ('<p lang="en" dir="ltr">We commit to ensure that all migrants, regardless of their</p>', 0),
    ('<p>Paragraphe 31 : <span>We commit to ensure that all migrants, regardless of their status, can safely'
     ' …</span></p>', 1),
    ('<p lang="en" dir="auto">the towns and cities where they live.</p>', 1),
    ('<ol lang="en" dir="ltr"><li>paragraphe 31 · <div lang="fr">modifié</div></li></ol>', 0),
])
def test_the_check_finds_an_unmarked_quote(body, problems):
    page = f'<html lang="fr"><head><title>{TEXT}</title></head><body>{body}</body></html>'
    assert len(unmarked_quotes(page, [TEXT])) == problems
