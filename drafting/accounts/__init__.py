"""Accounts: sign-in, invitations, password reset, the account pages."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC: tuple[str, ...] = ("tokens",)
