"""Documents: the compiled editions of positions, attachments, the Word and PDF files."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("editions", "forms", "naming")
