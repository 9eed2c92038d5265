"""The one domain error class: it carries a message a user can act on."""

from __future__ import annotations

from metrics.text import Text, english, join


class PantauError(Exception):
    """An error whose message is shown to the user (Bahasa Indonesia; with its English when the
    message is a ``metrics.text.Text``).

    ``problems`` lists every individual mistake when several were found at once
    (e.g. all the errors of an SOP profile), so a user can fix them in one go.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        lines = [message, *[Text(f"- {p}", f"- {english(p)}") for p in self.problems]]
        full = join("\n", lines)
        super().__init__(str(full))
        self.message = str(full)
        # both languages (``metrics.text``); the dashboard shows it with ``dashboard.i18n.tr``
        self.text = full
