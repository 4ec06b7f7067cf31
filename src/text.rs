//! Terminal rendering: every finding and input error as a miette diagnostic with the source
//! snippet. The only place miette is used (STYLE.md: keep the renderer in one place).

use kijun_engine::{provenance_text, Finding, Outcome};
use kijun_model::{Lang, Origin};
use kijun_rules::{Rule, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

struct Diag {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    note: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let parts: Vec<&String> = self.help.iter().chain(self.note.iter()).collect();
        if parts.is_empty() {
            None
        } else {
            Some(Box::new(
                parts
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

pub struct Renderer<'a> {
    outcome: &'a Outcome,
    handler: GraphicalReportHandler,
    cache: HashMap<u32, NamedSource<Arc<str>>>,
}

fn span(at: Origin) -> miette::SourceSpan {
    let len = at.end.saturating_sub(at.start) as usize;
    (at.start as usize, len).into()
}

impl<'a> Renderer<'a> {
    pub fn new(outcome: &'a Outcome, color: bool) -> Renderer<'a> {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            outcome,
            handler: GraphicalReportHandler::new_themed(theme).with_width(120),
            cache: HashMap::new(),
        }
    }

    fn source(&mut self, file: u32) -> Option<NamedSource<Arc<str>>> {
        if let Some(s) = self.cache.get(&file) {
            return Some(s.clone());
        }
        let f = self.outcome.sources.get(file)?;
        let s = NamedSource::new(&f.path, Arc::<str>::from(f.text.as_str()));
        self.cache.insert(file, s.clone());
        Some(s)
    }

    fn render(&self, d: &Diag) -> String {
        let mut out = String::new();
        if self.handler.render_report(&mut out, d).is_err() {
            out = format!("{}\n", d.message);
        }
        out
    }

    pub fn finding(&mut self, f: &Finding, rule: Option<&Rule>) -> String {
        let lang = self.outcome.lang;
        let mut label = f.detail.clone();
        if let Some(p) = &f.from {
            label.push_str(&provenance_text(p, &self.outcome.sources, lang));
        }
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label), span(f.at))];
        // A second label at the resource header when the finding points elsewhere in it.
        if f.resource_at != f.at && f.resource_at.file == f.at.file {
            let text = match lang {
                Lang::Ja => format!("{} はここで定義されています", f.resource),
                Lang::En => format!("{} is defined here", f.resource),
            };
            labels.push(LabeledSpan::new_with_span(Some(text), span(f.resource_at)));
        }
        let cites: Vec<String> = f.articles.iter().map(|a| Rule::citation(a, lang)).collect();
        let class = &f.classification;
        let note = match lang {
            Lang::Ja => format!(
                "根拠: {}\n格付: 機密性{} 完全性{} 可用性{}（{}）",
                cites.join("、"),
                class.confidentiality,
                class.integrity,
                class.availability,
                source_ja(class.source.as_str())
            ),
            Lang::En => format!(
                "basis: {}\nclassification: confidentiality {}, integrity {}, availability {} ({})",
                cites.join(", "),
                class.confidentiality,
                class.integrity,
                class.availability,
                class.source.as_str()
            ),
        };
        let _ = rule;
        let mut note = note;
        if let Some(e) = &f.exception {
            note.push('\n');
            note.push_str(&match lang {
                Lang::Ja => format!(
                    "例外 {}（{}）: 申請者 {}、許可者 {}、許可日 {}、有効期限 {} — {}",
                    e.id,
                    match e.state {
                        "active" => "適用中",
                        "expired" => "期限切れ",
                        _ => "自己承認のため無効",
                    },
                    e.requested_by,
                    e.approved_by,
                    e.approved_on,
                    e.expires_on,
                    e.reason
                ),
                Lang::En => format!(
                    "exception {} ({}): requested by {}, approved by {} on {}, expires {} — {}",
                    e.id,
                    e.state,
                    e.requested_by,
                    e.approved_by,
                    e.approved_on,
                    e.expires_on,
                    e.reason
                ),
            });
        }
        let status = match (f.status, lang) {
            (kijun_engine::FindingStatus::Failed, _) => String::new(),
            (kijun_engine::FindingStatus::Excepted, Lang::Ja) => " · 例外適用".into(),
            (kijun_engine::FindingStatus::Baselined, Lang::Ja) => " · ベースライン".into(),
            (st, Lang::En) => format!(" · {}", st.as_str()),
        };
        let d = Diag {
            message: format!("[{}{status}] {}", f.severity.as_str(), f.message),
            code: Some(f.rule_id.to_string()),
            severity: match f.severity {
                _ if f.status != kijun_engine::FindingStatus::Failed => miette::Severity::Advice,
                Severity::High | Severity::Medium => miette::Severity::Error,
                Severity::Low => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: Some(f.remediation.to_string()),
            note: Some(note),
            source: self.source(f.at.file),
            labels,
        };
        self.render(&d)
    }

    pub fn error(&mut self, at: Origin, message: &str) -> String {
        let d = Diag {
            message: message.to_string(),
            code: Some("kijun::input".into()),
            severity: miette::Severity::Error,
            help: None,
            note: None,
            source: self.source(at.file),
            labels: vec![LabeledSpan::new_primary_with_span(None, span(at))],
        };
        self.render(&d)
    }
}

fn source_ja(s: &str) -> &'static str {
    match s {
        "tag" => "タグによる指定",
        "config" => "設定ファイルによる指定",
        _ => "既定値",
    }
}

/// The whole text report: diagnostics, not-evaluated notes, and a one-line summary.
pub fn render(outcome: &Outcome, color: bool) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(outcome, color, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`render`] written to `w` as it is produced.
/// why: drawing a diagnostic (snippet, labels, wrapping) costs tens of microseconds and a large
/// scan's report is tens of MB; findings are drawn in parallel batches, each chunk with its own
/// renderer, and written in order, so the report is never held whole in memory.
pub fn write(outcome: &Outcome, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::io::Write;
    let lang = outcome.lang;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    let mut r = Renderer::new(outcome, color);
    for e in &outcome.errors {
        w.write_all(r.error(e.at, &e.message).as_bytes())?;
        w.write_all(b"\n")?;
    }
    drop(r);
    let cat = kijun_rules::catalogue();
    for batch in outcome.findings.chunks(8192) {
        let chunks: Vec<String> = batch
            .par_chunks(256)
            .map(|chunk| {
                let mut r = Renderer::new(outcome, color);
                let mut s = String::new();
                for f in chunk {
                    s.push_str(&r.finding(f, cat.get(&f.rule_id)));
                    s.push('\n');
                }
                s
            })
            .collect();
        for c in chunks {
            w.write_all(c.as_bytes())?;
        }
    }
    if !outcome.not_evaluated.is_empty() {
        w.write_all(
            match lang {
                Lang::Ja => "評価できなかった項目（合格とはみなしません）:\n",
                Lang::En => "Not evaluated (not counted as passed):\n",
            }
            .as_bytes(),
        )?;
        for n in &outcome.not_evaluated {
            let (l, c, _, _) = outcome.sources.position(n.at);
            writeln!(
                w,
                "  {}:{l}:{c} {} {} — {}",
                outcome.sources.path(n.at.file),
                n.rule_id.as_deref().unwrap_or("-"),
                n.resource.as_deref().unwrap_or(""),
                n.reason
            )?;
        }
        w.write_all(b"\n")?;
    }
    w.write_all(summary_line(outcome).as_bytes())?;
    w.flush()
}

pub fn summary_line(o: &Outcome) -> String {
    let failed = o
        .findings
        .iter()
        .filter(|f| f.status == kijun_engine::FindingStatus::Failed)
        .count();
    let excepted = o.findings.len() - failed;
    match o.lang {
        Lang::Ja => format!(
            "kijun: {} ファイル、{} リソースを検査 — 違反 {} 件、例外 {} 件、未評価 {} 件、読み込みエラー {} 件\n",
            o.files,
            o.resources,
            failed,
            excepted,
            o.not_evaluated.len(),
            o.errors.len()
        ),
        Lang::En => format!(
            "kijun: checked {} files, {} resources — {} failed, {} excepted, {} not evaluated, {} input errors\n",
            o.files,
            o.resources,
            failed,
            excepted,
            o.not_evaluated.len(),
            o.errors.len()
        ),
    }
}
