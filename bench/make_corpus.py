#!/usr/bin/env python3
"""Generates a synthetic bilingual site for build benchmarks.

    python bench/make_corpus.py --articles 1000 --out /tmp/corpus

writes `/tmp/corpus/publisher.toml` (the repository's, with PDFs switched off;
`set_pdfs` turns them back on, as `build_bench.py` does for the default build), copies of
`templates/`, `assets/` (and `data/` when the repository has one), and
`articles/<slug>/{ja,zh}.md` shaped like real articles: about 6,000
characters of Japanese per article in the house style (numbered `##`
sections, `###` 【特徴❶】 sub-blocks with a tagline, circled-number points,
`↓` flow markers, a term box, `■` summaries, lists, a pipe table,
footnotes), a Chinese translation with the same structure, tags, related
links and, for some articles, a PNG hero image.

The text is made up from a small phrase grammar (no sentence of the seed
material is used); the same random choices render both languages, so the
translation keeps the source's structure, figures and names. Output is
deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# (Japanese, Chinese) pairs: the same choice renders both languages.
CITIES = [
    ("合肥", "合肥"), ("深セン", "深圳"), ("蘇州", "苏州"), ("成都", "成都"), ("武漢", "武汉"),
    ("西安", "西安"), ("杭州", "杭州"), ("広州", "广州"), ("重慶", "重庆"), ("青島", "青岛"),
    ("大連", "大连"), ("天津", "天津"), ("寧波", "宁波"), ("長沙", "长沙"), ("鄭州", "郑州"),
    ("廈門", "厦门"), ("無錫", "无锡"), ("東莞", "东莞"),
]
INDUSTRIES = [
    ("半導体", "半导体"), ("新エネルギー車", "新能源汽车"), ("産業用ロボット", "工业机器人"),
    ("医療機器", "医疗器械"), ("車載電池", "动力电池"), ("食品加工", "食品加工"), ("冷凍物流", "冷链物流"),
    ("越境EC", "跨境电商"), ("精密部品", "精密零部件"), ("化学素材", "化工材料"), ("工作機械", "机床"),
    ("業務ソフト", "企业软件"), ("太陽光パネル", "光伏组件"), ("介護サービス", "养老服务"),
]
ACTORS = [
    ("地元政府", "地方政府"), ("日系メーカー", "日资制造商"), ("現地の部品企業", "本地零部件企业"),
    ("大学の研究所", "高校研究院"), ("開発区の管理委員会", "开发区管委会"), ("外資の販売会社", "外资销售公司"),
    ("新興企業", "初创企业"), ("中堅の商社", "中型贸易公司"),
]
TOPICS = [
    ("人材の確保", "人才招聘"), ("用地の取得", "土地获取"), ("補助金の申請", "补贴申请"),
    ("取引先の開拓", "客户开发"), ("品質管理の仕組み", "质量管理体系"), ("データの越境移転", "数据跨境传输"),
    ("物流網の整備", "物流网络建设"), ("研究開発の拠点づくり", "研发基地建设"), ("生産ラインの自動化", "生产线自动化"),
    ("販売代理店の選定", "经销商选择"), ("許認可の取得", "资质许可办理"), ("為替の管理", "外汇管理"),
]
THEMES = [
    ("市場の読み方", "市场研判"), ("進出の手順", "进入步骤"), ("提携先の選び方", "合作伙伴选择"),
    ("拠点配置", "基地布局"), ("政策の使い方", "政策运用"), ("リスクの見極め", "风险识别"),
]
TAG_EXTRA = [("政策", "政策"), ("実務", "实务"), ("事例", "案例"), ("投資", "投资"), ("人材", "人才")]
FILLED = "❶❷❸❹❺❻❼❽❾"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# Sentence templates (Japanese, Chinese). Slots: city, city2, ind, actor, topic, topic2, year, pct, num.
SENTENCES = [
    ("{year}年以降、{city}では{ind}の集積が進み、{actor}による投資が目立つようになった。",
     "{year}年以来，{city}的{ind}加速集聚，{actor}的投资日益引人注目。"),
    ("{actor}にとって最初の壁は{topic}であり、準備に半年以上かかる例も少なくない。",
     "对{actor}而言，第一道门槛是{topic}，准备工作耗时半年以上的情况并不少见。"),
    ("{city}の{ind}関連の生産額は前年比{pct}%増え、{num}億元の規模に達したとされる。",
     "据称{city}的{ind}相关产值同比增长{pct}%，规模达到{num}亿元。"),
    ("{topic}を後回しにすると、量産の段階で思わぬ遅れが生じやすい。",
     "如果把{topic}往后拖，到了量产阶段容易出现意想不到的延误。"),
    ("そこで{actor}は、{city}に小さな窓口を置き、{topic}から着手するのが現実的な進め方になる。",
     "因此，{actor}比较现实的做法是先在{city}设立小型窗口，从{topic}入手。"),
    ("{ind}の分野では、価格よりも納期と品質の安定が取引先選びの決め手になる。",
     "在{ind}领域，决定选择哪家供应商的关键往往不是价格，而是交期和质量的稳定。"),
    ("{city}の{actor}は、{ind}の誘致に向けて手続きの簡素化を打ち出している。",
     "{city}的{actor}为吸引{ind}项目，推出了简化手续的措施。"),
    ("担当者の話では、{topic}に関する相談が{year}年から急に増えたという。",
     "据负责人介绍，从{year}年起，关于{topic}的咨询突然增多。"),
    ("{ind}の需要は沿海部から内陸部へ広がりつつあり、{city}はその受け皿の一つになっている。",
     "{ind}的需求正从沿海向内陆扩散，{city}是承接地之一。"),
    ("数字だけで判断せず、現地を訪ねて{actor}の話を直接聞く手間は惜しめない。",
     "不能只凭数字下判断，实地走访、直接听取{actor}意见的功夫省不得。"),
    ("{topic}と{topic2}を同時に進めると、現場の負担が大きくなりすぎる。",
     "如果同时推进{topic}和{topic2}，现场的负担会过重。"),
    ("{city}と{city2}を比べると、{ind}の裾野の広さに{pct}ポイントほどの差がある。",
     "比较{city}和{city2}，{ind}产业链的广度相差约{pct}个百分点。"),
    ("{year}年の計画では、{ind}を地域の柱に育てる方針が明記された。",
     "{year}年的规划明确提出，要把{ind}培育成地区的支柱产业。"),
    ("{actor}の多くは、{topic}に外部の専門家を起用して時間を買っている。",
     "许多{actor}在{topic}上借助外部专家，以争取时间。"),
]
HEADINGS = [
    ("{city}の{ind}をどう読むか", "如何解读{city}的{ind}"),
    ("{ind}で成果を出す{theme}", "在{ind}领域取得成果的{theme}"),
    ("{topic}で押さえる3つの要点", "{topic}需要把握的三个要点"),
    ("{city}と{city2}の比較から見える{theme}", "从{city}与{city2}的比较看{theme}"),
    ("{actor}が直面する課題", "{actor}面临的课题"),
]
TAGLINES = [("({topic}が鍵)", "（关键在于{topic}）"), ("({ind}の受け皿)", "（{ind}的承接地）"),
            ("({actor}が主役)", "（{actor}唱主角）")]


@dataclass(frozen=True)
class Corpus:
    """What `make_corpus` wrote."""

    root: Path
    """The site folder (holds publisher.toml)."""
    slugs: tuple[str, ...]
    """Every article's slug, in creation order."""
    source_chars: int
    """Characters of Japanese Markdown bodies, summed."""
    translation_chars: int
    """Characters of Chinese Markdown bodies, summed."""


