"""The network's organisations and the compact's objectives, workstreams and sections, which the
secretariat edits in English, French and Spanish."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting import permissions
from drafting.models import CompactSection, Organisation, Theme
from drafting.reference import queries
from drafting.reference.forms import OrganisationForm, SectionForm, ThemeForm
from drafting.reference.operations import save_edit
from drafting.web.editing import edit_page
from drafting.web.loading import get_or_404, require

bp = Blueprint("reference", __name__)


@bp.route("/organisations")
@login_required
def organisations():
    return render_template("reference/organisations.html", organisations=queries.organisations_listed())


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    require(permissions.can_edit_reference(current_user))  # before the lookup: any id answers alike
    organisation = get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    return edit_page(
        organisation, form, "reference/edit_organisation.html", save=save_edit, name_field="short_name",
        clash_query=select(Organisation.id).where(Organisation.short_name == form.short_name.data),
        clash_message=_("Another organisation has this short name."),
        saved_message=lambda: _("Saved: %(name)s.", name=organisation.short_name),
        done_url=lambda: url_for("reference.organisations"), organisation=organisation,
    )


@bp.route("/themes")
@login_required
def themes():
    rows = queries.themes_in_order()
    return render_template(
        "reference/themes.html",
        objectives=[t for t in rows if t.kind == "objective"],
        workstreams=[t for t in rows if t.kind == "workstream"],
        sections=queries.sections_in_order(),
    )


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_theme(theme_id: int):
    require(permissions.can_edit_reference(current_user))  # before the lookup: any id answers alike
    theme = get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme, kind=theme.kind)
    return edit_page(
        theme, form, "reference/edit_theme.html", save=save_edit, name_field="short_label",
        clash_query=select(Theme.id).where(Theme.kind == theme.kind, Theme.short_label == form.short_label.data),
        clash_message=_("Another objective has this short name.") if theme.kind == "objective"
        else _("Another workstream has this name."),
        saved_message=lambda: _("Saved: %(name)s.", name=theme.label),
        done_url=lambda: url_for("reference.themes"), theme=theme,
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@login_required
def edit_section(section_id: int):
    require(permissions.can_edit_reference(current_user))
    section = get_or_404(CompactSection, section_id)
    form = SectionForm(obj=section)
    return edit_page(
        section, form, "reference/edit_section.html", save=save_edit, name_field="name",
        clash_query=select(CompactSection.id).where(CompactSection.name == form.name.data),
        clash_message=_("Another section has this name."),
        saved_message=lambda: _("Saved: %(name)s.", name=section.display_name),
        done_url=lambda: url_for("reference.themes"), section=section,
    )
