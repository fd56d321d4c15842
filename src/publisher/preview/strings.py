"""Every word the preview pages show, by key, in the language of the staff member reading them.

The words are gettext messages (`N_()` marks them for scripts/messages.py; the catalogs in
`publisher/locale` hold the Japanese and Chinese), looked up per page with `UiText(lang)`: the preview
is read by Japanese and Chinese staff at once, so no language is chosen for the whole process. Article
titles and bodies stay in their own languages, and `publish check` does not ask sites for these words:
they are the tool's, not the site's.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from ..i18n import N_, normalize, translator
from ..languages import language

UI_LANGUAGES: tuple[str, ...] = ("ja", "zh", "en")
"""The languages the preview speaks (each has a catalog), in the order of the language switch."""

ENDONYMS: Mapping[str, str] = MappingProxyType({"ja": "日本語", "zh": "中文", "en": "English"})
"""Each UI language in its own words: the switch offers it so to whoever cannot read the page's."""

HTML_LANG: Mapping[str, str] = MappingProxyType({"ja": "ja", "zh": "zh-CN", "en": "en"})
"""The `lang` of a page in each UI language (zh-CN: Simplified Chinese glyphs, as the site's)."""

MESSAGES: Mapping[str, str] = MappingProxyType({
    "skip_to_content": N_("Skip to content"),
    "preview_nav_label": N_("Preview navigation"),
    "ui_switch_label": N_("Language of the preview"),
    # the dashboard
    "dashboard_title": N_("Preview: all articles"),
    "dashboard_intro": N_("Every article, drafts and scheduled ones included. Search engines do not list this "
                          "preview."),
    "dashboard_empty": N_("No articles yet."),
    "dashboard_caption": N_("The articles (status, release time, translation, fact check, links)"),
    "dashboard_no_match": N_("No article has this status."),
    "filter_label": N_("Filter by status"),
    "filter_all": N_("All"),
    "sort_label": N_("Sort"),
    "sort_default": N_("Suggested order"),
    "sort_ascending": N_("Ascending"),
    "sort_descending": N_("Descending"),
    "sort_hint": N_("Suggested order: scheduled (soonest first), then in review and drafts, then live (newest "
                    "first). Column headings sort too."),
    "count_articles": N_("{n} article(s)"),
    "column_code": N_("Code"),
    "column_title": N_("Title"),
    "column_status": N_("Status"),
    "column_release": N_("Release time"),
    "column_translation": N_("Translation ({language})"),
    "column_factcheck": N_("Fact check"),
    "column_links": N_("Links"),
    "no_code": N_("(no code)"),
    "no_title": N_("(not written yet)"),
    "page_link": N_("{language} page"),
    "pdf_link": N_("{language} PDF"),
    "side_by_side_link": N_("Side by side ({language})"),
    "phone_link": N_("Phone view"),
    # statuses
    "status_live": N_("Live"),
    "status_scheduled": N_("Scheduled"),
    "status_review": N_("In review"),
    "status_draft": N_("Draft"),
    # relative times (filled in by preview.js in the reader's browser)
    "relative_future": N_("in {time}"),
    "relative_past": N_("{time} ago"),
    "relative_overdue": N_("{time} past the planned date"),
    "relative_soon": N_("any moment now"),
    "relative_just_now": N_("just now"),
    "unit_day": N_("{n}d"),
    "unit_hour": N_("{n}h"),
    "unit_minute": N_("{n}min"),
    # translation states
    "translation_ok": N_("Up to date"),
    "translation_stale": N_("Stale {n}"),
    "translation_review": N_("To review {n}"),
    "translation_edited": N_("Edited {n}"),
    "translation_missing": N_("Not translated"),
    "translation_untracked": N_("Not tracked (no lock file)"),
    "translation_error": N_("Cannot be checked"),
    # fact check
    "factcheck_no_sources": N_("No sources"),
    "factcheck_count": N_("{n} figure(s)"),
    "factcheck_error": N_("Cannot be checked"),
    "factcheck_line": N_("line {line}: {figure}"),
    # side-by-side
    "sbs_title": N_("Side by side: {title}"),
    "sbs_intro": N_("The source ({source}) and the translation ({target}), block by block."),
    "sbs_legend": N_("Legend"),
    "sbs_fields": N_("Title and summary"),
    "sbs_opening": N_("Opening"),
    "sbs_back": N_("Back to all articles"),
    "sbs_line": N_("{file} line {line}"),
    "sbs_untracked_note": N_("This translation has no lock file, so its blocks are paired by their structure. "
                             "`publish translate --adopt` registers it; then the page shows what needs updating."),
    "sbs_missing_note": N_("There is no translation ({file}) yet. `publish translate` makes one."),
    "sbs_error_note": N_("The state of the translation could not be checked: {error}"),
    "field_title": N_("Title"),
    "field_summary": N_("Summary"),
    "field_hero_alt": N_("Image alt text"),
    "field_tags": N_("Tags"),
    "state_ok": N_("Up to date"),
    "state_stale": N_("Stale"),
    "state_review": N_("To review"),
    "state_edited": N_("Edited by hand"),
    "state_missing": N_("Not translated"),
    "state_added": N_("Translation only"),
    "state_untracked": N_("Not tracked"),
    "state_ok_help": N_("The source and the translation match."),
    "state_stale_help": N_("The source is new or changed: translate it again."),
    "state_review_help": N_("The source of a person's translation changed: check the text."),
    "state_edited_help": N_("A person edited the translation (it is kept as it is)."),
    "state_missing_help": N_("There is no translation yet."),
    "state_added_help": N_("A block only the translation has (a person added it)."),
    "state_untracked_help": N_("There is no lock file, so the pairing is a guess."),
    "language_source": N_("Source"),
    "language_target": N_("Translation"),
    # phone view
    "phone_title": N_("Phone view: {title}"),
    "phone_size_label": N_("Screen size"),
    "phone_size_regular": N_("Regular 390×844"),
    "phone_size_small": N_("Small 360×740"),
    "phone_language_label": N_("Language"),
    "phone_frame_label": N_("On a phone ({width}×{height})"),
    "phone_desktop_label": N_("On a computer (1280×800), scaled down"),
    "phone_open_page": N_("Open the page"),
})
"""The words by key (the templates ask for keys), in English: the catalogs translate them."""

LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({
    "ja": N_("Japanese"),
    "zh-CN": N_("Chinese"),
    "zh-Hant": N_("Traditional Chinese"),
    "en": N_("English"),
    "ko": N_("Korean"),
})
"""Names of the languages the code knows (`publisher.languages`, by their tag), as staff read them."""


@dataclass(frozen=True)
class UiText:
    """The preview's words in one UI language (`ja`, `zh`, `en`)."""

    lang: str

    def t(self, key: str, **values: object) -> str:
        """The words of `key`, with `{placeholders}` filled in."""
        text = translator(self.lang)(MESSAGES[key])
        return text.format(**values) if values else text

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.lang]

    def language_name(self, tag: str) -> str | None:
        """The name of the language of `tag` (`zh-CN` -> `中国語` in Japanese); None for one the code does
        not know."""
        known = language(tag)
        message = LANGUAGE_NAMES.get(known.tag) if known is not None else None
        return translator(self.lang)(message) if message else None


def ui_language(code: str | None) -> str | None:
    """The UI language a code names (`zh-CN` -> `zh`, `ja_JP` -> `ja`); None when it names none."""
    lang = normalize(code)
    return lang if lang in UI_LANGUAGES else None


def default_ui(source_lang: str) -> str:
    """The language of the preview when the reader chose none and their browser asks for neither Japanese
    nor Chinese: the site's source language, English when the preview does not speak it."""
    return ui_language(source_lang) or "en"
