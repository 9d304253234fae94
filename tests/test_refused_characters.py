"""What the service cannot store (NUL, other control characters, bidi overrides, broken characters) is
refused in every field of every form, with a message beside it, before it reaches the database; an
amendment's key is bounded and holds only the characters the service gives keys."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from wtforms import Form as AnyForm

from drafting.extensions import db
from drafting.forms import RefusedCharactersGuard
from drafting.models import Position
from tests.positions.test_editing import _amendment, _form
from tests.test_hostile_input import _all_subclasses

REFUSED = "This field contains characters that cannot be stored"
BAD_KEY = "identifier is not valid. Reload the page"


def _positions() -> int:
    return db.session.scalar(select(func.count()).select_from(Position))


def test_every_form_of_the_service_refuses_what_cannot_be_stored(app):  # the app imports every form
    forms = [form for form in _all_subclasses(AnyForm) if form.__module__.startswith("drafting.")]
    assert len(forms) > 15
    assert [form.__name__ for form in forms if not issubclass(form, RefusedCharactersGuard)] == []


@pytest.mark.parametrize("key", ["ab\x00cd", "ab\u202ecd", "\x07", "ab\ufffd"])
def test_a_refused_character_in_an_amendment_key_is_refused_beside_the_amendment(client, login_as, key):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, key=key, section_id="4", paragraph="31(c)", current_text="Provide access.", proposed_text="More.")))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and REFUSED in page
    assert "Provide access." in page  # the rest of what was typed stays in the form
    assert _positions() == 0


def test_a_refused_character_in_a_choice_is_refused_beside_it(client, login_as):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(language="en\x00"))
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert _positions() == 0


@pytest.mark.parametrize("key", ["k" * 65, "a b", "<b>", "ключ", "a/b"])
def test_an_amendment_key_is_bounded_and_made_of_key_characters(client, login_as, key):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, key=key, section_id="4", paragraph="31(c)", current_text="Provide access.", proposed_text="More.")))
    assert response.status_code == 400 and BAD_KEY in response.get_data(as_text=True)
    assert _positions() == 0


def test_the_longest_allowed_key_is_kept_whole(client, login_as):
    login_as("contributor", "CEMR")
    key = "K-_9" * 16
    response = client.post("/positions/new", data=_form(**_amendment(
        0, key=key, section_id="4", paragraph="31(c)", current_text="Provide access.", proposed_text="More.")))
    assert response.status_code == 303
    assert db.session.scalar(select(Position)).amendments[0]["key"] == key


def test_free_text_fields_still_drop_control_characters_quietly(client, login_as):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(title="Housing\x00 for\u202e newcomers"))
    assert response.status_code == 303
    assert db.session.scalar(select(Position)).title == "Housing for newcomers"
