"""Dates and release instants of the frontmatter, with the messages a writer needs to correct them (a
real date? two digits? which time zone?)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, Protocol

from ..config import SiteConfig
from ..i18n import _


class FieldErrors(Protocol):
    """Where a parse reports an error at a field's line (the loader's field reader)."""

    def error(self, name: str, message: str) -> None: ...


def parse_date(fields: FieldErrors, name: str, value: Any) -> date | None:
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        fields.error(name, _("{text} is not a real date; check the month and day").format(text=text))
    else:
        fields.error(name, _("{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-12-05").format(
                               text=text))
    return None


def parse_release(fields: FieldErrors, value: Any, config: SiteConfig) -> datetime | None:
    """A release instant: naive times are in the site's time zone, never UTC."""
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        day = parse_date(fields, "publish_at", text)
        return datetime.combine(day, time(0, 0), tzinfo=config.timezone) if day else None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        padded = _zero_padded(text)
        if padded != text:
            fields.error("publish_at", _("{text}: hours, months and days need two digits; write {padded}").format(
                text=text, padded=padded))
        elif re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}", text):
            fields.error("publish_at", _("{text} is not a real date and time; check the month, day, hour and "
                                         "minute").format(text=text))
        else:
            fields.error("publish_at", _("{text!r} is not a date-time; write it as YYYY-MM-DDTHH:MM (site "
                                         "time, {timezone_key}) or with an offset, e.g. "
                                         "2025-12-05T09:00+09:00").format(
                                           text=text, timezone_key=config.timezone.key))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=config.timezone)
    return moment


def _zero_padded(text: str) -> str:
    """`2026-12-06 9:00` -> `2026-12-06T09:00` when that is a valid instant (else `text` unchanged)."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(.*)$", text)
    if match is None:
        return text
    year, month, day, hour, minute, rest = match.groups()
    padded = f"{year}-{int(month):02d}-{int(day):02d}T{int(hour):02d}:{minute}{rest}"
    if (month, day, hour) == (f"{int(month):02d}", f"{int(day):02d}", f"{int(hour):02d}"):
        return text
    try:
        datetime.fromisoformat(padded)
    except ValueError:
        return text
    return padded
