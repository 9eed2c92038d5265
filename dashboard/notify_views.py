"""Admin view of the notifier (``./run notify``): recipients with a *Kirim uji* button each, the
last runs, what was sent, what failed and what is uncertain (with *Kirim ulang* for an uncertain
send, at the admin's choice). Logic lives in ``services.notifications``; this is the glue."""

from __future__ import annotations

import streamlit as st

from dashboard.data import local_now, make_source
from dashboard.i18n import t, tr
from dashboard.settings import Settings
from metrics.errors import PantauError
from services.notifications import ledger as ledger_mod
from services.notifications.config import NotifyConfig, parse_notify
from services.notifications.run import ledger_for, send_test
from services.register_loading import configured_profile


def _config(settings: Settings) -> NotifyConfig | None:
    try:
        return parse_notify(dict(settings.secrets))
    except PantauError as error:
        st.error(t("Pengaturan [notify] salah:", "The [notify] settings are wrong:"), icon=":material/error:")
        for problem in error.problems or [tr(error)]:
            st.text(f"• {tr(problem)}")
        return None


def _ledger(settings: Settings, config: NotifyConfig) -> ledger_mod.Ledger | None:

    source = None
    if settings.register_path is None:
        source = make_source(settings)
    try:
        return ledger_for(settings.register_path, source, config, create=False)
    except PantauError as error:
        st.error(tr(error))
        return None


def show_recipients(config: NotifyConfig, settings: Settings) -> None:
    st.subheader(t("Penerima", "Recipients"))
    if not config.recipients:
        st.info(
            t(
                "Belum ada penerima. Tambahkan [notify.recipients.<nama>] di .streamlit/secrets.toml "
                "(contoh di secrets.example.toml).",
                "No recipients yet. Add [notify.recipients.<name>] to .streamlit/secrets.toml "
                "(examples in secrets.example.toml).",
            )
        )
        return

    for recipient in config.recipients:
        channels = ", ".join(recipient.channels) or t("TANPA SALURAN", "NO CHANNEL")
        left, right = st.columns([4, 1])
        left.text(
            f"{recipient.name} — {recipient.role} — {', '.join(recipient.desa) or t('semua desa', 'every desa')}"
            f" — {channels} — {', '.join(recipient.events)}"
        )
        if right.button(t("Kirim uji", "Send test"), key=f"notify_test_{recipient.name}"):
            now = local_now(configured_profile(settings))
            for channel, result in send_test(config, recipient.name, now).items():
                if result.status == "terkirim":
                    st.success(
                        f"{recipient.name} ({channel}): " + t("terkirim", "sent"), icon=":material/check:"
                    )
                else:
                    st.error(
                        f"{recipient.name} ({channel}): {result.status} — {result.reason}",
                        icon=":material/error:",
                    )


def show_ledger(ledger: ledger_mod.Ledger | None, settings: Settings) -> None:
    st.subheader(t("Run terakhir", "Last runs"))
    if ledger is None:
        st.info(
            t(
                "Belum ada run. Jalankan ./run notify (lihat README: cron / systemd timer).",
                "No run yet. Run ./run notify (see the README: cron / systemd timer).",
            )
        )
        return
    runs = ledger.runs(20)
    if runs:
        st.dataframe(
            [
                {
                    t("Selesai", "Finished"): r.finished_at,
                    t("Terkirim", "Sent"): r.sent,
                    t("Gagal", "Failed"): r.failed,
                    t("Tidak pasti", "Uncertain"): r.uncertain,
                    "Run": r.run_id,
                }
                for r in runs
            ],
            hide_index=True,
        )
        with st.expander(t("Laporan run terakhir", "Report of the last run")):
            st.text(runs[0].report)
    entries = ledger.entries()
    frame = ledger_mod.entries_frame(entries)
    problems = frame[frame["status"].isin([ledger_mod.FAILED, ledger_mod.UNCERTAIN])] if len(frame) else frame
    st.subheader(t("Gagal dan tidak pasti", "Failed and uncertain"))
    if problems.empty:
        st.success(t("Tidak ada pengiriman yang gagal.", "No failed sends."), icon=":material/check:")
    else:
        st.dataframe(
            problems[["status", "recipient", "event_key", "error", "next_attempt_at", "attempts"]],
            hide_index=True,
        )
        st.caption(
            t(
                "Gagal: dicoba lagi otomatis pada run berikutnya. Tidak pasti: permintaan terkirim tetapi "
                "jawabannya hilang — pesan mungkin sudah sampai; kirim ulang hanya bila penerima belum menerimanya.",
                "Failed: retried automatically by the next run. Uncertain: the request left but its answer "
                "was lost — the message may have arrived; send again only if the recipient did not get it.",
            )
        )

        for entry in (e for e in entries if e.status == ledger_mod.UNCERTAIN):
            if st.button(
                t("Kirim ulang {k} ke {r}", "Send {k} to {r} again").format(
                    k=entry.event_key, r=entry.recipient
                ),
                key=f"notify_resend_{entry.event_key}_{entry.recipient}",
            ):
                ledger.allow_resend(entry.event_key, entry.recipient, local_now(configured_profile(settings)))
                st.info(t("Dikirim pada run berikutnya.", "Sent by the next run."))
    st.subheader(t("Terkirim", "Sent"))
    sent = frame[frame["status"] == ledger_mod.SENT] if len(frame) else frame
    st.dataframe(
        sent[["updated_at", "recipient", "kind", "desa", "nomor", "event_key"]].iloc[::-1]
        if len(sent)
        else sent,
        hide_index=True,
    )


def show_notify_admin(settings: Settings) -> None:
    config = _config(settings)
    if config is None:
        return
    show_recipients(config, settings)
    show_ledger(_ledger(settings, config), settings)
