"""Times as staff and readers read them: `2027.01.15 08:00 北京时间（东京时间 09:00）`.

A time zone is named by a human label in the reader's language (`日本時間`, `北京时间`), not by its IANA key;
readers of a language with a display time zone of its own (`[languages.<code>] display_timezone`, Beijing
time for Chinese) see that time first and the site's in parentheses.
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


def zone_label(zone: ZoneInfo, lang: str, at: datetime) -> str:
    """`日本時間`, `北京时间`; a zone without a label is named by its offset (`UTC+07:00`)."""
    label = _LABELS.get(zone.key, {}).get(lang)
    if label:
        return label
    offset = at.astimezone(zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def display_time(moment: datetime, site_zone: ZoneInfo, lang: str, display_zone: ZoneInfo | None = None) -> str:
    """`moment` for readers of `lang`: in their display zone first when it differs from the site's."""
    site_time = moment.astimezone(site_zone)
    shown = f"{site_time:%Y.%m.%d %H:%M} {zone_label(site_zone, lang, moment)}"
    if display_zone is None or display_zone.key == site_zone.key or \
            moment.astimezone(display_zone).utcoffset() == site_time.utcoffset():
        return shown
    local = moment.astimezone(display_zone)
    other = f"{site_time:%H:%M}" if local.date() == site_time.date() else f"{site_time:%Y.%m.%d %H:%M}"
    open_, close = ("（", "）") if lang in ("ja", "zh") else (" (", ")")
    return f"{local:%Y.%m.%d %H:%M} {zone_label(display_zone, lang, moment)}{open_}{zone_label(site_zone, lang, moment)} {other}{close}"
