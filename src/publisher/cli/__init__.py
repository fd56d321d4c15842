"""The `publish` command. Thin: load config, call one library function, turn
its errors into messages and exit codes (1: problems in the input, 2: usage).

One module per command group, as mkdocs' `commands/`: `site` (check, build,
cache, new, schedule, import, pdf), `translation` (translate, status), `authoring`
(draft, image, revise, factcheck), `preview`, `deploy`; `common` holds what they share.
"""

from __future__ import annotations

import click

from . import authoring, deploy, preview, site, translation
from .help import PublishGroup


@click.group(cls=PublishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher")
def main() -> None:
    """Publish bilingual Markdown articles as a static site."""


SHORT_HELP = {
    "build": "Build the site into dist/ as of now.",
    "cache": "Show how big the build cache is, or prune it now.",
    "check": "Check the configuration and every article, house style included.",
    "deploy": "Send the built site to a [deploy] target, only what changed.",
    "draft": "Draft a new article from source documents with the model.",
    "factcheck": "List the figures of an article that no source contains.",
    "image": "Make the hero image of an article with the images model.",
    "import": "Import pages exported from the old site as articles.",
    "new": "Start a new article as a draft.",
    "pdf": "Make the PDF of one article.",
    "preview": "Serve the site with drafts on this machine, reloading on save.",
    "revise": "Revise parts of an article with the model, after a diff.",
    "schedule": "List upcoming releases in the site's time zone.",
    "status": "Show how up to date each translation is.",
    "translate": "Translate new and changed blocks with the model.",
}
"""The one-line descriptions of `publish --help`: whole sentences short enough not to be cut (click cuts a
docstring's first sentence with `...`). English here; `--help` shows them in the message language (cli/help.py)."""

for _command in (site.check, site.build, site.cache, site.new, site.schedule, site.import_, site.pdf,
                 translation.translate, translation.status,
                 authoring.image, authoring.revise, authoring.draft, authoring.factcheck,
                 preview.preview, deploy.deploy):
    _command.short_help = SHORT_HELP[_command.name]
    main.add_command(_command)
