//! Section 2: every paragraph in scope, how it is checked, and its result.

use super::tally::status_of_row;
use super::text::{compact_ids, coverage_label, short_citation, unbroken_ids};
use super::Ctx;
use crate::report::escape_xml as esc;
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let (o, lang, rows, tallies) = (cx.o, cx.lang, &cx.rows, &cx.tallies);
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
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
}
