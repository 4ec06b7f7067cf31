//! Exceptions (例外措置, 細則 第26条・第27条, with 第19条): the ledger of approved deviations,
//! and inline references next to resources. An exception suppresses a finding only while it is
//! approved by someone other than its requester and not expired; every excepted finding stays in
//! the report with its record, which is the 台帳 extract an auditor asks for.

use crate::glob;
use kijun_model::Origin;
use serde::Deserialize;

/// A calendar date; "now" is an input, never read from a clock here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().split('-');
        let year = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.get(..2)?.parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A TOML date (`2027-03-31`) or a string holding one.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateValue {
    fn date(&self) -> Option<Date> {
        match self {
            DateValue::Toml(d) => d.date.map(|d| Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            DateValue::Text(s) => Date::parse(s),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
    reason: String,
    requested_by: String,
    approved_by: String,
    approved_on: DateValue,
    expires_on: DateValue,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    #[serde(default)]
    exception: Vec<toml::Spanned<RawEntry>>,
}

/// Why an entry cannot suppress anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// requested_by == approved_by: 第19条 forbids approving one's own application.
    SelfApproved,
    /// expires_on is before "now".
    Expired,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub rules: Vec<String>,
    pub articles: Vec<String>,
    pub resources: Vec<String>,
    pub reason: String,
    pub requested_by: String,
    pub approved_by: String,
    pub approved_on: Date,
    pub expires_on: Date,
    /// Where the entry is in the ledger file.
    pub at: Origin,
}

impl Entry {
    pub fn defect(&self, now: Option<Date>) -> Option<Defect> {
        if self
            .requested_by
            .trim()
            .eq_ignore_ascii_case(self.approved_by.trim())
        {
            return Some(Defect::SelfApproved);
        }
        if now.is_some_and(|n| self.expires_on < n) {
            return Some(Defect::Expired);
        }
        None
    }

    /// Does this entry cover `rule_id` (or one of `articles`) on `resource`? An inline
    /// reference at the resource stands in for the `resources` list.
    pub fn covers(&self, rule_id: &str, articles: &[String], resource: &str, inline: bool) -> bool {
        let rule_ok = (self.rules.is_empty() && self.articles.is_empty())
            || self.rules.iter().any(|r| r == rule_id)
            || self.articles.iter().any(|a| {
                articles.iter().any(|f| {
                    f == a
                        || f.starts_with(&format!("{a}-"))
                        || f.split('-').next() == Some(a.as_str())
                })
            });
        let resource_ok = inline || self.resources.iter().any(|p| glob::matches(p, resource));
        rule_ok && resource_ok
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub entries: Vec<Entry>,
}

/// An error in the ledger file, with its position.
#[derive(Clone, Debug)]
pub struct LedgerError {
    pub at: Origin,
    pub message: kijun_model::Text,
}

impl Ledger {
    /// Parses `kijun-exceptions.toml`; `file` is its id in the scan's sources.
    pub fn parse(file: kijun_model::FileId, text: &str) -> Result<Ledger, LedgerError> {
        let raw: RawLedger = toml::from_str(text).map_err(|e| {
            let s = e.span().unwrap_or(0..0);
            LedgerError {
                at: Origin::new(file, s.start, s.end),
                message: kijun_model::text!(
                    "例外台帳: 「{0}」",
                    "exception ledger: {0}",
                    e.message().trim()
                ),
            }
        })?;
        let mut entries = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for sp in raw.exception {
            let span = sp.span();
            let at = Origin::new(file, span.start, span.start);
            let r = sp.into_inner();
            let (Some(approved_on), Some(expires_on)) = (r.approved_on.date(), r.expires_on.date())
            else {
                return Err(LedgerError {
                    at,
                    message: kijun_model::text!("例外 {}: approved_on と expires_on は日付（YYYY-MM-DD）でなければなりません", "exception {}: approved_on and expires_on must be dates (YYYY-MM-DD)",
                        r.id
                    ),
                });
            };
            if !seen.insert(r.id.clone()) {
                return Err(LedgerError {
                    at,
                    message: kijun_model::text!(
                        "例外 {} が 2 回定義されています",
                        "exception {} is defined twice",
                        r.id
                    ),
                });
            }
            if r.rules.is_empty() && r.articles.is_empty() {
                return Err(LedgerError {
                    at,
                    message: kijun_model::text!(
                        "例外 {}: 対象のルールか条項を指定してください",
                        "exception {}: name the rules or articles it covers",
                        r.id
                    ),
                });
            }
            if expires_on < approved_on {
                return Err(LedgerError {
                    at,
                    message: kijun_model::text!(
                        "例外 {}: expires_on が approved_on より前です",
                        "exception {}: expires_on is before approved_on",
                        r.id
                    ),
                });
            }
            entries.push(Entry {
                id: r.id,
                rules: r.rules,
                articles: r.articles,
                resources: r.resources,
                reason: r.reason,
                requested_by: r.requested_by,
                approved_by: r.approved_by,
                approved_on,
                expires_on,
                at,
            });
        }
        Ok(Ledger { entries })
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// An inline `kijun:exception` reference found next to a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineRef {
    pub ledger_id: String,
    /// Rule ids named in the comment, if any (`# kijun:exception KJ-E1-001 ledger=EX-…`).
    pub rules: Vec<String>,
    pub at: Origin,
}

/// Parses the words after `kijun:exception`: rule ids and a ledger id (`EX-…` bare or
/// `ledger=EX-…`).
pub fn parse_inline(words: &str, at: Origin) -> Option<InlineRef> {
    let mut rules = Vec::new();
    let mut ledger = None;
    for w in words.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c| c == '"' || c == '\'');
        if w.is_empty() {
            continue;
        }
        if let Some(id) = w.strip_prefix("ledger=") {
            ledger = Some(id.to_string());
        } else if w.starts_with("KJ-") {
            rules.push(w.to_string());
        } else if ledger.is_none() {
            ledger = Some(w.to_string());
        }
    }
    ledger.map(|ledger_id| InlineRef {
        ledger_id,
        rules,
        at,
    })
}

/// Inline references in the comment lines directly above a resource's header and on the
/// header line itself (HCL `#`/`//`, YAML `#`).
pub fn inline_comments(
    file: kijun_model::FileId,
    text: &str,
    header_start: usize,
) -> Vec<InlineRef> {
    let mut out = Vec::new();
    let start = header_start.min(text.len());
    // The header line, to its end.
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let line_end = text
        .get(start..)
        .and_then(|t| t.find('\n'))
        .map(|i| start + i)
        .unwrap_or(text.len());
    let mut lines: Vec<(usize, &str)> = Vec::new();
    if let Some(l) = text.get(line_start..line_end) {
        lines.push((line_start, l));
    }
    // Contiguous comment lines above.
    let mut cursor = line_start;
    while cursor > 0 {
        let prev_end = cursor - 1;
        let prev_start = text
            .get(..prev_end)
            .and_then(|t| t.rfind('\n'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let Some(l) = text.get(prev_start..prev_end) else {
            break;
        };
        let t = l.trim_start();
        if !(t.starts_with('#') || t.starts_with("//")) {
            break;
        }
        lines.push((prev_start, l));
        cursor = prev_start;
        if lines.len() > 20 {
            break;
        }
    }
    for (off, l) in lines {
        if let Some(i) = l.find("kijun:exception") {
            let words = l.get(i + "kijun:exception".len()..).unwrap_or("");
            let at = Origin::new(file, off + i, off + l.len());
            if let Some(r) = parse_inline(words, at) {
                out.push(r);
            }
        }
    }
    out
}

/// Every inline reference in a file: `kijun:exception` comments and `kijun.dev/exception`
/// annotations, wherever they are (to check that each names a ledger entry).
pub fn scan_references(file: kijun_model::FileId, text: &str) -> Vec<InlineRef> {
    let mut out = Vec::new();
    let mut off = 0usize;
    for line in text.split_inclusive('\n') {
        for marker in ["kijun:exception", "kijun.dev/exception"] {
            if let Some(i) = line.find(marker) {
                let words = line
                    .get(i + marker.len()..)
                    .unwrap_or("")
                    .trim_start_matches([':', '"', '\'', ' ']);
                let at = Origin::new(file, off + i, off + line.trim_end().len());
                if let Some(r) = parse_inline(words, at) {
                    out.push(r);
                }
            }
        }
        off += line.len();
    }
    out
}

/// The inline references that apply to one resource: comments at its header (HCL, YAML), the
/// Kubernetes annotation `kijun.dev/exception`, CloudFormation/ARM `Metadata.kijun.exception`.
pub fn inline_refs(r: &kijun_model::Resource, sources: &kijun_model::Sources) -> Vec<InlineRef> {
    let mut out = match sources.get(r.at.file) {
        Some(f) => inline_comments(r.at.file, &f.text, r.at.start as usize),
        None => Vec::new(),
    };
    let annotation = r
        .get("metadata")
        .and_then(|m| m.child("annotations"))
        .and_then(|a| a.child("kijun.dev/exception"));
    if let Some(a) = annotation {
        if let Some(v) = a.as_str() {
            out.extend(parse_inline(v, a.at));
        }
    }
    for (id, at) in &r.inline_exceptions {
        out.extend(parse_inline(id, *at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEDGER: &str = r#"
[[exception]]
id = "EX-2026-014"
articles = ["133-1-1"]
resources = ["aws_ebs_volume.scratch"]
reason = "scratch space, no confidential data"
requested_by = "sato"
approved_by = "suzuki"
approved_on = 2026-04-01
expires_on = 2027-03-31
"#;

    #[test]
    fn ledger_parses_and_judges() {
        let l = Ledger::parse(0, LEDGER).unwrap();
        let e = l.get("EX-2026-014").unwrap();
        assert!(e.covers(
            "KJ-E1-001",
            &["133-1-1".into()],
            "aws_ebs_volume.scratch",
            false
        ));
        assert!(!e.covers(
            "KJ-E1-001",
            &["133-1-1".into()],
            "aws_ebs_volume.other",
            false
        ));
        assert_eq!(e.defect(Date::parse("2026-11-26")), None);
        assert_eq!(e.defect(Date::parse("2027-04-01")), Some(Defect::Expired));
    }

    /// A one-day exception (approved and expiring on the same day) is valid; one that expires
    /// before its approval is refused with the entry's id.
    #[test]
    fn an_exception_may_expire_on_the_day_it_is_approved() {
        let same_day = LEDGER.replace("2027-03-31", "2026-04-01");
        let l = Ledger::parse(0, &same_day).unwrap();
        assert_eq!(l.entries[0].expires_on, l.entries[0].approved_on);
        assert_eq!(l.entries[0].defect(Date::parse("2026-04-01")), None);
        assert_eq!(
            l.entries[0].defect(Date::parse("2026-04-02")),
            Some(Defect::Expired)
        );
        let backwards = LEDGER.replace("2027-03-31", "2026-03-31");
        let e = Ledger::parse(0, &backwards).unwrap_err();
        assert_eq!(
            e.message.en,
            "exception EX-2026-014: expires_on is before approved_on"
        );
    }

    #[test]
    fn self_approval_is_a_defect() {
        let l = Ledger::parse(0, &LEDGER.replace("suzuki", "sato")).unwrap();
        assert_eq!(l.entries[0].defect(None), Some(Defect::SelfApproved));
    }

    #[test]
    fn errors_have_positions() {
        let e = Ledger::parse(0, "[[exception]]\nid = \"X\"\nreason = 3\n").unwrap_err();
        assert!(
            e.message.en.contains("exception ledger"),
            "{}",
            e.message.en
        );
    }

    #[test]
    fn inline_comments_above_and_on_the_header() {
        let text = "# kijun:exception EX-1\nresource \"a\" \"b\" { # kijun:exception KJ-E1-001 ledger=EX-2\n}\n";
        let header = text.find("resource").unwrap();
        let refs = inline_comments(0, text, header);
        let ids: Vec<&str> = refs.iter().map(|r| r.ledger_id.as_str()).collect();
        assert_eq!(ids, vec!["EX-2", "EX-1"]);
        assert_eq!(refs[0].rules, vec!["KJ-E1-001"]);
    }
}
