"""The one domain error class: it carries a message a user can act on."""

from __future__ import annotations


class PantauError(Exception):
    """An error whose message is shown to the user as is (Bahasa Indonesia).

    ``problems`` lists every individual mistake when several were found at once
    (e.g. all the errors of an SOP profile), so a user can fix them in one go.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        full = message if not self.problems else message + "\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(full)
        self.message = full
