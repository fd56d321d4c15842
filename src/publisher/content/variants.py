"""Images per language: `chart.zh.png` beside `chart.png` is the chart the zh page and PDF show (as Hugo's
page bundles do), so a chart with Japanese labels need not appear in the Chinese page."""

from __future__ import annotations

from pathlib import PurePosixPath


def language_variant_name(reference: str, lang: str) -> str:
    """`chart.png` -> `chart.zh.png` (the file name a language's own copy of an image has)."""
    path = PurePosixPath(reference)
    return str(path.with_name(f"{path.stem}.{lang}{path.suffix}")) if path.suffix else reference


def for_language(reference: str, lang: str, available) -> str:
    """`reference`, or its variant for `lang` when `available` (a set of names, or a callable) has it."""
    variant = language_variant_name(reference, lang)
    has = available(variant) if callable(available) else variant in available
    return variant if variant != reference and has else reference
