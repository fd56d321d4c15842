"""The local OpenAI-compatible server and a small site wired to it (`support.llm_site`)."""

from support.llm_site import LLMSite, llm_site, llm_toml, openai_server  # noqa: F401  (fixtures)
