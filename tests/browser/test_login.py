"""The first browser test: the demo secretariat logs in and reaches the calendar through the navigation."""

import pytest

pytestmark = pytest.mark.browser


def test_secretariat_logs_in_and_opens_the_milestones(page, live_url, log_in):
    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.wait_for_url(f"{live_url}/milestones")
    assert page.get_by_role("heading", name="Milestones").is_visible()
    assert page.get_by_role("link", name="Intergovernmental negotiations – Round 1").is_visible()


def test_wrong_password_stays_on_the_login_page(page, live_url, demo_accounts):
    email, _ = demo_accounts[("contributor", "CEMR")]
    page.goto(f"{live_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Wrong email or password").is_visible()
    assert page.url.startswith(f"{live_url}/login")
