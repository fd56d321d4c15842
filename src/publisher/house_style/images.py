"""Information for `publish check`: body images without their own copy for a published translation
(`chart.zh.png` beside `chart.png`), so a chart with Japanese labels is not shown to Chinese readers
unnoticed. Information, not a warning: many images (photos, charts without words) need no variant."""

from __future__ import annotations

import re

from ..content.model import Site, Status
from ..content.variants import language_variant_name
from ..errors import Problem
from ..i18n import _

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")
"""`![alt](chart.png)`: the reference of an inline image."""


def image_variant_notes(site: Site) -> list[Problem]:
    """One `info` per body image of the source that a published translation shows without its own copy."""
    notes: list[Problem] = []
    for article in site.articles:
        source = article.source
        for index, line in enumerate(source.body.split("\n")):
            for reference in _IMAGE.findall(line):
                if "://" in reference or reference.startswith(("/", "data:")) or \
                        not (article.folder / reference).is_file():
                    continue
                missing = [doc.lang for doc in article.translations.values() if doc.status is Status.PUBLISHED
                           and not (article.folder / language_variant_name(reference, doc.lang)).is_file()]
                for lang in missing:
                    notes.append(Problem(source.path, source.body_line + index, "image",
                                         _("{reference} has no {lang} copy ({variant}), so the {lang} page and PDF "
                                           "show this one; add one if the image has words in it").format(
                                             reference=reference, lang=lang,
                                             variant=language_variant_name(reference, lang)), "info"))
    return notes
