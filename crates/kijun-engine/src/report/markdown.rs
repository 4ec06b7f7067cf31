//! A Markdown summary for a pull-request comment or a CI job summary: the verdict and totals,
//! failing findings counted by article and severity, the findings table, then the excepted and
//! not-evaluated entries and input errors. In the report language.
//!
//! Long tables are cut (GitHub comments hold 65,536 characters); the totals always count
//! everything. The first line is an HTML comment a bot can find to update its comment in place.

use super::{
    citation, counts, loc, md_code as code, md_text as cell, severity_index, severity_label,
    status_label, ReportContext, SEVERITIES,
};
use crate::{FindingStatus, Outcome};
use kijun_model::Lang;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows shown per table before the rest is summarised.
pub const MAX_ROWS: usize = 100;

fn more(out: &mut String, hidden: usize, lang: Lang) {
    if hidden > 0 {
        let _ = match lang {
            Lang::Ja => writeln!(out, "\n他 {hidden} 件（全件は SARIF・HTML 報告書を参照）"),
            Lang::En => writeln!(
                out,
                "\n…and {hidden} more (see the SARIF or HTML report for all)"
            ),
        };
    }
}

pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let lang = o.lang;
    let t = |ja: &'static str, en: &'static str| super::tr(lang, ja, en);
    let c = counts(o);
    let mut out = String::from("<!-- kijun-report -->\n");
    let verdict = if o.exit_code() == 0 {
        t("違反なし", "passed")
    } else {
        t("違反あり", "failed")
    };
    let _ = writeln!(
        out,
        "## {}: {verdict}\n",
        t("kijun 検査結果", "kijun compliance check")
    );
    let mut meta = Vec::new();
    if !ctx.repository.is_empty() {
        meta.push(format!(
            "{} {}",
            t("対象", "repository"),
            code(&ctx.repository)
        ));
    }
    if !ctx.scan_date.is_empty() {
        meta.push(format!("{} {}", t("検査日", "scanned"), ctx.scan_date));
    }
    meta.push(format!("kijun {}", env!("CARGO_PKG_VERSION")));
    meta.push(format!(
        "{} {}",
        t("カタログ", "catalogue"),
        kijun_rules::CATALOGUE_VERSION
    ));
    meta.push(kijun_rules::RULEBOOK.to_string());
    let _ = ctx;
    meta.push(cell(&super::config_text(&o.run, lang)));
    let _ = writeln!(out, "{}\n", meta.join(" · "));

    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |\n|---:|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} | {} | {} |\n",
        t("違反", "Failed"),
        t("例外適用", "Excepted"),
        t("ベースライン", "Baselined"),
        t("未評価", "Not evaluated"),
        t("読み込みエラー", "Input errors"),
        t("ファイル", "Files"),
        t("リソース", "Resources"),
        c.failed,
        c.excepted,
        c.baselined,
        c.not_evaluated,
        c.errors,
        o.files,
        o.resources
    );
    if c.preview > 0 {
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "違反のうち {} 件は試行（preview）規則によるもので、判定には含めていません。\n",
                c.preview
            ),
            Lang::En => writeln!(
                out,
                "{} of the failed findings come from preview rules and do not count toward the verdict.\n",
                c.preview
            ),
        };
    }

    // Failing findings by article and severity.
    let failed: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Failed)
        .collect();
    if !failed.is_empty() {
        let mut by_article: BTreeMap<Vec<u32>, (String, [usize; 4])> = BTreeMap::new();
        for f in &failed {
            for a in f.articles.iter() {
                let e = by_article
                    .entry(super::article_key(a))
                    .or_insert_with(|| (a.clone(), [0; 4]));
                if let Some(n) = e.1.get_mut(severity_index(f.severity)) {
                    *n += 1;
                }
            }
        }
        let _ = writeln!(
            out,
            "### {}\n",
            t(
                "条項別・重要度別の違反件数",
                "Failed findings by article and severity"
            )
        );
        let heads: Vec<&str> = SEVERITIES
            .iter()
            .map(|s| severity_label(*s, lang))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n|---|---:|---:|---:|---:|---:|",
            t("条項", "Article"),
            heads.join(" | "),
            t("計", "Total")
        );
        for (article, n) in by_article.values() {
            let cols: Vec<String> = SEVERITIES
                .iter()
                .map(|s| n.get(severity_index(*s)).copied().unwrap_or(0).to_string())
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                citation(article, lang),
                cols.join(" | "),
                n.iter().sum::<usize>()
            );
        }
        out.push('\n');

        let _ = writeln!(out, "### {}\n", t("違反一覧", "Failed findings"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            t("場所", "Location"),
            t("規則", "Rule"),
            t("重要度", "Severity"),
            t("リソース", "Resource"),
            t("内容", "Message")
        );
        for f in failed.iter().take(MAX_ROWS) {
            let l = loc(o, f.at);
            let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
            // Where the value came from (when the message does not already say it: several
            // roots set it in different places) and which roots the finding holds for.
            let mut extra = String::new();
            for r in f.related.iter().filter(|_| f.from.is_none()) {
                let rl = loc(o, r.from.at);
                let _ = write!(
                    extra,
                    "<br><sub>{} {} {}</sub>",
                    t("関連:", "related:"),
                    code(&format!("{}:{}", rl.path, rl.line)),
                    cell(&crate::related_text(r, lang))
                );
            }
            if let Some(line) = super::roots_line(f, lang) {
                let _ = write!(extra, "<br><sub>{}</sub>", cell(&line));
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}{extra}<br><sub>{}</sub> |",
                code(&format!("{}:{}", l.path, l.line)),
                cell(&f.rule_id),
                severity_label(f.severity, lang),
                code(&f.resource),
                cell(&f.message),
                cell(&cites.join(", "))
            );
        }
        more(&mut out, failed.len().saturating_sub(MAX_ROWS), lang);
        out.push('\n');
    }

    if !o.run.not_run.is_empty() {
        let ids: Vec<&str> = o.run.not_run.iter().map(|n| n.rule_id.as_str()).collect();
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "実施しなかった規則 {} 件（除外・絞り込み・しきい値による。合格とはみなしません）: {}\n",
                ids.len(),
                cell(&ids.join(", "))
            ),
            Lang::En => writeln!(
                out,
                "{} rules were not run (skipped, filtered or below the threshold; not counted as passed): {}\n",
                ids.len(),
                cell(&ids.join(", "))
            ),
        };
    }
    // A baseline exists to show what is new: baselined findings are counted, not listed.
    if c.baselined > 0 {
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "ベースラインに記録済みの {} 件は表示していません（新しい違反のみ表示）。\n",
                c.baselined
            ),
            Lang::En => writeln!(
                out,
                "{} findings recorded in the baseline are not shown (only new ones are).\n",
                c.baselined
            ),
        };
    }
    let excepted: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Excepted)
        .collect();
    if !excepted.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} ({})</summary>\n",
            t("例外適用", "Excepted"),
            excepted.len()
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            t("場所", "Location"),
            t("規則", "Rule"),
            t("リソース", "Resource"),
            t("状態", "Status"),
            t("理由", "Reason")
        );
        for f in excepted.iter().take(MAX_ROWS) {
            let l = loc(o, f.at);
            let (status, reason) = match &f.exception {
                Some(e) if f.status == FindingStatus::Excepted => (
                    format!("{} {}", status_label(f, lang), e.id),
                    match lang {
                        Lang::Ja => format!(
                            "{}（許可者 {}、有効期限 {}）",
                            e.reason, e.approved_by, e.expires_on
                        ),
                        Lang::En => format!(
                            "{} (approved by {}, expires {})",
                            e.reason, e.approved_by, e.expires_on
                        ),
                    },
                ),
                _ => (status_label(f, lang).to_string(), String::new()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                code(&format!("{}:{}", l.path, l.line)),
                cell(&f.rule_id),
                code(&f.resource),
                cell(&status),
                cell(&reason)
            );
        }
        more(&mut out, excepted.len().saturating_sub(MAX_ROWS), lang);
        out.push_str("\n</details>\n\n");
    }

    if !o.not_evaluated.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} ({})</summary>\n",
            t(
                "未評価（合格とはみなしません）",
                "Not evaluated (not counted as passed)"
            ),
            o.not_evaluated.len()
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            t("場所", "Location"),
            t("規則", "Rule"),
            t("リソース", "Resource"),
            t("理由", "Reason")
        );
        for n in o.not_evaluated.iter().take(MAX_ROWS) {
            let l = loc(o, n.at);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&format!("{}:{}", l.path, l.line)),
                cell(n.rule_id.as_deref().unwrap_or("-")),
                code(n.resource.as_deref().unwrap_or("")),
                cell(&n.reason)
            );
        }
        more(
            &mut out,
            o.not_evaluated.len().saturating_sub(MAX_ROWS),
            lang,
        );
        out.push_str("\n</details>\n\n");
    }

    if !o.errors.is_empty() {
        let _ = writeln!(out, "### {}\n", t("読み込みエラー", "Input errors"));
        let _ = writeln!(
            out,
            "| {} | {} |\n|---|---|",
            t("場所", "Location"),
            t("内容", "Message")
        );
        for e in o.errors.iter().take(MAX_ROWS) {
            let l = loc(o, e.at);
            let _ = writeln!(
                out,
                "| {} | {} |",
                code(&format!("{}:{}:{}", l.path, l.line, l.column)),
                cell(&e.message)
            );
        }
        more(&mut out, o.errors.len().saturating_sub(MAX_ROWS), lang);
        out.push('\n');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc<script>"), r"a\|b\\u{a}c\<script\>");
    }

    #[test]
    fn code_spans_show_their_characters_as_they_are() {
        assert_eq!(cell("expected `<` or `&`"), "expected `<` or `&`");
        assert_eq!(cell("a `<b>` <c>"), r"a `<b>` \<c\>");
        assert_eq!(cell("unclosed `<x>"), r"unclosed \`\<x\>");
        assert_eq!(cell("`a|b`"), "`a\\|b`");
    }
}
