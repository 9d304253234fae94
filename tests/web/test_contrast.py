"""Non-text contrast (WCAG 2.1, 1.4.11): focus rings, control borders and link-buttons stand out at
least 3:1 from what surrounds them. The colours are read from the served style sheet, so a change
there that breaks the ratio fails here (the ring was 1.87:1, input borders 2.54:1)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

CSS = resources.files("drafting").joinpath("static", "style.css").read_text(encoding="utf-8")


def variable(name: str) -> str:
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert match, f"--{name} is not defined in style.css"
    return match.group(1)


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_ratio_matches_known_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#f0b400", "#ffffff") == pytest.approx(1.87, abs=0.01)  # the old focus ring


@pytest.mark.parametrize("foreground, background, minimum", [
    ("focus", "paper", 3), ("focus", "wash", 3),                 # focus ring on the page
    ("focus-on-dark", "header", 3),                              # focus ring in the dark header
    ("control-border", "paper", 3), ("control-border", "wash", 3),  # inputs and buttons
    ("accent", "paper", 4.5),                                    # links and link-buttons ("Remove")
    ("muted", "paper", 4.5), ("bad", "paper", 4.5),
])
def test_colours_meet_wcag(foreground, background, minimum):
    assert ratio(variable(foreground), variable(background)) >= minimum


def test_link_buttons_use_the_link_colour_outside_the_header():
    rule = re.search(r"^button\.link \{([^}]*)\}", CSS, re.M)
    assert rule and "color: var(--accent)" in rule.group(1)
