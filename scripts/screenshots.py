"""Render the main screens offscreen into screenshots/ for review (not part of the tests).

    .venv/bin/python scripts/catalogues.py compile
    .venv/bin/python scripts/screenshots.py [--lang ru] [--lang pseudo] [--out screenshots]
    .venv/bin/python scripts/screenshots.py --all        # every interface language

``pseudo`` is a made-up language: every string a third longer and full of ң ө ү ә ғ қ ҷ,
to find clipped labels and missing glyphs before the real catalogues exist.

Each dialog is drawn centred on a 1366×768 canvas, the size of the laptops hotlines use;
the main window fills the canvas. The example installation is created in a temporary
folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import gettext
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import (
    QMessageLogContext,
    QPoint,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from hotline.i18n import UI_LANGUAGES, install, set_language
from hotline.paths import DataDir
from ui.app import create_application
from ui.calls.case_dialog import CaseDialog
from ui.context import AppContext
from ui.desk import locked_notice
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.qt_translation import GettextQtTranslator, QtStrings
from ui.setup_dialog import SetupWizard
from ui.users_dialog import UsersDialog

SCREEN = (1366, 768)
ORG_NAME = "Кризисный центр «Сезим»"
SITE = "Ош"
ADMIN = "aigul"
ADMIN_NAME = "Айгүл Токтогулова"
PASSWORD = "Sezim hotline 2024"


# The offscreen platform cannot pass size hints to a window manager and says so.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if message != OFFSCREEN_NOISE:
        print(f"Qt {kind.name}: {message}", file=sys.stderr)


class PseudoTranslations(gettext.NullTranslations):
    """Longer text with the letters Russian fonts lack: shows clipping and missing glyphs."""

    LETTERS = str.maketrans("aAoOuUnNkKhHgGiIe", "әӘөӨүҮңҢқҚһҺғҒіІё")
    PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sdif]|&)")

    def _pseudo(self, message: str) -> str:
        parts = self.PLACEHOLDER.split(message)
        text = "".join(
            p if self.PLACEHOLDER.fullmatch(p) else p.translate(self.LETTERS) for p in parts
        )
        # Russian and Central Asian texts run about a third longer than English.
        padding = ("ҷҳӯӣ" * 40)[: len(message) // 3]
        return f"{text} {padding}" if padding else text

    def gettext(self, message: str) -> str:
        return self._pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._pseudo(message)


def settle(
    app: QApplication, until: Callable[[], bool] = lambda: True, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        app.processEvents()
        if until() or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, path: Path, full_screen: bool = False) -> None:
    if full_screen:
        widget.resize(*SCREEN)
    else:
        widget.resize(widget.size().expandedTo(widget.sizeHint()))
    QApplication.processEvents()
    shot = widget.grab()
    canvas = QPixmap(*SCREEN)
    canvas.fill(QColor("#5b6770"))
    painter = QPainter(canvas)
    x = max(0, (SCREEN[0] - shot.width()) // 2)
    y = max(0, (SCREEN[1] - shot.height()) // 2)
    painter.drawPixmap(QPoint(x, y), shot)
    painter.end()
    canvas.save(str(path))
    too_big = shot.width() > SCREEN[0] or shot.height() > SCREEN[1]
    note = "  (LARGER THAN THE SCREEN)" if too_big else ""
    print(f"{path}  {shot.width()}×{shot.height()}{note}")


def save_with_menu(window: MainWindow, path: Path) -> None:
    """The main window with Settings › Language open (popups are drawn in by hand)."""
    window.resize(*SCREEN)
    QApplication.processEvents()
    canvas = window.grab()
    bar, menu, submenu = window.menuBar(), window.settings_menu, window.language_menu
    menu.adjustSize()
    submenu.adjustSize()
    menu.setActiveAction(submenu.menuAction())
    at = bar.mapTo(window, bar.actionGeometry(menu.menuAction()).bottomLeft())
    sub_at = at + QPoint(menu.width() - 4, menu.actionGeometry(submenu.menuAction()).top())
    painter = QPainter(canvas)
    painter.drawPixmap(at, menu.grab())
    painter.drawPixmap(sub_at, submenu.grab())
    painter.end()
    canvas.save(str(path))
    print(f"{path}  (menu)")


def wizard_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    wizard = SetupWizard(context)
    wizard.language_page.select_language(lang)
    wizard.show()
    settle(app)
    save(wizard, out / f"{lang}-setup-1-language.png")
    wizard.next()
    org = wizard.organisation_page
    org.code.setText("KG SEZIM")  # wrong on purpose: shows the inline error
    org.name.setText(ORG_NAME)
    org.set_country("KG")
    org.site.setText(SITE)
    wizard.next()
    settle(app)
    save(wizard, out / f"{lang}-setup-2-organisation-error.png")
    org.code.setText("KG-SEZIM")
    wizard.next()
    admin = wizard.admin_page
    admin.username.setText(ADMIN)
    admin.full_name.setText(ADMIN_NAME)
    admin.password.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)
    settle(app)
    save(wizard, out / f"{lang}-setup-3-admin.png")
    wizard.next()
    settle(app)
    save(wizard, out / f"{lang}-setup-4-create.png")
    wizard.next()
    settle(app)
    save(wizard, out / f"{lang}-setup-4-creating.png")
    settle(app, lambda: wizard.result_ is not None)
    settle(app)
    save(wizard, out / f"{lang}-setup-5-recovery-key.png")
    wizard.recovery_page.confirm.setChecked(True)
    wizard.accept()
    wizard.deleteLater()
    context.close_session()


def login_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    dialog = LoginDialog(context)
    dialog.show()
    settle(app)
    save(dialog, out / f"{lang}-login.png")
    dialog.password.setText("not the password")
    dialog.sign_in()
    settle(app, lambda: not dialog.busy)
    save(dialog, out / f"{lang}-login-error.png")
    dialog.deleteLater()
    locked = LoginDialog(context, notice=locked_notice)
    locked.show()
    settle(app)
    save(locked, out / f"{lang}-login-locked.png")
    locked.deleteLater()


def main_window_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    from hotline.services import session as session_service

    session = session_service.login(context.data_dir, ADMIN, PASSWORD)
    context.session = session
    window = MainWindow(context, session)
    window.show()
    settle(app)
    save(window, out / f"{lang}-main-window.png", full_screen=True)
    save_with_menu(window, out / f"{lang}-main-window-language-menu.png")
    users = UsersDialog(context, session, window)
    users.show()
    users.refresh()
    settle(app)
    save(users, out / f"{lang}-users.png")
    users.add_user()
    settle(app)
    if users.form is not None:
        save(users.form, out / f"{lang}-users-add.png")
        users.form.reject()
    users.close()
    window.discard()
    context.close_session()


OPERATOR, OPERATOR_PASSWORD = "nurlan", "Operator pass 2024"
CALLER_PHONE = "0555 123 456"


def fill_call(window: MainWindow) -> None:
    """A realistic consultation: a sister calling from Osh about a migrant in Moscow."""
    import datetime as dt

    from PySide6.QtCore import QDate

    from ui.calls.common import choose

    assert window.calls is not None
    form = window.calls.editor.form
    form.phone.line.setText(CALLER_PHONE)
    form.phone.show_problem()
    choose(form.relationship, "relative")
    choose(form.sex, "female")
    choose(form.age_band, "30-38")
    choose(form.citizenship, "KG")
    choose(form.country, "KG")
    form.region.setText("Ош, Кара-Суу")
    choose(form.call_language, "ky")
    choose(form.call_type, "trafficking_concern")
    form.topics.set_codes(("DOC.TAKEN", "WORK.WAGES", "MISSING.ABROAD"))
    form.summary.setText("Сиңдиси Москвада: паспортун иш берүүчү алып койгон, айлык бербейт")
    form.notes.setPlainText(
        "Айжан (34 жаш) үч ай мурун Москвага наабайканага иштегени кеткен. Иш берүүчү "
        "паспортун «каттоо үчүн» алып, кайтарбай жатат; эки айдан бери айлык бербейт.\n"
        "Акыркы жолу 12-ноябрда телефон чалган, азыр байланышка чыкпай жатат.\n"
        "Эжесине консулдуктун жана «Миграция и право» борборунун номерлерин бердик."
    )
    for code in ("information", "referred", "follow_up"):
        form.action_boxes[code].setChecked(True)
    form.consent.buttons["keep_data"][0].setChecked(True)
    form.consent.buttons["refer"][0].setChecked(True)
    form.follow_needed.setChecked(True)
    soon = dt.date.today() + dt.timedelta(days=2)
    form.follow_date.setDate(QDate(soon.year, soon.month, soon.day))
    form.follow_reason.setText("Эжесинен кабар алуу: Айжан байланышка чыктыбы")
    form.caller_name.setText("Гүлнара")
    form.danger.setChecked(True)


def fill_case(dialog: CaseDialog) -> None:
    """Forced labour in Moscow: documents taken, wages withheld, recruiter and employer."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit

    from hotline.model.contact import RouteEvent
    from ui.calls.common import choose

    choose(dialog.trafficking, "Possible")
    choose(dialog.decided_by, "ngo")
    ticks = {
        "exploitation_types": ("ForcedLabour",),
        "control_methods": ("WithholdsDocuments", "TakesEarnings"),
        "perpetrator_roles": ("Recruiter", "Employer"),
    }
    for name, codes in ticks.items():
        box = dialog.lists[name]
        for row in range(box.count()):
            item = box.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in codes:
                item.setCheckState(Qt.CheckState.Checked)
    for kind, country, place, day in (
        ("Recruitment", "KG", "Кара-Суу", QDate(2026, 8, 10)),
        ("Exploitation", "RU", "Москва, Люблино", QDate(2026, 9, 1)),
    ):
        dialog._add_route_row(RouteEvent(kind))
        row = dialog.route.rowCount() - 1
        widgets = [dialog.route.cellWidget(row, c) for c in range(4)]
        assert isinstance(widgets[0], QComboBox) and isinstance(widgets[1], QComboBox)
        assert isinstance(widgets[2], QLineEdit) and isinstance(widgets[3], QDateEdit)
        choose(widgets[0], kind)
        choose(widgets[1], country)
        widgets[2].setText(place)
        widgets[3].setDate(day)


