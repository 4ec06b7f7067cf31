//! Terminal rendering: every finding and input error as a miette diagnostic with the source
//! snippet. The only place miette is used (STYLE.md: keep the renderer in one place).

use kijun_engine::report::{inert, inert_with};
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
    source: Option<NamedSource<Arc<Indexed>>>,
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

/// A file's text with the offsets where its lines start, as miette counts lines (`\n`, `\r\n`
/// and a lone `\r` each end one).
/// why: miette finds the lines around a span by scanning the text from its first byte, so a
/// report drawing many findings of one large file took time quadratic in its size (minutes for
/// 40,000 findings in a 4.5 MB file). Here miette scans from a line a little before the span,
/// and its line numbers and offsets are shifted back: the same snippet, found in constant time.
pub struct Indexed {
    text: Arc<str>,
    /// Offset just after each line break.
    breaks: Vec<usize>,
    /// Where the shown text is longer than the file's: (offset in the file just after an
    /// escaped character, bytes added up to there).
    shifts: Vec<(usize, usize)>,
}

impl Indexed {
    /// The file's text as shown: unsafe characters (terminal escapes, bidirectional overrides)
    /// are written as `\u{1b}`, so a scanned file cannot drive the terminal through a snippet.
    fn new(original: &str) -> Indexed {
        let mut shifts = Vec::new();
        let shown = kijun_engine::report::inert_with(original, true);
        if let std::borrow::Cow::Owned(_) = &shown {
            let mut added = 0;
            for (at, c) in original.char_indices() {
                if kijun_engine::report::is_unsafe_char(c, true) {
                    added += c.escape_unicode().len() - c.len_utf8();
                    shifts.push((at + c.len_utf8(), added));
                }
            }
        }
        let text: &str = &shown;
        let bytes = text.as_bytes();
        let mut breaks = Vec::new();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b == b'\r' && bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            if b == b'\n' || b == b'\r' {
                breaks.push(i);
            }
        }
        Indexed {
            text: Arc::from(text),
            breaks,
            shifts,
        }
    }

    /// A span of the file as a span of the shown text.
    fn span(&self, at: Origin) -> miette::SourceSpan {
        let map = |o: usize| {
            let i = self.shifts.partition_point(|&(end, _)| end <= o);
            o + i
                .checked_sub(1)
                .and_then(|i| self.shifts.get(i))
                .map_or(0, |&(_, added)| added)
        };
        let start = map(at.start as usize);
        let end = map(at.end.max(at.start) as usize);
        (start, end - start).into()
    }
}

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The span's line, then one line more than the context asked for: miette then sees the
        // same lines before the span as it would reading from the top.
        let line = self.breaks.partition_point(|&b| b <= span.offset());
        let first = line.saturating_sub(context_lines_before + 1);
        let start = match first.checked_sub(1) {
            Some(i) => self.breaks.get(i).copied().unwrap_or(0),
            None => 0,
        };
        let window = self
            .text
            .as_bytes()
            .get(start..)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let local = miette::SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let c = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new(
            c.data(),
            miette::SourceSpan::new((c.span().offset() + start).into(), c.span().len()),
            c.line() + first,
            c.column(),
            c.line_count() + first,
        )))
    }
}

pub struct Renderer<'a> {
    outcome: &'a Outcome,
    handler: GraphicalReportHandler,
    cache: &'a SourceCache,
}

/// Each file's text as miette reads it, copied once per report and shared by the renderers
/// that draw its findings in parallel.
#[derive(Default)]
pub struct SourceCache(std::sync::Mutex<HashMap<u32, NamedSource<Arc<Indexed>>>>);

fn span(at: Origin) -> miette::SourceSpan {
    let len = at.end.saturating_sub(at.start) as usize;
    (at.start as usize, len).into()
}

/// How the text report is drawn.
pub struct Style {
    /// Colour escapes (kijun's own; only to a terminal or when forced).
    pub color: bool,
    /// Wrap width.
    pub width: usize,
    /// Only failing findings, input errors and the summary.
    pub quiet: bool,
}

impl Style {
    pub fn new(color: bool, ctx: &kijun_engine::report::ReportContext) -> Style {
        Style {
            color,
            width: crate::outputs::text_width(),
            quiet: ctx.quiet,
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(outcome: &'a Outcome, style: &Style, cache: &'a SourceCache) -> Renderer<'a> {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            outcome,
            handler: GraphicalReportHandler::new_themed(theme).with_width(style.width),
            cache,
        }
    }

