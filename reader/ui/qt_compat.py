"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

PySide6 6.12's wrappers return ``None`` (and ``True``/``False`` from some
methods) without taking a reference, which is harmless on Python 3.12+, where
these objects are immortal, but on 3.11 every such call lowers their count by
one: a long session, or the test suite, ends in "Fatal Python error:
none_dealloc". Measured: ``QObject.setObjectName`` lowers ``sys.getrefcount(None)``
by exactly one per call.

``make_singletons_immortal()`` gives these three objects a reference count so
large that no session can use it up, which is what Python 3.12 does for them.
"""

from __future__ import annotations

import ctypes
import sys

# Python 3.12 marks immortal objects with a count near 2**32; a count of
# 2**60 cannot be counted down by any realistic number of calls.
_HUGE = 1 << 60


def make_singletons_immortal() -> bool:
    """On Python < 3.12 (CPython), raise the counts of None, True and False. True if done."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object (Py_ssize_t).
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _HUGE:
            count.value += _HUGE
    return True


def leaks_none() -> bool:
    """True if a void PySide call lowers None's count (the bug this module works around)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before
