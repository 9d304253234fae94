"""Error pages in the house style; a 500 rolls the database session back."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import Organisation

HOUSE_STYLE = "Global Compact drafting desk"


def assert_house_style(response, code: int, title: str):
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert HOUSE_STYLE in html
    assert f"<h1>{title}" in html
    assert "Traceback" not in html and "Werkzeug" not in html


def test_403_page(client, login_as):
    login_as("contributor")
    assert_house_style(client.get("/users"), 403, "Not allowed")


def test_404_page(client, login_as):
    login_as("contributor")
    assert_house_style(client.get("/milestones/987654"), 404, "Not found")
    assert_house_style(client.get("/no/such/page"), 404, "Not found")


def test_404_page_for_anonymous_visitor(client):
    response = client.get("/no/such/page")
    assert_house_style(response, 404, "Not found")
    assert 'href="/login"' in response.get_data(as_text=True)


def test_405_page(client):
    assert_house_style(client.delete("/login"), 405, "Not allowed")


def test_413_page_when_the_upload_is_larger_than_allowed(app, client, login_as):
    login_as("contributor")
    too_large = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/account", data=b"x" * too_large, content_type="application/x-www-form-urlencoded")
    assert_house_style(response, 413, "Too large")
    assert "10 MB" in response.get_data(as_text=True)


def test_a_body_below_the_limit_is_accepted(app, client, login_as):
    login_as("contributor")
    response = client.post("/account", data={"pw-current_password": "x" * 1000})
    assert response.status_code == 200


def test_500_page_rolls_the_session_back(app, client):
    def explode():
        db.session.add(Organisation(short_name="HALF", full_name="Half-written", kind="partner", region=""))
        db.session.flush()  # the row reached the database inside the transaction ...
        raise RuntimeError("failure in the middle of a request")

    app.add_url_rule("/test-only/explode", "test_explode", explode, methods=["POST"])
    response = client.post("/test-only/explode")
    assert_house_style(response, 500, "Something went wrong")
    assert "failure in the middle" not in response.get_data(as_text=True)
    # ... and is gone: the handler rolled back, nothing pending in the session either.
    assert not db.session.new
    assert db.session.scalar(select(func.count()).select_from(Organisation).where(
        Organisation.short_name == "HALF")) == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Organisation).where(
        Organisation.short_name == "HALF")) == 0