class _Writer:
    """Renders one article in both languages from the same random choices."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ja: list[str] = []
        self.zh: list[str] = []

    def slots(self) -> dict[str, tuple[str, str]]:
        rng = self.rng
        city, city2 = rng.sample(CITIES, 2)
        topic, topic2 = rng.sample(TOPICS, 2)
        year = str(rng.randint(2016, 2025))
        pct = str(rng.randint(3, 38))
        num = f"{rng.randint(12, 4800):,}"
        pairs = {"city": city, "city2": city2, "ind": rng.choice(INDUSTRIES), "actor": rng.choice(ACTORS),
                 "topic": topic, "topic2": topic2, "theme": rng.choice(THEMES)}
        pairs.update({"year": (year, year), "pct": (pct, pct), "num": (num, num)})
        return pairs

    def fill(self, template: tuple[str, str], slots: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
        slots = slots or self.slots()
        ja = template[0].format(**{k: v[0] for k, v in slots.items()})
        zh = template[1].format(**{k: v[1] for k, v in slots.items()})
        return ja, zh

    def sentences(self, count: int) -> tuple[str, str]:
        pairs = [self.fill(self.rng.choice(SENTENCES)) for _ in range(count)]
        return "".join(p[0] for p in pairs), "".join(p[1] for p in pairs)

    def block(self, ja: str, zh: str) -> None:
        self.ja.append(ja)
        self.zh.append(zh)

    def points(self, count: int) -> None:
        for i in range(count):
            ja, zh = self.sentences(self.rng.randint(2, 3))
            self.block(CIRCLED[i] + ja, CIRCLED[i] + zh)

    def flow(self) -> None:
        self.block("↓", "↓")
        self.block(*self.sentences(2))


def _article(rng: random.Random, index: int, slugs: list[str], footnote_base: int = 1,
             target_chars: int = 6000) -> tuple[dict, dict, str, str]:
    w = _Writer(rng)
    section = 0
    footnote = footnote_base
    footnotes: list[tuple[str, str]] = []
    while sum(len(b) for b in w.ja) < target_chars * 0.88:
        section += 1
        heading = w.fill(rng.choice(HEADINGS))
        w.block(f"## {section}. {heading[0]}", f"## {section}. {heading[1]}")
        w.points(rng.randint(2, 3))
        w.flow()
        kind = section % 4
        if kind == 1:
            ind = rng.choice(INDUSTRIES)
            ja, zh = w.sentences(2)
            w.block(f"> **{ind[0]}とは、** {ja}", f"> **{ind[1]}是指**{zh}")
            items = [w.fill(("- {city}: {ind}の{topic}", "- {city}：{ind}的{topic}")) for _ in range(rng.randint(3, 5))]
            w.block("\n".join(i[0] for i in items), "\n".join(i[1] for i in items))
        elif kind == 2:
            rows = [w.slots() for _ in range(rng.randint(4, 6))]
            ja_rows = ["| 都市 | 産業 | 生産額(億元) | 伸び率 |", "| --- | --- | ---: | ---: |"]
            zh_rows = ["| 城市 | 产业 | 产值（亿元） | 增长率 |", "| --- | --- | ---: | ---: |"]
            for r in rows:
                ja_rows.append(f"| {r['city'][0]} | {r['ind'][0]} | {r['num'][0]} | {r['pct'][0]}% |")
                zh_rows.append(f"| {r['city'][1]} | {r['ind'][1]} | {r['num'][1]} | {r['pct'][1]}% |")
            w.block("\n".join(ja_rows), "\n".join(zh_rows))
            ja, zh = w.sentences(2)
            w.block(f"{ja}[^{footnote}]", f"{zh}[^{footnote}]")
            src = w.slots()
            footnotes.append(w.fill(("[^{n}]: 参照: {city}市「{ind}発展計画」({year}年)",
                                     "[^{n}]: 参照：{city}市《{ind}发展规划》（{year}年）"),
                                    {**src, "n": (str(footnote), str(footnote))}))
            footnote += 1
        else:
            for k in range(rng.randint(2, 3)):
                slots = w.slots()
                title = w.fill(("### 【特徴{m}】{city}の{ind}", "### 【特点{m}】{city}的{ind}"),
                               {**slots, "m": (FILLED[k], FILLED[k])})
                w.block(*title)
                w.block(*w.fill(rng.choice(TAGLINES), slots))
                w.points(2)
                if rng.random() < 0.5:
                    w.flow()
        ja, zh = w.sentences(1)
        w.block(f"■ {ja}", f"■ {zh}")
    if footnotes:
        w.block("\n".join(f[0] for f in footnotes), "\n".join(f[1] for f in footnotes))

    city, ind = rng.choice(CITIES), rng.choice(INDUSTRIES)
    theme = rng.choice(THEMES)
    k = rng.randint(3, 6)
    tags = rng.sample(CITIES[:8] + INDUSTRIES + TAG_EXTRA, rng.randint(2, 4))
    ja_meta = {
        "title": f"{city[0]}の{ind[0]} {k}つの視点で読む{theme[0]}",
        "code": f"中国{chr(ord('A') + index // 100 % 26)}{index % 100:02d}" + (str(index // 2600) if index >= 2600 else ""),
        "summary": f"{city[0]}の{ind[0]}を、{theme[0]}の観点から{k}つに分けて整理し、日系企業が取るべき手順を示します。",
        "tags": [t[0] for t in tags],
    }
    zh_meta = {
        "title": f"从{k}个视角解读{city[1]}{ind[1]}的{theme[1]}",
        "summary": f"从{theme[1]}的角度，将{city[1]}的{ind[1]}分为{k}个方面加以梳理，并提出日资企业应采取的步骤。",
        "tags": [t[1] for t in tags],
    }
    related = rng.sample(slugs, min(len(slugs), rng.randint(0, 2))) if slugs else []
    ja_meta["related"] = related
    return ja_meta, zh_meta, "\n\n".join(w.ja) + "\n", "\n\n".join(w.zh) + "\n"


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _hero_png(path: Path, index: int) -> None:
    """A 1200×675 picture, different per article (so image caches see distinct files)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 675), (20 + index % 60, 60 + index % 90, 110))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (index * 37 + i * 97) % 1200
        draw.ellipse((x, 80 + i * 40, x + 160, 240 + i * 40), fill=(200, 120 + i * 8, 60 + index % 150))
    image.save(path, optimize=True)


