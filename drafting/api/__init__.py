"""The JSON API under /api/v1, for the networks' and the secretariat's own tools: the same rules as the
pages (drafting.permissions, the workflow, the forms' validation), described by OpenAPI 3.1."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("problems",)