def call_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    """The operator's screen: an empty call, a filled one (with an earlier call from the
    same number), the history, a case, and the offer to restore a draft."""
    from hotline.roles import Role
    from hotline.services import contacts, users
    from hotline.services import session as session_service

    admin = session_service.login(context.data_dir, ADMIN, PASSWORD)
    users.add_user(admin, OPERATOR, Role.OPERATOR, OPERATOR_PASSWORD, "Нурлан Осмонов")
    admin.close()
    session = session_service.login(context.data_dir, OPERATOR, OPERATOR_PASSWORD)
    context.session = session
    earlier = contacts.new_contact(session)
    from dataclasses import replace

    from hotline.phones import parse_phone

    earlier = replace(
        earlier,
        phone=parse_phone("+996555123456", "KG"),
        call_type="missing_person",
        summary="Сиңдиси менен байланыш жок",
    )
    contacts.save_contact(session, earlier)
    window = MainWindow(context, session)
    window.resize(*SCREEN)
    window.show()
    settle(app)
    assert window.calls is not None
    save(window, out / f"{lang}-calls-home.png", full_screen=True)
    window.calls.new_call_action.trigger()
    settle(app)
    save(window, out / f"{lang}-call-empty.png", full_screen=True)
    fill_call(window)
    settle(app)
    save(window, out / f"{lang}-call-filled.png", full_screen=True)
    editor = window.calls.editor
    editor.form.verticalScrollBar().setValue(editor.form.verticalScrollBar().maximum())
    settle(app)
    save(window, out / f"{lang}-call-filled-bottom.png", full_screen=True)
    editor.form.verticalScrollBar().setValue(0)
    editor.end_call()
    editor.save()
    editor.form.notes.appendPlainText("Эжеси кайра чалды: Айжан табылды.")
    editor.save()
    settle(app)
    save(window, out / f"{lang}-call-saved-v2.png", full_screen=True)
    editor.show_history()
    settle(app)
    for dialog in list(editor.dialogs):
        save(dialog, out / f"{lang}-call-history.png")
        dialog.close()
    editor.new_case()
    settle(app)
    for dialog in list(editor.dialogs):
        if isinstance(dialog, CaseDialog):
            fill_case(dialog)
            settle(app)
        save(dialog, out / f"{lang}-case.png")
        dialog.close()
    editor.form.repeat.list.setCurrentRow(0)
    first = editor.form.repeat.contacts[0].id
    editor.show_contact(first)
    settle(app)
    for dialog in list(editor.dialogs):
        save(dialog, out / f"{lang}-call-earlier-read-only.png")
        dialog.close()
    # The offer to restore a call that was being typed when the program stopped.
    editor.form.summary.setText("Сиңдиси кайра чалат")
    editor._edited()
    editor.save_draft()
    window.calls.show_home()
    window.calls.offer_drafts()
    settle(app)
    if window.calls.draft_offer is not None:
        save(window.calls.draft_offer, out / f"{lang}-call-draft-offer.png")
        window.calls.draft_offer.done(0)
    settle(app)
    window.discard()
    context.close_session()


