"""Google Drive change detection and one-request spreadsheet reads, for the kabupaten sync worker.

Raw cells in, nothing else: which spreadsheets changed since a saved Drive page token
(``changes.getStartPageToken`` / ``changes.list``: one request whatever the number of
spreadsheets, up to 1,000 changed files per page), which spreadsheets the service account can
see (``files.list``, for the registry check), and one desa register read with ONE
``values.batchGet``. Every request first calls ``before_request`` (the worker's request budget),
so the caller decides the pace; nothing here retries or sleeps: a failure is raised as
:class:`FetchError` with a kind the worker can act on and a message naming the spreadsheet.

Authentication: the service account of ``[gsheets.service_account]`` through google-auth's
``AuthorizedSession`` (read-only scopes), or, in tests, :class:`data_sources.gsheets.ApiBaseSession`
pointed at the local fake (``[gsheets] api_base_url``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import requests

from data_sources.base import SheetGrid, SourceError
from data_sources.gsheets import ApiBaseSession, GSheetsConfig, service_account_problems

__all__ = [
    "DRIVE_SCOPES",
    "ChangeSet",
    "FetchError",
    "GoogleReader",
    "MissingSheet",
    "make_session",
]

DRIVE_SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets.readonly",
    "https://www.googleapis.com/auth/drive.readonly",
)
_DRIVE = "https://www.googleapis.com/drive/v3"
_SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
_SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_FIRST_SHEET_RANGE = "A:ZZZ"  # a range without a sheet name reads the first sheet
_RANGE_SHEET = re.compile(r"^(?:'((?:[^']|'')*)'|([^!]*))!")


class FetchError(SourceError):
    """A request failed. ``kind``: deleted (404), unshared (403), quota (429), bad_range (400),
    transient (5xx, dropped connection, timeout) or other."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class MissingSheet(FetchError):
    """A ``values.batchGet`` named a sheet the spreadsheet does not have (Google: HTTP 400
    "Unable to parse range: <range>"); ``sheet`` is the extra sheet that is missing."""

    def __init__(self, sheet: str, message: str) -> None:
        super().__init__("missing_sheet", message)
        self.sheet = sheet


@dataclass(frozen=True)
class ChangeSet:
    """Spreadsheets that changed since a page token, and the token to ask from next time."""

    changed: frozenset[str] = frozenset()  # file ids whose content or metadata changed
    removed: frozenset[str] = frozenset()  # file ids deleted or no longer shared with us
    new_token: str = ""
    requests: int = 0


def make_session(config: GSheetsConfig) -> requests.Session:
    """A session for Drive and Sheets: the fake's base URL in tests, else the service account."""
    if config.api_base_url:
        return ApiBaseSession(config.api_base_url)
    problems = service_account_problems(config.service_account)
    if problems:
        raise SourceError("Kunci service account Google belum benar:", problems)
    from google.auth.transport.requests import AuthorizedSession
    from google.oauth2.service_account import Credentials

    info = dict(config.service_account)
    info["private_key"] = str(info["private_key"]).replace("\\n", "\n")
    try:
        credentials = Credentials.from_service_account_info(info, scopes=list(DRIVE_SCOPES))
    except Exception as error:  # google-auth: ValueError / MalformedError for a damaged key
        raise SourceError(
            f"Kunci service account di [gsheets.service_account] tidak dapat dipakai ({error})."
        ) from error
    return AuthorizedSession(credentials)


