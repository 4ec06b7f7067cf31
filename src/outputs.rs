//! `--format`/`--output` handling of `kijun check`: which report goes where, the report context
//! the pure renderers cannot know (date, command line, repository), writing the files and the
//! GitHub job summary, and the progress line on a terminal.

use kijun_engine::report::{self, ReportContext};
use kijun_engine::Outcome;
use kijun_model::{text, Text};
use std::io::{IsTerminal, Write};

/// Every format `--format` accepts.
pub const FORMATS: [&str; 9] = [
    "text", "compact", "json", "sarif", "junit", "github", "gitlab", "markdown", "html",
];

/// Whether the text report on standard output is coloured: never with `NO_COLOR`; always with
/// `FORCE_COLOR` or `CLICOLOR_FORCE` (set, not empty and not `0`); otherwise on a terminal
/// whose `TERM` is not `dumb`.
pub fn use_color(to_terminal: bool) -> bool {
    let set = |v: &str| std::env::var(v).is_ok_and(|x| !x.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if ["FORCE_COLOR", "CLICOLOR_FORCE"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|x| !x.is_empty() && x != "0"))
    {
        return true;
    }
    to_terminal && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// The width the text report wraps at: `COLUMNS`, else the terminal's, else 120.
pub fn text_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .map(|(terminal_size::Width(w), _)| usize::from(w))
                .filter(|w| *w >= 40)
        })
        .unwrap_or(120)
}

/// One report to produce: a format and its file, or standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub format: String,
    pub output: Option<String>,
}

/// Why a report file could not be written (the system's reason quoted as it is).
pub fn cannot_write(file: &str, e: &std::io::Error) -> Text {
    text!(
        "{file} に書き込めません: 「{e}」",
        "cannot write {file}: {e}"
    )
}

/// Pairs `--format` and `--output` by their position on the command line: each `--output`
/// belongs to the `--format` just before it (or to the first one, when it comes before every
/// `--format`); formats without an output go to standard output, and at most one may.
/// `formats` and `outputs` are (argument index, value).
pub fn pair(formats: &[(usize, String)], outputs: &[(usize, String)]) -> Result<Vec<Target>, Text> {
    let mut targets: Vec<Target> = formats
        .iter()
        .map(|(_, f)| Target {
            format: f.clone(),
            output: None,
        })
        .collect();
    if targets.is_empty() {
        targets.push(Target {
            format: "text".into(),
            output: None,
        });
    }
    for (oi, file) in outputs {
        let slot = formats.iter().rposition(|(fi, _)| fi < oi).unwrap_or(0);
        let Some(t) = targets.get_mut(slot) else {
            return Err(text!(
                "--output {file}: 書き出す --format がありません",
                "--output {file}: no --format to write"
            ));
        };
        if let Some(prev) = &t.output {
            let format = &t.format;
            return Err(text!(
                "--output {file}: --format {format} はすでに {prev} に書き出します。各 --output はその --format の直後に置いてください",
                "--output {file}: --format {format} already writes to {prev}; put each --output right after its --format"
            ));
        }
        t.output = Some(file.clone());
    }
    let stdout: Vec<&str> = targets
        .iter()
        .filter(|t| t.output.is_none())
        .map(|t| t.format.as_str())
        .collect();
    if stdout.len() > 1 {
        let list = stdout.join(", ");
        return Err(text!(
            "標準出力に書き出せる形式は一つだけです（指定: {list}）。ほかの形式には --output FILE を指定してください",
            "only one format can go to standard output, not {list} (give the others an --output FILE)"
        ));
    }
    Ok(targets)
}

/// The command line as typed, quoted where a shell would need it.
pub fn invocation() -> String {
    let mut parts = vec!["kijun".to_string()];
    for a in std::env::args().skip(1) {
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_alphanumeric() || "-_./=:,@%+".contains(c));
        parts.push(if plain {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        });
    }
    parts.join(" ")
}

/// The repository's name: CI's (`GITHUB_REPOSITORY`, `CI_PROJECT_PATH`), else the directory
/// holding `.git` above the first path, else the current directory's name.
pub fn repository(first_path: &str) -> String {
    for var in ["GITHUB_REPOSITORY", "CI_PROJECT_PATH"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return v;
            }
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let start = cwd.join(first_path);
    let mut dir = if start.is_dir() {
        start
    } else {
        start
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| cwd.clone())
    };
    let dir_name = |p: &std::path::Path| {
        p.canonicalize()
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    loop {
        if dir.join(".git").exists() {
            if let Some(n) = dir_name(&dir) {
                return n;
            }
        }
        if !dir.pop() {
            break;
        }
    }
    dir_name(&cwd).unwrap_or_else(|| ".".into())
}

pub fn context(
    scan_date: String,
    first_path: &str,
    classification: kijun_engine::Classification,
) -> ReportContext {
    ReportContext {
        scan_date,
        invocation: invocation(),
        repository: repository(first_path),
        classification,
        ..ReportContext::default()
    }
}

