def load_demo_positions() -> None:
    """Filled in with the positions issue."""