def set_pdfs(site: Path, enabled: bool) -> None:
    """Turns `[pdf] enabled` on or off in the site's publisher.toml (the default build has PDFs on)."""
    path = site / "publisher.toml"
    config = path.read_text("utf-8")
    new = re.sub(r"(?ms)^(\[pdf\]\n(?:[^\[].*?\n)*?)enabled = (?:true|false)$",
                 rf"\1enabled = {'true' if enabled else 'false'}", config, count=1)
    if new == config and f"enabled = {'true' if enabled else 'false'}" not in config:
        raise SystemExit(f"make_corpus: no `enabled =` line under [pdf] in {path}")
    path.write_text(new, "utf-8")


def make_corpus(out: Path, articles: int, *, seed: int = 1, hero_share: float = 0.3,
                target_chars: int = 6000) -> Corpus:
    """Writes a site folder with `articles` bilingual articles into `out` (which must not exist or be empty)."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"make_corpus: {out} is not empty; pass a new folder (or delete it first)")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "publisher.toml", out / "publisher.toml")
    set_pdfs(out, False)
    for folder in ("templates", "assets", "data"):
        if (REPO_ROOT / folder).is_dir():
            shutil.copytree(REPO_ROOT / folder, out / folder)
    content = out / "articles"
    content.mkdir()
    rng = random.Random(seed)
    slugs: list[str] = []
    ja_chars = zh_chars = 0
    first_day = date(2019, 1, 7)
    for index in range(articles):
        slug = f"bench-{index:05d}"
        ja_meta, zh_meta, ja_body, zh_body = _article(rng, index, slugs, target_chars=target_chars)
        day = first_day + timedelta(days=index * 2 % 2500)
        folder = content / slug
        folder.mkdir()
        hero_lines = ""
        if rng.random() < hero_share:
            _hero_png(folder / "hero.png", index)
            hero_lines = "hero: hero.png\nhero_alt: 工場の並ぶ街を円と帯で表した抽象的な図\n"
        related = f"related: {_yaml_list(ja_meta['related'])}\n" if ja_meta["related"] else ""
        ai = "ai:\n  text: true\n" if index % 3 == 0 else ""
        (folder / "ja.md").write_text(
            "---\n"
            f"title: {ja_meta['title']}\n"
            f"code: {ja_meta['code']}\n"
            f"date: {day.isoformat()}\n"
            f"publish_at: {day.isoformat()}T09:00\n"
            "status: published\n"
            f"tags: {_yaml_list(ja_meta['tags'])}\n"
            f"summary: {ja_meta['summary']}\n"
            f"{hero_lines}{related}{ai}"
            f"pseudonyms: {'true' if index % 4 == 0 else 'false'}\n"
            "---\n\n" + ja_body,
            encoding="utf-8",
        )
        hero_alt = "hero_alt: 用圆形和条带表示工厂林立的城市的抽象图\n" if hero_lines else ""
        (folder / "zh.md").write_text(
            "---\n"
            f"title: {zh_meta['title']}\n"
            f"summary: {zh_meta['summary']}\n"
            f"{hero_alt}"
            f"tags: {_yaml_list(zh_meta['tags'])}\n"
            "status: published\n"
            "---\n\n" + zh_body,
            encoding="utf-8",
        )
        slugs.append(slug)
        ja_chars += len(ja_body)
        zh_chars += len(zh_body)
    return Corpus(root=out, slugs=tuple(slugs), source_chars=ja_chars, translation_chars=zh_chars)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many bilingual articles (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="new folder to write the site into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same corpus)")
    parser.add_argument("--hero-share", type=float, default=0.3,
                        help="share of articles with a PNG hero image (default 0.3)")
    parser.add_argument("--chars", type=int, default=6000,
                        help="approximate characters of Japanese per article (default 6000)")
    args = parser.parse_args(argv)
    corpus = make_corpus(args.out, args.articles, seed=args.seed, hero_share=args.hero_share,
                         target_chars=args.chars)
    n = len(corpus.slugs)
    print(f"wrote {n} articles into {corpus.root}/articles "
          f"(average {corpus.source_chars // max(n, 1):,} characters ja, "
          f"{corpus.translation_chars // max(n, 1):,} zh)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
