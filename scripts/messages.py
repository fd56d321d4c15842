"""Extract the tool's messages and bring the catalogs up to date (see README, "Message language").

    .venv/bin/python scripts/messages.py           # extract every _("...") and update the .po files
    .venv/bin/python scripts/messages.py --check   # change nothing; exit 1 when a message lacks a translation

After an update, new messages have an empty `msgstr` in locale/ja and locale/zh: translate them there. The
English catalog is filled with the messages themselves (edit its `msgstr` to reword a message without
touching the code). tests/test_i18n.py runs the same extraction and fails on any message left untranslated.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "publisher"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "publisher"
LANGUAGES = ("en", "ja", "zh")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def extract() -> Catalog:
    """Every `_("...")`, `N_("...")` (translated later, for one reader) and `Feedback("...")` (llm/feedback.py)
    message of the package, with the files it is used in, and every `--help` text of the `publish` commands
    (docstrings, short help, option help: see cli/help.py)."""
    template = Catalog(domain=DOMAIN, project="publisher", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "Feedback": None},
            strip_comment_tags=True):
        template.add(message, None, [(f"src/publisher/{filename}", lineno)], auto_comments=comments,
                     context=context)
    for message, filename, lineno in help_texts():
        existing = template.get(message)
        location = (filename, lineno)
        if existing is None:
            template.add(message, None, [location], auto_comments=["--help text"])
        elif location not in existing.locations:
            existing.locations.append(location)
    return template


def help_texts() -> list[tuple[str, str, int]]:
    """The help texts of the `publish` command tree of this checkout (not of another one on sys.path)."""
    source = str(ROOT / "src")
    if source not in sys.path:
        sys.path.insert(0, source)
    from publisher.cli import main
    from publisher.cli.help import help_texts as walk

    texts = []
    for message, filename, lineno in walk(main):
        path = Path(filename).resolve()
        shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else filename
        texts.append((message, shown, lineno))
    return texts


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str) -> Catalog:
    path = catalog_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, domain=DOMAIN, project="publisher", fuzzy=False)
    with path.open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN)


def placeholders(text: str) -> set[str]:
    """The named `{placeholders}` of a message (`{{` is a literal brace)."""
    return set(_PLACEHOLDER.findall(text))


def missing(template: Catalog, lang: str) -> list[str]:
    """Messages of `template` without a usable translation in `lang`: absent, empty, fuzzy, or with
    placeholders that differ from the message's."""
    catalog = read(lang)
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None or not entry.string or entry.fuzzy:
            problems.append(f"{lang}: untranslated: {message.id!r}")
        elif placeholders(entry.string) != placeholders(message.id):
            problems.append(f"{lang}: placeholders differ from the message's: {message.id!r}")
    return problems


def update() -> None:
    """Add new messages to each catalog (empty in ja and zh, the message itself in en), drop gone ones."""
    for lang in LANGUAGES:
        template = extract()  # one each: Catalog.update adds the template's own message objects
        existed = catalog_path(lang).is_file()
        catalog = read(lang)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if existed:
            catalog.creation_date = created  # no header churn in git when nothing changed
        catalog.header_comment = (f"# Messages of the publish command, {lang}. Updated by scripts/messages.py; "
                                  "see README, \"Message language\".")
        catalog.last_translator = catalog.language_team = "publisher developers"
        catalog.msgid_bugs_address = ""
        if lang == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, sort_output=True, include_lineno=False, omit_header=False)
        todo = sum(1 for message in catalog if message.id and not message.string)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {todo} to translate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; report untranslated messages")
    args = parser.parse_args()
    if args.check:
        template = extract()
        problems = [problem for lang in LANGUAGES for problem in missing(template, lang)]
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
