"""Property-based fuzzing of articles and configurations (Hypothesis).

Malformed articles (broken YAML, wrong types, NUL bytes, invalid UTF-8, BOM, CRLF, huge values, deep
nesting, odd file names, symlinks out of the site) and malformed `publisher.toml` files must give
located problems, never a traceback; a good article next to a bad one is never lost; and after
`check` passes, `build` does not fail on content.

A bounded number of examples runs with the suite. For a long run:
`PUBLISHER_FUZZ_EXAMPLES=10000 .venv/bin/pytest -q tests/content/test_fuzz.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.config import load_config
from publisher.content import load_site
from publisher.errors import ConfigError, Problem
from publisher.site.build import BuildOptions, build_site
from support.factory import REPO_ROOT, article

EXAMPLES = int(os.environ.get("PUBLISHER_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
                suppress_health_check=list(HealthCheck))
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
GOOD = article(title="良い記事", body="## 1. 見出し\n\n本文です。\n")
_LOCATED = re.compile(r"^[^\n]+?(:\d+)?: [\w.]+: ")

# --- pieces of malformed frontmatter ---------------------------------------------------------

FIELDS = ["title", "code", "date", "publish_at", "status", "tags", "summary", "hero", "hero_alt", "related",
          "ai", "pseudonyms", "sources", "unknown"]
nasty_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "a\x00b", "漢" * 90, "/etc/passwd", "file:///etc/passwd", "javascript:alert(1)",
                     "../../x.png", "x" * 5000, "{{", "- [", "!!binary AAAA", "2025-02-30", "2025-13-01T25:61",
                     "\u202e", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]),
)
yaml_values = st.one_of(
    nasty_text.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0") + '"'),
    st.sampled_from(["[", "{", "[[[[", "- a", "true", "1e999", "-1", "null", "[1, [2, [3]]]", "{a: {b: c}}",
                     "'unclosed", "&anchor x", "*alias", "!!python/object:os.system x", "|\n  text\n   more",
                     "[" * 600 + "]" * 600, "2025-12-05", "[a, a, '']", "{text: 1, image: true}"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)
frontmatter_lines = st.lists(st.tuples(st.sampled_from(FIELDS), yaml_values), max_size=10)


@st.composite
def markdown_files(draw) -> bytes:
    lines = draw(frontmatter_lines)
    base = draw(st.sampled_from(["title: t\ndate: 2025-12-05\nstatus: published\n", "", "title: t\n"]))
    head = base + "".join(f"{name}: {value}\n" for name, value in lines)
    body = draw(st.one_of(
        st.text(max_size=200),
        st.sampled_from(["<script>alert(1)</script>\n", "*" * 800 + "x" + "*" * 800, "<div>" * 500,
                         "![x](../../../etc/passwd)\n", "![y](/etc/hosts)\n", "# 題\n", "> " * 300 + "q",
                         "[^1]\n\n[^1]: " * 50, "| a |\n|-|\n" + "| b |\n" * 200]),
    ))
    text = draw(st.sampled_from(["---\n{head}---\n\n{body}", "---\n{head}\n{body}", "{head}{body}",
                                 "---\n{head}---\n---\n{body}"])).format(head=head, body=body)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = data.replace(b"\n", b"\r\n")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 5)) == 0:
        data = data[: draw(st.integers(0, len(data)))] + b"\xff\xfe" + data[len(data) // 2:]
    return data


folder_names = st.one_of(
    st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    st.sampled_from(["Bad Name", "bad\nname", "日本語", "a" * 200, ".hidden", "_draft", "-x-", "UPPER"]),
    st.binary(min_size=1, max_size=8).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
                                               ).map(os.fsdecode),
)
extra_files = st.lists(st.tuples(
    st.sampled_from(["x.png", "zh.md", "en.md", "a\nb.png", os.fsdecode(b"\xff.png"), "big.svg", "notes.txt"]),
    st.sampled_from(["bytes", "link-out", "link-in", "fifo"])), max_size=3)


def _site(root: Path) -> Path:
    config = root / "publisher.toml"
    text = (REPO_ROOT / "publisher.toml").read_text("utf-8")
    text = text.replace('templates_dir = "templates"', f'templates_dir = "{REPO_ROOT / "templates"}"')
    text = text.replace('assets_dir = "assets"', f'assets_dir = "{REPO_ROOT / "assets"}"')
    config.write_text(text.replace("[pdf]\n", "[pdf]\nenabled = false\n", 1).replace(
        "# `publish build` writes a PDF of every live article (<lang>/<slug>/<slug>.pdf).\nenabled = true\n", ""),
        "utf-8")
    (root / "articles" / "good").mkdir(parents=True)
    (root / "articles" / "good" / "ja.md").write_text(GOOD, "utf-8")
    return config


def _add(folder: Path, name: str, kind: str, outside: Path) -> None:
    path = folder / name
    if os.path.lexists(path):
        return
    if kind == "bytes":
        path.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    elif kind == "link-out":
        path.symlink_to(outside)
    elif kind == "link-in":
        path.symlink_to(folder / "ja.md")
    else:
        os.mkfifo(path)


def assert_located(problems: tuple[Problem, ...], root: Path) -> None:
    for problem in problems:
        line = problem.format(root)
        assert "\n" not in line, line
        assert _LOCATED.match(line), line
        line.encode("utf-8")  # printable on any UTF-8 terminal


@FUZZ
@given(name=folder_names, data=markdown_files(), extras=extra_files, link_folder=st.booleans())
def test_malformed_articles_never_crash_and_never_lose_the_good_one(name, data, extras, link_folder):
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "site"
        root.mkdir()
        outside = Path(temporary) / "secret.png"
        outside.write_bytes(b"secret")
        config_path = _site(root)
        folder = root / "articles" / name
        if folder.name != "good":
            if link_folder:
                elsewhere = Path(temporary) / "elsewhere"
                elsewhere.mkdir()
                (elsewhere / "ja.md").write_bytes(data)
                folder.symlink_to(elsewhere)
            else:
                folder.mkdir(exist_ok=True)
                (folder / "ja.md").write_bytes(data)
                for extra, kind in extras:
                    _add(folder, extra, kind, outside)
        config = load_config(config_path)
        result = load_site(config)
        assert_located(result.problems, root)
        assert "good" in {a.slug for a in result.site.articles}
        for a in result.site.articles:  # nothing published from outside the site
            assert a.folder.resolve().is_relative_to(config.content_dir)
        if not result.errors:  # check passes: build must not fail on content
            report = build_site(config, BuildOptions(now=NOW, out_dir=root / "dist", jobs=1))
            assert_located(report.warnings, root)
            published = [p for p in (root / "dist").rglob("*") if p.is_file()]
            assert not any(p.read_bytes() == b"secret" for p in published)
            assert (root / "dist/ja/good/index.html").is_file()


config_values = st.one_of(
    nasty_text.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\u0000") + '"'),
    st.sampled_from(["[", "[" * 1000 + "]" * 1000, "{", "1", "-5", "true", "[]", "[1, 2]", '"表格{n"', '"{page:%}"',
                     '"{organization.__class__.__mro__}"', '"{0}"', '"{{n}}"', '"/dev/zero"', '"/dev/urandom"',
                     '"../outside"', '"data/pageviews.csv"', '"art\\u0000icles"', "1e400", "inf"]),
)
config_keys = st.sampled_from([
    ("site", "base_url"), ("site", "timezone"), ("site", "languages"), ("site", "content_dir"),
    ("site", "output_dir"), ("site", "per_page"), ("site", "toc_min_headings"), ("strings.ja", "table_label"),
    ("strings.ja", "page_title"), ("strings.zh", "notice_copyright"), ("strings.ja", "tag_title"),
    ("ranking", "file"), ("ranking", "size"), ("feeds", "content"), ("images", "widths"), ("pdf", "page_size"),
    ("preview", "port"), ("markdown", "raw_html"), ("markdown", "other"), ("nonsense", "x"),
])


@FUZZ
@given(edits=st.lists(st.tuples(config_keys, config_values), min_size=1, max_size=4),
       mangle=st.sampled_from(["", "bom", "crlf", "truncate", "binary"]))
def test_malformed_configurations_never_crash(edits, mangle):
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "site"
        root.mkdir()
        config_path = _site(root)
        text = config_path.read_text("utf-8")
        for (section, key), value in edits:
            pattern = re.compile(rf"(^\[{re.escape(section)}\]\n(?:(?!\[).*\n)*?){re.escape(key)} = .*\n", re.M)
            if pattern.search(text):
                text = pattern.sub(lambda m: f"{m.group(1)}{key} = {value}\n", text, count=1)
            else:
                text += f"\n[{section}]\n{key} = {value}\n" if section not in ("site",) else ""
        data = text.encode("utf-8", "surrogatepass")
        if mangle == "bom":
            data = b"\xef\xbb\xbf" + data
        elif mangle == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif mangle == "truncate":
            data = data[: len(data) // 2]
        elif mangle == "binary":
            data = data[:100] + b"\xff\x00" + data[100:]
        config_path.write_bytes(data)
        try:
            config = load_config(config_path)
        except ConfigError as error:
            assert error.problems
            assert_located(error.problems, root)
            return
        result = load_site(config)
        assert_located(result.problems, root)
        if not result.errors:
            report = build_site(config, BuildOptions(now=NOW, out_dir=root / "dist", jobs=1))
            assert_located(report.warnings, root)
            shutil.rmtree(root / "dist", ignore_errors=True)
