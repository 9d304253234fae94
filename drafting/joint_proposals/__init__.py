"""UCLG's joint proposal: for each paragraph that networks amended, what the secretariat proposes, what
became of each amendment, and the networks' answers."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("operations", "queries", "signals")
