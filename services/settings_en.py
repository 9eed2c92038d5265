"""English help of every setting, keyed by ``[section] key`` as ``settings_help`` names it.

The settings declare their help in Indonesian (``Setting.help``); this catalogue gives the
English shown on the admin page in an English session (``dashboard.settings_views``). A setting
missing here shows its Indonesian help (a test lists which are missing).
"""

from __future__ import annotations

SETTINGS_HELP_EN: dict[str, str] = {
    "[pantau] sop": "The SOP profile used (umum, cipari, babakan, kutai_kartanegara, jagabaya, selemadeg_timur).",
    "[pantau] register": "Local register file .xlsx/.csv (PANTAU_REGISTER overrides it).",
    "[pantau] cache_ttl_seconds": "How many seconds the register data is kept before it is read again.",
    "[pantau] session_timeout_minutes": "Minutes without activity before a user is logged out (default 60).",
    "[pantau] session_secret": "Key that signs the password-login cookie (a reload/F5 keeps the user logged in); "
    "default: [auth] cookie_secret, or a random key per server process.",
    "[pantau] public_url": "The app's address for complainants (e.g. https://aduan.desa.id): printed on the receipt "
    "and in the WhatsApp message as <address>/lacak.",
    "[pantau] public_overview": "Show the Overview (aggregate figures, no lists or personal data) to the public "
    "without a login; default: yes for the demo register, no for a real register.",
    "[wilayah] kecamatan": "Name of the sub-district (report titles and village comparison).",
    "[wilayah] kabupaten": "Name of the regency.",
    "[wilayah] desa": "The villages of the sub-district; other village names in the register are flagged.",
    "[wilayah] gabung_ejaan_desa": "true: figures count a village spelling close to another village (e.g. "
    "Margamulia) under the village it most likely means (Margamulya). Default false: kept apart (only in "
    "'all villages'), flagged in Data quality and not offered as a village of its own in the filters.",
    "[laporan] penandatangan": "Who signs the monthly report per village: [laporan.penandatangan.<Desa>] nama, nip, "
    'jabatan (default "Kepala Desa <Desa>", name and NIP left blank to fill by hand); '
    '[laporan.penandatangan.kecamatan] for the sub-district report (default "Camat <kecamatan>").',
    "[laporan] pembuat": "Who prepares the monthly report under a village-level SOP (the clerk reports to the "
    'village head): [laporan.pembuat.<Desa>] nama, nip, jabatan (default "Petugas Pengelola Pengaduan Desa '
    '<Desa>", name and NIP left blank to fill by hand).',
    "[auth]": "OIDC login (e.g. Google accounts) for st.login: redirect_uri, cookie_secret, client_id, "
    "client_secret, server_metadata_url, or a named provider [auth.google].",
    "[users]": "Offline login accounts [users.<name>]: password_hash (bcrypt: python -m dashboard.auth hash), "
    "role, desa = [...], name, email.",
    "[roles]": 'Role per e-mail (OIDC) or user name: "camat@contoh.desa.id" = { role = "kecamatan" }, '
    '{ role = "petugas", desa = ["Cibodas"] }.',
    "[gsheets] spreadsheet": "URL (or key) of the register's Google Sheet; a [gsheets] section replaces the demo "
    "register.",
    "[gsheets] layout": "How the register is laid out: per_desa_worksheet, per_desa_spreadsheet or single_worksheet.",
    "[gsheets] worksheet": "Register sheet name for single_worksheet / per_desa_spreadsheet (default: the first "
    "sheet).",
    "[gsheets] worksheets": "per_desa_worksheet: only these sheets are read (default: all but Riwayat).",
    "[gsheets] spreadsheets": "per_desa_spreadsheet: [gsheets.spreadsheets] village name = URL/key of that "
    "village's spreadsheet.",
    "[gsheets] service_account": "Contents of the Google service account JSON key file (type, project_id, "
    "private_key, client_email, token_uri, ...).",
    "[gsheets] timeout_seconds": "Time limit of one request to Google (seconds, default 20).",
    "[gsheets] retry_attempts": "How often a temporarily failed request (429/5xx/connection lost) is tried "
    "(default 5).",
    "[gsheets] retry_max_wait_seconds": "Longest total wait between tries (seconds, default 20).",
    "[gsheets] api_base_url": "Testing only: address of a local fake Sheets API (no key). Never set in production.",
    "[pantau] trust_forwarded_for": "Behind a reverse proxy that sets X-Forwarded-For: true to limit wrong tries "
    "(Track, login) per visitor address from that header.",
    "[notify] telegram_bot_token": "Telegram bot token from @BotFather (empty: Telegram is not used).",
    "[notify] telegram_api_base_url": "Telegram Bot API address; changed only for testing (a local fake).",
    "[notify] smtp_host": "SMTP server for e-mail (empty: e-mail is not used).",
    "[notify] smtp_port": "SMTP port (587 for STARTTLS, 465 for SSL).",
    "[notify] smtp_user": "SMTP user name (e.g. a Gmail address).",
    "[notify] smtp_password": "SMTP password (an app password, not the account password).",
    "[notify] smtp_sender": "Sender address of the e-mails (default: smtp_user).",
    "[notify] smtp_security": "SMTP security: starttls, ssl or none (local tests only).",
    "[notify] timeout_seconds": "Time limit of one send (seconds).",
    "[notify] quiet_hours": 'Quiet hours (local time) without messages, e.g. "21:00-06:00"; "" = none.',
    "[notify] at_risk_window": 'The "due soon" reminder: its time window (default: the SOP profile\'s '
    "at_risk_window).",
    "[notify] escalation_steps": "Escalation of late complaints: after [N1, N2] working days past the due time to "
    "the village head, then to the sub-district.",
    "[notify] catch_up_working_days": "Late/escalation messages only for limits passed in the last N working days "
    "(older ones are in the daily digest; avoids a flood of messages when first installed).",
    "[notify] digest_time": "Time of the daily digest per village (local time, HH:MM).",
    "[notify] weekly_day": "Day of the weekly summary for the sub-district (senin ... minggu = Monday ... Sunday).",
    "[notify] new_within_hours": "New complaints / dispositions are announced when recorded in the last N hours.",
    "[notify] retry_backoff_minutes": "A failed send is tried again on a later run after N minutes (doubling).",
    "[notify] retry_max_backoff_minutes": "Longest wait between retries (minutes).",
    "[notify] ledger_path": "Notification ledger file (SQLite) for a local register; default: next to the register.",
    "[notify] recipients": "[notify.recipients.<name>]: role (petugas, kepala_desa, kecamatan, admin, pejabat), "
    "desa = [...], telegram_chat_id and/or email, language (id/en), events = [...], jabatan (for pejabat).",
    "[dokumen] templates": "Folder of the office's own Word templates: <kind>.docx here replaces the bundled "
    "template of that kind (e.g. berita_acara.docx).",
    "[dokumen] logo": "Logo image file (PNG/JPG) for the letterhead; empty = no logo.",
    "[dokumen] alamat": "Office address on the letterhead.",
    "[dokumen] telepon": "Office phone number on the letterhead.",
    "[dokumen] email": "Office e-mail on the letterhead.",
    "[dokumen] tempat": "Place name before a letter's date (e.g. Tenggarong); default: the village name, or the "
    "regency for a sub-district/agency.",
    "[sync] registry": "The regency's list of villages (.toml or .csv file: kecamatan, desa, spreadsheet, "
    "profile); when set, the sync worker and the regency pages use it.",
    "[sync] store": "Snapshot store: an SQLite file (default) or a PostgreSQL URL postgresql://... for several app "
    "servers.",
    "[sync] requests_per_minute": "Google requests per minute the worker may use (Google's quota: 60 per minute "
    "per user).",
    "[sync] interval_seconds": "./run sync --watch: pause between rounds (seconds).",
    "[sync] stale_after_minutes": "A village whose last successful sync is older than this is marked stale.",
    "[sync] retry_after_error_minutes": "First pause before a failed village is tried again (doubling after each "
    "failure, at most 60 minutes).",
    "[pantau] profiles_dir": "Folder of extra SOP profiles (<id>.toml files); adding a profile needs no code change.",
    "[pantau] register_encoding": 'Encoding of a CSV register that so far holds only ASCII letters: "cp1252" (a '
    'plain CSV from Excel) or "utf-8". Empty: the first text with a non-ASCII letter is refused with a message.',
    "[pantau] duplikat_hari": "Record a complaint warns when the phone and text nearly match a complaint of the same "
    "village received in the last this many days; Data quality uses the same window (default 14).",
    "[pantau] public_intake": "The Submit a complaint page for residents without a login (public complaint form, "
    "channel Website); default: yes for the demo register (like public_overview), no for a real register.",
    "[intake] worksheet": "Name of the Google Form response sheet merged into the register (default 'Respons "
    "Formulir 1').",
    "[intake] spreadsheet": "The Google Sheet of the form responses when it is not the register spreadsheet itself "
    "(URL or key).",
    "[intake] kolom": "Form question title = register column (desa, nama_pelapor, alamat, no_hp, isi_pengaduan, "
    "kategori, rahasia); default: the Indonesian mapping in the README.",
    "[intake] kolom_nomor": "Column of the response sheet where the complaint Nomor is written after the merge "
    "(default 'Nomor Pantau').",
    "[intake] desa": "Village for every response when the form does not ask for the village (a one-village form).",
    "[intake] saluran": "Complaint channel of the form, from the SOP profile's list of channels (default website).",
    "[intake] tanggal_hari_dulu": "Response timestamps are written day first (1/12/2026 = 1 December; Indonesian "
    "locale). false for a US locale.",
    "[intake] saat_muat_ulang": "Merge new responses each time an officer/admin loads the register (besides "
    "./run intake).",
    "[survei] minimum_responden": "Fewest ratings for the complaint-handling IKM to count as enough (default 10); "
    "below it the IKM is still shown, marked 'not enough yet'.",
}
