"""The API's representations, as marshmallow schemas: flask-smorest dumps the answers with them and
apispec writes the OpenAPI 3.1 document from them. Input schemas check the shape of a body (types,
known fields); the rules themselves are the forms' (drafting.api.validation)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import RAISE, Schema, fields, validate

from drafting.amendments.rules import KIND_LABELS
from drafting.amendments.uptake import STATUSES
from drafting.i18n import LANGUAGE_NAMES
from drafting.models import STAGES
from drafting.positions.workflow import TRANSITIONS

ACTIONS = tuple(action for action in TRANSITIONS if action != "include")
LONG_TEXT = 200_000  # the forms refuse much less; this only bounds what is read


class UtcDateTime(fields.DateTime):
    """A moment as RFC 3339 wants it: the database's naive moments are UTC, said so ("+00:00")."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class Strict(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class Reference(Schema):
    id = fields.Int(required=True)
    name = fields.Str(required=True)


class MilestoneOut(Schema):
    id = fields.Int(required=True)
    name = fields.Str(required=True, metadata={"description": "In the language of Accept-Language."})
    kind = fields.Str(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    submission_deadline = fields.Date(required=True, allow_none=True)
    review_deadline = fields.Date(required=True, allow_none=True)
    state = fields.Str(required=True, validate=validate.OneOf(("open", "closed", "no_submissions")),
                       metadata={"description": "Whether the milestone takes submissions today."})
    url = fields.Str(required=True)


class OrganisationOut(Schema):
    id = fields.Int(required=True)
    short_name = fields.Str(required=True)
    full_name = fields.Str(required=True)
    contributes_positions = fields.Bool(required=True)


class ObjectiveOut(Schema):
    id = fields.Int(required=True)
    kind = fields.Str(required=True, metadata={"description": "objective or workstream"})
    number = fields.Int(required=True, allow_none=True)
    label = fields.Str(required=True)


class PositionListed(Schema):
    id = fields.Int(required=True)
    title = fields.Str(required=True)
    language = fields.Str(required=True)
    stage = fields.Str(required=True, validate=validate.OneOf(STAGES))
    updated_at = UtcDateTime(required=True)
    submitted_at = UtcDateTime(required=True, allow_none=True)
    milestone = fields.Nested(Reference, required=True)
    organisation = fields.Nested(Reference, required=True)
    themes = fields.List(fields.Nested(Reference), required=True)
    url = fields.Str(required=True)


class LatestStatusOut(Schema):
    status = fields.Str(required=True, validate=validate.OneOf(STATUSES))
    text_revision = fields.Nested(Reference, required=True)
    paragraph_number = fields.Str(required=True, allow_none=True)


class AmendmentOut(Schema):
    id = fields.Int(required=True, allow_none=True, metadata={"description": "The amendment's own id."})
    key = fields.Str(required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(tuple(KIND_LABELS)))
    paragraph_id = fields.Int(required=True, allow_none=True)
    paragraph = fields.Str(required=True)
    current_text = fields.Str(required=True)
    proposed_text = fields.Str(required=True)
    rationale = fields.Str(required=True)
    section_id = fields.Int(required=True, allow_none=True)
    latest_status = fields.Nested(LatestStatusOut, required=True, allow_none=True)


class PositionOut(PositionListed):
    summary = fields.Str(required=True)
    text = fields.Str(required=True)
    revision_number = fields.Int(required=True)
    created_at = UtcDateTime(required=True)
    extended_until = fields.Date(required=True, allow_none=True)
    amendments = fields.List(fields.Nested(AmendmentOut), required=True)
    actions = fields.List(fields.Str(), required=True,
                          metadata={"description": "The workflow actions this token's account may take now."})
    can_edit = fields.Bool(required=True)


class EventOut(Schema):
    action = fields.Str(required=True)
    from_stage = fields.Str(required=True)
    to_stage = fields.Str(required=True)
    revision_number = fields.Int(required=True)
    created_at = UtcDateTime(required=True)
    actor = fields.Str(required=True)


class RevisionOut(Schema):
    number = fields.Int(required=True)
    created_at = UtcDateTime(required=True)
    author = fields.Str(required=True)
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    text = fields.Str(required=True)
    language = fields.Str(required=True)
    theme_ids = fields.List(fields.Int(), required=True)
    amendments = fields.List(fields.Dict(), required=True)


class HistoryOut(Schema):
    revisions = fields.List(fields.Nested(RevisionOut), required=True)
    events = fields.List(fields.Nested(EventOut), required=True)


class CommentOut(Schema):
    id = fields.Int(required=True)
    author = fields.Str(required=True)
    created_at = UtcDateTime(required=True)
    body = fields.Str(required=True)
    visibility = fields.Str(required=True, validate=validate.OneOf(("internal", "shared")))
    revision_number = fields.Int(required=True)


class StatusInRevision(Schema):
    text_revision = fields.Nested(Reference, required=True)
    status = fields.Str(required=True, validate=validate.OneOf(STATUSES))
    paragraph_number = fields.Str(required=True, allow_none=True)


class AmendmentDetail(Schema):
    id = fields.Int(required=True)
    position_id = fields.Int(required=True)
    key = fields.Str(required=True)
    kind = fields.Str(required=True)
    paragraph_id = fields.Int(required=True, allow_none=True)
    paragraph = fields.Str(required=True)
    proposed_text = fields.Str(required=True)
    rationale = fields.Str(required=True)
    removed = fields.Bool(required=True)
    statuses = fields.List(fields.Nested(StatusInRevision), required=True,
                           metadata={"description": "Its status in each later revision of the text."})


class ParagraphOut(Schema):
    id = fields.Int(required=True)
    order = fields.Int(required=True)
    kind = fields.Str(required=True)
    number = fields.Str(required=True)
    section = fields.Str(required=True)
    text = fields.Str(required=True)
    objective_id = fields.Int(required=True, allow_none=True)


class TextRevisionListed(Schema):
    id = fields.Int(required=True)
    name = fields.Str(required=True)
    issued_on = fields.Date(required=True)
    milestone_id = fields.Int(required=True, allow_none=True)
    url = fields.Str(required=True)


class TextRevisionOut(TextRevisionListed):
    paragraphs = fields.List(fields.Nested(ParagraphOut), required=True)


class UptakeCounts(Schema):
    total = fields.Int(required=True)
    taken_up = fields.Int(required=True)
    partly = fields.Int(required=True)
    by_status = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)


