"""The LLM layer: a small client over `openai` (client.py, settings.py, usage.py)
and segment-level translation built on it (segments, protect, checks, lock, plan, translate)."""
