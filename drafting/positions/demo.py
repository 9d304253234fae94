"""Demo positions for `make run`: all four networks, all four languages, four milestones, every stage,
with amendments, several revisions and comments. Everything goes through the real workflow, with the
clock moved to plausible dates of early 2018 so that the history reads as it would have happened."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from flask import current_app
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation, Position, Theme, User
from drafting.positions import operations, workflow
from drafting.positions.operations import PositionContent

DEMO = "DEMO · "

TEXTS = {
    "en": (
        "Cities and regions are where migrants arrive, work, study and build their lives. "
        "Local governments **deliver the services** on which inclusion depends: housing, schools, health "
        "care and language courses.\n\n"
        "## What we ask of Member States\n\n"
        "- recognise local and regional governments as *partners* in the implementation of the compact;\n"
        "- give cities direct access to funding for the reception and inclusion of newcomers;\n"
        "- involve local governments in the follow-up and review.\n\n"
        "1. Consult the associations of local governments before each negotiation round.\n"
        "2. Publish local data, disaggregated, on access to basic services.\n\n"
        "See the [Mechelen Declaration](https://www.uclg.org) for the commitments of local leaders."
    ),
    "fr": (
        "Les villes et les régions sont les lieux où les personnes migrantes arrivent, travaillent et "
        "construisent leur vie. Les collectivités locales **fournissent les services** dont dépend "
        "l'inclusion : logement, école, santé, apprentissage de la langue.\n\n"
        "## Nos demandes aux États membres\n\n"
        "- reconnaître les gouvernements locaux et régionaux comme *partenaires* de la mise en œuvre ;\n"
        "- ouvrir aux villes un accès direct aux financements de l'accueil ;\n"
        "- associer les collectivités au suivi et à l'examen du pacte."
    ),
    "es": (
        "Las ciudades son el lugar donde las personas migrantes llegan, trabajan y construyen su vida. "
        "Los gobiernos locales **prestan los servicios** de los que depende la inclusión: vivienda, "
        "educación, salud y formación lingüística.\n\n"
        "## Lo que pedimos a los Estados miembros\n\n"
        "1. Reconocer a los gobiernos locales como *socios* en la aplicación del pacto.\n"
        "2. Garantizar el acceso directo de las ciudades a la financiación.\n"
        "3. Incluir a los gobiernos locales en el seguimiento y examen."
    ),
    "ar": (
        "المدن والأقاليم هي الأماكن التي يصل إليها المهاجرون ويعملون فيها ويبنون حياتهم. "
        "تقدم الحكومات المحلية **الخدمات الأساسية** التي يعتمد عليها الإدماج: السكن والتعليم والصحة.\n\n"
        "## ما نطلبه من الدول الأعضاء\n\n"
        "- الاعتراف بالحكومات المحلية والإقليمية *شريكاً* في تنفيذ الميثاق؛\n"
        "- تمكين المدن من الوصول المباشر إلى التمويل؛\n"
        "- إشراك الحكومات المحلية في المتابعة والاستعراض."
    ),
}

SUMMARIES = {
    "en": "Local and regional governments as partners in implementing the compact.",
    "fr": "Les collectivités locales et régionales, partenaires de la mise en œuvre du pacte.",
    "es": "Los gobiernos locales y regionales, socios en la aplicación del pacto.",
    "ar": "الحكومات المحلية والإقليمية شريكة في تنفيذ الميثاق.",
}

# What the authors add when a reviewer asks them to name the paragraphs.
REVISION_NOTE = {
    "en": "These requests concern paragraphs 31 and 44 of the zero draft.",
    "fr": "Ces demandes portent sur les paragraphes 31 et 44 de l'avant-projet.",
    "es": "Estas peticiones se refieren a los párrafos 31 y 44 del borrador cero.",
    "ar": "تتعلق هذه الطلبات بالفقرتين 31 و44 من المسودة الأولى.",
}

AMENDMENT_15C = {
    "paragraph": "31(c)",
    "current_text": "Provide access to basic services for migrants.",
    "proposed_text": "Provide access to basic services for migrants, in cooperation with local authorities.",
    "rationale": "Local governments deliver most basic services.",
}
AMENDMENT_44 = {
    "paragraph": "44",
    "current_text": "We will implement the Global Compact in cooperation with relevant stakeholders.",
    "proposed_text": "We will implement the Global Compact in cooperation with local and regional governments "
                     "and other relevant stakeholders.",
    "rationale": "The whole-of-government approach includes the local level.",
}

# (organisation, language, milestone, final stage, title, objective numbers, amendments)
PLAN = [
    ("CEMR", "en", "Zero draft", "included", "Cities as partners in implementing the compact", (15, 16, 23),
     ["15c", "44"]),
    ("Metropolis", "es", "Zero draft", "included", "Las áreas metropolitanas y el acceso a los servicios", (15,),
     ["15c"]),
    ("UCLG-MEWA", "ar", "Zero draft", "included", "دور المدن في استقبال المهاجرين واللاجئين", (16, 7), ["44"]),
    ("UCLG Africa", "fr", "Zero draft", "included", "Les villes africaines face aux migrations", (2, 19), []),
    ("CEMR", "fr", "Round 1", "approved", "L'inclusion commence au niveau local", (16,), ["15c"]),
    ("UCLG-MEWA", "ar", "Round 1", "approved", "بيانات محلية من أجل سياسات أفضل", (1,), ["44"]),
    ("Metropolis", "en", "Round 1", "in_review", "Metropolitan data on migration", (1, 17), []),
    ("UCLG Africa", "en", "Round 1", "rejected", "Remittances and local development", (20,), []),
    ("UCLG Africa", "fr", "Round 1", "submitted", "Retour digne et réintégration au niveau local", (21,), []),
    ("Metropolis", "es", "Round 2", "changes_requested", "Vivienda digna para las personas migrantes", (15,),
     ["15c"]),
    ("CEMR", "en", "Round 2", "draft", "Follow-up and review with local governments", (23,), ["44"]),
    ("UCLG-MEWA", "en", "Round 2", "withdrawn", "Crisis response in host cities", (7,), []),
    ("Metropolis", "en", "Round 2", "submitted", "Skills recognition in metropolitan labour markets", (18,), []),
]

# The demo runs on 10 February 2018; earlier steps happen on these days.
# Both days fall before the milestone's submission deadline, so resubmissions are on time.
DAYS = {
    "Zero draft": (date(2018, 1, 10), date(2018, 1, 18)),
    "Round 1": (date(2018, 1, 29), date(2018, 2, 5)),
    "Round 2": (date(2018, 2, 9), date(2018, 2, 10)),
}


@contextmanager
def on_day(day: date):
    """Run the workflow as if today were `day` (the clock reads DRAFTING_TODAY)."""
    saved = current_app.config.get("DRAFTING_TODAY")
    current_app.config["DRAFTING_TODAY"] = day.isoformat()
    try:
        yield
    finally:
        current_app.config["DRAFTING_TODAY"] = saved


def _one(model, *conditions):
    return db.session.scalar(select(model).where(*conditions))


def load_demo_positions() -> list[Position]:
    if db.session.scalar(select(Position.id).where(Position.title.startswith(DEMO)).limit(1)):
        return []
    sections = {s.order: s for s in db.session.scalars(select(CompactSection))}
    amendments = {
        "15c": {**AMENDMENT_15C, "section_id": sections[4].id},
        "44": {**AMENDMENT_44, "section_id": sections[5].id},
    }
    secretariat = _one(User, User.role == "secretariat")
    created = []
    for org_name, language, milestone_part, stage, title, objectives, amendment_keys in PLAN:
        organisation = _one(Organisation, Organisation.short_name == org_name)
        author = _one(User, User.organisation_id == organisation.id, User.role == "contributor")
        reviewer = _one(User, User.role == "reviewer", User.organisation_id != organisation.id)
        milestone = db.session.scalars(select(Milestone).where(Milestone.name.contains(milestone_part))).first()
        themes = db.session.scalars(select(Theme).where(Theme.number.in_(objectives))).all()
        content = PositionContent(
            title=DEMO + title, milestone_id=milestone.id, language=language, summary=SUMMARIES[language],
            text=TEXTS[language], theme_ids=[t.id for t in themes],
            amendments=[amendments[key] for key in amendment_keys],
        )
        early, late = DAYS[milestone_part]
        with on_day(early):
            position = operations.create_position(author, content)
            _walk(position, stage, author, reviewer, secretariat, content, late)
        created.append(position)
    _carry_forward_one(created)
    _compile_zero_draft(secretariat)
    return created


def _walk(position, stage, author, reviewer, secretariat, content, late) -> None:
    if stage == "draft":
        return
    if stage == "withdrawn":
        workflow.transition(position, "withdraw", author, comment="Merged into the CEMR position.")
        return
    workflow.transition(position, "submit", author)
    if stage == "submitted":
        return
    with on_day(late):
        workflow.transition(position, "start_review", reviewer)
        operations.add_comment(position, reviewer, "Checked against the zero draft; the references hold.",
                               "internal")
        if stage == "in_review":
            return
        if stage == "rejected":
            workflow.transition(position, "reject", reviewer, visibility="shared",
                                comment="Outside the scope of this round; please bring it to Round 3.")
            return
        workflow.transition(position, "request_changes", reviewer, visibility="shared",
                            comment="Please name the paragraph of the zero draft that each request concerns.")
        if stage == "changes_requested":
            return
        content.text += "\n\n" + REVISION_NOTE[content.language]
        operations.save_position(position, author, content, base_revision=position.revision_number)
        workflow.transition(position, "submit", author)
        workflow.transition(position, "start_review", reviewer)
        workflow.transition(position, "approve", reviewer)


def _carry_forward_one(created: list[Position]) -> None:
    approved = next(p for p in created if p.stage == "approved")
    round3 = db.session.scalars(select(Milestone).where(Milestone.name.contains("Round 3"))).first()
    author = _one(User, User.organisation_id == approved.organisation_id, User.role == "contributor")
    operations.carry_forward(approved, round3, author)


def _compile_zero_draft(secretariat: User) -> None:
    """The zero draft's positions went into a first edition of its consolidated document."""
    from drafting.documents.operations import CompileOptions, compile_edition

    zero = db.session.scalars(select(Milestone).where(Milestone.name.contains("Zero draft"))).first()
    with on_day(date(2018, 1, 31)):
        compile_edition(zero, secretariat, CompileOptions(title=f"{DEMO}UCLG contribution to the zero draft"))
