"""Every action of the window as a QAction, defined here and nowhere else.

Menus, the toolbar, context menus and Help ▸ Keyboard Shortcuts all reuse these
objects, so an action has one text, one shortcut and one accessible name
wherever it appears. Standard QKeySequence keys are used where Qt has one, so
the platform's own conventions win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPainter, QPixmap

from reader.core.annotation_model import Label
from reader.ui.icons import icon

Keys = QKeySequence.StandardKey | str | Sequence[QKeySequence.StandardKey | str]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    keys: Keys | None = None
    tip: str = ""
    icon: str = ""
    checkable: bool = False
    menu_only_keys: bool = False


# Order here is the order of Help ▸ Keyboard Shortcuts.
SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open_folder",
        "Open &Folder…",
        QKeySequence.StandardKey.Open,
        "Open a folder of articles",
        "open-folder",
    ),
    ActionSpec("open_files", "Open F&iles…", "Ctrl+Shift+O", "Open article files"),
    ActionSpec(
        "save",
        "&Save Tags",
        QKeySequence.StandardKey.Save,
        "Save tags to the annotation file now",
        "save",
    ),
    ActionSpec(
        "export",
        "&Export Notes…",
        "Ctrl+E",
        "Export tags and notes as Markdown, CSV or JSON-LD",
        "export",
    ),
    ActionSpec("quit", "&Quit", (QKeySequence.StandardKey.Quit, "Ctrl+Q"), "Save and quit"),
    ActionSpec("undo", "&Undo", QKeySequence.StandardKey.Undo, "Undo the last tag change", "undo"),
    ActionSpec(
        "redo",
        "&Redo",
        ("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo),
        "Redo the tag change just undone",
        "redo",
    ),
    ActionSpec(
        "find", "&Find…", QKeySequence.StandardKey.Find, "Find text in both articles", "find"
    ),
    ActionSpec(
        "find_next",
        "Find &Next",
        ("F3", QKeySequence.StandardKey.FindNext),
        "Find the next occurrence",
    ),
    ActionSpec(
        "find_previous",
        "Find Pre&vious",
        ("Shift+F3", QKeySequence.StandardKey.FindPrevious),
        "Find the previous occurrence",
    ),
    ActionSpec(
        "remove_tag",
        "&Remove Tag",
        ("0", QKeySequence.StandardKey.Delete),
        "Remove the tag from the selected sentence",
    ),
    ActionSpec("edit_note", "Edit &Note…", "N", "Write a note on the selected sentence's tag"),
    # Ctrl+L is taken (Go to Article List), Ctrl+Shift+X too (Swap Panes).
    ActionSpec(
        "link_passages",
        "&Link Selected Passages",
        "Ctrl+K",
        "Link the passages chosen in the two panes (a clicked sentence or dragged text in each): "
        "they tell the same thing",
    ),
    ActionSpec(
        "reject_link",
        "Re&ject Link",
        "Ctrl+Shift+K",
        "Hide the selected suggested link: the two passages do not tell the same thing "
        "(a link you made is removed)",
    ),
    ActionSpec(
        "next_link",
        "Ne&xt Linked Passage",
        "Alt+Down",
        "Select the next passage both articles share",
        "next-link",
    ),
    ActionSpec(
        "previous_link",
        "Pre&vious Linked Passage",
        "Alt+Up",
        "Select the previous passage both articles share",
        "previous-link",
    ),
    ActionSpec("swap", "S&wap Panes", "Ctrl+Shift+X", "Swap the left and right articles", "swap"),
    ActionSpec(
        "open_left",
        "Open in &Left Pane",
        "Ctrl+Shift+Left",
        "Show the chosen article in the left pane",
    ),
    ActionSpec(
        "open_right",
        "Open in &Right Pane",
        "Ctrl+Shift+Right",
        "Show the chosen article in the right pane",
    ),
    ActionSpec(
        "sync_scroll",
        "&Synchronized Scrolling",
        "Ctrl+Shift+Y",
        "Scroll both panes together",
        "sync",
        checkable=True,
    ),
    ActionSpec(
        "show_related",
        "Show Relat&ed Passages",
        "Ctrl+Shift+R",
        "Show or hide related passages: the same fact told in other words",
        "related",
        checkable=True,
    ),
    ActionSpec(
        "zoom_in", "Zoom &In", (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), "Larger text", "zoom-in"
    ),
    ActionSpec(
        "zoom_out", "Zoom &Out", QKeySequence.StandardKey.ZoomOut, "Smaller text", "zoom-out"
    ),
    ActionSpec("zoom_reset", "&Actual Size", "Ctrl+0", "Text at its normal size"),
    ActionSpec(
        "more_similar",
        "Stricter Links",
        "Ctrl+]",
        "Raise the minimum similarity: fewer, closer links",
    ),
    ActionSpec(
        "less_similar", "Looser Links", "Ctrl+[", "Lower the minimum similarity: more, looser links"
    ),
    ActionSpec(
        "cancel_alignment",
        "&Cancel Alignment",
        None,
        "Stop comparing the articles in the background",
        "cancel",
    ),
    ActionSpec(
        "focus_articles",
        "Go to &Article List",
        "Ctrl+L",
        "Move the keyboard focus to the article list filter",
    ),
    ActionSpec(
        "focus_annotations",
        "Go to Anno&tations",
        "Ctrl+Shift+A",
        "Move the keyboard focus to the list of tags",
    ),
    ActionSpec(
        "focus_comparison",
        "Go to &Articles Side by Side",
        "Ctrl+Shift+C",
        "Move the keyboard focus to the compared articles",
    ),
    ActionSpec(
        "show_articles", "Article &List", None, "Show or hide the article list", checkable=True
    ),
    ActionSpec(
        "show_annotations", "&Annotations", None, "Show or hide the annotations", checkable=True
    ),
    ActionSpec(
        "shortcuts",
        "&Keyboard Shortcuts",
        QKeySequence.StandardKey.HelpContents,
        "List every action and its keys",
    ),
    ActionSpec("about", "&About Source Reader", None, "What this program is"),
)

# Keys the comparison view handles itself; listed so Help shows every key.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Up / Down", "Select the previous / next sentence"),
    ("Click a band or highlighted passage", "Select that linked passage in both articles"),
    ("Enter in the find box", "Find the next occurrence"),
)


def key_sequences(keys: Keys | None) -> list[QKeySequence]:
    """Every sequence for ``keys``, standard keys expanded for this platform, no duplicates."""
    if keys is None:
        return []
    items = [keys] if isinstance(keys, (str, QKeySequence.StandardKey)) else list(keys)
    result: list[QKeySequence] = []
    for item in items:
        sequences = (
            QKeySequence.keyBindings(item)
            if isinstance(item, QKeySequence.StandardKey)
            else [QKeySequence(item)]
        )
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in result:
                result.append(sequence)
    return result


def shown_key_sequences(keys: Keys | None) -> list[QKeySequence]:
    """The keys a user is told about: every key written out, and only the platform's
    first binding of a standard key. The rest still work, but "Ctrl+Z, F14" or
    "Ctrl+Z, Alt+Backspace" lists keys most keyboards lack or nobody means."""
    if keys is None:
        return []
    items = [keys] if isinstance(keys, (str, QKeySequence.StandardKey)) else list(keys)
    result: list[QKeySequence] = []
    for item in items:
        sequences = (
            QKeySequence.keyBindings(item)[:1]
            if isinstance(item, QKeySequence.StandardKey)
            else [QKeySequence(item)]
        )
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in result:
                result.append(sequence)
    return result


def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "")


class Actions(QObject):
    """The window's QActions by name: ``actions.save``, ``actions["swap"]``."""

    # One attribute per spec, set in __init__; declared so the type checker
    # knows them (tests/ui/test_actions.py checks the two lists agree).
    open_folder: QAction
    open_files: QAction
    save: QAction
    export: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    find: QAction
    find_next: QAction
    find_previous: QAction
    remove_tag: QAction
    edit_note: QAction
    link_passages: QAction
    reject_link: QAction
    next_link: QAction
    previous_link: QAction
    swap: QAction
    open_left: QAction
    open_right: QAction
    sync_scroll: QAction
    show_related: QAction
    zoom_in: QAction
    zoom_out: QAction
    zoom_reset: QAction
    more_similar: QAction
    less_similar: QAction
    cancel_alignment: QAction
    focus_articles: QAction
    focus_annotations: QAction
    focus_comparison: QAction
    show_articles: QAction
    show_annotations: QAction
    shortcuts: QAction
    about: QAction

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(f"action_{spec.name}")
            action.setShortcuts(key_sequences(spec.keys))
            action.setProperty(
                "shownShortcuts",
                ", ".join(
                    sequence.toString(QKeySequence.SequenceFormat.NativeText)
                    for sequence in shown_key_sequences(spec.keys)
                ),
            )
            action.setToolTip(spec.tip or _plain(spec.text))
            action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            if spec.icon:
                action.setIcon(icon(spec.icon))
            _set_accessible(action, _plain(spec.text), spec.tip)
            self._actions[spec.name] = action
            setattr(self, spec.name, action)
        self.sync_scroll.setChecked(True)
        self.show_related.setChecked(True)
        self._tag_actions: list[QAction] = []
        self.tag_group = QActionGroup(self)
        self.tag_group.setExclusive(False)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def all(self) -> list[QAction]:
        """Every action, fixed ones first, then one per tag label."""
        return list(self._actions.values()) + list(self._tag_actions)

    def tag_actions(self) -> list[QAction]:
        return list(self._tag_actions)

    def set_labels(self, labels: Iterable[Label]) -> list[QAction]:
        """Make one "Tag as <label>" action per label, keyed as the annotation file says.

        The actions carry the label name as data; the caller connects
        ``tag_group.triggered``.
        """
        for action in self._tag_actions:
            self.tag_group.removeAction(action)
            action.deleteLater()
        self._tag_actions = []
        for label in labels:
            name, color, key = label.name, label.color, label.key or ""
            action = QAction(name.capitalize(), self.parent())
            action.setObjectName(f"action_tag_{name}")
            action.setData(name)
            if key:
                action.setShortcut(QKeySequence(key))
            action.setIcon(swatch(color))
            tip = f"Tag the selected sentence as {name}" + (f" ({key})" if key else "")
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setIconText(f"{key} {name}" if key else name)
            _set_accessible(action, f"Tag as {name}", tip)
            self.tag_group.addAction(action)
            self._tag_actions.append(action)
        return list(self._tag_actions)


def swatch(color: str, size: int = 14) -> QIcon:
    """A small rounded square of a label's color, for menus and the legend."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QColor(color).darker(130))
    painter.drawRoundedRect(3, 3, size * 2 - 6, size * 2 - 6, 6, 6)
    painter.end()
    pixmap.setDevicePixelRatio(2.0)
    icon = QIcon(pixmap)
    # The tag buttons are the legend of the marks: a button greyed out because no
    # sentence is selected keeps its label's color.
    icon.addPixmap(pixmap, QIcon.Mode.Disabled)
    return icon


def _set_accessible(action: QAction, name: str, description: str) -> None:
    # QAction has no accessibleName of its own: the toolbar button and menu
    # item built from it read the text; the property carries it for tests and
    # for widgets that copy it (see MainWindow._add_tool_button).
    action.setProperty("accessibleName", name)
    action.setProperty("accessibleDescription", description)
