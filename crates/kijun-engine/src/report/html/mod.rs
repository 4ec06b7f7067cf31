//! The handover report (納品前セルフチェック報告書): one self-contained, printable HTML page a
//! vendor hands to the agency's inspector as evidence of its self-inspection (細則 第83条).
//! Japanese by default, English with `--lang en`.
//!
//! Self-contained means inline CSS only: no script, no external font, image or style sheet, so
//! the file opens the same offline, in an archive, and in print. The chart is inline SVG.
//!
//! Sections, one file each, in page order: 1 summary (metadata, verdict, totals, chart;
//! `summary`), 2 every in-scope paragraph with its status and results (`articles`), 3 the
//! findings by article with source excerpts (`findings`), 4 the exception register
//! (`exceptions`), 5 what could not be evaluated (`not_evaluated`), 6 input errors
//! (`input_errors`), 7 the confirmation block (`confirmation`), then the appendix of files
//! scanned with their SHA-256 (`appendix`). `page` writes the head, title block and footer;
//! `render` computes what several sections share once (`Ctx`) and calls them in turn.

mod appendix;
mod articles;
mod chart;
mod confirmation;
mod exceptions;
mod findings;
mod input_errors;
mod not_evaluated;
mod page;
mod style;
mod summary;
mod tally;
mod text;

use super::{counts, Counts, ReportContext};
use crate::Outcome;
use kijun_model::Lang;
use kijun_rules::coverage;
use std::fmt::Write;
use tally::Tally;

/// What every section reads: the outcome, the report's metadata, and the numbers computed once.
struct Ctx<'a> {
    o: &'a Outcome,
    report: &'a ReportContext,
    lang: Lang,
    cat: &'static kijun_rules::Catalogue,
    counts: Counts,
    rows: Vec<coverage::Row>,
    tallies: Vec<(String, Tally)>,
}

impl Ctx<'_> {
    fn tr(&self, ja: &'static str, en: &'static str) -> &'static str {
        super::tr(self.lang, ja, en)
    }
}

pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let cat = kijun_rules::catalogue();
    let rows = coverage::table();
    let cx = Ctx {
        o,
        report: ctx,
        lang: o.lang,
        cat,
        counts: counts(o),
        tallies: tally::tallies(o, cat, &rows),
        rows,
    };
    let mut h = String::with_capacity(64 * 1024);
    page::cover(&mut h, &cx);
    summary::write(&mut h, &cx);
    articles::write(&mut h, &cx);
    findings::write(&mut h, &cx);
    exceptions::write(&mut h, &cx);
    not_evaluated::write(&mut h, &cx);
    input_errors::write(&mut h, &cx);
    confirmation::write(&mut h, &cx);
    appendix::write(&mut h, &cx);
    page::footer(&mut h, &cx);
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
    use super::chart::tick_step;
    use super::tally::under;
    use super::text::{compact_ids, rich};
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
