"""Sampaikan Pengaduan (public, no login): a resident files a complaint (channel Website) and gets
the Nomor, the receipt and the Lacak link. Open only with ``[pantau] public_intake`` (default: the
demo register only); every refusal says why (services.public_intake)."""

from dashboard.access import require_page
from dashboard.intake_views import show_public_intake_page

require_page("sampaikan")
show_public_intake_page()
