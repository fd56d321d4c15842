"""`publish image ARTICLE`: a hero image from the images API, saved beside the article and named in its header.

The prompt is the writer's (`--prompt`) or made from the title and summary;
either way the house rule is added: no text in the image (generated lettering
is garbled, and the page is read in two languages). The alt text is the
writer's (`--alt`) or written by the chat model from the prompt, in the
article's language. The image goes to `hero.png` (or the next free name:
another file is never replaced), and the header gets `hero`, `hero_alt` and
`ai.image: <model>` (so the page's notice names the model), with the rest of
the header left as the writer formatted it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from ..config import SiteConfig
from ..content.frontmatter import read_document
from ..content.header_edit import set_fields
from ..errors import PublisherError
from ..content.lookup import find_article_file
from ..fsio import replace_if_unchanged, save_new_file
from ..llm.client import LLMClient
from ..config.llm import LLMSettings
from ..llm.structured import ask_json
from ..languages import LANGUAGE_NAMES
from ..llm.usage import Prices, UsageLog, UsageSummary
from ..i18n import _
from ..llm.feedback import Feedback

NO_TEXT_RULE = ("No text anywhere in the image: no letters, words, numbers, captions, signs, logos or watermarks.")
"""The house rule every prompt ends with."""

_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}

ALT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"alt": {"type": "string"}},
    "required": ["alt"],
    "additionalProperties": False,
}


class ImageError(PublisherError):
    """The hero image could not be made or saved."""


@dataclass(frozen=True)
class ImageOptions:
    """What `publish image` was asked for."""

    prompt: str | None = None
    """The writer's prompt; None: made from the title and summary."""
    model: str | None = None
    """Image model; None: `llm.image_model`."""
    size: str | None = None
    """`WIDTHxHEIGHT`; None: `llm.image_size`, else a landscape size the model supports."""
    alt: str | None = None
    """The alt text; None: written by the chat model from the prompt."""


@dataclass(frozen=True)
class ImageReport:
    """What `publish image` did."""

    image: Path
    """The image file written."""
    article: Path
    """The Markdown file whose header was changed."""
    model: str
    """The image model (now `ai.image`)."""
    prompt: str
    """The prompt sent."""
    alt: str
    """The alt text (now `hero_alt`)."""
    previous_hero: str | None
    """The hero the article had before (its file is left in the folder)."""
    usage: UsageSummary
    """Requests made and their cost."""


def default_size(model: str) -> str | None:
    """A landscape size the model is known to support; None lets the endpoint choose."""
    if model.startswith("gpt-image"):
        return "1536x1024"
    if model == "dall-e-3":
        return "1792x1024"
    if model == "dall-e-2":
        return "1024x1024"
    return None


def derived_prompt(title: str, summary: str | None) -> str:
    """A hero prompt from what the article is about."""
    about = f"Title: {title}" + (f"\nSummary: {summary}" if summary else "")
    return ("A wide hero illustration for a business article for Japanese companies doing business in China.\n"
            f"{about}\nStyle: calm, modern editorial illustration, clear shapes, muted colours, no people's faces "
            "in close-up.")


def generate_hero(config: SiteConfig, settings: LLMSettings, reference: str, options: ImageOptions, *,
                  client: LLMClient | None = None) -> ImageReport:
    """Make the hero image of the article `reference` and record it in the article's header."""
    located = find_article_file(config, reference, config.source_language.code)
    original = located.path.read_bytes()
    raw, problems = read_document(located.path)
    if raw is None:
        raise ImageError(_("{problem}; fix the file first").format(problem=problems[0].format(config.root)))
    title = str(raw.fields.get("title") or "").strip()
    if not title and not options.prompt:
        raise ImageError(_("{path}: the article has no title to make a prompt from; add `title:` or give "
                           "--prompt").format(
                               path=located.path))
    ai = raw.fields.get("ai") or {}
    if not isinstance(ai, dict):
        raise ImageError(_("{path}: `ai` must be a mapping such as `ai: {{text: true}}`; fix it first").format(
                               path=located.path))
    summary = raw.fields.get("summary")
    prompt = (options.prompt.strip() if options.prompt else derived_prompt(title, str(summary) if summary else None))
    if NO_TEXT_RULE not in prompt:
        prompt = f"{prompt}\n{NO_TEXT_RULE}"
    model = options.model or settings.image_model
    size = options.size or settings.image_size or default_size(model)

    own_client = client is None
    client = client or LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    records_before = len(client.usage_log.records) if client.usage_log else 0
    try:
        alt = options.alt.strip() if options.alt else _alt_text(client, prompt, located.lang)
        result = client.image(prompt, model=model, size=size)
    finally:
        if own_client:
            client.close()
    extension = _image_extension(result.data)
    image_path = save_new_file(located.folder, "hero", extension, result.data)
    updates = {"hero": image_path.name, "hero_alt": alt, "ai": {**ai, "image": model}}
    try:
        text = set_fields(original.decode("utf-8"), updates, located.path)
        replace_if_unchanged(located.path, original, text)
    except PublisherError as exc:
        raise ImageError(_("{exc}. The image was saved as {image_path}; set `hero: {name}`, `hero_alt: {alt}` and "
                           "`ai.image: {model}` by hand, or run again").format(exc=exc,
                               image_path=image_path, name=image_path.name, alt=alt, model=model)) from None
    usages = client.usage_log.records[records_before:] if client.usage_log else []
    prices = Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                    settings.price_output_per_million)
    previous = raw.fields.get("hero")
    return ImageReport(image=image_path, article=located.path, model=model, prompt=prompt, alt=alt,
                       previous_hero=str(previous) if previous else None, usage=UsageSummary.of(usages, prices))


def _alt_text(client: LLMClient, prompt: str, lang: str) -> str:
    language = LANGUAGE_NAMES.get(lang, lang)
    messages = [
        {"role": "system", "content": (
            f"Write the alt text of an article's hero image, in {language}, for readers who cannot see it. The "
            "image was generated from the prompt the user sends as JSON (\"prompt\"). One sentence of at most 80 "
            "characters saying what the image shows; do not start with 'image of'. Answer JSON {\"alt\": \"...\"}.")},
        {"role": "user", "content": json.dumps({"task": "alt_text", "prompt": prompt}, ensure_ascii=False)},
    ]

    def check(answer: dict[str, Any]) -> list[str]:
        alt = answer.get("alt")
        if not isinstance(alt, str) or not alt.strip():
            return [Feedback("`alt` must be a non-empty string")]
        if "\n" in alt.strip() or len(alt) > 200:
            return [Feedback("`alt` must be one short sentence")]
        return []

    answer = ask_json(client, messages, schema=ALT_SCHEMA, name="alt_text", purpose="image-alt",
                      what=_("the alt text"), check=check, max_tokens=300)
    return str(answer["alt"]).strip()


def _image_extension(data: bytes) -> str:
    """The file extension of a real PNG/JPEG/WebP image; an error for anything else."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageError(_("the images API sent data that is not a readable image ({exc}); try again").format(
            exc=exc)) from None
    if kind not in _EXTENSIONS:
        raise ImageError(_("the images API sent a {kind} image; only PNG, JPEG and WebP can be published").format(
                               kind=kind))
    return _EXTENSIONS[kind]
