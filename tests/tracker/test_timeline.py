"""The geometry of the timeline picture, without a page."""

from __future__ import annotations

from datetime import date

from drafting.models import Milestone
from drafting.tracker.timeline import build_timeline, short_name


def make_milestone(id_, name, kind, start, end, submission=None, review=None) -> Milestone:
    return Milestone(id=id_, name=name, kind=kind, start_date=start, end_date=end,
                     submission_deadline=submission, review_deadline=review)


ZERO = make_milestone(1, "Zero draft presented", "zero draft", date(2018, 2, 5), date(2018, 2, 5),
                      date(2018, 1, 22), date(2018, 1, 29))
ROUND = make_milestone(2, "Intergovernmental negotiations – Round 2", "negotiation round",
                       date(2018, 3, 12), date(2018, 3, 15), date(2018, 2, 26), date(2018, 3, 5))
ADOPTION = make_milestone(3, "Adoption of the compact", "adoption", date(2018, 12, 10), date(2018, 12, 11),
                          date(2018, 11, 26), date(2018, 12, 3))


def test_the_axis_runs_in_months_from_the_first_deadline_to_the_adoption(app):
    timeline = build_timeline([ZERO, ROUND, ADOPTION], {2: 7}, date(2018, 2, 10))
    assert timeline.start == date(2018, 1, 1)
    assert timeline.end == date(2019, 1, 1)
    assert [tick.day.month for tick in timeline.ticks] == [*range(1, 13), 1]
    assert timeline.ticks[0].with_year and not timeline.ticks[1].with_year and timeline.ticks[-1].with_year
    xs = [tick.x for tick in timeline.ticks]
    assert xs == sorted(xs)
    assert timeline.ticks[0].x == timeline.axis_left and timeline.ticks[-1].x == timeline.axis_right


def test_each_milestone_has_its_lane_with_deadlines_before_the_bar_and_its_count(app):
    timeline = build_timeline([ZERO, ROUND, ADOPTION], {2: 7}, date(2018, 2, 10))
    zero, round_2, adoption = timeline.lanes
    assert [str(lane.label) for lane in timeline.lanes] == ["Zero draft", "Round 2", "Adoption"]
    assert zero.y < round_2.y < adoption.y
    assert round_2.submission_x < round_2.review_x < round_2.bar_x
    assert round_2.bar_width > zero.bar_width > 0  # four days against one
    assert [lane.count for lane in timeline.lanes] == [0, 7, 0]
    feb, mar = timeline.ticks[1].x, timeline.ticks[2].x
    assert feb < timeline.today_x < mar


def test_today_outside_the_calendar_draws_no_line(app):
    assert build_timeline([ZERO, ROUND], {}, date(2025, 5, 1)).today_x is None


def test_no_milestones_no_picture(app):
    assert build_timeline([], {}, date(2018, 2, 10)) is None


def test_short_names(app):
    event = make_milestone(9, "Global Conference on Cities and Migration", "event", date(2017, 11, 16),
                           date(2017, 11, 17))
    assert str(short_name(event)) == "Global Conference…"
    assert len(str(short_name(event))) <= 18
