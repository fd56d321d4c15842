"""The `[deploy.<name>]` tables of `publisher.toml`, validated into `DeployTarget`s.

Only where and how to publish: credentials never go in the file (boto3 and
ssh find their own: environment variables, shared credentials files,
profiles, ssh keys and agents), so keys that look like secrets are refused.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Literal, Mapping

from ..i18n import _

Method = Literal["s3", "rsync", "copy"]
METHODS: tuple[str, ...] = ("s3", "rsync", "copy")

#: Keys a `[deploy.<name>]` table accepts.
DEPLOY_KEYS = frozenset({"url", "method", "endpoint_url", "region", "profile", "preview", "folder", "max_deletes",
                         "precompress", "cache_control", "invalidate"})

#: Keys people put in such tables by mistake that would hold a secret.
_SECRET_KEYS = re.compile(r"(secret|password|passwd|token|access_key|credential|api_key|private_key)", re.I)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_RSYNC_REMOTE = re.compile(r"^(?:[^@/:\s]+@)?[A-Za-z0-9.\-\[\]]+:(?!//)")


@dataclass(frozen=True)
class DeployTarget:
    """One place `publish deploy` publishes to."""

    name: str
    """The table's name (`production` in `[deploy.production]`), given to `publish deploy`."""
    url: str
    """`s3://bucket/prefix`, `user@host:/path` (rsync over ssh), `rsync://host/module/path` or a folder."""
    method: Method
    """How files get there: `s3` (boto3), `rsync` (the rsync program) or `copy` (a folder on this machine)."""
    local_path: Path | None = None
    """For a folder on this machine (`copy`, or `rsync` to a local path): the folder, resolved."""
    endpoint_url: str | None = None
    """S3-compatible services (R2, OSS, COS, MinIO): their endpoint; None for AWS itself."""
    region: str | None = None
    """S3 region; None: boto3's own default (`AWS_DEFAULT_REGION`, the profile)."""
    profile: str | None = None
    """Name of a profile in the shared AWS files (never the keys themselves)."""
    preview: bool = False
    """A staging target: takes only `publish build --preview` output; production targets refuse it."""
    folder: Path | None = None
    """The output folder to deploy; None: `site.output_dir` (production targets only)."""
    max_deletes: int = 100
    """More deletions than this in one deploy are refused unless `--yes` is given."""
    precompress: bool = False
    """S3 only: upload text files gzip-compressed with `Content-Encoding: gzip`."""
    cache_control: tuple[tuple[str, str], ...] = ()
    """(pattern, Cache-Control value), tried in order before the defaults; patterns are shell-style
    (`*.html`, `media/*`) matched against the path in the output."""
    invalidate: tuple[str, ...] = ()
    """CDN invalidation command (argv); `{paths}` becomes the changed URL paths, one argument each."""


def _method_of(url: str) -> Method:
    if url.startswith("s3://"):
        return "s3"
    if url.startswith("rsync://") or _RSYNC_REMOTE.match(url):
        return "rsync"
    return "copy"


def parse_deploy_targets(table: dict[str, Any], root: Path,
                         problem: Callable[[str | None, str | None, str], None]) -> Mapping[str, DeployTarget]:
    """Every `[deploy.<name>]` table; each bad key goes to `problem(section, key, message)`."""
    targets: dict[str, DeployTarget] = {}
    for name, raw in table.items():
        section = f"deploy.{name}"
        if not isinstance(raw, dict):
            problem(None, section, _("`{section}` must be a table: write [{section}] with url = \"...\" under "
                                     "it").format(section=section))
            continue
        if not _NAME.match(name):
            problem(None, section, _("{name!r} is not a target name; use letters, digits, `-` and `_` "
                                     "(such as production or staging)").format(name=name))
            continue
        target = _parse_target(name, raw, root, lambda key, message: problem(section, key, message))
        if target is not None:
            targets[name] = target
    return MappingProxyType(targets)


