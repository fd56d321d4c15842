"""`publish import`: every exported file -> an article folder, written atomically, never over an existing one.

Two passes: read and parse every file first (so a `(参考)` line can point at
an article imported in the same run), then write each article. A file that
cannot be read or understood is reported and skipped; the others go on.
After writing, the site is checked once and what `publish check` says about
the imported articles joins their reports.
"""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import SiteConfig
from ..content import load_site
from ..content.frontmatter import read_document
from ..content.loader import SLUG_PATTERN
from ..errors import Problem, PublisherError, shown_path
from ..content.slugs import derive_slug
from ..fsio import swap_folder, write_new, write_text
from ..i18n import _
from .compose import source_document, translation_document
from .model import Block, BlockKind, FileReport, ImportOptions, ImportReport, Outcome, ParsedPage
from .parse import parse_page
from .reading import read_export

BACKUP_DIR = ".import-backup"
"""Folder under the content folder that keeps replaced articles (`--force`); `publish` ignores dot-folders."""


@dataclass(frozen=True)
class _Known:
    """An article already in the site, or one imported earlier in this run."""

    slug: str
    code: str | None
    title: str


def import_pages(config: SiteConfig, paths: list[Path], options: ImportOptions) -> ImportReport:
    """Import each exported page; return what happened to each, in the order given."""
    lang = options.lang or config.source_language.code
    if lang not in config.language_codes:
        raise PublisherError(_("--lang {lang}: the site has no language {lang!r}; use one of {items} "
                               "(site.languages in publisher.toml)").format(
                                 lang=lang, items=', '.join(config.language_codes)))
    if options.slug is not None and len(paths) != 1:
        raise PublisherError(_("--slug names one article; give exactly one file with it"))
    if options.slug is not None and not SLUG_PATTERN.match(options.slug):
        raise PublisherError(_("--slug {slug!r}: a slug is the URL; use lower-case letters, digits "
                               "and hyphens, e.g. 'chugoku-g93-city-growth'").format(slug=options.slug))
    config.content_dir.mkdir(parents=True, exist_ok=True)

    parsed: list[FileReport] = []
    for path in paths:
        try:
            page = parse_page(path, read_export(path))
        except PublisherError as exc:
            parsed.append(FileReport(path, Outcome.SKIPPED, reason=str(exc)))
            continue
        parsed.append(FileReport(path, Outcome.SKIPPED, page=page))

    site = load_site(config).site
    known = [_Known(a.slug, a.code, a.source.title) for a in site.articles]
    is_source = lang == config.source_language.code
    slugs: dict[int, str] = {}
    if is_source:
        taken = {k.slug for k in known}
        first_with_code: dict[str, Path] = {}
        for index, report in enumerate(parsed):
            page = report.page
            if page is None:
                continue
            if page.code in first_with_code:
                parsed[index] = replace(report, page=None, reason=_("{code} is also the code of "
                                                                    "{other} in this run; import "
                                                                    "one of them").format(
                    code=page.code, other=first_with_code[page.code]))
                continue
            first_with_code[page.code] = page.path
            slugs[index] = _planned_slug(page, options, config, known, taken)
            taken.add(slugs[index])
        known += [_Known(slugs[i], r.page.code, r.page.title) for i, r in enumerate(parsed) if i in slugs]

    reports = []
    for index, report in enumerate(parsed):
        if report.page is None:
            reports.append(report)
            continue
        try:
            if is_source:
                reports.append(_write_source(config, report.page, slugs[index], options, known))
            else:
                reports.append(_write_translation(config, report.page, lang, options, known))
        except PublisherError as exc:
            reports.append(replace(report, reason=str(exc)))
        except OSError as exc:
            reports.append(replace(report, reason=_("could not write the article ({strerror}: {filename}); "
                                                    "check that the content folder is writable; nothing was "
                                                    "changed").format(
                                                      strerror=exc.strerror, filename=exc.filename)))
    return ImportReport(tuple(_with_check(config, reports)))


def _planned_slug(page: ParsedPage, options: ImportOptions, config: SiteConfig, known: list[_Known],
                  taken: set[str]) -> str:
    """--slug, else the folder of the article with the same code, else a slug derived from code and title."""
    if options.slug:
        return options.slug
    for article in known:
        if article.code == page.code:
            return article.slug
    slug = derive_slug(page.code, page.title)
    candidate, n = slug, 2
    while candidate in taken or ((config.content_dir / candidate).exists()
                                 and not _same_code(config, candidate, page.code)):
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _same_code(config: SiteConfig, slug: str, code: str) -> bool:
    """Whether the folder's source file (even one `publish check` rejects) has this code."""
    raw, _problems = read_document(config.content_dir / slug / f"{config.source_language.code}.md")
    return raw is not None and str(raw.fields.get("code", "")).strip() == code


