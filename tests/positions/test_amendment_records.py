"""Each amendment of a position is a row with an id of its own, kept through edits: the id that joint
proposals, outcomes, amendment pages and the API refer to."""

from __future__ import annotations

from drafting.extensions import db
from drafting.models import Amendment, Position
from drafting.positions.operations import PositionContent, save_position


def _amendment(key: str, proposed: str, paragraph: str = "31(c)") -> dict:
    return {"key": key, "kind": "replace", "paragraph": paragraph, "proposed_text": proposed, "rationale": "Why."}


def _records(position: Position) -> dict[str, Amendment]:
    db.session.expire_all()
    return {record.key: record for record in db.session.get(Position, position.id).amendment_records}


def _save(position: Position, amendments: list[dict]) -> None:
    content = PositionContent.of(position)
    content.amendments = amendments
    save_position(position, position.created_by, content, position.revision_number)


def test_an_amendment_keeps_its_id_through_edits_removal_and_return(make_position):
    position = make_position(amendments=[_amendment("aaaa1111", "More."), _amendment("bbbb2222", "Less.", "32")])
    first = _records(position)
    assert set(first) == {"aaaa1111", "bbbb2222"}
    ids = {key: record.id for key, record in first.items()}
    assert first["aaaa1111"].paragraph == "31(c)" and first["aaaa1111"].proposed_text == "More."

    _save(position, [_amendment("aaaa1111", "Much more.")])
    after_edit = _records(position)
    assert after_edit["aaaa1111"].id == ids["aaaa1111"]
    assert after_edit["aaaa1111"].proposed_text == "Much more." and after_edit["aaaa1111"].removed_at is None
    # Removed from the position: kept, so that a decision about it keeps its subject.
    assert after_edit["bbbb2222"].id == ids["bbbb2222"] and after_edit["bbbb2222"].removed_at is not None

    _save(position, [_amendment("aaaa1111", "Much more."), _amendment("bbbb2222", "Less again.", "32")])
    back = _records(position)
    assert back["bbbb2222"].id == ids["bbbb2222"] and back["bbbb2222"].removed_at is None
    assert back["bbbb2222"].proposed_text == "Less again." and back["bbbb2222"].order == 1


def test_amendments_of_different_positions_are_different_rows(make_position):
    one = make_position(amendments=[_amendment("cccc3333", "One.")])
    two = make_position(org="Metropolis", amendments=[_amendment("cccc3333", "Two.")])
    assert _records(one)["cccc3333"].id != _records(two)["cccc3333"].id
