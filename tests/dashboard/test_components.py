"""dashboard.components.plain: register text shown through Markdown reads exactly as written."""

import re

from dashboard.components import plain, plain_lines


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_every_markdown_construct_is_neutralised_and_the_text_kept():
    hostile = (
        "**b** _i_ [l](http://x) ![p](http://t/p.png) <img src=x> # h :red[r] :material/home: $x$ `c` 1. a"
    )
    shown = plain(hostile)
    # every character Markdown or Streamlit would interpret is backslash-escaped
    assert not re.search(r"(?<!\\)[`*_\[\]()<>#!:$.]", shown), shown
    assert unescaped(shown) == hostile
    assert plain(None) == "" and plain("CBD/2026/01/0007") == "CBD/2026/01/0007"


def test_plain_lines_keeps_line_breaks():
    assert plain_lines("baris *1*\nbaris 2") == "baris \\*1\\*  \nbaris 2"
