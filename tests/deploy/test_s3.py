"""`publish deploy` to a real S3 endpoint (rclone serve s3 on 127.0.0.1) through the real boto3 client."""

from __future__ import annotations

import gzip
import json
import sys

import pytest

from publisher.deploy import MANIFEST, DeployOptions, DeployRefused, deploy_site
from publisher.deploy import headers
from support.fixture_site import NOW


def s3_target(server, **keys) -> str:
    extra = "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
    return (f"[deploy.production]\nurl = \"s3://{server.bucket}/blog\"\nendpoint_url = \"{server.endpoint}\"\n"
            f"region = \"us-east-1\"\n{extra}")


def deploy(site, name="production", **options):
    config = site.config()
    progress = options.pop("progress", None)
    return deploy_site(config, config.deploy[name], DeployOptions(now=options.pop("now", NOW), **options),
                       progress=progress)


def remote(server) -> dict[str, bytes]:
    client = server.client()
    return {key[len("blog/"):]: client.get_object(Bucket=server.bucket, Key=key)["Body"].read()
            for key in server.objects("blog/") if not key.endswith(MANIFEST)}


def test_first_deploy_uploads_the_build_with_its_headers(site, s3_server):
    site.targets(s3_target(s3_server))
    site.build()
    report = deploy(site)
    local = site.files()
    assert remote(s3_server) == local
    assert {f.path for f in report.plan.uploads} == set(local) and report.plan.unchanged == 0
    assert f"blog/{MANIFEST}" in s3_server.objects("blog/")
    client = s3_server.client()

    def head(path):
        return client.head_object(Bucket=s3_server.bucket, Key=f"blog/{path}")

    page = head("ja/alpha/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == headers.SHORT
    assert "ContentEncoding" not in page
    assert head("ja/feed.xml")["ContentType"] == "application/atom+xml; charset=utf-8"
    assert head("sitemap.xml")["ContentType"] == "application/xml; charset=utf-8"
    assert head("releases.json")["ContentType"] == "application/json; charset=utf-8"
    assert head("assets/site.css")["ContentType"] == "text/css; charset=utf-8"
    assert head("assets/site.css")["CacheControl"] == headers.STYLES
    image = head("assets/og-image.png")
    assert image["ContentType"] == "image/png" and image["CacheControl"] == headers.MEDIUM
    # The upload order: media and assets, then pages, then feeds, sitemap and releases.json.
    phases = [f.phase for f in report.plan.uploads]
    assert phases == sorted(phases, key=["media", "pages", "indexes"].index)
    order = [f.path for f in report.plan.uploads]
    assert order.index("media/alpha/hero.svg") < order.index("ja/alpha/index.html") < order.index("ja/feed.xml")
    assert order[-1].endswith(("sitemap.xml", "releases.json", "robots.txt", "feed.xml"))


def test_a_deploy_with_nothing_changed_sends_nothing(site, s3_server):
    site.targets(s3_target(s3_server))
    site.build()
    deploy(site)
    before = s3_server.objects("blog/")
    report = deploy(site)
    assert report.plan.nothing_to_do and report.plan.unchanged == len(site.files())
    assert s3_server.objects("blog/") == before  # same ETags and modification times: nothing was written


def test_editing_one_article_sends_only_its_files(site, s3_server):
    site.targets(s3_target(s3_server))
    site.build()
    deploy(site)
    before = s3_server.objects("blog/")
    source = site.root / "articles/alpha/ja.md"
    source.write_text(source.read_text("utf-8").replace("沿海部の人件費は", "沿海部の賃金水準は"), "utf-8")
    site.build()
    report = deploy(site)
    assert {f.path for f in report.plan.uploads} == {"ja/alpha/index.html", "ja/feed.xml", "releases.json", "ja/tags/工業団地/feed.xml", "ja/tags/立地選定/feed.xml"}
    assert report.plan.deletes == () and not report.plan.new
    after = s3_server.objects("blog/")
    changed = {key for key in after if key not in before or after[key]["ETag"] != before[key]["ETag"]}
    assert changed == {"blog/ja/alpha/index.html", "blog/ja/feed.xml", "blog/releases.json", f"blog/{MANIFEST}",
                       "blog/ja/tags/工業団地/feed.xml", "blog/ja/tags/立地選定/feed.xml"}
    assert "沿海部の賃金水準は" in remote(s3_server)["ja/alpha/index.html"].decode()


def withdraw(site, slug):
    source = site.root / f"articles/{slug}/ja.md"
    source.write_text(source.read_text("utf-8").replace("status: published", "status: draft"), "utf-8")


def test_withdrawn_pages_are_deleted_within_the_cap(site, s3_server):
    site.targets(s3_target(s3_server, max_deletes=1))
    site.build()
    deploy(site)
    withdraw(site, "beta")
    site.build()
    before = s3_server.objects("blog/")
    with pytest.raises(DeployRefused, match=r"would delete 4 files .* max_deletes = 1.*--yes"):
        deploy(site)
    assert s3_server.objects("blog/") == before  # refused before anything was sent
    report = deploy(site, yes=True)
    # beta's page, its social card, and its tag's page and feed (beta was the only article tagged 営業); its
    # zh.md is a draft.
    assert set(report.plan.deletes) == {"ja/beta/index.html", "ja/beta/card.jpg", "ja/tags/営業/index.html",
                                        "ja/tags/営業/feed.xml"}
    assert remote(s3_server) == site.files()


def test_the_dry_run_plans_and_changes_nothing(site, s3_server):
    site.targets(s3_target(s3_server, max_deletes=0))
    site.build()
    deploy(site)
    withdraw(site, "beta")
    site.build()
    before = s3_server.objects("blog/")
    report = deploy(site, dry_run=True)  # over the cap, but a dry run only shows the plan
    assert report.dry_run and set(report.plan.deletes) == {"ja/beta/index.html", "ja/beta/card.jpg",
                                                           "ja/tags/営業/index.html", "ja/tags/営業/feed.xml"}
    assert {f.path for f in report.plan.uploads} >= {"ja/index.html", "sitemap.xml", "ja/feed.xml"}
    assert s3_server.objects("blog/") == before


def test_a_deploy_stopped_half_way_is_finished_by_the_next(site, s3_server):
    site.targets(s3_target(s3_server))
    site.build()
    deploy(site)
    withdraw(site, "beta")
    for slug in ("alpha", "gamma"):
        source = site.root / f"articles/{slug}/zh.md"
        source.write_text(source.read_text("utf-8") + "\n补充一段。\n", "utf-8")
    site.build()

    def stop_after_two(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        deploy(site, progress=stop_after_two)
    manifest = json.loads(s3_server.client().get_object(Bucket=s3_server.bucket, Key=f"blog/{MANIFEST}")["Body"].read())
    assert manifest["complete"] is False
    assert remote(s3_server) != site.files()  # half-way: some files new, some old, deletions not done
    report = deploy(site)
    assert report.plan.deletes and report.plan.uploads
    assert remote(s3_server) == site.files()
    assert deploy(site).plan.nothing_to_do


def test_precompressed_upload_carries_content_encoding(site, s3_server):
    site.targets(s3_target(s3_server, precompress=True))
    site.build()
    deploy(site)
    client = s3_server.client()
    page = client.get_object(Bucket=s3_server.bucket, Key="blog/ja/alpha/index.html")
    assert page["ContentEncoding"] == "gzip" and page["ContentType"] == "text/html; charset=utf-8"
    assert gzip.decompress(page["Body"].read()) == (site.dist / "ja/alpha/index.html").read_bytes()
    image = client.head_object(Bucket=s3_server.bucket, Key="blog/assets/og-image.png")
    assert "ContentEncoding" not in image  # images are not compressed again


def test_cache_control_rules_and_the_invalidation_command(site, s3_server, tmp_path):
    record = tmp_path / "invalidated.txt"
    command = [sys.executable, "-c",
               f"import sys; open({str(record)!r}, 'w').write('\\n'.join(sys.argv[1:]))", "{paths}"]
    site.targets(s3_target(s3_server, invalidate=command) + "cache_control = { \"*.html\" = \"no-cache\" }\n")
    site.build()
    deploy(site)
    assert s3_server.client().head_object(Bucket=s3_server.bucket,
                                          Key="blog/ja/alpha/index.html")["CacheControl"] == "no-cache"
    source = site.root / "articles/alpha/ja.md"
    source.write_text(source.read_text("utf-8").replace("沿海部の人件費は", "沿海部の賃金水準は"), "utf-8")
    site.build()
    report = deploy(site)
    # URL paths under base_url (https://example.com/blog/); a page is also invalidated as its folder.
    assert record.read_text().splitlines() == list(report.invalidated)
    assert set(report.invalidated) == {"/blog/ja/alpha/index.html", "/blog/ja/alpha/", "/blog/ja/feed.xml", "/blog/releases.json",
                                   "/blog/ja/tags/%E5%B7%A5%E6%A5%AD%E5%9B%A3%E5%9C%B0/feed.xml",
                                   "/blog/ja/tags/%E7%AB%8B%E5%9C%B0%E9%81%B8%E5%AE%9A/feed.xml"}


def test_missing_credentials_are_a_clear_message(site, s3_server, monkeypatch):
    site.targets(s3_target(s3_server))
    site.build()
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    from publisher.deploy import DeployError
    with pytest.raises(DeployError, match="no credentials for s3://site/blog: set AWS_ACCESS_KEY_ID"):
        deploy(site)
