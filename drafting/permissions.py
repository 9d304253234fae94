"""Who may do what, looking at the role AND the current state of the object.

Views call these before acting (load, 404; check, 403; act) and templates call the same functions to
decide which links and buttons to show, so a button is shown exactly when the action is allowed.
The stage transitions have their own checks in `drafting.positions.workflow` (`can_transition`).
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from drafting.models import Comment, Edition, Milestone, Organisation, Position, User, stages


def _is(user: User | None, role: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.active and user.role == role)


def is_secretariat(user: User | None) -> bool:
    return _is(user, "secretariat")


def is_reviewer(user: User | None) -> bool:
    return _is(user, "reviewer")


def is_contributor(user: User | None) -> bool:
    return _is(user, "contributor")


# Accounts and calendar ------------------------------------------------------------------------

def can_manage_users(user: User | None) -> bool:
    return is_secretariat(user)


def can_manage_own_tokens(user: User | None) -> bool:
    """Personal access tokens for the API: every active account may have them."""
    return bool(user is not None and user.is_authenticated and user.active)


def can_issue_write_token(user: User | None) -> bool:
    """A "read and write" token is offered to the roles that can write anything through the API:
    contributors (positions, amendments), reviewers (decisions), the secretariat (editions); today
    that is every role."""
    return is_contributor(user) or is_reviewer(user) or is_secretariat(user)


def can_see_token(user: User | None, token) -> bool:
    """Its owner, and the secretariat (on the account's page); anyone else gets a 404."""
    return can_manage_own_tokens(user) and (token.user_id == user.id or can_manage_users(user))


def can_revoke_token(user: User | None, token) -> bool:
    return can_see_token(user, token) and token.revoked_at is None


def can_edit_milestone(user: User | None, milestone: Milestone | None = None) -> bool:
    return is_secretariat(user)


def can_edit_reference(user: User | None) -> bool:
    """Organisations, and objectives, workstreams and sections of the compact: their names in three languages."""
    return is_secretariat(user)


def can_view_tracker(user: User | None) -> bool:
    return is_secretariat(user)


def can_view_outbox(user: User | None) -> bool:
    return is_secretariat(user)


def can_read_notification(user: User | None, message) -> bool:
    """One's own notifications only (the secretariat reads everyone's mail on the Outbox page)."""
    return bool(user is not None and user.is_authenticated and message.recipient_id == user.id)


# Positions ------------------------------------------------------------------------------------

def is_member(user: User | None, position: Position) -> bool:
    """A contributor of the organisation that owns the position (co-drafting inside a network)."""
    return is_contributor(user) and user.organisation_id == position.organisation_id


def can_create_position(user: User | None) -> bool:
    return is_contributor(user) and user.organisation.contributes_positions


def can_view_position(user: User | None, position: Position) -> bool:
    if is_secretariat(user) or is_member(user, position):
        return True
    # Reviewers see everything from its first submission on.
    return is_reviewer(user) and position.submitted_at is not None


def visible_position(user: User | None, position: Position | None) -> Position | None:
    """The position if this user may see it, else None. Views answer both a missing position and one the
    reader may not see with the same 404: whether it exists is not their business. A visible position
    whose action is not allowed answers 403."""
    return position if position is not None and can_view_position(user, position) else None


def visible_positions(user: User | None) -> Select:
    """`can_view_position` as a query: the positions this user may see, for every list and search."""
    query = select(Position)
    if is_secretariat(user):
        return query
    if is_contributor(user):
        return query.where(Position.organisation_id == user.organisation_id)
    if is_reviewer(user):
        return query.where(Position.submitted_at.is_not(None))
    return query.where(false())


def can_edit_position(user: User | None, position: Position) -> bool:
    return is_member(user, position) and position.stage in stages.EDITABLE


def can_preview_markdown(user: User | None) -> bool:
    """Those who write Markdown: contributors (positions) and the secretariat (a compilation's preface)."""
    return is_contributor(user) or is_secretariat(user)


def can_view_history(user: User | None, position: Position) -> bool:
    return can_view_position(user, position)


def can_comment(user: User | None, position: Position) -> bool:
    if not can_view_position(user, position):
        return False
    return is_member(user, position) or is_reviewer(user) or is_secretariat(user)


def can_comment_internally(user: User | None) -> bool:
    """Internal comments are between reviewers and the secretariat."""
    return is_reviewer(user) or is_secretariat(user)


def can_see_comment(user: User | None, comment: Comment) -> bool:
    return comment.is_shared or can_comment_internally(user)


def can_grant_extension(user: User | None, position: Position) -> bool:
    return is_secretariat(user) and position.stage in stages.EDITABLE


def can_carry_forward(user: User | None, position: Position) -> bool:
    return (is_member(user, position) or is_secretariat(user)) and position.stage in stages.COMPILABLE


def can_upload_attachment(user: User | None, position: Position) -> bool:
    return can_edit_position(user, position)


def can_download_attachment(user: User | None, position: Position) -> bool:
    return can_view_position(user, position)


def can_review(user: User | None, position: Position) -> bool:
    """A reviewer never reviews a position they wrote or edited."""
    if not is_reviewer(user) or position.submitted_at is None:
        return False
    return user.id not in {revision.author_id for revision in position.revisions}


def can_view_review_queue(user: User | None) -> bool:
    return is_reviewer(user) or is_secretariat(user)


# The consolidated document --------------------------------------------------------------------

def can_compile(user: User | None, milestone: Milestone | None = None) -> bool:
    return is_secretariat(user)


def can_view_editions(user: User | None, milestone: Milestone | None = None) -> bool:
    return is_secretariat(user)


def can_download_edition(user: User | None, edition: Edition) -> bool:
    return is_secretariat(user)


def can_retry_edition(user: User | None, edition: Edition) -> bool:
    """Prepare again an edition that failed, or whose job was lost (still preparing long after it was queued)."""
    return is_secretariat(user) and edition.may_retry()


# The negotiated text ---------------------------------------------------------------------------

def can_read_negotiated_text(user: User | None) -> bool:
    """Every signed-in role reads the draft: contributors amend it, reviewers check amendments."""
    return is_secretariat(user) or is_reviewer(user) or is_contributor(user)


def can_load_text_revision(user: User | None) -> bool:
    return is_secretariat(user)


def can_view_uptake(user: User | None) -> bool:
    """The Uptake page: the secretariat (every network) and the networks' members (their own)."""
    return is_secretariat(user) or (is_contributor(user) and user.organisation.contributes_positions)


def can_view_network_uptake(user: User | None, organisation: Organisation) -> bool:
    return is_secretariat(user) or (can_view_uptake(user) and user.organisation_id == organisation.id)


def uptake_organisation_ids(user: User | None) -> list[int] | None:
    """`can_view_network_uptake` as a filter for the page's queries: None for every network."""
    if is_secretariat(user):
        return None
    return [user.organisation_id] if can_view_uptake(user) else []


# UCLG's joint proposal -------------------------------------------------------------------------

def can_view_amendment(user: User | None, amendment) -> bool:
    """An amendment's page: whoever may see its position."""
    return can_view_position(user, amendment.position)


def visible_amendment(user: User | None, amendment):
    """The amendment if this user may see its position, else None (a 404, as for a missing one)."""
    return amendment if amendment is not None and can_view_amendment(user, amendment) else None


def can_view_joint_proposals(user: User | None) -> bool:
    """The list of amended paragraphs and their joint proposals: every signed-in role (the networks read it
    to see what UCLG proposes and which answers they owe)."""
    return can_read_negotiated_text(user)


def can_record_joint_proposal(user: User | None) -> bool:
    """Only the secretariat writes UCLG's joint proposal."""
    return is_secretariat(user)


def can_answer_joint_proposal(user: User | None, concerned_organisation_ids) -> bool:
    """A contributor or reviewer of a network whose amendments the proposal concerns answers for it.
    Whether answers are still open (the answer-until date) is the operation's rule."""
    return bool((is_contributor(user) or is_reviewer(user)) and user.organisation_id in set(concerned_organisation_ids))


TEMPLATE_CHECKS = {
    name: value for name, value in dict(globals()).items() if name.startswith(("can_", "is_"))
}
