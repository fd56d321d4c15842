"""The Jinja2 environment: templates from the site's `templates/` folder."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import PublisherError


class TemplateError(PublisherError):
    """A template is missing or broken."""


class Templates:
    def __init__(self, folder: Path):
        if not folder.is_dir():
            raise TemplateError(f"the templates folder {folder} does not exist; "
                                "set site.templates_dir in publisher.toml")
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, name: str, page: object) -> str:
        try:
            return self.env.get_template(name).render(page=page)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or name}:{exc.lineno}"
            raise TemplateError(f"{where}: template syntax error: {exc.message}; fix the template") from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {exc.name!r} not found in {self.folder}; "
                                "restore it from the project's templates/") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{name}: {exc.message}; the template uses a value pages do not have "
                                "(see src/publisher/site/pages.py)") from None
