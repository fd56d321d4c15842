"""Old source text from git, for `--update-reviewed` on a fresh clone (where the cache is empty).

The lock keeps only hashes; the cache (`.publisher/`, git-ignored) keeps the
texts but only on the machine that made them. Earlier versions of `ja.md` in
git have the old block a person's translation was made for.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..content.frontmatter import read_document
from .plan import source_fields
from ..markdown.segments import normalise, split_blocks, text_hash


def old_source_texts(path: Path, wanted: set[str], *, max_commits: int = 50) -> dict[str, str]:
    """Texts of blocks or translatable fields, by source hash, from earlier commits of `path`."""
    found: dict[str, str] = {}
    if not wanted:
        return found
    try:
        commits = subprocess.run(["git", "log", f"-n{max_commits}", "--format=%H", "--", path.name],
                                 cwd=path.parent, capture_output=True, text=True, timeout=30, check=True)
        top = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=path.parent, capture_output=True,
                             text=True, timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return found
    for commit in commits.stdout.split():
        try:
            shown = subprocess.run(["git", "show", f"{commit}:{top}{path.name}"], cwd=path.parent,
                                   capture_output=True, timeout=30, check=True).stdout.decode("utf-8")
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
            continue
        texts = _texts(shown, path)
        for key in wanted - set(found):
            if key in texts:
                found[key] = texts[key]
        if set(found) == wanted:
            break
    return found


def _texts(text: str, path: Path) -> dict[str, str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, "utf-8")
        raw, _problems = read_document(copy)
    if raw is None:
        return {}
    texts = {block.source_hash: block.text for block in split_blocks(raw.body)}
    for value in source_fields(raw.fields).values():
        texts[text_hash(normalise(value))] = value
    return texts
