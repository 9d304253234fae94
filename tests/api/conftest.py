"""UCLG's joint proposals and what a revision made of them, a case with known figures (the Uptake page's
own tests use it too: tests/negotiated_text/conftest.py)."""

from tests.support.amended_drafts import world  # noqa: F401 (a fixture)
from tests.support.joint_uptake import joint  # noqa: F401 (a fixture)
