"""Reminders and notifications over Telegram and e-mail, run outside the web app
(``./run notify``). See ``run.py`` for one pass and ``ledger.py`` for the exactly-once guarantee."""
