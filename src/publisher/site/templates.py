"""The Jinja2 environment: templates from the site's `templates/` folder."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import PublisherError
from ..i18n import _


class TemplateError(PublisherError):
    """A template is missing or broken."""


class Templates:
    def __init__(self, folder: Path, bytecode_cache: Path | None = None):
        """`bytecode_cache`: a folder where compiled templates are kept between runs (saves compiling them
        on every build); Jinja checks each template's modification time before using it."""
        if not folder.is_dir():
            raise TemplateError(_("the templates folder {folder} does not exist; set site.templates_dir in "
                                  "publisher.toml").format(folder=folder))
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_bytecode_cache(bytecode_cache),
        )

    def render(self, name: str, page: object) -> str:
        try:
            return self.env.get_template(name).render(page=page)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or name}:{exc.lineno}"
            raise TemplateError(_("{where}: template syntax error: {message}; fix the template").format(
                                    where=where, message=exc.message)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(_("template {name!r} not found in {folder}; restore it from the project's "
                                  "templates/").format(name=exc.name, folder=self.folder)) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(_("{name}: {message}; the template uses a value pages do not have (see "
                                  "src/publisher/site/pages.py)").format(name=name, message=exc.message)) from None


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache, only slower
    return jinja2.FileSystemBytecodeCache(str(folder))
