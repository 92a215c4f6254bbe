"""The pages of the first-run set-up wizard (see ``ui.setup_dialog``).

Each page checks its own fields with the core's validators when the operator presses
Next, so a mistake is shown on the page where it was made and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from hotline import training, validation
from hotline.errors import InvalidInput, KnownError
from hotline.exchange import partners
from hotline.exchange.identity import Card
from hotline.formatting import (
    PRIORITY_COUNTRIES,
    country_choices,
    country_name,
    ui_language_choices,
)
from hotline.i18n import _, current_language
from hotline.paths import DataDir
from hotline.services.session import Session
from hotline.store.repositories.exchange import Partner
from ui.exchange.labels import fingerprint_groups
from ui.widgets import (
    CheckBoxLabel,
    MessageLabel,
    checkbox_row,
    error_text,
    hint,
    password_field,
    passwords_mismatch,
    with_hint,
)

LANGUAGE_ROLE = Qt.ItemDataRole.UserRole


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setVerticalSpacing(10)
    return form


class LanguagePage(QWizardPage):
    """(a) Interface language, each shown in its own name."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.languages = QListWidget(self)
        self.languages.setStyleSheet("QListWidget::item { padding: 7px 10px; }")
        font = QFont(self.languages.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.languages.setFont(font)
        for code, name in ui_language_choices():
            item = QListWidgetItem(name)
            item.setData(LANGUAGE_ROLE, code)
            self.languages.addItem(item)
            if code == current_language():
                self.languages.setCurrentItem(item)
        rows = self.languages.sizeHintForRow(0) * self.languages.count()
        self.languages.setFixedHeight(rows + 2 * self.languages.frameWidth() + 4)
        self.languages.currentItemChanged.connect(self._on_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.languages)
        layout.addStretch(1)
        self.retranslate()

    def selected_language(self) -> str:
        item = self.languages.currentItem()
        return str(item.data(LANGUAGE_ROLE)) if item is not None else ""

    def select_language(self, code: str) -> None:
        for row in range(self.languages.count()):
            item = self.languages.item(row)
            if item.data(LANGUAGE_ROLE) == code:
                self.languages.setCurrentItem(item)
                return

    def _on_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.language_chosen.emit(str(current.data(LANGUAGE_ROLE)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return bool(self.selected_language())

    def retranslate(self) -> None:
        self.setTitle(_("Welcome to Hotline Desk"))
        self.intro.setText(
            _(
                "This computer has no Hotline Desk installation yet. The next steps create "
                "one. First, choose the language of the program."
            )
        )


class OrganisationPage(QWizardPage):
    """(b) The organisation profile: code, name, country and hotline site."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.code = QLineEdit(self)
        self.code.setMaxLength(32)
        self.code_hint = hint(self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(200)
        self.country = QComboBox(self)
        self.country.setMaxVisibleItems(15)
        self.site = QLineEdit(self)
        self.site.setMaxLength(200)
        self.site_hint = hint(self)
        self.message = MessageLabel(self)

        self.form = _form()
        self.code_label = QLabel(self)
        self.name_label = QLabel(self)
        self.country_label = QLabel(self)
        self.site_label = QLabel(self)
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.code_label, with_hint(self.code, self.code_hint))
        self.form.addRow(self.country_label, self.country)
        self.form.addRow(self.site_label, with_hint(self.site, self.site_hint))
        # The name comes first on screen, so first on Tab too (it was created second).
        QWidget.setTabOrder(self.name, self.code)
        QWidget.setTabOrder(self.code, self.country)
        QWidget.setTabOrder(self.country, self.site)
        for label, field in (
            (self.code_label, self.code),
            (self.name_label, self.name),
            (self.country_label, self.country),
            (self.site_label, self.site),
        ):
            label.setBuddy(field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addSpacing(8)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.retranslate()

    def country_code(self) -> str:
        return str(self.country.currentData() or "")

    def set_country(self, code: str) -> None:
        index = self.country.findData(code)
        if index >= 0:
            self.country.setCurrentIndex(index)

    def _fill_countries(self) -> None:
        chosen = self.country_code() or "KG"
        self.country.blockSignals(True)
        self.country.clear()
        choices = country_choices()
        for code, name in choices:
            self.country.addItem(name, code)
        # The region and the main migration destinations first, then every country A–Z.
        self.country.insertSeparator(len(PRIORITY_COUNTRIES))
        self.country.blockSignals(False)
        self.set_country(chosen)

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        checks: tuple[tuple[QWidget, Callable[[], str]], ...] = (
            (self.name, lambda: validation.required_text(self.name.text(), _("organisation name"))),
            (self.code, lambda: validation.org_code(self.code.text())),
            (self.country, lambda: validation.country(self.country_code())),
            (
                self.site,
                lambda: validation.required_text(
                    self.site.text() or self.name.text(), _("hotline site")
                ),
            ),
        )
        for field, check in checks:
            try:
                check()
            except InvalidInput as error:
                self.message.show_error(str(error))
                field.setFocus()
                return False
        self.message.clear_message()
        return True

    def retranslate(self) -> None:
        self.setTitle(_("Your organisation"))
        self.intro.setText(
            _(
                "These details appear on reports and on the batches sent to your "
                "coordinating organisation. An administrator can see them after signing in."
            )
        )
        self.name_label.setText(_("Organisation &name:"))
        self.code_label.setText(_("Organisation &code:"))
        self.code_hint.setText(
            _("A short code in Latin letters, digits and hyphens, for example KG-SEZIM.")
        )
        self.country_label.setText(_("Co&untry:"))
        self.site_label.setText(_("Hotline &site:"))
        self.site_hint.setText(_("The town or office where this hotline works, for example Osh."))
        self._fill_countries()
        if self.message.is_error:
            self.message.clear_message()


class AdminPage(QWizardPage):
    """(c) The first administrator's account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setMaxLength(32)
        self.username_hint = hint(self)
        self.full_name = QLineEdit(self)
        self.full_name.setMaxLength(100)
        self.password = password_field(self)
        self.repeat = password_field(self)
        self.rules = hint(self)
        self.message = MessageLabel(self)

        self.username_label = QLabel(self)
        self.full_name_label = QLabel(self)
        self.password_label = QLabel(self)
        self.repeat_label = QLabel(self)
        form = _form()
        form.addRow(self.username_label, with_hint(self.username, self.username_hint))
        form.addRow(self.full_name_label, self.full_name)
        form.addRow(self.password_label, self.password)
        form.addRow(self.repeat_label, with_hint(self.repeat, self.rules))
        for label, field in (
            (self.username_label, self.username),
            (self.full_name_label, self.full_name),
            (self.password_label, self.password),
            (self.repeat_label, self.repeat),
        ):
            label.setBuddy(field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.retranslate()

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        try:
            name = validation.username(self.username.text())
            validation.display_name(self.full_name.text(), name)
        except InvalidInput as error:
            return self._refuse(str(error), self.username)
        try:
            validation.password(self.password.text(), name)
        except InvalidInput as error:
            return self._refuse(str(error), self.password)
        if self.password.text() != self.repeat.text():
            self.repeat.clear()
            return self._refuse(passwords_mismatch(), self.repeat)
        self.message.clear_message()
        return True

    def _refuse(self, text: str, field: QWidget) -> bool:
        self.message.show_error(text)
        field.setFocus()
        return False

    def retranslate(self) -> None:
        self.setTitle(_("The first administrator"))
        self.intro.setText(
            _(
                "The administrator adds the other users of this hotline and can reset "
                "their passwords. Nobody can look a password up later, so choose one you "
                "will remember."
            )
        )
        self.username_label.setText(_("&User name:"))
        self.username_hint.setText(
            _("Latin letters and digits, starting with a letter, for example aigul.")
        )
        self.full_name_label.setText(_("&Full name:"))
        self.password_label.setText(_("&Password:"))
        self.repeat_label.setText(_("&Repeat password:"))
        self.rules.setText(
            _(
                "At least %(n)d characters. A short sentence that only you know is easy to "
                "remember and hard to guess."
            )
            % {"n": validation.MIN_PASSWORD_LENGTH}
        )
        if self.message.is_error:
            self.message.clear_message()


class CreatePage(QWizardPage):
    """(d) A last look before the installation is created (the wizard's commit page)."""

    def __init__(self, data_dir: DataDir, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.busy = False
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.summary = _form()
        self.org_label, self.org_value = QLabel(self), QLabel(self)
        self.country_label, self.country_value = QLabel(self), QLabel(self)
        self.site_label, self.site_value = QLabel(self), QLabel(self)
        self.admin_label, self.admin_value = QLabel(self), QLabel(self)
        self.folder_label, self.folder_value = QLabel(self), QLabel(self)
        for label, value in (
            (self.org_label, self.org_value),
            (self.country_label, self.country_value),
            (self.site_label, self.site_value),
            (self.admin_label, self.admin_value),
            (self.folder_label, self.folder_value),
        ):
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.summary.addRow(label, value)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()
        self.message = MessageLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self.setCommitPage(True)
        self.retranslate()

    def show_summary(self, org: str, code: str, country: str, site: str, admin: str) -> None:
        self.org_value.setText(_("%(name)s (%(code)s)") % {"name": org, "code": code})
        self.country_value.setText(country_name(country))
        self.site_value.setText(site)
        self.admin_value.setText(admin)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.status.setVisible(busy)
        if busy:
            self.message.clear_message()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return not self.busy

    def retranslate(self) -> None:
        self.setTitle(_("Create the installation"))
        self.intro.setText(
            _(
                "Hotline Desk will now create an encrypted database with these details. "
                "Everything stored in it can only be read after signing in."
            )
        )
        self.org_label.setText(_("Organisation:"))
        self.country_label.setText(_("Country:"))
        self.site_label.setText(_("Hotline site:"))
        self.admin_label.setText(_("Administrator:"))
        self.folder_label.setText(_("Data folder:"))
        self.folder_value.setText(str(self.data_dir.root))
        self.status.setText(_("Creating the encrypted database. This takes a few seconds…"))


class RecoveryKeyPage(QWizardPage):
    """(e) The recovery key, shown once; Finish waits until it has been written down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.key = QLabel(self)
        self.key.setTextFormat(Qt.TextFormat.PlainText)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(self.font().pointSizeF(), 10.0) * 1.8)
        font.setBold(True)
        self.key.setFont(font)
        self.key.setStyleSheet(
            "QLabel { background: #fffbe6; color: #1f1f1f; border: 2px solid #d8c77a;"
            " border-radius: 6px; padding: 18px; }"
        )
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.save_button = QPushButton(self)
        self.save_button.setAutoDefault(False)
        self.save_note = hint(self)
        self.message = MessageLabel(self)
        self.confirm = QCheckBox(self)
        self.confirm.toggled.connect(self.completeChanged)
        self.confirm_label = CheckBoxLabel(self.confirm, self)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        save_row.addWidget(self.save_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.key)
        layout.addSpacing(8)
        layout.addWidget(self.warning)
        layout.addLayout(save_row)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addLayout(checkbox_row(self.confirm, self.confirm_label))
        layout.addStretch(1)
        self.retranslate()

    def show_key(self, recovery_key: str) -> None:
        groups = recovery_key.split("-")
        half = (len(groups) + 1) // 2
        # Two rows are easier to copy onto paper without losing one's place.
        self.key.setText("-".join(groups[:half]) + "\n" + "-".join(groups[half:]))

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return self.confirm.isChecked()

    def retranslate(self) -> None:
        self.setTitle(_("Your recovery key"))
        self.intro.setText(
            _(
                "The installation is ready. This recovery key opens the database if every "
                "administrator has forgotten their password. It is shown only now."
            )
        )
        self.warning.setText(
            _(
                "Write it on paper or print it, check every character, and keep the paper "
                "locked away. Do not keep it on this computer. Anyone with this key and the "
                "computer can read every record."
            )
        )
        self.save_button.setText(_("&Save for printing…"))
        self.save_note.setText(
            _(
                "Saves a one-page PDF with the key. Save it on a USB stick, print it, then "
                "delete the file."
            )
        )
        self.confirm.setText(
            _("I have written down or printed the recovery key and will keep it locked away")
        )
        if self.message.is_error:
            self.message.clear_message()


class CardPage(QWizardPage):
    """(f) Optional: register the coordinating organisation's card, so batches can be sent.

    The same trust on first use as Exchange › Partners: the card is registered only when
    the fingerprint the coordinator reads out by phone is typed and matches.
    """

    choose_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.card: Card | None = None
        self.registered: Partner | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.choose_button = QPushButton(self)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_requested)
        self.remove_button = QPushButton(self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_card)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.details = QWidget(self)
        self.org_label, self.org_value = QLabel(self), QLabel(self)
        self.country_label, self.country_value = QLabel(self), QLabel(self)
        self.fingerprint_label, self.fingerprint = QLabel(self), QLabel(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(self.font().pointSizeF(), 10.0) * 1.4)
        font.setBold(True)
        self.fingerprint.setFont(font)
        for value in (self.org_value, self.country_value, self.fingerprint):
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.instruction = hint(self)
        self.typed_label = QLabel(self)
        self.typed = QLineEdit(self)
        self.typed.setMaxLength(120)
        self.typed_label.setBuddy(self.typed)
        # A grid, not a form: a form layout gives a wrapped label spanning both columns the
        # height of one line (the instruction was cut off).
        grid = QGridLayout(self.details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        for row, (label, field) in enumerate(
            (
                (self.org_label, self.org_value),
                (self.country_label, self.country_value),
                (self.fingerprint_label, self.fingerprint),
            )
        ):
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field, row, 1)
        grid.addWidget(self.instruction, 3, 0, 1, 2)
        grid.addWidget(self.typed_label, 4, 0)
        grid.addWidget(self.typed, 4, 1)
        self.message = MessageLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.details)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._show_state()
        self.retranslate()

    def load_card(self, path: Path) -> bool:
        """Read the card at ``path`` and show its names and fingerprint to be compared."""
        try:
            card = partners.read_card(path)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return False
        self.card, self.registered = card, None
        self.typed.clear()
        self.message.clear_message()
        self._show_state()
        self.typed.setFocus()
        return True

    def remove_card(self) -> None:
        """Back to "no card": skipping this page registers nothing."""
        if self.registered is not None:
            return
        self.card = None
        self.typed.clear()
        self.message.clear_message()
        self._show_state()
        self.choose_button.setFocus()

    def _show_state(self) -> None:
        card, done = self.card, self.registered is not None
        self.details.setVisible(card is not None)
        self.remove_button.setVisible(card is not None and not done)
        self.choose_button.setEnabled(not done)
        self.typed.setReadOnly(done)
        if card is not None:
            self.org_value.setText(
                _("%(name)s (%(code)s), %(site)s")
                % {"name": card.org_name, "code": card.org_code, "site": card.site_name}
            )
            self.country_value.setText(country_name(card.country))
            self.fingerprint.setText(fingerprint_groups(card.fingerprint))

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        """Next with no card skips the page; with a card, registers it (or says why not)."""
        if self.card is None or self.registered is not None:
            return True
        if not self.typed.text().strip():
            self.message.show_error(
                _(
                    "Type the fingerprint the coordinator reads to you, or press Remove card "
                    "to skip this step."
                )
            )
            self.typed.setFocus()
            return False
        assert self.session is not None
        try:
            self.registered = partners.register(
                self.session, self.card, partners.RECIPIENT, self.typed.text()
            )
        except KnownError as error:
            self.message.show_error(error_text(error))
            self.typed.setFocus()
            self.typed.selectAll()
            return False
        self.message.clear_message()
        self._show_state()
        return True

    def retranslate(self) -> None:
        self.setTitle(_("The coordinator's card (optional)"))
        self.intro.setText(
            _(
                "If this hotline sends its batches to a coordinating organisation, register "
                "the coordinator's card now (a file ending in .hlcard that they gave you). "
                "You can also do it later: Exchange › Partners and cards. To skip this step, "
                "press Next."
            )
        )
        self.choose_button.setText(_("&Choose the card file…"))
        self.remove_button.setText(_("&Remove card"))
        self.org_label.setText(_("Organisation:"))
        self.country_label.setText(_("Country:"))
        self.fingerprint_label.setText(_("Fingerprint:"))
        self.typed_label.setText(_("Fingerprint they &read:"))
        self.instruction.setText(
            _(
                "Call the coordinator on a number you already know (not one written in the "
                "card) and ask them to read their fingerprint to you. Type it here: it must "
                "match the one above. If it does not, do not register the card."
            )
        )
        if self.message.is_error:
            self.message.clear_message()
        self._show_state()


class DonePage(QWizardPage):
    """(h) What was set up, where the data lives, and what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_title = QLabel(self)
        bold = QFont(self.next_title.font())
        bold.setBold(True)
        self.next_title.setFont(bold)
        self.next_steps = QLabel(self)
        self.next_steps.setWordWrap(True)
        self.next_steps.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.summary)
        layout.addSpacing(12)
        layout.addWidget(self.next_title)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        self.lines: list[str] = []
        self.retranslate()

    def show_summary(self, lines: list[str]) -> None:
        self.lines = lines
        self.summary.setText("\n".join("• " + line for line in lines))

    def retranslate(self) -> None:
        self.setTitle(_("Hotline Desk is ready"))
        self.intro.setText(_("The installation is set up. This is what was done:"))
        self.next_title.setText(_("Next steps"))
        self.next_steps.setText(
            "\n".join(
                (
                    _("1. Press Finish: you are signed in as the administrator."),
                    _(
                        "2. Add the operators and supervisors: Administration › Users. Each "
                        "person signs in with their own name and password."
                    ),
                    _(
                        "3. Choose a backup folder, ideally on a USB disk kept locked away: "
                        "Administration › Backups."
                    ),
                    _("4. Keep the recovery key on paper, locked away, away from this computer."),
                )
            )
        )


class _Progress(QObject):
    """Carries the count of practice calls written from the worker thread (queued)."""

    written = Signal(int)


class TrainingPage(QWizardPage):
    """(g) Optional: a separate training installation filled with invented calls."""

    create_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contacts = training.DEFAULT_CONTACTS
        self.busy = False
        self.created: training.TrainingInstallation | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.create_button = QPushButton(self)
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self.create_requested)
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addStretch(1)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.relay = _Progress(self)
        self.relay.written.connect(self.progress.setValue)
        self.message = MessageLabel(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setRange(0, self.contacts)
        self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.create_button.setEnabled(not busy and self.created is None)
        if busy:
            self.message.show_info(self._busy_text())
        self.completeChanged.emit()

    def show_created(self, created: training.TrainingInstallation) -> None:
        self.created = created
        self.set_busy(False)
        self.message.show_info(self._done_text())
        self._show_details()

    def show_failed(self, text: str) -> None:
        self.set_busy(False)
        self.message.show_error(text)

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return not self.busy

    def _busy_text(self) -> str:
        return _("Writing %(n)d invented calls. This takes a little while…") % {"n": self.contacts}

    def _done_text(self) -> str:
        return _("The training installation is ready.")

    def _show_details(self) -> None:
        created = self.created
        self.details.setVisible(created is not None)
        if created is None:
            return
        self.details.setText(
            "\n".join(
                (
                    _("Folder: %(path)s") % {"path": created.data_dir.root},
                    _("User names: %(names)s") % {"names": ", ".join(created.usernames)},
                    _("Password for every training account: %(password)s")
                    % {"password": created.password},
                    _(
                        "To practise, start Hotline Desk in training mode "
                        "(hotline-desk --training). A yellow banner marks every window; "
                        "nothing from it can be sent to a coordinator."
                    ),
                )
            )
        )

    def retranslate(self) -> None:
        self.setTitle(_("Practice data (optional)"))
        self.intro.setText(
            _(
                "New operators can practise calls, screening and referrals in a separate "
                "training installation filled with %(n)d invented calls. It never mixes "
                "with your real records and can never be sent to a coordinator. To skip "
                "this step, press Next; you can create it later."
            )
            % {"n": self.contacts}
        )
        self.create_button.setText(_("Create the &training installation"))
        if self.busy:
            self.message.show_info(self._busy_text())
        elif self.created is not None:
            self.message.show_info(self._done_text())
        elif self.message.is_error:
            self.message.clear_message()
        self._show_details()
