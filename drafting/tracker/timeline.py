"""The geometry of the timeline picture: one lane per milestone on an axis of months.

This module only computes positions (in SVG user units); `templates/tracker/_timeline.html` draws
them with presentation attributes (the CSP forbids inline styles) and Jinja escapes every name. Its
text is 12 units tall and the page shows the picture only where it is at least 960 px wide (60rem),
so that no text is under 12 px; its legend is HTML beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from drafting.models import Milestone

WIDTH = 960
LABEL_WIDTH = 120  # lane names, right-aligned before the axis
COUNT_WIDTH = 70  # the column of counts, after the last month
TOP = 48  # "today" label and month names
LANE_HEIGHT = 30
BAR_HEIGHT = 14
MARK_SIZE = 6
BOTTOM = 10
MIN_BAR_WIDTH = 3


@dataclass(frozen=True)
class Tick:
    day: date
    x: float
    with_year: bool


@dataclass(frozen=True)
class Lane:
    milestone: Milestone
    label: str
    y: float  # the middle of the lane
    bar_x: float
    bar_width: float
    submission_x: float | None
    review_x: float | None
    count: int

    @property
    def bar_y(self) -> float:
        return self.y - BAR_HEIGHT / 2

    @property
    def submission_points(self) -> str:
        """A diamond centred on the submission deadline."""
        x, y, s = self.submission_x, self.y, MARK_SIZE
        return f"{x},{y - s} {x + s},{y} {x},{y + s} {x - s},{y}"


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    today: date
    today_x: float | None  # None when today is outside the axis
    ticks: list[Tick]
    lanes: list[Lane]
    width: int = WIDTH
    axis_left: int = LABEL_WIDTH
    top: int = TOP
    lane_height: int = LANE_HEIGHT
    bar_height: int = BAR_HEIGHT
    mark_size: int = MARK_SIZE

    @property
    def lanes_bottom(self) -> float:
        return self.top + len(self.lanes) * self.lane_height

    @property
    def height(self) -> float:
        return self.lanes_bottom + BOTTOM

    @property
    def axis_right(self) -> int:
        return self.width - COUNT_WIDTH

    @property
    def count_x(self) -> float:
        return self.width - COUNT_WIDTH / 2


def short_name(milestone: Milestone):
    """The name that fits in a lane: "Zero draft", "Round 3", "Adoption", else the name cut short."""
    if milestone.kind == "zero draft":
        return _l("Zero draft")
    if milestone.kind == "adoption":
        return _l("Adoption")
    found = re.search(r"Round\s+(\d+)", milestone.name)
    if found:
        return _l("Round %(number)s", number=found.group(1))
    name = milestone.display_name
    return name if len(name) <= 18 else name[:17] + "…"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    if day.year == date.max.year and day.month == 12:
        return date.max  # the axis ends there; there is no year 10000
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


# At most this many month names fit on the axis; a longer calendar gets one tick per year (or per
# few years), so the picture stays the same size whatever dates the milestones carry.
MAX_TICKS = 24


def _tick_days(start: date, end: date) -> list[date]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months <= MAX_TICKS:
        days, month = [], start
        while month <= end and month != date.max:
            days.append(month)
            month = _next_month(month)
        return days
    step = -(-(end.year - start.year + 1) // MAX_TICKS)  # whole years between ticks
    return [date(year, 1, 1) for year in range(start.year + (start.month > 1), end.year + 1, step)]


def build_timeline(milestones: list[Milestone], counts: dict[int, int], today: date) -> Timeline | None:
    """Lanes for `milestones` (in calendar order), with `counts` of positions by milestone id."""
    if not milestones:
        return None
    days = [d for m in milestones
            for d in (m.start_date, m.end_date, m.submission_deadline, m.review_deadline) if d]
    start = _month_start(min(days))
    end = _next_month(max(days))
    span = max((end - start).days, 1)
    axis_width = WIDTH - LABEL_WIDTH - COUNT_WIDTH

    def x(day: date) -> float:
        return round(LABEL_WIDTH + (day - start).days * axis_width / span, 1)

    ticks = [Tick(day=day, x=x(day), with_year=day == start or day.month == 1) for day in _tick_days(start, end)]

    lanes = []
    for index, milestone in enumerate(milestones):
        bar_x = x(milestone.start_date)
        bar_width = max(x(min(milestone.end_date, end - timedelta(days=1)) + timedelta(days=1)) - bar_x,
                        MIN_BAR_WIDTH)
        submission_x = x(milestone.submission_deadline) if milestone.submission_deadline else None
        review_x = x(milestone.review_deadline) if milestone.review_deadline else None
        lanes.append(Lane(
            milestone=milestone,
            label=short_name(milestone),
            y=TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2,
            bar_x=bar_x,
            bar_width=round(bar_width, 1),
            submission_x=submission_x,
            review_x=review_x,
            count=counts.get(milestone.id, 0),
        ))
    today_x = x(today) if start <= today <= end else None
    return Timeline(start=start, end=end, today=today, today_x=today_x, ticks=ticks, lanes=lanes)
