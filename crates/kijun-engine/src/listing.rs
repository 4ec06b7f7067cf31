//! The catalogue as the command line and the WASM module both show it: the rule listing, one
//! rule explained, and the coverage of the rulebook's paragraphs. One home, so that
//! `kijun rules --format json` and the module's `rules` operation cannot drift apart.

use kijun_model::Lang;
use kijun_rules::{catalogue, Rule};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The rules citing `article` (a number such as `133`, or a paragraph such as `133-1-1`) and
/// claiming `platform`, in catalogue order; `None` does not filter.
pub fn rules_matching(article: Option<&str>, platform: Option<&str>) -> Vec<&'static Rule> {
    catalogue()
        .rules
        .iter()
        .filter(|r| {
            article.is_none_or(|a| {
                r.articles.iter().any(|x| {
                    x == a || x.split('-').next() == Some(a) || x.starts_with(&format!("{a}-"))
                })
            })
        })
        .filter(|r| platform.is_none_or(|p| r.platforms.iter().any(|x| x == p)))
        .collect()
}

/// The rule listing as JSON (`kijun rules --format json`, the module's `rules`).
pub fn rules_json(rules: &[&Rule]) -> Value {
    Value::Array(
        rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "name": r.name, "articles": r.articles, "platforms": r.platforms,
                    "severity": r.applies.severity.iter().map(|(k, v)| (k.clone(), v.as_str())).collect::<BTreeMap<_, _>>(),
                    "status": r.status.as_str(), "title": {"ja": r.title.ja, "en": r.title.en},
                })
            })
            .collect(),
    )
}

/// The rule listing as text, a line a rule.
pub fn rules_text(rules: &[&Rule], lang: Lang) -> String {
    let mut s = String::new();
    for r in rules {
        s.push_str(&format!(
            "{:<10} {:<44} {:<10} {}\n",
            r.id,
            r.name,
            r.articles.join(","),
            r.title.get(lang)
        ));
    }
    s
}

/// One rule explained, both languages (the module's `explain`).
pub fn explain_json(r: &Rule) -> Value {
    let examples = kijun_rules::docs::examples(&r.id);
    json!({
        "id": r.id, "name": r.name, "articles": r.articles, "platforms": r.platforms,
        "title": {"ja": r.title.ja, "en": r.title.en},
        "what": {"ja": r.docs.what.ja, "en": r.docs.what.en},
        "why": {"ja": r.docs.why.ja, "en": r.docs.why.en},
        "remediation": {"ja": r.remediation.ja, "en": r.remediation.en},
        "limitations": {"ja": r.docs.limitations.ja, "en": r.docs.limitations.en},
        "example": examples.as_ref().map(|e| e.0.clone()),
        "use_instead": examples.map(|e| e.1),
    })
}

/// One rule explained in one language (`kijun explain`).
pub fn explain_text(r: &Rule, lang: Lang) -> String {
    let (what, why, basis, example, instead, fix, limits, plats) = match lang {
        Lang::Ja => (
            "概要",
            "なぜ問題か",
            "条項",
            "違反の例",
            "適合する例",
            "対処",
            "既知の制限",
            "対象",
        ),
        Lang::En => (
            "What it does",
            "Why it matters",
            "Legal basis (条項)",
            "Example",
            "Use instead",
            "Remediation",
            "Known limitations",
            "Platforms",
        ),
    };
    let mut s = format!("{} {} — {}\n\n", r.id, r.name, r.title.get(lang));
    s.push_str(&format!("## {what}\n{}\n\n", r.docs.what.get(lang)));
    s.push_str(&format!("## {why}\n{}\n\n", r.docs.why.get(lang)));
    s.push_str(&format!("## {basis}\n"));
    for a in &r.articles {
        let heading = kijun_rules::coverage::article(a)
            .map(|t| format!(" （{}）— {}", t.heading.get(lang), t.summary.get(lang)))
            .unwrap_or_default();
        s.push_str(&format!("- {}{heading}\n", Rule::citation(a, lang)));
    }
    s.push('\n');
    s.push_str(&format!("## {plats}\n{}\n\n", r.platforms.join(", ")));
    if let Some((bad, good)) = kijun_rules::docs::examples(&r.id) {
        s.push_str(&format!(
            "## {example}\n```\n{bad}\n```\n\n## {instead}\n```\n{good}\n```\n\n"
        ));
    }
    s.push_str(&format!("## {fix}\n{}\n\n", r.remediation.get(lang)));
    let l = r.docs.limitations.get(lang);
    if !l.is_empty() {
        s.push_str(&format!("## {limits}\n{l}\n"));
    }
    s
}

