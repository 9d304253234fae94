"""Rules that positions, the negotiated text and editions share about amendments and changes."""
