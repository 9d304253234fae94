"""Positions: their content, amendments, stages and comments."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("forms", "operations", "proposing", "queries", "signals", "workflow")
