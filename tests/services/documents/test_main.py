"""``./run dokumen``: the command line reads the same settings as the app and writes DOCX + PDF."""

from __future__ import annotations

from pathlib import Path

from metrics.profiles import load_profile
from services.documents.__main__ import main
from tests.services.documents.test_meeting import register
from tests.services.documents.test_render import docx_text, pdf_text

KUKAR = load_profile("kutai_kartanegara")


def test_semua_writes_every_declared_document(tmp_path: Path, capsys) -> None:
    path = register(tmp_path)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[dokumen]\nalamat = "Jl. Wolter Monginsidi No. 1, Tenggarong"\n', encoding="utf-8")
    out = tmp_path / "keluar"
    env = {"PANTAU_REGISTER": str(path), "PANTAU_SOP": "kutai_kartanegara"}
    code = main(
        [
            "--nomor",
            "dpmd/2026/05/0002",
            "--jenis",
            "semua",
            "--out",
            str(out),
            "--secrets",
            str(secrets),
            "--tanggal",
            "2026-05-12",
            "--petugas",
            "Ani",
        ],
        env,
    )
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{d.kind}_DPMD-2026-05-0002.{suffix}" for d in KUKAR.documents for suffix in ("docx", "pdf")
    )
    letter = (out / "surat_jawaban_DPMD-2026-05-0002.pdf").read_bytes()
    text = pdf_text(letter)
    assert "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA" in text and "Jl. Wolter Monginsidi" in text
    assert "12 Mei 2026" in text and "Siti Rahayu" in text


def test_role_without_access_gets_masked_documents(tmp_path: Path) -> None:
    path = register(tmp_path)
    env = {"PANTAU_REGISTER": str(path), "PANTAU_SOP": "kutai_kartanegara"}
    out = tmp_path / "keluar"
    args = ["--nomor", "DPMD/2026/05/0001", "--jenis", "formulir_pengaduan", "--out", str(out)]
    assert main([*args, "--peran", "kecamatan", "--secrets", str(tmp_path / "none.toml")], env) == 1
    assert main([*args, "--peran", "kecamatan"], {**env, "HOME": str(tmp_path)}) == 0
    text = docx_text((out / "formulir_pengaduan_DPMD-2026-05-0001.docx").read_bytes())
    assert "Siti Rahayu" not in text and "S. R." in text


def test_mistakes_are_reported_without_traceback(tmp_path: Path, capsys) -> None:
    path = register(tmp_path)
    env = {"PANTAU_REGISTER": str(path), "PANTAU_SOP": "kutai_kartanegara"}
    out = str(tmp_path / "keluar")
    assert main(["--nomor", "X/1", "--jenis", "semua", "--out", out], env) == 1
    assert "Nomor 'X/1' tidak ditemukan" in capsys.readouterr().err
    assert main(["--nomor", "DPMD/2026/05/0001", "--jenis", "surat_sakti", "--out", out], env) == 1
    assert "surat_sakti" in capsys.readouterr().err
    assert (
        main(["--nomor", "DPMD/2026/05/0001", "--jenis", "semua", "--out", out], {**env, "PANTAU_SOP": "x"})
        == 1
    )
    assert "Profil SOP 'x' tidak dikenal" in capsys.readouterr().err
    missing = {**env, "PANTAU_REGISTER": str(tmp_path / "tidak_ada.xlsx")}
    assert main(["--nomor", "DPMD/2026/05/0001", "--jenis", "semua", "--out", out], missing) == 1
    assert "tidak_ada.xlsx" in capsys.readouterr().err


def test_admin_does_not_see_a_rahasia_reporter(tmp_path: Path) -> None:
    import openpyxl

    path = register(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Register"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Rahasia") + 1, value="Ya")
    workbook.save(path)
    env = {"PANTAU_REGISTER": str(path), "PANTAU_SOP": "kutai_kartanegara"}
    out = tmp_path / "keluar"
    for role, named in (("admin", False), ("petugas", True)):
        args = ["--nomor", "DPMD/2026/05/0001", "--jenis", "laporan_hasil_rapat", "--out", str(out / role)]
        assert main([*args, "--peran", role], env) == 0
        text = docx_text((out / role / "laporan_hasil_rapat_DPMD-2026-05-0001.docx").read_bytes())
        assert ("Siti Rahayu" in text) is named and (("(dirahasiakan)" in text) is not named)
