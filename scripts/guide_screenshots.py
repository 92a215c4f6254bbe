"""Render the user guide's pictures from the real application, offscreen.

    .venv/bin/python scripts/catalogues.py compile
    .venv/bin/python scripts/guide_screenshots.py --lang en      # or ru, or all
    make guide-screenshots

Writes docs/guide/images/<lang>/<name>.png: windows at 1366×768, dialogs at their natural
size on a 1366×768 canvas (the drawing code is scripts/screenshots.py's). A throwaway
installation is created in a temporary folder: every page of the set-up wizard (with a
coordinator's card to compare and the practice data created), then operators and a
supervisor, then demo calls from hotline.demo with a fixed seed (the same calls every time;
their dates are relative to today, since the clock is not fixed), then the screens each
chapter of the guide shows, Help › About, and last training mode with its banner (over the
practice installation the wizard made). Pictures are reduced to 256 colours to stay small.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from PIL import Image
from PySide6.QtCore import Qt, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

import screenshots as base
from hotline.i18n import _, set_language
from hotline.paths import DataDir
from ui.app import create_application
from ui.context import AppContext
from ui.exchange.labels import fingerprint_groups
from ui.main_window import MainWindow
from ui.qt_translation import QtStrings

ROOT = Path(__file__).resolve().parent.parent
GUIDE_IMAGES = ROOT / "docs" / "guide" / "images"
LANGUAGES = ("en", "ru")
DEMO_SEED = 2024
DEMO_CALLS = 600
SCREEN = base.SCREEN

# Pictures scripts/screenshots.py draws (its names without the language prefix) and the
# names the guide uses.
FROM_BASE = {
    "login": "login",
    "login-error": "login-error",
    "login-locked": "login-locked",
    "main-window": "admin-main-window",
    "main-window-language-menu": "language-menu",
    "users": "users",
    "users-add": "users-add",
    "calls-home": "calls-home",
    "call-empty": "call-empty",
    "call-filled": "call-filled",
    "call-filled-bottom": "call-filled-bottom",
    "call-history": "call-history",
    "case": "case",
    "call-earlier-read-only": "call-earlier",
    "call-draft-offer": "draft-offer",
    "exchange-send": "exchange-send",
    "exchange-folders": "exchange-folders",
    "exchange-import": "exchange-import",
    "exchange-batches": "exchange-batches",
    "exchange-partners": "exchange-partners",
    "exchange-register": "exchange-register",
    "exchange-coordinator-export": "exchange-coordinator-export",
    "exchange-publish": "exchange-publish",
    "exchange-install-check": "exchange-install",
}

OTHER_OPERATORS = (
    ("aigerim", "Айгерим Садыкова"),
    ("timur", "Тимур Исаев"),
)


def optimise(source: Path, target: Path) -> None:
    """A palette PNG: screenshots of flat widgets lose nothing visible at 256 colours."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)


