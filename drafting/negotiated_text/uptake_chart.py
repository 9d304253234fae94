"""The geometry of the uptake chart: one bar per network, the share of its proposals that a revision
took up fully, then partly, on an axis of 0 to 100 %.

Like the tracker's timeline (drafting/tracker/timeline.py), this module only computes positions in
SVG user units; `templates/negotiated_text/_uptake_chart.html` draws them with presentation
attributes (the CSP forbids inline styles). The picture is as narrow as a phone (360 units) and its
text 15 units tall, so that shrunk to a 320 px screen (about 294 px) its text stays above 12 px; the
legend is HTML beside it, free to wrap in any language. Names in a right-to-left script are anchored
so that they still end at the axis.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from drafting.negotiated_text.uptake_queries import Counts

WIDTH = 360
FONT_SIZE = 15
LABEL_WIDTH = 110  # network names, ending before the axis
LABEL_CHARACTERS = 11  # a longer name is cut short with "…" (in full in the table and the bar's title)
COUNT_WIDTH = 90  # "3 + 2 / 10" after the bar
TOP = 30  # the axis' percentages
LANE_HEIGHT = 34
BAR_HEIGHT = 18
BOTTOM = 8
PERCENTS = (0, 50, 100)
SHOWN = ("taken_up", "partly_taken_up")  # the rest of the bar is "not taken up"


def right_to_left(text: str) -> bool:
    """Whether `text` starts (its first letter) in a right-to-left script."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


@dataclass(frozen=True)
class Segment:
    status: str
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    name: str
    label: str  # the name, cut short to fit before the axis
    y: float  # the middle of the lane
    counts: Counts
    segments: list[Segment]
    rtl: bool

    @property
    def bar_y(self) -> float:
        return self.y - BAR_HEIGHT / 2


@dataclass(frozen=True)
class Tick:
    percent: int
    x: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    axis_left: int = LABEL_WIDTH
    axis_right: int = WIDTH - COUNT_WIDTH
    top: int = TOP
    lane_height: int = LANE_HEIGHT
    bar_height: int = BAR_HEIGHT
    font_size: int = FONT_SIZE

    @property
    def lanes_bottom(self) -> float:
        return self.top + len(self.bars) * self.lane_height

    @property
    def height(self) -> float:
        return self.lanes_bottom + BOTTOM

    @property
    def count_x(self) -> float:
        return self.width - 4


def build_chart(networks: list[tuple[object, Counts]]) -> Chart | None:
    """Bars for (organisation, counts) pairs, in their order; None when no network proposed anything."""
    if not any(counts.total for _organisation, counts in networks):
        return None
    span = WIDTH - COUNT_WIDTH - LABEL_WIDTH

    def x(share: float) -> float:
        return round(LABEL_WIDTH + share * span, 1)

    bars = []
    for index, (organisation, counts) in enumerate(networks):
        segments, start = [], 0.0
        for status in SHOWN:
            share = counts.by_status.get(status, 0) / counts.total if counts.total else 0.0
            if share:
                segments.append(Segment(status, x(start), round(x(start + share) - x(start), 1)))
            start += share
        name = organisation.short_name
        label = name if len(name) <= LABEL_CHARACTERS else name[:LABEL_CHARACTERS - 1] + "…"
        bars.append(Bar(name=name, label=label, y=TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2, counts=counts,
                        segments=segments, rtl=right_to_left(name)))
    return Chart(bars=bars, ticks=[Tick(percent, x(percent / 100)) for percent in PERCENTS])
