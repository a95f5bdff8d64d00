"""The one path by which the window tells the person something went wrong.

Code below the window raises domain errors (ArticleError, AnnotationError)
whose messages name the file and the problem; this module shows that message
in a dialog. It never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QMessageBox, QWidget

from reader.core.summary import summarized


def show_error(parent: QWidget | None, title: str, error: BaseException | str) -> None:
    """Show a modal error dialog with the core's message."""
    QMessageBox.critical(parent, title, _message(error))


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    """Show a modal warning: something was skipped, nothing was lost."""
    QMessageBox.warning(parent, title, message)


def show_problems(
    parent: QWidget | None,
    title: str,
    problems: Iterable[object],
    intro: str = "These files were skipped:",
) -> None:
    """List problems (files that could not be read, tags that need attention) in one
    warning: the first few, then how many more."""
    lines = summarized(problems)
    if not lines:
        return
    show_warning(parent, title, f"{intro}\n\n" + "\n".join(lines))


def confirm_discard(parent: QWidget | None, reason: BaseException | str) -> bool:
    """Ask before quitting with tags that could not be saved. True means quit anyway."""
    answer = QMessageBox.question(
        parent,
        "Tags not saved",
        f"Your latest tags could not be saved:\n\n{_message(reason)}\n\nQuit anyway and lose them?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def _message(error: BaseException | str) -> str:
    text = str(error).strip()
    return text or type(error).__name__
