"""Statistik Bulanan, Perbandingan Desa and Register on the demo register and on an empty one."""

from __future__ import annotations

import json

import openpyxl
import pytest

from dashboard.access import Viewer
from metrics.columns import AUDIT_HEADER, TEMPLATE_HEADER
from tests.app_helpers import run_page

ADMIN = {"viewer": Viewer("admin", "admin")}
PAGES = ("app_pages/statistik_bulanan.py", "app_pages/perbandingan_desa.py", "app_pages/register.py")


@pytest.fixture
def empty_register(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(list(TEMPLATE_HEADER))
    path = tmp_path / "kosong.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo_register(page, demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(page, session=ADMIN, timeout=120)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_empty_register(page, empty_register, register_env):
    register_env(empty_register)
    at = run_page(page, session=ADMIN)
    assert not at.exception, at.exception
    assert any("belum ada" in i.value.lower() for i in at.info)


def test_statistik_bulanan_tiles_and_downloads(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/statistik_bulanan.py", session=ADMIN, timeout=120)
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["Diterima", "Selesai", "Masih terbuka", "Terbuka & terlambat", "Tepat waktu"]
    year_ago = at.dataframe[0].value.iloc[:, 0].tolist()
    assert "Terbuka & terlambat" in year_ago and "Terlambat" not in year_ago
    assert at.metric[4].value.endswith("%")
    assert any("sudah terlambat sebelum" in c.value for c in at.caption)
    # the demo's stuck backlog (some complaints open for many months) no longer drags every month
    # down to the same low figure: this month reads near the demo's overall ~90%
    assert float(at.metric[4].value.rstrip("%").replace(",", ".")) > 70
    assert at.selectbox(key="bulanan_bulan").value is not None
    # one desa: the kepala desa's view
    at.selectbox(key="bulanan_desa").set_value("Cibodas").run()
    assert not at.exception
    assert any(c.value.startswith("**Cibodas**") for c in at.caption)


def test_kepala_desa_sees_only_own_desa(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(
        "app_pages/statistik_bulanan.py",
        session={"viewer": Viewer("kades", "kepala_desa", ("Cibodas",))},
        timeout=120,
    )
    assert not at.exception
    assert at.selectbox(key="bulanan_desa").options == ["Cibodas"]
    overview = run_page(
        "app_pages/ringkasan.py", session={"viewer": Viewer("kades", "kepala_desa", ("Cibodas",))}
    )
    # the overview says whose figures these are: the desa, not the whole kecamatan
    assert any(c.value.startswith("Desa Cibodas") for c in overview.caption), [
        c.value for c in overview.caption
    ]


def test_perbandingan_names_the_slowest_desa(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/perbandingan_desa.py", session=ADMIN, timeout=120)
    assert "Paling lambat" in at.info[0].value
    table = at.dataframe[0].value
    assert table.iloc[0, 0] == 1  # ranked slowest first
    at.selectbox(key="banding_kategori").set_value("infrastruktur").run()
    assert not at.exception


def test_register_search_and_detail(demo_register_path, register_env, tmp_path):
    register_env(demo_register_path)
    at = run_page("app_pages/register.py", session=ADMIN, timeout=120)
    assert not at.exception
    first = at.dataframe[0].value.iloc[0, 0]
    at.text_input(key="reg_cari").input(first).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert first in shown.iloc[:, 0].tolist()
    assert at.selectbox(key="reg_pilih").value == first
    timeline = [json.loads(c.proto.spec)["layout"]["xaxis"] for c in at.get("plotly_chart")]
    assert any(
        axis.get("type") == "date" and "%b" not in json.dumps(axis) and axis.get("tickformatstops")
        for axis in timeline
    )
    assert any("Riwayat" in m.value for m in at.markdown)
    at.checkbox(key="reg_terlambat").check().run()
    assert not at.exception


def test_register_masks_personal_data_for_kecamatan(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/register.py", session={"viewer": Viewer("camat", "kecamatan")}, timeout=120)
    names = at.dataframe[0].value["Pelapor"].dropna()
    assert len(names) and all(n.endswith(".") or n == "(dirahasiakan)" for n in names)


def test_register_shows_audit_history(tmp_path, register_env, demo_register_path):
    import shutil

    path = tmp_path / "dengan_riwayat.xlsx"
    shutil.copy(demo_register_path, path)
    workbook = openpyxl.load_workbook(path)
    nomor = workbook["Register"]["A2"].value
    workbook["Riwayat"].append(
        ["24/11/2026 10:00", nomor, "Tahap", "Diterima", "Verifikasi", "Sari", "petugas"]
    )
    workbook["Riwayat"].append(
        ["2026-11-24T14:05:09+07:00", nomor, "Urgensi", "Rendah", "Tinggi", "Sari", "petugas"]
    )
    assert list(AUDIT_HEADER)[1] == "Nomor"
    workbook.save(path)
    register_env(path)
    at = run_page("app_pages/register.py", session=ADMIN, timeout=120)
    at.text_input(key="reg_cari").input(nomor).run()
    assert not at.exception
    history = at.dataframe[-1].value
    assert "Verifikasi" in history["Nilai Baru"].tolist()
    # the app's ISO times are shown as local wall time, day-first; hand-typed ones as written
    assert set(history["Waktu"]) == {"24/11/2026 10:00", "24 November 2026 14.05"}


def test_perbandingan_box_plot_has_one_labelled_box_per_desa(demo_register_path, register_env):

    register_env(demo_register_path)
    at = run_page(
        "app_pages/perbandingan_desa.py", session={"viewer": Viewer("camat", "kecamatan")}, timeout=120
    )
    assert not at.exception
    boxes = [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "box"
    ]
    assert len(boxes) == 1
    desas = set(at.dataframe[0].value["Desa"])
    assert (
        len(desas) > 1 and set(boxes[0]["x"]) <= desas and len(boxes[0]["x"]) == len(set(boxes[0]["x"])) > 1
    )


def test_perbandingan_table_uses_indonesian_numbers(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/perbandingan_desa.py", session=ADMIN, timeout=120)
    table = at.dataframe[0].value
    medians = table["Median hari selesai"].dropna()
    assert len(medians) and all("." not in v for v in medians if v != "–")
    assert all("," in v for v in medians if v != "–")


def test_perbandingan_single_desa_has_no_slowest_fastest(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(
        "app_pages/perbandingan_desa.py",
        session={"viewer": Viewer("k", "kecamatan", ("Cibodas",))},
        timeout=120,
    )
    assert not at.exception
    assert not any("Paling lambat" in i.value for i in at.info)
    assert any("sedikitnya dua desa" in c.value for c in at.caption)


def _last_year_register(tmp_path):
    """Two desas, every complaint received and settled 13-15 months before today (the real clock:
    the page opens on the register's data, whatever today is)."""
    import datetime as dt

    today = dt.date.today()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(list(TEMPLATE_HEADER))
    for i in range(12):
        desa = "Cibodas" if i % 2 else "Mekarsari"
        received = dt.datetime.combine(today - dt.timedelta(days=400 + 3 * i), dt.time(9, 0))
        row = dict.fromkeys(TEMPLATE_HEADER, "")
        row.update(
            {
                "Nomor": f"X/{i:04d}",
                "Desa": desa,
                "Tanggal Diterima": received.strftime("%d/%m/%Y %H:%M"),
                "Saluran": "whatsapp",
                "Isi Pengaduan": f"Jalan rusak {i}",
                "Kategori": "infrastruktur",
                "Urgensi": "sedang",
                "Tanggal Verifikasi": (received + dt.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
                "Tanggal Jawaban": (received + dt.timedelta(days=2 + i)).strftime("%d/%m/%Y %H:%M"),
                "Tanggal Selesai": (received + dt.timedelta(days=3 + i)).strftime("%d/%m/%Y %H:%M"),
            }
        )
        sheet.append([row[h] for h in TEMPLATE_HEADER])
    path = tmp_path / "tahun_lalu.xlsx"
    workbook.save(path)
    return path


def test_perbandingan_of_last_years_register_opens_on_its_data(tmp_path, register_env):
    register_env(_last_year_register(tmp_path))
    at = run_page("app_pages/perbandingan_desa.py", session=ADMIN, timeout=120)
    assert not at.exception, at.exception
    assert at.dataframe, [i.value for i in at.info]  # a ranking, not "no data"
    assert set(at.dataframe[0].value["Desa"]) == {"Cibodas", "Mekarsari"}


def test_perbandingan_links_each_desa_to_its_overdue_list_and_says_how_it_ranks(
    demo_register_path, register_env
):
    register_env(demo_register_path)
    at = run_page("app_pages/perbandingan_desa.py", session=ADMIN, timeout=120)
    table = at.dataframe[0].value
    links = table["Daftar terlambat"].tolist()
    assert all(link.startswith("pemantauan-sla?desa=") for link in links)
    assert any("Cibodas" in link for link in links)
    # the rule in one sentence, and the share it ranks on is a column of its own (browser review)
    assert any(
        m.value.startswith("**Peringkat = urutan desa menurut median hari selesai") for m in at.markdown
    )
    share = table["Terbuka & terlambat (% pengaduan)"].str.replace(",", ".").astype(float)
    counts = table["Terbuka & terlambat"].str.replace(".", "").astype(int)
    complaints = table["Pengaduan"].str.replace(".", "").astype(int)
    assert (abs(share - counts / complaints * 100) < 0.051).all()
    columns = list(table.columns)
    assert columns.index("Terbuka & terlambat (% pengaduan)") == columns.index("Median hari selesai") + 1
    full = [x.value for x in at.text]
    assert len(full) == len(table) and all(": " in v and not v.endswith(": ") for v in full)
    # the link's target opens filtered on that desa
    sla = run_page(None, session=ADMIN, timeout=120)
    sla.query_params["desa"] = "Cibodas"
    sla.switch_page("app_pages/pemantauan_sla.py")
    sla.run()
    assert not sla.exception, sla.exception
    assert sla.multiselect(key="filter_desa").value == ["Cibodas"]


def test_register_detail_caption_shows_a_hostile_sheet_name_as_text(tmp_path, register_env):
    """The sheet name in "Sheet …, baris N" is user text (a CSV file's name; on a synced kabupaten
    the registry's desa name): a Markdown link in it stays text, never a clickable link."""
    import csv

    name = "[klik](https:contoh.invalid)"
    path = tmp_path / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Nomor", "Desa", "Tanggal Diterima", "Nama Pelapor", "Isi Pengaduan"])
        writer.writerow(["A/1", "Cibodas", "01/02/2024 09:00", "Siti", "Lampu mati"])
    register_env(path)
    at = run_page("app_pages/register.py", session=ADMIN, timeout=120)
    assert not at.exception
    captions = [c.value for c in at.caption if "baris" in c.value]
    assert captions and all("\\[klik\\]" in c and "](" not in c.replace("\\]", "") for c in captions)
