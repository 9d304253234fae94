"""Demo positions for `make run`: all four networks, all four languages, four milestones, every stage,
with amendments, several revisions and comments. Everything goes through the real workflow, with the
clock moved to plausible dates of early 2018 so that the history reads as it would have happened."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from flask import current_app
from sqlalchemy import select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.joint_proposals import operations as joint_operations
from drafting.joint_proposals import queries as joint_queries
from drafting.models import CompactSection, Milestone, Organisation, Position, TextRevision, Theme, User
from drafting.negotiated_text.demo import demo_text
from drafting.negotiated_text.operations import publish_revision, read_pasted_text
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

# What the authors add when a reviewer asks them to give the reasons of their amendments.
REVISION_NOTE = {
    "en": "Each amendment now gives its reason, as the reviewer asked.",
    "fr": "Chaque amendement indique désormais sa justification, comme demandé.",
    "es": "Cada enmienda indica ahora su justificación, como se pidió.",
    "ar": "يتضمن كل تعديل الآن مبرراته، كما طلب المراجع.",
}

# Amendments typed before the negotiated text was loaded: references to the compact's numbering,
# kept unanchored ("Not anchored to the text").
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

# Amendments anchored to paragraphs of the demo's zero draft (drafting/negotiated_text/demo/). Once the
# secretariat publishes the demo's Rev 1 (docs/user-guide.md, demo tour), each lands in the status named here.
# (paragraph of the zero draft, kind, proposed text, rationale in the language of the position using it)
ANCHORED = {
    # Taken up: Rev 1 reads exactly so (proposed by CEMR and UCLG-MEWA: one change, two co-sponsors).
    "3": ("3", "replace", "No State can address migration alone; cooperation between States and with local "
          "and regional authorities is needed.",
          {"fr": "Les collectivités locales sont le niveau de gouvernement le plus proche des personnes migrantes.",
           "ar": "السلطات المحلية هي مستوى الحكم الأقرب إلى المهاجرين."}),
    # Partly taken up: Rev 1 names local and regional authorities, not diaspora organisations.
    "6": ("6", "replace", "We commit to engage migrants, diaspora organisations, civil society, local and "
          "regional authorities, the private sector and academia in the implementation of this compact.",
          {"ar": "يجب إشراك منظمات الشتات والسلطات المحلية في التنفيذ."}),
    # Paragraph unchanged: Rev 1 renumbers the paragraph (10 becomes 9) without changing a word.
    "10": ("10", "replace", "We commit to ensure that every migrant has proof of legal identity and adequate "
           "documentation, issued free of charge by the competent authorities.",
           {"en": "Fees keep the poorest migrants without papers; cities see the consequences first."}),
    # Paragraph removed: Rev 1 drops the paragraph.
    "13": ("13", "replace", "We will separate the delivery of basic services from immigration enforcement, "
           "and local authorities will not be required to report the status of migrants.",
           {"fr": "Les services municipaux ne doivent pas devenir des instruments de contrôle migratoire."}),
    # Taken up (a deletion): Rev 1 drops the paragraph, as proposed.
    "11": ("11", "delete", "",
           {"fr": "Les registres d'état civil relèvent des communes ; le paragraphe n'ajoute rien au pacte."}),
    # Paragraph changed: Rev 1 rewrites the paragraph another way ("including local authorities").
    "18-local-plans": ("18", "replace", "We will implement this compact through national and local plans, "
                       "in cooperation with relevant stakeholders.",
                       {"es": "La aplicación se decide también en los planes locales."}),
    # Another wording for the same paragraph (an alternative in the edition); also changed.
    "18-governments": ("18", "replace", "We will implement this compact through national plans, in "
                       "cooperation with relevant stakeholders, including local and regional governments.",
                       {"fr": "Les gouvernements locaux et régionaux sont des partenaires, pas des parties "
                              "prenantes parmi d'autres."}),
    # Paragraph changed: a new paragraph after 14, which Rev 1 rewrites without it.
    "14-after": ("14", "insert_after", "Local authorities will host one-stop centres in cooperation with "
                 "national services.",
                 {"en": "One-stop centres work where people live: in town halls and local service points."}),
}

# (organisation, language, milestone, final stage, title, objective numbers, amendments)
PLAN = [
    ("CEMR", "en", "Zero draft", "included", "Cities as partners in implementing the compact", (15, 16, 23),
     ["15c", "44"]),
    ("Metropolis", "es", "Zero draft", "included", "Las áreas metropolitanas y el acceso a los servicios", (15,),
     ["15c"]),
    ("UCLG-MEWA", "ar", "Zero draft", "included", "دور المدن في استقبال المهاجرين واللاجئين", (16, 7), ["44"]),
    ("UCLG Africa", "fr", "Zero draft", "included", "Les villes africaines face aux migrations", (2, 19), []),
    ("CEMR", "fr", "Round 1", "approved", "L'inclusion commence au niveau local", (16,), ["3", "13"]),
    ("UCLG-MEWA", "ar", "Round 1", "approved", "بيانات محلية من أجل سياسات أفضل", (1,), ["3", "6"]),
    ("Metropolis", "en", "Round 1", "in_review", "Metropolitan data on migration", (1, 17), ["10"]),
    ("UCLG Africa", "en", "Round 1", "rejected", "Remittances and local development", (20,), []),
    ("UCLG Africa", "fr", "Round 1", "submitted", "Retour digne et réintégration au niveau local", (21,),
     ["11", "18-governments"]),
    ("Metropolis", "es", "Round 2", "changes_requested", "Vivienda digna para las personas migrantes", (15,),
     ["18-local-plans"]),
    ("CEMR", "en", "Round 2", "draft", "Follow-up and review with local governments", (23,), ["14-after"]),
    ("UCLG-MEWA", "en", "Round 2", "withdrawn", "Crisis response in host cities", (7,), []),
    ("Metropolis", "en", "Round 2", "submitted", "Skills recognition in metropolitan labour markets", (18,), []),
]

# The demo runs on 10 February 2018; earlier steps happen on these days.
# Both days fall before the milestone's submission deadline, so resubmissions are on time. The zero
# draft's text is published on 5 February 2018: positions for the rounds amend its paragraphs.
ZERO_DRAFT_ISSUED = date(2018, 2, 5)
DAYS = {
    "Zero draft": (date(2018, 1, 10), date(2018, 1, 18)),
    "Round 1": (ZERO_DRAFT_ISSUED, date(2018, 2, 6)),
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
    secretariat = _one(User, User.role == "secretariat")
    zero_draft = _publish_zero_draft(secretariat)
    numbered = {p.number: p for p in zero_draft.paragraphs if p.kind == "paragraph"}
    amendments = {
        "15c": {**AMENDMENT_15C, "section_id": sections[4].id},
        "44": {**AMENDMENT_44, "section_id": sections[5].id},
    }
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
            amendments=[amendments[key] if key in amendments else _anchored(key, numbered, language)
                        for key in amendment_keys],
        )
        early, late = DAYS[milestone_part]
        with on_day(early):
            position = operations.create_position(author, content)
            _walk(position, stage, author, reviewer, secretariat, content, late)
        created.append(position)
    _carry_forward_one(created)
    _compile_zero_draft(secretariat)
    _record_joint_proposals(secretariat, numbered)
    return created


def _publish_zero_draft(secretariat: User) -> TextRevision:
    """The demo's zero draft as the secretariat publishes it (Rev 1 is left for the demo tour)."""
    milestone = db.session.scalars(select(Milestone).where(Milestone.name.contains("Zero draft"))).first()
    with on_day(ZERO_DRAFT_ISSUED):
        return publish_revision(name="Zero draft", issued_on=ZERO_DRAFT_ISSUED, milestone=milestone,
                                structure=read_pasted_text(demo_text("zero_draft")).canonical_text(),
                                source_filename="", by=secretariat)


