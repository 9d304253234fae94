"""Reference data in French and Spanish; notes for users apart from the notes on sources

Adds `<field>_fr` and `<field>_es` columns to objectives and workstreams, compact sections, milestones and
organisation regions, and a `source_note` (where a fact comes from, never shown) to milestones, sections and
organisations. Existing rows get the French and Spanish names of the data files; a note still as it was
seeded (a remark on sources) moves to `source_note` and the note users read becomes the new one. Notes the
secretariat changed stay as they are.

Revision ID: 0005_reference_translations
Revises: 0008_edition_preparation
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_reference_translations"
down_revision = "0008_edition_preparation"
branch_labels = None
depends_on = None

COLUMNS = {
    "themes": [("short_label_fr", sa.String(100)), ("short_label_es", sa.String(100)),
               ("title_fr", sa.Text()), ("title_es", sa.Text())],
    "compact_sections": [("name_fr", sa.String(200)), ("name_es", sa.String(200)), ("note_fr", sa.Text()),
                         ("note_es", sa.Text()), ("source_note", sa.Text())],
    "milestones": [("name_fr", sa.String(200)), ("name_es", sa.String(200)), ("note_fr", sa.Text()),
                   ("note_es", sa.Text()), ("source_note", sa.Text())],
    "organisations": [("region_fr", sa.String(100)), ("region_es", sa.String(100)), ("source_note", sa.Text())],
}

# The notes as first seeded: research remarks, replaced by the notes for users where nobody edited them.
SEEDED_MILESTONE_NOTES = {'72nd Session of the UN General Assembly': 'seed', '7th World Forum of Human Rights Cities': 'seed', '4th World Forum on Local Economic Development': 'seed', 'Final Conference of the Mediterranean City to City Migration (MC2CM) Project': 'seed', 'Global Conference on Cities and Migration': 'seed; outcome: Mechelen Declaration on Cities and Migration', 'Global Compact on Migration - Preparatory (stocktaking) meeting': 'seed', 'World Urban Forum (WUF9)': 'seed prints 2017; WUF9 was held in February 2018, and the seed lists events in date order', 'Global Compact on Migration - Zero draft presented to Member States': 'seed: zero draft presentation to Member States, February to July 2018; zero draft plus 2018-03-05; Rev 1 2018-03-26; Rev 2 2018-05-28; Rev 3 2018-06-29', 'Intergovernmental negotiations - Round 1': 'seed gives the range Feb-Jul 2018; stakeholder hearing 2018-02-21', 'Intergovernmental negotiations - Round 2': 'on the zero draft plus', 'Intergovernmental negotiations - Round 3': 'on Rev 1', 'Intergovernmental negotiations - Round 4': '', 'Intergovernmental negotiations - Round 5': 'on Rev 2', 'Intergovernmental negotiations - Round 6': 'on Rev 3; text agreed by consensus 2018-07-13', 'Adoption of the Global Compact on Migration': 'seed planned New York, October 2018; the compact was adopted at the Intergovernmental Conference in Marrakech on 10-11 December 2018 and endorsed by the UN General Assembly (resolution 73/195) on 19 December 2018'}
# order -> {column: (as seeded, for users)}
SEEDED_SECTIONS = {1: {'paragraphs': ('1-7 (end uncertain)', '1-7'), 'note': ('zero draft: five paragraphs; Rev 1: six', '')}, 2: {'paragraphs': ('8-15', '8-15'), 'note': ('common understanding, shared responsibilities (para 11), unity of purpose, ten cross-cutting guiding principles (para 15 (a)-(j))', 'Includes the ten cross-cutting guiding principles, paragraph 15 (a) to (j).')}, 3: {'paragraphs': ('16', '16'), 'note': ('', '')}, 4: {'paragraphs': ('17-39', '17-39'), 'note': ("objective N's commitment is paragraph N+16, followed by lettered actions (a), (b), ...; the zero draft had 22 objectives, objective 23 came in Rev 2", 'The commitment of objective N is paragraph N + 16, followed by its actions (a), (b) and so on.')}, 5: {'paragraphs': ('40-47', '40-47'), 'note': ('', '')}, 6: {'paragraphs': ('48-54', '48-54'), 'note': ('paragraphs 53-54 came in Rev 3', '')}}
SEEDED_FULL_NAMES = {"CMI": ("Centre for Mediterranean Integration (to be confirmed)", "Centre for Mediterranean Integration")}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_ in columns:
                batch.add_column(sa.Column(name, type_, nullable=False, server_default=""))
    _fill()
    # The models give new rows their empty default; the database keeps none, as for the other columns.
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_ in columns:
                batch.alter_column(name, existing_type=type_, existing_nullable=False, server_default=None)


def _fill():
    from drafting.reference.loader import data_rows

    bind = op.get_bind()
    themes = sa.table("themes", *(sa.column(c) for c in ("kind", "number", "short_label", "short_label_fr",
                                                           "short_label_es", "title_fr", "title_es")))
    sections = sa.table("compact_sections", *(sa.column(c) for c in ("order", "paragraphs", "note", "name_fr",
                                                                       "name_es", "note_fr", "note_es", "source_note")))
    milestones = sa.table("milestones", *(sa.column(c) for c in ("name", "note", "name_fr", "name_es", "note_fr",
                                                                   "note_es", "source_note")))
    organisations = sa.table("organisations", *(sa.column(c) for c in ("short_name", "full_name", "region_fr",
                                                                         "region_es", "source_note")))
    for row in data_rows("gcm_objectives.csv"):
        bind.execute(themes.update().where(themes.c.kind == "objective", themes.c.number == int(row["number"]))
                     .values(short_label_fr=row["short_label_fr"], short_label_es=row["short_label_es"],
                             title_fr=row["title_fr"], title_es=row["title_es"]))
    for row in data_rows("workstreams.csv"):
        bind.execute(themes.update().where(themes.c.kind == "workstream", themes.c.short_label == row["name"])
                     .values(short_label_fr=row["name_fr"], short_label_es=row["name_es"],
                             title_fr=row["summary_fr"], title_es=row["summary_es"]))
    for row in data_rows("compact_sections.csv"):
        order = int(row["order"])
        bind.execute(sections.update().where(sections.c.order == order).values(
            name_fr=row["section_fr"], name_es=row["section_es"], note_fr=row["note_fr"], note_es=row["note_es"],
            source_note=row["source_note"]))
        for column, (seeded, for_users) in SEEDED_SECTIONS.get(order, {}).items():
            bind.execute(sections.update().where(sections.c.order == order, sections.c[column] == seeded)
                         .values({column: for_users}))
    for row in data_rows("milestones.csv"):
        # The names as the data files wrote them at this revision (0026 gives them their en dashes).
        row = {**row, **{key: row[key].replace(" \u2013 ", " - ") for key in ("name", "name_fr", "name_es")}}
        bind.execute(milestones.update().where(milestones.c.name == row["name"]).values(
            name_fr=row["name_fr"], name_es=row["name_es"], note_fr=row["note_fr"], note_es=row["note_es"],
            source_note=row["source_note"]))
        seeded = SEEDED_MILESTONE_NOTES.get(row["name"])
        if seeded is not None:
            bind.execute(milestones.update().where(milestones.c.name == row["name"], milestones.c.note == seeded)
                         .values(note=row["note"]))
    for row in data_rows("organisations.csv"):
        bind.execute(organisations.update().where(organisations.c.short_name == row["short_name"]).values(
            region_fr=row["region_fr"], region_es=row["region_es"], source_note=row["source_note"]))
    for short_name, (seeded, for_users) in SEEDED_FULL_NAMES.items():
        bind.execute(organisations.update().where(organisations.c.short_name == short_name,
                                                  organisations.c.full_name == seeded).values(full_name=for_users))


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type in reversed(columns):
                batch.drop_column(name)