SUPERVISOR, SUPERVISOR_PASSWORD = "bermet", "Supervisor pass 2024"
NOTES = (
    "Иш берүүчү паспортун алып койгон, айлыгын бербей жатат.",
    "Звонила мать: сын уехал на стройку в Екатеринбург, связи нет две недели.",
    "Dubaydagi savdo markazida ish taklif qilishdi, shartnoma yoʻq.",
    "Қызы Алматыдағы кафеде жұмыс істейді, құжаттары жұмыс берушіде.",
    "Писари ман дар Маскав кор мекунад, маош намедиҳанд.",
    "Asked how to check a recruitment agency licence before leaving for Korea.",
)


def seed_calls(operator: object, supervisor: object, count: int = 240) -> list[str]:
    """Calls of the last two months with plausible variety, some of them reviewed."""
    import datetime as dt
    import random
    from dataclasses import replace

    from hotline.model.contact import Caller, Consent, FollowUp
    from hotline.phones import parse_phone
    from hotline.services import contacts, reviews
    from hotline.services.session import Session

    assert isinstance(operator, Session) and isinstance(supervisor, Session)
    rng = random.Random(7)  # noqa: S311 (example data, not secrets)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    saved = []
    for i in range(count):
        started = now - dt.timedelta(minutes=rng.randint(30, 60 * 24 * 60))
        risk = rng.choices(["none", "low", "medium", "high", "urgent"], [30, 30, 20, 15, 5])[0]
        call_type = rng.choices(
            ["consultation", "trafficking_concern", "missing_person", "silent", "prank"],
            [50, 20, 10, 15, 5],
        )[0]
        if call_type in ("silent", "prank"):
            saved.append(
                contacts.save_contact(
                    operator,
                    replace(
                        contacts.new_contact(operator), started_at=started, call_type=call_type
                    ),
                ).id
            )
            continue
        contact = replace(
            contacts.new_contact(operator),
            started_at=started,
            ended_at=started + dt.timedelta(minutes=rng.randint(2, 25)),
            call_type=call_type,
            caller=Caller(
                relationship=rng.choice(["self", "relative", "friend"]),
                sex=rng.choice(["female", "male", "female", "unknown"]),
                age_band=rng.choice(["18-20", "21-23", "24-26", "30-38", "39-47", "unknown"]),
                country=rng.choices(["KG", "RU", "KZ", "TR", "AE"], [50, 25, 10, 8, 7])[0],
                region=rng.choice(["Ош", "Бишкек", "Жалал-Абад", "Нарын", "Баткен", "Чүй"]),
            ),
            call_language=rng.choices(["ky", "ru", "uz", "kk", "tg"], [45, 35, 10, 5, 5])[0],
            phone=parse_phone(f"+99655{rng.randint(1000000, 1000150)}", "KG"),
            topics=tuple(
                rng.sample(
                    [
                        "DOC.TAKEN",
                        "WORK.OFFER",
                        "WORK.WAGES",
                        "MISSING.ABROAD",
                        "HELP.SHELTER",
                        "RETURN",
                    ],
                    rng.randint(1, 2),
                )
            ),
            summary=NOTES[i % len(NOTES)][:60],
            notes=NOTES[i % len(NOTES)],
            risk_level=risk,
            consent=Consent(keep_data=True, refer=True, share=rng.choice([True, False, None])),
            follow_up=FollowUp(
                date=(started + dt.timedelta(days=3)).date() if i % 5 == 0 else None,
                done=i % 10 == 0,
            ),
        )
        saved.append(contacts.save_contact(operator, contact).id)
    for contact_id in saved[: count // 3 : 2]:
        reviews.save_review(
            supervisor,
            contact_id,
            {"greeting": "met", "consent": rng.choice(["met", "not_met"]), "screening": "met"},
            "Хорошо: скрининг проведён полностью. Не забудьте назначить повторный звонок.",
        )
    return saved


def supervision_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    """The supervisor's call log, a review, the statistics; the operator's feedback."""
    from hotline.roles import Role
    from hotline.services import session as session_service
    from hotline.services import users

    admin = session_service.login(context.data_dir, ADMIN, PASSWORD)
    users.add_user(admin, SUPERVISOR, Role.SUPERVISOR, SUPERVISOR_PASSWORD, "Бермет Асанова")
    admin.close()
    operator = session_service.login(context.data_dir, OPERATOR, OPERATOR_PASSWORD)
    supervisor = session_service.login(context.data_dir, SUPERVISOR, SUPERVISOR_PASSWORD)
    seed_calls(operator, supervisor)
    operator.close()
    context.session = supervisor
    window = MainWindow(context, supervisor)
    window.resize(*SCREEN)
    window.show()
    log = window.show_call_log()
    assert log is not None
    log.resize(*SCREEN)
    settle(app)
    save(log, out / f"{lang}-call-log.png", full_screen=True)
    consultation = next(
        row
        for row in range(log.model.rowCount())
        if log.model.rows[row].call_type == "consultation"
    )
    review = log.open_row(consultation)
    settle(app)
    if review is not None:
        review.resize(*SCREEN)
        settle(app)
        save(review, out / f"{lang}-review.png", full_screen=True)
        review.close()
    stats = window.show_statistics()
    assert stats is not None
    stats.resize(*SCREEN)
    stats.compare.setCurrentIndex(1)
    settle(app)
    save(stats, out / f"{lang}-statistics.png", full_screen=True)
    stats.dimensions.setCurrentRow(1)
    stats.split.setCurrentIndex(1)
    settle(app)
    save(stats, out / f"{lang}-statistics-split.png", full_screen=True)
    window.discard()
    context.close_session()
    operator = session_service.login(context.data_dir, OPERATOR, OPERATOR_PASSWORD)
    context.session = operator
    window = MainWindow(context, operator)
    window.resize(*SCREEN)
    window.show()
    feedback = window.show_feedback()
    settle(app)
    if feedback is not None:
        save(feedback, out / f"{lang}-feedback.png")
    window.discard()
    context.close_session()


COORDINATOR, COORDINATOR_PASSWORD = "dinara", "Coordinator pass 2024"


def exchange_shots(app: QApplication, context: AppContext, out: Path, lang: str) -> None:
    """A coordinator installation beside the hotline: cards exchanged, a batch sent from the
    hotline, imported at the coordinator; the exchange windows at both ends."""
    from hotline.exchange import partners
    from hotline.roles import Role
    from hotline.services import session as session_service
    from hotline.services import setup, users

    root = context.data_dir.root.parent
    coord_dir = DataDir(root / "coordinator")
    made = setup.initialize(
        coord_dir,
        setup.SetupRequest(
            org_code="KG-COORD",
            org_name="Координационный совет НКО",
            country="KG",
            site_name="Бишкек",
            admin_username=ADMIN,
            admin_password=PASSWORD,
            admin_display_name=ADMIN_NAME,
        ),
    )
    users.add_user(made.session, COORDINATOR, Role.COORDINATOR, COORDINATOR_PASSWORD, "Динара")
    made.session.close()
    coordinator = session_service.login(coord_dir, COORDINATOR, COORDINATOR_PASSWORD)
    coord_card = partners.export_card(coordinator, root / "coord.hlcard", recipient=True)
    admin = session_service.login(context.data_dir, ADMIN, PASSWORD)
    partners.register(admin, coord_card, partners.RECIPIENT, coord_card.fingerprint)
    own = partners.export_card(admin, root / "sezim.hlcard", recipient=False)
    admin.close()
    partners.register(coordinator, own, partners.SENDER, own.fingerprint)
    outbox = root / "outbox"
    outbox.mkdir()

    supervisor = session_service.login(context.data_dir, SUPERVISOR, SUPERVISOR_PASSWORD)
    context.session = supervisor
    window = MainWindow(context, supervisor)
    window.resize(*SCREEN)
    window.show()
    menu = window.exchange_menu
    send = menu.show_send()
    send.folder.set_path(outbox)
    send.send()
    settle(app, lambda: not send.busy)
    save(send, out / f"{lang}-exchange-send.png")
    send.close()
    folders = menu.show_folders()
    folders.outbox.set_path(outbox)
    settle(app)
    save(folders, out / f"{lang}-exchange-folders.png")
    folders.close()
    window.discard()
    context.close_session()

    coord_context = AppContext.create(coord_dir)
    coord_context.session = coordinator
    window = MainWindow(coord_context, coordinator)
    window.resize(*SCREEN)
    window.show()
    menu = window.exchange_menu
    dialog = menu.show_import()
    broken = outbox / "damaged.hlbatch"
    broken.write_bytes(b"HLBATCH")
    dialog.import_paths(sorted(outbox.glob("*.hlbatch")))
    settle(app, lambda: not dialog.busy)
    save(dialog, out / f"{lang}-exchange-import.png")
    dialog.close()
    batches = menu.show_batches()
    batches.tabs.setCurrentIndex(batches.tabs.indexOf(batches.ledger_page))
    settle(app)
    save(batches, out / f"{lang}-exchange-batches.png")
    batches.close()
    own_dialog = menu.show_partners()
    settle(app)
    save(own_dialog, out / f"{lang}-exchange-partners.png")
    register = own_dialog.open_card(root / "sezim.hlcard")
    settle(app)
    if register is not None:
        save(register, out / f"{lang}-exchange-register.png")
        register.reject()
    own_dialog.close()
    export = menu.show_coordinator_export()
    export.format_buttons["ctdc-csv"].setChecked(True)
    export.export_to(root / "ctdc.csv")
    settle(app, lambda: not export.busy)
    save(export, out / f"{lang}-exchange-coordinator-export.png")
    export.close()
    publish = menu.show_publish()
    publish.scripts.set_checked("job-offer")
    bundle = root / "KG-COORD-update-0001.hlupdate"
    publish.publish_to(bundle)
    settle(app, lambda: not publish.busy)
    save(publish, out / f"{lang}-exchange-publish.png")
    publish.close()
    window.discard()
    coord_context.close_session()

    supervisor = session_service.login(context.data_dir, SUPERVISOR, SUPERVISOR_PASSWORD)
    context.session = supervisor
    window = MainWindow(context, supervisor)
    window.resize(*SCREEN)
    window.show()
    install = window.exchange_menu.show_install()
    install.inspect_path(bundle)
    settle(app, lambda: not install.busy)
    save(install, out / f"{lang}-exchange-install-check.png")
    install.install()
    settle(app, lambda: not install.busy)
    save(install, out / f"{lang}-exchange-install-done.png")
    install.close()
    window.discard()
    context.close_session()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lang", action="append", help="interface language, or 'pseudo' (repeatable)"
    )
    parser.add_argument("--all", action="store_true", help="every interface language")
    parser.add_argument("--out", default="screenshots", type=Path)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    qInstallMessageHandler(qt_message)
    app = create_application([sys.argv[0]])
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    qt_strings = QtStrings()
    pseudo_qt = GettextQtTranslator(PseudoTranslations())
    languages = list(UI_LANGUAGES) if args.all else args.lang or ["en", "ru"]
    for lang in languages:
        app.removeTranslator(pseudo_qt)
        if lang == "pseudo":
            install(PseudoTranslations(), "ky")
            qt_strings.clear()
            app.installTranslator(pseudo_qt)
        else:
            set_language(lang)
            qt_strings.apply(lang)  # as ui.desk.Desk does
        with tempfile.TemporaryDirectory(prefix="hotline-shots-") as tmp:
            context = AppContext.create(DataDir(Path(tmp) / "data"))
            wizard_shots(app, context, out, lang)
            login_shots(app, context, out, lang)
            main_window_shots(app, context, out, lang)
            call_shots(app, context, out, lang)
            supervision_shots(app, context, out, lang)
            exchange_shots(app, context, out, lang)
            context.runner.wait()
    settle(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
