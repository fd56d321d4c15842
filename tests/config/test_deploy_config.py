"""`[deploy.<name>]` tables: what is accepted, and a `path:line: field:` message for what is not."""

from __future__ import annotations

import pytest

from publisher.config import load_config
from publisher.errors import ConfigError
from support.fixture_site import copy_fixture


def configured(tmp_path, text: str):
    path = copy_fixture(tmp_path)
    base = path.read_text("utf-8")
    path.write_text(base + "\n" + text, "utf-8")
    return path


def problems(tmp_path, text: str) -> list[str]:
    path = configured(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [p.format(path.parent) for p in caught.value.problems]


def test_each_kind_of_target(tmp_path):
    path = configured(tmp_path, """
[deploy.production]
url = "s3://my-bucket/site"
endpoint_url = "https://oss-cn-shanghai.aliyuncs.com"
region = "oss-cn-shanghai"
max_deletes = 20
precompress = true
cache_control = { "*.html" = "no-cache", "media/*" = "public, max-age=86400" }
invalidate = "./purge.sh {paths}"

[deploy.server]
url = "deploy@web.example.com:/var/www/blog"

[deploy.local]
url = "../public"

[deploy.staging]
url = "/srv/staging"
method = "rsync"
preview = true
folder = "preview"
""")
    deploy = load_config(path).deploy
    production = deploy["production"]
    assert production.method == "s3" and production.region == "oss-cn-shanghai" and production.max_deletes == 20
    assert production.cache_control == (("*.html", "no-cache"), ("media/*", "public, max-age=86400"))
    assert production.invalidate == ("./purge.sh", "{paths}") and production.precompress
    assert deploy["server"].method == "rsync" and deploy["server"].local_path is None
    assert deploy["local"].method == "copy" and deploy["local"].local_path == (path.parent / "../public").resolve()
    staging = deploy["staging"]
    assert staging.method == "rsync" and staging.preview and staging.folder == path.parent / "preview"
    assert staging.local_path is not None


def test_credentials_are_refused_at_their_line(tmp_path):
    text = '[deploy.production]\nurl = "s3://bucket"\naws_secret_access_key = "x"\n'
    found = problems(tmp_path, text)
    line = (tmp_path / "site/publisher.toml").read_text("utf-8").splitlines().index('aws_secret_access_key = "x"') + 1
    assert len(found) == 1
    assert found[0].startswith(f"publisher.toml:{line}: deploy.production.aws_secret_access_key: "
                               "credentials never go in publisher.toml")


def test_a_password_in_the_url_is_refused(tmp_path):
    found = problems(tmp_path, '[deploy.web]\nurl = "rsync://user:hunter2@host/site"\n')
    assert len(found) == 1 and "deploy.web.url: the url holds a password" in found[0]
    assert "hunter2" not in found[0]


@pytest.mark.parametrize(("text", "message"), [
    ('[deploy.a]\nregion = "x"\n', "deploy.a: needs a url"),
    ('[deploy.a]\nurl = "s3://"\n', "deploy.a.url: 's3://' needs a bucket name"),
    ('[deploy.a]\nurl = "ftp://host/x"\n', "is not a kind of target publish knows"),
    ('[deploy.a]\nurl = "/srv/www"\nregion = "x"\n', "deploy.a.region: `region` is only for s3:// targets"),
    ('[deploy.a]\nurl = "/srv/www"\nprecompress = true\n', "deploy.a.precompress: pre-compressed files need"),
    ('[deploy.a]\nurl = "/srv/www"\npreview = true\n', "deploy.a: a preview target needs `folder`"),
    ('[deploy.a]\nurl = "/srv/www"\nmax_deletes = -1\n', "deploy.a.max_deletes: must be a whole number"),
    ('[deploy.a]\nurl = "/srv/www"\nmethod = "ftp"\n', "deploy.a.method: must be \"s3\", \"rsync\" or \"copy\""),
    ('[deploy.a]\nurl = "/srv/www"\ncache_control = "long"\n', "deploy.a.cache_control: must be a table"),
    ('[deploy.a]\nurl = "/srv/www"\nbucket = "x"\n', "deploy.a.bucket: unknown key `bucket` in [deploy.a]"),
    ('[deploy]\nurl = "/srv/www"\n', "deploy.url: `deploy.url` must be a table"),
])
def test_bad_tables_name_the_field_and_the_fix(tmp_path, text, message):
    found = problems(tmp_path, text)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("publisher.toml:")
