"""The interface's words in Chinese (default), English and Japanese."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "狗屁不通文章生成器", "nav_generator": "生成器", "nav_play": "写风格", "topic": "主题",
        "topic_hint": "一行一个主题，每个主题一篇", "length": "字数", "style": "风格", "generate": "生成",
        "new_seed": "换一篇", "copy": "复制全文", "copy_link": "复制链接", "download": "下载 .txt", "count": "共 {n} 字",
        "copied": "已复制", "show_source": "逐句查看出处", "reroll": "换一句", "from": "出处", "seed": "种子",
        "empty": "输入一个主题，然后点“生成”。", "error": "出错了", "play_title": "写风格 · 游乐场",
        "start_from": "从这里开始", "blank": "空白", "diagnostics": "检查结果", "preview": "预览",
        "no_problems": "没有问题", "share_style": "分享链接", "download_rules": "下载规则", "variety": "光标所在规则",
        "distinct": "不同展开", "expected": "平均长度", "rule": "规则", "add_file": "新文件", "whole_style": "整个风格",
        "context_note": "虚线标签是 {style} 的其余文件：只读，与你编辑的文件一起检查、一起生成，所以跨文件的引用都能找到。",
        "footer": "gpbt · 一切都在本机生成，不连接任何其他网站",
    },
    "en": {
        "title": "Bullshit Essay Generator", "nav_generator": "Generator", "nav_play": "Playground", "topic": "Topic",
        "topic_hint": "one topic a line, one essay each", "length": "Length", "style": "Style", "generate": "Generate",
        "new_seed": "Another one", "copy": "Copy text", "copy_link": "Copy link", "download": "Download .txt",
        "count": "{n} characters", "copied": "Copied", "show_source": "Show where each sentence came from",
        "reroll": "Re-roll sentence", "from": "From", "seed": "Seed", "empty": "Type a topic, then press Generate.",
        "error": "Error", "play_title": "Playground: write a style", "start_from": "Start from", "blank": "blank",
        "diagnostics": "Diagnostics", "preview": "Preview", "no_problems": "No problems",
        "share_style": "Share link", "download_rules": "Download rules", "variety": "Rule under the cursor",
        "distinct": "distinct expansions", "expected": "expected length", "rule": "rule", "add_file": "New file",
        "whole_style": "whole style", "context_note": "The dashed tabs are the rest of {style}: read-only, checked and run together with the "
        "file you edit, so references between the files resolve.",
        "footer": "gpbt · everything is generated here; no other site is contacted",
    },
    "ja": {
        "title": "デタラメ作文ジェネレーター", "nav_generator": "生成", "nav_play": "スタイルを書く", "topic": "テーマ",
        "topic_hint": "1行に1テーマ、テーマごとに1本", "length": "文字数", "style": "スタイル", "generate": "生成",
        "new_seed": "別の一本", "copy": "本文をコピー", "copy_link": "リンクをコピー", "download": ".txt で保存",
        "count": "{n} 文字", "copied": "コピーしました", "show_source": "文ごとに出どころを見る",
        "reroll": "この文を書き直す", "from": "出どころ", "seed": "シード", "empty": "テーマを入れて「生成」を押してください。",
        "error": "エラー", "play_title": "プレイグラウンド：スタイルを書く", "start_from": "ひな形", "blank": "白紙",
        "diagnostics": "チェック結果", "preview": "プレビュー", "no_problems": "問題なし",
        "share_style": "共有リンク", "download_rules": "ルールを保存", "variety": "カーソル位置のルール",
        "distinct": "異なる展開", "expected": "平均の長さ", "rule": "ルール", "add_file": "新しいファイル",
        "whole_style": "スタイル全体", "context_note": "点線のタブは {style} の残りのファイル：読み取り専用で、編集中のファイルと"
        "一緒にチェック・生成されるので、ファイルをまたぐ参照も解決します。",
        "footer": "gpbt · すべてこのサーバーで生成。他のサイトには接続しません",
    },
}


def pick_language(style_language: str | None, accept_language: str | None) -> str:
    """The style's language when it is one we speak, else the browser's first one we speak, else Chinese."""
    for candidate in [style_language or ""] + _accepted(accept_language or ""):
        code = candidate.split("-")[0].strip().lower()
        if code in LABELS:
            return code
    return "zh"


def _accepted(header: str) -> list[str]:
    weighted = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted) if tag]
