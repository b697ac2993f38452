"""Measuring wellbeing confidentially: instruments as data, scoring per manual, change between
waves, small-cell suppression, and ODK/Kobo/CommCare forms. Plain Python, no Django.
"""

from acompana.domain.instruments.registry import INSTRUMENTS, get_instrument
from acompana.domain.instruments.scoring import CareFlag, ResponseError, Score, score

__all__ = ["INSTRUMENTS", "CareFlag", "ResponseError", "Score", "get_instrument", "score"]
