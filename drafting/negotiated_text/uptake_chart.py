"""The geometry of the uptake chart: one bar per network, the share of its proposals that a revision
took up fully, then partly, on an axis of 0 to 100 %.

Like the tracker's timeline (drafting/tracker/timeline.py), this module only computes positions in
SVG user units; `templates/negotiated_text/_uptake_chart.html` draws them with presentation
attributes (the CSP forbids inline styles). The picture is as narrow as a phone (360 units), so that
on a 390 px screen its text keeps its size; names in a right-to-left script are anchored so that they
still end at the axis.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from drafting.negotiated_text.uptake_queries import Counts

WIDTH = 360
LABEL_WIDTH = 90  # network names, ending before the axis
COUNT_WIDTH = 80  # "3 + 2 / 10" after the bar
TOP = 30  # the axis' percentages
LANE_HEIGHT = 30
BAR_HEIGHT = 16
LEGEND_HEIGHT = 48
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
    label: str
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

    @property
    def lanes_bottom(self) -> float:
        return self.top + len(self.bars) * self.lane_height

    @property
    def height(self) -> float:
        return self.lanes_bottom + LEGEND_HEIGHT

    @property
    def legend_y(self) -> float:
        return self.lanes_bottom + 24

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
        label = organisation.short_name
        bars.append(Bar(label=label, y=TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2, counts=counts,
                        segments=segments, rtl=right_to_left(label)))
    return Chart(bars=bars, ticks=[Tick(percent, x(percent / 100)) for percent in (0, 25, 50, 75, 100)])
