"""data_sources.survey_store: one answer per Nomor on the Sheets API fake and on local files."""

import csv
import io
import multiprocessing
import threading

import openpyxl
import pytest

from data_sources.local_file import LocalFileSource
from data_sources.survey_store import (
    HEADER,
    AlreadyRated,
    LocalSurveyStore,
    SheetsSurveyStore,
    SurveyAnswer,
    survey_store_for,
)
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET, SURVEY_SHEET
from tests.fakes.sheets_api import DROP_AFTER_APPLY, FakeSheetsServer

HOSTILE = ['=HYPERLINK("http://x")', "+62 812", "@SUM(A1)", "<b>**tebal**</b>", "سلام 👍🏽", "-1+1"]


def answer(nomor="CBD/2026/01/0001", sid="s1", nilai=4, komentar="Terima kasih") -> SurveyAnswer:
    return SurveyAnswer(nomor, "Cibodas", nilai, komentar, "2026-02-03 10:00", sid)


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def sheets_store(server, key):
    return SheetsSurveyStore(server.client(), key)


def body(rows):
    return [r for r in rows[1:] if any(str(c).strip() for c in r)]


def test_sheets_creates_the_worksheet_with_header_and_stores_text(server):
    key = server.add_spreadsheet("R", {"Sukamaju": [["Nomor", "Desa"]]})
    store = sheets_store(server, key)
    assert store.read() == []
    for i, text in enumerate(HOSTILE):
        result = store.record(answer(f"CBD/2026/01/{i:04d}", f"id{i}", komentar=text))
        assert not result.replayed
    rows = server.values(key, SURVEY_SHEET)
    assert tuple(rows[0][: len(HEADER)]) == HEADER
    assert [r[3] for r in body(rows)] == HOSTILE
    assert server.formulas(key, SURVEY_SHEET) == []


def test_sheets_second_rating_refused_and_replay_returns_the_original(server):
    key = server.add_spreadsheet("R", {"Sukamaju": [["Nomor", "Desa"]]})
    store = sheets_store(server, key)
    first = store.record(answer(sid="one", nilai=3))
    again = store.record(answer(sid="one", nilai=3))
    assert again.replayed and again.answer == first.answer
    with pytest.raises(AlreadyRated, match="sudah dinilai"):
        store.record(answer("cbd/2026/01/0001 ", sid="two", nilai=1))
    assert len(body(server.values(key, SURVEY_SHEET))) == 1


