"""How many positions each network has for each milestone in each stage, kept by the database itself.

The tracker and the compile page show these counts on every request; counting them from `positions`
would read the whole table each time. Triggers on `positions` keep this small table in step on every
insert, delete and change of milestone, network or stage, whoever writes: the workflow, a bulk move, an
import, or COPY. (A TRUNCATE of positions fires no trigger: truncate this table with it.)

As for the full-text index (drafting.models.fulltext), the triggers are plain SQL run both by the
migration and by `db.create_all()`. On SQLite, `batch_alter_table('positions')` rebuilds the table and
drops its triggers: a migration that does so must call `create()` again afterwards.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from drafting.extensions import db

TRIGGERS = ("position_counts_insert", "position_counts_update", "position_counts_delete")


class PositionCount(db.Model):
    """One cell of the tracker: the positions of one network for one milestone in one stage."""

    __tablename__ = "position_counts"
    # Derived from `positions` by the triggers: an export leaves it out and an import rebuilds it
    # (drafting.data_transfer).
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"), {"info": {"derived": True}})

    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


_ADD = ("INSERT INTO position_counts (milestone_id, organisation_id, stage, count) "
        "VALUES ({row}.milestone_id, {row}.organisation_id, {row}.stage, 1) "
        "ON CONFLICT (milestone_id, organisation_id, stage) DO UPDATE SET count = position_counts.count + 1;")
_REMOVE = ("UPDATE position_counts SET count = count - 1 WHERE milestone_id = {row}.milestone_id "
           "AND organisation_id = {row}.organisation_id AND stage = {row}.stage;")
_CHANGED = ("old.milestone_id <> new.milestone_id OR old.organisation_id <> new.organisation_id "
            "OR old.stage <> new.stage")
_RECOUNT = ("INSERT INTO position_counts (milestone_id, organisation_id, stage, count) "
            "SELECT milestone_id, organisation_id, stage, count(*) FROM positions "
            "GROUP BY milestone_id, organisation_id, stage")


def _postgresql_create() -> list[str]:
    # One cell is locked at a time, the lower key first, so that two moves in opposite directions
    # between the same cells wait for each other instead of deadlocking.
    return [
        f"""CREATE OR REPLACE FUNCTION position_counts_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_ADD.format(row='NEW')}
    ELSIF TG_OP = 'DELETE' THEN
        {_REMOVE.format(row='OLD')}
    ELSIF (OLD.milestone_id, OLD.organisation_id, OLD.stage) < (NEW.milestone_id, NEW.organisation_id, NEW.stage) THEN
        {_REMOVE.format(row='OLD')}
        {_ADD.format(row='NEW')}
    ELSE
        {_ADD.format(row='NEW')}
        {_REMOVE.format(row='OLD')}
    END IF;
    RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS position_counts_insert ON positions",
        "DROP TRIGGER IF EXISTS position_counts_update ON positions",
        "DROP TRIGGER IF EXISTS position_counts_delete ON positions",
        "CREATE TRIGGER position_counts_insert AFTER INSERT ON positions "
        "FOR EACH ROW EXECUTE FUNCTION position_counts_step()",
        "CREATE TRIGGER position_counts_update AFTER UPDATE OF milestone_id, organisation_id, stage ON positions "
        f"FOR EACH ROW WHEN ({_CHANGED.replace('old.', 'OLD.').replace('new.', 'NEW.')}) "
        "EXECUTE FUNCTION position_counts_step()",
        "CREATE TRIGGER position_counts_delete AFTER DELETE ON positions "
        "FOR EACH ROW EXECUTE FUNCTION position_counts_step()",
    ]


def _sqlite_create() -> list[str]:
    return [
        "CREATE TRIGGER IF NOT EXISTS position_counts_insert AFTER INSERT ON positions BEGIN "
        + _ADD.format(row="new") + " END",
        "CREATE TRIGGER IF NOT EXISTS position_counts_update AFTER UPDATE OF milestone_id, organisation_id, stage "
        f"ON positions WHEN {_CHANGED} BEGIN " + _REMOVE.format(row="old") + " " + _ADD.format(row="new") + " END",
        "CREATE TRIGGER IF NOT EXISTS position_counts_delete AFTER DELETE ON positions BEGIN "
        + _REMOVE.format(row="old") + " END",
    ]


def create(connection) -> None:
    """The triggers (idempotent), and the counts of the positions already there."""
    dialect = connection.dialect.name
    statements = {"postgresql": _postgresql_create, "sqlite": _sqlite_create}.get(dialect, list)()
    for statement in statements:
        connection.execute(text(statement))
    connection.execute(text("DELETE FROM position_counts"))
    connection.execute(text(_RECOUNT))


def drop(connection) -> None:
    on = " ON positions" if connection.dialect.name == "postgresql" else ""
    for name in TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS position_counts_step()"))


# Once every table exists (the triggers are on `positions`, the counts in their own table).
event.listen(db.metadata, "after_create", lambda target, connection, **kw: create(connection))
event.listen(db.metadata, "before_drop", lambda target, connection, **kw: drop(connection))
