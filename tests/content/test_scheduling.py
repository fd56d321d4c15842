"""When is a page live? Offsets, naive times, the exact instant, translations vs. source."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.content import Visibility, load_site
from publisher.errors import PublisherError
from publisher.schedule import parse_instant, upcoming_releases
from support.factory import article, make_site, translation

TOKYO = ZoneInfo("Asia/Tokyo")


def load_one(tmp_path, **fields):
    zh = fields.pop("zh", None)
    files = {"ja.md": article(**fields)}
    if zh is not None:
        files["zh.md"] = zh
    config = load_config(make_site(tmp_path, {"a": files}))
    result = load_site(config)
    assert not result.errors, result.errors
    return result.site.articles[0]


def test_default_release_is_date_at_midnight_site_time(tmp_path):
    item = load_one(tmp_path, date="2025-12-05")
    assert item.publish_at == datetime(2025, 12, 5, 0, 0, tzinfo=TOKYO)
    assert item.publish_at.utcoffset() == timedelta(hours=9)


def test_naive_publish_at_is_site_time_not_utc(tmp_path):
    item = load_one(tmp_path, publish_at="2025-12-05T09:00")
    assert item.publish_at == datetime(2025, 12, 5, 0, 0, tzinfo=timezone.utc)


def test_naive_publish_at_with_space(tmp_path):
    item = load_one(tmp_path, publish_at="'2025-12-05 09:00'")
    assert item.publish_at == datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)


def test_publish_at_with_offset_taken_as_written(tmp_path):
    item = load_one(tmp_path, publish_at="2025-12-05T09:00+08:00")
    assert item.publish_at == datetime(2025, 12, 5, 10, 0, tzinfo=TOKYO)


def test_publish_at_in_utc(tmp_path):
    item = load_one(tmp_path, publish_at="2025-12-05T00:00Z")
    assert item.publish_at == datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)


def test_exact_release_instant_is_live(tmp_path):
    item = load_one(tmp_path, publish_at="2025-12-05T09:00+09:00")
    release = datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)
    assert item.visibility("ja", release - timedelta(microseconds=1)) is Visibility.SCHEDULED
    assert item.visibility("ja", release) is Visibility.LIVE
    # The same instant written in another offset.
    assert item.visibility("ja", datetime(2025, 12, 5, 0, 0, tzinfo=timezone.utc)) is Visibility.LIVE
    assert item.visibility("ja", datetime(2025, 12, 4, 23, 59, 59, tzinfo=timezone.utc)) is Visibility.SCHEDULED


def test_translation_published_before_its_source_waits_for_the_source(tmp_path):
    item = load_one(tmp_path, status="draft", zh=translation(status="published"))
    late = datetime(2030, 1, 1, tzinfo=TOKYO)
    assert item.visibility("ja", late) is Visibility.DRAFT
    assert item.visibility("zh", late) is Visibility.DRAFT


def test_translation_released_with_source_time(tmp_path):
    item = load_one(tmp_path, publish_at="2025-12-05T09:00", zh=translation(status="published"))
    before = datetime(2025, 12, 5, 8, 59, tzinfo=TOKYO)
    at = datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)
    assert item.visibility("zh", before) is Visibility.SCHEDULED
    assert item.visibility("zh", at) is Visibility.LIVE


def test_translation_still_in_draft_after_source_release(tmp_path):
    item = load_one(tmp_path, zh=translation(status="draft"))
    later = datetime(2026, 1, 1, tzinfo=TOKYO)
    assert item.visibility("ja", later) is Visibility.LIVE
    assert item.visibility("zh", later) is Visibility.DRAFT


def test_missing_translation_has_no_visibility(tmp_path):
    item = load_one(tmp_path)
    assert item.visibility("zh", datetime(2026, 1, 1, tzinfo=TOKYO)) is None


def test_review_is_not_live(tmp_path):
    item = load_one(tmp_path, status="review")
    assert item.visibility("ja", datetime(2030, 1, 1, tzinfo=TOKYO)) is Visibility.DRAFT


@pytest.mark.parametrize("text, expected", [
    ("2025-12-05T09:00+09:00", datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)),
    ("2025-12-05T09:00", datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)),
    ("2025-12-05", datetime(2025, 12, 5, 0, 0, tzinfo=TOKYO)),
    ("2025-12-05T00:00Z", datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)),
])
def test_parse_instant(text, expected):
    assert parse_instant(text, TOKYO) == expected


def test_parse_instant_rejects_nonsense():
    with pytest.raises(PublisherError, match="is not a date-time"):
        parse_instant("tomorrow", TOKYO)


def _schedule_site(tmp_path):
    return make_site(tmp_path, {
        "soon": {"ja.md": article(publish_at="2026-03-01T09:00", code="中国T01"),
                 "zh.md": translation(status="draft")},
        "later": {"ja.md": article(publish_at="2026-04-01T09:00+08:00"), "zh.md": translation()},
        "past": {"ja.md": article(publish_at="2025-01-01T09:00")},
        "draft": {"ja.md": article(status="draft", publish_at="2026-02-01T09:00")},
    })


def test_upcoming_releases_soonest_first(tmp_path):
    config = load_config(_schedule_site(tmp_path))
    releases = upcoming_releases(load_site(config).site, datetime(2026, 1, 1, tzinfo=TOKYO))
    assert [(r.article.slug, r.languages) for r in releases] == [("soon", ("ja",)), ("later", ("ja", "zh"))]


def test_schedule_command_lists_in_site_time(tmp_path):
    config = _schedule_site(tmp_path)
    result = CliRunner().invoke(main, ["schedule", "--config", str(config), "--now", "2026-01-01T00:00"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-03-01 09:00 JST  soon  [ja]  【中国T01】")
    assert lines[1].startswith("2026-04-01 10:00 JST  later  [ja,zh]")


def test_schedule_next_prints_one_instant(tmp_path):
    config = _schedule_site(tmp_path)
    result = CliRunner().invoke(main, ["schedule", "--config", str(config), "--next", "--now", "2026-03-01T09:00"])
    assert result.exit_code == 0
    # At the exact release instant "soon" is live, so the next one is "later".
    assert result.stdout == "2026-04-01T10:00:00+09:00\n"


def test_schedule_next_prints_nothing_when_none(tmp_path):
    config = _schedule_site(tmp_path)
    result = CliRunner().invoke(main, ["schedule", "--config", str(config), "--next", "--now", "2027-01-01"])
    assert result.exit_code == 0
    assert result.stdout == ""
