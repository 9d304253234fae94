"""The API accepts exactly what the pages accept: a body is checked by the pages' own forms (filled from
the JSON instead of a POST), so every validator, choice and limit is the forms'. The field errors come
back under the API's names ("theme_ids", "amendments[0].paragraph_id")."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from werkzeug.datastructures import MultiDict

from drafting.documents.forms import CompileForm
from drafting.documents.naming import CompileOptions
from drafting.models import Milestone, Position
from drafting.positions.forms import DecisionForm, PositionForm, ReasonForm, ResubmitForm
from drafting.positions.operations import PositionContent
from drafting.positions.queries import form_choices

# The form's field names and the API's, where they differ.
API_NAMES = {"themes": "theme_ids", "text_revision": "text_revision_id"}


class Refused(Exception):
    def __init__(self, errors: dict):
        super().__init__("refused")
        self.errors = {API_NAMES.get(name, name): value for name, value in errors.items()}


def _text(value) -> str:
    return "" if value is None else str(value)


def stored_amendment_input(amendment: dict) -> dict:
    """A stored amendment as the API (and the form) takes it: what editing a position keeps."""
    return {"key": amendment.get("key") or "", "paragraph_id": amendment.get("paragraph_id"),
            "kind": amendment.get("kind") or "replace", "section_id": amendment.get("section_id"),
            "paragraph": amendment.get("paragraph") or "", "current_text": amendment.get("current_text") or "",
            "proposed_text": amendment.get("proposed_text") or "", "rationale": amendment.get("rationale") or ""}


def position_input(position: Position) -> dict:
    content = PositionContent.of(position)
    return {"title": content.title, "milestone_id": content.milestone_id, "theme_ids": content.theme_ids,
            "language": content.language, "summary": content.summary, "text": content.text,
            "amendments": [stored_amendment_input(a) for a in content.amendments]}


def _position_formdata(data: dict) -> MultiDict:
    pairs = [("title", _text(data.get("title"))), ("milestone_id", _text(data.get("milestone_id"))),
             ("language", _text(data.get("language") or "en")), ("summary", _text(data.get("summary"))),
             ("text", _text(data.get("text")))]
    pairs += [("themes", str(theme)) for theme in data.get("theme_ids") or []]
    for index, amendment in enumerate(data.get("amendments") or []):
        prefix = f"amendments-{index}-"
        anchored = amendment.get("paragraph_id") is not None
        pairs += [(prefix + "key", _text(amendment.get("key"))), (prefix + "anchored", "1" if anchored else ""),
                  (prefix + "paragraph_id", _text(amendment.get("paragraph_id") or 0)),
                  (prefix + "kind", _text(amendment.get("kind") or "replace")),
                  (prefix + "section_id", _text(amendment.get("section_id") or 0)),
                  (prefix + "paragraph", _text(amendment.get("paragraph"))),
                  (prefix + "current_text", _text(amendment.get("current_text"))),
                  (prefix + "proposed_text", _text(amendment.get("proposed_text"))),
                  (prefix + "rationale", _text(amendment.get("rationale")))]
    return MultiDict(pairs)


def position_content(data: dict, position: Position | None = None) -> PositionContent:
    """The content of a position as the form would save it, or Refused with the form's field errors.
    The form's choices are the page's (the milestones still open, the current text's paragraphs)."""
    form = PositionForm(formdata=_position_formdata(data), meta={"csrf": False})
    form.set_choices(*form_choices(form.milestone_id.data, position))
    if not form.validate():
        raise Refused(form.errors)
    return PositionContent(title=form.title.data, milestone_id=form.milestone_id.data, language=form.language.data,
                           summary=form.summary.data, text=form.text.data, theme_ids=list(form.themes.data or []),
                           amendments=form.amendment_data())


def compile_options(data: dict, milestone: Milestone, revision_choices: list[tuple[int, str]],
                    default_title: str) -> CompileOptions:
    defaults = CompileOptions()
    pairs = [("kind", _text(data.get("kind") or "consolidated")),
             ("text_revision", _text(data.get("text_revision_id") or "")),
             ("title", _text(data.get("title") or default_title)),
             ("grouping", _text(data.get("grouping") or defaults.grouping)),
             ("preface", _text(data.get("preface"))), ("language", _text(data.get("language") or defaults.language)),
             ("symbol", _text(data.get("symbol"))),
             ("distribution", _text(data.get("distribution") or defaults.distribution)),
             ("document_date", data["document_date"].isoformat() if data.get("document_date") else "")]
    for field in dataclass_fields(CompileOptions):
        if field.type in ("bool", bool) and data.get(field.name, getattr(defaults, field.name)):
            pairs.append((field.name, "y"))
    form = CompileForm(formdata=MultiDict(pairs), meta={"csrf": False})
    form.text_revision.choices = revision_choices
    if not form.validate():
        raise Refused({name: errors for name, errors in form.errors.items() if name != "positions_seen"})
    return CompileOptions(kind=form.kind.data, text_revision_id=form.text_revision.data,
                          title="" if form.title.data == default_title else form.title.data,
                          grouping=form.grouping.data, preface=form.preface.data or "",
                          amendments_annex=form.amendments_annex.data, review_comments=form.review_comments.data,
                          uploaded_annexes=form.uploaded_annexes.data, language=form.language.data,
                          symbol=form.symbol.data or "", distribution=form.distribution.data,
                          advance_unedited=form.advance_unedited.data, document_date=form.document_date.data,
                          number_paragraphs=form.number_paragraphs.data, pdf_archive=form.pdf_archive.data)


def action_errors(action: str, data: dict) -> dict:
    """The checks of the position page's decision, response and reason forms (their limits)."""
    if action == "reopen":
        form = ReasonForm(formdata=MultiDict([("comment", _text(data.get("comment")))]), meta={"csrf": False})
    elif action == "submit":
        form = ResubmitForm(formdata=MultiDict([("comment", _text(data.get("comment")))]), meta={"csrf": False})
    else:
        form = DecisionForm(formdata=MultiDict([("comment", _text(data.get("comment"))),
                                                ("internal_note", _text(data.get("internal_note")))]),
                            meta={"csrf": False})
    return {} if form.validate() else dict(form.errors)
