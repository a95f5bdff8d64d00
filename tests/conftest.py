"""Settings for the whole suite."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    # The sentence cache goes to a private folder: the suite never writes into
    # the real user cache, and subprocesses (CLI tests) inherit the setting.
    os.environ["SOURCE_READER_CACHE"] = tempfile.mkdtemp(prefix="source-reader-cache-")
