"""Online intake in the app: the public *Sampaikan Pengaduan* form (``services.public_intake``),
the Google Form merge on refresh for petugas/admin and its list of responses to complete
(``services.intake``).

Form state lives in ``st.session_state`` under ``sampaikan_*``. One submission id per form content
(``sampaikan_kiriman``) is kept until it succeeded; the last success is remembered with its content
fingerprint, so the same content sent again (a double click, a rerun) is filed with the same id and
``record_complaint`` returns the same Nomor without writing. Every text a resident typed is shown as
plain text (``st.text`` / ``plain``), never Markdown or HTML.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import plain
from dashboard.data import LOADED_HASH, LoadedRegister, load_register, local_now, make_source, reload_register
from dashboard.i18n import t, tr
from dashboard.receipts import receipt_pdf
from dashboard.settings import Settings, current_settings, settings_on
from data_sources.form_responses import response_sheet_for
from metrics.errors import PantauError
from metrics.messages import lacak_link
from services.access import WRITE_ROLES, Viewer, in_desa
from services.complaints import new_submission_id
from services.intake import IntakeReport, merge_responses, register_desas
from services.intake_config import intake_config
from services.public_intake import (
    Challenge,
    IntakeLimits,
    Refused,
    address_key,
    file_public_complaint,
    fingerprint,
    new_challenge,
)
from services.store_source import public_desas

_log = logging.getLogger("pantau.intake")

KEY = "sampaikan"
_HONEYPOT = f"{KEY}_situs"
_TEXT_FIELDS = ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan")

_REFUSALS = {
    "honeypot": (
        "Kiriman ini tidak diproses karena isian tersembunyi (untuk menyaring robot) ikut terisi. Bila Anda "
        "bukan robot, muat ulang halaman lalu kirim lagi.",
        "This submission was not processed because a hidden field (a robot filter) was filled. If you are "
        "not a robot, reload the page and send it again.",
    ),
    "consent": (
        "Pengaduan belum dikirim: centang persetujuan pemrosesan data pribadi. Tanpa persetujuan itu (UU No. "
        "27 Tahun 2022 tentang Pelindungan Data Pribadi) data Anda tidak boleh kami simpan.",
        "Not sent: tick the consent to process personal data. Without it (Law 27/2022 on Personal Data "
        "Protection) we may not store your data.",
    ),
    "invalid": (
        "Pengaduan belum dikirim: perbaiki isian yang ditandai.",
        "Not sent: fix the marked fields.",
    ),
    "challenge": (
        "Pengaduan belum dikirim: jawaban soal hitungan belum benar. Soal ini muncul setelah beberapa "
        "pengaduan dari perangkat atau jaringan yang sama; jawab lalu kirim lagi.",
        "Not sent: the answer to the sum is not right. The question appears after several complaints "
        "from the same device or network; answer it and send again.",
    ),
    "unavailable": (
        "Pengaduan Anda belum dapat disimpan saat ini. Mohon hubungi kantor desa untuk menyampaikannya; "
        "isian Anda masih ada di formulir ini.",
        "Your complaint cannot be saved right now. Please contact the village office to file it; your "
        "input is still in this form.",
    ),
    "removed": (
        "Pengaduan ini sudah pernah kami terima dengan Nomor {n}, tetapi sejak itu telah dihapus dari "
        "register oleh petugas. Kiriman yang sama tidak dicatat ulang. Hubungi kantor desa untuk "
        "menanyakannya, atau kirim lagi bila Anda ingin mengadukannya sebagai pengaduan baru.",
        "This complaint was received before as number {n}, but the officers have since removed it from "
        "the register. The same submission is not recorded again. Ask the village office about it, or "
        "send it again if you want to file it as a new complaint.",
    ),
}


@st.cache_resource
def intake_limits() -> IntakeLimits:
    """Submission counts per address and per session, shared by every session of this server."""
    return IntakeLimits()


def _session_key() -> str:
    return st.session_state.setdefault(f"{KEY}_sesi", uuid.uuid4().hex)


def _address_key() -> str:
    return address_key(
        st.context.ip_address,
        dict(st.context.headers or {}),
        trust_forwarded_for=current_settings().trust_forwarded_for,
        session=_session_key(),
    )


def _desas(settings: Settings, loaded: LoadedRegister) -> list[str]:
    return list(settings.desa_names) or register_desas(loaded.register)


def _hide_honeypot() -> None:
    # the field stays in the page for robots that fill every input; people never see it
    st.html(
        f"<style>.st-key-{_HONEYPOT} {{position:absolute; left:-10000px; height:0; overflow:hidden}}</style>"
    )


def _reset_form() -> None:
    """Empty the form after a success (values assigned, not deleted: see complaint_forms)."""
    state = st.session_state
    for name in _TEXT_FIELDS:
        state[f"{KEY}_f_{name}"] = ""
    state[f"{KEY}_f_kategori"] = None
    state[f"{KEY}_f_rahasia"] = False
    state[f"{KEY}_f_setuju"] = False
    state[f"{KEY}_f_soal"] = ""
    state[_HONEYPOT] = ""


def _field_errors(problems: dict[str, list[str]], key: str) -> None:
    for message in problems.get(key, []):
        st.error(tr(message), icon=":material/error:")


def show_public_intake_page() -> None:
    """Sampaikan Pengaduan (public)."""
    st.title(t("Sampaikan Pengaduan", "File a complaint"))
    settings = current_settings()
    if not settings.public_intake:
        st.info(
            t(
                "Pengaduan daring belum dibuka di sini. Sampaikan pengaduan langsung ke kantor desa.",
                "Online complaints are not open here. Please file your complaint at the village office.",
            ),
            icon=":material/block:",
        )
        return
    if st.session_state.pop(f"{KEY}_reset", False):
        _reset_form()
    done = st.session_state.get(f"{KEY}_hasil")
    if done:
        _show_filed(done, settings)
    # a synced kabupaten: every synced desa, the form on the chosen desa's SOP profile
    try:
        placed = public_desas(settings)
    except PantauError:  # bad [sync] settings / store: loading the register below says so
        placed = {}
    if placed:
        settings = _desa_choice(settings, placed)
    try:
        loaded = load_register(settings)
    except PantauError:
        st.error(
            t(
                "Pengaduan daring sedang tidak dapat diterima. Coba lagi nanti atau datang ke kantor desa.",
                "Online complaints cannot be received right now. Try again later or visit the village office.",
            )
        )
        return
    desas = [d for d, p in placed.items() if p == settings.profile_id] if placed else _desas(settings, loaded)
    _form(loaded, settings, desas, desa_in_form=not placed)


def _desa_select(desas: Sequence[str]) -> None:
    st.selectbox(
        t("Desa *", "Village *"),
        desas,
        index=None,
        key=f"{KEY}_f_desa",
        placeholder=t("Pilih desa", "Choose a village"),
    )


def _desa_choice(settings: Settings, placed: dict[str, str]) -> Settings:
    """The desa chosen above the form (its SOP decides the form's fields): the settings on its profile."""
    _desa_select(sorted(placed))
    _field_errors(st.session_state.get(f"{KEY}_problems", {}), "desa")
    chosen = st.session_state.get(f"{KEY}_f_desa")
    return settings_on(placed[chosen]) if chosen in placed else settings


def _form(loaded: LoadedRegister, settings: Settings, desas: Sequence[str], *, desa_in_form: bool) -> None:
    profile = loaded.profile
    required = set(profile.required_elements) | {"isi_pengaduan"}
    problems: dict[str, list[str]] = st.session_state.get(f"{KEY}_problems", {})
    needs_challenge = intake_limits().needs_challenge(_address_key(), _session_key(), auth.clock())
    if needs_challenge and not isinstance(st.session_state.get(f"{KEY}_tantangan"), Challenge):
        st.session_state[f"{KEY}_tantangan"] = new_challenge()
    challenge = st.session_state.get(f"{KEY}_tantangan") if needs_challenge else None
    st.write(
        t(
            "Isi formulir ini untuk menyampaikan pengaduan kepada pemerintah desa. Anda akan mendapat "
            "**Nomor pengaduan** dan tanda terima untuk melacak perkembangannya.",
            "Fill in this form to file a complaint with the village government. You get a **complaint "
            "number** and a receipt to track it.",
        )
    )
    _hide_honeypot()

    def label(key: str, indonesian: str, english: str) -> str:
        return t(indonesian, english) + (" *" if key in required else "")

    with st.form(f"{KEY}_form", clear_on_submit=False, enter_to_submit=False):
        if desa_in_form:
            _desa_select(desas)
            _field_errors(problems, "desa")
        st.checkbox(
            t(
                "Rahasiakan identitas saya (nama, alamat dan no. HP boleh dikosongkan; tanpa no. HP "
                "pengaduan tidak dapat dilacak daring)",
                "Keep my identity confidential (name, address and phone may be left empty; without a "
                "phone the complaint cannot be tracked online)",
            ),
            key=f"{KEY}_f_rahasia",
        )
        st.text_input(label("nama_pelapor", "Nama", "Name"), key=f"{KEY}_f_nama_pelapor")
        _field_errors(problems, "nama_pelapor")
        st.text_input(label("alamat", "Alamat", "Address"), key=f"{KEY}_f_alamat")
        _field_errors(problems, "alamat")
        st.text_input(
            label("no_hp", "No. HP/WhatsApp", "Phone/WhatsApp"), key=f"{KEY}_f_no_hp", placeholder="0812…"
        )
        _field_errors(problems, "no_hp")
        categories = {term.key: term.label for term in profile.categories}
        st.selectbox(
            t("Kategori (boleh dikosongkan)", "Category (optional)"),
            list(categories),
            index=None,
            format_func=categories.get,
            key=f"{KEY}_f_kategori",
            placeholder=t("Tidak tahu / biarkan petugas memilih", "Don't know / leave it to the officer"),
        )
        st.text_area(
            label(
                "isi_pengaduan",
                "Isi pengaduan (apa, di mana, sejak kapan)",
                "Your complaint (what, where, since when)",
            ),
            key=f"{KEY}_f_isi_pengaduan",
            height=160,
        )
        _field_errors(problems, "isi_pengaduan")
        st.text_input(
            t("Situs web (jangan diisi)", "Website (leave empty)"),
            key=_HONEYPOT,
            label_visibility="collapsed",
        )
        if isinstance(challenge, Challenge):
            st.text_input(
                t("Soal pengaman: berapa {q}?", "Safety question: what is {q}?").format(q=challenge.question),
                key=f"{KEY}_f_soal",
            )
        st.checkbox(
            t(
                "Saya setuju data pribadi saya diproses oleh pemerintah desa hanya untuk menangani pengaduan "
                "ini, sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi. *",
                "I agree that the village government processes my personal data only to handle this "
                "complaint, under Law No. 27 of 2022 on Personal Data Protection. *",
            ),
            key=f"{KEY}_f_setuju",
        )
        submitted = st.form_submit_button(
            t("Kirim pengaduan", "Send complaint"), type="primary", icon=":material/send:"
        )
    st.caption(t("Tanda \\* = wajib diisi.", "Marked \\* = required."))
    if submitted:
        _submit(loaded, settings, desas, challenge if isinstance(challenge, Challenge) else None)


def _submit(
    loaded: LoadedRegister, settings: Settings, desas: Sequence[str], challenge: Challenge | None
) -> None:
    state = st.session_state
    fields = {name: state.get(f"{KEY}_f_{name}") or "" for name in (*_TEXT_FIELDS, "desa", "kategori")}
    fields["rahasia"] = bool(state.get(f"{KEY}_f_rahasia"))
    content = fingerprint(fields)
    last = state.get(f"{KEY}_terakhir") or {}
    replay = last.get("isi") == content
    submission_id = last["kiriman"] if replay else state.setdefault(f"{KEY}_kiriman", new_submission_id())
    profile = loaded.profile
    now = local_now(profile).to_pydatetime()
    try:
        filed = file_public_complaint(
            make_source(settings),
            loaded.register,
            profile,
            desas,
            fields,
            now,
            consent=bool(state.get(f"{KEY}_f_setuju")),
            honeypot=str(state.get(_HONEYPOT) or ""),
            submission_id=submission_id,
            replay=replay,
            limits=intake_limits(),
            address=_address_key(),
            session=_session_key(),
            clock=auth.clock(),
            challenge=challenge,
            challenge_answer=str(state.get(f"{KEY}_f_soal") or ""),
        )
    except Refused as refusal:
        state[f"{KEY}_problems"] = refusal.field_problems
        state.pop(f"{KEY}_hasil", None)  # the earlier "diterima" notice is not about this one
        if refusal.reason == "limit":
            whose = {
                "session": t("perangkat ini", "this device"),
                "shared": t(
                    "jaringan ini (dipakai bersama banyak pengunjung)",
                    "this network (shared by many visitors)",
                ),
            }.get(refusal.scope, t("alamat internet ini", "this internet address"))
            st.warning(
                t(
                    "Sudah banyak pengaduan terkirim dari {w}. Tunggu {s} detik, atau "
                    "sampaikan langsung ke kantor desa.",
                    "Many complaints were sent from {w}. Wait {s} seconds, or file it at the village office.",
                ).format(w=whose, s=int(refusal.wait + 0.999)),
                icon=":material/hourglass_top:",
            )
        else:
            known = _REFUSALS.get(refusal.reason)
            shown = t(*known) if known else tr(refusal)
            st.error(shown.replace("{n}", plain(refusal.nomor)), icon=":material/error:")
        if refusal.reason == "removed":
            # final for this submission: sending again is a new complaint with a new id
            for name in ("kiriman", "terakhir", "hasil"):
                state.pop(f"{KEY}_{name}", None)
        if refusal.reason == "invalid":
            st.rerun()  # show each problem under its field
        return
    except PantauError as error:
        st.error(plain(tr(error)), icon=":material/error:")
        st.info(t("Isian Anda tidak hilang; coba kirim lagi.", "Your input is kept; try sending again."))
        return
    pdf = receipt_pdf(
        {**filed.cells, "nomor": filed.nomor},
        profile,
        petugas=t("(diterima melalui formulir daring)", "(received through the online form)"),
        kecamatan=settings.kecamatan,
        kabupaten=settings.kabupaten,
        printed_at=now,
        public_url=settings.public_url,
    )
    state.pop(f"{KEY}_kiriman", None)
    state.pop(f"{KEY}_problems", None)
    state.pop(f"{KEY}_tantangan", None)
    state[f"{KEY}_terakhir"] = {"isi": content, "kiriman": submission_id, "nomor": filed.nomor}
    state[f"{KEY}_hasil"] = {"nomor": filed.nomor, "pdf": pdf, "telepon": bool(filed.cells.get("no_hp"))}
    state[f"{KEY}_reset"] = True
    reload_register()
    st.rerun()


def _show_filed(done: dict, settings: Settings) -> None:
    nomor = str(done["nomor"])
    st.success(
        t(
            "Pengaduan Anda diterima dengan Nomor **{n}**. Simpan Nomor ini dan tanda terimanya.",
            "Your complaint was received as number **{n}**. Keep this number and the receipt.",
        ).format(n=plain(nomor)),
        icon=":material/check_circle:",
    )
    st.download_button(
        t("Unduh tanda terima (PDF)", "Download receipt (PDF)"),
        data=done["pdf"],
        file_name=f"tanda_terima_{nomor.replace('/', '-')}.pdf",
        mime="application/pdf",
        icon=":material/receipt_long:",
        key=f"{KEY}_unduh",
    )
    if not done.get("telepon"):
        st.caption(
            t(
                "Tanpa nomor HP pengaduan tidak dapat dilacak daring: tanyakan ke kantor desa dengan Nomor ini.",
                "Without a phone number the complaint cannot be tracked online: ask the village office with this number.",
            )
        )
    elif settings.public_url:
        st.markdown(
            t(
                "Lacak di {u} dengan Nomor dan 4 angka terakhir no. HP Anda.",
                "Track it at {u} with the number and the last 4 digits of your phone.",
            ).format(u=plain(lacak_link(settings.public_url, nomor)))
        )
    else:
        st.page_link(
            "app_pages/lacak_pengaduan.py",
            query_params={"nomor": nomor},
            label=t(
                "Lacak Pengaduan (Nomor + 4 angka terakhir no. HP)",
                "Track a complaint (number + last 4 phone digits)",
            ),
            icon=":material/search:",
        )


# ---------------------------------------------------------------------------- Google Form


@st.cache_resource(show_spinner=False, ttl=3600, max_entries=8, hash_funcs=LOADED_HASH)
def _merged_for(loaded: LoadedRegister, settings: Settings) -> IntakeReport | None:
    """One merge per loaded register (a reload or the cache TTL gives a new one): on a refresh with
    nothing new it costs one read of the response sheet."""
    return _merge(loaded, settings)


def _merge(loaded: LoadedRegister, settings: Settings) -> IntakeReport | None:
    """The merge's report; a failure (the register locked, the network down, an unforeseen error)
    becomes a report error shown on Kualitas Data, never a crashed page for the petugas."""
    config = intake_config(settings.secrets.get("intake"))
    try:
        source = make_source(settings)
        sheet = response_sheet_for(source, config.worksheet, config.spreadsheet)
        report = merge_responses(
            source,
            sheet,
            loaded.register,
            loaded.profile,
            config,
            desas=_desas(settings, loaded),
            now=local_now(loaded.profile).to_pydatetime(),
        )
    except PantauError as error:
        report = IntakeReport(config.worksheet, errors=[_merge_failed(tr(error))])
    except Exception as error:  # the page must load: logged for the admin, said to the petugas
        _log.exception("Google Form merge failed")
        report = IntakeReport(config.worksheet, errors=[_merge_failed(type(error).__name__)])
    return report


def _merge_failed(reason: str) -> str:
    return t(
        "Respons Google Form belum dapat digabung ({r}); dicoba lagi pada muat ulang berikutnya. "
        "Register tetap dapat dipakai.",
        "Google Form responses could not be merged ({r}); tried again on the next reload. The register "
        "can still be used.",
    ).format(r=reason)


def merge_on_refresh(loaded: LoadedRegister, viewer: Viewer) -> LoadedRegister:
    """For petugas/admin: merge new Google Form responses once per loaded register (``[intake]
    saat_muat_ulang``); when some came in, the register is read again."""
    settings = current_settings()
    if viewer.role not in WRITE_ROLES or not intake_config(settings.secrets.get("intake")).on_refresh:
        return loaded
    report = _merged_for(loaded, settings)
    st.session_state["intake_laporan"] = report
    if report is not None and report.merged:
        st.toast(
            t(
                "{n} pengaduan baru dari Google Form masuk register.",
                "{n} new complaints came in from the Google Form.",
            ).format(n=len(report.merged)),
            icon=":material/move_to_inbox:",
        )
        reload_register()
        return load_register()
    return loaded


def show_intake_pending(viewer: Viewer) -> None:
    """Kualitas Data (petugas/admin): form responses waiting to be completed, header problems."""
    report = st.session_state.get("intake_laporan")
    if viewer.role not in WRITE_ROLES or not isinstance(report, IntakeReport) or not report.found:
        return
    st.subheader(t("Respons Google Form", "Google Form responses"), anchor=False)
    for problem in [*report.problems, *report.errors]:
        st.warning(plain(tr(problem)), icon=":material/warning:")
    pending = report.pending
    if viewer.desa:
        mine = in_desa(pd.DataFrame({"desa": [p.desa for p in pending]}), viewer.desa)
        pending = [p for p, keep in zip(pending, mine, strict=True) if keep]
    if not pending:
        st.caption(t("Tidak ada respons yang menunggu dilengkapi.", "No response waits to be completed."))
        return
    st.caption(
        t(
            "Respons ini belum masuk register karena unsurnya belum lengkap. Lengkapi di sheet '{s}' (atau "
            "catat lewat Catat Pengaduan Baru); respons yang sudah lengkap masuk pada muat ulang berikutnya.",
            "These responses are not in the register yet because elements are missing. Complete them in "
            "sheet '{s}' (or record them in Record a new complaint); complete ones come in on the next reload.",
        ).format(s=plain(report.sheet))
    )
    for item in pending:
        st.text(
            f"{t('Baris', 'Row')} {item.row} · {item.received or '–'} · {item.desa or '–'}: "
            + "; ".join(tr(p) for p in item.problems)
        )


__all__ = ["merge_on_refresh", "show_intake_pending", "show_public_intake_page"]