pub fn render(format: &str, o: &Outcome, ctx: &ReportContext, color: bool) -> String {
    match format {
        "json" => kijun_engine::json::render(o),
        "sarif" => report::sarif::render(o, ctx),
        "junit" => report::junit::render(o, ctx),
        "github" => report::github::render(o, ctx),
        "gitlab" => report::gitlab::render(o, ctx),
        "markdown" => report::markdown::render(o, ctx),
        "html" => report::html::render(o, ctx),
        "compact" => crate::text::compact(o, ctx),
        _ => crate::text::render(o, &crate::text::Style::new(color, ctx)),
    }
}

/// Writes every report; the first failure to write is returned as a message.
pub fn write_all(targets: &[Target], o: &Outcome, ctx: &ReportContext) -> Result<(), Text> {
    for t in targets {
        let color =
            t.format == "text" && t.output.is_none() && use_color(std::io::stdout().is_terminal());
        if t.format == "json" || t.format == "text" {
            // why: the JSON and text reports of a large scan are tens of MB; they are written
            // as they are produced rather than built in memory first.
            let stream = |w: &mut dyn Write| {
                if t.format == "json" {
                    kijun_engine::json::write(o, w)
                } else {
                    crate::text::write(o, &crate::text::Style::new(color, ctx), w)
                }
            };
            let written = match &t.output {
                Some(file) => std::fs::File::create(file)
                    .and_then(|mut f| stream(&mut f))
                    .map_err(|e| cannot_write(file, &e)),
                None => {
                    // A closed pipe (`kijun check | head`) is not an error of the scan.
                    let _ = stream(&mut std::io::stdout().lock());
                    Ok(())
                }
            };
            written?;
            continue;
        }
        let rendered = render(&t.format, o, ctx, color);
        match &t.output {
            Some(file) => std::fs::write(file, rendered).map_err(|e| cannot_write(file, &e))?,
            None => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(rendered.as_bytes());
                let _ = out.flush();
            }
        }
    }
    if targets.iter().any(|t| t.format == "github") {
        // GitHub shows this file on the run's summary page.
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let summary = report::github::summary(o, ctx);
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(summary.as_bytes()));
            if let Err(e) = written {
                let shown = std::path::Path::new(&path).display().to_string();
                return Err(text!(
                    "GITHUB_STEP_SUMMARY（{shown}）に追記できません: 「{e}」",
                    "cannot append to GITHUB_STEP_SUMMARY ({shown}): {e}"
                ));
            }
        }
    }
    // A machine format written to a file says nothing on the terminal: one line on stderr does.
    let machine_to_file = targets
        .iter()
        .any(|t| t.output.is_some() && t.format != "text");
    let text_on_stdout = targets
        .iter()
        .any(|t| t.output.is_none() && (t.format == "text" || t.format == "compact"));
    if machine_to_file && !text_on_stdout {
        eprint!("{}", crate::text::summary_line(o));
    }
    Ok(())
}

/// "scanning N files…" on a terminal, for text output only; never in machine output or a log.
pub struct Progress {
    on: bool,
}

impl Progress {
    pub fn new(targets: &[Target]) -> Progress {
        Progress {
            on: std::io::stderr().is_terminal() && targets.iter().all(|t| t.format == "text"),
        }
    }

    pub fn show(&self, lang: kijun_model::Lang, files: usize) {
        if self.on {
            let msg = match lang {
                kijun_model::Lang::Ja => format!("kijun: {files} ファイルを検査中…"),
                kijun_model::Lang::En => format!("kijun: scanning {files} files…"),
            };
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K{msg}");
            let _ = e.flush();
        }
    }

    pub fn clear(&self) {
        if self.on {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    fn t(f: &str, o: Option<&str>) -> Target {
        Target {
            format: f.into(),
            output: o.map(String::from),
        }
    }

    fn args(v: &[(usize, &str)]) -> Vec<(usize, String)> {
        v.iter().map(|(i, s)| (*i, s.to_string())).collect()
    }

    #[test]
    fn outputs_follow_their_format() {
        let p = pair(
            &args(&[(3, "sarif"), (7, "text")]),
            &args(&[(5, "k.sarif")]),
        )
        .unwrap();
        assert_eq!(p, vec![t("sarif", Some("k.sarif")), t("text", None)]);
        // An output before any format belongs to the first.
        let p = pair(&args(&[(5, "json")]), &args(&[(3, "o.json")])).unwrap();
        assert_eq!(p, vec![t("json", Some("o.json"))]);
        // No format: text.
        let p = pair(&[], &args(&[(3, "o.txt")])).unwrap();
        assert_eq!(p, vec![t("text", Some("o.txt"))]);
        assert_eq!(pair(&[], &[]).unwrap(), vec![t("text", None)]);
    }

    #[test]
    fn ambiguous_pairings_are_usage_errors() {
        assert!(pair(&args(&[(1, "sarif"), (3, "json")]), &[]).is_err());
        assert!(pair(
            &args(&[(1, "sarif"), (3, "json")]),
            &args(&[(5, "a"), (7, "b")])
        )
        .is_err());
    }
}
