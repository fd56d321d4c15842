"""The `[preview]` table of `publisher.toml`, validated into `PreviewSettings`.

Kept free of server imports: `config.load_config` calls `parse_preview_settings`
on every command.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..i18n import _

#: Keys the `[preview]` table accepts.
PREVIEW_KEYS = frozenset({"host", "port", "open"})

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


@dataclass(frozen=True)
class PreviewSettings:
    """Defaults of `publish preview` (its options override them)."""

    host: str = "127.0.0.1"
    """Address the preview server listens on; only this machine by default (drafts are private)."""
    port: int = 8000
    """TCP port; 0 picks a free one."""
    open: bool = False
    """Open the dashboard in the default browser once the first build is done."""


def valid_host(host: str) -> bool:
    """An IP address or a host name (what a listening socket can bind to)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOSTNAME.match(host))


def parse_preview_settings(table: dict[str, Any],
                           problem: Callable[[str | None, str | None, str], None]) -> PreviewSettings:
    """`PreviewSettings` from the raw `[preview]` table; each bad key goes to `problem(section, key, message)`."""
    defaults = PreviewSettings()
    for key in sorted(set(table) - PREVIEW_KEYS):
        problem("preview", key, _("unknown key `{key}` in [preview]; the keys are {items}").format(
                                    key=key, items=', '.join(sorted(PREVIEW_KEYS))))
    host = table.get("host", defaults.host)
    if not isinstance(host, str) or not valid_host(host):
        problem("preview", "host", _("must be an address such as \"127.0.0.1\" (this machine only) or "
                                     "\"0.0.0.0\" (every network interface), not {host!r}").format(host=host))
        host = defaults.host
    port = table.get("port", defaults.port)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        problem("preview", "port", _("must be a port number from 1 to 65535 (0: any free port), not {port!r}").format(
                                       port=port))
        port = defaults.port
    opens = table.get("open", defaults.open)
    if not isinstance(opens, bool):
        problem("preview", "open", _("must be true or false, not {opens!r}").format(opens=opens))
        opens = defaults.open
    return PreviewSettings(host=host, port=port, open=opens)
