"""Which paper a country prints on: Letter in most of the Americas, A4 elsewhere."""

from __future__ import annotations

# CLDR's supplemental measurement data (paperSize "US-Letter"): the territories that use Letter.
LETTER_COUNTRIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR",
                              "SV", "US", "VE"})


def paper_for_country(country: str) -> str:
    """'letter' or 'a4' for an ISO 3166 country code (A4 when it is unknown)."""
    return "letter" if country.upper() in LETTER_COUNTRIES else "a4"
