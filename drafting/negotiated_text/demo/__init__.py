"""A short draft compact written for the demo, in two revisions (not UN text): Rev 1 renumbers, edits,
merges and removes paragraphs of the zero draft. `make run` publishes the zero draft; the demo tour
(docs/user-guide.md) has the secretariat load Rev 1."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def demo_text(name: str) -> str:
    """"zero_draft" or "revision_1": the text as the secretariat would paste it."""
    return (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
