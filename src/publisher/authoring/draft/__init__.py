"""`publish draft`: a new article in the house style, written by the model from source documents.

Sources can be far longer than one request (a 200 KB report), so drafting
goes in steps, none of which exceeds `llm.context_tokens`:

1. outline: the brief and a digest of the sources (each passage's id and
   first characters, fewer and shorter until it fits) -> title, summary,
   tags and a plan per section (structured output);
2. per section, the passages most relevant to its plan are chosen by a
   deterministic ranking (shared character bigrams and words, weighted by
   rarity) until the section's budget is full: a big source is cut by
   ranking, never sent whole;
3. per section, the model writes blocks (points, flow markers, term boxes,
   sub-blocks with taglines, lists) citing passage ids; the blocks become
   house-style Markdown and each citing paragraph gets a source marker
   `<!-- source: sources/x.txt#L12-L30 -->` on the line after it;
4. a closing `■` summary from the sections' gists.

The article is written once, at the end, as a whole folder (`ja.md` plus
the sources copied to `sources/`), renamed into place: a failure half-way
leaves nothing behind. Answers received before a failure are kept in
`.publisher/drafts/` so the same command, run again, continues where it
stopped. An existing article is never overwritten; `--force` moves it to
`articles/.draft-backup/` first. The fact check runs on the result.
"""

from .model import (BACKUP_DIR, DEFAULT_WORDS, PROMPT_VERSION, DraftError, DraftOptions, DraftReport, Outline,
                    SectionPlan)
from .passages import _index, rank_passages, terms_of
from .run import draft_article

__all__ = ["BACKUP_DIR", "DEFAULT_WORDS", "PROMPT_VERSION", "DraftError", "DraftOptions", "DraftReport", "Outline",
           "SectionPlan", "_index", "draft_article", "rank_passages", "terms_of"]
