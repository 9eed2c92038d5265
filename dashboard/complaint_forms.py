"""Catat Pengaduan Baru and Perbarui Pengaduan: the two write forms (UI only).

The writes themselves (``record_complaint``, ``apply_update``: access re-checked, input
validated again, exactly-once by submission id) are in ``services.complaints``.

Each form instance has one submission id (uuid4 hex) in ``st.session_state``
(``catat_kiriman``, ``perbarui_f|<Nomor>|kiriman``), kept until that submission succeeded: a
double click, a rerun or a retry sends the same id again and the source recognises the replay.

Widget values live in ``st.session_state`` under fixed keys (``catat_*``, ``perbarui_*|<Nomor>``),
so a refused write (someone else changed the complaint, the sheet is unreachable) keeps what the
petugas typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import pandas as pd
import streamlit as st

from dashboard.access import current_viewer
from dashboard.answer_views import answer_template_picker
from dashboard.components import plain
from dashboard.data import LoadedRegister, local_now, make_source, reload_register
from dashboard.i18n import DATE_FORMAT, choose, language, t, tr
from dashboard.pause_views import pause_fields
from dashboard.queue_views import OPEN_DESA, OPEN_NOMOR, due_times_display
from dashboard.receipt_views import show_receipt_download
from dashboard.receipts import receipt_document
from dashboard.record_status_views import (
    duplicate_signature,
    show_duplicate_question,
    show_mark_form,
    show_marked,
)
from dashboard.settings import Settings, current_settings
from dashboard.shell import page_register
from data_sources.base import AlreadyRecorded, ConcurrentChange, SourceError
from metrics.columns import column_key, column_label
from metrics.complaint_updates import (
    RowSnapshot,
    StageUpdate,
    allowed_next_stages,
    answer_message,
    clean_input,
    current_stage,
    desa_code,
    find_term,
    new_complaint_problems,
    next_nomor,
    nomor_key,
    normalise_phone,
    skipped_stages,
    update_problems,
    whatsapp_link,
)
from metrics.errors import PantauError
from metrics.profiles import Profile
from services.access import WRITE_ROLES, Viewer, complaint_for_viewer
from services.complaints import (
    NothingChanged,
    apply_update,
    new_submission_id,
    nomor_desas,
    open_choices,
    read_snapshot,
    record_complaint,
    sheet_hint,
    writable_desas,
)
from services.documents import DocumentSettings
from services.queue import complaint_due_times
from services.record_status import duplicates_of_new
from services.store_source import StoreBackedSource, sync_settings_of

# --------------------------------------------------------------------------------------------
# Streamlit glue


CATAT_SUBMISSION = "catat_kiriman"


def _refuse(viewer: Viewer) -> None:
    if viewer.role == "public":
        st.info(
            t(
                "Belum ada pengguna yang masuk. Halaman ini hanya untuk petugas desa dan admin; silakan masuk.",
                "Nobody is logged in. This page is for village officers and admins only; please log in.",
            ),
            icon=":material/lock:",
        )
    else:
        st.error(
            t(
                "Anda (peran {role}) tidak berwenang mencatat atau mengubah pengaduan.",
                "You (role {role}) may not record or change complaints.",
            ).format(role=viewer.role),
            icon=":material/block:",
        )


def _field_errors(problems: Mapping[str, list[str]], key: str) -> None:
    for message in problems.get(key, []):
        st.error(tr(message), icon=":material/error:")


def _clear_catat_form() -> None:
    """Empty the new-complaint form after a save (at the top of a run, before the widgets exist).
    Values are assigned, not deleted: a deleted key lets the browser send its old values back,
    and the next click on *Simpan* would record the same complaint twice. Desa, date and time
    are set again below (desa kept, time = now)."""
    state = st.session_state
    for key in ("catat_f_saluran", "catat_f_kategori", "catat_f_urgensi"):
        state[key] = None
    for key in ("catat_f_nama", "catat_f_alamat", "catat_f_hp", "catat_f_isi"):
        state[key] = ""
    state["catat_f_rahasia"] = False
    state.pop("catat_f_tanggal", None)
    state.pop("catat_f_jam", None)
    state["catat_f_waktu_baru"] = True


def _minute(moment: dt.datetime) -> dt.datetime:
    """``moment`` to the minute (the time inputs step by minutes)."""
    return moment.replace(second=0, microsecond=0)


def _term_select(label: str, terms, key: str, *, placeholder: str, disabled: bool = False):
    options = [term.key for term in terms]
    labels = {term.key: term.label for term in terms}
    # A value the profile does not offer (another SOP's term) is dropped; None is the emptied
    # field after a save and must stay assigned (a deleted key lets the browser send back the
    # previous complaint's choice).
    if st.session_state.get(key) is not None and st.session_state[key] not in options:
        del st.session_state[key]
    return st.selectbox(
        label,
        options,
        index=None,
        format_func=labels.get,
        key=key,
        placeholder=placeholder,
        disabled=disabled,
    )


def show_catat_page() -> None:
    """Catat Pengaduan Baru."""
    st.title(t("Catat Pengaduan Baru", "Record a new complaint"))
    viewer = current_viewer()
    if viewer.role not in WRITE_ROLES:
        _refuse(viewer)
        return
    loaded = page_register()
    if loaded is None:
        return
    settings = current_settings()
    desas = writable_desas(viewer, loaded.complaints, loaded.profile, settings.desa_names)
    if not desas:
        _refuse(viewer)
        return
    profile = loaded.profile
    if st.session_state.pop("catat_reset", False):
        _clear_catat_form()
    saving = bool(st.session_state.pop("catat_menyimpan", False))
    if loaded.complaints.empty:
        st.info(
            t(
                "Belum ada pengaduan di register; pengaduan ini menjadi yang pertama.",
                "The register has no complaints yet; this will be the first.",
            ),
            icon=":material/inbox:",
        )
    now = local_now(profile).to_pydatetime()
    if st.session_state.pop("catat_f_waktu_baru", False):
        st.session_state["catat_f_tanggal"], st.session_state["catat_f_jam"] = now.date(), _minute(now).time()
        st.session_state["catat_bawaan"] = (now.date(), _minute(now).time())
    st.session_state.setdefault("catat_f_tanggal", now.date())
    st.session_state.setdefault("catat_f_jam", _minute(now).time())
    st.session_state.setdefault("catat_bawaan", (now.date(), _minute(now).time()))
    if st.session_state.get("catat_f_desa") not in desas:
        st.session_state["catat_f_desa"] = desas[0]
    problems: dict[str, list[str]] = st.session_state.get("catat_problems", {})
    st.caption(
        t(
            "Unsur pengaduan: nama, alamat, no. HP pelapor dan objek pengaduan yang jelas. "
            "Pengaduan rahasia/anonim boleh tanpa identitas.",
            "Complaint elements: name, address and phone of the complainant and a clear subject. "
            "Confidential/anonymous complaints may omit the identity.",
        )
    )
    with st.form("catat_form", clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        with left:
            st.selectbox(
                t("Desa", "Village"),
                desas,
                key="catat_f_desa",
                disabled=len(desas) == 1,
                placeholder=choose(),
            )
            _field_errors(problems, "desa")
            st.date_input(t("Tanggal diterima", "Date received"), key="catat_f_tanggal", format=DATE_FORMAT)
            st.time_input(t("Jam diterima", "Time received"), key="catat_f_jam", step=60)
            _field_errors(problems, "tanggal_diterima")
            _term_select(
                t("Saluran", "Channel"),
                profile.channels,
                "catat_f_saluran",
                placeholder=t("Pilih saluran", "Choose a channel"),
            )
            _field_errors(problems, "saluran")
            _term_select(
                t("Kategori", "Category"),
                profile.categories,
                "catat_f_kategori",
                placeholder=t("Belum diklasifikasi", "Not classified yet"),
            )
            _field_errors(problems, "kategori")
            _term_select(
                t("Urgensi", "Urgency"),
                profile.urgencies,
                "catat_f_urgensi",
                placeholder=t("Belum ditentukan", "Not set yet"),
            )
            _field_errors(problems, "urgensi")
        with right:
            st.checkbox(
                t(
                    "Rahasia (identitas pelapor dirahasiakan / anonim)",
                    "Confidential (reporter hidden / anonymous)",
                ),
                key="catat_f_rahasia",
            )
            st.text_input(t("Nama pelapor", "Complainant's name"), key="catat_f_nama")
            _field_errors(problems, "nama_pelapor")
            st.text_input(t("Alamat", "Address"), key="catat_f_alamat")
            _field_errors(problems, "alamat")
            st.text_input(t("No. HP", "Phone"), key="catat_f_hp", placeholder="0812…")
            _field_errors(problems, "no_hp")
        st.text_area(
            t(
                "Isi pengaduan (objek yang diadukan: apa, di mana, sejak kapan)",
                "Complaint (what, where, since when)",
            ),
            key="catat_f_isi",
            height=150,
        )
        _field_errors(problems, "isi_pengaduan")
        st.form_submit_button(
            t("Simpan pengaduan", "Save complaint"),
            type="primary",
            icon=":material/save:",
            disabled=saving,  # while this save runs (the submission id makes a second click harmless)
            on_click=_start_saving,
            args=("catat_menyimpan",),
        )
    # the outcome right under the button: progress, refusal, duplicate question, or the new Nomor
    outcome = st.container()
    if problems:
        outcome.error(
            t("Pengaduan belum disimpan: perbaiki isian yang ditandai.", "Not saved: fix the marked fields.")
        )
    result = st.session_state.get("catat_hasil")
    if result and not saving:
        with outcome:
            _show_recorded(result)
    if not saving:
        with outcome:
            show_outcome("catat_pesan")
            show_duplicate_question(st.session_state.get("catat_duplikat"))
        return
    st.session_state.pop("catat_pesan", None)
    with outcome:
        _save_new_complaint(loaded, viewer, settings)


def _start_saving(flag: str) -> None:
    st.session_state[flag] = True


# A save runs with its button disabled; whatever it ends with is kept under ``key`` and shown
# under the (enabled again) button on the next run.
_KEPT_INPUT = (
    "Isian Anda tidak hilang. Coba simpan lagi, atau tekan *Muat ulang* di samping.",
    "Your input is kept. Try again, or press *Reload* in the sidebar.",
)


def _finish(key: str, kind: str, text: str, hint: tuple[str, str] | None = None) -> NoReturn:
    st.session_state[key] = {"kind": kind, "text": text, "hint": hint}
    st.rerun()


def show_outcome(key: str) -> dict[str, Any] | None:
    """The kept outcome of the last save attempt (error / info), shown where it is called."""
    kept = st.session_state.get(key)
    if not kept:
        return None
    if kept["kind"] == "info":
        st.info(kept["text"], icon=":material/info:")
    else:
        st.error(
            kept["text"],
            icon=":material/sync_problem:" if kept["kind"] == "concurrent" else ":material/error:",
        )
    if kept.get("hint"):
        st.info(t(*kept["hint"]))
    return kept


def _save_new_complaint(loaded: LoadedRegister, viewer: Viewer, settings: Settings) -> None:
    """Validate, ask about a likely duplicate, then record (inside the outcome container)."""
    profile = loaded.profile
    state = st.session_state
    picked = (state.get("catat_f_tanggal"), state.get("catat_f_jam"))
    if picked == state.get("catat_bawaan"):
        # date and time left as offered when the form was drawn: received now, when it is saved
        # (a page left open all morning must not backdate the complaint and all its deadlines)
        received = _minute(local_now(profile).to_pydatetime()).replace(tzinfo=None)
    else:
        received = dt.datetime.combine(*picked) if all(picked) else None
    fields = {
        "desa": state.get("catat_f_desa"),
        "tanggal_diterima": received,
        "saluran": state.get("catat_f_saluran") or "",
        "kategori": state.get("catat_f_kategori") or "",
        "urgensi": state.get("catat_f_urgensi") or "",
        "rahasia": bool(state.get("catat_f_rahasia")),
        "nama_pelapor": state.get("catat_f_nama", ""),
        "alamat": state.get("catat_f_alamat", ""),
        "no_hp": state.get("catat_f_hp", ""),
        "isi_pengaduan": state.get("catat_f_isi", ""),
    }
    now = local_now(profile).to_pydatetime()
    found = new_complaint_problems(fields, profile, now)
    if found:
        st.session_state["catat_problems"] = found
        st.session_state.pop("catat_hasil", None)  # the previous "tersimpan" notice is not about this one
        st.session_state.pop("catat_duplikat", None)
        st.rerun()
    st.session_state.pop("catat_problems", None)
    st.session_state.pop("catat_hasil", None)
    signature = duplicate_signature(fields)
    if state.get("catat_duplikat_ok") != signature:
        matches = duplicates_of_new(loaded.register, fields, now, settings.duplicate_days)
        if not matches.empty:
            state["catat_duplikat"] = {"signature": signature, "matches": matches.to_dict("records")}
            st.rerun()  # the question is shown under the enabled button
    state.pop("catat_duplikat", None)
    submission_id = st.session_state.setdefault(CATAT_SUBMISSION, new_submission_id())
    try:
        with st.status(t("Menyimpan pengaduan…", "Saving the complaint…"), expanded=False) as progress:
            appended, cells = record_complaint(
                make_source(settings),
                loaded.register,
                profile,
                viewer,
                fields,
                now,
                submission_id=submission_id,
            )
            progress.update(label=t("Tersimpan", "Saved"), state="complete")
    except PantauError as error:
        if isinstance(error, AlreadyRecorded):
            # recorded before, its row deleted by hand since: saving again is a NEW complaint
            st.session_state.pop(CATAT_SUBMISSION, None)
        _finish("catat_pesan", "error", tr(error), _KEPT_INPUT)
    receipt = receipt_document(
        cells,
        profile,
        petugas=viewer.name,
        printed_at=now,
        public_url=settings.public_url,
        settings=DocumentSettings.from_secrets(settings.secrets, settings.kecamatan, settings.kabupaten),
    )
    st.session_state.pop(CATAT_SUBMISSION, None)  # the next complaint is a new submission
    st.session_state.pop("catat_duplikat_ok", None)
    st.session_state["catat_hasil"] = {
        "nomor": appended.key,
        "pdf": receipt.pdf,
        "docx": receipt.docx,
        "desa": cells.get("desa", ""),
    }
    st.session_state["catat_reset"] = True
    reload_register()
    st.rerun()


def _show_recorded(result: Mapping[str, Any]) -> None:
    nomor = result["nomor"]
    st.success(
        t("Pengaduan tersimpan dengan Nomor **{n}**.", "Complaint saved as number **{n}**.").format(
            n=plain(nomor)
        ),
        icon=":material/check_circle:",
    )
    cols = st.columns([1, 1, 1])
    cols[0].download_button(
        t("Unduh tanda terima (PDF)", "Download receipt (PDF)"),
        data=result["pdf"],
        file_name=f"tanda_terima_{nomor.replace('/', '-')}.pdf",
        mime="application/pdf",
        icon=":material/receipt_long:",
        key="catat_unduh",
    )
    if result.get("docx"):
        cols[1].download_button(
            t("Tanda terima (DOCX)", "Receipt (DOCX)"),
            data=result["docx"],
            file_name=f"tanda_terima_{nomor.replace('/', '-')}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            icon=":material/description:",
            key="catat_unduh_docx",
        )
    if cols[2].button(t("Tutup", "Dismiss"), key="catat_tutup"):
        st.session_state.pop("catat_hasil", None)
        st.rerun()


# ---------------------------------------------------------------------------- Perbarui


def _snapshot_for(
    source_factory, nomor: str, loaded: LoadedRegister, desas: Sequence[str] = ()
) -> RowSnapshot | None:
    """The snapshot kept in the session for ``nomor`` (read from the source once per selection);
    ``desas``: where to look for it (the chosen desa, else the petugas's own)."""
    kept = st.session_state.get("perbarui_snapshot")
    wanted = {column_key(d) for d in desas}
    if (
        isinstance(kept, RowSnapshot)
        and nomor_key(kept.nomor) == nomor_key(nomor)
        and (not wanted or column_key(str(kept.complaint.get("desa") or "")) in wanted)
    ):
        return kept
    source = source_factory()
    # a synced kabupaten: (desa, Nomor) is the identity; a petugas's Nomor is one of their desas'
    hint = sheet_hint(loaded.complaints, nomor, desas)
    per_desa = isinstance(source, StoreBackedSource)
    snapshot = read_snapshot(source, nomor, loaded.profile, hint, per_desa=per_desa)
    st.session_state["perbarui_snapshot"] = snapshot
    return snapshot


def show_perbarui_page() -> None:
    """Perbarui Pengaduan."""
    st.title(t("Perbarui Pengaduan", "Update a complaint"))
    viewer = current_viewer()
    if viewer.role not in WRITE_ROLES:
        _refuse(viewer)
        return
    loaded = page_register()
    if loaded is None:
        return
    settings = current_settings()
    if (
        not writable_desas(viewer, loaded.complaints, loaded.profile, settings.desa_names)
        and viewer.role != "admin"
    ):
        _refuse(viewer)
        return
    profile = loaded.profile
    saved = st.session_state.pop("perbarui_reset", None)
    if isinstance(saved, str):
        # After a save the form stays on "(tetap)" (one more click on Simpan must not move the
        # complaint on) and keeps what was saved, which is now the register's value; the stage
        # time starts again at now.
        now = local_now(profile).to_pydatetime()
        st.session_state[_widget(saved, "tahap")] = _STAY
        st.session_state[_widget(saved, "tanggal")] = now.date()
        st.session_state[_widget(saved, "jam")] = _minute(now).time()
        st.session_state[_widget(saved, "bawaan")] = (now.date(), _minute(now).time())
    done = st.session_state.pop("perbarui_hasil", None)
    wanted = st.session_state.pop(OPEN_NOMOR, None)  # "open in Perbarui" from Antrean saya
    wanted_desa = st.session_state.pop(OPEN_DESA, None)
    if wanted:
        st.session_state["perbarui_nomor"], st.session_state["perbarui_pilih"] = str(wanted), None
        st.session_state[_DESA_KEY] = wanted_desa or None
    choices = open_choices(loaded.complaints, loaded.settle_key, viewer)
    if loaded.complaints.empty:
        st.info(
            t("Belum ada pengaduan di register.", "The register has no complaints yet."),
            icon=":material/inbox:",
        )
        return
    left, right = st.columns(2)
    # One selection: typing a Nomor clears the pick and picking clears the typed Nomor, so the
    # form always edits what was chosen last (and its title says which).
    # The placeholder must not look like a value: a bare Nomor in grey read as the old number kept
    # after a pick from the list (browser review). "mis. …" while nothing is chosen, empty after a pick.
    example = _example_nomor(choices, loaded, viewer, settings)
    hint = t("mis. {n}", "e.g. {n}").format(n=example) if example else ""
    typed = left.text_input(
        t("Cari Nomor", "Find by number"),
        key="perbarui_nomor",
        placeholder="" if st.session_state.get("perbarui_pilih") else hint,
        on_change=_new_choice,
        args=("perbarui_pilih", None),
    )
    picked = right.selectbox(
        t("…atau pilih dari pengaduan terbuka", "…or pick an open complaint"),
        choices,
        index=None,
        key="perbarui_pilih",
        placeholder=t("{n} pengaduan terbuka", "{n} open complaints").format(n=len(choices)),
        on_change=_new_choice,
        args=("perbarui_nomor", ""),
    )
    nomor = clean_input(typed) or clean_input(picked)
    if not nomor:
        # Nothing chosen: the kept snapshot (and so the Dokumen section under the form) must not
        # outlive the selection (browser review: the previous complaint's documents stayed).
        st.session_state["perbarui_snapshot"] = None
        st.caption(t("Ketik Nomor pengaduan atau pilih dari daftar.", "Type a complaint number or pick one."))
        return
    desas = _pick_desa(loaded, nomor, viewer, settings)
    if desas is None:
        return
    try:
        snapshot = _snapshot_for(lambda: make_source(settings), nomor, loaded, desas)
    except PantauError as error:
        st.session_state["perbarui_snapshot"] = None
        st.warning(plain(tr(error)), icon=":material/search_off:")
        return
    complaint = snapshot.complaint
    desa = str(complaint.get("desa") or "")
    if not viewer.can_write(desa):
        st.error(
            t(
                "Pengaduan {n} bukan pengaduan desa Anda; Anda tidak berwenang mengubahnya.",
                "Complaint {n} is not from your village; you may not change it.",
            ).format(n=plain(nomor)),
            icon=":material/block:",
        )
        return
    handled = viewer.handles_one(complaint)
    _show_complaint(snapshot, loaded, viewer)
    if show_marked(snapshot, loaded, viewer, settings):  # Duplikat/Batal: no stage form
        if done:
            st.success(done, icon=":material/check_circle:")
        return
    _show_update_form(snapshot, loaded, viewer, settings, done)
    if handled:  # the message and link carry the reporter's number: only for those who handle it
        _show_notify(snapshot, profile, desa)
    show_receipt_download(snapshot.complaint, profile, viewer, settings, key="perbarui_kuitansi")
    show_mark_form(snapshot, loaded, viewer, settings)


def _clear_state(key: str, empty: object) -> None:
    st.session_state[key] = empty


_DESA_KEY = "perbarui_desa"


def _new_choice(key: str, empty: object) -> None:
    """Another Nomor typed or picked: the other field and the desa chosen for the last one go."""
    st.session_state[key] = empty
    st.session_state.pop(_DESA_KEY, None)


def _pick_desa(
    loaded: LoadedRegister, nomor: str, viewer: Viewer, settings: Settings
) -> tuple[str, ...] | None:
    """Where to look for ``nomor``: on a synced kabupaten each desa numbers its own register, so a
    Nomor the viewer may update in several desas needs its desa chosen (None until it is);
    otherwise the viewer's own desas (one register: a doubled Nomor stays refused as before)."""
    desas = nomor_desas(loaded.complaints, nomor, viewer) if sync_settings_of(settings) else []
    if len(desas) < 2:
        return tuple(viewer.desa)
    if st.session_state.get(_DESA_KEY) not in desas:
        st.session_state.pop(_DESA_KEY, None)
    picked = st.radio(
        t("Desa pengaduan ini", "This complaint's village"),
        desas,
        index=None,
        key=_DESA_KEY,
        horizontal=True,
        on_change=_forget_snapshot,
    )
    if picked is None:
        st.caption(
            t(
                "Nomor {n} tercatat di beberapa desa (tiap desa menomori registernya sendiri); pilih desanya.",
                "Number {n} is recorded in several villages (each numbers its own register); choose the village.",
            ).format(n=plain(nomor))
        )
        return None
    return (str(picked),)


def _example_nomor(choices: Sequence[str], loaded: LoadedRegister, viewer: Viewer, settings: Settings) -> str:
    """A placeholder in the register's own format: one of the viewer's open complaints, else the
    profile's Nomor format for the viewer's first desa."""
    if choices:
        return choices[0]
    profile = loaded.profile
    try:
        desas = writable_desas(viewer, loaded.complaints, loaded.profile, settings.desa_names)
        code = desa_code(desas[0]) if desas else None
        return next_nomor([], profile, local_now(profile).to_pydatetime(), code)
    except (PantauError, KeyError, ValueError, IndexError):
        return ""


def _show_complaint(snapshot: RowSnapshot, loaded: LoadedRegister, viewer: Viewer) -> None:
    """The complaint being updated, personal data as the viewer may see it; each stage's date
    and due time (the one stage model, ``services.queue.complaint_due_times``)."""
    profile = loaded.profile
    complaint = complaint_for_viewer(snapshot.complaint, viewer)
    stage = current_stage(complaint, profile)
    st.subheader(f"{plain(snapshot.nomor)} · {plain(complaint.get('desa') or '')}", anchor=False)
    st.markdown(t("Tahap sekarang: **{s}**", "Current stage: **{s}**").format(s=plain(stage.label)))
    due = complaint_due_times(snapshot.complaint, profile, loaded.calendar, local_now(profile))
    st.dataframe(due_times_display(due), hide_index=True, width="stretch")
    with st.expander(t("Isi pengaduan dan pelapor", "Complaint and complainant"), expanded=False):
        lang = language()
        details = {
            column_label("nama_pelapor", lang): complaint.get("nama_pelapor"),
            column_label("alamat", lang): complaint.get("alamat"),
            column_label("no_hp", lang): complaint.get("no_hp"),
            column_label("rahasia", lang): t("Ya", "Yes") if complaint.get("rahasia") else t("Tidak", "No"),
            column_label("disposisi_kepada", lang): complaint.get("disposisi_kepada"),
            column_label("hasil_tindak_lanjut", lang): complaint.get("hasil_tindak_lanjut"),
        }
        for label, value in details.items():
            st.text(f"{label}: {'' if value is None or pd.isna(value) else value}")
        st.text(str(complaint.get("isi_pengaduan") or ""))


def _forget_snapshot() -> None:
    st.session_state["perbarui_snapshot"] = None
    reload_register()


_STAY = "__tetap__"


def _widget(nomor: str, name: str) -> str:
    return f"perbarui_f|{nomor}|{name}"


def _show_update_form(
    snapshot: RowSnapshot, loaded: LoadedRegister, viewer: Viewer, settings: Settings, done: str | None = None
) -> None:
    profile = loaded.profile
    complaint = snapshot.complaint
    nomor = snapshot.nomor
    current = current_stage(complaint, profile)
    later = allowed_next_stages(current.key, profile)
    options = [current.key] + [s.key for s in later]
    labels = {
        current.key: t("(tetap) {s}", "(stay) {s}").format(s=current.label),
        **{s.key: s.label for s in later},
    }
    stage_key = _widget(nomor, "tahap")
    if st.session_state.get(stage_key) not in options:
        # "(tetap)" until the petugas picks a stage: saving a note or a minutes number must never
        # move the complaint on by itself
        st.session_state[stage_key] = current.key
    now = local_now(profile).to_pydatetime()
    st.session_state.setdefault(_widget(nomor, "tanggal"), now.date())
    st.session_state.setdefault(_widget(nomor, "jam"), _minute(now).time())
    st.session_state.setdefault(_widget(nomor, "bawaan"), (now.date(), _minute(now).time()))
    official_now = complaint.get("disposisi_kepada")
    official_now = "" if official_now is None or pd.isna(official_now) else str(official_now)
    officials = list(dict.fromkeys([*profile.officials, *([official_now] if official_now else [])]))
    outcome_now = find_term(profile.outcomes, complaint.get("jenis_penyelesaian"))
    seeds: dict[str, object] = {
        "hasil": complaint.get("hasil_tindak_lanjut"),
        "ba": complaint.get("no_berita_acara"),
        "disposisi": official_now or None,
        "jenis": outcome_now.key if outcome_now else None,
    }
    for name, value in seeds.items():
        if name in ("hasil", "ba"):
            value = "" if value is None or pd.isna(value) else str(value)
        # A field follows the register when the row changed since the form was filled from it
        # (e.g. the Rapat pembahasan form below set the outcome and the berita acara number):
        # a stale widget would show "Belum ditentukan" and save it back.
        seed_key = _widget(nomor, f"{name}|dari_register")
        if st.session_state.get(seed_key, value) != value or _widget(nomor, name) not in st.session_state:
            st.session_state[_widget(nomor, name)] = value
        st.session_state[seed_key] = value

    st.subheader(t("Memperbarui {n}", "Updating {n}").format(n=plain(nomor)), anchor=False)
    if not later:
        st.info(
            t(
                "Pengaduan sudah di tahap terakhir SOP; Anda masih dapat melengkapi isian di bawah.",
                "The complaint is at the SOP's last stage; you can still complete the fields below.",
            )
        )
    target_key = st.selectbox(
        t("Maju ke tahap", "Move to stage"),
        options,
        format_func=labels.get,
        key=stage_key,
        placeholder=choose(),
    )
    staying = target_key == current.key
    skipped = [] if staying else skipped_stages(complaint, target_key, profile)
    if skipped:
        st.warning(
            t(
                "Tahap berikut dilewati dan tanggalnya tetap kosong: {s}.",
                "These stages are skipped and keep no date: {s}.",
            ).format(s="; ".join(s.label for s in skipped)),
            icon=":material/warning:",
        )
    cols = st.columns(2)
    cols[0].date_input(
        t("Tanggal tahap", "Stage date"), key=_widget(nomor, "tanggal"), format=DATE_FORMAT, disabled=staying
    )
    cols[1].time_input(t("Jam", "Time"), key=_widget(nomor, "jam"), step=60, disabled=staying)
    st.selectbox(
        t("Disposisi kepada", "Assigned to"),
        officials,
        index=None,
        key=_widget(nomor, "disposisi"),
        placeholder=t("Pilih pejabat", "Choose an official"),
    )
    outcome_labels = {term.key: term.label for term in profile.outcomes}
    st.selectbox(
        t("Jenis penyelesaian", "Outcome"),
        list(outcome_labels),
        index=None,
        format_func=outcome_labels.get,
        key=_widget(nomor, "jenis"),
        placeholder=t("Belum ditentukan", "Not set yet"),
    )
    answer_template_picker(  # issue 16.4: a canned answer fills the field below
        picker_key=_widget(nomor, "templat"),
        target_key=_widget(nomor, "hasil"),
        state_keys={"disposisi": _widget(nomor, "disposisi"), "jenis": _widget(nomor, "jenis")},
        complaint=complaint,
        profile=profile,
        petugas=viewer.name,
    )
    st.text_area(
        t("Hasil tindak lanjut (jawaban kepada pelapor)", "Result (answer to the complainant)"),
        key=_widget(nomor, "hasil"),
        height=120,
    )
    st.text_input(t("No. berita acara", "Minutes number"), key=_widget(nomor, "ba"))
    # Menunggu kelengkapan (dashboard/pause_views.py)
    mulai_menunggu, berkas_lengkap = pause_fields(complaint, _widget(nomor, "jeda"), now)
    saving = bool(st.session_state.pop("perbarui_menyimpan", False))
    st.button(
        t("Simpan perubahan", "Save changes"),
        type="primary",
        icon=":material/save:",
        key="perbarui_simpan",
        disabled=saving,  # while this save runs (the submission id makes a second click harmless)
        on_click=_start_saving,
        args=("perbarui_menyimpan",),
    )
    if not saving:
        if done:  # the previous save's outcome, right under the button
            st.success(done, icon=":material/check_circle:")
        kept = show_outcome(_widget(nomor, "pesan"))
        if kept and kept["kind"] == "concurrent":
            # The stale snapshot stays until the petugas asks for the new version: a second click
            # on Simpan must not silently overwrite what the other person changed.
            st.button(
                t("Muat ulang pengaduan ini", "Reload this complaint"),
                key="perbarui_muat_ulang",
                on_click=_forget_snapshot,
                icon=":material/refresh:",
            )
        return
    st.session_state.pop(_widget(nomor, "pesan"), None)
    state = st.session_state
    when = None
    picked = (state.get(_widget(nomor, "tanggal")), state.get(_widget(nomor, "jam")))
    if not staying and picked == state.get(_widget(nomor, "bawaan")):
        # date and time left as offered (the moment the form opened): the stage is done now,
        # when it is saved — a form left open for an hour must not backdate it
        when = _minute(local_now(profile).to_pydatetime())
    elif not staying and all(picked):
        when = dt.datetime.combine(*picked)
    update = StageUpdate(
        stage=target_key,
        when=when,
        disposisi_kepada=state.get(_widget(nomor, "disposisi")) or "",
        jenis_penyelesaian=state.get(_widget(nomor, "jenis")) or "",
        hasil_tindak_lanjut=state.get(_widget(nomor, "hasil")) or "",
        no_berita_acara=state.get(_widget(nomor, "ba")) or "",
        mulai_menunggu=mulai_menunggu,
        berkas_lengkap=berkas_lengkap,
    )
    now = local_now(profile).to_pydatetime()
    problems = update_problems(complaint, update, profile, now)
    if problems:
        _finish(
            _widget(nomor, "pesan"),
            "error",
            t("Perubahan belum disimpan:", "Not saved:")
            + "\n"
            + "\n".join(f"- {tr(m)}" for ms in problems.values() for m in ms),
        )
    submission_id = state.setdefault(_widget(nomor, "kiriman"), new_submission_id())
    try:
        with st.status(t("Menyimpan perubahan…", "Saving the changes…"), expanded=False) as progress:
            apply_update(
                make_source(settings), snapshot, update, profile, viewer, now, submission_id=submission_id
            )
            progress.update(label=t("Tersimpan", "Saved"), state="complete")
    except NothingChanged:
        _finish(
            _widget(nomor, "pesan"),
            "info",
            t(
                "Tidak ada yang berubah pada pengaduan {n}; tidak ada yang disimpan.",
                "Nothing changed on complaint {n}; nothing was saved.",
            ).format(n=nomor),
        )
    except ConcurrentChange as error:
        _finish(
            _widget(nomor, "pesan"),
            "concurrent",
            tr(error),
            (
                "Tekan **Muat ulang pengaduan ini** untuk membaca versi terbaru; isian Anda tetap tersimpan di formulir.",
                "Press **Reload this complaint** to read the latest version; your input stays in the form.",
            ),
        )
    except (SourceError, PantauError) as error:
        _finish(_widget(nomor, "pesan"), "error", tr(error), _KEPT_INPUT)
    state.pop(_widget(nomor, "kiriman"), None)  # the next update is a new submission
    st.session_state["perbarui_snapshot"] = None
    st.session_state["perbarui_reset"] = nomor
    st.session_state["perbarui_hasil"] = t("Pengaduan {n} diperbarui.", "Complaint {n} updated.").format(
        n=plain(nomor)
    )
    reload_register()
    st.rerun()


def _show_notify(snapshot: RowSnapshot, profile: Profile, desa: str) -> None:
    """Beri tahu pelapor: the answer message and a WhatsApp click-to-chat link."""
    complaint = snapshot.complaint
    answer_stage = profile.milestone_stage("jawaban")
    stage = current_stage(complaint, profile)
    if answer_stage is None or profile.stage_index(stage.key) < profile.stage_index(answer_stage.key):
        return
    phone = normalise_phone(complaint.get("no_hp"))
    if complaint.get("rahasia") and phone is None:
        return
    st.subheader(t("Beri tahu pelapor", "Tell the complainant"))
    message = answer_message(complaint, profile, desa, public_url=current_settings().public_url)
    st.code(message, language=None, wrap_lines=True)
    try:
        link = whatsapp_link(complaint.get("no_hp"), message)
    except PantauError as error:
        st.caption(tr(error) + " " + t("Sampaikan jawaban lewat saluran lain.", "Use another channel."))
        return
    st.link_button(t("Kirim lewat WhatsApp", "Send via WhatsApp"), link, icon=":material/chat:")
