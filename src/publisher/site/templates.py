"""The Jinja2 environment: templates from the site's `templates/` folder."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import PublisherError


class TemplateError(PublisherError):
    """A template is missing or broken."""


class Templates:
    def __init__(self, folder: Path, bytecode_cache: Path | None = None):
        """`bytecode_cache`: a folder where compiled templates are kept between runs (saves compiling them
        on every build); Jinja checks each template's modification time before using it."""
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
            bytecode_cache=_bytecode_cache(bytecode_cache),
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


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache, only slower
    return jinja2.FileSystemBytecodeCache(str(folder))
