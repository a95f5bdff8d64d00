"""The main window: a composition of the article list, the comparison view,
the annotations dock, the toolbar and the status bar.

The window owns the session's state (corpus, annotation store, minimum
similarity, which pair is shown) and connects the widgets; each widget lives
in its own module and knows nothing of the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSlider,
    QToolBar,
    QWidget,
)

from reader.core.align import COPIED, DEFAULT_THRESHOLD, RELATED, Link
from reader.core.annotation_model import Tag
from reader.core.articles import (
    ARTICLE_SUFFIXES,
    Article,
    ArticleError,
    Corpus,
    LoadProblem,
    load_corpus,
    load_files,
)
from reader.core.cache import cache_folder
from reader.core.comparison import PairKey, PairLinks, flip_links
from reader.core.corrections import MANUAL, MANUAL_NAME, apply_corrections
from reader.core.summary import summarized
from reader.ui import errors
from reader.ui.actions import WIDGET_KEYS, Actions
from reader.ui.annotations_dock import AnnotationsDock
from reader.ui.article_list import NOT_COMPARED, ArticleListDock
from reader.ui.comparison import ComparisonView
from reader.ui.corpus_view import CorpusDock
from reader.ui.icons import icon
from reader.ui.link_editing import LinkEditing
from reader.ui.settings import Settings
from reader.ui.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from reader.ui.status_bar import AlignmentStatus
from reader.ui.tagging import Tagging
from reader.ui.window_fit import WindowFit
from reader.ui.workers import AlignmentService, before_workers

APP_NAME = "Source Reader"


def _version() -> str:
    try:
        return metadata.version("source-reader")
    except metadata.PackageNotFoundError:
        return "(not installed)"


AUTOSAVE_DELAY_MS = 1500
# The slider works in hundredths; similarity below 0.1 links almost anything.
SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 10, 90, 5
RELATED_EXTRA_HINT = "install them with: pip install 'source-reader[related]'"
# A folder with more files than this is read in the background, the list filling
# as it goes; a handful is read at once, so a bad folder is said before anything changes.
READ_AT_ONCE_LIMIT = 60
# Arriving pairs update their two articles' rows at once; the stories, the heat
# map and "Also in" are redrawn at most this often while the corpus aligns.
CORPUS_REFRESH_MS = 400


class MainWindow(QMainWindow):
    """Two articles side by side with their shared passages, and the tools around them."""

    corpusOpened = Signal()
    pairShown = Signal(str, str)  # left id, right id
    linksShown = Signal(int)  # number of links now in the comparison view
    saved = Signal()

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.settings = settings
        self.corpus: Corpus | None = None
        self._painted = False  # the window has painted itself once
        self._corpus_paths: list[str] = []
        self._threshold = DEFAULT_THRESHOLD
        self._auto_pair = True
        self._focused_side = ComparisonView.LEFT
        self._passage_message = ""  # the "Passage i of n" text last put in the status bar
        self._related_reason: str | None = None  # said once, then kept in the legend

        self.action_set = Actions(self)
        self.undo_stack = QUndoStack(self)
        self.alignments = AlignmentService(self)
        self.comparison = ComparisonView()
        self.comparison.setObjectName("Comparison")
        self.setCentralWidget(self.comparison)
        self.article_dock = ArticleListDock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.article_dock)
        self.annotations_dock = AnnotationsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.annotations_dock)
        self.corpus_dock = CorpusDock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.corpus_dock)
        self.splitDockWidget(self.article_dock, self.corpus_dock, Qt.Orientation.Vertical)
        self._corpus_refresh = QTimer(self)
        self._corpus_refresh.setSingleShot(True)
        self._corpus_refresh.setInterval(CORPUS_REFRESH_MS)
        self._corpus_refresh.timeout.connect(self._refresh_corpus_answers)
        self._arrived_keys: list[PairKey] = []  # aligned since the corpus map was last refreshed
        self._corpus_map_threshold: float | None = None  # the threshold the corpus map shows
        self.resizeDocks(
            [self.article_dock, self.annotations_dock], [360, 250], Qt.Orientation.Horizontal
        )
        self.alignment_status = AlignmentStatus(self)
        self.statusBar().addPermanentWidget(self.alignment_status)
        self.tagging = Tagging(self)
        self.link_editing = LinkEditing(self)
        # The reader's corrections last drawn: the pair's links are redrawn when they change.
        self._corrections_shown: tuple = ()
        self.article_dock.model.set_share_source(self._linked_share, self._closest_article)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self._autosave_now)
        # The last failed save's message: an autosave failing the same way
        # again (a read-only file) says so in the status bar, not a new dialog.
        self._save_error_shown: str | None = None

        self._build_toolbar()
        self._build_menus()
        self._connect()
        self._update_title()
        self._restore_settings()
        # The article list keeps its title column readable, the tag list its label and passage.
        self.fit = WindowFit(
            self,
            {self.article_dock: (215, 360), self.annotations_dock: (170, 250)},
            [self.toolbar, self.tag_bar, self.view_bar],
            stack=(self.annotations_dock, self.corpus_dock),
        )

    # ------------------------------------------------------------------ building
    def _build_toolbar(self) -> None:
        a = self.action_set
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("MainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.setMovable(False)
        for action in (
            a.open_folder,
            a.save,
            a.export,
            None,
            a.undo,
            a.redo,
            None,
            a.swap,
            a.previous_link,
            a.next_link,
            a.sync_scroll,
            a.show_related,
            None,
        ):
            if action is None:
                bar.addSeparator()
            else:
                bar.addAction(action)
        self.toolbar = bar
        self.addToolBar(bar)
        self._name_tool_buttons(bar)

        # The tag buttons double as the legend: color, key and label name.
        self.tag_bar = QToolBar("Tags", self)
        self.tag_bar.setObjectName("TagToolbar")
        self.tag_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tag_bar.setMovable(False)
        self.addToolBar(self.tag_bar)

        self.similarity = QSlider(Qt.Orientation.Horizontal)
        self.similarity.setObjectName("MinSimilarity")
        self.similarity.setAccessibleName("Minimum similarity")
        self.similarity.setToolTip(
            "Minimum similarity of a linked passage (Ctrl+[ looser, Ctrl+] stricter)"
        )
        self.similarity.setRange(SLIDER_MIN, SLIDER_MAX)
        self.similarity.setSingleStep(SLIDER_STEP)
        self.similarity.setPageStep(SLIDER_STEP * 2)
        self.similarity.setFixedWidth(120)
        self.similarity_label = QLabel()
        self.similarity_label.setObjectName("MinSimilarityValue")
        self.similarity_label.setMinimumWidth(34)
        self.find_box = QLineEdit()
        self.find_box.setObjectName("FindBox")
        self.find_box.setPlaceholderText("Find in both panes…")
        self.find_box.setAccessibleName("Find text")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setFixedWidth(170)
        tools = QWidget()
        row = QHBoxLayout(tools)
        row.setContentsMargins(8, 0, 4, 0)
        row.setSpacing(6)
        caption = QLabel("Min. similarity")
        caption.setBuddy(self.similarity)
        row.addWidget(caption)
        row.addWidget(self.similarity)
        row.addWidget(self.similarity_label)
        row.addSpacing(10)
        row.addWidget(self.find_box)
        row.addStretch(1)
        self.view_bar = QToolBar("Similarity and find", self)
        self.view_bar.setObjectName("ViewToolbar")
        self.view_bar.setMovable(False)
        self.view_bar.addWidget(tools)
        self.addToolBar(self.view_bar)

    def _build_menus(self) -> None:
        a = self.action_set
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions([a.open_folder, a.open_files])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("RecentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([a.save, a.export])
        file_menu.addSeparator()
        file_menu.addAction(a.quit)

        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([a.undo, a.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([a.find, a.find_next, a.find_previous])

        self.tag_menu = menus.addMenu("&Tag")
        self.tag_menu.setObjectName("TagMenu")

        view_menu = menus.addMenu("&View")
        view_menu.addActions([a.previous_link, a.next_link, a.swap, a.sync_scroll, a.show_related])
        view_menu.addSeparator()
        view_menu.addActions([a.zoom_in, a.zoom_out, a.zoom_reset])
        view_menu.addSeparator()
        view_menu.addActions([a.less_similar, a.more_similar, a.cancel_alignment])
        view_menu.addSeparator()
        view_menu.addActions([a.focus_articles, a.focus_comparison, a.focus_annotations])
        view_menu.addSeparator()
        view_menu.addActions([a.show_articles, a.show_annotations, a.open_left, a.open_right])

        help_menu = menus.addMenu("&Help")
        help_menu.addActions([a.shortcuts, a.about])

        # Shortcuts of actions that live only in menus and context menus still
        # work while the menu is closed because every action is on the window.
        self.addActions(a.all())

    def _name_tool_buttons(self, bar: QToolBar) -> None:
        """Give each toolbar button its action's accessible name (Qt would read the bare text)."""
        for action in bar.actions():
            button = bar.widgetForAction(action)
            name = action.property("accessibleName")
            if button is not None and name:
                button.setAccessibleName(str(name))
                button.setAccessibleDescription(str(action.property("accessibleDescription") or ""))

    def _fill_tag_menu(self) -> None:
        self.tag_menu.clear()
        self.tag_menu.addActions(self.action_set.tag_actions())
        self.tag_menu.addSeparator()
        self.tag_menu.addActions([self.action_set.remove_tag, self.action_set.edit_note])
        self.tag_menu.addSeparator()
        self.tag_menu.addActions([self.action_set.link_passages, self.action_set.reject_link])
        self.tag_bar.clear()
        for action in self.action_set.tag_actions():
            self.tag_bar.addAction(action)
        self._name_tool_buttons(self.tag_bar)
        self.addActions(self.action_set.tag_actions())

    def _connect(self) -> None:
        a = self.action_set
        a.open_folder.triggered.connect(self.choose_folder)
        a.open_files.triggered.connect(self.choose_files)
        a.save.triggered.connect(lambda: self.save(explicit=True))
        a.export.triggered.connect(self.export_notes)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo_stack.undo)
        a.redo.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        # Bound methods, not lambdas: Qt drops the connection when the window
        # goes, so the stack's last signals on destruction reach nothing.
        self.undo_stack.undoTextChanged.connect(self._undo_text_changed)
        self.undo_stack.redoTextChanged.connect(self._redo_text_changed)
        a.undo.setEnabled(False)
        a.redo.setEnabled(False)
        a.find.triggered.connect(self._focus_find)
        a.find_next.triggered.connect(lambda: self.find(backwards=False))
        a.find_previous.triggered.connect(lambda: self.find(backwards=True))
        self.find_box.returnPressed.connect(lambda: self.find(backwards=False))
        a.next_link.triggered.connect(self.comparison.next_link)
        a.previous_link.triggered.connect(self.comparison.previous_link)
        self.comparison.linkStepsChanged.connect(self._link_steps_changed)
        self._link_steps_changed(*self.comparison.link_steps())
        a.swap.triggered.connect(self.swap)
        a.open_left.triggered.connect(lambda: self._open_listed(ComparisonView.LEFT))
        a.open_right.triggered.connect(lambda: self._open_listed(ComparisonView.RIGHT))
        a.sync_scroll.toggled.connect(self.comparison.set_sync_scroll)
        a.show_related.toggled.connect(self._show_related_toggled)
        self.comparison.noticeLinkActivated.connect(self._notice_link)
        a.zoom_in.triggered.connect(lambda: self.set_zoom(self.comparison.zoom() + 1))
        a.zoom_out.triggered.connect(lambda: self.set_zoom(self.comparison.zoom() - 1))
        a.zoom_reset.triggered.connect(lambda: self.set_zoom(0))
        a.more_similar.triggered.connect(
            lambda: self.similarity.setValue(self.similarity.value() + SLIDER_STEP)
        )
        a.less_similar.triggered.connect(
            lambda: self.similarity.setValue(self.similarity.value() - SLIDER_STEP)
        )
        a.cancel_alignment.triggered.connect(self.alignments.cancel)
        a.cancel_alignment.setEnabled(False)
        a.focus_articles.triggered.connect(self._focus_articles)
        a.focus_annotations.triggered.connect(self._focus_annotations)
        a.focus_comparison.triggered.connect(self._focus_comparison)
        a.show_articles.toggled.connect(self.article_dock.setVisible)
        a.show_annotations.toggled.connect(self.annotations_dock.setVisible)
        self.article_dock.visibilityChanged.connect(self._sync_dock_actions)
        self.annotations_dock.visibilityChanged.connect(self._sync_dock_actions)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.about.triggered.connect(self._about)

        self.similarity.valueChanged.connect(self._similarity_moved)
        self.comparison.articleChosen.connect(self._article_chosen)
        self.comparison.focusedSideChanged.connect(self._side_focused)
        self.comparison.sentenceContextMenuRequested.connect(self._sentence_menu)
        self.comparison.linkSelected.connect(self._link_selected)
        self.article_dock.articleActivated.connect(
            lambda article_id: self.open_in(self._focused_side, article_id)
        )
        self.article_dock.contextMenuWanted.connect(
            lambda pos: self.article_dock.show_menu([a.open_left, a.open_right, a.swap], pos)
        )
        self.annotations_dock.tagActivated.connect(self.jump_to_tag)

        self.alignments.ready.connect(self._corpus_ready)
        self.alignments.relatedUnavailable.connect(self._check_related_available)
        self.alignments.aligned.connect(self._alignment_arrived)
        self.alignments.alignedCopied.connect(self._copied_arrived)
        self.alignments.alignedMany.connect(self._alignments_arrived)
        self.alignments.loaded.connect(self._articles_read)
        self.corpus_dock.pairActivated.connect(lambda a, b: self.show_pair(a, b))
        self.alignments.busyChanged.connect(self._alignment_busy)
        self.alignments.copiedSettled.connect(self._copied_settled)
        self.alignments.progress.connect(self.alignment_status.set_progress)
        self.alignments.failed.connect(
            lambda message: errors.show_error(self, "Comparison failed", message)
        )
        self.alignments.cancelled.connect(
            lambda: self.statusBar().showMessage("Comparison cancelled", 4000)
        )
        self.alignments.notice.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.alignment_status.cancelRequested.connect(self.alignments.cancel)

        self.tagging.changed.connect(self._tags_changed)

    def _undo_text_changed(self, text: str) -> None:
        self.action_set.undo.setText(f"&Undo {text}" if text else "&Undo")

    def _redo_text_changed(self, text: str) -> None:
        self.action_set.redo.setText(f"&Redo {text}" if text else "&Redo")

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        threshold = DEFAULT_THRESHOLD
        if self.settings is not None:
            geometry = self.settings.geometry()
            if geometry is not None:
                self.restoreGeometry(geometry)
            else:
                self._first_start_size()
            state = self.settings.window_state()
            if state is not None:
                self.restoreState(state)
            self.set_zoom(self.settings.zoom())
            threshold = self.settings.min_similarity(DEFAULT_THRESHOLD)
            with QSignalBlocker(self.action_set.show_related):
                self.action_set.show_related.setChecked(self.settings.show_related())
        self.alignment_status.legend.set_related_state(self.action_set.show_related.isChecked())
        with QSignalBlocker(self.similarity):
            self.similarity.setValue(round(threshold * 100))
        self._threshold = self.similarity.value() / 100
        self.similarity_label.setText(f"{self._threshold:.2f}")
        self._sync_dock_actions()

    def _first_start_size(self) -> None:
        """Without remembered geometry, take most of the screen: two articles
        side by side need width, and Qt's default size squeezes the docks."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        width = min(1400, int(available.width() * 0.9))
        height = min(900, int(available.height() * 0.9))
        self.resize(width, height)
        self.move(available.center().x() - width // 2, available.center().y() - height // 2)
        self.resizeDocks(
            [self.article_dock, self.annotations_dock],
            [width // 5, width // 6],
            Qt.Orientation.Horizontal,
        )

    def _store_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.set_zoom(self.comparison.zoom())
        self.settings.set_min_similarity(self._threshold)
        self.settings.set_show_related(self.action_set.show_related.isChecked())
        if self._corpus_paths:
            self.settings.set_last_corpus(self._corpus_paths)
        self.settings.sync()

    # ------------------------------------------------------------------ opening
    def open_paths(self, chosen: Sequence[str | Path]) -> bool:
        """Open a folder (one path) or article files as the corpus. False if nothing opened."""
        paths = [Path(p) for p in chosen]
        if not paths:
            return False
        try:
            if len(paths) == 1 and paths[0].is_dir():
                files = _article_files(paths[0])
                if len(files) > READ_AT_ONCE_LIMIT:
                    if not self._leave_corpus():
                        return False
                    self._read_progressively(paths[0], files)
                    return True
                corpus = load_corpus(paths[0])
            else:
                folders = [p for p in paths if p.is_dir()]
                if folders:
                    raise ArticleError(folders[0], "is a folder; open folders one at a time")
                corpus = load_files(paths)
        except ArticleError as error:
            errors.show_error(self, "Cannot open", error)
            return False
        if not corpus.articles:
            reasons = "\n".join(summarized(corpus.problems)) or "The folder has no article files."
            errors.show_error(self, "No articles to read", reasons)
            return False
        if not self._leave_corpus():
            return False
        self._open_corpus(corpus, [str(p.resolve()) for p in paths])
        if corpus.problems:
            errors.show_problems(self, "Some articles could not be read", corpus.problems)
        return True

    def _open_corpus(self, corpus: Corpus, paths: list[str]) -> None:
        self._show_corpus(corpus, paths)
        # Splitting long articles takes seconds: done in the background; the
        # first pair appears when it is done (at once for ordinary articles).
        self.alignment_status.set_summary("Reading the articles…")
        self.alignments.prepare(articles=corpus.articles)

    def _show_corpus(self, corpus: Corpus, paths: list[str]) -> None:
        self.corpus = corpus
        self._corpus_paths = paths
        self._auto_pair = True
        self.undo_stack.clear()
        self.find_box.clear()  # a query about the old articles means nothing here
        self.tagging.open(corpus)
        self._corrections_shown = (
            self.tagging.store.corrections() if self.tagging.store is not None else ()
        )
        self.article_dock.model.set_articles(corpus.articles)
        self.comparison.set_article_choices(
            [(a.id, a.title or a.path.name) for a in corpus.articles]
        )
        self.comparison.set_articles(None, None)
        self.comparison.set_links([])
        self.article_dock.model.set_sides(None, None)
        self.corpus_dock.set_corpus(corpus.articles)
        self._arrived_keys, self._corpus_map_threshold = [], None
        if self.settings is not None:
            self.settings.set_last_corpus(paths)
            self.settings.add_recent(paths)
        self._refresh_annotations()
        self._update_title()

    def _read_progressively(self, folder: Path, files: list[Path]) -> None:
        """Open a big folder: the list fills as the background job reads it; the
        corpus (tags, pairs) is opened when reading is done or cancelled."""
        self.corpus = None
        self._reading: tuple[Path, list[str]] | None = (folder, [str(folder.resolve())])
        self._read_problems: list[LoadProblem] = []
        self.undo_stack.clear()
        self.find_box.clear()
        self.article_dock.model.set_articles([])
        self.corpus_dock.set_corpus([])
        self._arrived_keys, self._corpus_map_threshold = [], None
        self.comparison.set_articles(None, None)
        self.comparison.set_links([])
        self.setWindowTitle(f"{APP_NAME} — {folder.name}[*]")
        self.alignment_status.set_summary(f"Reading {len(files):,} articles…")
        self.alignments.prepare(paths=files)

    def _articles_read(
        self, articles: list[Article], problems: list[LoadProblem], done: int, total: int
    ) -> None:
        self.article_dock.model.append_articles(articles)
        self._read_problems.extend(problems)
        self.alignment_status.set_summary(f"Read {done:,} of {total:,} articles…")

    def _corpus_ready(self) -> None:
        reading = getattr(self, "_reading", None)
        if reading is not None:
            self._reading = None
            folder, paths = reading
            index = self.alignments.index
            assert index is not None  # ready is only signalled with the index built
            corpus = Corpus(
                folder=folder, articles=index.articles, problems=tuple(self._read_problems)
            )
            if not corpus.articles:
                errors.show_error(
                    self,
                    "No articles to read",
                    "\n".join(str(p) for p in corpus.problems)
                    or "The folder has no article files.",
                )
                self.alignment_status.set_summary("")
                return
            self._show_corpus(corpus, paths)
            if corpus.problems:
                errors.show_problems(self, "Some articles could not be read", corpus.problems)
        if self.corpus is None:
            return
        self._check_related_available()
        articles = self.corpus.articles
        # The most similar candidate pair first; the pair that shares most
        # replaces it when the corpus is aligned.
        candidates = self.alignments.candidate_list
        first = (
            candidates[0]
            if candidates
            else (articles[0], articles[1] if len(articles) > 1 else None)
        )
        self.show_pair(first[0].id, first[1].id if first[1] is not None else None, by_user=False)
        if self.alignments.load_stopped:
            self.statusBar().showMessage(
                f"Reading cancelled: {len(articles):,} articles opened, the corpus is not compared",
                8000,
            )
        else:
            # Only the pairs that share rare wording, most similar first, then those sharing
            # rare names and numbers (CorpusIndex.pairs_to_compare).
            self.alignments.request_candidates(self._threshold)
        self._schedule_corpus_refresh()
        self.corpusOpened.emit()

    def _leave_corpus(self) -> bool:
        """Save the corpus being left; ask when its tags cannot be saved. True means go on."""
        self._autosave.stop()
        if not self.tagging.dirty():
            return True
        error = self.tagging.save()
        if error is None:
            return True
        return errors.confirm_discard(self, error)

    def choose_folder(self) -> None:
        start = self._corpus_paths[0] if self._corpus_paths else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Folder of Articles", start)
        if folder:
            self.open_paths([folder])

    def choose_files(self) -> None:
        start = str(Path(self._corpus_paths[0]).parent) if self._corpus_paths else str(Path.home())
        files, _ = QFileDialog.getOpenFileNames(
            self, "Open Article Files", start, "Articles (*.txt *.md *.html *.htm);;All files (*)"
        )
        if files:
            self.open_paths(files)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self.settings.recent() if self.settings is not None else []
        for entry in entries:
            text = (
                entry[0] if len(entry) == 1 else f"{Path(entry[0]).name} and {len(entry) - 1} more"
            )
            action = self.recent_menu.addAction(text)
            action.setToolTip("\n".join(entry))
            action.triggered.connect(lambda _=False, e=entry: self.open_paths(e))
        if not entries:
            self.recent_menu.addAction("No recent folders").setEnabled(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # Opening may show dialogs: not inside the drop handler.
            QTimer.singleShot(0, lambda: self.open_paths(paths))

    # ------------------------------------------------------------------ pairs
    def shown_ids(self) -> tuple[str | None, str | None]:
        left, right = self.comparison.articles()
        return (left.id if left is not None else None, right.id if right is not None else None)

    def show_pair(self, left_id: str | None, right_id: str | None, *, by_user: bool = True) -> None:
        """Show two articles side by side and their links (now if cached, else when aligned)."""
        if self.corpus is None:
            return
        if by_user:
            self._auto_pair = False
        left = self.corpus.article(left_id) if left_id else None
        right = self.corpus.article(right_id) if right_id else None
        self.comparison.set_articles(left, right)
        self.article_dock.model.set_sides(left_id, right_id)
        self._show_links()
        self.tagging.refresh_marks()
        self._update_shares()
        self.pairShown.emit(left_id or "", right_id or "")

    def open_in(self, side: str, article_id: str) -> None:
        """Show ``article_id`` in ``side``; if it is already opposite, the panes swap."""
        left_id, right_id = self.shown_ids()
        if side == ComparisonView.LEFT:
            if article_id == right_id:
                right_id = left_id
            left_id = article_id
        else:
            if article_id == left_id:
                left_id = right_id
            right_id = article_id
        self.show_pair(left_id, right_id)

    def swap(self) -> None:
        left_id, right_id = self.shown_ids()
        self.show_pair(right_id, left_id)

    def _open_listed(self, side: str) -> None:
        article_id = self.article_dock.current_article_id()
        if article_id:
            self.open_in(side, article_id)

    def _article_chosen(self, side: str, article_id: str) -> None:
        self.open_in(side, article_id)

    def _side_focused(self, side: str) -> None:
        self._focused_side = side

    def _show_links(self) -> None:
        self._clear_passage_message()  # it named a link of the links being replaced
        left, right = self.comparison.articles()
        if left is None or right is None:
            self.comparison.set_links([])
            self._update_summary([])
            self.comparison.set_notice("")
            return
        links = self.alignments.request(left, right, self._threshold)
        if links is not None:
            links = self.corrected(left, right, links)
        shown = self._shown_kinds(links or [])
        self.comparison.set_links(shown)
        self._update_summary(links)
        self._update_notice(links)
        self.linksShown.emit(len(shown))

    def corrected(self, a: Article, b: Article, links: Sequence[Link]) -> list[Link]:
        """The computed links of (a, b) with the reader's links by hand added and rejected ones left out."""
        store = self.tagging.store
        if store is None:
            return list(links)
        return apply_corrections(links, store.manual_links(), store.rejections(), a, b)

    def related_shown(self) -> bool:
        return self.action_set.show_related.isChecked()

    def _shown_kinds(self, links: Sequence[Link]) -> list[Link]:
        """The links the panes draw: related ones only while the toggle is on."""
        if self.related_shown():
            return list(links)
        return [link for link in links if link.kind != RELATED]

    def _show_related_toggled(self, on: bool) -> None:
        if self.settings is not None:
            self.settings.set_show_related(on)
        self.alignment_status.legend.set_related_state(on, self._related_note())
        self._show_links()

    def _notice_link(self, href: str) -> None:
        if href == "looser":
            self.action_set.less_similar.trigger()
        elif href == "related":
            self.action_set.show_related.setChecked(True)

    def _related_note(self) -> str:
        reason = self._related_reason
        if not reason:
            return ""
        # The core's reason may already say how to get them; else the window does.
        hint = (
            "" if ("pip install" in reason or "[related]" in reason) else f"; {RELATED_EXTRA_HINT}"
        )
        return f"Related passages are off: {reason.rstrip('.')}{hint}."

    def _check_related_available(self) -> None:
        """Say once, plainly, when related links cannot be found and how to get them."""
        if self._related_reason is not None:
            return
        reason = self.alignments.related_reason()
        if not reason:
            return
        self._related_reason = reason
        note = self._related_note()
        self.alignment_status.legend.set_related_state(self.related_shown(), note)
        self.action_set.show_related.setToolTip(
            f"{self.action_set.show_related.statusTip()}\n{note}"
        )
        self.statusBar().showMessage(note)

    def _update_notice(self, links: list | None) -> None:
        """Above the panes, when the pair shows no links: why, and what to do."""
        shown = self.comparison.links()
        if links is None or shown:
            self.comparison.set_notice("")
            return
        at = f"similarity {self._threshold:.2f}"
        looser = (
            "<a href='looser'>lower the similarity</a> (Ctrl+[)"
            if self.similarity.value() > self.similarity.minimum()
            else ""
        )
        hidden = sum(1 for link in links if link.kind == RELATED)
        if hidden:
            noun = "passage tells" if hidden == 1 else "passages tell"
            text = (
                f"No copied wording at {at} — {hidden} related {noun} the same facts in other "
                "words: <a href='related'>show related passages</a> (Ctrl+Shift+R)"
            )
        else:
            steps = [looser] if looser else []
            if not self.related_shown():
                steps.append("<a href='related'>show related passages</a> (Ctrl+Shift+R)")
            text = f"No shared passages at {at}"
            if steps:
                text += " — " + ", or ".join(steps)
            else:
                text += " — these two articles do not seem to report the same things"
            if self._related_reason:
                text += f"<br>{_escape(self._related_note())}"
        self.comparison.set_notice(text)

    def current_links(self) -> list | None:
        left, right = self.comparison.articles()
        if left is None or right is None:
            return []
        links = self.alignments.cached(left, right, self._threshold)
        return None if links is None else self.corrected(left, right, links)

    def _copied_arrived(self, key: PairKey, links: list) -> None:
        """The shown pair's copied links, while its related ones are still looked for: draw them now."""
        left, right = self.comparison.articles()
        if left is None or right is None:
            return
        shown, flipped = PairKey.of(left, right, self._threshold)
        if key != shown or self.alignments.cached(left, right, self._threshold) is not None:
            return
        links = self.corrected(left, right, flip_links(links) if flipped else links)
        drawn = self._shown_kinds(links)
        self.comparison.set_links(drawn)
        self.comparison.set_notice("")
        noun = "passage" if len(drawn) == 1 else "passages"
        found = f"{len(drawn)} copied {noun} linked" if drawn else "No copied wording"
        self.alignment_status.set_summary(f"{found}  ·  looking for related passages…")
        self.linksShown.emit(len(drawn))

    def _alignment_arrived(self, key: PairKey, links: list) -> None:
        self._alignments_arrived([(key, links)])

    def _alignments_arrived(self, arrived: list) -> None:
        """Pairs aligned: work in proportion to them, never to the corpus."""
        left, right = self.comparison.articles()
        shown = (
            PairKey.of(left, right, self._threshold)[0]
            if left is not None and right is not None
            else None
        )
        for key, _links in arrived:
            if key == shown:
                self._show_links()
            # A closest article changes only for the two articles of a pair; the
            # other articles' "Linked" share is to the shown article, so only theirs.
            # Both wait for the next corpus refresh: a repaint per batch kept the
            # list's sort model busy while a thousand articles aligned.
            self._arrived_keys.append(key)
        self._schedule_corpus_refresh()

    def _schedule_corpus_refresh(self) -> None:
        if not self._corpus_refresh.isActive():
            self._corpus_refresh.start()

    def corpus_refresh_pending(self) -> bool:
        """Whether the corpus map and "Also in" still wait for arrived pairs (a screenshot waits)."""
        return self._corpus_refresh.isActive()

    @before_workers
    def _refresh_corpus_answers(self, *, full: bool = False) -> None:
        """Stories, heat map, shares and "Also in", at most every CORPUS_REFRESH_MS while pairs
        arrive; in proportion to the pairs arrived since, unless ``full`` (the threshold moved)."""
        arrived, self._arrived_keys = self._arrived_keys, []
        self.annotations_dock.model.refresh_also_in()
        store = self.alignments.store
        if full or self._corpus_map_threshold != self._threshold:
            self._corpus_map_threshold = self._threshold
            self.corpus_dock.set_pairs(store.summaries(self._threshold), self._threshold)
            self.article_dock.model.shares_changed()
            return
        summaries = [store.summary_of(key) for key in arrived if key.threshold == self._threshold]
        self.corpus_dock.add_pairs([s for s in summaries if s is not None])
        self.article_dock.model.shares_changed({i for key in arrived for i in (key.a_id, key.b_id)})

    def _alignment_busy(self, busy: bool) -> None:
        self.alignment_status.set_busy(busy)
        self.action_set.cancel_alignment.setEnabled(busy)
        if not busy:
            if self._auto_pair:
                self._show_best_pair()
            left, right = self.comparison.articles()
            if left is not None and right is not None and self.current_links() is None:
                self._update_summary(None, cancelled=True)

    def _copied_settled(self) -> None:
        """The corpus's copied links are in: show the pair sharing most now, not after the
        related links' pass (the sentence model may take minutes on a big prose folder)."""
        if self._auto_pair:
            self._show_best_pair()

    def best_pair(self) -> tuple[str, str] | None:
        """The aligned pair whose links cover the largest share of both articles (the store knows)."""
        if self.corpus is None:
            return None
        return self.alignments.store.best_pair(self._threshold)

    def _show_best_pair(self) -> None:
        best = self.best_pair()
        if best is not None and set(best) != set(self.shown_ids()):
            self.show_pair(*best, by_user=False)

    def _update_shares(self) -> None:
        """The shown pair changed: every article's "Linked" share is to another article now."""
        self.article_dock.model.shares_changed()

    def _linked_share(self, article: Article) -> float | str | None:
        """Share of ``article`` linked to the one opposite it: the right pane's article for
        the left one, the left pane's for every other. NOT_COMPARED when the corpus index
        found neither rare wording nor rare names and numbers the two share; None while the
        pair waits to be compared."""
        left, right = self.comparison.articles()
        other = right if (left is not None and article.id == left.id) else left
        if other is None or other.id == article.id:
            return None
        summary = self.alignments.store.summary(article, other, self._threshold)
        if summary is not None:
            return summary.a_share if summary.key.a_id == article.id else summary.b_share
        # The shown pair itself is being compared (it was asked for), candidate or not.
        shown_pair = left is not None and right is not None and article.id in (left.id, right.id)
        if (
            self.alignments.is_ready()
            and not shown_pair
            and not self.alignments.is_candidate(article, other)
        ):
            return NOT_COMPARED
        return None

    def _closest_article(self, article: Article) -> tuple[str, float] | None:
        closest = self.alignments.store.closest(article.id, self._threshold)
        if closest is None or self.corpus is None:
            return None
        try:
            other = self.corpus.article(closest.article_id)
        except KeyError:
            return None
        return other.title or other.path.name, closest.share

    def _update_summary(self, links: list | None, cancelled: bool = False) -> None:
        left, right = self.comparison.articles()
        if left is None or right is None:
            self.alignment_status.set_summary("Choose a second article to compare")
            return
        if links is None:
            self.alignment_status.set_summary(
                "Not compared (cancelled)" if cancelled else "Comparing…"
            )
            return
        related = sum(1 for link in links if link.kind == RELATED)
        manual = sum(1 for link in links if link.kind == MANUAL)
        copied_links = len(links) - related - manual
        shown = self._shown_kinds(links)
        if not shown:
            self.alignment_status.set_summary(
                f"No shared passages at similarity {self._threshold:.2f}"
                + (f" ({related} related hidden)" if related else "")
            )
            return
        shown_pair = PairLinks(left, right, shown, self._threshold)
        a_share, b_share = shown_pair.share("a"), shown_pair.share("b")
        copied = sum(link.copied_chars for link in shown if link.kind == COPIED)
        noun = "passage" if len(shown) == 1 else "passages"
        kinds = [f"{copied_links} copied"]
        if related:
            kinds.append(f"{related} related" + ("" if self.related_shown() else " hidden"))
        if manual:
            kinds.append(f"{manual} {MANUAL_NAME}")
        text = (
            f"{len(shown)} {noun} linked ({' · '.join(kinds)})  ·  left {round(a_share * 100)} %"
            f"  ·  right {round(b_share * 100)} %"
        )
        tip = (
            f"{copied_links} with copied wording, {related} telling the same fact in other words"
            + ("" if self.related_shown() or not related else " (hidden)")
            + "\n"
            f"{left.title}: {round(a_share * 100)} % of its text is linked\n"
            f"{right.title}: {round(b_share * 100)} % of its text is linked\n"
            f"{copied:,} characters word for word"
        )
        self.alignment_status.set_summary(text, tip)

    def _link_selected(self, index: int) -> None:
        links = self.comparison.links()
        if 0 <= index < len(links):
            link = links[index]
            if link.kind == MANUAL:
                self._passage_message = (
                    f"Passage {index + 1} of {len(links)}  ·  {MANUAL_NAME}"
                    "  ·  Ctrl+Shift+K removes it"
                )
            else:
                kind = "same fact in other words" if link.kind == RELATED else "copied wording"
                self._passage_message = (
                    f"Passage {index + 1} of {len(links)}  ·  {kind}"
                    f"  ·  similarity {link.score:.2f}  ·  Ctrl+Shift+K rejects it"
                )
            self.statusBar().showMessage(self._passage_message, 5000)
        else:
            self._clear_passage_message()

    def _clear_passage_message(self) -> None:
        if self._passage_message and self.statusBar().currentMessage() == self._passage_message:
            self.statusBar().clearMessage()
        self._passage_message = ""

    # ------------------------------------------------------------------ similarity
    def threshold(self) -> float:
        return self._threshold

    def set_threshold(self, value: float) -> None:
        """Change the minimum similarity; links re-align (cached, in the background)."""
        self.similarity.setValue(round(value * 100))

    def _similarity_moved(self, value: int) -> None:
        self._threshold = value / 100
        self.similarity_label.setText(f"{self._threshold:.2f}")
        self.alignments.drop_threshold_except(self._threshold)
        self._show_links()
        if self.corpus is not None:
            self.alignments.request_candidates(self._threshold)
        self._update_shares()
        self._refresh_corpus_answers(full=True)

    # ------------------------------------------------------------------ zoom, find, focus
    def set_zoom(self, steps: int) -> None:
        self.comparison.set_zoom(steps)  # the view keeps it within MIN_ZOOM..MAX_ZOOM

    def _focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    # Shadows Qt's static QWidget.find(window id), which nothing calls on the window.
    def find(self, backwards: bool = False) -> bool:  # type: ignore[override]
        text = self.find_box.text()
        if not text:
            self._focus_find()
            return False
        found = self.comparison.find_text(text, backwards=backwards)
        if not found:
            self.statusBar().showMessage(f"“{text}” not found", 4000)
        return found

    def _focus_articles(self) -> None:
        self.article_dock.show()
        self.article_dock.raise_()
        self.article_dock.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_annotations(self) -> None:
        self.annotations_dock.show()
        self.annotations_dock.raise_()
        self.annotations_dock.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_comparison(self) -> None:
        self.comparison.pane(self._focused_side).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _sync_dock_actions(self, *_: object) -> None:
        for action, dock in (
            (self.action_set.show_articles, self.article_dock),
            (self.action_set.show_annotations, self.annotations_dock),
        ):
            with QSignalBlocker(action):
                action.setChecked(not dock.isHidden())

    # ------------------------------------------------------------------ tags
    def _tags_changed(self) -> None:
        store = self.tagging.store
        corrections = store.corrections() if store is not None else ()
        if corrections != self._corrections_shown:
            # A link made, rejected, undone or merged in from disk: redraw the pair.
            self._corrections_shown = corrections
            self._show_links()
        self._update_title()
        self._refresh_annotations()
        if self.tagging.dirty():
            self._autosave.start()

    def _refresh_annotations(self) -> None:
        store = self.tagging.store
        if self.corpus is None:
            return
        tags = list(store.all_tags()) if store is not None else []
        labels = list(store.labels) if store is not None else []
        self.annotations_dock.set_content(tags, labels, self.corpus.articles, self._also_in)
        counts: dict[str, int] = {}
        for tag in tags:
            counts[tag.article_id] = counts.get(tag.article_id, 0) + 1
        self.article_dock.model.set_tag_counts(counts)

    def _also_in(self, tag: Tag) -> list[str]:
        """Other articles with a passage linked to the tagged one (cached alignments), each
        as "title (copied, 0.84)" or "title (restated, 0.52)": copied wording wins when an
        article has both kinds."""
        if self.corpus is None or tag.orphaned:
            return []
        try:
            article = self.corpus.article(tag.article_id)
        except KeyError:
            return []
        titles = []
        store = self.tagging.store
        partners = set(self.alignments.store.partners(article.id, self._threshold))
        for correction in store.manual_links() if store is not None else ():
            ends = {correction.a.article_id, correction.b.article_id}
            if article.id in ends:
                partners |= ends - {article.id}
        # Only the articles aligned (or linked by hand) with this one, and only their links over the tag.
        for other_id in sorted(partners):
            try:
                other = self.corpus.article(other_id)
            except KeyError:
                continue
            pair = self.alignments.pair(article, other, self._threshold)
            links = self.corrected(article, other, list(pair.links) if pair is not None else [])
            # The tagged sentences themselves, not every neighbour in their passage.
            overlapping = [link for link in links if link.carries(article, tag.start, tag.end)]
            if not overlapping:
                continue
            best = max(
                overlapping,
                key=lambda link: (link.kind == MANUAL, link.kind != RELATED, link.score),
            )
            if best.kind == MANUAL:
                titles.append(f"{other.title or other.path.name} ({MANUAL_NAME})")
                continue
            how = "restated" if best.kind == RELATED else "copied"
            titles.append(f"{other.title or other.path.name} ({how}, {best.score:.2f})")
        return titles

    def _link_steps_changed(self, can_go_back: bool, can_go_on: bool) -> None:
        # As Meld's next change: a step that cannot move is greyed out, not silent.
        self.action_set.previous_link.setEnabled(can_go_back)
        self.action_set.next_link.setEnabled(can_go_on)

    def jump_to_tag(self, tag: Tag) -> None:
        """Show the tag's article (in the focused pane unless already shown) and select its sentence."""
        if self.corpus is None:
            return
        left_id, right_id = self.shown_ids()
        if tag.article_id == left_id:
            side = ComparisonView.LEFT
        elif tag.article_id == right_id:
            side = ComparisonView.RIGHT
        else:
            side = self._focused_side
            self.open_in(side, tag.article_id)
        article = self.corpus.article(tag.article_id)
        sentence = article.sentence_at(tag.start)
        if sentence is not None:
            self.comparison.select_sentence(side, sentence.index)
        self.comparison.pane(side).setFocus(Qt.FocusReason.OtherFocusReason)

    def sentence_menu(self, side: str, index: int) -> QMenu:
        """The context menu of a sentence: Tag as ▸ labels, remove, note, links."""
        self.comparison.select_sentence(side, index)
        menu = QMenu(self)
        tag_as = menu.addMenu("Tag as")
        tag_as.setObjectName("TagAsMenu")
        tag_as.addActions(self.action_set.tag_actions())
        menu.addActions([self.action_set.remove_tag, self.action_set.edit_note])
        menu.addSeparator()
        menu.addActions([self.action_set.previous_link, self.action_set.next_link])
        menu.addActions([self.action_set.link_passages, self.action_set.reject_link])
        return menu

    def _sentence_menu(self, side: str, index: int, global_pos: QPoint) -> None:
        self._exec_menu(self.sentence_menu(side, index), global_pos)

    def _exec_menu(self, menu: QMenu, global_pos: QPoint) -> None:
        menu.exec(global_pos)
        menu.deleteLater()

    # ------------------------------------------------------------------ saving
    def save(self, explicit: bool = False) -> bool:
        """Save tags now. A failure shows the core's message; memory keeps every tag."""
        self._autosave.stop()
        error = self.tagging.save()
        self._update_title()
        if error is None:
            self._save_error_shown = None
            self.saved.emit()
            if explicit:
                self.statusBar().showMessage("Tags saved", 3000)
            return True
        if not explicit and str(error) == self._save_error_shown:
            self.statusBar().showMessage(f"Tags not saved (kept in memory): {error}", 10000)
            return False
        self._save_error_shown = str(error)
        errors.show_error(self, "Tags not saved", error)
        return False

    def _autosave_now(self) -> None:
        if self.tagging.dirty():
            self.save()

    def export_notes(self) -> None:
        if self.corpus is None:
            return
        start = Path(self._corpus_paths[0]) if self._corpus_paths else Path.home()
        if start.is_file():
            start = start.parent
        remembered = self.settings.export_folder() if self.settings is not None else None
        if remembered is not None and Path(remembered).is_dir():
            start = Path(remembered)  # notes usually go where the last ones went
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export Notes",
            str(start / f"{self.corpus.name or 'notes'}-notes.md"),
            "Markdown (*.md);;CSV (*.csv);;JSON-LD (*.jsonld)",
        )
        if not path:
            return
        error = self.tagging.export(
            Path(path),
            chosen,
            self.alignments.aligner(),
            threshold=self._threshold,
            pairs=self.alignments.store,
        )
        if error is not None:
            errors.show_error(self, "Export failed", error)
        else:
            if self.settings is not None:
                self.settings.set_export_folder(str(Path(path).parent))
            self.statusBar().showMessage(f"Notes exported to {path}", 5000)

    # ------------------------------------------------------------------ title, help, quit
    def _update_title(self) -> None:
        name = self.corpus.name if self.corpus is not None else "no articles"
        self.setWindowTitle(f"{APP_NAME} — {name}[*]")
        self.setWindowModified(self.tagging.dirty())

    def show_shortcuts(self) -> None:
        ShortcutsDialog(shortcut_rows(self.action_set.all(), WIDGET_KEYS), self).exec()

    def _about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())

    def about_text(self) -> str:
        """What Help > About says: the version and where the reader keeps its cache."""
        folder = cache_folder()
        where = (
            (
                f"Cache of split and indexed articles: {folder}<br>(set SOURCE_READER_CACHE to move it, "
                "or to <i>off</i>)"
            )
            if folder is not None
            else "The article cache is off (SOURCE_READER_CACHE=off)."
        )
        return (
            f"<b>{APP_NAME} {_version()}</b><br><br>"
            f"{APP_NAME} shows how news outlets cover one event: the passages two "
            "articles share, side by side, and your tags and notes on them.<br><br>" + where
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            return self._paint(event)
        if event.type() == QEvent.Type.Show and not self._painted:
            self.alignments.hold_until_painted()  # a folder opened now is read after the paint
            handle = self.windowHandle()
            if handle is not None:
                handle.installEventFilter(self)
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window paints itself first as it is exposed (the repaint requests before that
        # paint nothing): what waited for that paint starts in the turn after it.
        if (
            event.type() == QEvent.Type.Expose
            and not self._painted
            and watched is self.windowHandle()
            and self.windowHandle().isExposed()
        ):
            self._painted = True
            watched.removeEventFilter(self)
            # A timer, not a queued call (a 0 ms single shot is one): queued calls are made
            # in the same pass of the event loop as the paint, before the input waiting.
            QTimer.singleShot(1, self, self.alignments.painted)
        return super().eventFilter(watched, event)

    @before_workers
    def _paint(self, event: QEvent) -> bool:
        # A repaint returns from Qt into Python hundreds of times (the list's and the heat
        # map's cells, the panes), and a thread of this process reading the files or
        # aligning took the GIL back each time: workers wait at their next step instead.
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leave_corpus():
            event.ignore()
            return
        self._store_settings()
        self.alignments.cancel()
        self.alignments.wait_for_done(5000)
        self.alignments.shutdown()  # the worker process ends with the window
        event.accept()


def _article_files(folder: Path) -> list[Path]:
    """The article files of ``folder`` by name, as ``load_corpus`` reads them (no reading here)."""
    try:
        return sorted(
            (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES),
            key=lambda p: p.name,
        )
    except OSError:
        return []  # load_corpus says what is wrong


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
