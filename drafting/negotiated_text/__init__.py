"""The negotiated text: its revisions, paragraphs, and what became of each amendment."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("following", "revisions", "signals", "uptake_queries")
