"""The bundled layout of each document kind, written once: ``templates/build_templates.py`` turns
it into the editable .docx templates (docxtpl tags), and ``services.documents.pdf`` draws the same
layout as the printable PDF. Texts are Jinja templates over the fields of
``services.documents.context.FIELDS``; ``p`` is the loop variable of a table's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str = ""  # e.g. "Nomor: {{ nomor_surat }}"


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    small: bool = False
    align: str = "left"  # left | center | justify


@dataclass(frozen=True)
class Rows:
    """Label : value lines (a two-column table without borders)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A bordered table with one row per item of ``items`` (a list field) and ``blank`` empty rows
    under them to fill by hand."""

    headers: tuple[str, ...]
    items: str
    cells: tuple[str, ...]
    widths: tuple[int, ...]  # mm
    blank: int = 0


@dataclass(frozen=True)
class Signature:
    caption: str  # "Mengetahui," / "{{ tempat_surat }}, {{ tanggal_surat }}"
    jabatan: str
    nama: str
    nip: str = ""


@dataclass(frozen=True)
class Signatures:
    people: tuple[Signature, ...]


@dataclass(frozen=True)
class Layout:
    blocks: tuple[object, ...] = field(default_factory=tuple)


HEAD = Signature(
    "{{ tempat_surat }}, {{ tanggal_surat }}",
    "{{ kepala.jabatan }},",
    "{{ kepala.nama }}",
    "{{ kepala.nip }}",
)
HEAD_KNOWS = Signature("Mengetahui,", "{{ kepala.jabatan }},", "{{ kepala.nama }}", "{{ kepala.nip }}")
OFFICER = Signature(
    "{{ tempat_surat }}, {{ tanggal_surat }}", "Petugas Pengelola Pengaduan,", "{{ petugas }}"
)
SOURCE = Para("Dasar: {{ sumber_sop }}", small=True)
COMPLAINT_ROWS = (
    ("Nomor pengaduan", "{{ nomor_pengaduan }}"),
    ("Tanggal diterima", "{{ tanggal_diterima }}"),
    ("Saluran", "{{ saluran }}"),
    ("Kategori", "{{ kategori }}"),
)
REPORTER_ROWS = (
    ("Nama pelapor", "{{ nama_pelapor }}"),
    ("Alamat", "{{ alamat_pelapor }}"),
    ("No. HP", "{{ no_hp_pelapor }}"),
)
MEETING_ROWS = (
    ("Hari/tanggal", "{{ rapat_tanggal }}"),
    ("Waktu", "{{ rapat_jam }}"),
    ("Tempat", "{{ rapat_tempat }}"),
    ("Acara", "Pembahasan pengaduan Nomor {{ nomor_pengaduan }}"),
)
PARTICIPANTS = Table(
    ("No.", "Nama", "Jabatan/Unsur", "Tanda tangan"),
    "rapat_peserta",
    ("{{ p.no }}", "{{ p.nama }}", "{{ p.jabatan }}", ""),
    (12, 58, 62, 42),
    blank=3,
)

LAYOUTS: dict[str, Layout] = {
    "formulir_pengaduan": Layout(
        (
            Title("FORMULIR PENGADUAN MASYARAKAT", "Nomor pengaduan: {{ nomor_pengaduan }}"),
            Para("Identitas pelapor", bold=True),
            Rows((*REPORTER_ROWS, ("Identitas dirahasiakan", "{{ rahasia }}"))),
            Para("Pengaduan", bold=True),
            Rows(
                (
                    ("Tanggal diterima", "{{ tanggal_diterima }}"),
                    ("Saluran", "{{ saluran }}"),
                    ("Kategori", "{{ kategori }}"),
                    ("Desa/lokasi", "{{ desa }}"),
                )
            ),
            Para("Uraian pengaduan (apa, di mana, sejak kapan):", bold=True),
            Para("{{ isi_pengaduan }}", align="justify"),
            Para(
                "Pelapor menyatakan bahwa keterangan di atas benar. Layanan pengaduan tidak dipungut biaya."
            ),
            Signatures(
                (
                    Signature("Diterima oleh,", "Petugas Pengelola Pengaduan,", "{{ petugas }}"),
                    Signature("{{ tempat_surat }}, {{ tanggal_surat }}", "Pelapor,", "{{ nama_pelapor }}"),
                )
            ),
            SOURCE,
        )
    ),
    "tanda_terima": Layout(
        (
            Title("TANDA TERIMA PENGADUAN", "Nomor: {{ nomor_pengaduan }}"),
            Rows(
                (
                    *COMPLAINT_ROWS,
                    ("Nama pelapor", "{{ nama_pelapor }}"),
                    ("No. HP", "{{ no_hp_pelapor }}"),
                    ("Pokok pengaduan", "{{ isi_ringkas }}"),
                )
            ),
            Para("{{ cara_lacak }}", bold=True),
            Para("Simpan tanda terima ini. Layanan pengaduan tidak dipungut biaya."),
            Signatures((OFFICER,)),
            SOURCE,
        )
    ),
    "lembar_disposisi": Layout(
        (
            Title("LEMBAR DISPOSISI", "Nomor agenda: {{ nomor_pengaduan }}"),
            Rows(
                (
                    ("Surat/pengaduan dari", "{{ nama_pelapor }}"),
                    ("Diterima tanggal", "{{ tanggal_diterima }}"),
                    ("Saluran", "{{ saluran }}"),
                    ("Kategori / urgensi", "{{ kategori }} / {{ urgensi }}"),
                    ("Perihal", "{{ isi_ringkas }}"),
                )
            ),
            Para("Diteruskan kepada:", bold=True),
            Para("{% for j in pejabat %}{{ j.pilihan }}    {% endfor %}"),
            Rows(
                (
                    ("Disposisi kepada", "{{ disposisi_kepada }}"),
                    ("Tanggal disposisi", "{{ tanggal_disposisi }}"),
                    ("Isi disposisi / catatan", "{{ catatan_disposisi }}"),
                )
            ),
            Signatures((Signature("", "{{ kepala.jabatan }},", "{{ kepala.nama }}", "{{ kepala.nip }}"),)),
            SOURCE,
        )
    ),
    "surat_undangan": Layout(
        (
            Rows(
                (
                    ("Nomor", "{{ nomor_surat }}"),
                    ("Sifat", "Penting"),
                    ("Lampiran", "-"),
                    ("Perihal", "Undangan rapat pembahasan pengaduan"),
                )
            ),
            Para("Yth. Bapak/Ibu peserta rapat (daftar terlampir)\ndi tempat"),
            Para(
                "Dalam rangka penanganan pengaduan masyarakat Nomor {{ nomor_pengaduan }} perihal "
                "{{ kategori }}, dengan hormat kami mengundang Bapak/Ibu untuk hadir pada rapat "
                "pembahasan pengaduan yang akan dilaksanakan pada:",
                align="justify",
            ),
            Rows(MEETING_ROWS),
            Para("Pokok pengaduan: {{ isi_ringkas }}", align="justify"),
            Para(
                "Mengingat pentingnya acara tersebut, kehadiran Bapak/Ibu sangat diharapkan. Atas perhatiannya diucapkan terima kasih."
            ),
            Signatures((HEAD,)),
            Para("Undangan: {% for p in rapat_peserta %}{{ p.no }}. {{ p.label }}  {% endfor %}", small=True),
            SOURCE,
        )
    ),
    "daftar_hadir": Layout(
        (
            Title("DAFTAR HADIR RAPAT PEMBAHASAN PENGADUAN"),
            Rows(MEETING_ROWS),
            PARTICIPANTS,
            Signatures((HEAD_KNOWS,)),
            SOURCE,
        )
    ),
    "notulen": Layout(
        (
            Title("NOTULEN RAPAT PEMBAHASAN PENGADUAN"),
            Rows((*MEETING_ROWS, ("Peserta", "{{ rapat_peserta_teks }}"))),
            Para("Pokok pengaduan", bold=True),
            Para("{{ isi_pengaduan }}", align="justify"),
            Para("Pembahasan", bold=True),
            Para("{{ rapat_ringkasan }}", align="justify"),
            Para("Keputusan / kesimpulan", bold=True),
            Para("{{ rapat_keputusan }}", align="justify"),
            Signatures(
                (
                    Signature(
                        "Pimpinan rapat,", "{{ kepala.jabatan }}", "{{ kepala.nama }}", "{{ kepala.nip }}"
                    ),
                    Signature("{{ tempat_surat }}, {{ tanggal_surat }}", "Notulis,", "{{ petugas }}"),
                )
            ),
            SOURCE,
        )
    ),
    "berita_acara": Layout(
        (
            Title("BERITA ACARA RAPAT PEMBAHASAN PENGADUAN", "Nomor: {{ no_berita_acara }}"),
            Para(
                "Pada hari ini {{ rapat_tanggal }} pukul {{ rapat_jam }} bertempat di {{ rapat_tempat }}, "
                "telah dilaksanakan rapat pembahasan pengaduan masyarakat Nomor {{ nomor_pengaduan }} "
                "yang diterima pada {{ tanggal_diterima }}, dengan hasil sebagai berikut:",
                align="justify",
            ),
            Para("1. Pokok pengaduan", bold=True),
            Para("{{ isi_pengaduan }}", align="justify"),
            Para("2. Hasil pembahasan", bold=True),
            Para("{{ rapat_ringkasan }}", align="justify"),
            Para("3. Keputusan dan rekomendasi tindak lanjut", bold=True),
            Para("{{ rapat_keputusan }}", align="justify"),
            Rows(
                (
                    ("Jenis penyelesaian", "{{ jenis_penyelesaian }}"),
                    ("Keterangan", "{{ uraian_penyelesaian }}"),
                )
            ),
            Para("Demikian berita acara ini dibuat dengan sebenarnya dan ditandatangani oleh peserta rapat."),
            PARTICIPANTS,
            Signatures((HEAD_KNOWS,)),
            SOURCE,
        )
    ),
    "laporan_hasil_rapat": Layout(
        (
            Title("LAPORAN HASIL RAPAT PENANGANAN PENGADUAN", "Berita acara: {{ no_berita_acara }}"),
            Rows(
                (
                    *COMPLAINT_ROWS,
                    ("Pelapor", "{{ nama_pelapor }}"),
                    ("Tanggal rapat", "{{ rapat_tanggal }} {{ rapat_jam }}"),
                    ("Tempat rapat", "{{ rapat_tempat }}"),
                    ("Peserta", "{{ rapat_peserta_teks }}"),
                )
            ),
            Para("Pokok pengaduan", bold=True),
            Para("{{ isi_pengaduan }}", align="justify"),
            Para("Hasil rapat", bold=True),
            Para("{{ rapat_ringkasan }}", align="justify"),
            Para("Keputusan", bold=True),
            Para("{{ rapat_keputusan }}", align="justify"),
            Rows((("Jenis penyelesaian", "{{ jenis_penyelesaian }}"),)),
            Para(
                "{% if paraf %}Paraf: {% for j in paraf %}{{ j }} ..........   {% endfor %}{% endif %}",
                small=True,
            ),
            Signatures(
                (
                    Signature(
                        "Menyetujui,", "{{ kepala.jabatan }},", "{{ kepala.nama }}", "{{ kepala.nip }}"
                    ),
                    Signature("{{ tempat_surat }}, {{ tanggal_surat }}", "Pembuat laporan,", "{{ petugas }}"),
                )
            ),
            SOURCE,
        )
    ),
    "surat_jawaban": Layout(
        (
            Rows(
                (
                    ("Nomor", "{{ nomor_surat }}"),
                    ("Lampiran", "-"),
                    ("Perihal", "Jawaban atas pengaduan Nomor {{ nomor_pengaduan }}"),
                )
            ),
            Para("Yth. {{ nama_pelapor }}\n{{ alamat_pelapor }}\ndi tempat"),
            Para(
                "Menindaklanjuti pengaduan Saudara/i yang kami terima pada {{ tanggal_diterima }} melalui "
                "saluran “{{ saluran }}” dengan Nomor {{ nomor_pengaduan }}, dengan ini kami sampaikan hasil "
                "tindak lanjutnya sebagai berikut:",
                align="justify",
            ),
            Para("{{ hasil_tindak_lanjut }}", align="justify"),
            Rows((("Jenis penyelesaian", "{{ jenis_penyelesaian }}"),)),
            Para(
                "Demikian kami sampaikan. Atas perhatian dan partisipasi Saudara/i kami ucapkan terima kasih."
            ),
            Signatures((HEAD,)),
            SOURCE,
        )
    ),
}
