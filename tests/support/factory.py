"""Build small throwaway sites in a temporary folder, for content and build tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_site(root: Path, articles: dict[str, dict[str, str | bytes]], *, config: str | None = None) -> Path:
    """Write publisher.toml (the repo's, unless `config` is given), templates, assets and
    `articles/<slug>/<file>` for each entry; return the path of publisher.toml."""
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / "publisher.toml"
    config_path.write_text(config if config is not None else (REPO_ROOT / "publisher.toml").read_text("utf-8"),
                           encoding="utf-8")
    for folder in ("templates", "assets"):
        if not (root / folder).exists():
            shutil.copytree(REPO_ROOT / folder, root / folder)
    (root / "articles").mkdir(exist_ok=True)
    for slug, files in articles.items():
        folder = root / "articles" / slug
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return config_path


def article(title: str = "テスト記事", body: str = "本文です。\n", **fields: str) -> str:
    """Source Markdown with `title`, a default date and status, plus raw YAML `fields`."""
    values = {"date": "2025-12-05", "status": "published"}
    values.update(fields)
    lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def translation(title: str = "测试文章", body: str = "正文。\n", **fields: str) -> str:
    fields.setdefault("status", "published")
    lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body
