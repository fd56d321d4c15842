"""The real export from the existing site, when ../shared/seeds/ is there (it is reference material, not shipped)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import frontmatter
import pytest
from importer.conftest import NOW, options
from support import REPO_ROOT
from support.factory import make_site

from publisher.config import load_config
from publisher.content import load_site
from publisher.importer import Outcome, import_pages
from publisher.importer.model import BlockKind
from publisher.site.build import BuildOptions, build_site

SEED = REPO_ROOT.parent / "shared" / "seeds" / "legacy-export-china-G93-city-growth-stories.txt"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"optional: the real export {SEED} is not on this "
                                                           "machine (the fixtures in tests/importer cover every rule)")


def test_real_export_imports_with_its_structure(tmp_path: Path) -> None:
    config = load_config(make_site(tmp_path / "site", {}))
    (file,) = import_pages(config, [SEED], options()).files
    assert file.outcome is Outcome.IMPORTED
    page = file.page
    assert page.code == "中国G93"
    assert page.date == date(2025, 12, 5)
    assert len(page.sections) == 2
    assert len(page.sub_blocks) == 10 and all(s.startswith("【成長物語") for s in page.sub_blocks)
    assert sum(1 for b in page.blocks if b.kind is BlockKind.TAGLINE) == 10
    assert page.notices.ai_text and page.notices.pseudonyms and page.notices.ai_image
    assert page.dropped[:2] == ("breadcrumbs", "ranking (10 entries)")

    post = frontmatter.load(file.written)
    assert post.metadata["code"] == "中国G93" and str(post.metadata["date"]) == "2025-12-05"
    assert post.content.count("\n### 【成長物語") == 10 and post.content.count("\n## ") + post.content.startswith("## ") == 2
    assert "成功を収める日系企業" in post.content
    assert "お問い合わせ" not in post.content and "人気情報ランキング" not in post.content

    assert load_site(config).errors == ()
    out = build_site(config, BuildOptions(now=NOW, include_drafts=True, out_dir=tmp_path / "dist")).out_dir
    assert (out / "ja" / file.slug / "index.html").is_file()
