"""Qt's own strings (standard buttons, text-field menus, wizard buttons) in our languages.

Russian and Kazakh use the qtbase_*.qm files that ship with Qt. For Kyrgyz, Uzbek and
Tajik, Qt has none: ``GettextQtTranslator`` answers Qt from our gettext catalogue
``locales/<lang>/LC_MESSAGES/qtbase.po`` (Qt's context as msgctxt).
"""

from __future__ import annotations

import gettext

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

from hotline.i18n import load_translations

QT_SHIPPED = {"ru": "qtbase_ru", "kk": "qtbase_kk"}


class GettextQtTranslator(QTranslator):
    def __init__(self, catalogue: gettext.NullTranslations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        translated = self._catalogue.pgettext(context, source_text)
        # An empty answer tells Qt to keep looking (and finally show the source text).
        return "" if translated == source_text else translated


def qt_text(context: str, source: str) -> str:
    """One of Qt's own strings (``context`` as in Qt's sources) in the current language.

    For the few places where Qt does not relabel its own widget on a language change
    (QWizard's buttons), so we set Qt's text ourselves, from Qt's translation.
    """
    return QCoreApplication.translate(context, source)


class QtStrings:
    """Keeps exactly one translator for Qt's strings installed, for the current language.

    Installing or removing a translator makes Qt post a LanguageChange event to every
    window; standard buttons and message boxes relabel themselves when it arrives.
    """

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def apply(self, language: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        self.clear()
        translator = self._make(language)
        if translator is not None:
            QCoreApplication.installTranslator(translator)
            self._translator = translator

    def clear(self) -> None:
        """Back to Qt's English (when the windows that used these strings are gone)."""
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None

    @staticmethod
    def _make(language: str) -> QTranslator | None:
        if language in QT_SHIPPED:
            shipped = QTranslator()
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            return shipped if shipped.load(QT_SHIPPED[language], folder) else None
        catalogue = load_translations(language, "qtbase")
        if isinstance(catalogue, gettext.GNUTranslations):
            return GettextQtTranslator(catalogue)
        return None
