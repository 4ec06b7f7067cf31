//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner turns
//! into annotations on the pull request's diff, and the Markdown job summary the CLI appends to
//! `$GITHUB_STEP_SUMMARY`.
//!
//! Failing findings are errors (high, medium), warnings (low, and preview rules) or notices
//! (info); values that could not be evaluated are notices; files that could not be read are
//! errors. Excepted and baselined findings are not annotated: the job summary lists them.

use super::{citation, loc, Loc, ReportContext};
use crate::{Finding, FindingStatus, Outcome};
use kijun_model::Lang;
use kijun_rules::Severity;
use std::fmt::Write;

/// Escapes a command's message the way the runner unescapes it. Line breaks are encoded, so a
/// value cannot start a workflow command of its own; other unsafe characters (escape sequences,
/// bidirectional overrides) are shown escaped.
pub fn escape_data(s: &str) -> String {
    super::inert_with(s, true)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(kind: &str, l: &Loc, title: &str, message: &str) -> String {
    let mut props = format!("file={},line={}", escape_property(&l.path), l.line.max(1));
    let end_line = l.end_line.max(l.line).max(1);
    if end_line != l.line.max(1) {
        let _ = write!(props, ",endLine={end_line}");
    } else {
        // why: GitHub uses columns only for a single-line annotation.
        let _ = write!(
            props,
            ",col={},endColumn={}",
            l.column.max(1),
            l.end_column.max(1)
        );
    }
    let _ = write!(props, ",title={}", escape_property(title));
    // An object read from a cluster has no line to annotate: the message names its field.
    let message = match &l.json_path {
        Some(_) => format!("{} ({})", message, l.place(false)),
        None => message.to_string(),
    };
    format!("::{kind} {props}::{}\n", escape_data(&message))
}

fn kind(f: &Finding) -> &'static str {
    match f.severity {
        Severity::High | Severity::Medium if !f.preview => "error",
        Severity::High | Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

/// The workflow commands, one per line.
pub fn render(o: &Outcome, _ctx: &ReportContext) -> String {
    let lang = o.lang;
    let cat = kijun_rules::catalogue();
    let mut out = String::new();
    for e in &o.errors {
        let title = match lang {
            Lang::Ja => "kijun: 読み込みエラー",
            Lang::En => "kijun: input error",
        };
        out.push_str(&command(
            "error",
            &loc(o, e.at),
            title,
            e.message.get(o.lang),
        ));
    }
    for f in o
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Failed)
    {
        let title = match cat.get(&f.rule_id) {
            Some(r) => format!("{} {}", f.rule_id, r.title.get(lang)),
            None => f.rule_id.to_string(),
        };
        let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
        let message = match lang {
            Lang::Ja => format!(
                "{}\n根拠: {}\n対処: {}",
                f.message,
                cites.join("、"),
                f.remediation
            ),
            Lang::En => format!(
                "{}\nBasis: {}\nRemediation: {}",
                f.message,
                cites.join(", "),
                f.remediation
            ),
        };
        out.push_str(&command(kind(f), &loc(o, f.at), &title, &message));
    }
    for n in &o.not_evaluated {
        let rule = n.rule_id.as_deref().unwrap_or("kijun");
        let title = match lang {
            Lang::Ja => format!("{rule} 未評価"),
            Lang::En => format!("{rule} not evaluated"),
        };
        let message = match (lang, &n.resource) {
            (Lang::Ja, Some(r)) => format!("{r}: {}（合格とはみなしません）", n.reason),
            (Lang::Ja, None) => format!("{}（合格とはみなしません）", n.reason),
            (Lang::En, Some(r)) => format!("{r}: {} (not counted as passed)", n.reason),
            (Lang::En, None) => format!("{} (not counted as passed)", n.reason),
        };
        out.push_str(&command("notice", &loc(o, n.at), &title, &message));
    }
    out
}

/// The job summary: the Markdown report.
pub fn summary(o: &Outcome, ctx: &ReportContext) -> String {
    super::markdown::render(o, ctx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("100%\r\nnext"), "100%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            escape_data("x\u{1b}]0;t\u{7}\n::error::forged"),
            "x\\u{1b}]0;t\\u{7}%0A::error::forged"
        );
    }

    /// A high or medium finding of a preview rule is annotated as a warning, not an error: a
    /// preview rule's findings do not fail the scan, and neither GitHub nor a SARIF viewer may
    /// show them as failing.
    #[test]
    fn preview_findings_are_warnings_not_errors() {
        let tf = "resource \"aws_ebs_volume\" \"scratch\" {\n  availability_zone = \"ap-northeast-1a\"\n  size              = 10\n  encrypted         = false\n}\n";
        let opts = crate::Options {
            lang: Lang::En,
            only_rules: vec!["KJ-E1-001".to_string()],
            ..crate::Options::default()
        };
        let mut o = crate::check(
            vec![crate::Document::new("main.tf", tf)],
            &crate::NoLoader,
            &opts,
        );
        assert_eq!(o.findings.len(), 1);
        assert!(matches!(
            o.findings[0].severity,
            Severity::High | Severity::Medium
        ));
        let ctx = ReportContext::default();
        let out = render(&o, &ctx);
        assert!(out.starts_with("::error file=main.tf,line=4,"), "{out}");
        assert_eq!(super::super::sarif::level(&o.findings[0]), "error");

        o.findings[0].preview = true;
        let out = render(&o, &ctx);
        assert!(out.starts_with("::warning file=main.tf,line=4,"), "{out}");
        assert_eq!(super::super::sarif::level(&o.findings[0]), "warning");

        // An informational finding stays a notice / note, preview or not.
        o.findings[0].severity = Severity::Info;
        assert!(render(&o, &ctx).starts_with("::notice file=main.tf,"));
        assert_eq!(super::super::sarif::level(&o.findings[0]), "note");
    }

    #[test]
    fn single_line_annotations_carry_columns() {
        let l = Loc {
            path: "a,b.tf".into(),
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 9,
            json_path: None,
        };
        assert_eq!(
            command("error", &l, "KJ-1: t", "m"),
            "::error file=a%2Cb.tf,line=3,col=5,endColumn=9,title=KJ-1%3A t::m\n"
        );
        let l = Loc { end_line: 4, ..l };
        assert_eq!(
            command("warning", &l, "t", "m"),
            "::warning file=a%2Cb.tf,line=3,endLine=4,title=t::m\n"
        );
    }
}
