"""Dates as people say them: "3 de julio" this year, "3 de julio de 2023" any other year (a
date without its year is read as this year's)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def day_month(value: dt.date | None) -> str:
    if not value:
        return ""
    if value.year == timezone.localdate().year:
        return formats.date_format(value, "MONTH_DAY_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")
