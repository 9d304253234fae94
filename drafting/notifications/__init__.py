"""Notifications: mail and the messages of the outbox."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC = ("delivery",)
