"""The names of the fixed kinds of reference data (organisation kinds, milestone kinds) in the reader's
language. The kinds are codes held by check constraints; their names are interface words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORGANISATION_KIND_LABELS = {
    "secretariat": _l("Secretariat"),
    "regional section": _l("Regional section"),
    "metropolitan section": _l("Metropolitan section"),
    "member association": _l("Member association"),
    "partner": _l("Partner"),
}

MILESTONE_KIND_LABELS = {
    "event": _l("Event"),
    "negotiation": _l("Negotiation meeting"),
    "zero draft": _l("Zero draft"),
    "negotiation round": _l("Negotiation round"),
    "adoption": _l("Adoption"),
}
