"""The home page: what needs the user now, by role ("What needs you")."""

# What the other areas may import from this one (tests/test_layers.py holds them to it).
PUBLIC: tuple[str, ...] = ()
