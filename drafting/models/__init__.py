"""The data model. Each module holds one area; everything is re-exported here."""

# fulltext attaches the full-text index to the positions table (db.create_all() builds it too).
from drafting.models import fulltext  # noqa: F401
from drafting.models.access_tokens import TOKEN_SCOPES, AccessToken
from drafting.models.account_links import Invitation, PasswordReset
from drafting.models.accounts import LOCALES, ROLES, Organisation, User
from drafting.models.amendments import (
    AMENDMENT_KINDS,
    ANSWERS,
    JOINT_CHOICES,
    OUTCOMES,
    Amendment,
    AmendmentOutcome,
    JointProposal,
    ProposalAnswer,
)
from drafting.models.api_requests import IdempotentRequest
from drafting.models.calendar import MILESTONE_KINDS, Milestone
from drafting.models.documents import Attachment, Edition, EditionEntry
from drafting.models.negotiated_text import (
    AMENDMENT_STATUSES,
    PARAGRAPH_KINDS,
    AmendmentStatus,
    PendingUpload,
    TextParagraph,
    TextRevision,
)
from drafting.models.outbox import OutboxMessage
from drafting.models.position_counts import PositionCount
from drafting.models.positions import (
    COMMENT_VISIBILITIES,
    LANGUAGES,
    Approval,
    Comment,
    Position,
    Revision,
    StageEvent,
    position_themes,
)
from drafting.models.reference import THEME_KINDS, CompactSection, Theme
from drafting.models.reference_version import ReferenceVersion
from drafting.models.stages import STAGES

__all__ = [
    "IdempotentRequest",
    "AMENDMENT_KINDS",
    "ANSWERS",
    "JOINT_CHOICES",
    "OUTCOMES",
    "TOKEN_SCOPES",
    "AccessToken",
    "Amendment",
    "AmendmentOutcome",
    "JointProposal",
    "ProposalAnswer",
    "AMENDMENT_STATUSES",
    "COMMENT_VISIBILITIES",
    "LANGUAGES",
    "LOCALES",
    "MILESTONE_KINDS",
    "ROLES",
    "STAGES",
    "THEME_KINDS",
    "AmendmentStatus",
    "PendingUpload",
    "Approval",
    "Attachment",
    "Comment",
    "CompactSection",
    "Edition",
    "EditionEntry",
    "Invitation",
    "Milestone",
    "Organisation",
    "OutboxMessage",
    "PARAGRAPH_KINDS",
    "PasswordReset",
    "Position",
    "ReferenceVersion",
    "PositionCount",
    "Revision",
    "StageEvent",
    "TextParagraph",
    "TextRevision",
    "Theme",
    "User",
    "position_themes",
]
