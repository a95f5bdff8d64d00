"""The Qt binding the project installs must not eat references to None.

PySide6 6.12 on Python 3.11 lowers None's reference count on every call that
returns nothing; after a few thousand calls the reader dies with
"Fatal Python error: none_dealloc". pyproject.toml keeps 3.11 below 6.12;
this test fails if a dependency change lets the bug back in.
"""

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_keep_none_alive():
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) >= before - 10
