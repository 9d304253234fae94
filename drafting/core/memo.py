"""The one way to keep a computed value for the life of the process.

A memo is only for what is a pure function of its key: the same key always gives the same value, so
nothing ever has to invalidate it. Whatever else the value depends on (the page's language, the
database's dialect, the request's host and scheme) is part of the key. Each memo is bounded (least
recently used entries go first), and named, so that `memos()` lists them and tests can `clear_all()`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from threading import Lock
from typing import Any

_MEMOS: list = []  # every memo of the process, for clear_all() and memos()


class Memo:
    """`memo.get(key, make)`: the value kept for `key`, or `make()`'s, kept. For values whose making
    needs more than the key (a file read from the database); `make` must depend on nothing but what
    the key names."""

    def __init__(self, name: str, maxsize: int):
        self.name = name
        self.maxsize = maxsize
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = Lock()
        _MEMOS.append(self)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()  # outside the lock: two threads may make the same value, both right
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def memoized(maxsize: int) -> Callable:
    """Decorator for a pure function of hashable arguments (functools.lru_cache, named and listed)."""

    def decorate(function: Callable) -> Callable:
        cached = lru_cache(maxsize=maxsize)(function)
        _MEMOS.append(cached)
        return cached

    return decorate


def memos() -> list[str]:
    return sorted(getattr(memo, "name", None) or f"{memo.__module__}.{memo.__qualname__}" for memo in _MEMOS)


def clear_all() -> None:
    for memo in _MEMOS:
        (memo.clear if isinstance(memo, Memo) else memo.cache_clear)()
