//! Section 1: the summary (metadata, verdict, totals, chart).

use super::chart::chart;
use super::text::class_text;
use super::Ctx;
use crate::report::{escape_xml as esc, severity_index, severity_label, SEVERITIES};
use kijun_model::Lang;
use std::fmt::Write;

/// The verdict's class (`pass`, `warn`, `fail`) and its text.
fn verdict(cx: &Ctx<'_>) -> (&'static str, String) {
    let (o, lang, c) = (cx.o, cx.lang, &cx.counts);
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
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
    if blocking > 0 || c.errors > 0 {
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
    }
}

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let (o, lang, ctx, cat, c) = (cx.o, cx.lang, cx.report, cx.cat, &cx.counts);
    let (rows, tallies) = (&cx.rows, &cx.tallies);
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    let verdict = verdict(cx);
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
            crate::report::run_rows(&o.run, lang)
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
    h.push_str(&chart(tallies, lang));
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
}
