//! Report formats beyond the JSON contract: SARIF 2.1.0, JUnit XML, GitHub workflow commands,
//! GitLab Code Quality, a Markdown summary and the HTML handover report (納品前セルフチェック
//! 報告書). Each is a pure function `render(&Outcome, &ReportContext) -> String`: no I/O and no
//! clock. What the core cannot know (the scan date, the command line, the repository's name)
//! comes in through [`ReportContext`]; writing files and `$GITHUB_STEP_SUMMARY` is the CLI's job.
//!
//! Every renderer is deterministic: findings keep the engine's order (file, line, column, rule),
//! and everything grouped is grouped in sorted maps.

pub mod github;
pub mod gitlab;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod sha256;

use crate::{Classification, Finding, FindingStatus, Outcome};
use kijun_model::{Lang, Origin};
use kijun_rules::{Rule, Severity};

/// What a report needs that the scan itself cannot know.
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// When the scan ran, as the caller wants it shown (`2026-11-26`); the core has no clock.
    pub scan_date: String,
    /// The command line that produced the report (`kijun check . --format html`).
    pub invocation: String,
    /// The project or repository scanned (`owner/name`, or a directory name).
    pub repository: String,
    /// The project classification the scan used (before per-resource tags).
    pub classification: Classification,
}

/// A resolved position: path and 1-based line/column range (columns count Unicode scalar values;
/// the end column is the one after the last character, as SARIF and GitHub expect).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn loc(o: &Outcome, at: Origin) -> Loc {
    let (line, column, end_line, end_column) = o.sources.position(at);
    Loc {
        path: o.sources.path(at.file).to_string(),
        line,
        column,
        end_line,
        end_column,
    }
}

/// Does this finding fail the scan? Failed findings of preview rules are reported but do not
/// count toward the verdict (STYLE.md), exactly as [`Outcome::exit_code`] decides.
pub fn blocking(f: &Finding) -> bool {
    f.status == FindingStatus::Failed && !f.preview
}

/// Totals every format shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub failed: usize,
    /// Failed findings of preview rules (included in `failed`).
    pub preview: usize,
    pub excepted: usize,
    pub baselined: usize,
    pub not_evaluated: usize,
    pub errors: usize,
    /// Failed findings by severity: info, low, medium, high.
    pub by_severity: [usize; 4],
}

pub fn counts(o: &Outcome) -> Counts {
    let mut c = Counts {
        not_evaluated: o.not_evaluated.len(),
        errors: o.errors.len(),
        ..Counts::default()
    };
    for f in &o.findings {
        match f.status {
            FindingStatus::Failed => {
                c.failed += 1;
                if f.preview {
                    c.preview += 1;
                }
                if let Some(n) = c.by_severity.get_mut(severity_index(f.severity)) {
                    *n += 1;
                }
            }
            FindingStatus::Excepted => c.excepted += 1,
            FindingStatus::Baselined => c.baselined += 1,
        }
    }
    c
}

pub fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
    }
}

/// Severities from the most to the least severe, for tables.
pub const SEVERITIES: [Severity; 4] = [
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::Ja, Severity::High) => "高",
        (Lang::Ja, Severity::Medium) => "中",
        (Lang::Ja, Severity::Low) => "低",
        (Lang::Ja, Severity::Info) => "情報",
        (Lang::En, Severity::High) => "high",
        (Lang::En, Severity::Medium) => "medium",
        (Lang::En, Severity::Low) => "low",
        (Lang::En, Severity::Info) => "info",
    }
}

pub fn status_label(f: &Finding, lang: Lang) -> &'static str {
    match (lang, f.status, f.preview) {
        (Lang::Ja, FindingStatus::Failed, false) => "違反",
        (Lang::Ja, FindingStatus::Failed, true) => "違反（試行規則）",
        (Lang::Ja, FindingStatus::Excepted, _) => "例外適用",
        (Lang::Ja, FindingStatus::Baselined, _) => "既知（ベースライン）",
        (Lang::En, FindingStatus::Failed, false) => "failed",
        (Lang::En, FindingStatus::Failed, true) => "failed (preview rule)",
        (Lang::En, FindingStatus::Excepted, _) => "excepted",
        (Lang::En, FindingStatus::Baselined, _) => "baselined",
    }
}

/// State of a ledger entry or of the exception on a finding.
pub fn exception_state_label(state: &str, lang: Lang) -> &'static str {
    match (lang, state) {
        (Lang::Ja, "active") => "適用中",
        (Lang::Ja, "expired") => "期限切れ（無効）",
        (Lang::Ja, "self-approved") => "自己承認（無効）",
        (Lang::Ja, "unused") => "未使用",
        (Lang::Ja, _) => "不明",
        (Lang::En, "active") => "active",
        (Lang::En, "expired") => "expired (void)",
        (Lang::En, "self-approved") => "self-approved (void)",
        (Lang::En, "unused") => "unused",
        (Lang::En, _) => "unknown",
    }
}

/// "細則 第133条第1項第1号" / "Rulebook Art. 133(1)(1)".
pub fn citation(article: &str, lang: Lang) -> String {
    Rule::citation(article, lang)
}

/// Numeric sort key of an article string (`"64-2-2"` → `[64, 2, 2]`), so 110 sorts after 73.
pub fn article_key(a: &str) -> Vec<u32> {
    a.split('-')
        .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
        .collect()
}

/// Pick the text of the report language.
pub fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Text escaped for XML and HTML content and attribute values. Characters XML 1.0 cannot carry
/// at all (control characters other than tab and line breaks) become U+FFFD.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// A source line's text, or "" when out of range.
pub fn line_text(o: &Outcome, file: u32, line: u32) -> &str {
    o.sources.get(file).map(|s| s.line_text(line)).unwrap_or("")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    #[test]
    fn articles_sort_numerically() {
        let mut v = vec!["133-1-1", "64-2-2", "110-1", "64-2-10", "64-2"];
        v.sort_by_key(|a| article_key(a));
        assert_eq!(v, ["64-2", "64-2-2", "64-2-10", "110-1", "133-1-1"]);
    }

    #[test]
    fn xml_escaping_covers_markup_and_control_characters() {
        assert_eq!(
            escape_xml("<a href=\"x\">&'\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{fffd}\n"
        );
    }
}