def _title_key(title: str) -> str:
    """Titles compared loosely: NFKC, no spaces, no 【code】 in front, no quotes around."""
    text = unicodedata.normalize("NFKC", title)
    if text.startswith("【") and "】" in text:
        text = text.split("】", 1)[1]
    return "".join(text.split()).strip("「」\"'")


def _resolve_references(page: ParsedPage, own_slug: str,
                        known: list[_Known]) -> tuple[tuple[str, ...], tuple[Block, ...], list[Problem]]:
    """`(参考) <title>` -> the slug of the article with that title (or code); the others stay plain lines."""
    related: list[str] = []
    unresolved: list[Block] = []
    problems: list[Problem] = []
    by_title = {_title_key(k.title): k.slug for k in known}
    by_code = {k.code: k.slug for k in known if k.code}
    for block in page.blocks:
        if block.kind is not BlockKind.REFERENCE:
            continue
        text = unicodedata.normalize("NFKC", block.text)
        code = text[1:].split("】", 1)[0] if text.startswith("【") and "】" in text else None
        slug = by_code.get(code) if code else None
        slug = slug or by_title.get(_title_key(block.text))
        if slug and slug != own_slug:
            if slug not in related:
                related.append(slug)
        else:
            unresolved.append(block)
            problems.append(Problem(page.path, block.line, "related",
                                    _("no article titled {title!r} exists yet, so the (参考) line was "
                                      "kept as plain text; once that article is imported, add its slug to "
                                      "`related` and delete the line").format(title=block.text), "warning"))
    return tuple(related), tuple(unresolved), problems


def _write_source(config: SiteConfig, page: ParsedPage, slug: str, options: ImportOptions,
                  known: list[_Known]) -> FileReport:
    lang = config.source_language.code
    for article in known:
        if article.code == page.code and article.slug != slug and (config.content_dir / article.slug).exists():
            raise PublisherError(_("{code} is already the article {slug}/; to replace it, run "
                                   "`publish import --slug {slug} --force {file}` (nothing was "
                                   "changed)").format(
                                     code=page.code, slug=article.slug, file=page.path))
    related, unresolved, problems = _resolve_references(page, slug, known)
    text = source_document(page, status=options.status, related=related, unresolved=unresolved)
    written, backup, kept = _write_folder(config, slug, f"{lang}.md", text, options)
    return FileReport(page.path, Outcome.IMPORTED, page=page, written=written, slug=slug, related=related,
                      backup=backup, kept=kept, problems=(*page.unplaced, *problems))


def _write_translation(config: SiteConfig, page: ParsedPage, lang: str, options: ImportOptions,
                       known: list[_Known]) -> FileReport:
    slug = options.slug or next((k.slug for k in known if k.code == page.code), None)
    source = config.source_language.code
    if slug is None or not (config.content_dir / slug / f"{source}.md").is_file():
        raise PublisherError(_("no article has the code {code}, so this {lang} page has nothing to be "
                               "the translation of; import the {source} page first, or name the article with "
                               "--slug").format(code=page.code, lang=lang, source=source))
    problems = [Problem(page.path, None, "import",
                        _("the notices became flags of the source article, not of this translation; they "
                          "were left out"), "warning")] if any(vars(page.notices).values()) else []
    _related, unresolved, reference_problems = _resolve_references(page, slug, [])
    text = translation_document(page, status=options.status, unresolved=unresolved)
    written, backup, kept = _write_folder(config, slug, f"{lang}.md", text, options)
    return FileReport(page.path, Outcome.IMPORTED, page=page, written=written, slug=slug, backup=backup, kept=kept,
                      problems=(*page.unplaced, *problems, *reference_problems))


def _write_folder(config: SiteConfig, slug: str, name: str, text: str,
                  options: ImportOptions) -> tuple[Path, Path | None, tuple[str, ...]]:
    """Write `<slug>/<name>` without ever overwriting: the folder is built under a temporary name, then renamed.

    With --force an existing folder is kept whole as a backup, and its other
    files (translations, images) are carried into the new folder.
    """
    content = config.content_dir
    final = content / slug
    target = final / name
    exists = final.exists()
    if exists and not final.is_dir():
        raise PublisherError(_("{final} is a file, not an article folder; move it away or choose --slug").format(
                                 final=final))
    if exists and not (final / name).exists():
        _add_file(target, text)  # a new language in an existing folder: nothing to replace
        return target, None, ()
    if exists and not options.force:
        raise PublisherError(_("{target} already exists; nothing was changed. To replace it, run again with "
                               "--force (the current folder is kept as a backup)").format(target=target))

    def build(staging: Path) -> tuple[str, ...]:
        kept: tuple[str, ...] = ()
        if exists:
            shutil.copytree(final, staging, dirs_exist_ok=True, symlinks=True)
            kept = tuple(sorted(p.name for p in staging.iterdir() if p.name != name))
        write_text(staging / name, text)
        return kept

    stamp = options.now.strftime("%Y%m%dT%H%M%S")
    kept, backup = swap_folder(final, build, staging_prefix=f".import-{slug}-",
                               backup=content / BACKUP_DIR / f"{slug}-{stamp}" if exists else None)
    return target, backup, kept


