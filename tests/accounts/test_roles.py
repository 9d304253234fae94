"""Each role reaches the foundation pages it may use, and gets a 403 on the others."""

from __future__ import annotations

import pytest

from tests.conftest import milestone

ALLOWED, FORBIDDEN = 200, 403
ROLES = ("contributor", "reviewer", "secretariat")

# page -> expected status for (contributor, reviewer, secretariat)
PAGES = {
    "GET /milestones": (ALLOWED, ALLOWED, ALLOWED),
    "GET /milestones/{milestone}": (ALLOWED, ALLOWED, ALLOWED),
    "GET /milestones/{milestone}/edit": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "POST /milestones/{milestone}/edit": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "GET /organisations": (ALLOWED, ALLOWED, ALLOWED),
    "GET /themes": (ALLOWED, ALLOWED, ALLOWED),
    "GET /account": (ALLOWED, ALLOWED, ALLOWED),
    "GET /users": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "GET /users/new": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "POST /users/new": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "GET /users/{other}/edit": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "POST /users/{other}/edit": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "POST /users/{other}/active": (FORBIDDEN, FORBIDDEN, 302),
    "POST /users/{other}/password": (FORBIDDEN, FORBIDDEN, 400),  # allowed; 400 because the form is empty
}

CASES = [(page, role, expected[ROLES.index(role)]) for page, expected in PAGES.items() for role in ROLES]


@pytest.mark.parametrize("page, role, expected", CASES, ids=[f"{r}:{p}" for p, r, _ in CASES])
def test_page_by_role(client, login_as, make_user, page, role, expected):
    other = make_user("contributor", "Metropolis")
    login_as(role)
    method, path = page.split(" ")
    path = path.format(milestone=milestone("Round 1").id, other=other.id)
    response = client.open(path, method=method, data={})
    if expected == ALLOWED and method == "POST":
        assert response.status_code in (200, 400), response.status_code  # the form is shown again with errors
    else:
        assert response.status_code == expected
    if expected == FORBIDDEN:
        assert "Not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitor_is_sent_to_the_login_page(client, make_user, page):
    other = make_user("contributor", "Metropolis")
    method, path = page.split(" ")
    path = path.format(milestone=milestone("Round 1").id, other=other.id)
    response = client.open(path, method=method, data={})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role, shown, hidden", [
    ("contributor", ["Milestones", "Objectives", "Organisations"], ["Users", "Edit milestone"]),
    ("reviewer", ["Milestones", "Objectives", "Organisations"], ["Users", "Edit milestone"]),
    ("secretariat", ["Milestones", "Users", "Edit milestone"], []),
])
def test_navigation_shows_each_role_what_it_may_use(client, login_as, role, shown, hidden):
    login_as(role)
    html = client.get(f"/milestones/{milestone('Round 1').id}").get_data(as_text=True)
    for label in shown:
        assert f">{label}</a>" in html, label
    for label in hidden:
        assert f">{label}</a>" not in html, label
