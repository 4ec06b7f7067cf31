//! Which paragraphs of the in-scope articles the catalogue checks, partly checks, or leaves to
//! manual evidence (CONTROLS.md §5): the honest table a handover report must carry.

use crate::catalogue;
use kijun_model::Text;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Clone, Debug, Deserialize)]
struct Raw {
    paragraph: Vec<RawRow>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    article: String,
    status: String,
    note: Text,
}

/// An article heading and paragraph summary from `policies/articles.toml`.
#[derive(Clone, Debug, Default)]
pub struct ArticleText {
    pub heading: Text,
    pub summary: Text,
}

#[derive(Clone, Debug)]
pub struct Row {
    /// `110-2`.
    pub article: String,
    pub heading: Text,
    pub summary: Text,
    /// `checked`, `partial` or `manual`.
    pub status: String,
    /// Rules citing this paragraph or one of its items, sorted.
    pub rules: Vec<String>,
    pub note: Text,
}

fn text(v: Option<&toml::Value>) -> Text {
    let get = |k: &str| {
        v.and_then(|t| t.get(k))
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string()
    };
    Text::new(get("ja"), get("en"))
}

/// `"133"`, `"133-1"`, `"133-1-1"` → heading of the article and summary of the most specific part.
pub fn article(citation: &str) -> Option<ArticleText> {
    static DOC: OnceLock<Option<toml::Table>> = OnceLock::new();
    let doc = DOC
        .get_or_init(|| toml::from_str(crate::ARTICLES).ok())
        .as_ref()?;
    let mut parts = citation.split('-').map(|p| p.parse::<i64>().ok());
    let n = parts.next()??;
    let a = doc
        .get("article")?
        .as_array()?
        .iter()
        .find(|a| a.get("number").and_then(|x| x.as_integer()) == Some(n))?;
    let mut out = ArticleText {
        heading: text(a.get("heading")),
        summary: Text::default(),
    };
    if let Some(Some(p)) = parts.next() {
        let para = a
            .get("paragraph")?
            .as_array()?
            .iter()
            .find(|x| x.get("number").and_then(|v| v.as_integer()) == Some(p))?;
        out.summary = text(para.get("summary"));
        if let Some(Some(i)) = parts.next() {
            let item = para
                .get("items")?
                .as_array()?
                .iter()
                .find(|x| x.get("number").and_then(|v| v.as_integer()) == Some(i))?;
            out.summary = text(item.get("summary"));
        }
    }
    Some(out)
}

/// Every paragraph of 第63–73条, 第110–118条 and 第132–134条, in order.
pub fn table() -> Vec<Row> {
    let Ok(raw) = toml::from_str::<Raw>(crate::COVERAGE) else {
        return Vec::new();
    };
    let cat = catalogue();
    raw.paragraph
        .into_iter()
        .map(|r| {
            let mut rules: Vec<String> = cat
                .rules
                .iter()
                .filter(|rule| {
                    rule.articles
                        .iter()
                        .any(|a| a == &r.article || a.starts_with(&format!("{}-", r.article)))
                })
                .map(|rule| rule.id.clone())
                .collect();
            rules.sort();
            let t = article(&r.article).unwrap_or_default();
            Row {
                article: r.article,
                heading: t.heading,
                summary: t.summary,
                status: r.status,
                rules,
                note: r.note,
            }
        })
        .collect()
}
