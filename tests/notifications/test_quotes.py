"""A message quotes the negotiated text as mail quotes ("> " before each line); the in-app pages show those
lines apart, as English (drafting/notifications/quotes.py)."""

from __future__ import annotations

from drafting.notifications.quotes import Part, parts, quoted


def test_quoted_lines_come_back_apart_without_their_marks():
    body = "\n".join(["Bonjour,", "Libellé d'UCLG :", quoted("We will implement this compact\nwith cities."),
                      "Motif : les villes.", ""])
    assert "> We will implement this compact\n> with cities.\n" in body
    assert parts(body) == [Part("Bonjour,\nLibellé d'UCLG :", False),
                           Part("We will implement this compact\nwith cities.", True),
                           Part("Motif : les villes.\n", False)]


def test_an_empty_line_inside_a_quotation_stays_in_it():
    assert quoted("First.\n\nSecond.") == "> First.\n>\n> Second."
    assert parts(quoted("First.\n\nSecond.")) == [Part("First.\n\nSecond.", True)]


def test_a_message_that_quotes_nothing_of_the_compact_keeps_its_writers_marks():
    body = "Comment:\n> as the text says"
    assert parts(body, with_quotes=False) == [Part(body, False)]
