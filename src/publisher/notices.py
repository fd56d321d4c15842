"""The standing notices under an article, in the page's language.

Shared by the web page and the PDF, so both say the same: the AI notices and
the pseudonym notice follow the article's flags; the strings come from
`[strings.<lang>]`.
"""

from __future__ import annotations

from .config import LanguageConfig
from .content import Article


def article_notices(article: Article, lang: LanguageConfig) -> list[str]:
    """`notice_ai_text`, `notice_ai_image` (with the model) and `notice_pseudonyms`, as the flags say."""
    notices = []
    if article.ai_text:
        notices.append(lang.t("notice_ai_text"))
    if article.ai_image:
        notices.append(lang.t("notice_ai_image", model=article.ai_image))
    if article.pseudonyms:
        notices.append(lang.t("notice_pseudonyms"))
    return notices
