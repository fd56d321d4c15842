"""PDFs for the source tests, made here with WeasyPrint and the Noto CJK fonts, so the extracted text has
what real reports have: running headers, page numbers, paragraphs cut at the margin and across pages, a table."""

from __future__ import annotations

from pathlib import Path

PARAGRAPH = ("中部地方の部品メーカーは、取引先の海外移転に合わせて生産体制を見直してきた。"
             "地元の工業高校と組んだ技能研修は十年以上続き、若手の定着にも効果があったという。")

REPORT_HTML = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A5; margin: 22mm 16mm;
  @top-center {{ content: "中部産業調査 2025年版"; font-size: 8pt }}
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8pt }} }}
body {{ font-family: "Noto Serif CJK JP"; font-size: 10pt; line-height: 1.6 }}
h1, h2 {{ font-family: "Noto Sans CJK JP" }}
td, th {{ border: 1px solid #333; padding: 2pt 4pt }}
</style></head><body>
<h1>第3章 部品産業の集積</h1>
<p>浜名湖周辺の輸送用機器メーカーは2019年に約1,240社を数え、出荷額は合計で3.2兆円に達した。{para}</p>
<p>Suppliers in the region rely on long-standing cooperation with local universities, which rarely shows up in annual statistics but keeps engineers in the area.</p>
<h2>3-1. 主要都市の比較</h2>
<table><tr><th>都市</th><th>事業所数</th><th>出荷額</th></tr>
<tr><td>豊橋市</td><td>612</td><td>9,870億円</td></tr>
<tr><td>磐田市</td><td>388</td><td>1兆1,500億円</td></tr></table>
{more}
<p>最後の段落では、2030年までに研修の受講者を年間450人に増やす計画が示されている。</p>
</body></html>"""


def make_report_pdf(path: Path) -> Path:
    """A three-page A5 report: running header `中部産業調査 2025年版`, page numbers `n / 3`."""
    import weasyprint

    more = "".join(f"<p>事例{i + 1}：{PARAGRAPH * 2}</p>" for i in range(9))
    weasyprint.HTML(string=REPORT_HTML.format(para=PARAGRAPH, more=more)).write_pdf(path)
    return path
