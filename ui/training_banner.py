"""The training banner: in training mode every window (the sign-in window, the main window,
every dialog and message box) gets a bright strip across its top and "TRAINING — " before
its title, so practice data is never taken for real work.

Done once for the whole application: an event filter on the QApplication decorates each
top-level window the first time it is shown. The strip sits in space reserved by raising the
window's top contents margin, so it covers nothing; it follows the window's width and the
interface language.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from hotline.i18n import _

BANNER_NAME = "training-banner"
_DECORATED = "hotline_training_margins"  # the window's own margins, kept as a property
_PREFIX = "hotline_training_prefix"  # the title prefix last put on the window
_WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)
_STYLE = (
    "QLabel#training-banner { background: #ffd600; color: #000000; font-weight: bold;"
    " border-bottom: 3px solid #000000; padding: 4px 8px; }"
)
_WATCHED = (
    QEvent.Type.Show,
    QEvent.Type.Resize,
    QEvent.Type.WindowTitleChange,
    QEvent.Type.LanguageChange,
)


def banner_text() -> str:
    return _("TRAINING — practice data, nothing here is real or sent")


def title_prefix() -> str:
    return _("TRAINING") + " — "


def banner_of(window: QWidget) -> QLabel | None:
    """The banner of ``window`` (None if it has none)."""
    found = window.findChild(QLabel, BANNER_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if isinstance(found, QLabel) else None


class TrainingBanner(QObject):
    """The application-wide event filter; :func:`install` makes and keeps the one instance."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in _WATCHED or not isinstance(watched, QWidget) or not watched.isWindow():
            return False
        if watched.windowType() not in _WINDOW_TYPES:
            return False  # menus, tooltips and other popups
        if kind == QEvent.Type.Show or watched.property(_DECORATED) is None:
            self.decorate(watched)
        elif kind == QEvent.Type.WindowTitleChange:
            self._prefix_title(watched)
        else:
            self._place(watched)
        return False

    def decorate(self, window: QWidget) -> None:
        banner = banner_of(window)
        if banner is None:
            banner = QLabel(window)
            banner.setObjectName(BANNER_NAME)
            banner.setStyleSheet(_STYLE)
            banner.setWordWrap(True)
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            margins = window.contentsMargins()
            window.setProperty(_DECORATED, [margins.left(), margins.top(), margins.right(),
                                            margins.bottom()])  # fmt: skip
        banner.setText(banner_text())
        banner.setAccessibleName(banner_text())
        self._prefix_title(window)
        self._place(window)
        banner.show()
        banner.raise_()

    def _place(self, window: QWidget) -> None:
        banner = banner_of(window)
        own = window.property(_DECORATED)
        if banner is None or not own:
            return
        if banner.text() != banner_text():
            banner.setText(banner_text())
            self._prefix_title(window)
        width = max(window.width(), 1)
        height = max(banner.heightForWidth(width), banner.sizeHint().height())
        banner.setGeometry(0, 0, width, height)
        wanted = QMargins(own[0], own[1] + height, own[2], own[3])
        if window.contentsMargins() != wanted:
            window.setContentsMargins(wanted)
        banner.raise_()

    def _prefix_title(self, window: QWidget) -> None:
        title = window.windowTitle()
        prefix = title_prefix()
        if title.startswith(prefix):
            return
        old = window.property(_PREFIX)
        if isinstance(old, str) and old and title.startswith(old):
            title = title[len(old) :]
        window.setProperty(_PREFIX, prefix)
        window.setWindowTitle(prefix + title)


_installed: list[TrainingBanner] = []


def install(app: QApplication) -> TrainingBanner:
    """Mark every window of ``app`` from now on (and those already shown) as training."""
    if _installed:
        return _installed[0]
    banner = TrainingBanner(app)
    app.installEventFilter(banner)
    _installed.append(banner)
    for window in app.topLevelWidgets():
        if window.isVisible() and window.windowType() in _WINDOW_TYPES:
            banner.decorate(window)
    return banner


def installed() -> bool:
    return bool(_installed)


def uninstall(app: QApplication) -> None:
    """Stop marking new windows (the tests; a real training process never leaves the mode)."""
    while _installed:
        app.removeEventFilter(_installed.pop())
