"""Fixtures of the deploy tests: a writable fixture site with deploy targets, and a real S3 server."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterator

import pytest

from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture
from support.s3_server import ACCESS_KEY, SECRET_KEY, S3Server


@pytest.fixture()
def s3_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    """rclone serve s3 on 127.0.0.1; boto3's standard credential chain finds the keys in the environment."""
    server = S3Server(tmp_path / "s3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    yield server
    server.stop()


class Site:
    """A copy of the fixture site whose publisher.toml gets `[deploy.*]` tables."""

    def __init__(self, tmp_path: Path):
        self.config_path = copy_fixture(tmp_path)
        self.root = self.config_path.parent
        self.base = self.config_path.read_text("utf-8")

    def targets(self, text: str):
        self.config_path.write_text(self.base + "\n" + text, "utf-8")
        return self.config()

    def config(self):
        return dataclasses.replace(load_config(self.config_path), cache_dir=self.root.parent / "cache")

    def build(self, now=NOW, **options):
        return build_site(self.config(), BuildOptions(now=now, **options))

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def files(self, folder: Path | None = None) -> dict[str, bytes]:
        folder = folder or self.dist
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name not in (".publisher-output", ".publisher-deploy.json")}


@pytest.fixture()
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)
