from __future__ import annotations

from pathlib import Path

from ui.settings import Settings, load_settings, save_settings


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(last_username="olga", language="uz_Cyrl"))
    assert load_settings(path) == Settings(last_username="olga", language="uz_Cyrl")
    assert not (tmp_path / "settings.json.tmp").exists()


def test_missing_or_broken_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    path.write_text('["a list"]', encoding="utf-8")
    assert load_settings(path) == Settings()
    path.write_text('{"last_username": 7, "language": "xx"}', encoding="utf-8")
    assert load_settings(path) == Settings()
