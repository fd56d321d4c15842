"""The site's side of the search: a search page per language and the search box on the index pages.

Added when a contributor indexes the written site (`Contribution.search`);
the index itself is the contributor's (`publisher.search`). Kept beside
`records.py`, whose page fields it uses, as one more kind of page.
"""

from __future__ import annotations

from dataclasses import replace

from ..config import SiteConfig
from ..errors import PublisherError
from ..i18n import _
from .pages import IndexPage, SearchPage
from .options import BuildOptions
from .plan import PageJob, Plan
from .records import _base as page_fields, _language_links as language_links


def add_search_pages(plan: Plan, config: SiteConfig, options: BuildOptions) -> None:
    """The search page of each language, `<lang>/search/` (kept out of search engines: its results are made
    in the browser), and the search box, a form sending to it, on every index and tag page."""
    for number, job in enumerate(plan.pages):
        if isinstance(job.page, IndexPage):
            href = f"{job.page.root}{job.page.lang.code}/search/"
            plan.pages[number] = replace(job, page=replace(job.page, search_href=href))
    root, taken = "../../", {job.path for job in plan.pages}
    for lang in config.languages:
        if f"{lang.code}/search/index.html" in taken:
            raise PublisherError(_("the article folder 'search' has the URL of the search page /{lang}/search/; "
                                   "rename the folder").format(lang=lang.code))
        fields = page_fields(config, options, lang, f"{lang.code}/search/", title=lang.t("search_title"),
                             description=lang.t("site_description"), x_default=None,
                             alternates=language_links(config, "search", lang, list(config.language_codes), root))
        plan.pages.append(PageJob(f"{lang.code}/search/index.html", "search.html",
                                  SearchPage(**{**fields, "noindex": True}, bundle_href=f"{root}pagefind/")))
