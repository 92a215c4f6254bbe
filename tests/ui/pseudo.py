"""A pseudo-locale for the GUI tests: every translated text comes back as ⟦English⟧.

``PseudoTranslations`` stands in for our gettext catalogue, ``GettextQtTranslator`` over
the same object for Qt's own strings. ``visible_texts`` collects what a person can read
in a window, so a test can tell text that went through gettext (marked) from text that
did not (unmarked).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QProgressBar,
    QTabBar,
    QWidget,
    QWizard,
    QWizardPage,
)

from hotline.i18n import install, set_language
from ui.qt_translation import GettextQtTranslator

OPEN, CLOSE = "⟦", "⟧"
# The pseudo catalogue sits on English locale data: CLDR names and formats stay real
# (and "en" is a UI language, so nothing switches away from the pseudo catalogue).
PSEUDO_LANGUAGE = "en"


class PseudoTranslations(gettext.NullTranslations):
    """Wraps the English text in ⟦…⟧ and leaves it otherwise alone: %(name)s placeholders
    and & mnemonics survive, so every format operation works as with a real catalogue."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


class PseudoLocale:
    """Installs the pseudo catalogue for our strings and for Qt's; ``remove`` undoes it."""

    def __init__(self) -> None:
        self.qt = GettextQtTranslator(PseudoTranslations())

    def install(self) -> None:
        install(PseudoTranslations(), PSEUDO_LANGUAGE)
        QCoreApplication.installTranslator(self.qt)

    def remove(self) -> None:
        QCoreApplication.removeTranslator(self.qt)
        set_language("en")


def is_marked(text: str) -> bool:
    """Whole text from the catalogue: starts and ends inside markers (so a sentence
    glued together from pieces, ``_("a") + " b"``, does not pass)."""
    text = text.strip()
    return text.startswith(OPEN) and text.endswith(CLOSE)


@dataclass(frozen=True)
class Text:
    where: str
    text: str


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or hex(id(widget))})"


def _action_texts(action: QAction, where: str) -> Iterator[Text]:
    if action.isSeparator() or not action.isVisible():
        return
    # Qt appends a shortcut after a tab ("&Copy\tCtrl+C"); its key names are Qt's own.
    yield Text(f"{where} action", action.text().split("\t")[0])
    yield Text(f"{where} action tooltip", action.toolTip().split("\t")[0])
    menu = action.menu()
    if isinstance(menu, QMenu):
        yield from menu_texts(menu, f"{where} › {action.text()}")


def menu_texts(menu: QMenu, where: str = "menu") -> Iterator[Text]:
    yield Text(f"{where} title", menu.title())
    for action in menu.actions():
        yield from _action_texts(action, where)


def _model_texts(model: QAbstractItemModel, view: QAbstractItemView, where: str) -> Iterator[Text]:
    display, tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    root = view.rootIndex()
    # A list shows one column (and QListWidget's model hides columnCount from Python).
    columns = [view.modelColumn()] if isinstance(view, QListView) else None
    for row in range(model.rowCount(root)):
        for column in columns or range(model.columnCount(root)):
            index = model.index(row, column, root)
            for role in (display, tip):
                value = index.data(role)
                if isinstance(value, str):
                    yield Text(f"{where} cell {row},{column}", value)
    for orientation, header in (
        (Qt.Orientation.Horizontal, getattr(view, "horizontalHeader", lambda: None)()),
        (Qt.Orientation.Vertical, getattr(view, "verticalHeader", lambda: None)()),
    ):
        if isinstance(header, QHeaderView) and header.isVisible():
            for section in range(header.count()):
                for role in (display, tip):
                    value = model.headerData(section, orientation, role)
                    if isinstance(value, str):
                        yield Text(f"{where} header {section}", value)


def widget_texts(widget: QWidget) -> Iterator[Text]:
    """The texts of ``widget`` alone (not its children)."""
    where = _name(widget)
    if widget.isWindow():
        yield Text(f"{where} window title", widget.windowTitle())
    yield Text(f"{where} tooltip", widget.toolTip())
    if isinstance(widget, (QLabel, QAbstractButton)):
        yield Text(where, widget.text())
    elif isinstance(widget, QGroupBox):
        yield Text(where, widget.title())
    elif isinstance(widget, QLineEdit):
        yield Text(f"{where} placeholder", widget.placeholderText())
    elif isinstance(widget, QComboBox):
        # Every item can be read in the open list, not only the current one.
        for index in range(widget.count()):
            yield Text(f"{where} item {index}", widget.itemText(index))
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield Text(f"{where} tab {index}", widget.tabText(index))
            yield Text(f"{where} tab tooltip {index}", widget.tabToolTip(index))
    elif isinstance(widget, QProgressBar) and widget.isTextVisible():
        yield Text(where, widget.text())
    elif isinstance(widget, QWizardPage):
        yield Text(f"{where} title", widget.title())
        yield Text(f"{where} subtitle", widget.subTitle())
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        model = widget.model()
        if model is not None:
            yield from _model_texts(model, widget, where)
    for action in widget.actions():
        yield from _action_texts(action, f"{where}")


def visible_texts(window: QWidget) -> list[Text]:
    """Every non-empty text a person can read in ``window`` as it is shown now, with the
    menus of a main window (which are closed but one click away)."""
    found: list[Text] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is not window and not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QMenu):
            continue  # menus are read through their actions, below
        if isinstance(widget, QMenuBar):
            continue  # read below, with the main window
        found.extend(widget_texts(widget))
    if isinstance(window, QMainWindow):  # the menu bar's menus, whether open or not
        for action in window.menuBar().actions():
            found.extend(_action_texts(action, "menu bar"))
    if isinstance(window, QWizard):
        page = window.currentPage()
        if page is not None:
            found.extend(widget_texts(page))
    return found


def unmarked(texts: list[Text], allowed: set[str]) -> list[Text]:
    """Non-empty texts that did not come from a catalogue and are not in ``allowed``."""
    return [
        t
        for t in texts
        if t.text.strip() and not is_marked(t.text) and t.text.strip() not in allowed
    ]
