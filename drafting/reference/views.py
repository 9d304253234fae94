"""The network's organisations and the compact's objectives, workstreams and sections, which the
secretariat edits in English, French and Spanish."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting import permissions
from drafting.extensions import db
from drafting.models import CompactSection, Organisation, Theme
from drafting.reference.forms import OrganisationForm, SectionForm, ThemeForm
from drafting.reference.operations import save_edit

bp = Blueprint("reference", __name__)


@bp.route("/organisations")
@login_required
def organisations():
    rows = db.session.scalars(
        select(Organisation).order_by(Organisation.contributes_positions.desc(), Organisation.short_name)
    ).all()
    return render_template("reference/organisations.html", organisations=rows)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    if not permissions.can_edit_reference(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    return _edit(
        organisation, form, "reference/edit_organisation.html", "short_name",
        select(Organisation.id).where(Organisation.short_name == form.short_name.data),
        _("Another organisation has this short name."),
        lambda: organisation.short_name, back="reference.organisations", organisation=organisation,
    )


@bp.route("/themes")
@login_required
def themes():
    rows = db.session.scalars(select(Theme).order_by(Theme.kind, Theme.number, Theme.short_label)).all()
    sections = db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()
    return render_template(
        "reference/themes.html",
        objectives=[t for t in rows if t.kind == "objective"],
        workstreams=[t for t in rows if t.kind == "workstream"],
        sections=sections,
    )


def _edit(record, form, template: str, name_field: str, clash_query, clash_message: str, name: Callable[[], str],
          back: str = "reference.themes", **context):
    """The secretariat's edit of one reference row: messages beside the fields, and a colleague's save
    since the form was opened shown instead of overwritten (the pattern of the milestone form)."""
    saved = None
    if not form.is_submitted():
        form.remember(record)
    elif form.validate_on_submit():
        if db.session.scalar(clash_query.where(type(record).id != record.id)):
            form[name_field].errors.append(clash_message)
        elif form.changed_since_opened(record):
            saved = form.saved_values(record)
            form.remember(record)  # saving again now is a deliberate choice
        else:
            save_edit(record, form)
            flash(_("Saved: %(name)s.", name=name()), "success")
            return redirect(url_for(back))
    return render_template(template, form=form, saved=saved, **context), 409 if saved else 200


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_theme(theme_id: int):
    if not permissions.can_edit_reference(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme, kind=theme.kind)
    return _edit(
        theme, form, "reference/edit_theme.html", "short_label",
        select(Theme.id).where(Theme.kind == theme.kind, Theme.short_label == form.short_label.data),
        _("Another objective has this short name.") if theme.kind == "objective"
        else _("Another workstream has this name."),
        lambda: theme.label, theme=theme,
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@login_required
def edit_section(section_id: int):
    if not permissions.can_edit_reference(current_user):
        abort(403)
    section = db.get_or_404(CompactSection, section_id)
    form = SectionForm(obj=section)
    return _edit(
        section, form, "reference/edit_section.html", "name",
        select(CompactSection.id).where(CompactSection.name == form.name.data),
        _("Another section has this name."),
        lambda: section.display_name, section=section,
    )
