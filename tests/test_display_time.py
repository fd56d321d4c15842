"""Times shown to staff and readers: a human zone label, and Beijing time first for Chinese readers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from publisher.display_time import display_time

TOKYO, SHANGHAI = ZoneInfo("Asia/Tokyo"), ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("moment", "lang", "display", "shown"), [
    (datetime(2027, 1, 15, 9, 0, tzinfo=TOKYO), "zh", SHANGHAI, "2027.01.15 08:00 北京时间（东京时间 09:00）"),
    (datetime(2027, 1, 15, 0, 30, tzinfo=TOKYO), "zh", SHANGHAI,
     "2027.01.14 23:30 北京时间（东京时间 2027.01.15 00:30）"),
    (datetime(2027, 1, 15, 9, 0, tzinfo=TOKYO), "ja", TOKYO, "2027.01.15 09:00 日本時間"),
    (datetime(2027, 1, 15, 0, 0, tzinfo=ZoneInfo("UTC")), "ja", None, "2027.01.15 09:00 日本時間"),
    (datetime(2027, 1, 15, 9, 0, tzinfo=TOKYO), "en", None, "2027.01.15 09:00 Tokyo time"),
])
def test_display_time(moment, lang, display, shown) -> None:
    assert display_time(moment, TOKYO, lang, display) == shown


def test_a_zone_without_a_label_is_named_by_its_offset() -> None:
    moment = datetime(2027, 1, 15, 9, 0, tzinfo=TOKYO)
    assert display_time(moment, ZoneInfo("Asia/Bangkok"), "ja") == "2027.01.15 07:00 UTC+07:00"


@pytest.mark.parametrize(("lang", "display", "shown"), [
    ("ja", None, "2027.01.15(金) 00:30 日本時間"),
    ("ja", SHANGHAI, "2027.01.14(木) 23:30 中国時間（日本時間 2027.01.15(金) 00:30）"),
    ("zh", SHANGHAI, "2027.01.14(周四) 23:30 北京时间（东京时间 2027.01.15(周五) 00:30）"),
    ("en", None, "2027.01.15(Fri) 00:30 Tokyo time"),
])
def test_with_the_weekday_after_each_date(lang, display, shown) -> None:
    """As the preview dashboard shows release times."""
    moment = datetime(2027, 1, 15, 0, 30, tzinfo=TOKYO)
    assert display_time(moment, TOKYO, lang, display, weekday=True) == shown
