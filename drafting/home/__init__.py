"""The home page: what needs the user now, by role ("What needs you")."""
