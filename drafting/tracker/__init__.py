"""The tracker: every position at a glance, its files for the secretariat, its timeline."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("fulltext", "uptake_export")
