"""Foundation tests. Tests marked `late` (the translation completeness check) run after all others."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line("markers", "late: runs at the end of the session (slow or whole-project checks)")


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.get_closest_marker("late") is not None)
