"""services.public_intake: every refusal says why and writes nothing; a replay gets the same Nomor;
limits per address and per session leave room for a real second complaint; hostile text is stored
as written; the public writer may only append for the register's desas."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest

from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile, register_header
from metrics.register import normalise_register
from services import public_intake
from services.public_intake import (
    CHALLENGE_AFTER,
    SHARED_CHALLENGE_AFTER,
    SHARED_PREFIX,
    IntakeLimits,
    Refused,
    address_key,
    file_public_complaint,
    fingerprint,
    new_challenge,
    public_viewer,
)

NOW = dt.datetime(2026, 11, 30, 10, 0)
PROFILE = load_profile("umum")
DESAS = ["Cibodas", "Sukamaju"]


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(",".join(register_header(PROFILE)) + "\n", encoding="utf-8")
    return path


def fields(**overrides):
    return {
        "desa": "Cibodas",
        "nama_pelapor": "Siti Rahayu",
        "alamat": "RT 02/RW 01",
        "no_hp": "0812-3456-7890",
        "isi_pengaduan": "Lampu jalan di gang Melati mati sejak seminggu",
        "kategori": "",
        "rahasia": False,
        **overrides,
    }


def rows(path, encoding=""):
    return normalise_register(LocalFileSource(path, csv_encoding=encoding).read(), PROFILE).complaints


def file(
    path, data=None, *, sid="s1", limits=None, address="ip:a", session="sess:a", clock=0.0, encoding="", **kw
):
    source = LocalFileSource(path, csv_encoding=encoding)
    register = normalise_register(source.read(), PROFILE)
    options = {
        "consent": True,
        "honeypot": "",
        "replay": False,
        "challenge": None,
        **kw,
    }
    return file_public_complaint(
        source,
        register,
        PROFILE,
        DESAS,
        data or fields(),
        NOW,
        submission_id=sid,
        limits=limits or IntakeLimits(),
        address=address,
        session=session,
        clock=clock,
        **options,
    )


def test_a_complaint_is_filed_with_channel_website_and_receipt_time_now(register):
    filed = file(register)
    frame = rows(register)
    assert list(frame["nomor"]) == [filed.nomor] and not filed.replayed
    row = frame.iloc[0]
    assert row["saluran"] == "website" and row["tanggal_diterima"] == NOW
    assert filed.cells["diperbarui_oleh"] == "Formulir publik (Website)"
    audit = LocalFileSource(register).read_audit()
    assert {r[6] for r in audit[1:]} == {"pelapor"}  # the audit names the public writer's role


@pytest.mark.parametrize(
    ("reason", "kw"),
    [("honeypot", {"honeypot": "http://spam"}), ("consent", {"consent": False})],
)
def test_honeypot_and_missing_consent_are_refused_with_a_reason(register, reason, kw):
    with pytest.raises(Refused) as refused:
        file(register, **kw)
    assert refused.value.reason == reason and refused.value.message
    assert rows(register).empty


def test_invalid_fields_are_named_and_100k_characters_get_the_column_limit(register):
    with pytest.raises(Refused) as refused:
        file(register, fields(nama_pelapor="", isi_pengaduan="x " * 50_000, desa="Antah"))
    problems = refused.value.field_problems
    assert refused.value.reason == "invalid"
    assert "Nama pelapor wajib diisi" in problems["nama_pelapor"][0]
    assert "paling banyak 30.000" in problems["isi_pengaduan"][0]
    assert "Antah" in problems["desa"][0]
    assert rows(register).empty


def test_rahasia_may_leave_the_identity_empty(register):
    filed = file(register, fields(rahasia=True, nama_pelapor="", alamat="", no_hp=""))
    assert rows(register).iloc[0]["rahasia"] and filed.cells["rahasia"] == "Ya"


def test_the_desa_is_stored_in_the_registers_spelling(register):
    filed = file(register, fields(desa="  cibodas "))
    assert filed.cells["desa"] == "Cibodas" and rows(register).iloc[0]["desa"] == "Cibodas"


@pytest.mark.parametrize(
    ("typed", "stored"), [("false", "Tidak"), ("Tidak", "Tidak"), ("ya", "Ya"), (None, "Tidak"), (True, "Ya")]
)
def test_rahasia_as_text_is_read_as_yes_or_no(register, typed, stored):
    assert file(register, fields(rahasia=typed)).cells["rahasia"] == stored


def test_an_unreadable_rahasia_is_refused_and_nothing_written(register):
    with pytest.raises(Refused) as refused:
        file(register, fields(rahasia="mungkin"))
    assert refused.value.reason == "invalid" and "Rahasiakan" in refused.value.field_problems["rahasia"][0]
    assert rows(register).empty


HOSTILE = {
    "nama_pelapor": '=HYPERLINK("http://x")',
    "alamat": "+cmd <script>alert(1)</script>",
    "isi_pengaduan": "@SUM(A1) **tebal** [tautan](http://x) 😀 مرحبا שלום jalan rusak",
}


@pytest.fixture(params=["xlsx", "csv-utf-8", "csv-cp1252"])
def writable_register(request, tmp_path, demo_register_path):
    """Registers that can hold any text (or, cp1252, the non-ASCII letters of Indonesian names)."""
    if request.param == "xlsx":
        path = tmp_path / "register.xlsx"
        shutil.copy(demo_register_path, path)
        return path, ""
    path = tmp_path / "register.csv"
    path.write_text(",".join(register_header(PROFILE)) + "\n", encoding="utf-8")
    return path, request.param.removeprefix("csv-")


def test_hostile_strings_are_stored_as_written(writable_register):
    path, encoding = writable_register
    hostile = dict(HOSTILE)
    if encoding == "cp1252":  # Windows-1252 holds 'é' and '—', not an emoji or Arabic
        hostile["isi_pengaduan"] = "@SUM(A1) **tebal** [tautan](http://x) José — jalan rusak"
    filed = file(path, fields(**hostile), encoding=encoding)
    frame = rows(path, encoding)
    row = frame[frame["nomor"] == filed.nomor].iloc[0]
    assert {k: row[k] for k in hostile} == hostile


def test_text_an_ascii_csv_register_cannot_hold_gets_a_resident_message(register, caplog):
    """Refused rather than mojibake, but the resident is told to contact the office; the reason
    (the ``[pantau] register_encoding`` setting) is logged for the admin, not shown to him."""
    caplog.set_level("WARNING", logger="pantau.public_intake")
    with pytest.raises(Refused) as refused:
        file(register, fields(**HOSTILE))
    assert refused.value.reason == "unavailable"
    assert "hubungi kantor desa" in refused.value.message and "register_encoding" not in refused.value.message
    logged = [r.getMessage() for r in caplog.records if r.name == "pantau.public_intake"]
    assert any("register_encoding" in m for m in logged)
    assert rows(register).empty


def test_the_same_submission_again_gets_the_same_nomor(register):
    limits = IntakeLimits()
    first = file(register, limits=limits)
    again = file(register, limits=limits, replay=True)  # a double click: same id, same content
    assert again.nomor == first.nomor and again.replayed
    assert len(rows(register)) == 1
    assert limits.count("ip:a", "sess:a", 0.0) == 1  # a replay is not counted
    assert fingerprint(fields()) == fingerprint(fields()) != fingerprint(fields(alamat="RT 03"))


def test_a_submission_whose_row_was_deleted_by_hand_tells_the_resident_and_writes_nothing(register):
    header = register.read_bytes().splitlines(keepends=True)[0]
    first = file(register)
    register.write_bytes(header)  # a petugas deletes the new row by hand
    audit = LocalFileSource(register).read_audit()
    with pytest.raises(Refused) as refused:
        file(register, replay=True)  # the resident's browser sends the same submission again
    assert refused.value.reason == "removed" and refused.value.nomor == first.nomor
    assert first.nomor in refused.value.message and "dihapus" in refused.value.message
    assert len(rows(register)) == 0 and LocalFileSource(register).read_audit() == audit


def test_a_second_complaint_passes_then_a_challenge_then_a_wait(register):
    limits = IntakeLimits()
    for i in range(CHALLENGE_AFTER):
        file(
            register,
            fields(isi_pengaduan=f"Pengaduan ke {i} tentang jalan berlubang"),
            sid=f"s{i}",
            limits=limits,
        )
    third = fields(isi_pengaduan="Pengaduan ketiga tentang saluran air mampet")
    with pytest.raises(Refused) as refused:
        file(register, third, sid="s3", limits=limits)
    assert refused.value.reason == "challenge"
    challenge = new_challenge(random.Random(1))
    with pytest.raises(Refused):
        file(register, third, sid="s3", limits=limits, challenge=challenge, challenge_answer="999")
    file(
        register, third, sid="s3", limits=limits, challenge=challenge, challenge_answer=str(challenge.answer)
    )
    # the session's fourth complaint passes (3 free, the 4th starts the wait), the fifth waits
    file(
        register,
        fields(isi_pengaduan="Keempat: pohon tumbang di jalan"),
        sid="s4",
        limits=limits,
        challenge=challenge,
        challenge_answer=str(challenge.answer),
    )
    with pytest.raises(Refused) as waiting:
        file(
            register,
            fields(isi_pengaduan="Kelima: sampah menumpuk di pasar"),
            sid="s5",
            limits=limits,
            challenge=challenge,
            challenge_answer=str(challenge.answer),
        )
    assert waiting.value.reason == "limit" and waiting.value.wait > 0
    # another session from another address is not affected
    file(
        register,
        fields(isi_pengaduan="Warga lain: jalan licin di tanjakan"),
        sid="s6",
        limits=limits,
        address="ip:b",
        session="sess:b",
    )
    assert len(rows(register)) == 5


def test_one_address_with_many_sessions_is_limited_too(register):
    limits = IntakeLimits()
    challenge = new_challenge(random.Random(2))
    answer = str(challenge.answer)
    for i in range(7):
        file(
            register,
            fields(isi_pengaduan=f"Pengaduan {i} dari satu warnet desa"),
            sid=f"w{i}",
            limits=limits,
            session=f"sess:{i}",
            challenge=challenge,
            challenge_answer=answer,
        )
    with pytest.raises(Refused) as refused:
        file(
            register,
            fields(isi_pengaduan="Pengaduan ke delapan dari warnet"),
            sid="w8",
            limits=limits,
            session="sess:8",
            challenge=challenge,
            challenge_answer=answer,
        )
    assert refused.value.reason == "limit"
    # a day later the address may file again
    file(
        register,
        fields(isi_pengaduan="Keesokan harinya: jalan rusak lagi"),
        sid="w9",
        limits=limits,
        session="sess:9",
        clock=2 * 86_400.0,
        challenge=challenge,
        challenge_answer=answer,
    )


def test_the_public_writer_may_only_append_for_the_registers_desas():
    viewer = public_viewer(DESAS)
    assert viewer.can_file("cibodas") and not viewer.can_file("Mekarsari")
    assert not viewer.can_write("Cibodas") and not viewer.is_staff
    assert public_viewer([]).can_file("Cibodas") is False


def test_a_proxy_or_lan_address_is_a_shared_address_for_every_session():
    behind_proxy = address_key("127.0.0.1", {}, trust_forwarded_for=False, session="abc")
    assert behind_proxy.startswith(SHARED_PREFIX)
    assert behind_proxy == address_key("127.0.0.1", {}, trust_forwarded_for=False, session="other")
    lan = address_key("10.0.0.7", {}, trust_forwarded_for=False, session="abc")
    assert lan.startswith(SHARED_PREFIX) and lan != behind_proxy
    # a documentation/real address is no proxy, although ``ipaddress`` calls TEST-NET private
    assert address_key("203.0.113.9", {}, trust_forwarded_for=False, session="abc").startswith("ip:")
    public = address_key("36.68.10.9", {}, trust_forwarded_for=False, session="abc")
    assert public.startswith("ip:") and public == address_key(
        "36.68.10.9", {}, trust_forwarded_for=False, session="x"
    )
    forwarded = address_key(
        "127.0.0.1", {"X-Forwarded-For": "198.51.100.4"}, trust_forwarded_for=True, session="abc"
    )
    assert forwarded.startswith("ip:") and forwarded != public


def test_a_flood_through_the_proxy_is_challenged_then_limited_and_the_refusal_says_why(register):
    """Behind nginx without trust_forwarded_for every visitor has the proxy's address: each fresh
    browser (a new session) used to file freely. Now the shared address is counted: more than a few
    complaints in the hour and every session gets the question; a flood meets the shared limit."""
    limits = IntakeLimits()
    proxy = address_key("127.0.0.1", {}, trust_forwarded_for=False, session="x")
    for i in range(SHARED_CHALLENGE_AFTER):  # a few residents, one after another: no question
        file(
            register,
            fields(isi_pengaduan=f"Warga {i}: jalan rusak"),
            sid=f"p{i}",
            limits=limits,
            address=proxy,
            session=f"fresh:{i}",
            clock=float(i),
        )
    assert not limits.needs_challenge(proxy, "fresh:new", 10.0)
    file(
        register,
        fields(isi_pengaduan="Warga ke empat: lampu mati"),
        sid="p4",
        limits=limits,
        address=proxy,
        session="fresh:4",
        clock=20.0,
    )
    with pytest.raises(Refused) as refused:  # a fresh browser context does not escape
        file(
            register,
            fields(isi_pengaduan="Kiriman robot tentang jalan berlubang"),
            sid="p5",
            limits=limits,
            address=proxy,
            session="fresh:5",
            clock=30.0,
        )
    assert refused.value.reason == "challenge" and "jaringan" in refused.value.message
    assert not limits.needs_challenge(proxy, "fresh:later", 30.0 + 3601.0)  # the hour passed
    challenge = new_challenge(random.Random(3))
    answer = str(challenge.answer)
    filed = 4
    with pytest.raises(Refused) as limited:
        for i in range(100):
            file(
                register,
                fields(isi_pengaduan=f"Banjir kiriman {i}"),
                sid=f"f{i}",
                limits=limits,
                address=proxy,
                session=f"flood:{i}",
                clock=40.0 + i,
                challenge=challenge,
                challenge_answer=answer,
            )
            filed += 1
    assert limited.value.reason == "limit" and limited.value.scope == "shared"
    assert "jaringan ini" in limited.value.message and limited.value.wait > 0
    assert 6 < filed <= 41  # more than the per-address limit of one household, yet bounded


def test_an_untrusted_forwarded_header_from_a_proxy_is_warned_about_once(caplog):
    caplog.set_level("WARNING", logger="pantau.public_intake")
    public_intake._warned_forwarded.clear()
    for session in ("a", "b"):
        address_key(
            "127.0.0.1", {"X-Forwarded-For": "36.68.10.9"}, trust_forwarded_for=False, session=session
        )
    warnings = [r.getMessage() for r in caplog.records if r.name == "pantau.public_intake"]
    assert len(warnings) == 1 and "trust_forwarded_for" in warnings[0]
