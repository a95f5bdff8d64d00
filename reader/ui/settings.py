"""What the window remembers between sessions, kept in QSettings.

One place names every key, so a typo cannot silently create a second setting.
Tests point QSettings at a temporary folder (QSettings.setPath) and never touch
the real home directory.
"""

from __future__ import annotations

import json
from typing import cast

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "SourceReader"
APPLICATION = "Source Reader"
MAX_RECENT = 8


class Settings:
    """Typed access to the remembered window state."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._qs = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    # -- window -----------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    # -- corpus -----------------------------------------------------------
    def last_corpus(self) -> list[str]:
        """The paths last opened (a folder, or the files of a file corpus)."""
        return self._paths("corpus/last")

    def set_last_corpus(self, paths: list[str]) -> None:
        self._qs.setValue("corpus/last", json.dumps(list(paths)))

    def recent(self) -> list[list[str]]:
        """Recently opened corpora, newest first, each a list of paths."""
        raw = self._qs.value("corpus/recent", "[]")
        try:
            entries = json.loads(str(raw))
        except ValueError:
            return []
        return [list(map(str, e)) for e in entries if isinstance(e, list) and e]

    def add_recent(self, paths: list[str]) -> None:
        entry = list(paths)
        entries = [e for e in self.recent() if e != entry]
        entries.insert(0, entry)
        self._qs.setValue("corpus/recent", json.dumps(entries[:MAX_RECENT]))

    # -- reading ----------------------------------------------------------
    def zoom(self) -> int:
        return self._int("view/zoom", 0)

    def set_zoom(self, steps: int) -> None:
        self._qs.setValue("view/zoom", int(steps))

    def min_similarity(self, default: float) -> float:
        try:
            value = float(cast(str | float, self._qs.value("align/min_similarity", default)))
        except (TypeError, ValueError):
            return default
        return min(1.0, max(0.0, value))

    def set_min_similarity(self, value: float) -> None:
        self._qs.setValue("align/min_similarity", float(value))

    def show_related(self, default: bool = True) -> bool:
        """Whether related links (same fact, other words) are drawn besides copied ones."""
        value = self._qs.value("align/show_related", default)
        if isinstance(value, str):  # INI and some native stores give strings back
            return value.strip().lower() not in ("false", "0", "no", "")
        return bool(value)

    def set_show_related(self, on: bool) -> None:
        self._qs.setValue("align/show_related", bool(on))

    # -- export -----------------------------------------------------------
    def export_folder(self) -> str | None:
        """The folder notes were last exported to, or None before the first export."""
        value = self._qs.value("export/folder")
        return str(value) if value else None

    def set_export_folder(self, folder: str) -> None:
        self._qs.setValue("export/folder", str(folder))

    def sync(self) -> None:
        self._qs.sync()

    # -- helpers ----------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _int(self, key: str, default: int) -> int:
        try:
            return int(cast(str | int, self._qs.value(key, default)))
        except (TypeError, ValueError):
            return default

    def _paths(self, key: str) -> list[str]:
        try:
            value = json.loads(str(self._qs.value(key, "[]")))
        except ValueError:
            return []
        return [str(p) for p in value] if isinstance(value, list) else []
