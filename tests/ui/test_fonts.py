from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.fonts import EXTRA_LETTERS, choose_font, covers, fonts_dir, load_bundled_fonts


def test_chosen_font_has_every_interface_letter(qtbot: QtBot) -> None:
    assert "\u02bb" in EXTRA_LETTERS and "ҷ" in EXTRA_LETTERS
    font = choose_font(QApplication.font())
    assert covers(font)
    assert font.pointSize() >= 10
    if any(fonts_dir().glob("DejaVuSans*.ttf")):
        assert font.family() == "DejaVu Sans"


def test_missing_font_folder_is_not_an_error(qtbot: QtBot, tmp_path: Path) -> None:
    assert load_bundled_fonts(tmp_path / "absent") == []
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"not a font")
    assert load_bundled_fonts(tmp_path) == []
    font = choose_font(QFont(), folder=tmp_path / "absent")
    assert isinstance(font, QFont) and font.pointSize() >= 10
