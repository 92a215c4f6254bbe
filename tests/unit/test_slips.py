"""Referral slips: in every language, with the organisation, phone and reference as text,
the reference in the QR code, and the caller's name only when chosen."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from hotline.i18n import TRANSLATED_LANGUAGES
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.slips import SlipRequest, render_slip

ORG = Organisation(
    id="o1",
    version=1,
    name="Кризисный центр «Сезим»",
    services=("shelter",),
    country="KG",
    city="Бишкек",
    address="ул. Ибраимова 115",
    phones=("+996 312 62 33 44",),
    hours="9:00–18:00",
)


def request(language: str, **changes: object) -> SlipRequest:
    values: dict[str, object] = {
        "organisation": ORG,
        "service": "shelter",
        "reference": "KG-TEST-26-00042",
        "hotline_name": "Ишеним телефону 189",
        "hotline_phone": "189",
        "language": language,
        "date": dt.date(2026, 11, 22),
    }
    values.update(changes)
    return SlipRequest(**values)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    """The page text with line breaks and spacing flattened (long names wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def qr_of(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=4).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", ["en", *TRANSLATED_LANGUAGES])
def test_slip_in_every_language(language: str) -> None:
    pdf = render_slip(request(language))
    text = text_of(pdf)
    for needle in ("Кризисный центр «Сезим»", "+996 312 62 33 44", "KG-TEST-26-00042"):
        assert needle in text, (language, needle)
    if language != "en":
        assert "Referral slip" not in text  # the slip speaks the caller's language
    assert qr_of(pdf) == ["KG-TEST-26-00042"]


def test_caller_name_only_when_chosen() -> None:
    assert "Айгүл" not in text_of(render_slip(request("ky")))
    assert "Айгүл" in text_of(render_slip(request("ky", caller_name="Айгүл")))


def test_phone_in_the_qr_code_when_asked_and_a4_half_page() -> None:
    pdf = render_slip(request("ru", phone_in_qr=True, size="a4half"))
    assert qr_of(pdf) == ["KG-TEST-26-00042\ntel:+996312623344"]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595
    assert round(float(box.height)) == 421


def test_fonts_are_embedded() -> None:
    reader = PdfReader(io.BytesIO(render_slip(request("tg"))))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = [ref.get_object() for ref in resources["/Font"].values()]
    # Every text font is DejaVu, embedded (the QR drawing may list Helvetica; it draws no text).
    dejavu = [f for f in fonts if "DejaVu" in str(f.get("/BaseFont"))]
    assert len(dejavu) == 2
    for font in dejavu:
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_cli_slip_is_audited_and_leaves_no_temporary_copy(
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from hotline import audit
    from hotline.model.contact import Caller, Consent
    from hotline.services import contacts, directory
    from tests.conftest import PASSWORDS, sign_in
    from tests.unit.test_cli import run

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    tempfile.tempdir = None  # let the tempfile module see TMPDIR
    bakyt = sign_in(data_dir, "bakyt")
    org = directory.save(bakyt, replace(ORG, id="org-slip", version=0))
    call = contacts.save_contact(
        bakyt,
        replace(contacts.new_contact(bakyt), call_language="ky",
                caller=Caller(name="Айгүл"), consent=Consent(keep_data=False)),
    )  # fmt: skip
    bakyt.close()
    common = ["--data-dir", str(data_dir.root), "--user", "bakyt"]
    out = tmp_path / "slip.pdf"
    code, _out, err = run(
        capsys, "slip", call.reference, "--organisation", org.id, "--service", "shelter",
        "--to", str(out), "--hotline-phone", "189", *common, password=PASSWORDS["bakyt"],
    )  # fmt: skip
    assert code == 0, err
    text = text_of(out.read_bytes())
    assert call.reference in text
    assert "Айгүл" not in text
    code, _out, err = run(
        capsys, "slip", call.reference, "--organisation", org.id, "--caller-name",
        "--to", str(tmp_path / "named.pdf"), *common, password=PASSWORDS["bakyt"],
    )  # fmt: skip
    assert code == 1
    assert "agreed" in err
    assert not (tmp_path / "named.pdf").exists()
    assert list(temp.iterdir()) == []
    session = sign_in(data_dir, "bakyt")
    printed = [r for r in audit.recent(session.db, 20) if r.action == "record.printed"]
    session.close()
    assert len(printed) == 1