def _parse_target(name: str, raw: dict[str, Any], root: Path,
                  problem: Callable[[str | None, str], None]) -> DeployTarget | None:
    ok = True
    for key in sorted(set(raw) - DEPLOY_KEYS):
        ok = False
        if _SECRET_KEYS.search(key):
            problem(key, _("credentials never go in publisher.toml; remove this key and use the standard places: "
                           "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, ~/.aws/credentials or "
                           "profile = \"name\" for S3, your ssh keys or agent for rsync"))
        else:
            problem(key, _("unknown key `{key}` in [deploy.{name}]; the keys are {keys}").format(
                key=key, name=name, keys=", ".join(sorted(DEPLOY_KEYS))))
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        problem("url" if "url" in raw else None,
                _("needs a url: \"s3://bucket/prefix\", \"user@host:/var/www/site\" or a folder such as "
                  "\"/srv/www\""))
        return None
    url = url.strip()
    if re.match(r"^[a-z0-9+.-]+://[^/@]*:[^/@]*@", url, re.I):
        problem("url", _("the url holds a password; remove it (credentials never go in publisher.toml: use the "
                         "environment, a credentials file or ssh keys)"))
        return None
    method = raw.get("method", _method_of(url))
    if method not in METHODS:
        problem("method", _("must be \"s3\", \"rsync\" or \"copy\", not {method!r}").format(method=method))
        return None
    local_path = None
    if url.startswith("s3://"):
        bucket = url[5:].split("/", 1)[0]
        if method != "s3" or not re.match(r"^[a-z0-9][a-z0-9.\-]{1,62}$", bucket):
            problem("url", _("{url!r} needs a bucket name: s3://bucket or s3://bucket/prefix").format(url=url))
            ok = False
    elif method == "s3":
        problem("url", _("method = \"s3\" needs an s3://bucket/prefix url, not {url!r}").format(url=url))
        ok = False
    elif method == "copy" or not (url.startswith("rsync://") or _RSYNC_REMOTE.match(url)):
        if re.match(r"^[a-z][a-z0-9+.-]*://", url) and not url.startswith("file://"):
            problem("url", _("{url!r} is not a kind of target publish knows; use s3://…, user@host:/path, "
                             "rsync://… or a folder").format(url=url))
            ok = False
        local_path = (root / (url[7:] if url.startswith("file://") else url)).resolve()

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            problem(key, _("must be a non-empty string, not {value!r}").format(value=value))
            return None
        return value.strip()

    endpoint_url, region, profile = text("endpoint_url"), text("region"), text("profile")
    if endpoint_url is not None and not re.match(r"^https?://[^/\s]+", endpoint_url):
        problem("endpoint_url", _("{url!r} is not an http(s) URL; write it like "
                                  "\"https://oss-cn-shanghai.aliyuncs.com\"").format(url=endpoint_url))
        ok = False
    for key, value in (("endpoint_url", endpoint_url), ("region", region), ("profile", profile)):
        if value is not None and method != "s3":
            problem(key, _("`{key}` is only for s3:// targets; remove it").format(key=key))
            ok = False

    def flag(key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            problem(key, _("must be true or false, not {value!r}").format(value=value))
            return False
        return value

    preview, precompress = flag("preview"), flag("precompress")
    if precompress and method != "s3":
        problem("precompress", _("pre-compressed files need a server that sends Content-Encoding from metadata: "
                                 "only s3:// targets; let the web server compress (gzip on) and remove this key"))
        ok = False
    folder = None
    if "folder" in raw:
        value = text("folder")
        folder = (root / value).resolve() if value else None
    elif preview:
        problem(None, _("a preview target needs `folder`, the output of `publish build --preview --out DIR` "
                        "(for example folder = \"preview\")"))
        ok = False
    max_deletes = raw.get("max_deletes", 100)
    if not isinstance(max_deletes, int) or isinstance(max_deletes, bool) or max_deletes < 0:
        problem("max_deletes", _("must be a whole number of files (0 or more), not {value!r}").format(
            value=max_deletes))
        max_deletes = 100
    cache_control: list[tuple[str, str]] = []
    rules = raw.get("cache_control", {})
    if not isinstance(rules, dict) or not all(isinstance(v, str) and v.strip() for v in rules.values()):
        problem("cache_control", _("must be a table of pattern = \"Cache-Control value\", such as "
                                   "cache_control = { \"*.html\" = \"public, max-age=300\" }"))
        ok = False
    else:
        cache_control = [(pattern, value.strip()) for pattern, value in rules.items()]
    invalidate = raw.get("invalidate", [])
    if isinstance(invalidate, str):
        try:
            invalidate = shlex.split(invalidate)
        except ValueError as exc:
            problem("invalidate", _("cannot split the command ({reason}); write it as a list of arguments").format(
                reason=exc))
            invalidate = []
            ok = False
    if not isinstance(invalidate, list) or not all(isinstance(a, str) for a in invalidate):
        problem("invalidate", _("must be a command as a list of arguments, such as "
                                "[\"./scripts/purge-cdn.sh\", \"{{paths}}\"]").format())
        ok = False
        invalidate = []
    if not ok:
        return None
    return DeployTarget(name=name, url=url, method=method, local_path=local_path, endpoint_url=endpoint_url,
                        region=region, profile=profile, preview=preview, folder=folder, max_deletes=max_deletes,
                        precompress=precompress, cache_control=tuple(cache_control), invalidate=tuple(invalidate))
