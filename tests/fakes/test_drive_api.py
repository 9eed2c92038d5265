"""The Drive v3 part of the Google API fake and its per-user quota, driven with plain requests."""

from __future__ import annotations

import datetime as dt

from tests.fakes.kabupaten import FakeClock
from tests.fakes.sheets_api import FakeSheetsServer

DRIVE = "https://www.googleapis.com/drive/v3"


def test_changes_since_a_token_one_per_file_with_removals() -> None:
    clock = FakeClock()
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        a = server.add_spreadsheet("A", {"S": [["x"]]})
        b = server.add_spreadsheet("B", {"S": [["x"]]})
        c = server.add_spreadsheet("C", {"S": [["x"]]})
        http = server.session()
        token = http.get(f"{DRIVE}/changes/startPageToken").json()["startPageToken"]
        nothing = http.get(f"{DRIVE}/changes", params={"pageToken": token}).json()
        assert nothing["changes"] == [] and nothing["newStartPageToken"] == token

        clock.sleep(5)
        server.set_values(a, "S", [["1"]], start="A2")
        server.set_values(a, "S", [["2"]], start="A3")
        gspread_client = server.client()
        gspread_client.open_by_key(b).sheet1.update_acell("B1", "lewat API")
        server.delete_spreadsheet(c)
        page = http.get(f"{DRIVE}/changes", params={"pageToken": token, "pageSize": 2}).json()
        assert [(ch["fileId"], ch["removed"]) for ch in page["changes"]] == [(a, False), (b, False)]
        edited_at = dt.datetime.fromtimestamp(clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert page["changes"][0]["file"]["modifiedTime"] == edited_at
        rest = http.get(f"{DRIVE}/changes", params={"pageToken": page["nextPageToken"]}).json()
        assert [(ch["fileId"], ch["removed"]) for ch in rest["changes"]] == [(c, True)]
        later = http.get(f"{DRIVE}/changes", params={"pageToken": rest["newStartPageToken"]}).json()
        assert later["changes"] == []

        server.set_shared(b, False)
        unshared = http.get(f"{DRIVE}/changes", params={"pageToken": rest["newStartPageToken"]}).json()
        assert [(ch["fileId"], ch["removed"]) for ch in unshared["changes"]] == [(b, True)]
        assert http.get(f"{DRIVE}/changes", params={"pageToken": "x"}).status_code == 400


def test_files_list_by_modified_time_shows_only_shared_spreadsheets() -> None:
    clock = FakeClock(start=1_790_000_000)
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        old = server.add_spreadsheet("Lama", {"S": [["x"]]})
        clock.sleep(3600)
        new = server.add_spreadsheet("Baru", {"S": [["x"]]})
        server.add_spreadsheet("Rahasia", {"S": [["x"]]}, shared=False)
        http = server.session()
        every = http.get(f"{DRIVE}/files").json()["files"]
        assert {f["id"] for f in every} == {old, new}
        cutoff = dt.datetime.fromtimestamp(clock() - 1800, dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )  # between them
        recent = http.get(f"{DRIVE}/files", params={"q": f"modifiedTime > '{cutoff}'"}).json()["files"]
        assert [f["id"] for f in recent] == [new]


def test_quota_per_user_per_minute_on_the_test_clock() -> None:
    clock = FakeClock(start=60 * 29_833_334 + 40)  # 20 s before a minute boundary
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        key = server.add_spreadsheet("A", {"S": [["x"]]})
        server.set_quota(3)
        server.set_quota(1, "drive")
        alice, bob = server.session("alice"), server.session("bob")
        url = f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values/S"
        assert [alice.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert bob.get(url).status_code == 200
        answer = alice.get(url).json()["error"]
        assert answer["status"] == "RESOURCE_EXHAUSTED" and "per user" in answer["message"]
        assert [alice.get(f"{DRIVE}/changes/startPageToken").status_code for _ in range(2)] == [200, 429]
        clock.sleep(20)  # next minute
        assert alice.get(url).status_code == 200
        assert server.quota_rejections == 3
        server.set_quota(None)
        assert all(alice.get(url).status_code == 200 for _ in range(5))
