"""Every word the preview pages show, in one place.

The preview is for the Japanese marketing staff, so its labels are Japanese
whatever the site's languages are; article titles and bodies are shown in
their own languages. `publish check` does not ask sites for these: they are
the tool's words, not the site's.
"""

from __future__ import annotations

LANGUAGE = "ja"
"""The language of these strings. Times on the preview pages are written in it (`日本時間`, `publisher.display_time`)
and in the zone its readers read times in (see `dashboard.release_text`)."""

STRINGS: dict[str, str] = {
    "skip_to_content": "本文へ移動",
    "preview_nav_label": "プレビューの移動",
    # the dashboard
    "dashboard_title": "プレビュー: 記事一覧",
    "dashboard_intro": "下書き・公開予定を含むすべての記事です。このプレビューは検索エンジンに登録されません。",
    "dashboard_empty": "記事はまだありません。",
    "dashboard_caption": "記事の一覧(状態、公開日時、翻訳、事実確認、リンク)",
    "dashboard_no_match": "この状態の記事はありません。",
    "filter_label": "状態で絞り込む",
    "filter_all": "すべて",
    "sort_label": "並べ替え",
    "sort_default": "おすすめ順",
    "sort_ascending": "昇順",
    "sort_descending": "降順",
    "sort_hint": "おすすめ順は 公開予定(近い順)→確認待ち・下書き→公開中(新しい順)。列の見出しを押しても並べ替えられます。",
    "count_articles": "{n}件",
    "column_code": "コード",
    "column_title": "タイトル",
    "column_status": "状態",
    "column_release": "公開日時",
    "column_translation": "翻訳({language})",
    "column_factcheck": "事実確認",
    "column_links": "リンク",
    "release_zone": "{zone}",
    "no_code": "(なし)",
    "no_title": "(未作成)",
    "page_link": "{language}ページ",
    "pdf_link": "{language}PDF",
    "side_by_side_link": "対訳({language})",
    "phone_link": "スマホ表示",
    "not_in_build": "このビルドには含まれません",
    # statuses
    "status_live": "公開中",
    "status_scheduled": "公開予定",
    "status_review": "確認待ち",
    "status_draft": "下書き",
    # relative times (filled in by preview.js in the reader's browser)
    "relative_future": "あと{time}",
    "relative_past": "{time}前",
    "relative_overdue": "予定日を{time}過ぎています",
    "relative_soon": "まもなく",
    "relative_just_now": "たった今",
    "unit_day": "{n}日",
    "unit_hour": "{n}時間",
    "unit_minute": "{n}分",
    # translation states
    "translation_ok": "最新",
    "translation_stale": "要更新 {n}",
    "translation_review": "要確認 {n}",
    "translation_edited": "手直し {n}",
    "translation_missing": "未翻訳",
    "translation_untracked": "未登録(ロックファイルなし)",
    "translation_error": "確認できません",
    # fact check
    "factcheck_none": "0",
    "factcheck_no_sources": "出典なし",
    "factcheck_count": "{n}件",
    "factcheck_error": "確認できません",
    "factcheck_line": "{line}行目: {figure}",
    # side-by-side
    "sbs_title": "対訳: {title}",
    "sbs_intro": "原文({source})と訳文({target})をブロックごとに並べています。",
    "sbs_legend": "凡例",
    "sbs_fields": "タイトルと概要",
    "sbs_opening": "冒頭",
    "sbs_back": "記事一覧へ戻る",
    "sbs_line": "{file} {line}行目",
    "sbs_untracked_note": "この訳文にはロックファイルがないため、ブロックの構造から対応を推定しています。"
                          "`publish translate --adopt` で登録すると、更新の要否がわかります。",
    "sbs_missing_note": "訳文({file})はまだありません。`publish translate` で作成できます。",
    "sbs_error_note": "翻訳の状態を確認できませんでした: {error}",
    "field_title": "タイトル",
    "field_summary": "概要",
    "field_hero_alt": "画像の代替テキスト",
    "field_tags": "タグ",
    "state_ok": "最新",
    "state_stale": "要更新",
    "state_review": "要確認",
    "state_edited": "手直しあり",
    "state_missing": "未翻訳",
    "state_added": "訳文のみ",
    "state_untracked": "未登録",
    "state_ok_help": "原文と訳文が対応しています。",
    "state_stale_help": "原文が新しく書かれた、または変わりました。翻訳し直しが必要です。",
    "state_review_help": "人が書いた訳文の原文が変わりました。内容を確認してください。",
    "state_edited_help": "訳文が人の手で直されています(そのまま残ります)。",
    "state_missing_help": "訳文がまだありません。",
    "state_added_help": "訳文にだけあるブロックです(人が追加)。",
    "state_untracked_help": "ロックファイルがないため、対応は推定です。",
    "language_source": "原文",
    "language_target": "訳文",
    # phone view
    "phone_title": "スマホ表示: {title}",
    "phone_size_label": "画面サイズ",
    "phone_size_regular": "標準 390×844",
    "phone_size_small": "小型 360×740",
    "phone_language_label": "言語",
    "phone_frame_label": "スマートフォン({width}×{height})での表示",
    "phone_desktop_label": "パソコン(1280×800)での表示(縮小)",
    "phone_open_page": "ページを開く",
    "phone_no_page": "このビルドに含まれるページがありません。",
}

def t(key: str, **values: object) -> str:
    """The label `key`, with `{placeholders}` filled in."""
    text = STRINGS[key]
    return text.format(**values) if values else text
