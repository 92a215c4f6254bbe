"""Table model of the accounts shown in the users dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from hotline.i18n import _, ngettext, pgettext
from hotline.model.user import User

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class UserRow:
    user: User
    failed_attempts: int
    locked: bool


class UsersModel(QAbstractTableModel):
    USERNAME, FULL_NAME, ROLE, STATUS = range(4)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[UserRow] = []

    def set_rows(self, rows: list[UserRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> UserRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, username: str) -> int:
        for number, entry in enumerate(self._rows):
            if entry.user.username == username:
                return number
        return -1

    def usernames(self) -> list[str]:
        return [entry.user.username for entry in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            self.USERNAME: _("User name"),
            self.FULL_NAME: _("Full name"),
            self.ROLE: _("Role"),
            self.STATUS: pgettext("account", "Status"),
        }
        return titles.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.row_at(index.row())
        if entry is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.USERNAME:
            return entry.user.username
        if column == self.FULL_NAME:
            return entry.user.display_name
        if column == self.ROLE:
            return entry.user.role.label
        if column == self.STATUS:
            return status_text(entry)
        return None

    def retranslate(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)


def status_text(entry: UserRow) -> str:
    if not entry.user.active:
        return pgettext("account", "Disabled")
    if entry.locked:
        return pgettext("account", "Locked after failed sign-ins")
    if entry.failed_attempts:
        return ngettext(
            "Active, %(n)d failed sign-in", "Active, %(n)d failed sign-ins", entry.failed_attempts
        ) % {"n": entry.failed_attempts}
    return pgettext("account", "Active")
