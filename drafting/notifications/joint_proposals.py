"""Asking the networks to answer UCLG's joint proposal: one message (mail and in-app) to each active
contributor and reviewer of every network whose amendments the proposal concerns, each time the
proposal is recorded or its wording changes (a new round).

Listens to `proposal_asked` (drafting/joint_proposals/signals.py). The dedupe key names proposal, round
and recipient: one round asks nobody twice.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drafting.core.dates import reader_date
from drafting.extensions import db
from drafting.joint_proposals.queries import CHOICE_LABELS
from drafting.joint_proposals.signals import proposal_asked
from drafting.models import JointProposal, Organisation, OutboxMessage, Position, User
from drafting.notifications.outbox import page_link, queue_message
from drafting.notifications.quotes import quoted

KIND = "joint_proposal"
SUBJECT = _l("UCLG's joint proposal for paragraph %(number)s (%(revision)s): please answer")
SUBJECT_AGAIN = _l("UCLG's joint proposal for paragraph %(number)s (%(revision)s) changed: please answer again")
INTRO = _l("The secretariat recorded UCLG's joint proposal for paragraph %(number)s of %(revision)s, which "
           "%(organisation)s amended. Answer “Agree” or “Disagree” for your network.")


def dedupe_key(proposal: JointProposal, user: User) -> str:
    return f"joint:{proposal.id}:{proposal.round}:{user.id}"


def details(proposal: JointProposal) -> str:
    """The proposal as the message quotes it, in the current (the recipient's) language."""
    paragraph = proposal.text_paragraph
    lines = []
    if proposal.answer_until:
        lines.append(str(_l("Answers are taken until %(date)s.", date=reader_date(proposal.answer_until))))
    lines.append(str(_l("How it was built: %(choice)s", choice=CHOICE_LABELS[proposal.choice])))
    if proposal.kind == "delete":
        lines.append(str(_l("UCLG proposes to delete the paragraph.")))
    else:
        label = _l("UCLG proposes to insert after it:") if proposal.kind == "insert_after" else _l("UCLG's wording:")
        lines += [str(label), quoted(proposal.text)]  # the compact's words, in English
    link = page_link("joint_proposals.paragraph", revision_id=paragraph.revision_id, paragraph_id=paragraph.id)
    lines += [str(_l("Reason: %(reason)s", reason=proposal.reason)), "", str(_l("Answer here: %(link)s", link=link))]
    return "\n".join(lines)


def queue_for_proposal(proposal: JointProposal, networks: list[Organisation],
                       positions: dict[int, Position]) -> list[OutboxMessage]:
    """Queue the messages (no commit): two statements whatever the number of networks."""
    ids = [o.id for o in networks]
    people: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(select(User).where(User.organisation_id.in_(ids), User.active.is_(True),
                                                      User.role.in_(("contributor", "reviewer")))
                                   .order_by(User.id)):
        people[user.organisation_id].append(user)
    keys = {dedupe_key(proposal, user) for users in people.values() for user in users}
    already = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
    paragraph = proposal.text_paragraph
    subject = SUBJECT if proposal.round == 1 else SUBJECT_AGAIN
    messages = []
    for organisation in networks:
        for user in people[organisation.id]:
            key = dedupe_key(proposal, user)
            if key in already:
                continue
            messages.append(queue_message(
                user, KIND, positions[organisation.id], subject, INTRO, dedupe_key=key,
                details=lambda: details(proposal), number=paragraph.number, revision=paragraph.revision.name))
    return messages


@proposal_asked.connect
def _on_proposal_asked(proposal: JointProposal, networks: list[Organisation], positions: dict[int, Position],
                       **_) -> None:
    with db.session.no_autoflush:
        queue_for_proposal(proposal, networks, positions)
