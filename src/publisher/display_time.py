"""Times as staff and readers read them: `2027.01.15 08:00 北京时间（东京时间 09:00）`.

A time zone is named by a human label in the reader's language (`日本時間`, `北京时间`), not by its IANA key;
readers of a language with a display time zone of its own (`[languages.<code>] display_timezone`, Beijing
time for Chinese) see that time first and the site's in parentheses. The banners of pages and PDFs and the
preview dashboard all write times through `display_time`, so staff and readers see them in one form.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

_LABELS = {
    "Asia/Tokyo": {"ja": "日本時間", "zh": "东京时间", "en": "Tokyo time"},
    "Asia/Shanghai": {"ja": "中国時間", "zh": "北京时间", "en": "Beijing time"},
    "Asia/Hong_Kong": {"ja": "香港時間", "zh": "香港时间", "en": "Hong Kong time"},
    "UTC": {"ja": "協定世界時", "zh": "协调世界时", "en": "UTC"},
}

#: Weekday names, Monday first (`2026.06.01(月)`); a language not listed gets English abbreviations.
_WEEKDAYS = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def zone_label(zone: ZoneInfo, lang: str, at: datetime) -> str:
    """`日本時間`, `北京时间`; a zone without a label is named by its offset (`UTC+07:00`)."""
    label = _LABELS.get(zone.key, {}).get(lang)
    if label:
        return label
    offset = at.astimezone(zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def display_time(moment: datetime, site_zone: ZoneInfo, lang: str, display_zone: ZoneInfo | None = None, *,
                 weekday: bool = False) -> str:
    """`moment` for readers of `lang`: in their display zone first when it differs from the site's.

    `weekday` adds the day of the week after each date (`2026.06.01(月) 09:00 日本時間`), as the preview's
    tables show it."""
    site_time = moment.astimezone(site_zone)
    shown = f"{_date(site_time, lang, weekday)} {site_time:%H:%M} {zone_label(site_zone, lang, moment)}"
    if display_zone is None or display_zone.key == site_zone.key or \
            moment.astimezone(display_zone).utcoffset() == site_time.utcoffset():
        return shown
    local = moment.astimezone(display_zone)
    other = f"{site_time:%H:%M}" if local.date() == site_time.date() else \
        f"{_date(site_time, lang, weekday)} {site_time:%H:%M}"
    open_, close = ("（", "）") if lang in ("ja", "zh") else (" (", ")")
    return (f"{_date(local, lang, weekday)} {local:%H:%M} {zone_label(display_zone, lang, moment)}"
            f"{open_}{zone_label(site_zone, lang, moment)} {other}{close}")


def _date(local: datetime, lang: str, weekday: bool) -> str:
    if not weekday:
        return f"{local:%Y.%m.%d}"
    return f"{local:%Y.%m.%d}({_WEEKDAYS.get(lang, _WEEKDAYS['en'])[local.weekday()]})"
