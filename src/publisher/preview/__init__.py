"""The preview for marketing staff: `publish preview` (a live server) and `publish build --preview`.

    serve_preview(config, host=..., port=..., clock=..., echo=..., extra_files=...)   `publish preview`
    PreviewSession(config, ...)                                                       the same, step by step

The `[preview]` table is read by `publisher.config.preview`. Modules: `server` (HTTP: files, reload script, error
page, PDFs on request), `watch` (watchfiles), `run` (the session and its
rebuild loop), `reload.js` (what each served page gets). The pages under
`/_preview/` (dashboard, side by side, phone view) come from the build's
`extra_files` hook in `publish build --preview`, and are rendered on request
in a running preview (`on_request`).
"""

from .run import PreviewSession, serve_preview

__all__ = ["PreviewSession", "serve_preview"]
