"""The README's GitHub Actions example keeps the build cache (the PDFs in it) between runs:
the YAML parses, and its cache step names the folder the build really uses."""

from __future__ import annotations

import re

import yaml

from support import REPO_ROOT


def _workflow() -> dict:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "actions/cache@" in b]
    assert len(blocks) == 1, "the README should have one GitHub Actions example with a cache step"
    return yaml.safe_load(blocks[0])


def test_the_ci_example_parses_and_caches_the_build_cache() -> None:
    from publisher.config import load_config
    from publisher.pdf.batch import cache_folder

    workflow = _workflow()
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", "") for step in steps]
    cache_at = next(i for i, uses in enumerate(names) if uses.startswith("actions/cache@"))
    build_at = next(i for i, step in enumerate(steps) if "publish build" in step.get("run", ""))
    assert cache_at < build_at, "the cache must be restored before `publish build` runs"
    cache = steps[cache_at]["with"]
    assert cache["path"] == ".publisher/cache"
    assert "${{ github.run_id }}" in cache["key"] and cache["key"].startswith(cache["restore-keys"])

    # The path is where the sample site's build and PDF caches really live.
    config = load_config(REPO_ROOT / "publisher.toml")
    build_cache = config.cache_folder.resolve()
    pdf_cache = cache_folder(config)
    cached = (REPO_ROOT / cache["path"]).resolve()
    assert build_cache == cached and pdf_cache.is_relative_to(cached)
