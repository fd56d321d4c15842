"""The preview for marketing staff: `publish preview` (a live server) and `publish build --preview`.

    serve_preview(config, host=..., port=..., clock=..., echo=..., extra_files=...)   `publish preview`
    PreviewSession(config, ...)                                                       the same, step by step

Modules: `settings` (the [preview] table; imported by `config`, so this package
imports nothing heavy on its own), `server` (HTTP: files, reload script, error
page, PDFs on request), `watch` (watchfiles), `run` (the session and its
rebuild loop), `reload.js` (what each served page gets). The pages under
`/_preview/` (dashboard, side by side, phone view) come from the build's
`extra_files` hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import PreviewSession, serve_preview

__all__ = ["PreviewSession", "serve_preview"]


def __getattr__(name: str) -> Any:
    # Lazy: `publisher.config` imports `publisher.preview.settings`, and the server needs the config.
    if name in __all__:
        from . import run
        return getattr(run, name)
    raise AttributeError(name)
