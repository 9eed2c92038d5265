"""Role × page × desa: no escape. Identities come from ``at.user`` (OIDC) mapped by ``[roles]``.

- the menu shows a role only its pages (``switch_page`` to any other page fails);
- every page refuses a role it is not for when run directly (server-side re-check);
- masked roles never see a phone number or a demo reporter's name anywhere on a page;
- a kepala desa of Cibodas never sees another desa's complaint numbers;
- the public lookup: right pair shows the stage, wrong pair reveals nothing, tries are slowed.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.access import Viewer, aggregate_only, for_viewer
from dashboard.navigation import PAGES, pages_for
from data_sources.demo import DEMO_DESAS, FIRST_NAMES, LAST_NAMES
from data_sources.local_file import LocalFileSource
from metrics.privacy import HIDDEN
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.app_helpers import APP_PATH

REPO = Path(APP_PATH).parent
DESAS = tuple(d.name for d in DEMO_DESAS)
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
}
IDENTITIES = {
    "admin": ("admin@sukamaju.desa.id", {"role": "admin"}),
    "kecamatan": ("camat@sukamaju.desa.id", {"role": "kecamatan"}),
    "kepala_desa": ("kades@cibodas.desa.id", {"role": "kepala_desa", "desa": ["Cibodas"]}),
    "petugas": ("petugas@cibodas.desa.id", {"role": "petugas", "desa": ["Cibodas"]}),
    "kabupaten": ("pmd@kabupaten.go.id", {"role": "kabupaten"}),
}
SECRETS = {
    "auth": AUTH,
    "roles": {email: entry for email, entry in IDENTITIES.values()},
    "wilayah": {"kecamatan": "Sukamaju", "desa": list(DESAS)},
}
# Not inside a word: element ids and chart data are hex/decimal strings that may hold "08…"
# (a run once failed on "088924817", which is no phone number of the demo register); a shown
# phone number stands on its own.
PHONE = re.compile(r"(?<![\w.,])(?:08|\+62 ?8)\d[\d -]{6,}")
NAME = re.compile(
    r"\b(" + "|".join(f"{f} {last}" for f, last in itertools.product(FIRST_NAMES, LAST_NAMES)) + r")\b"
)
OTHER_DESA_NOMOR = re.compile(
    r"\b(" + "|".join(d.code for d in DEMO_DESAS if d.name != "Cibodas") + r")/\d{4}/\d{2}/\d{4}"
)
DENIED = re.compile("tidak berwenang|perlu login")
# Example numbers in help texts ("Tulis seperti 081234567890 atau +62 812-3456-7890"), not data.
EXAMPLE_PHONES = ("081234567890", "+62 812-3456-7890")


def _user(role: str) -> dict:
    if role == "public":
        return {"is_logged_in": False}
    email, _ = IDENTITIES[role]
    return {"is_logged_in": True, "email": email, "name": role.title()}


def _app(role: str, secrets: dict | None = None, script: str = APP_PATH) -> AppTest:
    at = AppTest.from_file(script, default_timeout=90)
    at.secrets = dict(secrets or SECRETS)
    at.user = _user(role)
    return at


def rendered_text(at: AppTest) -> str:
    """Everything a page put on screen: element protos (text, charts, tables) and table values."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        if type(node).__name__ == "Dataframe":
            parts.append(node.value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    text = "\n".join(parts)
    for example in EXAMPLE_PHONES:
        text = text.replace(example, "<contoh>")
    return text


def _denied(at: AppTest) -> bool:
    return (
        any(DENIED.search(e.value) for e in at.error) and not at.title and not at.dataframe and not at.metric
    )


# ------------------------------------------------------------------------------------------
# Menu


@pytest.mark.parametrize("role", ["public", "admin", "kecamatan", "kepala_desa", "petugas", "kabupaten"])
def test_menu_shows_only_the_roles_pages(role):
    shown = pages_for(role, public_overview=False)
    assert all(role in spec.roles for spec in shown)
    if role == "public":
        assert {s.url for s in shown} == {"lacak", "masuk"}
    elif role == "kabupaten":  # the kabupaten pages, and what every account has
        assert {s.url for s in shown} == {"perbandingan-kecamatan", "laporan-kabupaten", "lacak", "masuk"}
    else:
        assert "ringkasan" in {s.url for s in shown}


def test_public_overview_adds_only_the_aggregate_overview():
    assert {s.url for s in pages_for("public", public_overview=True)} == {"ringkasan", "lacak", "masuk"}


def test_public_sees_no_register_pages(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _app("public")
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Lacak Pengaduan"]
    for spec in PAGES:
        if "public" not in spec.roles:
            # reachable by its link (so a bookmark asks for a login), but it refuses and shows nothing
            at.switch_page(spec.path).run()
            assert not at.exception, at.exception
            assert _denied(at), spec.url
            assert any("perlu login" in e.value for e in at.error)


# ------------------------------------------------------------------------------------------
# Every page × role


@pytest.mark.parametrize("role", ["public", "admin", "kecamatan", "kepala_desa", "petugas", "kabupaten"])
def test_role_page_matrix(role, demo_register_path, register_env):
    register_env(demo_register_path)
    problems: list[str] = []
    for spec in PAGES:
        if role in spec.roles:
            at = _app(role)
            at.run()
            at.switch_page(spec.path).run()
            if at.exception:
                problems.append(f"{spec.url}: exception {at.exception[0].message}")
                continue
            if _denied(at):
                problems.append(f"{spec.url}: refused a role it is listed for")
            text = rendered_text(at)
            if role in ("kecamatan", "kepala_desa", "public", "kabupaten"):
                if found := PHONE.search(text):
                    problems.append(f"{spec.url}: phone number {found.group()!r} shown to {role}")
                if found := NAME.search(text):
                    problems.append(f"{spec.url}: reporter name {found.group()!r} shown to {role}")
            if role in ("kepala_desa", "petugas") and (found := OTHER_DESA_NOMOR.search(text)):
                problems.append(
                    f"{spec.url}: other desa's complaint {found.group()!r} shown to {role} of Cibodas"
                )
        else:
            # Not in the menu; run the page file directly: it must refuse on its own.
            at = _app(role, script=str(REPO / spec.path))
            at.run()
            if at.exception:
                problems.append(f"{spec.url} (direct): exception {at.exception[0].message}")
            elif not _denied(at):
                problems.append(f"{spec.url} (direct): not refused for {role}")
    assert not problems, "\n".join(problems)


def test_public_overview_on_demo_shows_figures_only(demo_register_path, monkeypatch):
    monkeypatch.delenv("PANTAU_REGISTER", raising=False)
    monkeypatch.setattr("dashboard.settings.DEMO_REGISTER_PATH", demo_register_path)
    at = AppTest.from_file(APP_PATH, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Ringkasan Pengaduan"]
    assert at.metric, "aggregate figures shown"
    assert not at.dataframe
    text = rendered_text(at)
    assert not PHONE.search(text) and not NAME.search(text)
    assert "Sumber:" not in text, "the public does not see where the register lives"
    assert any(
        c.value == "Kecamatan Sukamaju · register demo: data rekaan, bukan pengaduan sungguhan"
        for c in at.caption
    ), "the overview names the kecamatan and says the demo data is made up"


def test_public_overview_off_for_a_real_register(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _app("public", script=str(REPO / "app_pages/ringkasan.py"))
    at.run()
    assert _denied(at)


# ------------------------------------------------------------------------------------------
# Scoping and masking (what pages get from dashboard.access.scoped / for_viewer)


@pytest.fixture(scope="module")
def demo_complaints(demo_register_path) -> pd.DataFrame:
    profile = load_profile("umum")
    return normalise_register(
        LocalFileSource(demo_register_path).read(), profile, desa_names=DESAS
    ).complaints


def _phones(frame: pd.DataFrame) -> str:
    return frame[["nama_pelapor", "alamat", "no_hp"]].astype("string").fillna("").to_csv()


@pytest.mark.parametrize(
    ("viewer", "desas", "full_pii"),
    [
        (Viewer("c", "kecamatan"), set(DESAS), False),
        (Viewer("k", "kepala_desa", ("Cibodas",)), {"Cibodas"}, False),
        (Viewer("p", "petugas", ("Cibodas",)), {"Cibodas"}, True),
        (Viewer("a", "admin"), set(DESAS), True),
        (Viewer("", "public"), set(), False),
    ],
)
def test_for_viewer_scopes_and_masks(demo_complaints, viewer, desas, full_pii):
    seen = for_viewer(demo_complaints, viewer)
    if viewer.desa or viewer.role == "public":
        assert set(seen["desa"].dropna()) <= desas
    else:
        assert len(seen) == len(demo_complaints)
    secret = seen["rahasia"].astype(bool)
    if viewer.role == "petugas":
        pd.testing.assert_series_equal(
            seen["no_hp"], demo_complaints.loc[seen.index, "no_hp"].astype("string"), check_names=False
        )
    elif full_pii:  # admin: everything but Rahasia complaints in full
        assert (
            seen.loc[~secret, "no_hp"].astype("string").fillna("")
            == demo_complaints.loc[seen.index[~secret], "no_hp"].astype("string").fillna("")
        ).all()
        assert (seen.loc[secret & seen["no_hp"].notna(), "no_hp"] == HIDDEN).all()
        assert secret.any()
    else:
        assert not PHONE.search(_phones(seen))
        assert not NAME.search(_phones(seen))


def test_aggregate_only_hides_all_text(demo_complaints):
    hidden = aggregate_only(demo_complaints)
    assert len(hidden) == len(demo_complaints)
    blob = _phones(hidden) + hidden["isi_pengaduan"].astype("string").fillna("").to_csv()
    assert not PHONE.search(blob) and not NAME.search(blob)


# ------------------------------------------------------------------------------------------
# Lacak Pengaduan through the app


def _pair(complaints: pd.DataFrame, answered: bool) -> tuple[str, str, pd.Series]:
    phone = complaints["no_hp"].astype("string")
    usable = phone.str.fullmatch(r"08\d{8,}").fillna(False) & complaints["nomor"].notna()
    done = complaints["tanggal_jawaban"].notna() & complaints["hasil_tindak_lanjut"].notna()
    row = complaints[
        usable & (done if answered else ~done) & ~complaints["nomor"].duplicated(keep=False)
    ].iloc[0]
    return str(row["nomor"]), str(row["no_hp"])[-4:], row


def _lookup(at: AppTest, nomor: str, last4: str) -> AppTest:
    at.text_input(key="lacak_nomor").input(nomor)
    at.text_input(key="lacak_hp").input(last4)
    next(b for b in at.button if b.label == "Lacak").click().run()
    return at


@pytest.fixture
def lookup_app(demo_register_path, register_env, monkeypatch):
    register_env(demo_register_path)
    now = [5_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    at = _app("public")
    at.run()
    assert [t.value for t in at.title] == ["Lacak Pengaduan"]
    return at, now


def test_lookup_right_pair_shows_stage_and_answer(lookup_app, demo_complaints):
    at, _ = lookup_app
    nomor, last4, row = _pair(demo_complaints, answered=True)
    _lookup(at, nomor.lower().replace("/", " / "), last4)
    assert not at.exception, at.exception
    assert at.subheader[0].value.replace("\\", "").endswith(nomor)
    assert "Tahap sekarang" in [c.value for c in at.caption]
    stage = at.subheader[1].value.replace("\\", "")
    assert stage in {s.label for s in load_profile("umum").stages} and "…" not in stage
    # shown as plain text: Markdown characters escaped
    assert row["hasil_tindak_lanjut"] in [i.value.replace("\\", "") for i in at.info]
    text = rendered_text(at)
    assert not PHONE.search(text) and not NAME.search(text)
    assert str(row["isi_pengaduan"]) not in text


def test_lookup_open_complaint_shows_no_answer(lookup_app, demo_complaints):
    at, _ = lookup_app
    nomor, last4, _ = _pair(demo_complaints, answered=False)
    _lookup(at, nomor, last4)
    assert at.subheader and not any(i.value in ("",) for i in at.info)
    assert not [i for i in at.info if "Sudah" in i.value or "Pelapor" in i.value]


def test_wrong_pair_reveals_nothing(lookup_app, demo_complaints):
    at, _ = lookup_app
    nomor, last4, _ = _pair(demo_complaints, answered=True)
    wrong = f"{(int(last4) + 1) % 10000:04d}"
    _lookup(at, nomor, wrong)
    existing = [e.value for e in at.error]
    _lookup(at, "CBD/1999/01/9999", last4)
    unknown = [e.value for e in at.error]
    assert existing == unknown and len(existing) == 1
    assert "hubungi kantor desa" in existing[0]
    assert not at.subheader and not at.metric


def test_repeated_wrong_tries_are_slowed(lookup_app, demo_complaints):
    at, now = lookup_app
    nomor, last4, _ = _pair(demo_complaints, answered=True)
    for attempt in range(4):
        _lookup(at, f"CBD/1999/01/{attempt:04d}", "0000")
    assert any("Tunggu" in w.value for w in at.warning)
    _lookup(at, nomor, last4)  # even the right pair waits now
    assert not at.subheader and any("Tunggu" in w.value for w in at.warning)
    now[0] += 11
    _lookup(at, nomor, last4)
    assert at.subheader, "after the wait the right pair works"