def _anchored(key: str, numbered: dict, language: str) -> dict:
    number, kind, proposed, rationales = ANCHORED[key]
    return {"paragraph_id": numbered[number].id, "kind": kind, "proposed_text": proposed,
            "rationale": rationales.get(language) or next(iter(rationales.values()))}


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
                            comment="Please give the reason for each amendment, so that delegates can weigh it.")
        if stage == "changes_requested":
            return
        content.text += "\n\n" + REVISION_NOTE[content.language]
        operations.save_position(position, author, content, base_revision=position.revision_number)
        workflow.transition(position, "submit", author)
        workflow.transition(position, "start_review", reviewer)
        workflow.transition(position, "approve", reviewer)


# UCLG's joint proposals on the zero draft, one in each state: (paragraph, choice, wording (None: the first
# network's as it is), outcome of each amendment, reason, answers (network, answer, comment)).
JOINT_PROPOSALS = [
    # Agreed by all: CEMR and UCLG-MEWA proposed the same words.
    ("3", "as_proposed", None, "taken", "CEMR and UCLG-MEWA propose the same words; UCLG takes them as they are.",
     [("CEMR", "agree", ""), ("UCLG-MEWA", "agree", "")]),
    # Disputed: Metropolis's and UCLG Africa's wordings merged; UCLG Africa wants "governments" in front.
    ("18", "merged", "We will implement this compact through national and local plans, in cooperation with "
     "relevant stakeholders, including local and regional governments.", "merged",
     "Both wordings bring the local level in: the plans from Metropolis, the governments from UCLG Africa.",
     [("Metropolis", "agree", "Fine for us."),
      ("UCLG Africa", "disagree", "Local and regional governments are partners, not stakeholders among others.")]),
    # Proposed, no answer yet: CEMR's wording shortened.
    ("13", "modified", "We will separate the delivery of basic services from immigration enforcement.", "modified",
     "Member States will not accept a reporting rule; the separation of services is what can pass.", []),
]
JOINT_PROPOSALS_ON = date(2018, 2, 9)


