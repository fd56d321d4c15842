"""The drafting prompts and the JSON schemas of their answers."""

from __future__ import annotations

from typing import Any




OUTLINE_PROMPT = """You plan a business article in {language} for Japanese companies doing business in China, from
a writer's brief and source documents.
Input JSON: "brief", "title" (use it when not empty), "target_chars" (the article's length), "sections" (the
least and most sections), "sources" (each with its passages: "id", "where", and the passage's first characters).
Answer JSON: "title" (specific, at most 40 characters), "summary" (one or two sentences for the index page),
"tags" (2 to 5 short tags), "sections": [{{"heading" (without a number), "plan" (what the section says and which
facts it needs: one to three sentences naming the topics to look up in the sources), "keywords" (3 to 8 words to
find the relevant passages), "series": {{"label", "items"}}}}].
Give a section a series (a label such as 特徴, 成長物語 or 事例, and 2 to 5 item names) only where the brief asks
for a list of named features, cases or places; otherwise "label": "" and "items": []. Do not plan a closing
summary: it is added after the last section. Write in {language}."""

SECTION_PROMPT = """You write one section of a business article in {language} for Japanese companies doing business
in China, using only facts from the passages given.
Input JSON: "brief", "title", "outline" (every section heading), "section" ("number", "heading", "plan",
"series"), "target_chars", "passages" [{{"id", "source", "where", "text"}}].
Answer JSON {{"blocks": [{{"kind", "text", "items", "sources"}}]}} in reading order. Kinds:
- "point": one point of the section; it is numbered ① ② ③ for you, so do not write the number;
- "text": an ordinary paragraph;
- "flow": a flow marker between two statements where the second follows from the first ("text" empty);
- "term": a term explanation, "text" starting with the term and "とは、";
- "subheading" then "tagline": when the section has a series, one sub-block per item: a "subheading" with the
  item's name, directly followed by a "tagline" (a one-line catchphrase, without parentheses), then its points;
- "list": bullet points in "items" ("text" empty).
"sources": the ids of the passages the block's facts come from. Every block that states a fact or a figure cites at
least one; flow, subheading and tagline cite none ([]). Copy figures exactly as the passages write them, and never
invent figures, names or dates. About "target_chars" characters in all. No Markdown markup, no headings other than
subheadings, no closing summary. Write in {language}."""

CLOSING_PROMPT = """You write the closing summary of a business article in {language}: one or two sentences with its
main takeaway for the reader's business, without figures.
Input JSON: "title", "brief", "sections" [{{"heading", "gist"}}]. Answer JSON {{"summary"}} without a leading ■."""

_STRING_LIST = {"type": "array", "items": {"type": "string"}}

OUTLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "tags": _STRING_LIST,
        "sections": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "heading": {"type": "string"},
                "plan": {"type": "string"},
                "keywords": _STRING_LIST,
                "series": {"type": "object", "properties": {"label": {"type": "string"}, "items": _STRING_LIST},
                           "required": ["label", "items"], "additionalProperties": False},
            },
            "required": ["heading", "plan", "keywords", "series"],
            "additionalProperties": False}},
    },
    "required": ["title", "summary", "tags", "sections"],
    "additionalProperties": False,
}

BLOCK_KINDS = ("point", "text", "flow", "term", "subheading", "tagline", "list")

SECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"blocks": {"type": "array", "items": {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": list(BLOCK_KINDS)}, "text": {"type": "string"},
                       "items": _STRING_LIST, "sources": _STRING_LIST},
        "required": ["kind", "text", "items", "sources"],
        "additionalProperties": False}}},
    "required": ["blocks"],
    "additionalProperties": False,
}

CLOSING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"summary": {"type": "string"}},
    "required": ["summary"],
    "additionalProperties": False,
}