    fn source(&mut self, file: u32) -> Option<NamedSource<Arc<Indexed>>> {
        // A poisoned lock only means another renderer panicked; the map is still whole.
        let mut cache = self.cache.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = cache.get(&file) {
            return Some(s.clone());
        }
        let f = self.outcome.sources.get(file)?;
        let s = NamedSource::new(inert(&f.path), Arc::new(Indexed::new(&f.text)));
        cache.insert(file, s.clone());
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
        let source = self.source(f.at.file);
        let at = |o: Origin| match &source {
            Some(s) => s.inner().span(o),
            None => span(o),
        };
        let mut label = f.detail.clone();
        if let Some(p) = &f.from {
            label.push_str(&provenance_text(p, &self.outcome.sources, lang));
        }
        let label = inert(&label).into_owned();
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label), at(f.at))];
        // A second label at the resource header when the finding points elsewhere in it.
        if f.resource_at != f.at && f.resource_at.file == f.at.file {
            let text = match lang {
                Lang::Ja => format!("{} はここで定義されています", f.resource),
                Lang::En => format!("{} is defined here", f.resource),
            };
            labels.push(LabeledSpan::new_with_span(
                Some(inert(&text).into_owned()),
                at(f.resource_at),
            ));
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
        // Where the value came from, and which calling roots the finding holds for.
        for line in kijun_engine::report::related_lines(self.outcome, f) {
            note.push('\n');
            note.push_str(&line);
        }
        if let Some(line) = kijun_engine::report::roots_line(f, lang) {
            note.push('\n');
            note.push_str(&line);
        }
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
            message: format!("[{}{status}] {}", f.severity.as_str(), inert(&f.message)),
            code: Some(inert(&f.rule_id).into_owned()),
            severity: match f.severity {
                _ if f.status != kijun_engine::FindingStatus::Failed => miette::Severity::Advice,
                Severity::High | Severity::Medium => miette::Severity::Error,
                Severity::Low => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: Some(inert(&f.remediation).into_owned()),
            note: Some(inert_with(&note, true).into_owned()),
            source,
            labels,
        };
        self.render(&d)
    }

    /// Findings sharing one root cause: one diagnostic pointing at the line to change (the
    /// provider's `region`, the variable), listing the resources it affects.
    pub fn group(&mut self, g: &kijun_engine::report::CauseGroup<'_>) -> String {
        use kijun_engine::report::{cause_heading, roots_line};
        let lang = self.outcome.lang;
        let Some(first) = g.members.first() else {
            return String::new();
        };
        let origin = g.related.from.at;
        let source = self.source(origin.file);
        let label_at = match &source {
            Some(s) => s.inner().span(origin),
            None => span(origin),
        };
        let label = inert(&kijun_engine::related_text(g.related, lang)).into_owned();
        let severity = g.severity();
        let status = match (first.status, lang) {
            (kijun_engine::FindingStatus::Failed, _) => String::new(),
            (kijun_engine::FindingStatus::Excepted, Lang::Ja) => " · 例外適用".into(),
            (kijun_engine::FindingStatus::Baselined, Lang::Ja) => " · ベースライン".into(),
            (st, Lang::En) => format!(" · {}", st.as_str()),
        };
        let shared = g.shared_detail();
        let mut note = match (lang, shared) {
            (Lang::Ja, Some(d)) => {
                format!("同じ原因による指摘（この行を直せばすべて解消します）: {d}")
            }
            (Lang::Ja, None) => "同じ原因による指摘（この行を直せばすべて解消します）:".into(),
            (Lang::En, Some(d)) => {
                format!("findings with this one cause (changing this line fixes them all): {d}")
            }
            (Lang::En, None) => {
                "findings with this one cause (changing this line fixes them all):".into()
            }
        };
        for f in &g.members {
            let (l, c, _, _) = self.outcome.sources.position(f.at);
            note.push_str(&format!(
                "\n  - {} ({}:{l}:{c})",
                f.resource,
                self.outcome.sources.path(f.at.file)
            ));
            if shared.is_none() {
                note.push_str(&format!(": {}", f.detail));
            }
            if let Some(r) = roots_line(f, lang) {
                note.push_str(&format!(" — {r}"));
            }
        }
        let cites: Vec<String> = first
            .articles
            .iter()
            .map(|a| Rule::citation(a, lang))
            .collect();
        note.push('\n');
        note.push_str(&match lang {
            Lang::Ja => format!("根拠: {}", cites.join("、")),
            Lang::En => format!("basis: {}", cites.join(", ")),
        });
        let d = Diag {
            message: format!(
                "[{}{status}] {}: {}",
                severity.as_str(),
                inert(&first.title),
                cause_heading(self.outcome, g, lang)
            ),
            code: Some(inert(&first.rule_id).into_owned()),
            severity: match severity {
                _ if first.status != kijun_engine::FindingStatus::Failed => {
                    miette::Severity::Advice
                }
                Severity::High | Severity::Medium => miette::Severity::Error,
                Severity::Low => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: Some(inert(&first.remediation).into_owned()),
            note: Some(inert_with(&note, true).into_owned()),
            source,
            labels: vec![LabeledSpan::new_primary_with_span(Some(label), label_at)],
        };
        self.render(&d)
    }

    pub fn error(&mut self, at: Origin, message: &str) -> String {
        let source = self.source(at.file);
        let label = match &source {
            Some(s) => s.inner().span(at),
            None => span(at),
        };
        let d = Diag {
            message: inert(message).into_owned(),
            code: Some("kijun::input".into()),
            severity: miette::Severity::Error,
            help: None,
            note: None,
            source,
            labels: vec![LabeledSpan::new_primary_with_span(None, label)],
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
pub fn render(outcome: &Outcome, style: &Style) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(outcome, style, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Is this finding drawn in the text report? Baselined findings are counted, not drawn (a
/// baseline exists to show what is new); with `--quiet` only failing findings are drawn.
fn drawn(f: &Finding, quiet: bool) -> bool {
    match f.status {
        kijun_engine::FindingStatus::Failed => true,
        kijun_engine::FindingStatus::Baselined => false,
        kijun_engine::FindingStatus::Excepted => !quiet,
    }
}

/// One line per finding and input error (`file:line:col: [severity] RULE message`), then the
/// summary: for editors' problem matchers and large scans.
pub fn compact(outcome: &Outcome, ctx: &kijun_engine::report::ReportContext) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for e in &outcome.errors {
        let (l, c, _, _) = outcome.sources.position(e.at);
        let _ = writeln!(
            out,
            "{}:{l}:{c}: [error] kijun::input {}",
            inert(outcome.sources.path(e.at.file)),
            inert(&e.message)
        );
    }
    for f in outcome.findings.iter().filter(|f| drawn(f, ctx.quiet)) {
        let (l, c, _, _) = outcome.sources.position(f.at);
        let status = match f.status {
            kijun_engine::FindingStatus::Failed => String::new(),
            st => format!(" · {}", st.as_str()),
        };
        let _ = writeln!(
            out,
            "{}:{l}:{c}: [{}{status}] {} {}",
            inert(outcome.sources.path(f.at.file)),
            f.severity.as_str(),
            inert(&f.rule_id),
            inert(&f.message)
        );
    }
    out.push_str(&summary_line(outcome));
    out
}

/// [`render`] written to `w` as it is produced.
/// why: drawing a diagnostic (snippet, labels, wrapping) costs tens of microseconds and a large
/// scan's report is tens of MB; findings are drawn in parallel batches, each chunk with its own
/// renderer, and written in order, so the report is never held whole in memory.
pub fn write(outcome: &Outcome, style: &Style, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::io::Write;
    let lang = outcome.lang;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    let cache = SourceCache::default();
    let mut r = Renderer::new(outcome, style, &cache);
    for e in &outcome.errors {
        w.write_all(r.error(e.at, &e.message).as_bytes())?;
        w.write_all(b"\n")?;
    }
    drop(r);
    let cat = kijun_rules::catalogue();
    // Findings sharing a root cause are drawn once, under it, where the first of them stood.
    let shown: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| drawn(f, style.quiet))
        .collect();
    let entries = kijun_engine::report::by_cause(&shown);
    for batch in entries.chunks(8192) {
        let chunks: Vec<String> = batch
            .par_chunks(256)
            .map(|chunk| {
                let mut r = Renderer::new(outcome, style, &cache);
                let mut s = String::new();
                for e in chunk {
                    match e {
                        kijun_engine::report::Entry::One(f) => {
                            s.push_str(&r.finding(f, cat.get(&f.rule_id)))
                        }
                        kijun_engine::report::Entry::Group(g) => s.push_str(&r.group(g)),
                    }
                    s.push('\n');
                }
                s
            })
            .collect();
        for c in chunks {
            w.write_all(c.as_bytes())?;
        }
    }
    let baselined = outcome
        .findings
        .iter()
        .filter(|f| f.status == kijun_engine::FindingStatus::Baselined)
        .count();
    if baselined > 0 {
        w.write_all(
            match lang {
                Lang::Ja => format!(
                    "ベースラインに記録済みの {baselined} 件は表示していません（新しい違反のみ表示）。\n\n"
                ),
                Lang::En => format!(
                    "{baselined} findings recorded in the baseline are not shown (only new ones are).\n\n"
                ),
            }
            .as_bytes(),
        )?;
    }
    if !outcome.not_evaluated.is_empty() && !style.quiet {
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
                inert(outcome.sources.path(n.at.file)),
                inert(n.rule_id.as_deref().unwrap_or("-")),
                inert(n.resource.as_deref().unwrap_or("")),
                inert(&n.reason)
            )?;
        }
        w.write_all(b"\n")?;
    }
    w.write_all(summary_line(outcome).as_bytes())?;
    w.flush()
}

pub fn summary_line(o: &Outcome) -> String {
    let count = |st| o.findings.iter().filter(|f| f.status == st).count();
    let failed = count(kijun_engine::FindingStatus::Failed);
    let excepted = count(kijun_engine::FindingStatus::Excepted);
    let baselined = count(kijun_engine::FindingStatus::Baselined);
    // The baseline's count appears only when a baseline is in use, as in the JSON summary.
    let (ja_base, en_base) = if baselined > 0 {
        (
            format!("、ベースライン {baselined} 件"),
            format!(", {baselined} baselined"),
        )
    } else {
        (String::new(), String::new())
    };
    match o.lang {
        Lang::Ja => format!(
            "kijun: {} ファイル、{} リソースを検査 — 違反 {} 件、例外 {} 件{ja_base}、未評価 {} 件、読み込みエラー {} 件\n",
            o.files,
            o.resources,
            failed,
            excepted,
            o.not_evaluated.len(),
            o.errors.len()
        ),
        Lang::En => format!(
            "kijun: checked {} files, {} resources — {} failed, {} excepted{en_base}, {} not evaluated, {} input errors\n",
            o.files,
            o.resources,
            failed,
            excepted,
            o.not_evaluated.len(),
            o.errors.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
    use super::*;

    /// The indexed source gives miette exactly what the plain text gives, for every span and
    /// context size, across LF, CRLF and lone CR line ends, blank lines and multi-byte text.
    #[test]
    fn indexed_source_reads_spans_as_miette_does() {
        let text = "a = 1\nb = \"値\"\r\n\r\nc {\r  d = 2\n}\n\nlast line without end";
        let indexed = Indexed::new(text);
        for start in 0..=text.len() {
            for len in [0, 1, 3, 12] {
                if start + len > text.len() {
                    continue;
                }
                let span = miette::SourceSpan::new(start.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3), (5, 0)] {
                    let want = text.read_span(&span, before, after);
                    let got = indexed.read_span(&span, before, after);
                    match (want, got) {
                        (Ok(w), Ok(g)) => {
                            let what = format!("span {start}+{len}, context {before}/{after}");
                            assert_eq!(g.data(), w.data(), "{what}");
                            assert_eq!(g.span(), w.span(), "{what}");
                            assert_eq!(g.line(), w.line(), "{what}");
                            assert_eq!(g.column(), w.column(), "{what}");
                            assert_eq!(g.line_count(), w.line_count(), "{what}");
                        }
                        (Err(_), Err(_)) => {}
                        (w, g) => panic!(
                            "span {start}+{len}, context {before}/{after}: {:?} vs {:?}",
                            w.is_ok(),
                            g.is_ok()
                        ),
                    }
                }
            }
        }
    }
}
