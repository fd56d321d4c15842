"""Authoring with a model: `publish draft` (draft.py), `publish revise` (revise.py), `publish image` (image.py)."""
