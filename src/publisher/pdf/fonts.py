"""The fonts a PDF needs, checked with fontconfig before anything is rendered.

Without the Noto CJK faces WeasyPrint would quietly fall back to another font
(or draw tofu boxes), so a missing package must stop the run with a message
saying what to install. The faces named here are the ones `assets/print.css`
asks for in each language; keep the two in step.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from ..errors import PublisherError
from ..languages import language
from ..i18n import _

#: Debian package that provides the Noto CJK faces.
FONT_PACKAGE = "fonts-noto-cjk"


class FontsMissing(PublisherError):
    """A font the print stylesheet needs is not installed."""


def faces_for(html_lang: str) -> tuple[str, ...]:
    """The font families the print stylesheet uses for a page in `html_lang` (BCP 47).

    Japanese gets the JP faces and Chinese the SC faces (TC for traditional
    tags): `Language.cjk_faces` in `publisher.languages`. The stylesheet names the faces per language: what a generic family
    gives for `lang="zh-CN"` depends on the machine's fontconfig rules. Other languages
    use no CJK face and need nothing checked.
    """
    known = language(html_lang)
    if known is None or known.cjk_faces is None:
        return ()
    return (f"Noto Serif CJK {known.cjk_faces}", f"Noto Sans CJK {known.cjk_faces}")


@lru_cache(maxsize=None)
def _installed(family: str) -> bool:
    found = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=False)
    return found.returncode == 0 and bool(found.stdout.strip())


def check_fonts(html_langs: tuple[str, ...] | list[str]) -> None:
    """Raise `FontsMissing`, naming the Debian package, unless every face needed for `html_langs` is installed."""
    needed = sorted({face for lang in html_langs for face in faces_for(lang)})
    if not needed:
        return
    if shutil.which("fc-list") is None:
        raise FontsMissing(_("fontconfig's fc-list is not installed, so the CJK fonts cannot be checked; "
                             "install the Debian packages fontconfig and {package} (or run "
                             "./scripts/setup.sh)").format(package=FONT_PACKAGE))
    missing = [face for face in needed if not _installed(face)]
    if missing:
        raise FontsMissing(_("the font(s) {items} are not installed, so Japanese and Chinese text cannot be "
                             "set; install the Debian package {package} (apt-get install "
                             "{package}, or run ./scripts/setup.sh) and try again").format(
                               items=', '.join(missing), package=FONT_PACKAGE))
