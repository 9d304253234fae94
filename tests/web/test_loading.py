"""Load, 404, check, 403: the one order of every view that acts on a record."""

from __future__ import annotations

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound

from drafting import permissions
from drafting.models import Position
from drafting.web.loading import get_or_404, require
from tests.conftest import login


def test_a_missing_record_is_404_before_any_check(app):
    with app.test_request_context(), pytest.raises(NotFound):
        get_or_404(Position, 999_999, lambda user, record: pytest.fail("checked a record that does not exist"))


def test_a_record_the_user_may_not_see_is_403_and_one_they_may_is_returned(app, client, make_position, make_user):
    position = make_position("draft", org="CEMR")
    stranger = make_user("contributor", "Metropolis")
    with app.test_request_context():
        login_user(stranger)
        with pytest.raises(Forbidden):
            get_or_404(Position, position.id, permissions.can_edit_position)
        login_user(position.created_by)
        assert get_or_404(Position, position.id, permissions.can_edit_position) is position


def test_require_answers_403_whatever_the_id(client, make_user):
    login(client, make_user("contributor", "CEMR"))
    # The secretariat's edit page: a missing and an existing organisation answer alike.
    existing, missing = client.get("/organisations/1/edit"), client.get("/organisations/999999/edit")
    assert existing.status_code == missing.status_code == 403
    with pytest.raises(Forbidden):
        require(False)
    require(True)