def test_sheets_two_concurrent_submissions_for_one_nomor_leave_one_row(server):
    key = server.add_spreadsheet("R", {"Sukamaju": [["Nomor", "Desa"]]})
    sheets_store(server, key).record(answer("OTHER/1", sid="seed"))  # the sheet exists
    barrier = threading.Barrier(2, timeout=10)
    outcomes, errors = {}, []

    def worker(sid: str) -> None:
        store = sheets_store(server, key)
        original = store.read
        calls = []

        def read():
            rows = original()
            calls.append(1)
            if len(calls) == 1:
                barrier.wait()  # both have read "not rated yet" before either appends
            return rows

        store.read = read
        try:
            outcomes[sid] = store.record(answer(sid=sid, nilai=4 if sid == "ani" else 1))
        except AlreadyRated:
            outcomes[sid] = "refused"
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("ani", "budi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(str(type(o).__name__) for o in outcomes.values()) == ["SurveyResult", "str"]
    rows = [r for r in body(server.values(key, SURVEY_SHEET)) if r[0] == "CBD/2026/01/0001"]
    assert len(rows) == 1
    winner = next(sid for sid, o in outcomes.items() if o != "refused")
    assert rows[0][5] == winner


def test_sheets_lost_answer_after_the_append_is_not_written_twice(server):
    key = server.add_spreadsheet("R", {"Sukamaju": [["Nomor", "Desa"]]})
    store = sheets_store(server, key)
    store.record(answer("OTHER/1", sid="seed"))
    server.inject("values.append", DROP_AFTER_APPLY)
    result = store.record(answer(sid="lost"))
    assert not result.replayed
    assert [r[5] for r in body(server.values(key, SURVEY_SHEET))] == ["seed", "lost"]


def write_xlsx(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(["Nomor", "Desa", "Tanggal Diterima", "Isi Pengaduan"])
    sheet.append(["CBD/2026/01/0001", "Cibodas", "02/01/2026", "Jalan rusak"])
    workbook.create_sheet(AUDIT_SHEET).append(list(AUDIT_HEADER))
    workbook.save(path)


def write_csv(path):
    path.write_text(
        "Nomor;Desa;Tanggal Diterima;Isi Pengaduan\r\nCBD/2026/01/0001;Cibodas;02/01/2026;Jalan\r\n"
    )


@pytest.fixture(params=["xlsx", "csv"])
def register(request, tmp_path):
    path = tmp_path / f"register.{request.param}"
    (write_xlsx if request.param == "xlsx" else write_csv)(path)
    return path


def test_local_exactly_once_hostile_text_and_register_untouched(register):
    source = LocalFileSource(register)
    before = source.read()
    store = survey_store_for(source)
    assert isinstance(store, LocalSurveyStore) and store.read() == []
    for i, text in enumerate(HOSTILE):
        store.record(answer(f"CBD/2026/01/{i:04d}", f"id{i}", komentar=text))
    assert store.record(answer("CBD/2026/01/0000", "id0", komentar=HOSTILE[0])).replayed
    with pytest.raises(AlreadyRated):
        store.record(answer("CBD/2026/01/0000", "other"))
    rows = LocalSurveyStore(register).read()
    assert tuple(rows[0]) == HEADER
    assert [r[3] for r in rows[1:]] == HOSTILE
    # the Survei sheet is never read as register rows
    assert [g.name for g in source.read()] == [g.name for g in before]
    if register.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(register)
        assert workbook[SURVEY_SHEET]["D2"].data_type == "s"
        assert workbook["Register"]["A2"].value == "CBD/2026/01/0001"
    else:
        assert (register.parent / "register.survei.csv").exists()


def test_csv_sidecar_comments_are_no_formulas_in_excel_and_read_back_as_typed(tmp_path):
    register = tmp_path / "register.csv"
    write_csv(register)
    store = LocalSurveyStore(register)
    typed = [*HOSTILE, "'=sudah berapostrof", "-5", "biasa, dengan koma"]
    for i, text in enumerate(typed):
        store.record(answer(f"CBD/2026/01/{i:04d}", f"id{i}", komentar=text))
    raw = (tmp_path / "register.survei.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Excel expects
    # as Excel sees the cells: no comment starting with =, +, -, @ is a formula
    cells = [row[3] for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))][1:]
    assert not [c for c in cells if c[:1] in "=+-@" and c != "-5"]
    assert cells[0] == '\'=HYPERLINK("http://x")' and cells[-2] == "-5"
    assert [r[3] for r in LocalSurveyStore(register).read()[1:]] == typed


def _rate_in_process(path, sid, barrier, queue):
    store = LocalSurveyStore(path)
    barrier.wait()
    try:
        store.record(answer(sid=sid))
        queue.put((sid, "ok"))
    except AlreadyRated:
        queue.put((sid, "refused"))


def test_local_two_processes_rating_one_nomor_leave_one_row(register):
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(2), context.Queue()
    processes = [
        context.Process(target=_rate_in_process, args=(register, sid, barrier, queue)) for sid in ("p1", "p2")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    outcomes = dict(queue.get(timeout=5) for _ in processes)
    assert sorted(outcomes.values()) == ["ok", "refused"]
    rows = LocalSurveyStore(register).read()[1:]
    assert len(rows) == 1 and outcomes[rows[0][5]] == "ok"