def _record_joint_proposals(secretariat: User, numbered: dict) -> None:
    """The secretariat's joint proposals, and the networks' answers, as the operations record them."""
    with on_day(JOINT_PROPOSALS_ON):
        for number, choice, wording, outcome, reason, answers in JOINT_PROPOSALS:
            subject = joint_queries.paragraph_proposals(numbered[number])
            if not subject.amendments:
                continue
            first = subject.amendments[0]
            item = joint_operations.ProposalInput(
                choice=choice, kind=first.kind, text=wording or first.proposed_text, reason=reason,
                answer_until=date(2018, 2, 20), outcomes={a.id: (outcome, "") for a in subject.amendments})
            proposal, _asked = joint_operations.record_proposal(subject, secretariat, item, None, JOINT_PROPOSALS_ON)
            for org_name, answer, comment in answers:
                subject = joint_queries.paragraph_proposals(numbered[number])
                organisation = _one(Organisation, Organisation.short_name == org_name)
                member = _one(User, User.organisation_id == organisation.id, User.role == "contributor")
                joint_operations.answer_proposal(subject, organisation, member, answer, comment, proposal.round,
                                                 JOINT_PROPOSALS_ON)


def _carry_forward_one(created: list[Position]) -> None:
    approved = next(p for p in created if p.stage == "approved")
    round3 = db.session.scalars(select(Milestone).where(Milestone.name.contains("Round 3"))).first()
    author = _one(User, User.organisation_id == approved.organisation_id, User.role == "contributor")
    operations.carry_forward(approved, round3, author)


def _compile_zero_draft(secretariat: User) -> None:
    """The zero draft's positions went into a first edition of its consolidated document."""
    zero = db.session.scalars(select(Milestone).where(Milestone.name.contains("Zero draft"))).first()
    with on_day(date(2018, 1, 31)):
        compile_edition(zero, secretariat, CompileOptions(title=f"{DEMO}UCLG contribution to the zero draft"))
