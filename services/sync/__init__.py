"""Kabupaten scale: the desa registry, the sync worker and its CLI (``python -m services.sync``)."""
