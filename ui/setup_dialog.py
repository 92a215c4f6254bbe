"""First-run set-up: language, organisation, first administrator, recovery key, then the
optional steps (the coordinator's card, practice data) and a summary.

Nothing is written before the Create page's commit button; cancelling before that leaves
the data folder as it was. After it, the installation exists: Cancel disappears and
closing the window finishes the set-up, once the recovery key has been acknowledged.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from hotline import training
from hotline.fsutil import atomic_write
from hotline.i18n import _, current_language, set_language
from hotline.services import setup
from hotline.services.setup import SetupRequest, SetupResult
from ui.context import AppContext
from ui.exchange.partners_dialog import card_filter
from ui.qt_translation import qt_text
from ui.setup_pages import (
    AdminPage,
    CardPage,
    CreatePage,
    DonePage,
    LanguagePage,
    OrganisationPage,
    RecoveryKeyPage,
    TrainingPage,
)
from ui.widgets import error_text

# QWizard's own button texts (ClassicStyle), as Qt's sources spell them (context "QWizard").
QT_WIZARD_BUTTONS = (
    (QWizard.WizardButton.BackButton, "< &Back"),
    (QWizard.WizardButton.NextButton, "&Next >"),
    (QWizard.WizardButton.FinishButton, "&Finish"),
    (QWizard.WizardButton.CancelButton, "Cancel"),
)


class SetupWizard(QWizard):
    """Creates the installation; ``completed`` carries the administrator's open Session."""

    completed = Signal(object)
    language_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.result_: SetupResult | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(720, 560)

        self.language_page = LanguagePage(self)
        self.organisation_page = OrganisationPage(self)
        self.admin_page = AdminPage(self)
        self.create_page = CreatePage(context.data_dir, self)
        self.recovery_page = RecoveryKeyPage(self)
        self.card_page = CardPage(self)
        self.training_page = TrainingPage(self)
        self.done_page = DonePage(self)
        self.pages = (
            self.language_page,
            self.organisation_page,
            self.admin_page,
            self.create_page,
            self.recovery_page,
            self.card_page,
            self.training_page,
            self.done_page,
        )
        for page in self.pages:
            self.addPage(page)
        self.language_page.language_chosen.connect(self.switch_language)
        self.recovery_page.save_button.clicked.connect(self.choose_sheet_file)
        self.card_page.choose_requested.connect(self.choose_card_file)
        self.training_page.create_requested.connect(self.start_training)
        self.currentIdChanged.connect(self._on_page_changed)
        self.retranslate()

    # -- language ------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        if language == current_language():
            return
        set_language(language)
        self.context.settings.language = language
        self.retranslate()
        self.language_changed.emit(language)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Hotline Desk — set-up"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Create installation"))
        self._relabel_qt_buttons()
        for page in self.pages:
            page.retranslate()
        self._fill_summary()
        self._fill_done()

    def _relabel_qt_buttons(self) -> None:
        # Qt's words, translated by Qt's catalogue (ui.qt_translation). QWizard reads them
        # only when it is built, not on a language change, so we set them again.
        for which, source in QT_WIZARD_BUTTONS:
            self.setButtonText(which, qt_text("QWizard", source))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._relabel_qt_buttons()
        super().changeEvent(event)

    # -- creating the installation -------------------------------------------------
    def request(self) -> SetupRequest:
        org, admin = self.organisation_page, self.admin_page
        return SetupRequest(
            org_code=org.code.text(),
            org_name=org.name.text(),
            country=org.country_code(),
            site_name=org.site.text(),
            admin_username=admin.username.text(),
            admin_password=admin.password.text(),
            admin_display_name=admin.full_name.text(),
            language=current_language(),
        )

    def _on_page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.create_page:
            self._fill_summary()
        elif self.page(page_id) is self.done_page:
            self._fill_done()

    def _fill_done(self) -> None:
        if self.result_ is None:
            return
        session = self.result_.session
        inst, user = session.installation, session.user
        lines = [
            _("Organisation: %(name)s (%(code)s), %(site)s")
            % {"name": inst.org_name, "code": inst.org_code, "site": inst.site_name},
            _("Administrator: %(name)s") % {"name": user.username},
            _("Data folder: %(path)s") % {"path": self.context.data_dir.root},
            _("Recovery key: shown once and written down."),
        ]
        partner = self.card_page.registered
        if partner is not None:
            lines.append(
                _("Coordinator's card registered: %(name)s (%(code)s)")
                % {"name": partner.org_name, "code": partner.org_code}
            )
        else:
            lines.append(
                _(
                    "No coordinator's card yet (Administration › Partners and cards…, "
                    "when you need it)."
                )
            )
        made = self.training_page.created
        if made is not None:
            lines.append(
                _("Training installation with %(n)d invented calls: %(path)s")
                % {"n": made.contacts, "path": made.data_dir.root}
            )
        else:
            lines.append(_("No training installation."))
        self.done_page.show_summary(lines)

    def _fill_summary(self) -> None:
        org, admin = self.organisation_page, self.admin_page
        self.create_page.show_summary(
            " ".join(org.name.text().split()),
            org.code.text().strip().upper(),
            org.country_code(),
            " ".join((org.site.text() or org.name.text()).split()),
            admin.username.text().strip().lower(),
        )

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt override)
        if self.currentPage() is not self.create_page or self.result_ is not None:
            return super().validateCurrentPage()
        if not self.create_page.busy:
            self._start_creation()
        return False

    def _start_creation(self) -> None:
        request, data_dir = self.request(), self.context.data_dir
        self.create_page.set_busy(True)
        self._set_navigation_enabled(False)
        self.context.runner.submit(
            lambda: setup.initialize(data_dir, request), self._created, self._creation_failed
        )

    def _created(self, result: SetupResult) -> None:
        self.result_ = result
        self.context.session = result.session
        self.context.settings.language = current_language()
        self.context.settings.last_username = result.session.user.username
        self.context.save_settings()
        self.card_page.session = result.session
        # The installation exists now: there is nothing left to cancel.
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.recovery_page.show_key(result.recovery_key)
        # The password has done its job; do not keep it in a widget any longer.
        self.admin_page.password.clear()
        self.admin_page.repeat.clear()
        self.create_page.set_busy(False)
        self._set_navigation_enabled(True)
        self.next()

    def _creation_failed(self, error: BaseException) -> None:
        self.create_page.set_busy(False)
        self._set_navigation_enabled(True)
        self.create_page.message.show_error(error_text(error))

    def _set_navigation_enabled(self, enabled: bool) -> None:
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(enabled)

    # -- practice data -------------------------------------------------------------
    def start_training(self) -> None:
        page = self.training_page
        if page.busy or page.created is not None:
            return
        data_dir, count, report = self.context.data_dir, page.contacts, page.relay.written.emit
        page.set_busy(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.context.runner.submit(
            lambda: training.create_training_installation(
                data_dir, contacts=count, progress=report
            ),
            self._training_created,
            self._training_failed,
        )

    def _training_created(self, made: training.TrainingInstallation) -> None:
        self.training_page.show_created(made)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _training_failed(self, error: BaseException) -> None:
        self.training_page.show_failed(error_text(error))
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    # -- files the administrator chooses ---------------------------------------------
    def choose_sheet_file(self) -> None:
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Save the recovery key"), "recovery-key.pdf", _("PDF documents (*.pdf)")
        )
        if path:
            self.save_recovery_sheet(Path(path))

    def save_recovery_sheet(self, path: Path) -> bool:
        """Write the printable key sheet to ``path`` (chosen by the administrator)."""
        if self.result_ is None:
            return False
        page = self.recovery_page
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            data = setup.recovery_sheet(
                self.result_.session.installation,
                self.result_.recovery_key,
                str(self.context.data_dir.root),
            )
            atomic_write(path, data)
        except OSError as error:
            page.message.show_error(
                _("The file could not be saved: %(problem)s")
                % {"problem": error.strerror or str(error)}
            )
            return False
        page.message.show_info(
            _("Saved to %(path)s. Print it, then delete the file.") % {"path": path}
        )
        return True

    def choose_card_file(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self, _("The coordinator's card"), "", card_filter()
        )
        if path:
            self.card_page.load_card(Path(path))

    # -- closing -------------------------------------------------------------------
    def accept(self) -> None:
        if self.result_ is None or not self.recovery_page.isComplete():
            return
        if self.training_page.busy:
            return
        super().accept()
        self.completed.emit(self.result_.session)

    def reject(self) -> None:
        # While the database is being created, closing would orphan it. Once it exists,
        # the recovery key must be acknowledged first (there is no way back to it); after
        # that, closing the window simply finishes: the optional steps can wait (but not
        # while practice data is being written).
        if self.create_page.busy or self.training_page.busy:
            return
        if self.result_ is not None:
            self.accept()
            return
        super().reject()