class UptakeNetwork(Schema):
    organisation = fields.Nested(Reference, required=True)
    counts = fields.Nested(UptakeCounts, required=True)


class UptakeReach(Schema):
    organisation = fields.Nested(Reference, required=True, dump_only=True)
    amendments = fields.Int(required=True, dump_only=True, metadata={
        "description": "The network's amendments on paragraphs that have a joint proposal."})
    reached = fields.Int(required=True, dump_only=True, metadata={
        "description": "Of those, the ones the joint proposal took (as they were, modified or merged)."})
    undecided = fields.Int(required=True, dump_only=True, metadata={
        "description": "Of those, the ones with no outcome recorded yet."})
    then_taken_up = fields.Int(required=True, dump_only=True, metadata={
        "description": "Of the ones reached, those whose joint proposal this revision took up, fully or partly."})


class UptakeJoint(Schema):
    counts = fields.Nested(UptakeCounts, required=True, dump_only=True, metadata={
        "description": "UCLG's joint proposals on the revision before that propose a change, by what this "
                       "revision made of them."})
    unchanged = fields.Int(required=True, dump_only=True, metadata={
        "description": "Joint proposals that leave their paragraph as it was."})
    networks = fields.List(fields.Nested(UptakeReach), required=True, dump_only=True, metadata={
        "description": "The networks shown that have amendments on paragraphs with a joint proposal."})


class UptakeRevision(Schema):
    text_revision = fields.Nested(Reference, required=True)
    counts = fields.Nested(UptakeCounts, required=True)
    networks = fields.List(fields.Nested(UptakeNetwork), required=True)
    joint = fields.Nested(UptakeJoint, required=True, allow_none=True, dump_only=True, metadata={
        "description": "UCLG's joint proposals, as the Uptake page shows them; null when there was none on the "
                       "revision before or the networks shown proposed nothing there."})


class UptakeOut(Schema):
    revisions = fields.List(fields.Nested(UptakeRevision), required=True)


class EditionOut(Schema):
    id = fields.Int(required=True)
    milestone_id = fields.Int(required=True)
    number = fields.Int(required=True)
    title = fields.Str(required=True)
    kind = fields.Str(required=True)
    symbol = fields.Str(required=True)
    state = fields.Str(required=True, metadata={"description": "preparing, ready or failed"})
    failure_reason = fields.Str(required=True)
    compiled_at = UtcDateTime(required=True)
    prepared_at = UtcDateTime(required=True, allow_none=True)
    options = fields.Dict(required=True)
    position_count = fields.Int(required=True)
    docx_url = fields.Str(required=True, allow_none=True)
    pdf_url = fields.Str(required=True, allow_none=True)
    url = fields.Str(required=True)


