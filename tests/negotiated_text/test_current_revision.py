"""The revision a milestone's positions amend: the latest one presented at that milestone or before."""

from __future__ import annotations

from datetime import date

from drafting.negotiated_text.revisions import current_revision
from tests.conftest import milestone
from tests.support.published import publish


def test_each_milestone_amends_the_latest_revision_presented_by_then(app, make_user):
    secretariat = make_user("secretariat")
    assert current_revision(milestone("Round 2")) is None
    assert current_revision() is None

    zero = publish(secretariat, "Zero draft", date(2018, 2, 5), "Round 1")
    rev_1 = publish(secretariat, "Rev 1", date(2018, 3, 26), "Round 3")
    # Issued without a milestone, after Round 3 ended: a text for Round 4 onwards.
    rev_2 = publish(secretariat, "Rev 2", date(2018, 5, 28), None)

    assert current_revision(milestone("Round 1")) == zero
    assert current_revision(milestone("Round 2")) == zero
    assert current_revision(milestone("Round 3")) == rev_1
    assert current_revision(milestone("Round 4")) == rev_1  # Rev 2 came after Round 4 ended
    assert current_revision(milestone("Round 5")) == rev_2
    assert current_revision() == rev_2