def _add_file(target: Path, text: str) -> None:
    """A new file, written whole, refusing to replace one that appeared meanwhile."""
    try:
        write_new(target, text)
    except FileExistsError:
        raise PublisherError(_("{target} appeared while importing; nothing was changed, run again").format(
                                 target=target)) from None


def _with_check(config: SiteConfig, reports: list[FileReport]) -> list[FileReport]:
    """Add what `publish check` says about each imported article to its report."""
    written = {r.slug for r in reports if r.outcome is Outcome.IMPORTED}
    if not written:
        return reports
    problems = load_site(config).problems
    result = []
    for report in reports:
        if report.outcome is Outcome.IMPORTED:
            folder = (config.content_dir / report.slug).resolve()
            found = tuple(p for p in problems if p.path.resolve().is_relative_to(folder))
            report = replace(report, problems=(*report.problems, *found))
        result.append(report)
    return result


def format_report(report: ImportReport, root: Path | None = None) -> list[str]:
    """The report as lines for the terminal: per file, what was found and what could not be placed."""
    lines: list[str] = []
    for file in report.files:
        shown = _shown(file.path, root)
        if file.outcome is Outcome.SKIPPED:
            lines.append(_("skipped {shown}: {reason}").format(shown=shown, reason=file.reason))
        else:
            lines.append(_("imported {shown} -> {written}").format(
                             shown=shown, written=_shown(file.written, root)))
        page = file.page
        if page is not None:
            lines.append(_("  code: {code}   date: {date}   title: {title}").format(
                             code=page.code, date=page.date.isoformat(), title=page.title))
            lines.append(_("  sections ({count}): {names}").format(count=len(page.sections),
                                                                 names=" | ".join(page.sections) or _("none")))
            lines.append(_("  sub-blocks ({count}): {names}").format(count=len(page.sub_blocks),
                                                                   names=" | ".join(page.sub_blocks) or _("none")))
            counts = {kind: sum(1 for b in page.blocks if b.kind is kind) for kind in BlockKind}
            lines.append(_("  body: {paragraphs} paragraphs, {flows} flow markers, {callouts} callouts, {lists} "
                           "lists, {footnotes} footnotes").format(
                             paragraphs=counts[BlockKind.PARAGRAPH], flows=counts[BlockKind.FLOW],
                             callouts=counts[BlockKind.SUMMARY] + counts[BlockKind.TERM],
                             lists=counts[BlockKind.LIST], footnotes=sum(len(b.footnotes) for b in page.blocks)))
            flags = [name for name, on in (("ai.text", page.notices.ai_text), ("pseudonyms", page.notices.pseudonyms))
                     if on]
            if page.notices.ai_image:
                flags.insert(1 if page.notices.ai_text else 0, f"ai.image: {page.notices.ai_image}")
            lines.append(_("  flags: {flags}").format(flags=", ".join(flags) or _("none")))
            if file.related:
                lines.append(_("  related: {items}").format(items=', '.join(file.related)))
            lines.append(_("  dropped: {dropped}").format(dropped=", ".join(map(_dropped_label, page.dropped)) or _("nothing")))
        if file.backup is not None:
            kept = _("; carried over: {items}").format(items=', '.join(file.kept)) if file.kept else ""
            lines.append(_("  previous version kept in {backup}{kept}").format(
                             backup=_shown(file.backup, root), kept=kept))
        if file.problems:
            lines.append(_("  could not place / check:"))
            lines += [f"    {p.format(root)}" for p in file.problems]
    imported, skipped = len(report.imported), len(report.skipped)
    lines.append(_("{imported} imported, {skipped} skipped").format(imported=imported, skipped=skipped))
    return lines


def _dropped_label(kind: str) -> str:
    """What the importer left out (parse.py's names for the page's chrome and notices), in the message language."""
    labels = {"breadcrumbs": _("breadcrumbs"), "feedback prompt": _("feedback prompt"),
              "AI image notice": _("AI image notice"), "AI text notice": _("AI text notice"),
              "pseudonym notice": _("pseudonym notice"), "phone reading notice": _("phone reading notice"),
              "copyright notice": _("copyright notice"), "contact block": _("contact block")}
    return labels.get(kind, kind)


def _shown(path: Path | None, root: Path | None) -> str:
    return "-" if path is None else shown_path(path, root)
