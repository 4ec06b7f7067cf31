//! The handover report (納品前セルフチェック報告書): one self-contained, printable HTML page a
//! vendor hands to the agency's inspector as evidence of its self-inspection (細則 第83条).
//! Japanese by default, English with `--lang en`.
//!
//! Self-contained means inline CSS only: no script, no external font, image or style sheet, so
//! the file opens the same offline, in an archive, and in print. The chart is inline SVG.
//!
//! Sections: 1 summary (metadata, totals, chart), 2 the files scanned with their SHA-256, 3 every
//! in-scope paragraph with its status and results, 4 the findings by article with source
//! excerpts, 5 the exception register, 6 what could not be evaluated, 7 input errors, 8 the
//! confirmation block.

use super::{
    article_key, citation, counts, escape_xml as esc, exception_state_label, loc, severity_index,
    severity_label, sha256, status_label, ReportContext, SEVERITIES,
};
use crate::{Classification, Finding, FindingStatus, Outcome};
use kijun_model::{Lang, Origin};
use kijun_rules::coverage;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #444; }
  @top-right { content: var(--running, ""); font-size: 8pt; color: #444; } }
:root { --ink: #1b1b1b; --muted: #505050; --rule: #8c96a0; --head: #e6eaef; --band: #f4f6f8;
  --accent: #1f3a5f; }
* { box-sizing: border-box; }
html { font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP",
  "Yu Gothic", YuGothic, Meiryo, sans-serif; font-size: 10pt; line-height: 1.55; color: var(--ink);
  background: #d9dcdf; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
.sheet { width: 210mm; margin: 8mm auto; padding: 14mm 14mm 16mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0,0,0,.25); }
header.doc { border-bottom: 3px double var(--accent); padding-bottom: 4mm; margin-bottom: 6mm; }
.docline { display: flex; justify-content: space-between; font-size: 8.5pt; color: var(--muted); }
h1 { font-size: 19pt; font-weight: 700; text-align: center; letter-spacing: .04em; margin: 8mm 0 1mm; }
html[lang=ja] h1 { letter-spacing: .25em; }
html[lang=en] th { overflow-wrap: normal; }
.subtitle { text-align: center; margin: 0 0 2mm; color: var(--muted); }
h2 { font-size: 12.5pt; margin: 9mm 0 3mm; padding: 1.5mm 3mm; background: var(--band);
  border-left: 5px solid var(--accent); break-after: avoid; }
h3 { font-size: 11pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid var(--rule);
  break-after: avoid; }
h4 { font-size: 10pt; margin: 0 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 3mm; font-size: 8.8pt; }
th, td { border: 1px solid var(--rule); padding: 1.2mm 1.8mm; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; word-break: normal; }
thead th { background: var(--head); font-weight: 700; }
tbody th { background: var(--band); font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.c, th.c { text-align: center; }
.nw { white-space: nowrap; }
table.articles td:first-child, table.articles th:first-child { white-space: nowrap; }
code, pre, .mono { font-family: "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP",
  "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 8.3pt; }
.hash { font-size: 7.4pt; letter-spacing: -.01em; }
td code { background: #f1f3f5; padding: 0 .4mm; border-radius: .5mm; }
small, .small { font-size: 8pt; color: var(--muted); }
table.meta th { width: 28%; }
table.totals th { font-size: 8pt; vertical-align: middle; word-break: keep-all; overflow-wrap: normal; }
.verdict { font-weight: 700; }
.verdict.fail { color: #8b1a1a; }
.verdict.pass { color: #1d5b2a; }
.verdict.warn { color: #7a4b00; }
.tag { display: inline-block; padding: 0 1.5mm; border: 1px solid currentColor; border-radius: 1mm;
  font-size: 8pt; font-weight: 700; white-space: nowrap; }
.s-fail { color: #8b1a1a; } .s-pass { color: #1d5b2a; } .s-warn { color: #7a4b00; } .s-man { color: #3c4a5a; }
.finding { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: 2mm 3mm;
  margin: 0 0 4mm; break-inside: avoid; }
.finding.sev-high { border-left-color: #8b1a1a; } .finding.sev-medium { border-left-color: #b5562a; }
.finding.sev-low { border-left-color: #c99a2e; } .finding.sev-info { border-left-color: #7d8fa3; }
.finding.done { border-left-color: #9aa0a6; }
.finding p.cause { margin: 0 0 1.5mm; }
.finding table.members th { width: auto; }
.finding table { margin: 1mm 0 2mm; }
.finding table th { width: 17%; }
pre.src { margin: 0; padding: 1.5mm 0; border: 1px solid var(--rule); background: #fafafa;
  white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.45; }
pre.src span.l { display: block; padding: 0 2mm 0 0; }
pre.src span.l.hit { background: #fbecec; }
pre.src span.no { display: inline-block; width: 10mm; padding-right: 2mm; margin-right: 2mm; text-align: right;
  color: #777; border-right: 1px solid #ccc; user-select: none; }
pre.src mark { background: #f3c5c5; color: inherit; text-decoration: underline; }
figure.chart { margin: 2mm 0 3mm; }
figure.chart figcaption { font-size: 8.5pt; color: var(--muted); }
.legend span { margin-right: 4mm; white-space: nowrap; }
.legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: -0.3mm; }
.box { border: 1px solid var(--rule); padding: 2mm 3mm; background: var(--band); }
table.sign td { height: 14mm; }
table.sign th { width: 26%; }
.checks span { margin-right: 8mm; }
footer.doc { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid var(--rule); font-size: 8pt;
  color: var(--muted); display: flex; justify-content: space-between; }
@media screen and (max-width: 820px) {
  /* A phone or narrow window: the A4 sheet fits the screen and wide tables scroll sideways. */
  .sheet { width: auto; margin: 0; padding: 5mm 4mm 8mm; box-shadow: none; }
  html[lang=ja] h1 { letter-spacing: .08em; }
  section { overflow-x: auto; }
  section table { min-width: 150mm; }
  section table.meta, .finding table { min-width: 0; }
}
@media print {
  html { background: #fff; }
  .sheet { width: auto; margin: 0; padding: 0; box-shadow: none; }
  section.major { break-before: page; }
  h2 { margin-top: 0; }
  section.minor h2 { margin-top: 8mm; }
  section.sign { break-inside: avoid; }
}
"#;

/// Escaped text with Markdown code spans (`x`) as `<code>`, as messages and remediations write
/// attribute names.
fn rich(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() < 3 {
        return esc(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    for (i, p) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&esc(p));
        } else if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&esc(p));
            out.push_str("</code>");
        } else {
            out.push_str(&esc(p));
        }
    }
    out
}

/// Per-paragraph results for the coverage table and the chart.
#[derive(Default, Clone)]
struct Tally {
    failed: [usize; 4],
    excepted: usize,
    not_evaluated: usize,
    failed_rules: BTreeSet<String>,
    unevaluated_rules: BTreeSet<String>,
    /// The paragraph's rules that this scan did not run (skipped, filtered, below threshold).
    not_run: usize,
    /// All of the paragraph's rules were not run.
    none_run: bool,
    /// Some files could not be read: what they hold was not checked, so nothing is known to
    /// pass.
    unread: bool,
}

impl Tally {
    fn failed_total(&self) -> usize {
        self.failed.iter().sum()
    }
}

/// Does a cited article (`133-1-1`) fall under a coverage row (`133-1`)?
fn under(article: &str, row: &str) -> bool {
    article == row
        || article
            .strip_prefix(row)
            .is_some_and(|rest| rest.starts_with('-'))
}

fn short_citation(a: &str, lang: Lang) -> String {
    let c = citation(a, lang);
    c.strip_prefix("細則 ")
        .or_else(|| c.strip_prefix("Rulebook "))
        .unwrap_or(&c)
        .to_string()
}

fn class_text(c: &Classification, lang: Lang) -> String {
    let source = match (lang, c.source.as_str()) {
        (Lang::Ja, "tag") => "リソースのタグ・ラベルによる指定",
        (Lang::Ja, "config") => "設定による指定",
        (Lang::Ja, _) => "既定値",
        (Lang::En, "tag") => "from the resource's tags or labels",
        (Lang::En, "config") => "from the configuration",
        (Lang::En, _) => "built-in default",
    };
    match lang {
        Lang::Ja => format!(
            "機密性{}・完全性{}・可用性{}（{source}）",
            c.confidentiality, c.integrity, c.availability
        ),
        Lang::En => format!(
            "confidentiality {}, integrity {}, availability {} ({source})",
            c.confidentiality, c.integrity, c.availability
        ),
    }
}

/// A few lines around `at` with line numbers; the offending range marked.
fn snippet(o: &Outcome, at: Origin) -> String {
    let Some(src) = o.sources.get(at.file) else {
        return String::new();
    };
    let (l, c, el, ec) = o.sources.position(at);
    let total = {
        let n = src.text.split('\n').count() as u32;
        if src.text.ends_with('\n') {
            n.saturating_sub(1)
        } else {
            n
        }
    };
    if total == 0 {
        return String::new();
    }
    let from = l.saturating_sub(2).max(1);
    // why: a long block (a whole resource) is cut to the first lines after the finding's start;
    // the location line above gives the full range.
    let to = el.saturating_add(2).min(total).min(l.saturating_add(8));
    let mut out = String::from("<pre class=\"src\">");
    for n in from..=to {
        let text = src.line_text(n);
        let hit = n >= l && n <= el;
        let body = if n == l && l == el && ec > c {
            let chars: Vec<char> = text.chars().collect();
            let a = (c as usize).saturating_sub(1).min(chars.len());
            let b = (ec as usize).saturating_sub(1).clamp(a, chars.len());
            let part = |r: std::ops::Range<usize>| -> String {
                chars.get(r).map(|s| s.iter().collect()).unwrap_or_default()
            };
            format!(
                "{}<mark>{}</mark>{}",
                esc(&part(0..a)),
                esc(&part(a..b)),
                esc(&part(b..chars.len()))
            )
        } else {
            esc(text)
        };
        let _ = write!(
            out,
            "<span class=\"l{}\"><span class=\"no\">{n}</span>{body}</span>",
            if hit { " hit" } else { "" }
        );
    }
    out.push_str("</pre>");
    out
}

/// "1", "2", "5", "10", "20", "50"…: a tick step giving at most six ticks.
fn tick_step(max: usize) -> usize {
    let mut step = 1usize;
    loop {
        for m in [1usize, 2, 5] {
            let s = step.saturating_mul(m);
            if max / s.max(1) <= 5 {
                return s.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

const SEV_COLOURS: [&str; 4] = ["#8b1a1a", "#b5562a", "#c99a2e", "#7d8fa3"];
const EXCEPTED_COLOUR: &str = "#c3c7cc";

/// Horizontal stacked bars: failed findings by severity and excepted ones, per paragraph.
fn chart(rows: &[(String, Tally)], lang: Lang) -> String {
    let rows: Vec<&(String, Tally)> = rows
        .iter()
        .filter(|(_, t)| t.failed_total() + t.excepted > 0)
        .collect();
    if rows.is_empty() {
        return format!(
            "<p>{}</p>",
            super::tr(
                lang,
                "違反・例外適用の検出はありません。",
                "No failed or excepted findings."
            )
        );
    }
    let max = rows
        .iter()
        .map(|(_, t)| t.failed_total() + t.excepted)
        .max()
        .unwrap_or(1)
        .max(1);
    let step = tick_step(max);
    let top = max.div_ceil(step) * step;
    let (label_w, bar_w, row_h, pad_top) = (150.0f64, 470.0f64, 22.0f64, 8.0f64);
    let height = pad_top + row_h * rows.len() as f64 + 26.0;
    let width = label_w + bar_w + 40.0;
    let scale = bar_w / top as f64;
    let mut s = String::new();
    let title = super::tr(
        lang,
        "条項別の違反・例外適用件数",
        "Failed and excepted findings by article",
    );
    let _ = write!(
        s,
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" style=\"max-width:{width:.0}px\" font-size=\"11\">"
    );
    let axis_y = pad_top + row_h * rows.len() as f64;
    let mut t = 0;
    while t <= top {
        let x = label_w + t as f64 * scale;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{pad_top:.1}\" x2=\"{x:.1}\" y2=\"{axis_y:.1}\" stroke=\"#d5d9de\" stroke-width=\"1\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#505050\">{t}</text>",
            axis_y + 15.0
        );
        t += step;
    }
    for (i, (article, tally)) in rows.iter().enumerate() {
        let y = pad_top + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#1b1b1b\">{}</text>",
            label_w - 8.0,
            y + row_h / 2.0 + 4.0,
            esc(&short_citation(article, lang))
        );
        let mut x = label_w;
        let segments = super::SEVERITIES
            .iter()
            .map(|sev| {
                (
                    tally.failed.get(severity_index(*sev)).copied().unwrap_or(0),
                    SEV_COLOURS
                        .get(3 - severity_index(*sev))
                        .copied()
                        .unwrap_or("#777"),
                )
            })
            .chain(std::iter::once((tally.excepted, EXCEPTED_COLOUR)));
        for (n, colour) in segments {
            if n == 0 {
                continue;
            }
            let w = n as f64 * scale;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
                y + 4.0,
                row_h - 8.0
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1b1b1b\">{}</text>",
            x + 5.0,
            y + row_h / 2.0 + 4.0,
            tally.failed_total() + tally.excepted
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{label_w:.1}\" y1=\"{pad_top:.1}\" x2=\"{label_w:.1}\" y2=\"{axis_y:.1}\" stroke=\"#505050\" stroke-width=\"1\"/></svg>"
    );
    s.push_str("<figcaption class=\"legend\">");
    for sev in SEVERITIES {
        let colour = SEV_COLOURS
            .get(3 - severity_index(sev))
            .copied()
            .unwrap_or("#777");
        let _ = write!(
            s,
            "<span><i style=\"background:{colour}\"></i>{} {}</span>",
            super::tr(lang, "違反・重要度", "failed,"),
            severity_label(sev, lang)
        );
    }
    let _ = write!(
        s,
        "<span><i style=\"background:{EXCEPTED_COLOUR}\"></i>{}</span></figcaption></figure>",
        super::tr(lang, "例外適用・ベースライン", "excepted or baselined")
    );
    s
}

/// Rule ids compacted for a table cell: `KJ-C5-001, KJ-C5-002, KJ-C5-003, KJ-C5-101` →
/// `KJ-C5-001〜003, 101`.
fn compact_ids(ids: &[String]) -> String {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for id in ids {
        let (prefix, num) = match id.rfind('-') {
            Some(i) => (id.get(..=i).unwrap_or(""), id.get(i + 1..).unwrap_or("")),
            None => ("", id.as_str()),
        };
        groups.entry(prefix).or_default().push(num);
    }
    let mut parts = Vec::new();
    for (prefix, mut nums) in groups {
        nums.sort_unstable();
        nums.dedup();
        let mut runs: Vec<String> = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let start = nums.get(i).copied().unwrap_or("");
            let mut j = i;
            while let (Some(a), Some(b)) = (nums.get(j), nums.get(j + 1)) {
                match (a.parse::<u32>(), b.parse::<u32>()) {
                    (Ok(x), Ok(y)) if y == x + 1 && a.len() == b.len() => j += 1,
                    _ => break,
                }
            }
            let end = nums.get(j).copied().unwrap_or("");
            runs.push(match j - i {
                0 => start.to_string(),
                1 => format!("{start}, {end}"),
                _ => format!("{start}〜{end}"),
            });
            i = j + 1;
        }
        parts.push(format!("{prefix}{}", runs.join(", ")));
    }
    parts.join("; ")
}

/// A compacted rule list for a narrow column: it may wrap between ids or runs (after ", " or
/// "; ") but never inside one, so that no id is cut in two (`KJ-E2-` / `001〜004`).
fn unbroken_ids(compact: &str) -> String {
    compact
        .split("; ")
        .map(|group| {
            group
                .split(", ")
                .map(|run| format!("<span class=\"nw\">{}</span>", esc(run)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn status_of_row(status: &str, t: &Tally, lang: Lang) -> (&'static str, &'static str) {
    let tr = |ja, en| super::tr(lang, ja, en);
    match status {
        "manual" => ("s-man", tr("要手動確認", "manual evidence")),
        _ if t.failed_total() > 0 => ("s-fail", tr("不適合", "failed")),
        _ if t.none_run => ("s-warn", tr("未実施", "not run")),
        _ if t.not_evaluated > 0 => ("s-warn", tr("要確認（未評価）", "review (not evaluated)")),
        _ if t.not_run > 0 => ("s-warn", tr("一部未実施", "partly not run")),
        // why: a file that was not read was not checked; the paragraph cannot be said to pass.
        _ if t.unread => (
            "s-warn",
            tr(
                "要確認（読み込めないファイルあり）",
                "review (files not read)",
            ),
        ),
        "partial" => ("s-pass", tr("適合（一部）", "passed (in part)")),
        _ => ("s-pass", tr("適合", "passed")),
    }
}

fn coverage_label(status: &str, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Ja, "checked") => "検査",
        (Lang::Ja, "partial") => "一部検査",
        (Lang::Ja, _) => "手動",
        (Lang::En, "checked") => "checked",
        (Lang::En, "partial") => "partial",
        (Lang::En, _) => "manual",
    }
}

fn finding_block(o: &Outcome, f: &Finding, number: &str) -> String {
    let lang = o.lang;
    let tr = |ja, en| super::tr(lang, ja, en);
    let cat = kijun_rules::catalogue();
    let l = loc(o, f.at);
    let done = f.status != FindingStatus::Failed;
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"finding {}\" id=\"f-{number}\"><h4>{number}　{}　{}</h4><table><tbody>",
        if done {
            "done".to_string()
        } else {
            format!("sev-{}", f.severity.as_str())
        },
        esc(&f.rule_id),
        esc(cat
            .get(&f.rule_id)
            .map(|r| r.title.get(lang))
            .unwrap_or(&f.title))
    );
    let status_class = if done { "s-man" } else { "s-fail" };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><span class=\"tag {status_class}\">{}</span>　{}: {}</td></tr>",
        tr("状態・重要度", "Status, severity"),
        esc(status_label(f, lang)),
        tr("重要度", "severity"),
        severity_label(f.severity, lang)
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td><code>{}</code> <small>({})</small></td></tr>",
        tr("リソース", "Resource"),
        esc(&f.resource),
        esc(&f.kind)
    );
    let range = if l.json_path.is_some() {
        l.place(true)
    } else if l.end_line > l.line {
        format!(
            "{}:{}:{}–{}:{}",
            l.path, l.line, l.column, l.end_line, l.end_column
        )
    } else {
        format!("{}:{}:{}", l.path, l.line, l.column)
    };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><code>{}</code></td></tr>",
        tr("場所", "Location"),
        esc(&range)
    );
    let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("根拠", "Basis"),
        esc(&cites.join(tr("、", ", ")))
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("格付", "Classification"),
        esc(&class_text(&f.classification, lang))
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("内容", "Finding"),
        rich(&f.message)
    );
    for r in &f.related {
        let rl = loc(o, r.from.at);
        let _ = write!(
            s,
            "<tr><th>{}</th><td><code>{}</code> {}</td></tr>",
            tr("値の定義元", "Value set at"),
            esc(&format!("{}:{}:{}", rl.path, rl.line, rl.column)),
            rich(&crate::related_text(r, lang))
        );
    }
    if let Some(line) = super::roots_line(f, lang) {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("ルート", "Roots"),
            rich(&line)
        );
    }
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("対処", "Remediation"),
        rich(&f.remediation)
    );
    if let Some(e) = &f.exception {
        let text = match lang {
            Lang::Ja => format!(
                "{}（{}）申請者 {}、許可者 {}、許可日 {}、有効期限 {} — {}",
                e.id,
                exception_state_label(e.state, lang),
                e.requested_by,
                e.approved_by,
                e.approved_on,
                e.expires_on,
                e.reason
            ),
            Lang::En => format!(
                "{} ({}): requested by {}, approved by {} on {}, expires {} — {}",
                e.id,
                exception_state_label(e.state, lang),
                e.requested_by,
                e.approved_by,
                e.approved_on,
                e.expires_on,
                e.reason
            ),
        };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("例外措置", "Exception"),
            esc(&text)
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&snippet(o, f.at));
    s.push_str("</div>");
    s
}

/// Findings sharing one root cause: a heading naming the place to change and how many
/// resources it affects, the resources in a table, the remediation, and the excerpt of the
/// place itself.
fn group_block(o: &Outcome, g: &super::CauseGroup<'_>, number: &str) -> String {
    let lang = o.lang;
    let tr = |ja, en| super::tr(lang, ja, en);
    let cat = kijun_rules::catalogue();
    let Some(first) = g.members.first() else {
        return String::new();
    };
    let done = first.status != FindingStatus::Failed;
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"finding cause {}\" id=\"f-{number}\"><h4>{number}　{}　{}</h4><p class=\"cause\"><b>{}</b></p><table><tbody>",
        if done {
            "done".to_string()
        } else {
            format!("sev-{}", g.severity().as_str())
        },
        esc(&first.rule_id),
        esc(cat
            .get(&first.rule_id)
            .map(|r| r.title.get(lang))
            .unwrap_or(&first.title)),
        rich(&super::cause_heading(o, g, lang))
    );
    let status_class = if done { "s-man" } else { "s-fail" };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><span class=\"tag {status_class}\">{}</span>　{}: {}</td></tr>",
        tr("状態・重要度", "Status, severity"),
        esc(status_label(first, lang)),
        tr("重要度", "severity"),
        severity_label(g.severity(), lang)
    );
    let cites: Vec<String> = first.articles.iter().map(|a| citation(a, lang)).collect();
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("根拠", "Basis"),
        esc(&cites.join(tr("、", ", ")))
    );
    // What the members share is said once; the table then lists only resources and places.
    let shared = g.shared_detail();
    if let Some(d) = shared {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("内容", "Finding"),
            rich(d)
        );
    }
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("対処", "Remediation"),
        rich(&first.remediation)
    );
    s.push_str("</tbody></table>");
    // A third column only when members differ in what they say or in their roots.
    let third = shared.is_none()
        || g.members
            .iter()
            .any(|f| super::roots_line(f, lang).is_some());
    let _ = write!(
        s,
        "<table class=\"members\"><thead><tr><th style=\"width:45%\">{}</th><th{}>{}</th>{}</tr></thead><tbody>",
        tr("リソース", "Resource"),
        if third { " style=\"width:30%\"" } else { "" },
        tr("場所", "Location"),
        match (third, shared) {
            (false, _) => String::new(),
            (true, Some(_)) => format!("<th>{}</th>", tr("ルート", "Roots")),
            (true, None) => format!("<th>{}</th>", tr("内容", "Finding")),
        }
    );
    for f in &g.members {
        let l = loc(o, f.at);
        let mut what = match shared {
            Some(_) => String::new(),
            None => rich(&f.detail),
        };
        if let Some(line) = super::roots_line(f, lang) {
            if !what.is_empty() {
                what.push_str("<br>");
            }
            let _ = write!(what, "<small>{}</small>", rich(&line));
        }
        if what.is_empty() {
            what.push('—');
        }
        let what = if third {
            format!("<td>{what}</td>")
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "<tr><td><code>{}</code> <small>({})</small></td><td><code>{}</code></td>{what}</tr>",
            esc(&f.resource),
            esc(&f.kind),
            esc(&format!("{}:{}:{}", l.path, l.line, l.column))
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&snippet(o, g.related.from.at));
    s.push_str("</div>");
    s
}

pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let lang = o.lang;
    let tr = |ja: &'static str, en: &'static str| super::tr(lang, ja, en);
    let cat = kijun_rules::catalogue();
    let c = counts(o);
    let rows = coverage::table();

    // Results per coverage row.
    let tallies: Vec<(String, Tally)> = rows
        .iter()
        .map(|row| {
            let mut t = Tally::default();
            for f in &o.findings {
                if !f.articles.iter().any(|a| under(a, &row.article)) {
                    continue;
                }
                match f.status {
                    FindingStatus::Failed => {
                        if let Some(n) = t.failed.get_mut(severity_index(f.severity)) {
                            *n += 1;
                        }
                        t.failed_rules.insert(f.rule_id.to_string());
                    }
                    _ => t.excepted += 1,
                }
            }
            for n in &o.not_evaluated {
                let cites = n
                    .rule_id
                    .as_deref()
                    .and_then(|r| cat.get(r))
                    .is_some_and(|r| r.articles.iter().any(|a| under(a, &row.article)));
                if cites {
                    t.not_evaluated += 1;
                    if let Some(r) = &n.rule_id {
                        t.unevaluated_rules.insert(r.clone());
                    }
                }
            }
            t.not_run = row
                .rules
                .iter()
                .filter(|r| o.run.not_run(r).is_some())
                .count();
            t.none_run = !row.rules.is_empty() && t.not_run == row.rules.len();
            t.unread = !o.errors.is_empty();
            (row.article.clone(), t)
        })
        .collect();

    let blocking = c.failed - c.preview;
    let mut verdict_parts: Vec<String> = Vec::new();
    if blocking > 0 {
        verdict_parts.push(match lang {
            Lang::Ja => format!("不適合（違反 {blocking} 件）"),
            Lang::En => format!("failed ({blocking} findings)"),
        });
    }
    if c.errors > 0 {
        verdict_parts.push(match lang {
            Lang::Ja => format!("検査未完了（読み込みエラー {} 件）", c.errors),
            Lang::En => format!("incomplete ({} input errors)", c.errors),
        });
    }
    if c.not_evaluated > 0 {
        verdict_parts.push(match lang {
            Lang::Ja => format!("未評価 {} 件（要確認）", c.not_evaluated),
            Lang::En => format!("{} not evaluated (review)", c.not_evaluated),
        });
    }
    // A rule that did not run proves nothing: the verdict says so, and cannot be a plain pass.
    let not_run = o.run.not_run.len();
    if not_run > 0 {
        verdict_parts.push(match lang {
            Lang::Ja => format!("未実施の規則 {not_run} 件"),
            Lang::En => format!("{not_run} rules not run"),
        });
    }
    let verdict = if blocking > 0 || c.errors > 0 {
        ("fail", verdict_parts.join(tr("、", "; ")))
    } else if c.not_evaluated > 0 || not_run > 0 {
        (
            "warn",
            format!(
                "{}{}",
                tr("違反なし・", "no failures; "),
                verdict_parts.join("")
            ),
        )
    } else {
        ("pass", tr("違反なし", "no failures").to_string())
    };

    let title = tr(
        "納品前セルフチェック報告書",
        "Pre-delivery Self-Check Report",
    );
    let mut h = String::with_capacity(64 * 1024);
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"kijun {}\">\n<title>{}{}</title>\n<style>{}</style>\n</head>\n<body>\n<div class=\"sheet\">",
        match lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        },
        env!("CARGO_PKG_VERSION"),
        esc(title),
        if ctx.repository.is_empty() {
            String::new()
        } else {
            format!(" — {}", esc(&ctx.repository))
        },
        CSS.replace(
            "var(--running, \"\")",
            &format!("\"{}\"", title.replace('"', ""))
        )
    );

    // Title block.
    let _ = writeln!(
        h,
        "<header class=\"doc\"><div class=\"docline\"><span>{}</span><span>{}: {}</span></div><h1>{}</h1><p class=\"subtitle\">{}</p></header>",
        tr("情報セキュリティ細則 自己検査", "Information security rulebook self-inspection"),
        tr("検査日", "Scan date"),
        esc(&ctx.scan_date),
        title,
        tr(
            "情報セキュリティ細則に基づく基盤構成コード（IaC）の自己検査結果",
            "Self-inspection of infrastructure-as-code against the information-security rulebook"
        )
    );

    // 1. Summary.
    let _ = write!(
        h,
        "<section id=\"summary\"><h2>1. {}</h2><table class=\"meta\"><tbody>",
        tr("検査の概要", "Summary")
    );
    let meta: Vec<(&str, String)> = vec![
        (tr("検査対象", "Subject"), esc(&ctx.repository)),
        (tr("検査日", "Scan date"), esc(&ctx.scan_date)),
        (
            tr("判定", "Verdict"),
            format!(
                "<span class=\"verdict {}\">{}</span>",
                verdict.0,
                esc(&verdict.1)
            ),
        ),
        (tr("準拠規程", "Rulebook"), esc(kijun_rules::RULEBOOK)),
        (
            tr("検査ツール", "Tool"),
            esc(&match lang {
                Lang::Ja => format!(
                    "kijun {}（規則カタログ {}、収録規則 {} 件）",
                    env!("CARGO_PKG_VERSION"),
                    kijun_rules::CATALOGUE_VERSION,
                    cat.rules.len()
                ),
                Lang::En => format!(
                    "kijun {} (rule catalogue {}, {} rules)",
                    env!("CARGO_PKG_VERSION"),
                    kijun_rules::CATALOGUE_VERSION,
                    cat.rules.len()
                ),
            }),
        ),
        (
            tr("情報の格付", "Classification"),
            esc(&class_text(&ctx.classification, lang)),
        ),
        (
            tr("実行コマンド", "Command"),
            format!("<code>{}</code>", esc(&ctx.invocation)),
        ),
    ];
    let meta: Vec<(&str, String)> = meta
        .into_iter()
        .chain(
            super::run_rows(&o.run, lang)
                .into_iter()
                .map(|(k, v)| (k, esc(&v))),
        )
        .collect();
    for (k, v) in meta {
        let _ = write!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</tbody></table>");

    let sev_heads: String = SEVERITIES
        .iter()
        .map(|s| format!("<th class=\"n\">{}</th>", severity_label(*s, lang)))
        .collect();
    let sev_cells: String = SEVERITIES
        .iter()
        .map(|s| {
            format!(
                "<td class=\"n\">{}</td>",
                c.by_severity.get(severity_index(*s)).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = write!(
        h,
        "<table class=\"totals\"><colgroup><col style=\"width:9%\"><col style=\"width:10%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:11%\"><col style=\"width:12%\"><col style=\"width:13%\"><col></colgroup><thead><tr><th rowspan=\"2\" class=\"n\">{}</th><th rowspan=\"2\" class=\"n\">{}</th><th colspan=\"4\" class=\"c\">{}</th><th rowspan=\"2\" class=\"n\">{}</th><th rowspan=\"2\" class=\"n\">{}</th><th rowspan=\"2\" class=\"n\">{}</th><th rowspan=\"2\" class=\"n\">{}</th></tr><tr>{sev_heads}</tr></thead><tbody><tr><td class=\"n\">{}</td><td class=\"n\">{}</td>{sev_cells}<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></tbody></table>",
        tr("ファイル", "Files"),
        tr("リソース", "Resources"),
        tr("違反（重要度別）", "Failed, by severity"),
        tr("例外適用", "Excepted"),
        tr("ベースライン", "Baselined"),
        tr("未評価", "Not evaluated"),
        tr("読込エラー", "Input errors"),
        o.files,
        o.resources,
        c.excepted,
        c.baselined,
        c.not_evaluated,
        c.errors
    );
    let n_status = |st: &str| rows.iter().filter(|r| r.status == st).count();
    let _ = match lang {
        Lang::Ja => write!(
            h,
            "<p>対象とする {} 項（第63条〜第73条、第110条〜第118条、第132条〜第134条）のうち、自動検査 {} 項、一部自動検査 {} 項、手動確認 {} 項です。手動確認の項目および一部自動検査の残りは、別途、文書等の証跡で確認してください。未評価の項目は合格とはみなしていません。</p>",
            rows.len(),
            n_status("checked"),
            n_status("partial"),
            n_status("manual")
        ),
        Lang::En => write!(
            h,
            "<p>Paragraphs in scope (Art. 63–73, 110–118 and 132–134): {}; checked automatically: {}; checked in part: {}; manual evidence: {}. Manual paragraphs and the rest of the partly checked ones must be confirmed from documents. Values that could not be evaluated are not counted as passed.</p>",
            rows.len(),
            n_status("checked"),
            n_status("partial"),
            n_status("manual")
        ),
    };
    h.push_str(&chart(&tallies, lang));
    if c.preview > 0 {
        let _ = match lang {
            Lang::Ja => write!(
                h,
                "<p class=\"small\">違反のうち {} 件は試行（preview）規則によるもので、判定には含めていません。</p>",
                c.preview
            ),
            Lang::En => write!(
                h,
                "<p class=\"small\">{} failed findings come from preview rules and do not count toward the verdict.</p>",
                c.preview
            ),
        };
    }
    h.push_str("</section>\n");

    // 2. Every paragraph.
    let _ = write!(
        h,
        "<section id=\"articles\" class=\"major\"><h2>2. {}</h2><p>{}</p><table class=\"articles\"><thead><tr><th style=\"width:4.5%\" class=\"n\">No.</th><th style=\"width:28%\">{}</th><th style=\"width:8%\" class=\"c\">{}</th><th style=\"width:13.5%\">{}</th><th style=\"width:8.5%\" class=\"n\">{}</th><th style=\"width:6.5%\" class=\"n nw\">{}</th><th style=\"width:11%\" class=\"c\">{}</th><th>{}</th></tr></thead><tbody>",
        tr("条項別の検査状況", "Results by article"),
        tr(
            "対象の全項について、検査区分（検査・一部検査・手動）、その項を検査する規則、適合した規則と違反件数、判定を示します。「適合」は自動検査の範囲で違反が見つからなかったことを意味します。",
            "Every paragraph in scope: how it is checked (checked, partial, manual), the rules behind it, how many of them passed, the failed findings, and the result. \"Passed\" means no failure was found within what is checked automatically."
        ),
        tr("条項・見出し・要旨", "Article, heading, summary"),
        tr("区分", "Check"),
        tr("規則", "Rules"),
        tr("適合規則", "Passed"),
        tr("違反", "Failed"),
        tr("判定", "Result"),
        tr("備考", "Note")
    );
    for (i, (row, (_, t))) in rows.iter().zip(tallies.iter()).enumerate() {
        let (class, result) = status_of_row(&row.status, t, lang);
        let passed = row
            .rules
            .iter()
            .filter(|r| {
                !t.failed_rules.contains(*r)
                    && !t.unevaluated_rules.contains(*r)
                    && o.run.not_run(r).is_none()
            })
            .count();
        let rules = if row.rules.is_empty() {
            "—".to_string()
        } else {
            format!("<small>{}</small>", unbroken_ids(&compact_ids(&row.rules)))
        };
        let passed_cell = if row.rules.is_empty() {
            "—".to_string()
        } else if t.not_run > 0 {
            format!(
                "{passed}/{}<br><small>{}{}</small>",
                row.rules.len(),
                tr("未実施", "not run "),
                t.not_run
            )
        } else {
            format!("{passed}/{}", row.rules.len())
        };
        let mut failed_cell = t.failed_total().to_string();
        if t.excepted > 0 {
            failed_cell.push_str(&format!(
                "<br><small>{}{}</small>",
                tr("例外", "exc. "),
                t.excepted
            ));
        }
        if t.not_evaluated > 0 {
            failed_cell.push_str(&format!(
                "<br><small>{}{}</small>",
                tr("未評価", "n/e "),
                t.not_evaluated
            ));
        }
        let summary = row.summary.get(lang);
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td><b>{}</b>　{}{}</td><td class=\"c nw\">{}</td><td>{rules}</td><td class=\"n nw\">{passed_cell}</td><td class=\"n\">{failed_cell}</td><td class=\"c nw\"><span class=\"{class}\"><b>{}</b></span></td><td><small>{}</small></td></tr>",
            i + 1,
            esc(&short_citation(&row.article, lang)),
            esc(row.heading.get(lang)),
            if summary.is_empty() {
                String::new()
            } else {
                format!("<br><small>{}</small>", esc(summary))
            },
            coverage_label(&row.status, lang),
            result,
            esc(row.note.get(lang))
        );
    }
    h.push_str("</tbody></table></section>\n");

    // 3. Findings by article.
    let _ = write!(
        h,
        "<section id=\"findings\" class=\"major\"><h2>3. {}</h2>",
        tr("検出事項（条項別）", "Findings by article")
    );
    if o.findings.is_empty() {
        let _ = write!(h, "<p>{}</p>", tr("検出事項はありません。", "No findings."));
    } else {
        let _ = write!(
            h,
            "<p>{}</p>",
            tr(
                "各検出事項は、規則が最初に引用する条ごとにまとめています。抜粋の網掛けは該当箇所です。",
                "Each finding is listed under the first article its rule cites. The shaded lines of the excerpt are where it points."
            )
        );
        let mut groups: BTreeMap<Vec<u32>, (String, Vec<&Finding>)> = BTreeMap::new();
        for f in &o.findings {
            let first = f.articles.first().map(String::as_str).unwrap_or("");
            let art = first.split('-').next().unwrap_or("").to_string();
            groups
                .entry(article_key(&art))
                .or_insert_with(|| (art, Vec::new()))
                .1
                .push(f);
        }
        for (gi, (art, list)) in groups.values().enumerate() {
            let heading = coverage::article(art)
                .map(|t| t.heading.get(lang).to_string())
                .unwrap_or_default();
            let name = short_citation(art, lang);
            let _ = write!(
                h,
                "<h3>4.{} {}{}（{} {}）</h3>",
                gi + 1,
                esc(&name),
                if heading.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(&heading))
                },
                list.len(),
                tr("件", "findings")
            );
            // Findings sharing a root cause stand together under it.
            for (fi, e) in super::by_cause(list).iter().enumerate() {
                let number = format!("4.{}.{}", gi + 1, fi + 1);
                match e {
                    super::Entry::One(f) => h.push_str(&finding_block(o, f, &number)),
                    super::Entry::Group(g) => h.push_str(&group_block(o, g, &number)),
                }
            }
        }
    }
    h.push_str("</section>\n");

    // 4. Exception register.
    let _ = write!(
        h,
        "<section id=\"exceptions\" class=\"major\"><h2>4. {}</h2>",
        tr("例外措置台帳（抜粋）", "Exception register (extract)")
    );
    match &o.ledger {
        None => {
            let _ = write!(
                h,
                "<p>{}</p>",
                tr(
                    "例外措置台帳は設定されていません（kijun.toml の [exceptions] ledger）。",
                    "No exception ledger is configured ([exceptions] ledger in kijun.toml)."
                )
            );
        }
        Some(entries) if entries.is_empty() => {
            let _ = write!(
                h,
                "<p>{}</p>",
                tr(
                    "例外措置台帳に登録はありません。",
                    "The exception ledger has no entries."
                )
            );
        }
        Some(entries) => {
            let _ = write!(
                h,
                "<p>{}</p><table><thead><tr><th style=\"width:12%\">ID</th><th style=\"width:10%\">{}</th><th style=\"width:18%\">{}</th><th style=\"width:21%\">{}</th><th style=\"width:15%\">{}</th><th style=\"width:6%\" class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
                tr(
                    "申請者と許可者が同一の例外（第19条）および有効期限を過ぎた例外は、違反を抑止しません。",
                    "Exceptions approved by their own requester (Art. 19) or past their expiry date suppress nothing."
                ),
                tr("状態", "State"),
                tr("対象（規則・条項・リソース）", "Covers (rules, articles, resources)"),
                tr("申請者／許可者", "Requested / approved by"),
                tr("許可日／有効期限", "Approved / expires"),
                tr("適用", "Uses"),
                tr("理由", "Reason")
            );
            for l in entries {
                let e = &l.entry;
                let mut scope: Vec<String> = e.rules.clone();
                scope.extend(e.articles.iter().map(|a| citation(a, lang)));
                let resources = if e.resources.is_empty() {
                    tr("インライン参照", "inline references").to_string()
                } else {
                    e.resources.join(", ")
                };
                let state_class = match l.state {
                    "active" => "s-pass",
                    "unused" => "s-man",
                    _ => "s-fail",
                };
                let _ = write!(
                    h,
                    "<tr><td><code>{}</code></td><td><span class=\"{state_class}\"><b>{}</b></span></td><td>{}<br><small>{}</small></td><td><small>{}</small> {}<br><small>{}</small> {}</td><td class=\"nw\"><small>{}</small> {}<br><small>{}</small> {}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                    esc(&e.id),
                    exception_state_label(l.state, lang),
                    esc(&scope.join(", ")),
                    esc(&resources),
                    tr("申請", "req."),
                    esc(&e.requested_by),
                    tr("許可", "appr."),
                    esc(&e.approved_by),
                    tr("許可", "appr."),
                    e.approved_on,
                    tr("期限", "exp."),
                    e.expires_on,
                    l.findings,
                    esc(&e.reason)
                );
            }
            h.push_str("</tbody></table>");
        }
    }
    h.push_str("</section>\n");

    // 5. Not evaluated.
    let none = tr("ありません。", "None.");
    if minor_table(
        &mut h,
        ("not-evaluated", 5, tr("評価できなかった項目", "Not evaluated")),
        o.not_evaluated.is_empty(),
        none,
        tr(
            "値が静的に決まらない（外部モジュール、データソース、既定値のない変数など）ため判定できなかった項目です。合格とはみなしていません。手動で確認してください。",
            "Values that cannot be known statically (remote modules, data sources, variables without defaults). They are not counted as passed: confirm them by hand."
        ),
        &[
            ("27%", tr("場所", "Location")),
            ("12%", tr("規則", "Rule")),
            ("22%", tr("リソース", "Resource")),
            ("", tr("理由", "Reason")),
        ],
    ) {
        for (i, n) in o.not_evaluated.iter().enumerate() {
            let l = loc(o, n.at);
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                i + 1,
                esc(&l.place(true)),
                esc(n.rule_id.as_deref().unwrap_or("—")),
                esc(n.resource.as_deref().unwrap_or("")),
                rich(&n.reason)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>\n");

    // 6. Input errors.
    if minor_table(
        &mut h,
        ("errors", 6, tr("読み込みエラー", "Input errors")),
        o.errors.is_empty(),
        none,
        tr(
            "次のファイルは読み込めなかったか、内容に誤りがあります。該当部分は検査されていません。",
            "These files could not be read or contain errors; the affected parts were not checked."
        ),
        &[("34%", tr("場所", "Location")), ("", tr("内容", "Message"))],
    ) {
        for (i, e) in o.errors.iter().enumerate() {
            let l = loc(o, e.at);
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><code>{}:{}:{}</code></td><td>{}</td></tr>",
                i + 1,
                esc(&l.path),
                l.line,
                l.column,
                rich(e.message.get(o.lang))
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>\n");

    // 7. Confirmation.
    let _ = writeln!(
        h,
        "<section id=\"sign\" class=\"minor sign\"><h2>7. {}</h2><p>{}</p><table class=\"sign\"><thead><tr><th>{}</th><th style=\"width:24%\">{}</th><th style=\"width:18%\">{}</th><th style=\"width:14%\">{}</th><th style=\"width:18%\">{}</th></tr></thead><tbody><tr><th>{}</th><td></td><td></td><td></td><td></td></tr><tr><th>{}</th><td></td><td></td><td></td><td></td></tr><tr><th>{}</th><td></td><td></td><td></td><td></td></tr></tbody></table><div class=\"box\"><p class=\"checks\"><b>{}</b>　<span>□ {}</span><span>□ {}</span><span>□ {}</span></p><p>{}</p><p style=\"height:18mm\"></p></div></section>",
        tr("確認欄", "Confirmation"),
        tr(
            "上記のとおり自己検査を実施し、その結果を報告します。",
            "We have carried out the self-inspection above and report its results."
        ),
        tr("役割", "Role"),
        tr("所属", "Organisation"),
        tr("氏名", "Name"),
        tr("日付", "Date"),
        tr("署名・印", "Signature"),
        tr("作成者（受託者）", "Prepared by (vendor)"),
        tr("確認者（受託者）", "Checked by (vendor)"),
        tr("確認者（発注者）", "Confirmed by (agency)"),
        tr("確認結果", "Result"),
        tr("受理", "accepted"),
        tr("条件付き受理", "accepted with conditions"),
        tr("差戻し", "returned"),
        tr("所見・条件", "Remarks and conditions")
    );

    // Appendix: files scanned.
    // why: a hash per file fills pages on a real repository; an inspector matches them against
    // the delivery after reading the results, so they follow the confirmation.
    let _ = write!(
        h,
        "<section id=\"files\" class=\"major appendix\"><h2>{}</h2><p>{}</p><table><thead><tr><th style=\"width:6%\" class=\"n\">No.</th><th style=\"width:36%\">{}</th><th style=\"width:9%\" class=\"n\">{}</th><th style=\"width:7%\" class=\"n\">{}</th><th>SHA-256</th></tr></thead><tbody>",
        tr("付録 検査対象ファイル", "Appendix: files scanned"),
        tr(
            "検査した時点のファイルの SHA-256 ハッシュ値です。納品物のファイルと照合できます。「参照」は検査対象から読み込まれたモジュール・例外台帳です。",
            "SHA-256 of each file as scanned, to match against the files delivered. \"Referenced\" marks modules and the exception ledger read on the way."
        ),
        tr("ファイル", "File"),
        tr("バイト", "Bytes"),
        tr("行数", "Lines")
    );
    let mut seen = BTreeSet::new();
    let mut files: Vec<(bool, &str, &str)> = Vec::new();
    for (id, f) in o.sources.iter() {
        if seen.insert(f.path.as_str()) {
            files.push(((id as usize) >= o.files, f.path.as_str(), f.text.as_str()));
        }
    }
    files.sort();
    for (i, (referenced, path, text)) in files.iter().enumerate() {
        let lines = text.lines().count();
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td><code>{}</code>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"mono hash\">{}</td></tr>",
            i + 1,
            esc(path),
            if *referenced {
                format!(" <small>（{}）</small>", tr("参照", "referenced"))
            } else {
                String::new()
            },
            text.len(),
            lines,
            {
                let hx = sha256::hex(text.as_bytes());
                // why: the digest breaks in the middle when the column is narrow, never
                // elsewhere, and still copies as one string.
                match (hx.get(..32), hx.get(32..)) {
                    (Some(a), Some(b)) => format!("{a}<wbr>{b}"),
                    _ => hx,
                }
            }
        );
    }
    if files.is_empty() {
        let _ = write!(h, "<tr><td colspan=\"5\">{}</td></tr>", tr("なし", "none"));
    }
    h.push_str("</tbody></table></section>\n");

    let _ = writeln!(
        h,
        "<footer class=\"doc\"><span>{} kijun {}</span><span>{}</span></footer>\n</div>\n</body>\n</html>",
        tr("作成:", "Generated by"),
        env!("CARGO_PKG_VERSION"),
        esc(&ctx.scan_date)
    );
    h
}

/// Opens a minor section (`<section id=… class="minor"><h2>n. title</h2>`) and, unless it has
/// nothing to list, a numbered table under an introduction; says `none` otherwise. Returns
/// whether the table was opened: the caller then writes the rows and closes it.
fn minor_table(
    h: &mut String,
    (id, n, title): (&str, u32, &str),
    empty: bool,
    none: &str,
    intro: &str,
    cols: &[(&str, &str)],
) -> bool {
    let _ = write!(
        h,
        "<section id=\"{id}\" class=\"minor\"><h2>{n}. {title}</h2>"
    );
    if empty {
        let _ = write!(h, "<p>{none}</p>");
        return false;
    }
    let _ = write!(
        h,
        "<p>{intro}</p><table><thead><tr><th style=\"width:6%\" class=\"n\">No.</th>"
    );
    for (width, label) in cols {
        if width.is_empty() {
            let _ = write!(h, "<th>{label}</th>");
        } else {
            let _ = write!(h, "<th style=\"width:{width}\">{label}</th>");
        }
    }
    h.push_str("</tr></thead><tbody>");
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    #[test]
    fn paragraphs_contain_their_items() {
        assert!(under("133-1-1", "133-1"));
        assert!(under("133-1", "133-1"));
        assert!(!under("133-10", "133-1"));
        assert!(!under("13-1", "133-1"));
    }

    #[test]
    fn rule_ids_compact_into_runs() {
        let ids: Vec<String> = [
            "KJ-C5-001",
            "KJ-C5-002",
            "KJ-C5-003",
            "KJ-C5-101",
            "KJ-C6-001",
            "KJ-C6-003",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(compact_ids(&ids), "KJ-C5-001〜003, 101; KJ-C6-001, 003");
    }

    #[test]
    fn code_spans_become_code_elements() {
        assert_eq!(rich("`a<b` is `x"), "<code>a&lt;b</code> is `x");
        assert_eq!(rich("no code"), "no code");
    }

    /// A scan of one rule with one failure and no input error: the verdict is "failed" (not a
    /// pass because nothing else went wrong), and a paragraph none of whose rules ran says
    /// "not run", not "partly not run".
    #[test]
    fn a_narrow_failing_scan_fails_and_says_what_did_not_run() {
        let tf = "resource \"aws_ebs_volume\" \"scratch\" {\n  availability_zone = \"ap-northeast-1a\"\n  size              = 10\n  encrypted         = false\n}\n";
        let opts = crate::Options {
            lang: Lang::En,
            only_rules: vec!["KJ-E1-001".to_string()],
            ..crate::Options::default()
        };
        let o = crate::check(
            vec![crate::Document::new("main.tf", tf)],
            &crate::NoLoader,
            &opts,
        );
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(o.findings.len(), 1);
        let h = render(&o, &ReportContext::default());
        assert!(
            h.contains("<span class=\"verdict fail\">failed (1 findings); "),
            "{}",
            h.lines().find(|l| l.contains("verdict")).unwrap_or("")
        );
        assert!(h.contains("<span class=\"s-warn\"><b>not run</b></span>"));
    }

    #[test]
    fn ticks_stay_few() {
        assert_eq!(tick_step(3), 1);
        assert_eq!(tick_step(9), 2);
        assert_eq!(tick_step(24), 5);
        assert_eq!(tick_step(120), 50);
    }
}
