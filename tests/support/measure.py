"""Time and memory of one piece of work, measured from the process itself (Linux).

The time is the processor time the process spent (time.process_time): the work an input costs,
which the wall clock of a machine shared with other jobs overstates several times over.

The kernel keeps the process's peak resident set (VmHWM in /proc/self/status); writing 5 to
/proc/self/clear_refs sets it back to the current resident set. So the peak above the start is
VmHWM after the work minus VmRSS before it: every allocation counts, Python's and the C libraries'
(lxml, zlib), which tracemalloc would miss. Memory freed by earlier work is first given back to the
system (malloc_trim), so that reusing it counts as growth too."""

from __future__ import annotations

import ctypes
import gc
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
_LIBC = ctypes.CDLL("libc.so.6")


def _kilobytes(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+) kB", STATUS.read_text()).group(1))


def available() -> bool:
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Cost:
    seconds: float = 0.0  # processor time of the process (all its threads)
    wall_seconds: float = 0.0
    peak_megabytes: float = 0.0


@contextmanager
def measured():
    """`with measured() as cost: ...` then cost.seconds and cost.peak_megabytes."""
    cost = Cost()
    gc.collect()
    _LIBC.malloc_trim(0)
    CLEAR_REFS.write_text("5")
    start = _kilobytes("VmRSS")
    began, began_wall = time.process_time(), time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.process_time() - began
        cost.wall_seconds = time.perf_counter() - began_wall
        cost.peak_megabytes = (_kilobytes("VmHWM") - start) / 1024
