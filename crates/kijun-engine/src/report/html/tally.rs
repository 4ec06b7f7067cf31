//! What the scan found for each in-scope paragraph: the numbers behind the chart and the
//! results-by-article table.

use crate::report::severity_index;
use crate::{FindingStatus, Outcome};
use kijun_model::Lang;
use kijun_rules::coverage;
use std::collections::BTreeSet;

/// Per-paragraph results for the coverage table and the chart.
#[derive(Default, Clone)]
pub(super) struct Tally {
    pub(super) failed: [usize; 4],
    pub(super) excepted: usize,
    pub(super) not_evaluated: usize,
    pub(super) failed_rules: BTreeSet<String>,
    pub(super) unevaluated_rules: BTreeSet<String>,
    /// The paragraph's rules that this scan did not run (skipped, filtered, below threshold).
    pub(super) not_run: usize,
    /// All of the paragraph's rules were not run.
    pub(super) none_run: bool,
    /// Some files could not be read: what they hold was not checked, so nothing is known to
    /// pass.
    pub(super) unread: bool,
}

impl Tally {
    pub(super) fn failed_total(&self) -> usize {
        self.failed.iter().sum()
    }
}

/// Does a cited article (`133-1-1`) fall under a coverage row (`133-1`)?
pub(super) fn under(article: &str, row: &str) -> bool {
    article == row
        || article
            .strip_prefix(row)
            .is_some_and(|rest| rest.starts_with('-'))
}

pub(super) fn status_of_row(status: &str, t: &Tally, lang: Lang) -> (&'static str, &'static str) {
    let tr = |ja, en| crate::report::tr(lang, ja, en);
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

/// Results per coverage row, in the order of the coverage table.
pub(super) fn tallies(
    o: &Outcome,
    cat: &kijun_rules::Catalogue,
    rows: &[coverage::Row],
) -> Vec<(String, Tally)> {
    rows.iter()
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
        .collect()
}