/// The coverage of the rulebook's paragraphs as JSON (`kijun coverage --format json`, the
/// module's `coverage`).
pub fn coverage_json() -> Value {
    Value::Array(
        kijun_rules::coverage::table()
            .iter()
            .map(|r| {
                json!({
                    "article": r.article,
                    "heading": {"ja": r.heading.ja, "en": r.heading.en},
                    "status": r.status,
                    "rules": r.rules,
                    "note": {"ja": r.note.ja, "en": r.note.en},
                })
            })
            .collect(),
    )
}

/// The coverage as text, a line a paragraph and the totals.
pub fn coverage_text(lang: Lang) -> String {
    let rows = kijun_rules::coverage::table();
    let mut out = String::new();
    for r in &rows {
        let status = match (lang, r.status.as_str()) {
            (Lang::Ja, "checked") => "検査",
            (Lang::Ja, "partial") => "一部検査",
            (Lang::Ja, _) => "要手動確認",
            (Lang::En, st) => st,
        };
        let cite = Rule::citation(&r.article, lang);
        out.push_str(&format!(
            "{cite:<24} {status:<10} {:<3} {}\n",
            r.rules.len(),
            r.heading.get(lang)
        ));
    }
    let n = |st: &str| rows.iter().filter(|r| r.status == st).count();
    out.push_str(&match lang {
        Lang::Ja => format!(
            "計 {} 項: 検査 {}、一部検査 {}、要手動確認 {}\n",
            rows.len(),
            n("checked"),
            n("partial"),
            n("manual")
        ),
        Lang::En => format!(
            "{} paragraphs: {} checked, {} partial, {} manual\n",
            rows.len(),
            n("checked"),
            n("partial"),
            n("manual")
        ),
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    #[test]
    fn rules_are_selected_by_article_paragraph_and_platform() {
        let by_article = rules_matching(Some("133"), None);
        assert!(!by_article.is_empty());
        assert!(by_article.iter().all(|r| r
            .articles
            .iter()
            .any(|a| a == "133" || a.starts_with("133-"))));
        // `13` is not a prefix of `133`: a number selects its own article only.
        assert!(rules_matching(Some("13"), None)
            .iter()
            .all(|r| r.articles.iter().any(|a| a == "13" || a.starts_with("13-"))));
        let k8s = rules_matching(None, Some("kubernetes"));
        assert!(!k8s.is_empty() && k8s.len() < catalogue().rules.len());
        let listed = rules_json(&k8s);
        assert_eq!(listed.as_array().unwrap().len(), k8s.len());
        assert_eq!(listed[0]["id"], json!(k8s[0].id));
    }

    #[test]
    fn a_rule_is_explained_in_the_language_asked_for() {
        let r = rules_matching(None, None)
            .into_iter()
            .find(|r| r.id == "KJ-E3-004")
            .unwrap();
        let ja = explain_text(r, Lang::Ja);
        let en = explain_text(r, Lang::En);
        assert!(
            ja.starts_with("KJ-E3-004 ")
                && ja.contains("## なぜ問題か")
                && ja.contains(&r.title.ja)
        );
        assert!(
            en.contains("## Why it matters")
                && en.contains(&r.title.en)
                && !en.contains("なぜ問題か")
        );
        assert_eq!(explain_json(r)["why"]["ja"], json!(r.docs.why.ja));
    }

    #[test]
    fn coverage_totals_count_every_paragraph() {
        let rows = kijun_rules::coverage::table();
        let en = coverage_text(Lang::En);
        assert_eq!(en.lines().count(), rows.len() + 1);
        assert!(en
            .lines()
            .last()
            .unwrap()
            .starts_with(&format!("{} paragraphs: ", rows.len())));
        assert!(coverage_text(Lang::Ja)
            .lines()
            .last()
            .unwrap()
            .starts_with(&format!("計 {} 項", rows.len())));
        assert_eq!(coverage_json().as_array().unwrap().len(), rows.len());
    }
}
