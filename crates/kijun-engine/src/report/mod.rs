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
pub use crate::findings::{json_path, CLUSTER_SCHEME};
pub use crate::sha256;

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
    /// `--quiet`: the text report shows only failing findings, input errors and the summary.
    pub quiet: bool,
}

/// Which configuration a scan used, in a sentence for a report's cover.
pub fn config_text(run: &crate::run::RunInfo, lang: Lang) -> String {
    let used = match (&run.config, lang) {
        (None, Lang::Ja) => "設定ファイルなし（既定値）".to_string(),
        (None, Lang::En) => "no kijun.toml (defaults)".to_string(),
        (Some(c), _) => {
            let file = inert(&c.path);
            let hash = c.sha256.get(..16).unwrap_or(&c.sha256);
            match (c.in_tree, lang) {
                (true, Lang::Ja) => format!("{file}（検査対象内の設定、SHA-256 {hash}…）"),
                (true, Lang::En) => format!("{file} (found in the scanned tree, SHA-256 {hash}…)"),
                (false, Lang::Ja) => format!("{file}（--config で指定、SHA-256 {hash}…）"),
                (false, Lang::En) => format!("{file} (given with --config, SHA-256 {hash}…)"),
            }
        }
    };
    match (run.isolated, lang) {
        (false, _) => used,
        (true, Lang::Ja) => format!(
            "隔離モード: 検査対象内の kijun.toml・例外台帳・プラグイン設定は読み込んでいません。{used}"
        ),
        (true, Lang::En) => format!(
            "isolated: no kijun.toml, ledger or plugin setting of the scanned tree was read; {used}"
        ),
    }
}

