//! Small text helpers the sections share: code spans, short citations, compacted rule ids.

use crate::report::{citation, escape_xml as esc};
use crate::Classification;
use kijun_model::Lang;
use std::collections::BTreeMap;

/// Escaped text with Markdown code spans (`x`) as `<code>`, as messages and remediations write
/// attribute names.
pub(super) fn rich(s: &str) -> String {
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

pub(super) fn short_citation(a: &str, lang: Lang) -> String {
    let c = citation(a, lang);
    c.strip_prefix("細則 ")
        .or_else(|| c.strip_prefix("Rulebook "))
        .unwrap_or(&c)
        .to_string()
}

pub(super) fn class_text(c: &Classification, lang: Lang) -> String {
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

/// Rule ids compacted for a table cell: `KJ-C5-001, KJ-C5-002, KJ-C5-003, KJ-C5-101` →
/// `KJ-C5-001〜003, 101`.
pub(super) fn compact_ids(ids: &[String]) -> String {
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
pub(super) fn unbroken_ids(compact: &str) -> String {
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

pub(super) fn coverage_label(status: &str, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Ja, "checked") => "検査",
        (Lang::Ja, "partial") => "一部検査",
        (Lang::Ja, _) => "手動",
        (Lang::En, "checked") => "checked",
        (Lang::En, "partial") => "partial",
        (Lang::En, _) => "manual",
    }
}
