"""Consultation topics as a two-level checkable tree (space toggles the current one)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from hotline.taxonomy import taxonomy

CODE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex
LIST = "topics"


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped text at the width the row really has (QTreeView measures
    rows without it, so long topics would be cut off with "…")."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self.tree.viewport().width() - self.tree.indentation() * (depth + 1)
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.rect = QRect(0, 0, max(width, 50), 10_000)
        style = self.tree.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, self.tree)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        needed = item.fontMetrics.boundingRect(text_rect, int(flags), item.text).height()
        return QSize(size.width(), max(size.height(), needed + 4))


class TopicsTree(QTreeWidget):
    """Checking a group checks all of its topics; only the topics (leaves) are stored."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        # Long topics wrap instead of being cut off with "…" (translations run longer).
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setStretchLastSection(True)
        self.setItemDelegate(WrappingDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._filling = False
        self._groups: set[str] = set()
        for group in taxonomy().children(LIST, None):
            top = QTreeWidgetItem(self)
            top.setData(0, CODE, group.code)
            top.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsAutoTristate
            )
            top.setCheckState(0, Qt.CheckState.Unchecked)
            self.items[group.code] = top
            for term in taxonomy().children(LIST, group.code):
                leaf = QTreeWidgetItem(top)
                leaf.setData(0, CODE, term.code)
                leaf.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                leaf.setCheckState(0, Qt.CheckState.Unchecked)
                self.items[term.code] = leaf
        self.expandAll()
        self.itemChanged.connect(self._changed)
        self.retranslate()
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def retranslate(self) -> None:
        self._filling = True
        for code, item in self.items.items():
            term = taxonomy().get(LIST, code)
            if term is not None:
                item.setText(0, term.text)
        self._filling = False

    def _changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        if not self._filling:
            self.edited.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        # Wrapped rows change height with the width; Qt does not re-measure them itself.
        if event.oldSize().width() != event.size().width():
            self.scheduleDelayedItemsLayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        # Space toggles the current topic (Qt only does so for a selected, clicked row).
        if event.key() == Qt.Key.Key_Space and not event.modifiers() and self.isEnabled():
            item = self.currentItem()
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                checked = item.checkState(0) == Qt.CheckState.Checked
                item.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
                event.accept()
                return
        super().keyPressEvent(event)

    # -- values --------------------------------------------------------------------
    def codes(self) -> tuple[str, ...]:
        """Checked topics in the order of the list. A group is stored only if it was
        stored so (older or imported data) and is still ticked."""
        result = []
        for code, item in self.items.items():
            state = item.checkState(0)
            if item.parent() is not None:
                keep = state == Qt.CheckState.Checked
            else:
                keep = code in self._groups and state != Qt.CheckState.Unchecked
            if keep:
                result.append(code)
        return tuple(result)

    def set_codes(self, codes: tuple[str, ...]) -> None:
        self._filling = True
        wanted = set(codes)
        for code, item in self.items.items():
            if item.parent() is not None:
                state = Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
                item.setCheckState(0, state)
        # A stored group code (imported data) marks its group as partly ticked.
        self._groups = {c for c in wanted if c in self.items and self.items[c].parent() is None}
        for code in self._groups:
            item = self.items[code]
            if item.checkState(0) == Qt.CheckState.Unchecked:
                item.setCheckState(0, Qt.CheckState.PartiallyChecked)
        self._filling = False
