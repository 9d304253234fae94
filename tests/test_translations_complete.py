"""Every string of the current code has a French and a Spanish translation.

This test reads the code as it is: each new user-facing string makes it fail until the catalogues
are updated (`python -m tools.check_translations --update`, translate, `make translations`).
It is marked `late` so that it runs after everything else; deselect it with `-m "not late"`.
"""

from __future__ import annotations

import pytest

from tools import check_translations

pytestmark = pytest.mark.late


@pytest.fixture(scope="module")
def gaps():
    return check_translations.report()


@pytest.mark.parametrize("locale", check_translations.LOCALES)
def test_catalogue_is_complete(gaps, locale):
    missing = gaps[locale]
    assert not missing, (
        f"{len(missing)} strings have no {locale} translation (run `python -m tools.check_translations "
        f"--update` and translate them): " + "; ".join(repr(m) for m in missing[:20])
    )