# Inputs ---------------------------------------------------------------------------------------------

class PositionFilters(Strict):
    milestone = fields.Int(validate=validate.Range(1, 2**31 - 1))
    network = fields.Int(validate=validate.Range(1, 2**31 - 1), metadata={"description": "An organisation's id."})
    stage = fields.Str(validate=validate.OneOf(STAGES))
    objective = fields.Int(validate=validate.Range(1, 2**31 - 1), metadata={"description": "A theme's id."})
    updated_since = fields.DateTime(metadata={"description": "Positions saved or moved at or after this moment."})
    q = fields.Str(validate=validate.Length(max=200), metadata={"description": "Words, as in the search page."})
    after = fields.Str(validate=validate.Length(max=100),
                       metadata={"description": "The cursor of the `next` link (opaque)."})
    per_page = fields.Int(validate=validate.Range(1, 100), load_default=25)


class CursorArgs(Strict):
    after = fields.Str(validate=validate.Length(max=100))
    per_page = fields.Int(validate=validate.Range(1, 100), load_default=25)


class UptakeArgs(Strict):
    text_revision = fields.Int(validate=validate.Range(1, 2**31 - 1))


class AmendmentIn(Strict):
    key = fields.Str(validate=validate.Length(max=64),
                     metadata={"description": "The amendment's key, to edit one the position has; absent: a new one."})
    paragraph_id = fields.Int(allow_none=True, validate=validate.Range(1, 2**31 - 1),
                              metadata={"description": "A numbered paragraph of the current text revision; "
                                                       "null for an amendment not anchored to the text."})
    kind = fields.Str(validate=validate.OneOf(tuple(KIND_LABELS)))
    section_id = fields.Int(allow_none=True, validate=validate.Range(1, 2**31 - 1))
    paragraph = fields.Str(validate=validate.Length(max=LONG_TEXT))
    current_text = fields.Str(validate=validate.Length(max=LONG_TEXT))
    proposed_text = fields.Str(validate=validate.Length(max=LONG_TEXT))
    rationale = fields.Str(validate=validate.Length(max=LONG_TEXT))


class PositionIn(Strict):
    title = fields.Str(validate=validate.Length(max=LONG_TEXT))
    milestone_id = fields.Int(validate=validate.Range(1, 2**31 - 1))
    theme_ids = fields.List(fields.Int(validate=validate.Range(1, 2**31 - 1)), validate=validate.Length(max=100))
    language = fields.Str(validate=validate.OneOf(tuple(LANGUAGE_NAMES)))
    summary = fields.Str(validate=validate.Length(max=LONG_TEXT))
    text = fields.Str(validate=validate.Length(max=LONG_TEXT))
    amendments = fields.List(fields.Nested(AmendmentIn), validate=validate.Length(max=200))


class PositionCreate(PositionIn):
    title = fields.Str(required=True, validate=validate.Length(max=LONG_TEXT))
    milestone_id = fields.Int(required=True, validate=validate.Range(1, 2**31 - 1))


class ActionIn(Strict):
    comment = fields.Str(validate=validate.Length(max=LONG_TEXT), load_default="",
                         metadata={"description": "The reason (required to request changes, reject, reopen), "
                                                  "or the authors' response when they submit again."})
    internal_note = fields.Str(validate=validate.Length(max=LONG_TEXT), load_default="",
                               metadata={"description": "Reviewers and the secretariat only."})


class CompileIn(Strict):
    kind = fields.Str(validate=validate.OneOf(("consolidated", "text_with_amendments")), load_default="consolidated")
    text_revision_id = fields.Int(allow_none=True, validate=validate.Range(1, 2**31 - 1))
    title = fields.Str(validate=validate.Length(max=LONG_TEXT))
    grouping = fields.Str(validate=validate.Length(max=40))
    preface = fields.Str(validate=validate.Length(max=LONG_TEXT))
    language = fields.Str(validate=validate.Length(max=5))
    symbol = fields.Str(validate=validate.Length(max=LONG_TEXT))
    distribution = fields.Str(validate=validate.Length(max=40))
    document_date = fields.Date(allow_none=True)
    advance_unedited = fields.Bool()
    number_paragraphs = fields.Bool()
    pdf_archive = fields.Bool()
    amendments_annex = fields.Bool()
    review_comments = fields.Bool()
    uploaded_annexes = fields.Bool()
