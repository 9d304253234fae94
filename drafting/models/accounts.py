from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from drafting.clock import now
from drafting.core.languages import in_current_language
from drafting.extensions import db
from drafting.models._columns import one_of, version_column

ROLES = ("contributor", "reviewer", "secretariat")
LOCALES = ("en", "fr", "es")
ORGANISATION_KINDS = (
    "secretariat",
    "regional section",
    "metropolitan section",
    "member association",
    "partner",
)


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (one_of("kind", ORGANISATION_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    full_name_fr: Mapped[str] = mapped_column(String(200), default="")
    full_name_es: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(100), default="")
    region_fr: Mapped[str] = mapped_column(String(100), default="")
    region_es: Mapped[str] = mapped_column(String(100), default="")
    source_note: Mapped[str] = mapped_column(Text, default="")
    contributes_positions: Mapped[bool] = mapped_column(Boolean, default=False)
    # The short name in the data files, by which seed-reference recognises the organisation after a rename.
    loaded_as: Mapped[str | None] = mapped_column(String(40))
    # Set when the secretariat saves the row: seed-reference then leaves it alone.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def display_full_name(self) -> str:
        return in_current_language(self, "full_name")

    @property
    def display_region(self) -> str:
        return in_current_language(self, "region")

    def __repr__(self) -> str:
        return f"<Organisation {self.short_name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        one_of("role", ROLES),
        one_of("locale", LOCALES),
        # Emails are kept lower-case, so the unique key is case-insensitive.
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Raised by "log out" and "log out everywhere": every session and remember-me cookie carries the
    # generation it was issued in, and stops working once the account's generation moves on.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined")

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        # scrypt; the test suite lowers its cost through PASSWORD_HASH_METHOD to stay fast.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def session_fingerprint(self) -> str:
        # A password change, a reset or a logout changes it, ending the sessions issued before.
        material = self.password_hash
        if self.session_generation:  # generation 0 keeps the fingerprints issued before it existed
            material += f":{self.session_generation}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        return f"{self.id}.{self.session_fingerprint}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    @property
    def is_secretariat(self) -> bool:
        return self.role == "secretariat"

    @property
    def is_reviewer(self) -> bool:
        return self.role == "reviewer"

    @property
    def is_contributor(self) -> bool:
        return self.role == "contributor"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
