"""Messages in both languages from code that has no streamlit (metrics/, services/).

One mechanism: **a message carries its English**. ``Text("Indonesia", "English")`` *is* the
Indonesian ``str`` (so every caller that treats a message as text — logs, PantauError, tests,
the CLI — keeps working unchanged) and carries ``.en``. The dashboard renders a message with
``dashboard.i18n.tr(message)``: the English text in an English session, the string itself
otherwise. A plain ``str`` (code written Indonesian-first) still renders, as written.

Counts use ``count_text(n, "temuan", "finding", "findings")`` -> "1 finding", "3 findings".
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """A message: the Indonesian text (the ``str`` itself) and its English ``en``."""

    en: str

    def __new__(cls, indonesian: str, english: str) -> Text:
        obj = super().__new__(cls, indonesian)
        obj.en = english
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # pickling keeps the English
        return (str(self), self.en)

    def __add__(self, other: str) -> Text:
        return Text(str(self) + str(other), self.en + english(other))

    def __radd__(self, other: str) -> Text:
        return Text(str(other) + str(self), english(other) + self.en)

    def format(self, *args: Any, **kwargs: Any) -> Text:
        return Text(str(self).format(*args, **kwargs), self.en.format(*args, **kwargs))


def english(message: object) -> str:
    """The English of a message: ``.en`` of a :class:`Text`, else the text as written."""
    return message.en if isinstance(message, Text) else str(message)


def join(separator: str, messages: list[str] | tuple[str, ...]) -> Text:
    """``separator.join(messages)`` keeping each message's English."""
    return Text(separator.join(messages), separator.join(english(m) for m in messages))


def count_text(n: int, indonesian: str, singular: str, plural: str) -> Text:
    """``n`` and the noun in both languages: Indonesian has one form; English picks by ``n``."""
    shown = f"{n:,}".replace(",", ".")
    return Text(f"{shown} {indonesian}", f"{n:,} {singular if n == 1 else plural}")
