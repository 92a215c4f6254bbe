"""``hotline-desk``: the desktop application's entry point."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from hotline import logging_filter
from hotline.i18n import _, language_from_environment, normalize_language, set_language
from hotline.paths import DataDir, resources_dir
from ui import clipboard
from ui.context import AppContext
from ui.desk import Desk
from ui.fonts import choose_font

APP_NAME = "Hotline Desk"


def _language(value: str) -> str:
    language = normalize_language(value)
    if language is None:
        raise argparse.ArgumentTypeError(
            _("unknown interface language: %(lang)s") % {"lang": value}
        )
    return language


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="hotline-desk", description=_("Hotline Desk, the desktop application.")
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("the installation's data folder (default: $HOTLINE_DATA_DIR or the platform's)"),
    )
    parser.add_argument(
        "--lang",
        type=_language,
        metavar="LANG",
        help=_("interface language: en, ru, ky, kk, uz_Latn, uz_Cyrl or tg"),
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help=_(
            "check this copy of the program on throwaway data (encrypted database, slip, "
            "translations, fonts, a window drawn offscreen) and exit; 0 means all is well"
        ),
    )
    parser.add_argument(
        "--training",
        action="store_true",
        help=_("open the practice installation beside this one (created on first use)"),
    )
    # Anything else (e.g. -platform, -style) is left for Qt.
    return parser.parse_known_args(argv)


def create_application(qt_args: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(qt_args)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    # Between the sign-in dialog and the main window no window is visible for a moment;
    # the Desk decides when the program ends.
    app.setQuitOnLastWindowClosed(False)
    app.setFont(choose_font(app.font()))
    icon = resources_dir() / "icons" / "hotline-desk.png"
    if icon.exists():  # every window shows it (title bar, task bar)
        app.setWindowIcon(QIcon(str(icon)))
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_check:  # before anything looks at the data folder: it never does
        from ui import self_check

        return self_check.run()
    logging_filter.configure(logging.WARNING)  # scrubbed records and crash reports
    data_dir = DataDir.resolve(args.data_dir)
    app = create_application([sys.argv[0], *qt_args])
    stop_watching = clipboard.watch_own_copies()  # a copied field is forgotten after 30 s
    context = AppContext.create(data_dir)
    context.language_forced = args.lang is not None
    set_language(args.lang or context.settings.language or language_from_environment())
    if args.training:  # ui/training_mode.py, docs/training.md
        from ui import training_mode

        switched = training_mode.open_training(context, app)
        if switched is None:
            stop_watching()
            return 0
        context = switched
    desk = Desk(context)
    desk.quit_requested.connect(app.quit)
    desk.start()
    try:
        return app.exec()
    finally:
        desk.close_all()
        stop_watching()


if __name__ == "__main__":
    sys.exit(main())
