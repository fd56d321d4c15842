"""The model client only: `client.py` (the one interface over `openai`), `capabilities.py` (what the endpoint
takes, learned from refusals), `failures.py` (errors that say the truth), `answers.py` (the one JSON-answer
reader), `structured.py` (ask for a checked JSON answer), `budget.py` (token estimates), `usage.py` (usage log).
Translation and authoring build on it; `[llm]` is read by `config/llm.py`."""
