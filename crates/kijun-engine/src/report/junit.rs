//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines): a test
//! suite per rule, a test case per (rule, resource). A failing finding is a `<failure>`; an
//! excepted or baselined one is `<skipped>` with the reason; a value that could not be evaluated
//! is `<skipped>` too (it is not a pass); files that could not be read are `<error>`s of a suite
//! of their own. No timings, so the output is byte-stable.

use super::{citation, escape_xml, loc, ReportContext};
use crate::{Finding, FindingStatus, Outcome};
use kijun_model::Lang;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Default)]
struct Case<'a> {
    findings: Vec<&'a Finding>,
    /// Where and why, for values that could not be evaluated.
    not_evaluated: Vec<(super::Loc, String)>,
}

#[derive(Default)]
struct Totals {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn finding_text(o: &Outcome, f: &Finding) -> String {
    let lang = o.lang;
    let l = loc(o, f.at);
    let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
    let (basis, fix) = match lang {
        Lang::Ja => ("根拠", "対処"),
        Lang::En => ("basis", "remediation"),
    };
    format!(
        "{}\n{}\n{basis}: {}\n{fix}: {}",
        f.message,
        l.place(true),
        cites.join(", "),
        f.remediation
    )
}

fn skip_reason(f: &Finding, lang: Lang) -> String {
    match (&f.exception, f.status, lang) {
        (Some(e), FindingStatus::Excepted, Lang::Ja) => format!(
            "例外 {}（許可者 {}、有効期限 {}）: {}",
            e.id, e.approved_by, e.expires_on, e.reason
        ),
        (Some(e), FindingStatus::Excepted, Lang::En) => format!(
            "exception {} (approved by {}, expires {}): {}",
            e.id, e.approved_by, e.expires_on, e.reason
        ),
        (_, _, Lang::Ja) => "ベースラインに記録済みの既知の指摘".into(),
        (_, _, Lang::En) => "recorded in the baseline".into(),
    }
}

/// One `<testcase>`; returns what it counted as.
fn write_case(out: &mut String, o: &Outcome, suite: &str, resource: &str, case: &Case) -> Totals {
    let lang = o.lang;
    let mut t = Totals {
        tests: 1,
        ..Totals::default()
    };
    let first = case
        .findings
        .first()
        .map(|f| loc(o, f.at))
        .or_else(|| case.not_evaluated.first().map(|(l, _)| l.clone()));
    let file_attr = first
        .map(|l| format!(" file=\"{}\" line=\"{}\"", escape_xml(&l.path), l.line))
        .unwrap_or_default();
    let not_evaluated: Vec<String> = case
        .not_evaluated
        .iter()
        .map(|(l, reason)| format!("{} {reason}", l.place(true)))
        .collect();
    let _ = writeln!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"{file_attr}>",
        escape_xml(suite),
        escape_xml(resource)
    );
    let failing: Vec<&&Finding> = case
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Failed)
        .collect();
    if let Some(worst) = failing.iter().max_by_key(|f| f.severity) {
        let body: Vec<String> = failing.iter().map(|f| finding_text(o, f)).collect();
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            escape_xml(&worst.message),
            worst.severity.as_str(),
            escape_xml(&body.join("\n\n"))
        );
        t.failures = 1;
    } else if let Some(f) = case.findings.first() {
        let reasons: Vec<String> = case.findings.iter().map(|f| skip_reason(f, lang)).collect();
        let _ = writeln!(
            out,
            "      <skipped message=\"{}\"/>",
            escape_xml(&format!(
                "{}: {}",
                super::status_label(f, lang),
                reasons.join("; ")
            ))
        );
        t.skipped = 1;
    } else if !case.not_evaluated.is_empty() {
        let prefix = match lang {
            Lang::Ja => "未評価（合格とはみなしません）",
            Lang::En => "not evaluated (not counted as passed)",
        };
        let _ = writeln!(
            out,
            "      <skipped message=\"{}\"/>",
            escape_xml(&format!("{prefix}: {}", not_evaluated.join("; ")))
        );
        t.skipped = 1;
    }
    // Everything else about the case (other findings on it, not-evaluated values) as output.
    let mut extra: Vec<String> = Vec::new();
    if t.failures > 0 {
        extra.extend(
            case.findings
                .iter()
                .filter(|f| f.status != FindingStatus::Failed)
                .map(|f| format!("{}: {}", super::status_label(f, lang), skip_reason(f, lang))),
        );
    }
    if !case.findings.is_empty() {
        extra.extend(not_evaluated.iter().cloned());
    }
    if !extra.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape_xml(&extra.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
    t
}

pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let lang = o.lang;
    // rule id → resource → case, all sorted.
    let mut suites: BTreeMap<&str, BTreeMap<&str, Case>> = BTreeMap::new();
    for f in &o.findings {
        suites
            .entry(&*f.rule_id)
            .or_default()
            .entry(f.resource.as_str())
            .or_default()
            .findings
            .push(f);
    }
    for n in &o.not_evaluated {
        let rule = n.rule_id.as_deref().unwrap_or("kijun");
        let resource = n.resource.as_deref().unwrap_or("");
        let l = loc(o, n.at);
        suites
            .entry(rule)
            .or_default()
            .entry(resource)
            .or_default()
            .not_evaluated
            .push((l, n.reason.clone()));
    }
    let cat = kijun_rules::catalogue();
    let mut body = String::new();
    let mut all = Totals::default();
    for (rule, cases) in &suites {
        let mut inner = String::new();
        let mut t = Totals::default();
        for (resource, case) in cases {
            let resource = if resource.is_empty() {
                match lang {
                    Lang::Ja => "（リソース不明）",
                    Lang::En => "(no resource)",
                }
            } else {
                resource
            };
            let c = write_case(&mut inner, o, rule, resource, case);
            t.tests += c.tests;
            t.failures += c.failures;
            t.skipped += c.skipped;
        }
        let title = cat
            .get(rule)
            .map(|r| format!("{rule} {}", r.title.get(lang)))
            .unwrap_or_else(|| rule.to_string());
        let _ = writeln!(
            body,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            escape_xml(&title),
            t.tests,
            t.failures,
            t.skipped
        );
        if let Some(r) = cat.get(rule) {
            body.push_str("    <properties>\n");
            for a in &r.articles {
                let _ = writeln!(
                    body,
                    "      <property name=\"article\" value=\"{}\"/>",
                    escape_xml(&citation(a, lang))
                );
            }
            let _ = writeln!(
                body,
                "      <property name=\"rule_name\" value=\"{}\"/>\n    </properties>",
                escape_xml(&r.name)
            );
        }
        body.push_str(&inner);
        body.push_str("  </testsuite>\n");
        all.tests += t.tests;
        all.failures += t.failures;
        all.skipped += t.skipped;
    }
    if !o.errors.is_empty() {
        let name = match lang {
            Lang::Ja => "読み込みエラー",
            Lang::En => "input errors",
        };
        let _ = writeln!(
            body,
            "  <testsuite name=\"{name}\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">",
            n = o.errors.len()
        );
        for e in &o.errors {
            let l = loc(o, e.at);
            let _ = writeln!(
                body,
                "    <testcase classname=\"kijun.input\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <error message=\"{}\" type=\"input\">{}:{}:{} {}</error>\n    </testcase>",
                escape_xml(&l.path),
                escape_xml(&l.path),
                l.line,
                escape_xml(e.message.get(o.lang)),
                escape_xml(&l.path),
                l.line,
                l.column,
                escape_xml(e.message.get(o.lang))
            );
        }
        body.push_str("  </testsuite>\n");
        all.tests += o.errors.len();
        all.errors += o.errors.len();
    }
    if all.tests == 0 {
        // why: a report with no test at all reads as "nothing ran" in most CI front ends.
        let name = match lang {
            Lang::Ja => "違反なし",
            Lang::En => "no findings",
        };
        let _ = writeln!(
            body,
            "  <testsuite name=\"kijun\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    <testcase classname=\"kijun\" name=\"{name}\"/>\n  </testsuite>"
        );
        all.tests = 1;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        escape_xml(&if ctx.repository.is_empty() {
            "kijun".to_string()
        } else {
            format!("kijun: {}", ctx.repository)
        }),
        all.tests,
        all.failures,
        all.errors,
        all.skipped
    );
    out.push_str(&body);
    out.push_str("</testsuites>\n");
    out
}
