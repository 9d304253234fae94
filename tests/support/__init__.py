"""Helpers shared by several test files: hostile inputs, Word files, seeded data, the query counter, the
LibreOffice server, running the worker's jobs. Not tests themselves."""