class Shots:
    """One language's pictures: raw ones in ``raw``, optimised into ``out``."""

    def __init__(self, app: QApplication, lang: str, raw: Path, out: Path) -> None:
        self.app = app
        self.lang = lang
        self.raw = raw
        self.out = out
        self.failed: list[str] = []
        self.written: list[str] = []

    def run(self, name: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception:
            traceback.print_exc()
            self.failed.append(name)
            print(f"FAILED: {name}", file=sys.stderr)

    def save(self, widget: QWidget, name: str, full_screen: bool = False) -> None:
        path = self.raw / f"{self.lang}-{name}.png"
        base.save(widget, path, full_screen=full_screen)
        self.keep(path, name)

    def keep(self, path: Path, name: str) -> None:
        optimise(path, self.out / f"{name}.png")
        self.written.append(name)

    def collect_base(self) -> None:
        for source, name in FROM_BASE.items():
            path = self.raw / f"{self.lang}-{source}.png"
            if path.exists():
                self.keep(path, name)
            else:
                print(f"missing from scripts/screenshots.py: {path.name}", file=sys.stderr)
                self.failed.append(name)


def coordinator_card(folder: Path) -> Path:
    """A coordinator's card file, for the wizard's optional card page (a throwaway
    installation of its own, apart from the coordinator the exchange pictures use)."""
    from hotline.exchange import partners
    from hotline.services import setup

    made = setup.initialize(
        DataDir(folder / "coordinator-card"),
        setup.SetupRequest(
            org_code="KG-COORD",
            org_name="Координационный совет НКО",
            country="KG",
            site_name="Бишкек",
            admin_username=base.ADMIN,
            admin_password=base.PASSWORD,
            admin_display_name=base.ADMIN_NAME,
        ),
    )
    card = folder / "KG-COORD.hlcard"
    try:
        partners.export_card(made.session, card, recipient=True)
    finally:
        made.session.close()
    return card


def wizard(shots: Shots, context: AppContext, card: Path) -> None:
    """Every page of the first-run wizard, from the language to the Done page: a mistake in
    the organisation code, the coordinator's card with its fingerprint typed (then removed,
    so the exchange pictures keep their own coordinator), and the practice data created."""
    from ui.setup_dialog import SetupWizard

    app = shots.app
    setup_wizard = SetupWizard(context)
    setup_wizard.language_page.select_language(shots.lang)
    setup_wizard.show()
    base.settle(app)
    shots.save(setup_wizard, "setup-1-language")
    setup_wizard.next()
    org = setup_wizard.organisation_page
    org.code.setText("KG SEZIM")  # wrong on purpose: shows the mistake under the field
    org.name.setText(base.ORG_NAME)
    org.set_country("KG")
    org.site.setText(base.SITE)
    setup_wizard.next()
    base.settle(app)
    shots.save(setup_wizard, "setup-2-organisation")
    org.code.setText("KG-SEZIM")
    setup_wizard.next()
    admin = setup_wizard.admin_page
    admin.username.setText(base.ADMIN)
    admin.full_name.setText(base.ADMIN_NAME)
    admin.password.setText(base.PASSWORD)
    admin.repeat.setText(base.PASSWORD)
    base.settle(app)
    shots.save(setup_wizard, "setup-3-admin")
    setup_wizard.next()
    base.settle(app)
    shots.save(setup_wizard, "setup-4-create")
    setup_wizard.next()  # the commit button: the installation is created in the background
    base.settle(app, lambda: setup_wizard.result_ is not None, timeout=120)
    base.settle(app)
    setup_wizard.recovery_page.confirm.setChecked(True)
    base.settle(app)
    shots.save(setup_wizard, "setup-5-recovery-key")
    setup_wizard.next()
    page = setup_wizard.card_page
    assert page.load_card(card), "the coordinator's card could not be read"
    assert page.card is not None
    page.typed.setText(fingerprint_groups(page.card.fingerprint))
    base.settle(app)
    shots.save(setup_wizard, "setup-6-card")
    page.remove_card()
    setup_wizard.next()
    practice = setup_wizard.training_page
    base.settle(app)
    shots.save(setup_wizard, "setup-7-training")
    setup_wizard.start_training()
    base.settle(app, lambda: not practice.busy, timeout=600)
    assert practice.created is not None, "the practice data was not created"
    base.settle(app)
    shots.save(setup_wizard, "setup-7-training-ready")
    setup_wizard.next()
    base.settle(app)
    shots.save(setup_wizard, "setup-8-done")
    setup_wizard.accept()
    setup_wizard.deleteLater()
    context.close_session()


def training_shots(shots: Shots, context: AppContext) -> None:
    """Training mode as a trainee sees it: the sign-in window and an operator's main window
    of the practice installation the wizard created, each with the banner (turned on as
    tests/ui/test_training_banner.py does, and off again afterwards)."""
    from hotline import training
    from hotline.demo.installation import DEFAULT_PASSWORD
    from ui import training_banner
    from ui.login_dialog import LoginDialog

    app = shots.app
    practice = AppContext.create(training.training_dir(context.data_dir))
    password = DEFAULT_PASSWORD
    training_banner.install(app)
    try:
        sign_in = LoginDialog(practice)
        sign_in.username.setText("aigerim")
        sign_in.show()
        base.settle(app)
        shots.save(sign_in, "training-login")
        sign_in.close()
        sign_in.deleteLater()
        window = window_for(practice, "aigerim", password)
        assert window.calls is not None
        window.calls.lists.select_tab("mine")  # the trainee's invented calls
        base.settle(app)
        shots.save(window, "training-main-window", full_screen=True)
        window.calls.new_call_action.trigger()
        base.settle(app)
        base.fill_call(window)
        base.settle(app)
        shots.save(window, "training-call", full_screen=True)
        close_window(practice, window)
    finally:
        training_banner.uninstall(app)
        practice.runner.wait()


def login(data_dir: DataDir, user: str, password: str) -> object:
    from hotline.services import session as session_service

    return session_service.login(data_dir, user, password)


def add_staff_and_demo(context: AppContext) -> None:
    """A supervisor and two operators, then the demo calls (fixed seed)."""
    from hotline.demo import generator
    from hotline.roles import Role
    from hotline.services import session as session_service
    from hotline.services import users

    admin = session_service.login(context.data_dir, base.ADMIN, base.PASSWORD)
    users.add_user(
        admin, base.SUPERVISOR, Role.SUPERVISOR, base.SUPERVISOR_PASSWORD, "Бермет Асанова"
    )
    for name, full in OTHER_OPERATORS:
        users.add_user(admin, name, Role.OPERATOR, base.OPERATOR_PASSWORD, full)
    generator.load(admin, DEMO_CALLS, seed=DEMO_SEED, years=1)
    admin.close()


def window_for(context: AppContext, user: str, password: str) -> MainWindow:
    from hotline.services.session import Session

    session = login(context.data_dir, user, password)
    assert isinstance(session, Session)
    context.session = session
    window = MainWindow(context, session)
    window.resize(*SCREEN)
    window.show()
    return window


def close_window(context: AppContext, window: MainWindow) -> None:
    window.discard()
    context.close_session()


def screening_and_referral(shots: Shots, context: AppContext) -> None:
    """A call with a screening in progress, then a referral and its slip."""

    app = shots.app
    window = window_for(context, base.OPERATOR, base.OPERATOR_PASSWORD)
    base.settle(app)
    assert window.calls is not None
    shots.save(window, "operator-main-window", full_screen=True)
    window.calls.new_call_action.trigger()
    base.settle(app)
    base.fill_call(window)
    editor = window.calls.editor
    panel = editor.screening
    panel.choose_script("trafficking-now")
    base.settle(app)
    answered = 0
    for view in list(panel.views.values()):
        if answered >= 4:
            break
        if view.isVisible() and view.question.type == "yesno":
            view.answer("yes")
            answered += 1
            base.settle(app)
    base.settle(app)
    shots.save(window, "call-screening", full_screen=True)
    editor.end_call()
    assert editor.save()
    base.settle(app)
    dialog = editor.refer()
    assert dialog is not None
    base.settle(app)
    dialog.table.selectRow(0)
    dialog.consent_yes.setChecked(True)
    base.settle(app)
    referral = dialog.refer()
    assert referral is not None, "the referral was refused"
    dialog.caller_name_box.setChecked(dialog.caller_name_box.isEnabled())
    dialog.resize(1200, 700)
    base.settle(app)
    shots.save(dialog, "referral")
    slip(shots, dialog.slip_bytes())
    dialog.close()
    referrals = editor.show_referrals()
    base.settle(app)
    if referrals is not None:
        shots.save(referrals, "referrals")
        referrals.close()
    close_window(context, window)


def slip(shots: Shots, pdf: bytes) -> None:
    program = shutil.which("pdftoppm")
    if program is None:
        print("pdftoppm is not installed: the slip picture is skipped.", file=sys.stderr)
        return
    source = shots.raw / f"{shots.lang}-slip.pdf"
    source.write_bytes(pdf)
    stem = shots.raw / f"{shots.lang}-slip"
    subprocess.run(
        [program, "-png", "-r", "110", "-singlefile", str(source), str(stem)], check=True
    )
    shots.keep(stem.with_suffix(".png"), "slip")


def supervision(shots: Shots, context: AppContext) -> None:
    app = shots.app
    window = window_for(context, base.SUPERVISOR, base.SUPERVISOR_PASSWORD)
    log = window.show_call_log()
    assert log is not None
    log.resize(*SCREEN)
    base.settle(app)
    shots.save(log, "call-log", full_screen=True)
    row = next(
        r for r in range(log.model.rowCount()) if log.model.rows[r].call_type == "consultation"
    )
    review = log.open_row(row)
    base.settle(app)
    if review is not None:
        review.resize(*SCREEN)
        base.settle(app)
        shots.save(review, "review", full_screen=True)
        review.close()
    stats = window.show_statistics()
    assert stats is not None
    stats.resize(*SCREEN)
    stats.compare.setCurrentIndex(1)
    base.settle(app)
    shots.save(stats, "statistics", full_screen=True)
    stats.close()
    audit = window.show_audit_log()
    assert audit is not None
    audit.resize(1200, 680)
    base.settle(app)
    shots.save(audit, "audit-log")
    close_window(context, window)
    # An operator of the demo calls reads the supervisor's reviews.
    window = window_for(context, OTHER_OPERATORS[0][0], base.OPERATOR_PASSWORD)
    feedback = window.show_feedback()
    base.settle(app)
    if feedback is not None:
        shots.save(feedback, "feedback")
    close_window(context, window)


def administration(shots: Shots, context: AppContext, folder: Path) -> None:
    from hotline.services import retention
    from hotline.services.session import Session
    from ui.backup_dialog import BackupsDialog
    from ui.idle_lock import SecuritySettingsDialog
    from ui.retention_dialog import RetentionDialog

    app = shots.app
    window = window_for(context, base.ADMIN, base.PASSWORD)
    session = window.session
    assert isinstance(session, Session)
    base.settle(app)
    menu = window.admin_menu
    assert menu is not None
    backups = BackupsDialog(context, session, window)
    backups.folder.setText(str(folder))
    backups.every.setCurrentIndex(max(0, backups.every.findData("daily")))
    backups.show()
    backups.back_up_now()
    base.settle(app, lambda: not backups.busy)
    backups.refresh()
    base.settle(app)
    shots.save(backups, "backups")
    backups.close()
    retention.set_policy(session, retention.Policy(months=12, only_acknowledged=False))
    keeping = RetentionDialog(context, session, window)
    keeping.show()
    base.settle(app, lambda: not keeping.busy)
    shots.save(keeping, "retention")
    keeping.close()
    security = SecuritySettingsDialog(session, window)
    security.show()
    base.settle(app)
    shots.save(security, "security-settings")
    security.close()
    close_window(context, window)


def extras(shots: Shots, context: AppContext) -> None:
    """Help › About Hotline Desk… (ui/about_dialog.py), once its details are gathered."""
    app = shots.app
    window = window_for(context, base.ADMIN, base.PASSWORD)
    base.settle(app)
    window.about_action.trigger()  # a dialog of its own (ui/about_dialog.py), or a box
    base.settle(app)
    about = next(
        (
            w
            for w in app.topLevelWidgets()
            if w.isVisible() and w.windowTitle() == _("About Hotline Desk")
        ),
        None,
    )
    if about is not None:
        copy = getattr(about, "copy_button", None)  # enabled once the details are gathered
        base.settle(app, lambda: copy is None or copy.isEnabled())
        shots.save(about, "about")
        about.close()
    close_window(context, window)


def language_shots(app: QApplication, lang: str, qt_strings: QtStrings) -> Shots:
    set_language(lang)
    qt_strings.apply(lang)
    out = GUIDE_IMAGES / lang
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hotline-guide-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        shots = Shots(app, lang, raw, out)
        context = AppContext.create(DataDir(Path(tmp) / "data"))
        card = coordinator_card(Path(tmp))
        shots.run("wizard", lambda: wizard(shots, context, card))
        shots.run("login", lambda: base.login_shots(app, context, raw, lang))
        shots.run("main window", lambda: base.main_window_shots(app, context, raw, lang))
        shots.run("demo data", lambda: add_staff_and_demo(context))
        shots.run("calls", lambda: base.call_shots(app, context, raw, lang))
        shots.run("screening", lambda: screening_and_referral(shots, context))
        shots.run("supervision", lambda: supervision(shots, context))
        folder = Path(tmp) / "backups"
        folder.mkdir()
        shots.run("administration", lambda: administration(shots, context, folder))
        shots.run("exchange", lambda: base.exchange_shots(app, context, raw, lang))
        shots.run("extras", lambda: extras(shots, context))
        shots.run("training", lambda: training_shots(shots, context))
        shots.collect_base()
        context.runner.wait()
        base.settle(app)
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lang", choices=(*LANGUAGES, "all"), default="en")
    args = parser.parse_args(argv)
    languages = LANGUAGES if args.lang == "all" else (args.lang,)
    qInstallMessageHandler(base.qt_message)
    app = create_application([sys.argv[0]])
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    qt_strings = QtStrings()
    failed = []
    for lang in languages:
        shots = language_shots(app, lang, qt_strings)
        failed += [f"{lang}: {name}" for name in shots.failed]
        total = sum(p.stat().st_size for p in (GUIDE_IMAGES / lang).glob("*.png"))
        print(f"{lang}: {len(shots.written)} pictures, {total / 1e6:.1f} MB in {shots.out}")
    if failed:
        print("Not drawn: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
