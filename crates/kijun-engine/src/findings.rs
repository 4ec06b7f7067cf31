//! Findings: what a scan reports (findings with their status, exceptions and ledger states,
//! not-evaluated entries, the outcome of a scan) and how a rule's hit on a resource becomes a
//! finding in one language.

use crate::{exceptions, Classification};
use kijun_model::{InputError, Lang, Origin, Provenance, Resource, Sources};
use kijun_rules::{Hit, Rule, Severity};
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingStatus {
    Failed,
    Excepted,
    /// Recorded in the baseline: reported, not failing.
    Baselined,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Failed => "failed",
            FindingStatus::Excepted => "excepted",
            FindingStatus::Baselined => "baselined",
        }
    }
}

/// The ledger record attached to a finding.
#[derive(Clone, Debug)]
pub struct ExceptionRecord {
    pub id: String,
    pub reason: String,
    pub requested_by: String,
    pub approved_by: String,
    pub approved_on: exceptions::Date,
    pub expires_on: exceptions::Date,
    /// "active" (suppresses), "expired" or "self-approved" (does not).
    pub state: &'static str,
}

/// One ledger entry as the register shows it.
#[derive(Clone, Debug)]
pub struct LedgerStatus {
    pub entry: exceptions::Entry,
    /// "active", "expired", "self-approved" or "unused".
    pub state: &'static str,
    pub findings: usize,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule_id: Shared,
    pub rule_name: Shared,
    pub articles: Cow<'static, [String]>,
    pub severity: Severity,
    pub status: FindingStatus,
    pub at: Origin,
    pub resource: String,
    pub kind: String,
    /// The resource header, for "defined here" labels.
    pub resource_at: Origin,
    pub classification: Classification,
    /// Title of the rule, in the chosen language.
    pub title: Shared,
    /// The full message: rule message, the specific detail and where the value came from.
    pub message: String,
    /// The specific detail alone ("`encrypted` is false"), for labels.
    pub detail: String,
    /// Where the offending value was set, when the finding holds for one origin only (it is
    /// then also named in `message`); `None` when several roots set it in different places.
    pub from: Option<Arc<Provenance>>,
    /// Every place the offending value came from (a variable default, a tfvars line, a
    /// provider `region`, a module argument, a template parameter), each with the roots it
    /// holds for: the lines a reader changes to fix the finding. Sorted, each place once.
    pub related: Vec<Related>,
    /// The Terraform root modules (directories) whose evaluation fails this finding, when its
    /// resource lies in a module: one finding stands for a module resource reached from several
    /// roots. Sorted; empty for resources of a root itself and for other formats.
    pub roots: Vec<String>,
    /// Roots that evaluate the same module resource without this finding (the rule passes
    /// there, or is not evaluated): named so that a reader does not take them for failing.
    pub passing_roots: Vec<String>,
    pub remediation: Shared,
    pub preview: bool,
    pub exception: Option<Box<ExceptionRecord>>,
    /// Inline `kijun:exception` references at the resource.
    pub inline: Vec<exceptions::InlineRef>,
}

/// One place a finding's value came from, and the roots it came from there.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub from: Arc<Provenance>,
    /// Terraform roots (directories) whose evaluation took the value from here; empty when
    /// the finding is not in a module reached from a root.
    pub roots: Vec<String>,
}

/// "var.region: value set here (roots examples/a, examples/b)" / "var.region の値の定義（ルート:
/// …）": what a related location says.
pub fn related_text(r: &Related, lang: Lang) -> String {
    // Names and paths as code spans, as messages write attribute names.
    let via = format!("`{}`", r.from.via.replace('`', "'"));
    let roots: Vec<String> = r
        .roots
        .iter()
        .map(|x| format!("`{}`", x.replace('`', "'")))
        .collect();
    let roots = roots.join(", ");
    match (lang, r.from.via.is_empty(), roots.is_empty()) {
        (Lang::Ja, false, true) => format!("{via} の値の定義"),
        (Lang::Ja, true, true) => "値の定義".to_string(),
        (Lang::Ja, false, false) => format!("{via} の値の定義（ルート: {roots}）"),
        (Lang::Ja, true, false) => format!("値の定義（ルート: {roots}）"),
        (Lang::En, false, true) => format!("{via}: value set here"),
        (Lang::En, true, true) => "value set here".to_string(),
        (Lang::En, false, false) => format!("{via}: value set here (roots: {roots})"),
        (Lang::En, true, false) => format!("value set here (roots: {roots})"),
    }
}

/// Text a finding shares with its rule: borrowed from the built-in catalogue (which lives as
/// long as the process), owned only for findings of external rule sources.
/// why: a large scan has tens of thousands of findings; each copying its rule's title,
/// remediation and articles was a third of the scan's peak memory (docs/performance.md).
pub type Shared = Cow<'static, str>;

#[derive(Clone, Debug)]
pub struct NotEvaluatedOut {
    pub rule_id: Option<String>,
    pub at: Origin,
    pub resource: Option<String>,
    pub kind: Option<String>,
    pub reason: String,
}

