"""The preview pages remember the last build's pages in their hook, not in the module: two sites
previewed in one process share nothing."""

from __future__ import annotations

import publisher.preview.pages as pages
from publisher.preview.pages import PreviewPages
from support.preview_fixture import build_preview, make_preview_site


def test_each_hook_keeps_its_own_memory_and_the_module_keeps_none(tmp_path):
    first, second = PreviewPages(factcheck=None), PreviewPages(factcheck=None)
    build_preview(make_preview_site(tmp_path / "one"), tmp_path / "out1", preview_pages=first)
    assert first.memory.phones and first.memory.views and not second.memory.phones
    build_preview(make_preview_site(tmp_path / "two"), tmp_path / "out2", preview_pages=second)
    assert second.memory.phones and not set(second.memory.views) & set(first.memory.views)
    assert not [name for name, value in vars(pages).items() if isinstance(value, dict) and value
                and name.startswith("_") and name[1:].isupper()]  # no private module table left filled