@dataclass
class GoogleReader:
    """Drive change detection and one-request register reads over one HTTP session."""

    session: requests.Session
    before_request: Callable[[str], None] = field(default=lambda _kind: None)
    timeout: float = 20.0
    client_email: str = ""
    requests_sent: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------ HTTP
    def _get(self, kind: str, url: str, params: Mapping[str, str | int | list[str]], what: str) -> dict:
        self.before_request(kind)
        self.requests_sent[kind] = self.requests_sent.get(kind, 0) + 1
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise FetchError(
                "transient", f"{what}: koneksi ke Google gagal ({type(error).__name__})."
            ) from error
        except Exception as error:
            if type(error).__module__.startswith("google.auth"):
                raise FetchError(
                    "other", f"{what}: Google menolak kunci service account ({error})."
                ) from error
            raise
        if response.ok:
            return response.json()
        raise _error(response, what, self.client_email)

    # ------------------------------------------------------------ Drive
    def start_page_token(self) -> str:
        data = self._get(
            "drive.changes.getStartPageToken",
            f"{_DRIVE}/changes/startPageToken",
            {"supportsAllDrives": "true"},
            "Drive changes.getStartPageToken",
        )
        return str(data["startPageToken"])

    def changes(self, token: str, *, page_size: int = 1000) -> ChangeSet:
        """Every file change since ``token`` (one request per 1,000 changed files)."""
        changed: set[str] = set()
        removed: set[str] = set()
        sent = 0
        page = token
        while True:
            data = self._get(
                "drive.changes.list",
                f"{_DRIVE}/changes",
                {
                    "pageToken": page,
                    "pageSize": page_size,
                    "spaces": "drive",
                    "includeItemsFromAllDrives": "true",
                    "supportsAllDrives": "true",
                    "fields": "nextPageToken,newStartPageToken,changes(fileId,removed,time,file(id,name,modifiedTime,trashed))",
                },
                "Drive changes.list",
            )
            sent += 1
            for change in data.get("changes", []):
                file_id = str(change.get("fileId") or "")
                if not file_id:
                    continue
                gone = bool(change.get("removed")) or bool((change.get("file") or {}).get("trashed"))
                (removed if gone else changed).add(file_id)
            if data.get("nextPageToken"):
                page = str(data["nextPageToken"])
                continue
            return ChangeSet(
                frozenset(changed - removed), frozenset(removed), str(data["newStartPageToken"]), sent
            )

    def visible_spreadsheets(self) -> dict[str, str]:
        """Spreadsheet id -> title of every spreadsheet shared with the service account."""
        found: dict[str, str] = {}
        page = ""
        while True:
            params: dict[str, str | int] = {
                "q": f"mimeType='{_SPREADSHEET_MIME}' and trashed=false",
                "pageSize": 1000,
                "fields": "nextPageToken,files(id,name)",
            }
            if page:
                params["pageToken"] = page
            data = self._get("drive.files.list", f"{_DRIVE}/files", params, "Drive files.list")
            for item in data.get("files", []):
                found[str(item["id"])] = str(item.get("name", ""))
            page = str(data.get("nextPageToken") or "")
            if not page:
                return found

    # ------------------------------------------------------------ Sheets
    def read_register(self, spreadsheet_id: str, worksheet: str, name: str) -> SheetGrid:
        """The register worksheet (the first sheet when ``worksheet`` is empty) in ONE batchGet."""
        return self.read_register_with(spreadsheet_id, worksheet, name)[0]

    def read_register_with(
        self, spreadsheet_id: str, worksheet: str, name: str, extra_sheets: Sequence[str] = ()
    ) -> tuple[SheetGrid, dict[str, list[list[str]]]]:
        """The register worksheet and the cells of each of ``extra_sheets`` (columns A–Z, e.g. the
        ``Survei`` sheet), all in ONE ``values.batchGet``. Google refuses the whole request when one
        named sheet does not exist: that is raised as :class:`MissingSheet` (nothing is returned)."""
        rng = _quoted(worksheet) if worksheet else _FIRST_SHEET_RANGE
        extra = {sheet: f"{sheet if sheet.isalnum() else _quoted(sheet)}!A1:Z" for sheet in extra_sheets}
        where = f"spreadsheet desa {name} ({spreadsheet_id})"
        params: dict[str, str | int | list[str]] = {
            "ranges": [rng, *extra.values()],
            "valueRenderOption": "FORMATTED_VALUE",
            "majorDimension": "ROWS",
        }
        try:
            data = self._get(
                "values.batchGet",
                f"{_SHEETS}/{spreadsheet_id}/values:batchGet",
                params,
                f"Membaca {where}" + (f", sheet '{worksheet}'" if worksheet else ""),
            )
        except FetchError as error:
            missing = next(
                (s for s, r in extra.items() if error.kind == "bad_range" and _names_range(str(error), r, s)),
                None,
            )
            if missing is not None:
                raise MissingSheet(missing, f"{where}: tidak ada sheet '{missing}'.") from error
            raise
        ranges = data.get("valueRanges") or [{}]

        def cells(position: int) -> list[list[str]]:
            found = ranges[position] if position < len(ranges) else {}
            return [[("" if c is None else str(c)) for c in row] for row in (found.get("values") or [])]

        title = worksheet or _sheet_of(str(ranges[0].get("range", "")))
        url = f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"
        grid = SheetGrid(name, cells(0), url + (f"#sheet={title}" if title else ""))
        return grid, {sheet: cells(i + 1) for i, sheet in enumerate(extra)}


def _names_range(message: str, rng: str, sheet: str) -> bool:
    """Google's 400 message names the range it could not parse (quoted or not)."""
    text = message.replace("'", "")
    return f"Unable to parse range: {rng.replace(chr(39), '')}" in text or f"range: {sheet}!" in text


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _sheet_of(range_text: str) -> str:
    match = _RANGE_SHEET.match(range_text)
    if not match:
        return ""
    return (match.group(1) or "").replace("''", "'") if match.group(1) is not None else match.group(2)


def _error(response: requests.Response, what: str, client_email: str) -> FetchError:
    code = response.status_code
    try:
        message = str(response.json().get("error", {}).get("message", ""))
    except ValueError:
        message = response.text[:200]
    if code == 404:
        return FetchError("deleted", f"{what}: tidak ditemukan (dihapus, atau URL/kunci salah). ({message})")
    if code == 403:
        who = client_email or "e-mail service account"
        return FetchError("unshared", f"{what}: belum/tidak lagi dibagikan ke {who}. Bagikan sebagai Editor.")
    if code == 429:
        return FetchError("quota", f"{what}: kuota Google terlampaui (HTTP 429). ({message})")
    if code == 400:
        return FetchError(
            "bad_range", f"{what}: Google menolak permintaan (sheet diganti nama atau dihapus?). ({message})"
        )
    if code >= 500 or code == 408:
        return FetchError("transient", f"{what}: Google sedang bermasalah (HTTP {code}).")
    return FetchError("other", f"{what}: Google menjawab HTTP {code}. ({message})")


def spreadsheet_ids(refs: Iterable[str]) -> list[str]:
    """Keys of spreadsheet URLs or keys (see data_sources.gsheets.spreadsheet_key)."""
    from data_sources.gsheets import spreadsheet_key

    return [spreadsheet_key(ref) for ref in refs]