/// The result of a scan, with the sources kept for rendering snippets.
pub struct Outcome {
    pub sources: Sources,
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluatedOut>,
    pub errors: Vec<InputError>,
    pub files: usize,
    pub resources: usize,
    /// Resources checked, by the file that defines them: a report restricted to some files
    /// (`kijun check FILE`, read with its context) counts the resources of those files only.
    pub resources_by_file: std::collections::BTreeMap<kijun_model::FileId, usize>,
    pub lang: Lang,
    /// The exception register, when a ledger was given.
    pub ledger: Option<Vec<LedgerStatus>>,
    /// Baseline entries no longer found: (rule, resource, file), when a baseline was given.
    pub baseline_fixed: Option<Vec<(String, String, String)>>,
    /// The effective configuration, for every report.
    pub run: crate::run::RunInfo,
    /// The deployment context the user declared (`[assume]`, `--assume`), part of the
    /// effective configuration the report lists.
    pub assumptions: Vec<kijun_terraform::Assumption>,
}

impl Outcome {
    /// Exit status by DESIGN.md: 1 when anything failed (preview rules excepted) or a file
    /// could not be read.
    pub fn exit_code(&self) -> i32 {
        let failed = self
            .findings
            .iter()
            .any(|f| f.status == FindingStatus::Failed && !f.preview);
        if failed || !self.errors.is_empty() {
            1
        } else {
            0
        }
    }
}

/// "（var.x より、variables.tf:3:13）" / " (from var.x at variables.tf:3:13)".
pub fn provenance_text(p: &Provenance, sources: &Sources, lang: Lang) -> String {
    let (l, c, _, _) = sources.position(p.at);
    let place = format!("{}:{l}:{c}", sources.path(p.at.file));
    let via = if p.via.is_empty() {
        None
    } else {
        Some(p.via.as_str())
    };
    match (lang, via) {
        (Lang::Ja, Some(v)) => format!("（{v} から。値の定義: {place}）"),
        (Lang::Ja, None) => format!("（値の定義: {place}）"),
        (Lang::En, Some(v)) => format!(" (from {v}, set at {place})"),
        (Lang::En, None) => format!(" (value set at {place})"),
    }
}

/// A finding of a built-in rule: its texts are borrowed from the catalogue.
pub(crate) fn make_finding(
    rule: &'static Rule,
    r: &Resource,
    class: &Classification,
    severity: Severity,
    hit: &Hit,
    sources: &Sources,
    lang: Lang,
) -> Finding {
    let mut f = finding_texts_owned(rule, r, class, severity, hit, sources, lang, false);
    f.rule_id = Cow::Borrowed(&rule.id);
    f.rule_name = Cow::Borrowed(&rule.name);
    f.articles = Cow::Borrowed(&rule.articles);
    f.title = Cow::Borrowed(rule.title.get(lang));
    f.remediation = Cow::Borrowed(rule.remediation.get(lang));
    f
}

/// A finding of a rule declared by an external source, which does not live for the whole
/// process: its texts are copied. With `copy` false the rule texts are left empty (the caller
/// borrows them instead).
#[allow(clippy::too_many_arguments)] // why: one finding needs all of these; a struct would only rename them
pub(crate) fn finding_texts_owned(
    rule: &Rule,
    r: &Resource,
    class: &Classification,
    severity: Severity,
    hit: &Hit,
    sources: &Sources,
    lang: Lang,
    copy: bool,
) -> Finding {
    let base = rule.message.get(lang).replace("{resource}", &r.address);
    let detail = hit.detail.get(lang).to_string();
    // why: where the value came from is added once findings of every root are merged
    // (`lib::finish`): a module finding reached from several roots is one finding, and its
    // message must not carry one root's origin.
    let _ = sources;
    let message = format!("{base}: {detail}");
    let owned = |t: &str| -> Shared {
        if copy {
            Cow::Owned(t.to_string())
        } else {
            Cow::Borrowed("")
        }
    };
    Finding {
        rule_id: owned(&rule.id),
        rule_name: owned(&rule.name),
        articles: if copy {
            Cow::Owned(rule.articles.clone())
        } else {
            Cow::Borrowed(&[])
        },
        severity,
        status: FindingStatus::Failed,
        at: hit.at,
        resource: r.address.clone(),
        kind: r.kind.clone(),
        resource_at: r.at,
        classification: class.clone(),
        title: owned(rule.title.get(lang)),
        message,
        detail,
        from: hit.from.clone(),
        related: hit
            .from
            .iter()
            .map(|p| Related {
                from: p.clone(),
                roots: Vec::new(),
            })
            .collect(),
        roots: Vec::new(),
        passing_roots: Vec::new(),
        remediation: owned(rule.remediation.get(lang)),
        preview: rule.status == kijun_rules::Status::Preview,
        exception: None,
        inline: Vec::new(),
    }
}

/// The synthetic paths under which `kijun cluster` hands objects read from an API server to
/// the engine (`cluster://<context>/<namespace>/<Kind>/<name>`).
pub const CLUSTER_SCHEME: &str = "cluster://";

/// The JSON path of `at` in an object read from a cluster: `spec.template.spec.hostNetwork`,
/// `metadata.name` for a finding on the object as a whole (rules anchor those at its name).
/// None for files, whose line a person can open.
///
/// why: such an object reaches the engine as JSON that kijun serialised itself; its line
/// numbers mean nothing to the reader, while the field path is what `kubectl get -o jsonpath`
/// and `kubectl explain` take.
pub fn json_path(o: &Outcome, at: Origin) -> Option<String> {
    let src = o.sources.get(at.file)?;
    if !src.path.starts_with(CLUSTER_SCHEME) {
        return None;
    }
    // A kind that was not read has an empty document: its address is the whole location.
    let Ok(root) = kijun_json::parse(&src.text) else {
        return Some(String::new());
    };
    let span = kijun_json::Span {
        start: at.start,
        end: at.end,
    };
    Some(kijun_json::path_at(&root, span))
}
