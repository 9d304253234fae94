"""The one memo helper: bounded, listed, and keyed on everything the value depends on."""

from __future__ import annotations

import re
from pathlib import Path

from flask import render_template_string

from drafting.core.memo import Memo, clear_all, memoized, memos

PACKAGE = Path(__file__).resolve().parents[2] / "drafting"


def test_a_memo_keeps_what_it_made_and_drops_the_least_recently_used():
    made = []
    memo = Memo("test.memo", maxsize=2)

    def make(value):
        made.append(value)
        return value * 2

    assert [memo.get(k, lambda k=k: make(k)) for k in (1, 2, 1, 3, 1, 2)] == [2, 4, 2, 6, 2, 4]
    assert made == [1, 2, 3, 2]  # 2 was the least recently used when 3 came
    assert len(memo) == 2
    clear_all()
    assert len(memo) == 0


def test_memoized_functions_are_listed_and_cleared():
    calls = []

    @memoized(maxsize=4)
    def square(n):
        calls.append(n)
        return n * n

    assert square(3) == square(3) == 9
    assert calls == [3]
    assert "tests.core.test_memo.test_memoized_functions_are_listed_and_cleared.<locals>.square" in memos()
    clear_all()
    assert square(3) == 9
    assert calls == [3, 3]


def test_no_module_keeps_a_cache_of_its_own():
    """Every process-wide cache goes through drafting.core.memo, which states what may be kept."""
    own = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "memo.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"lru_cache|functools import .*\bcache\b|@cache\b", source):
            own.append(path.name)
    assert own == []


def test_links_made_for_one_host_are_not_given_to_another(app):
    # url_for remembers the addresses it builds; a full address depends on the host and scheme asked.
    template = "{{ url_for('static', filename='style.css', _external=True) }}"
    with app.test_request_context("/", base_url="https://one.example.org"):
        assert render_template_string(template) == "https://one.example.org/static/style.css"
    with app.test_request_context("/", base_url="http://two.example.org"):
        assert render_template_string(template) == "http://two.example.org/static/style.css"
    with app.test_request_context("/", base_url="http://two.example.org/drafting"):
        assert render_template_string(template) == "http://two.example.org/drafting/static/style.css"
