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
import os
import re
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
    return _Catalog(read_po_messages(path.read_text(encoding="utf-8")))


class _Catalog(gettext.NullTranslations):
    """Translations from a mapping of message id to translation (what a compiled `.mo` would hold)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message


_PO_LINE = re.compile(r'^(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"(.*)"\s*$')
_PO_ESCAPE = re.compile(r'\\(.)')
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def read_po_messages(text: str) -> dict[str, str]:
    """The translated, non-fuzzy messages of a `.po` file's text, by message id.

    Read at every start of the command, so it is a plain line reader (a few milliseconds) rather than
    Babel's full parser (tens of milliseconds); `tests/test_i18n.py` checks that both read the same."""
    messages: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    fuzzy = False
    current: str | None = None

    def finish() -> None:
        if "msgid" in fields and "msgctxt" not in fields and not fuzzy:
            message, translation = "".join(fields["msgid"]), "".join(fields.get("msgstr", ()))
            if message and translation:
                messages[message] = translation

    for line in text.split("\n"):  # not splitlines(): a form feed or U+2028 inside a message is text
        match = None if line.startswith("#") else _PO_LINE.match(line)
        keyword = match.group(1) if match else None
        if (line.startswith("#") or keyword in ("msgctxt", "msgid")) and "msgstr" in fields:
            finish()  # a comment or a new message id after a translation starts the next entry
            fields, fuzzy, current = {}, False, None
        if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
            fuzzy = True
        if match is None:
            continue
        value = _PO_ESCAPE.sub(lambda escape: _PO_ESCAPES.get(escape.group(1), escape.group(0)), match.group(2))
        if keyword is not None:
            current = keyword
            fields[keyword] = [value]
        elif current is not None:
            fields[current].append(value)
    finish()
    return messages


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
