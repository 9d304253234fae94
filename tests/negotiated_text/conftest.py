"""The negotiated text's shared fixtures (their data: amended_drafts.py)."""

from tests.support.amended_drafts import world  # noqa: F401 (a fixture)
from tests.support.joint_uptake import joint  # noqa: F401 (a fixture)
