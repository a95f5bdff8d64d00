"""The Qt binding the project installs must not eat references to None.

PySide6 6.12 on Python 3.11 lowers None's reference count on every call that
returns nothing; after a few thousand calls the reader dies with
"Fatal Python error: none_dealloc". pyproject.toml keeps 3.11 below 6.12;
this test fails if a dependency change lets the bug back in.

From Python 3.12 None is immortal (PEP 683): its count never changes, so the
bug cannot kill the reader there and a count cannot show it; the tests say so
by skipping instead of passing without looking.
"""

import ctypes
import sys

import pytest
from PySide6.QtCore import QObject

CALLS = 2000

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683)"
)


def none_references_lost(call) -> int:
    """How many references to None ``CALLS`` calls of ``call`` took away."""
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def test_void_qt_calls_keep_none_alive():
    probe = QObject()
    assert none_references_lost(lambda: probe.setObjectName("probe")) < 10


def test_the_count_sees_a_call_that_eats_none():
    # A stand-in for the broken binding: each call drops one reference to None
    # (given back afterwards, so the interpreter survives the test).
    decref = ctypes.pythonapi.Py_DecRef
    decref.argtypes = [ctypes.py_object]
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    try:
        lost = none_references_lost(lambda: decref(None))
    finally:
        for _ in range(CALLS):
            incref(None)
    assert lost >= 10
