"""Reference data: organisations, themes, compact sections, and their names."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("labels", "operations", "snapshot")
