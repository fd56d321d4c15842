"""`publish preview`, and the /_preview/ pages that `build --preview` adds."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from ..i18n import _

from .common import (
    build_contributors,
    config_option,
    load,
    reports_errors,
)


def preview_pages():
    """The /_preview/ pages (dashboard, side by side, phone view) as a build hook."""
    from ..preview.pages import PreviewPages

    return PreviewPages()


@click.command()
@config_option
@click.option("--port", type=click.IntRange(0, 65535),
              help="TCP port (default: [preview] port in publisher.toml, else 8000; 0: any free port).")
@click.option("--host", help="Address to listen on (default: [preview] host, else 127.0.0.1: this machine only). "
                             "--host 0.0.0.0 shares the preview, drafts included, with the whole network.")
@click.option("--open/--no-open", "open_browser", default=None,
              help="Open the preview in the default browser (default: [preview] open, else no).")
@reports_errors
def preview(config_path: Path | None, port: int | None, host: str | None, open_browser: bool | None) -> None:
    """Serve the site with drafts and scheduled articles; rebuild and reload the browser on every save."""
    from ..config.preview import valid_host
    from ..preview import serve_preview

    if host is not None and not valid_host(host):
        raise click.BadParameter(_("{host} is not an address; use 127.0.0.1 or 0.0.0.0").format(host=repr(host)),
                                 param_hint="--host")
    config = load(config_path)
    settings = config.preview
    serve_preview(config, host=host or settings.host, port=settings.port if port is None else port,
                  clock=lambda: datetime.now(timezone.utc), echo=lambda message, err=False: click.echo(message, err=err),
                  open_browser=settings.open if open_browser is None else open_browser, extra_files=preview_pages(),
                  contributors=build_contributors(search=False))

