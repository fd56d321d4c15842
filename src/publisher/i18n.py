"""The language of the tool's own messages (errors, warnings, summaries, prompts), and `_()` to translate them.

Writers are Japanese and part of the staff Chinese, so every message goes through a gettext catalog
(`locale/<lang>/LC_MESSAGES/publisher.po`, extracted with Babel). The language is read from the
environment at each call, never remembered: `PUBLISH_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`,
`LANG`: the first one set decides, as POSIX does), else English. Tests switch it by setting the variable.

Catalogs are read from the `.po` files themselves (parsed once per process and language, they never
change while it runs), so a fresh clone needs no compile step and nothing binary is kept in git.
Messages with values use named placeholders so translators can reorder them:
`_("{path}: not found").format(path=...)`. Field names and file paths stay as written.

A message for one reader whose language is not the process's (a preview page asked for in Chinese by a
browser, while the terminal speaks Japanese) is marked with `N_()` where it is written and translated with
`translator(code)` where it is shown: an explicit catalog per call, nothing switched for the whole process
(the preview server answers requests in several threads at once).
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from pathlib import Path
from typing import Callable

LANGUAGES: tuple[str, ...] = ("en", "ja", "zh")
"""The languages with a catalog; English is the language the messages are written in."""

DEFAULT = "en"
"""The language when neither `PUBLISH_LANG` nor the locale names a supported one."""

LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the catalogs live inside the package (shipped as package data)."""

DOMAIN = "publisher"
"""The gettext domain: the catalogs are `publisher.po`."""

_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def normalize(value: str | None) -> str | None:
    """The supported language a setting names (`ja_JP.UTF-8` -> `ja`, `zh-CN` -> `zh`), else None."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    return code if code in LANGUAGES else None


def language(environ: "os._Environ[str] | dict[str, str] | None" = None) -> str:
    """The language messages are shown in now: `PUBLISH_LANG`, else the locale, else English."""
    env = os.environ if environ is None else environ
    chosen = normalize(env.get("PUBLISH_LANG"))
    if chosen:
        return chosen
    for name in _LOCALE_VARIABLES:
        value = env.get(name)
        if value:  # the first locale variable set decides, even when it names an unsupported language
            return normalize(value) or DEFAULT
    return DEFAULT


def catalog_path(lang: str) -> Path:
    """The `.po` file of `lang`."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`, read from its `.po` file; no translation when there is none."""
    path = catalog_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation yet
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` in the current language (itself when the catalog lacks it)."""
    return translations(language()).gettext(message)



def N_(message: str) -> str:
    """Marks `message` for the catalogs (scripts/messages.py extracts it) without translating it: it is
    translated later, for its reader, with `translator(code)`."""
    return message


@functools.lru_cache(maxsize=64)
def translator(code: str) -> Callable[[str], str]:
    """`gettext` of the language `code` names (`zh`, `zh-CN`, `ja_JP`; English when none): for messages
    shown to one reader in their own language, whatever the process's is."""
    return translations(normalize(code) or DEFAULT).gettext
