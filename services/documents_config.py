"""The [dokumen] settings of the complaint documents (``services.documents``), apart from the
renderers: ``services.settings`` folds them in, and every page imports the settings, so this
module must not import fpdf/python-docx (their import costs a first page view ~1 s)."""

from __future__ import annotations

from typing import Any

# Settings this feature reads (CONTRACTS §5: folded into the settings declaration at merge).
SETTINGS: tuple[tuple[str, str, type, Any, str], ...] = (
    (
        "dokumen",
        "templates",
        str,
        "",
        "Folder templat Word kantor sendiri: <jenis>.docx di sini menggantikan templat bawaan jenis itu (mis. berita_acara.docx).",
    ),
    ("dokumen", "logo", str, "", "Berkas gambar logo (PNG/JPG) untuk kop surat; kosong = tanpa logo."),
    ("dokumen", "alamat", str, "", "Alamat kantor di kop surat."),
    ("dokumen", "telepon", str, "", "Nomor telepon kantor di kop surat."),
    ("dokumen", "email", str, "", "E-mail kantor di kop surat."),
    (
        "dokumen",
        "tempat",
        str,
        "",
        "Nama tempat sebelum tanggal surat (mis. Tenggarong); bawaan: nama desa, atau kabupaten untuk kecamatan/dinas.",
    ),
)
