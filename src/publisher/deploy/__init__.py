"""`publish deploy`: publish a build's output to S3-compatible storage, a server over rsync, or a folder.

Only what changed is sent (content hashes against a manifest kept with the
target), media before pages before feeds; a preview build goes only to
preview targets, and a stale or incomplete build nowhere.
"""

from .run import DeployOptions, DeployPlan, DeployReport, changed_urls, choose_target, deploy_site
from .source import MANIFEST, DeployRefused
from .targets import DeployError

__all__ = ["MANIFEST", "DeployError", "DeployOptions", "DeployPlan", "DeployRefused", "DeployReport",
           "changed_urls", "choose_target", "deploy_site"]
