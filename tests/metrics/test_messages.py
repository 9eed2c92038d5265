"""The WhatsApp answer message invites the resident to the survey on Lacak."""

import urllib.parse

from metrics.messages import answer_message, survey_text
from metrics.profiles import load_profile

UMUM = load_profile("umum")


def test_the_answer_message_links_lacak_with_the_nomor_filled_in():
    row = {"nomor": "CBD/2026/01/0007", "no_hp": "081234567890", "hasil_tindak_lanjut": "Sudah diperbaiki."}
    text = answer_message(row, UMUM, "Cibodas", public_url="https://pantau.example.id/")
    assert "https://pantau.example.id/lacak?nomor=CBD%2F2026%2F01%2F0007" in text
    link = text.split("di https://")[-1].split(" ")[0]
    assert urllib.parse.unquote(link.split("nomor=")[1]) == "CBD/2026/01/0007"
    assert "di menu Lacak Pengaduan" in survey_text("CBD/2026/01/0007")
    assert "nilai penanganannya" in answer_message(row, UMUM, "Cibodas")