/// The effective configuration as (label, value) rows for a report's cover: enough to run the
/// same scan again.
pub fn run_rows(run: &crate::run::RunInfo, lang: Lang) -> Vec<(&'static str, String)> {
    let t = |ja, en| tr(lang, ja, en);
    let none = t("なし", "none");
    let list = |v: &[String]| {
        if v.is_empty() {
            none.to_string()
        } else {
            inert(&v.join(", ")).into_owned()
        }
    };
    let pairs = |v: &[(String, String)]| {
        if v.is_empty() {
            none.to_string()
        } else {
            inert(
                &v.iter()
                    .map(|(k, x)| format!("{k}={x}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .into_owned()
        }
    };
    let mut rows = vec![(t("設定", "Configuration"), config_text(run, lang))];
    rows.push((
        t("例外台帳", "Exception ledger"),
        match &run.ledger {
            Some((p, h)) => format!("{} (SHA-256 {}…)", inert(p), h.get(..16).unwrap_or(h)),
            None => none.to_string(),
        },
    ));
    rows.push((
        t("許可リージョン", "Allowed regions"),
        run.allowed_regions
            .iter()
            .map(|(c, r)| format!("{c}: {}", list(r)))
            .collect::<Vec<_>>()
            .join("; "),
    ));
    rows.push((t("除外したパス", "Excluded paths"), list(&run.excluded)));
    rows.push((
        t("規則の選択", "Rule selection"),
        match lang {
            Lang::Ja => format!(
                "指定 {}、除外 {}、条項 {}、重要度のしきい値 {}",
                list(&run.only_rules),
                list(&run.skip_rules),
                list(&run.articles),
                run.severity_threshold.map_or(none, |s| s.as_str())
            ),
            Lang::En => format!(
                "only {}; skipped {}; articles {}; severity threshold {}",
                list(&run.only_rules),
                list(&run.skip_rules),
                list(&run.articles),
                run.severity_threshold.map_or(none, |s| s.as_str())
            ),
        },
    ));
    rows.push((
        t("未実施の規則", "Rules not run"),
        if run.not_run.is_empty() {
            none.to_string()
        } else {
            let ids: Vec<String> = run.not_run.iter().map(|n| n.rule_id.clone()).collect();
            format!("{} ({})", run.not_run.len(), ids.join(", "))
        },
    ));
    rows.push((
        t("変数・パラメータ", "Variables and parameters"),
        match lang {
            Lang::Ja => format!(
                "--var {}、--var-file {}、--parameter {}",
                pairs(&run.vars),
                list(&run.var_files),
                pairs(&run.parameters)
            ),
            Lang::En => format!(
                "--var {}; --var-file {}; --parameter {}",
                pairs(&run.vars),
                list(&run.var_files),
                pairs(&run.parameters)
            ),
        },
    ));
    rows.push((t("基準日", "Date judged against"), run.now.clone()));
    rows
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
    /// For an object read from a cluster (`cluster://…`): the JSON path of the offending field
    /// (`spec.template.spec.hostNetwork`), which locates it where a line cannot (see
    /// [`json_path`]).
    pub json_path: Option<String>,
}

impl Loc {
    /// Where a person looks: `path:line` (`path:line:column` with `column`), or for an object
    /// read from a cluster `cluster://<context>/<namespace>/<Kind>/<name>#<JSON path>`.
    pub fn place(&self, column: bool) -> String {
        match &self.json_path {
            Some(p) if p.is_empty() => self.path.clone(),
            Some(p) => format!("{}#{p}", self.path),
            None if column => format!("{}:{}:{}", self.path, self.line, self.column),
            None => format!("{}:{}", self.path, self.line),
        }
    }
}

pub fn loc(o: &Outcome, at: Origin) -> Loc {
    let (line, column, end_line, end_column) = o.sources.position(at);
    Loc {
        path: o.sources.path(at.file).to_string(),
        line,
        column,
        end_line,
        end_column,
        json_path: json_path(o, at),
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

/// Characters from scanned content (or a plugin's answer) that must never reach a terminal, a
/// CI log or a rendered page as themselves: C0 controls, DEL, C1 controls, the bidirectional
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the "Trojan Source"
/// characters) and the Unicode line and paragraph separators. Tab stays; line breaks stay only
/// where the caller keeps the lines of a source text.
/// why: a value such as `us-east-1\u{1b}[2J\u{1b}]52;c;…\u{7}` would clear the screen and write
/// the clipboard of the developer running the pre-commit hook, or reorder what a reviewer reads.
pub fn is_unsafe_char(c: char, keep_line_breaks: bool) -> bool {
    match c {
        '\t' => false,
        '\n' | '\r' => !keep_line_breaks,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

/// `s` with every unsafe character (see [`is_unsafe_char`]) shown as its Rust escape (`\u{1b}`),
/// line breaks included: untrusted text made inert for a one-line field of any report.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    inert_with(s, false)
}

/// [`inert`], keeping `\n` and `\r` when `keep_line_breaks` (a source text's lines).
pub fn inert_with(s: &str, keep_line_breaks: bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe_char(c, keep_line_breaks)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_char(c, keep_line_breaks) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text escaped for XML and HTML content and attribute values. Unsafe characters (see
/// [`is_unsafe_char`]; XML 1.0 cannot even carry most of them) are shown escaped (`\u{1b}`);
/// tab and line breaks stay, as they carry no markup.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_unsafe_char(c, true) => out.extend(c.escape_unicode()),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Untrusted text as one Markdown code span it cannot close: the fence is longer than any run
/// of backticks inside, pipes are escaped for table cells, and unsafe characters (line breaks
/// included) are shown escaped, so the text starts no block, link, mention or HTML.
pub fn md_code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let s = inert(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick (or a space) needs a space of padding, which
    // CommonMark strips again.
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A message for a Markdown table cell: kijun's own `code` spans stay code spans, the prose
/// between them has every Markdown-active character backslash-escaped, and a word that GitHub
/// would turn into a link or a mention on its own (`@name`, `https://…`, `www.…`) becomes a
/// code span, since GitHub links those even when escaped. Values inside messages come from the
/// scanned tree, so nothing in them may become markup.
pub fn md_text(s: &str) -> String {
    let s = inert(s);
    let parts: Vec<&str> = s.split('`').collect();
    // An odd number of backticks leaves the last part unpaired: it is prose.
    let paired = parts.len() % 2 == 1;
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1 && (paired || i + 1 < parts.len());
        if code {
            out.push_str(&md_code(part));
            continue;
        }
        if i % 2 == 1 {
            out.push_str("\\`");
        }
        for (j, word) in part.split(' ').enumerate() {
            if j > 0 {
                out.push(' ');
            }
            let lower = word.to_ascii_lowercase();
            if word.contains('@') || lower.contains("://") || lower.contains("www.") {
                out.push_str(&md_code(word));
                continue;
            }
            for c in word.chars() {
                if matches!(
                    c,
                    '\\' | '*'
                        | '_'
                        | '['
                        | ']'
                        | '<'
                        | '>'
                        | '~'
                        | '#'
                        | '!'
                        | '|'
                        | '&'
                        | '$'
                        | '`'
                ) {
                    out.push('\\');
                }
                out.push(c);
            }
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
            escape_xml("<a href=\"x\">&'\u{1}\n\u{202e}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\u{1}\n\\u{202e}"
        );
    }

    #[test]
    fn inert_text_escapes_controls_and_bidi_but_not_ordinary_text() {
        assert_eq!(
            inert("us-east-1\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\n::error::x\u{85}\u{2066}"),
            "us-east-1\\u{1b}[2J\\u{1b}]52;c;aGk=\\u{7}\\u{a}::error::x\\u{85}\\u{2066}"
        );
        assert!(matches!(
            inert("東京 ap-northeast-1\t"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(inert_with("a\r\nb\u{0}", true), "a\r\nb\\u{0}");
    }

    #[test]
    fn markdown_values_cannot_become_markup() {
        // A code span holding backticks gets a longer fence and padding.
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x`"), "`` `x` ``");
        assert_eq!(md_code("a|b\nc"), "`a\\|b\\u{a}c`");
        // Kijun's own code spans stay; links, mentions, HTML and emphasis in prose are inert.
        assert_eq!(
            md_text("Bucket `b` is in [x](https://e.x) for @team <img> *now*"),
            "Bucket `b` is in `[x](https://e.x)` for `@team` \\<img\\> \\*now\\*"
        );
        // An unpaired backtick cannot open a span that swallows the rest of the row.
        assert_eq!(md_text("a ` b"), "a \\` b");
        assert_eq!(md_text("x\n## heading"), r"x\\u{a}\#\# heading");
    }
}

/// Findings that share one root cause: the same rule, and the offending value set at one
/// place (one provider `region`, one variable) for all of them. Fixing that line fixes them
/// all, so the text and HTML reports show them under one heading.
#[derive(Debug)]
pub struct CauseGroup<'a> {
    /// The place the value came from, as the first member carries it.
    pub related: &'a crate::Related,
    /// The findings, in report order.
    pub members: Vec<&'a Finding>,
}

impl CauseGroup<'_> {
    /// The detail every member shares ("`region` is us-east-1 …"), said once for the group;
    /// `None` when members say different things.
    pub fn shared_detail(&self) -> Option<&str> {
        let first = self.members.first()?.detail.as_str();
        self.members
            .iter()
            .all(|f| f.detail == first)
            .then_some(first)
    }

    /// The most severe member's severity: the group is as serious as its worst finding.
    pub fn severity(&self) -> Severity {
        self.members
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info)
    }
}

/// One entry of a report listing: a finding on its own, or a group sharing a root cause.
#[derive(Debug)]
pub enum Entry<'a> {
    One(&'a Finding),
    Group(CauseGroup<'a>),
}

/// Groups `list` by root cause. A finding whose value came from exactly one other place forms
/// a group with every finding of the same rule and status whose value came from that same
/// place, when there are at least two; the group stands where its first member stood, and
/// every other finding stays where it was.
pub fn by_cause<'a>(list: &[&'a Finding]) -> Vec<Entry<'a>> {
    use std::collections::HashMap;
    type Key<'k> = (&'k str, Origin, &'k str, &'static str);
    let key = |f: &'a Finding| -> Option<Key<'a>> {
        match f.related.as_slice() {
            [one] => Some((
                &*f.rule_id,
                one.from.at,
                one.from.via.as_str(),
                f.status.as_str(),
            )),
            _ => None,
        }
    };
    let mut groups: HashMap<Key<'a>, Vec<&'a Finding>> = HashMap::new();
    for f in list {
        if let Some(k) = key(f) {
            groups.entry(k).or_default().push(f);
        }
    }
    let mut out = Vec::with_capacity(list.len());
    for f in list {
        match key(f).map(|k| (groups.get(&k).map_or(0, Vec::len), k)) {
            // A later member of a group already listed.
            Some((0, _)) => {}
            Some((n, k)) if n > 1 => {
                if let (Some((_, members)), Some(related)) =
                    (groups.remove_entry(&k), f.related.first())
                {
                    out.push(Entry::Group(CauseGroup { related, members }));
                }
            }
            _ => out.push(Entry::One(f)),
        }
    }
    out
}

/// The source text of a place, on one line and cut to a readable length: the value a root
/// cause sets (`"us-east-1"`).
pub fn origin_text(o: &Outcome, at: Origin) -> String {
    let text = o
        .sources
        .get(at.file)
        .and_then(|f| f.text.get(at.start as usize..at.end as usize))
        .unwrap_or("");
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = one_line.chars().take(60).collect();
    let cut = if cut.len() < one_line.len() {
        format!("{cut}…")
    } else {
        cut
    };
    inert(&cut).into_owned()
}

/// "provider aws.dr, "us-east-1" (terraform.tfvars:1:10): 14 resources": what a group of
/// findings sharing a root cause says in its heading.
pub fn cause_heading(o: &Outcome, g: &CauseGroup<'_>, lang: Lang) -> String {
    let at = g.related.from.at;
    let (l, c, _, _) = o.sources.position(at);
    let place = format!("{}:{l}:{c}", inert(o.sources.path(at.file)));
    let value = origin_text(o, at).replace('`', "'");
    let via = inert(&g.related.from.via).replace('`', "'");
    // Names, values and places as code spans, as messages write attribute names.
    let what = match (via.is_empty(), value.is_empty()) {
        (false, false) => format!("`{via}`{}`{value}`", tr(lang, "、", ", ")),
        (false, true) => format!("`{via}`"),
        (true, _) => format!("`{value}`"),
    };
    let place = format!("`{}`", place.replace('`', "'"));
    let n = g.members.len();
    match lang {
        Lang::Ja => format!("{what}（{place}）: {n} リソース"),
        Lang::En => format!("{what} ({place}): {n} resources"),
    }
}

/// "related: terraform.tfvars:1:10 — var.region: value set here": one line per place a
/// finding's value came from, for plain-text renderings.
pub fn related_lines(o: &Outcome, f: &Finding) -> Vec<String> {
    f.related
        .iter()
        .map(|r| {
            let (l, c, _, _) = o.sources.position(r.from.at);
            let text = crate::related_text(r, o.lang);
            format!(
                "{} {}:{l}:{c} — {}",
                tr(o.lang, "関連:", "related:"),
                inert(o.sources.path(r.from.at.file)),
                inert(&text)
            )
        })
        .collect()
}

/// "fails in roots: a, b (not in: c)": which calling roots a module finding holds for.
pub fn roots_line(f: &Finding, lang: Lang) -> Option<String> {
    // Said only where several roots reach the module: with one, it is the only root there is.
    if f.roots.is_empty() || f.roots.len() + f.passing_roots.len() < 2 {
        return None;
    }
    let code = |v: &[String]| -> String {
        let items: Vec<String> = v
            .iter()
            .map(|x| format!("`{}`", inert(x).replace('`', "'")))
            .collect();
        items.join(", ")
    };
    let failing = code(&f.roots);
    let passing = code(&f.passing_roots);
    Some(match (lang, passing.is_empty()) {
        (Lang::Ja, true) => format!("違反となるルート: {failing}"),
        (Lang::Ja, false) => {
            format!("違反となるルート: {failing}（違反とならないルート: {passing}）")
        }
        (Lang::En, true) => format!("fails in roots: {failing}"),
        (Lang::En, false) => format!("fails in roots: {failing} (not in: {passing})"),
    })
}
