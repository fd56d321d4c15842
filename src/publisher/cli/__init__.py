"""The `publish` command. Thin: load config, call one library function, turn
its errors into messages and exit codes (1: problems in the input, 2: usage).

One module per command group, as mkdocs' `commands/`: `site` (check, build,
new, schedule, import, pdf), `translation` (translate, status), `authoring`
(draft, image, revise, factcheck), `preview`, `deploy`; `common` holds what they share.
"""

from __future__ import annotations

import click

from . import authoring, deploy, preview, site, translation


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher")
def main() -> None:
    """Publish bilingual Markdown articles as a static site."""


for _command in (site.check, site.build, site.new, site.schedule, site.import_, site.pdf,
                 translation.translate, translation.status,
                 authoring.image, authoring.revise, authoring.draft, authoring.factcheck,
                 preview.preview, deploy.deploy):
    main.add_command(_command)
