"""Sizes of downloads as readers see them beside a link."""

from __future__ import annotations


def file_size_text(size: int) -> str:
    """`1.2 MB`, `850 KB`: a download's size as readers see it beside the link."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"
