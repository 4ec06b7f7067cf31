//! The `kijun` command: finds files, reads them, runs the pure engine and prints the result.
//! All file-system access of the product lives here.

#[cfg(feature = "cluster")]
mod cluster;
mod filesrc;
mod fsio;
mod help_ja;
mod inputs;
mod outputs;
mod plugins;
mod text;
mod usage;

// why: the evaluator allocates many small values; mimalloc measured faster than the system
// allocator on the benchmark tree (docs/performance.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use kijun_engine::{ClassSource, Classification, Document, Options};
use kijun_model::{text, Lang, Text};
use kijun_rules::{catalogue, Severity};
use std::io::Read;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kijun",
    version,
    about = "Compliance linter for infrastructure-as-code against 情報セキュリティ細則 / checks IaC against the information-security rulebook"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (`-` reads standard input).
    Check(Box<CheckArgs>),
    /// Check a running Kubernetes cluster, read-only, through its API server (docs/cluster.md).
    #[cfg(feature = "cluster")]
    Cluster(Box<ClusterCmd>),
    /// List the rule catalogue.
    Rules {
        /// Only rules citing this article (`133`) or paragraph (`133-1-1`).
        #[arg(long)]
        article: Option<String>,
        /// Only rules for this platform.
        #[arg(long, value_parser = PLATFORMS)]
        platform: Option<String>,
        /// Output format: text, json, or markdown (the table of docs/rules.md).
        #[arg(long, default_value = "text", value_parser = ["text", "json", "markdown"])]
        format: String,
        /// Language of titles: ja or en (default: from LC_ALL, LC_MESSAGES or LANG).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Which articles are checked, partly checked, or need manual evidence.
    Coverage {
        /// Output format: text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Language: ja or en (default: from LC_ALL, LC_MESSAGES or LANG).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Print a shell completion script (e.g. `kijun completions bash > ~/.local/share/bash-completion/completions/kijun`).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_parser = ["bash", "zsh", "fish", "elvish", "powershell"])]
        shell: String,
    },
    /// Write a commented kijun.toml in the current directory.
    Init {
        /// Overwrite an existing kijun.toml.
        #[arg(long)]
        force: bool,
    },
    /// Show a rule's documentation.
    Explain {
        /// The rule's id (`KJ-E1-001`) or name (`ebs-volume-unencrypted`).
        rule: String,
        /// Language: ja or en (default: from LC_ALL, LC_MESSAGES or LANG).
        #[arg(long)]
        lang: Option<String>,
    },
    /// The tool version, the catalogue version and the rulebook edition (for reports and bug
    /// reports; `--version` prints the same as text).
    Version {
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
}

/// `kijun --version` and `kijun version`: which build, which catalogue, which rulebook.
fn version_text() -> String {
    format!(
        "{}\ncatalogue {}\nrulebook {}",
        env!("CARGO_PKG_VERSION"),
        kijun_rules::CATALOGUE_VERSION,
        kijun_rules::RULEBOOK
    )
}

fn version_json() -> serde_json::Value {
    serde_json::json!({
        "name": "kijun",
        "version": env!("CARGO_PKG_VERSION"),
        "catalogue": kijun_rules::CATALOGUE_VERSION,
        "rulebook": kijun_rules::RULEBOOK,
        "rules": catalogue().rules.len(),
        "target": format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
    })
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to scan; `-` for standard input.
    #[arg(default_value = ".")]
    paths: Vec<String>,
    /// Output format: text, compact (one line per finding), json, sarif, junit, github, gitlab,
    /// markdown or html (the handover report). Repeatable; each --output FILE after a --format
    /// writes that format to FILE. [env: KIJUN_FORMAT, comma-separated, when no -f is given]
    #[arg(short = 'f', long, value_parser = outputs::FORMATS)]
    format: Vec<String>,
    /// Write the preceding --format to this file instead of standard output (repeatable).
    #[arg(short = 'o', long)]
    output: Vec<String>,
    /// Language of messages: ja or en (default: from LC_ALL, LC_MESSAGES, then LANG; Japanese
    /// when it starts with "ja").
    #[arg(long, env = "KIJUN_LANG")]
    lang: Option<String>,
    /// Project classification, e.g. `c=3,i=2,a=2` (default 2/2/2).
    #[arg(long, env = "KIJUN_CLASSIFICATION")]
    classification: Option<String>,
    /// Terraform variable `name=value` (repeatable).
    #[arg(long = "var")]
    vars: Vec<String>,
    /// CloudFormation/ARM template parameter `Name=Value` (repeatable).
    #[arg(long = "parameter")]
    parameters: Vec<String>,
    /// Terraform variables file (repeatable).
    #[arg(long = "var-file")]
    var_files: Vec<String>,
    /// Only this rule (id or name; repeatable).
    #[arg(long = "rule")]
    rules: Vec<String>,
    /// Skip this rule (id or name; repeatable).
    #[arg(long = "skip-rule")]
    skip_rules: Vec<String>,
    /// Only rules citing this article (`133` or `133-1-1`; repeatable).
    #[arg(long = "article")]
    articles: Vec<String>,
    /// Report only findings at or above this severity: info, low, medium, high (the others are
    /// hidden, and their rules are reported as not run).
    #[arg(long, env = "KIJUN_SEVERITY_THRESHOLD")]
    severity_threshold: Option<String>,
    /// Exit with 1 only for failing findings at or above this severity (info, low, medium,
    /// high); all findings are still reported. Unreadable files still exit with 1.
    #[arg(long, env = "KIJUN_FAIL_ON")]
    fail_on: Option<String>,
    /// Exit with 0 whatever is found (usage and configuration errors still exit with 2).
    #[arg(long, env = "KIJUN_SOFT_FAIL")]
    soft_fail: bool,
    /// Text output: only failing findings, input errors and the summary.
    #[arg(short = 'q', long, env = "KIJUN_QUIET")]
    quiet: bool,
    /// Format of standard input (`-`): terraform, kubernetes, cloudformation, arm or plan
    /// (default: from --stdin-filename's extension, else terraform).
    #[arg(long, value_parser = ["terraform", "kubernetes", "cloudformation", "arm", "plan"])]
    stdin_format: Option<String>,
    /// The name standard input is reported under (e.g. `chart/rendered.yaml`).
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Configuration file (default: kijun.toml found upward from the first path, within the
    /// project root).
    #[arg(long, env = "KIJUN_CONFIG")]
    config: Option<String>,
    /// The date exceptions are judged against, YYYY-MM-DD (default: today, UTC).
    #[arg(long, env = "KIJUN_NOW")]
    now: Option<String>,
    /// Report findings recorded in this baseline as baselined; fail only on new ones.
    #[arg(long, env = "KIJUN_BASELINE")]
    baseline: Option<String>,
    /// Record today's failing findings in this baseline file.
    #[arg(long)]
    write_baseline: Option<String>,
    /// Limit: largest file read, in bytes (larger files are reported, not read).
    #[arg(long, default_value_t = 64 << 20)]
    max_file_size: u64,
    /// Limit: most instances one count/for_each/dynamic may expand to.
    #[arg(long, default_value_t = 10_000)]
    max_instances: usize,
    /// Limit: lists and objects nested in one JSON or YAML document or one Terraform value
    /// (deeper input is reported, not read).
    #[arg(long, default_value_t = 256)]
    max_depth: usize,
    /// Limit: evaluation work per Terraform root module (one unit per expression evaluated, per
    /// value node copied or produced, per 64 bytes of string; past it the rest of the root is
    /// reported as not evaluated).
    #[arg(long, default_value_t = 4_000_000)]
    max_eval_work: u64,
    /// A WASM policy plugin to run besides `[plugins] paths` of kijun.toml (repeatable).
    #[arg(long = "plugin")]
    plugins: Vec<String>,
    /// Leave out files and directories matching this .gitignore-style pattern, relative to
    /// each scanned directory (repeatable; added to `[scan] exclude` of kijun.toml), e.g.
    /// `examples/**`, `test/`, `**/fixtures/**`. Listed in every report's run metadata.
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// The project root: what the scanned tree points at (links, the ledger and plugins of a
    /// kijun.toml found in it, module sources) is read only inside it. Default: the nearest
    /// directory at or above each path that holds .git or .hg, else the path itself.
    #[arg(long, env = "KIJUN_ROOT")]
    root: Option<String>,
    /// Ignore every kijun.toml found in the scanned tree (with the ledger and plugins it
    /// names): only --config and the command line decide. For checking someone else's
    /// deliverable, which could otherwise lower its own classification or skip rules.
    #[arg(long, env = "KIJUN_ISOLATED")]
    isolated: bool,
    /// Deployment context the code leaves open, KEY=VALUE (repeatable; overrides `[assume]`):
    /// aws_region, azure_resource_group_location, google_region.
    #[arg(long = "assume", env = "KIJUN_ASSUME", value_delimiter = ',')]
    assume: Vec<String>,
    /// Take namespace-wide facts (NetworkPolicies, PodDisruptionBudgets, Namespaces) from a
    /// running cluster as well; findings stay in the files (docs/cluster.md).
    #[cfg(feature = "cluster")]
    #[arg(long)]
    cluster: bool,
    #[cfg(feature = "cluster")]
    #[command(flatten)]
    cluster_conn: cluster::ClusterArgs,
}

/// `kijun cluster`: where to connect, and the report options of `kijun check`.
#[cfg(feature = "cluster")]
#[derive(clap::Args)]
struct ClusterCmd {
    #[command(flatten)]
    conn: cluster::ClusterArgs,
    /// Output format, as for `kijun check` (repeatable; pairs with --output).
    #[arg(long, value_parser = outputs::FORMATS)]
    format: Vec<String>,
    /// Write the preceding --format to this file instead of standard output (repeatable).
    #[arg(long)]
    output: Vec<String>,
    /// Language of messages: ja or en (default: from LANG).
    #[arg(long)]
    lang: Option<String>,
    /// Classification of the system the cluster runs, e.g. `c=3,i=2,a=2` (default 2/2/2).
    #[arg(long)]
    classification: Option<String>,
    /// Only this rule (id or name; repeatable).
    #[arg(long = "rule")]
    rules: Vec<String>,
    /// Skip this rule (id or name; repeatable).
    #[arg(long = "skip-rule")]
    skip_rules: Vec<String>,
    /// Only rules citing this article (repeatable).
    #[arg(long = "article")]
    articles: Vec<String>,
    /// Report only findings at or above this severity: info, low, medium, high.
    #[arg(long)]
    severity_threshold: Option<String>,
    /// Configuration file (kijun.toml: classification, exception ledger, rule settings).
    #[arg(long)]
    config: Option<String>,
    /// The date exceptions are judged against, YYYY-MM-DD (default: today, UTC).
    #[arg(long)]
    now: Option<String>,
    /// Report findings recorded in this baseline as baselined; fail only on new ones.
    #[arg(long)]
    baseline: Option<String>,
    /// Record today's failing findings in this baseline file.
    #[arg(long)]
    write_baseline: Option<String>,
    /// A WASM policy plugin to run (repeatable).
    #[arg(long = "plugin")]
    plugins: Vec<String>,
}

/// The platforms rules name (`kijun rules --platform`).
const PLATFORMS: [&str; 5] = [
    "terraform",
    "terraform-plan",
    "kubernetes",
    "cloudformation",
    "arm",
];

/// `--lang`, else the locale as POSIX orders it: LC_ALL, then LC_MESSAGES, then LANG (the first
/// that is set and not empty); Japanese when it starts with "ja".
fn lang_from(arg: Option<&str>) -> Result<Lang, Text> {
    match arg {
        Some(s) => Lang::parse(s).ok_or_else(|| {
            text!(
                "--lang は ja か en です（指定値: `{s}`）",
                "--lang must be ja or en, not {s}"
            )
        }),
        None => Ok(locale_lang()),
    }
}

/// The language of the locale: LC_ALL, then LC_MESSAGES, then LANG (the first that is set and
/// not empty); Japanese when it starts with "ja".
fn locale_lang() -> Lang {
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if env.starts_with("ja") {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// The language of the command's own messages (usage errors on stderr): `--lang` (or
/// KIJUN_LANG) when it is valid, else the locale's; a bad `--lang` is itself reported in the
/// locale's language.
fn message_lang(arg: Option<&str>) -> Lang {
    lang_from(arg).unwrap_or_else(|_| locale_lang())
}

/// `KIJUN_FORMAT` when no `--format` is given: comma-separated formats, each optionally
/// `format=FILE` (`sarif=kijun.sarif,text`).
fn env_targets() -> Result<Option<Vec<outputs::Target>>, Text> {
    let Some(v) = std::env::var("KIJUN_FORMAT")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(None);
    };
    let mut formats = Vec::new();
    let mut outputs_ = Vec::new();
    for (i, item) in v.split(',').map(str::trim).enumerate() {
        let (f, file) = match item.split_once('=') {
            Some((f, file)) => (f.trim(), Some(file.trim())),
            None => (item, None),
        };
        if !outputs::FORMATS.contains(&f) {
            let known = outputs::FORMATS.join(", ");
            return Err(text!(
                "KIJUN_FORMAT: 形式 `{f}` は不明です（使えるもの: {known}）",
                "KIJUN_FORMAT: unknown format {f} (one of {known})"
            ));
        }
        formats.push((2 * i, f.to_string()));
        if let Some(file) = file {
            outputs_.push((2 * i + 1, file.to_string()));
        }
    }
    outputs::pair(&formats, &outputs_).map(Some)
}

/// The exit code: 2 for usage errors (before this), else 1 for input errors or failing
/// findings (only those at or above `--fail-on`, when given), else 0; `--soft-fail` makes it 0.
fn exit_code(outcome: &kijun_engine::Outcome, fail_on: Option<Severity>, soft_fail: bool) -> i32 {
    if soft_fail {
        return 0;
    }
    let Some(min) = fail_on else {
        return outcome.exit_code();
    };
    let failing = outcome
        .findings
        .iter()
        .any(|f| kijun_engine::report::blocking(f) && f.severity >= min);
    i32::from(failing || !outcome.errors.is_empty())
}

/// The reported name and content kind of standard input: `--stdin-filename` (default `stdin`)
/// with the extension that makes `--stdin-format` read it (JSON or YAML templates by content).
fn stdin_path(format: Option<&str>, filename: Option<&str>, content: &[u8]) -> String {
    let name = filename.unwrap_or("stdin").to_string();
    let json = content
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'{');
    let ext = match format {
        None if kijun_engine::is_candidate(&name) => return name,
        None | Some("terraform") => "tf",
        Some("kubernetes") => "yaml",
        Some("cloudformation") if json => "json",
        Some("cloudformation") => "yaml",
        _ => "json",
    };
    let fits = match ext {
        "tf" => name.ends_with(".tf") || name.ends_with(".tf.json"),
        "yaml" => name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template"),
        _ => name.ends_with(".json") && !name.ends_with(".tf.json"),
    };
    if fits {
        name
    } else {
        format!("{name}.{ext}")
    }
}

fn parse_classification(s: &str) -> Result<Classification, Text> {
    let mut c = Classification {
        source: ClassSource::Config,
        ..Classification::default()
    };
    for part in s.split(',') {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            text!(
                "--classification には c=N,i=N,a=N を指定してください（指定値: `{part}`）",
                "--classification: expected c=N,i=N,a=N, got {part}"
            )
        })?;
        let n: u8 = v.trim().parse().map_err(|_| {
            text!(
                "--classification: `{v}` は格付の段階ではありません",
                "--classification: {v} is not a level"
            )
        })?;
        match k.trim() {
            "c" | "confidentiality" if (1..=3).contains(&n) => c.confidentiality = n,
            "i" | "integrity" if (1..=2).contains(&n) => c.integrity = n,
            "a" | "availability" if (1..=2).contains(&n) => c.availability = n,
            _ => {
                return Err(text!(
                    "--classification: `{part}` は範囲外です（c 1–3、i 1–2、a 1–2）",
                    "--classification: {part} is out of range (c 1–3, i 1–2, a 1–2)"
                ))
            }
        }
    }
    Ok(c)
}

fn parse_severity(s: &str) -> Result<Severity, Text> {
    Ok(match s {
        "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        _ => {
            return Err(text!(
                "重大度は info、low、medium、high のいずれかです（指定値: `{s}`）",
                "severity must be info, low, medium or high, not {s}"
            ))
        }
    })
}

/// A usage or configuration error: the message on stderr in `lang`, exit code 2.
fn usage(lang: Lang, msg: &Text) -> ExitCode {
    eprintln!("kijun: {}", msg.get(lang));
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // why: parsers and evaluators bound their depth, but values are dropped, copied and printed
    // recursively on the worker threads; their stacks get the room the main thread has.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build_global();
    // why: clap keeps the version as a `'static` string; it is built once per process.
    let version: &'static str = Box::leak(version_text().into_boxed_str());
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env_lang = std::env::var("KIJUN_LANG").ok();
    let lang = usage::command_lang(&args, env_lang.as_deref(), locale_lang());
    let mut command = Cli::command().version(version);
    if lang == Lang::Ja {
        command = help_ja::japanese(command);
    }
    let matches = match command.try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return usage::clap_error(e, lang),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Check(a) => {
            // --format and --output pair by position, which only the raw matches know.
            let sub = matches.subcommand_matches("check");
            let indexed = |id: &str, values: &[String]| -> Vec<(usize, String)> {
                let idx: Vec<usize> = sub
                    .and_then(|m| m.indices_of(id))
                    .map(|i| i.collect())
                    .unwrap_or_default();
                idx.into_iter().zip(values.iter().cloned()).collect()
            };
            let targets = match env_targets() {
                Ok(Some(t)) if a.format.is_empty() && a.output.is_empty() => Ok(t),
                Err(e) if a.format.is_empty() => Err(e),
                _ => outputs::pair(&indexed("format", &a.format), &indexed("output", &a.output)),
            };
            match targets {
                Ok(t) => run_check(*a, t),
                Err(e) => usage(message_lang(a.lang.as_deref()), &e),
            }
        }
        #[cfg(feature = "cluster")]
        Command::Cluster(c) => match report_targets(&matches, "cluster", &c.format, &c.output) {
            Ok(t) => run_cluster(*c, t),
            Err(e) => usage(message_lang(c.lang.as_deref()), &e),
        },
        Command::Rules {
            article,
            platform,
            format,
            lang,
        } => {
            let lang = match lang_from(lang.as_deref()) {
                Ok(l) => l,
                Err(e) => return usage(locale_lang(), &e),
            };
            print_rules(article.as_deref(), platform.as_deref(), &format, lang)
        }
        Command::Coverage { format, lang } => {
            let lang = match lang_from(lang.as_deref()) {
                Ok(l) => l,
                Err(e) => return usage(locale_lang(), &e),
            };
            if format == "json" {
                let v = kijun_engine::listing::coverage_json();
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print!("{}", kijun_engine::listing::coverage_text(lang));
            }
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            let shell = match shell.as_str() {
                "bash" => clap_complete::Shell::Bash,
                "zsh" => clap_complete::Shell::Zsh,
                "fish" => clap_complete::Shell::Fish,
                "elvish" => clap_complete::Shell::Elvish,
                _ => clap_complete::Shell::PowerShell,
            };
            clap_complete::generate(shell, &mut Cli::command(), "kijun", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Init { force } => {
            let path = std::path::Path::new("kijun.toml");
            if path.exists() && !force {
                return usage(
                    locale_lang(),
                    &text!(
                        "kijun.toml はすでにあります（上書きするには --force）",
                        "kijun.toml exists already (use --force to overwrite)"
                    ),
                );
            }
            match std::fs::write(path, kijun_engine::config::TEMPLATE) {
                Ok(()) => {
                    let done = text!("kijun.toml を書き出しました", "wrote kijun.toml");
                    println!("{}", done.get(locale_lang()));
                    ExitCode::SUCCESS
                }
                Err(e) => usage(locale_lang(), &outputs::cannot_write("kijun.toml", &e)),
            }
        }
        Command::Explain { rule, lang } => {
            let lang = match lang_from(lang.as_deref()) {
                Ok(l) => l,
                Err(e) => return usage(locale_lang(), &e),
            };
            match catalogue()
                .rules
                .iter()
                .find(|r| r.id == rule || r.name == rule)
            {
                Some(r) => {
                    print!("{}", kijun_engine::listing::explain_text(r, lang));
                    ExitCode::SUCCESS
                }
                None => usage(lang, &no_rule(&rule)),
            }
        }
        Command::Version { format } => {
            if format == "json" {
                println!("{:#}", version_json());
            } else {
                println!("kijun {}", version_text());
            }
            ExitCode::SUCCESS
        }
    }
}

/// The report targets of a subcommand: --format and --output pair by position, which only the
/// raw matches know.
#[cfg(feature = "cluster")]
fn report_targets(
    matches: &clap::ArgMatches,
    subcommand: &str,
    format: &[String],
    output: &[String],
) -> Result<Vec<outputs::Target>, Text> {
    let sub = matches.subcommand_matches(subcommand);
    let indexed = |id: &str, values: &[String]| -> Vec<(usize, String)> {
        let idx: Vec<usize> = sub
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default();
        idx.into_iter().zip(values.iter().cloned()).collect()
    };
    outputs::pair(&indexed("format", format), &indexed("output", output))
}

/// Documents and report details from beyond the file system (`kijun cluster`).
#[derive(Default)]
struct Extra {
    docs: Vec<Document>,
    /// What the report names as the scanned target instead of the repository.
    title: Option<String>,
    /// Adds to the outcome what the source knows (kinds not read).
    annotate: Option<Annotate>,
}

type Annotate = Box<dyn FnOnce(&mut kijun_engine::Outcome)>;

fn run_check(a: CheckArgs, targets: Vec<outputs::Target>) -> ExitCode {
    #[cfg(feature = "cluster")]
    if a.cluster {
        return run_check_with_cluster(a, targets);
    }
    run_scan(a, targets, Extra::default())
}

/// `kijun check PATH... --cluster`: the cluster's namespace-wide facts join the files; only the
/// files' findings are reported.
#[cfg(feature = "cluster")]
fn run_check_with_cluster(a: CheckArgs, targets: Vec<outputs::Target>) -> ExitCode {
    let mut scan = match cluster::read_context(&a.cluster_conn) {
        Ok(s) => s,
        Err(e) => return usage(message_lang(a.lang.as_deref()), &e),
    };
    let extra = Extra {
        docs: std::mem::take(&mut scan.docs),
        title: None,
        annotate: Some(Box::new(move |o: &mut kijun_engine::Outcome| {
            cluster::keep_file_findings(o);
            scan.annotate(o);
        })),
    };
    run_scan(a, targets, extra)
}

/// `kijun cluster`: the cluster's objects through the options and reports of `kijun check`.
#[cfg(feature = "cluster")]
fn run_cluster(c: ClusterCmd, targets: Vec<outputs::Target>) -> ExitCode {
    // The defaults of `kijun check` (limits, formats), then what this command was given.
    let mut a = match Cli::try_parse_from(["kijun", "check"]) {
        Ok(Cli {
            command: Command::Check(a),
        }) => *a,
        _ => {
            return usage(
                message_lang(c.lang.as_deref()),
                &text!(
                    "内部エラー: check の既定値がありません",
                    "internal error: no defaults for check"
                ),
            )
        }
    };
    a.paths = Vec::new();
    a.format = c.format;
    a.output = c.output;
    a.lang = c.lang;
    a.classification = c.classification;
    a.rules = c.rules;
    a.skip_rules = c.skip_rules;
    a.articles = c.articles;
    a.severity_threshold = c.severity_threshold;
    a.config = c.config;
    a.now = c.now;
    a.baseline = c.baseline;
    a.write_baseline = c.write_baseline;
    a.plugins = c.plugins;
    let mut scan = match cluster::read(&c.conn) {
        Ok(s) => s,
        Err(e) => return usage(message_lang(a.lang.as_deref()), &e),
    };
    let extra = Extra {
        docs: std::mem::take(&mut scan.docs),
        title: Some(scan.title()),
        annotate: Some(Box::new(move |o: &mut kijun_engine::Outcome| {
            scan.annotate(o)
        })),
    };
    run_scan(a, targets, extra)
}

fn run_scan(a: CheckArgs, targets: Vec<outputs::Target>, extra: Extra) -> ExitCode {
    // why: the handover report is a Japanese document unless English is asked for explicitly.
    // The command's own messages follow --lang, KIJUN_LANG or the locale, whatever the report.
    let ml = message_lang(a.lang.as_deref());
    let lang = match lang_from(a.lang.as_deref()) {
        Ok(_) if a.lang.is_none() && targets.iter().any(|t| t.format == "html") => Lang::Ja,
        Ok(l) => l,
        Err(e) => return usage(ml, &e),
    };
    let mut opts = Options {
        lang,
        ..Options::default()
    };
    let scope = match fsio::Scope::new(&a.paths, a.root.as_deref().map(std::path::Path::new)) {
        Ok(s) => s,
        Err(e) => return usage(ml, &e),
    };
    // Configuration first; command-line flags override it. A kijun.toml found in the scanned
    // tree is the tree's word: what it names is read only inside the project root, and
    // --isolated ignores it altogether.
    let first = a.paths.first().map(String::as_str).unwrap_or(".");
    let (config_path, from_tree) = match &a.config {
        Some(c) => (Some(std::path::PathBuf::from(c)), false),
        // A cluster scan has no tree: only --config names a kijun.toml.
        None if a.isolated || a.paths.is_empty() => (None, false),
        None => (find_config(first, &scope), true),
    };
    let tree_scope = from_tree.then_some(&scope);
    let mut plugin_config = None;
    if let Some(cp) = &config_path {
        let read = match tree_scope {
            Some(s) => fsio::read_text(cp, 1 << 20, s),
            None => std::fs::read_to_string(cp).map_err(|e| fsio::cannot_read(&e)),
        };
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                let shown = fsio::display_path(cp);
                return usage(ml, &text!("{shown}: {0}", "{shown}: {0}", e));
            }
        };
        let cfg = match kijun_engine::config::Config::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                let shown = fsio::display_path(cp);
                let (line, column) = (e.line, e.column);
                return usage(
                    ml,
                    &text!(
                        "{shown}:{line}:{column}: {0}",
                        "{shown}:{line}:{column}: {0}",
                        e.message
                    ),
                );
            }
        };
        opts.config_file = Some(kijun_engine::run::ConfigFile {
            path: fsio::display_path(cp),
            sha256: kijun_engine::report::sha256::hex(text.as_bytes()),
            in_tree: from_tree,
        });
        cfg.apply(&mut opts.settings);
        cfg.apply_assume(&mut opts.terraform.assume, &fsio::display_path(cp));
        opts.classification = cfg.classification();
        opts.classification_rules = cfg.classification.rules.clone();
        opts.skip_rules.extend(cfg.rules.skip.iter().cloned());
        opts.excluded.extend(cfg.scan.exclude.iter().cloned());
        if let Some(t) = &cfg.rules.severity_threshold {
            opts.severity_threshold = parse_severity(t).ok();
        }
        if let Some(l) = &cfg.exceptions.ledger {
            let base = cp.parent().unwrap_or(std::path::Path::new("."));
            let lp = base.join(l);
            let read = match tree_scope {
                Some(s) => fsio::read_text(&lp, a.max_file_size, s),
                None => std::fs::read_to_string(&lp).map_err(|e| fsio::cannot_read(&e)),
            };
            match read {
                Ok(t) => opts.ledger = Some((fsio::display_path(&lp), t)),
                Err(e) => {
                    let shown = fsio::display_path(&lp);
                    return usage(
                        ml,
                        &text!("例外台帳 {shown}: {0}", "exception ledger {shown}: {0}", e),
                    );
                }
            }
        }
        let base = cp
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf();
        plugin_config = Some((base, cfg.plugins.clone()));
    }
    let plugin_config = plugin_config.as_ref().map(|(b, c)| (b.as_path(), c));
    match plugins::load(plugin_config, &a.plugins, tree_scope) {
        Ok(p) => opts.extra_rules = p,
        Err(e) => return usage(ml, &e),
    }
    opts.now = match &a.now {
        Some(n) => match kijun_engine::exceptions::Date::parse(n) {
            Some(d) => Some(d),
            None => {
                return usage(
                    ml,
                    &text!(
                        "--now には日付を YYYY-MM-DD で指定してください（指定値: `{n}`）",
                        "--now must be a date YYYY-MM-DD, not {n}"
                    ),
                )
            }
        },
        None => Some(today()),
    };
    if let Some(b) = &a.baseline {
        let text = match std::fs::read_to_string(b) {
            Ok(t) => t,
            Err(e) => {
                return usage(
                    ml,
                    &text!(
                        "--baseline {b}: {0}",
                        "--baseline {b}: {0}",
                        fsio::cannot_read(&e)
                    ),
                )
            }
        };
        match kijun_engine::baseline::Baseline::parse(&text) {
            Ok(bl) => opts.baseline = Some(bl),
            Err(e) => return usage(ml, &text!("--baseline {b}: {0}", "--baseline {b}: {0}", e)),
        }
    }
    if let Some(c) = &a.classification {
        match parse_classification(c) {
            Ok(c) => opts.classification = c,
            Err(e) => return usage(ml, &e),
        }
    }
    if let Some(s) = &a.severity_threshold {
        match parse_severity(s) {
            Ok(s) => opts.severity_threshold = Some(s),
            Err(e) => {
                return usage(
                    ml,
                    &e.after(text!("--severity-threshold: ", "--severity-threshold: ")),
                )
            }
        }
    }
    for v in &a.vars {
        match v.split_once('=') {
            Some((k, val)) => opts
                .terraform
                .vars
                .push((k.trim().to_string(), val.to_string())),
            None => {
                return usage(
                    ml,
                    &text!(
                        "--var には name=value を指定してください（指定値: `{v}`）",
                        "--var needs name=value, got {v}"
                    ),
                )
            }
        }
    }
    for v in &a.parameters {
        match v.split_once('=') {
            Some((k, val)) => opts
                .parameters
                .push((k.trim().to_string(), val.to_string())),
            None => {
                return usage(
                    ml,
                    &text!(
                        "--parameter には Name=Value を指定してください（指定値: `{v}`）",
                        "--parameter needs Name=Value, got {v}"
                    ),
                )
            }
        }
    }
    for f in &a.var_files {
        match std::fs::read_to_string(f) {
            Ok(t) => opts
                .terraform
                .var_files
                .push((fsio::display_path(std::path::Path::new(f)), t)),
            Err(e) => {
                return usage(
                    ml,
                    &text!(
                        "--var-file {f}: {0}",
                        "--var-file {f}: {0}",
                        fsio::cannot_read(&e)
                    ),
                )
            }
        }
    }
    let fail_on = match a.fail_on.as_deref().map(parse_severity).transpose() {
        Ok(f) => f,
        Err(e) => return usage(ml, &e.after(text!("--fail-on: ", "--fail-on: "))),
    };
    let cat = catalogue();
    for r in a.rules.iter().chain(a.skip_rules.iter()) {
        if !cat.rules.iter().any(|x| &x.id == r || &x.name == r)
            && !plugins::may_declare(&opts.extra_rules, r)
        {
            return usage(ml, &no_rule(r));
        }
    }
    opts.only_rules = a.rules.clone();
    opts.skip_rules.extend(a.skip_rules.iter().cloned());
    opts.articles = a.articles.clone();
    opts.isolated = a.isolated;
    opts.terraform.limits.max_instances = a.max_instances;
    opts.terraform.limits.max_depth = a.max_depth;
    opts.terraform.limits.max_work = a.max_eval_work;
    for v in &a.assume {
        match kijun_engine::config::parse_assume_arg(v) {
            Ok((k, val)) => opts.terraform.assume.set(&k, &val, "--assume"),
            Err(e) => return usage(ml, &e),
        }
    }
    // The file functions read only inside the project roots, as every other file the tree names.
    opts.terraform.files = filesrc::for_scan(&a.paths, Some(scope.roots()), a.max_file_size);

    opts.excluded.extend(a.exclude.iter().cloned());
    let exclude = match fsio::Exclude::new(&opts.excluded) {
        Ok(e) => e,
        Err(e) => return usage(ml, &e.after(text!("--exclude: ", "--exclude: "))),
    };
    let mut docs: Vec<Document> = extra.docs;
    for p in &a.paths {
        if p == "-" {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                return usage(
                    ml,
                    &text!(
                        "標準入力を読めません: 「{e}」",
                        "cannot read standard input: {e}"
                    ),
                );
            }
            let path = stdin_path(a.stdin_format.as_deref(), a.stdin_filename.as_deref(), &buf);
            docs.push(fsio::decode(path, buf));
            continue;
        }
        let path = std::path::Path::new(p);
        if !path.exists() {
            return usage(
                ml,
                &text!(
                    "{p}: そのようなファイルやディレクトリはありません",
                    "{p}: no such file or directory"
                ),
            );
        }
        docs.extend(fsio::collect(path, a.max_file_size, &scope, &exclude));
    }
    let report = inputs::widen(&a.paths, &mut docs, a.max_file_size, &scope);
    let progress = outputs::Progress::new(&targets);
    progress.show(lang, docs.len());
    let loader = fsio::FsLoader::new(scope.clone(), a.max_file_size);
    let mut outcome = kijun_engine::check(docs, &loader, &opts);
    fsio::report_refused(&mut outcome, &loader);
    if let Some(r) = &report {
        inputs::restrict(&mut outcome, r);
    }
    if let Some(annotate) = extra.annotate {
        annotate(&mut outcome);
    }
    progress.clear();
    let code = exit_code(&outcome, fail_on, a.soft_fail);
    if let Some(wb) = &a.write_baseline {
        if let Err(e) = std::fs::write(wb, kijun_engine::baseline::Baseline::render(&outcome)) {
            return usage(ml, &outputs::cannot_write(wb, &e));
        }
    }
    let scan_date = opts.now.map(|d| d.to_string()).unwrap_or_default();
    let mut ctx = outputs::context(scan_date, first, opts.classification.clone());
    ctx.quiet = a.quiet;
    if let Some(t) = extra.title {
        ctx.repository = t;
    }
    if let Err(e) = outputs::write_all(&targets, &outcome, &ctx) {
        return usage(ml, &e);
    }
    // why: the process ends here; freeing a large scan's sources, findings and syntax piece by
    // piece took a tenth of the sequential end of a scan, and the operating system reclaims it
    // all at once anyway.
    std::mem::forget(outcome);
    ExitCode::from(code as u8)
}

/// An unknown rule id or name on the command line.
fn no_rule(rule: &str) -> Text {
    text!(
        "規則 `{rule}` はありません（一覧は `kijun rules`）",
        "no rule {rule}; `kijun rules` lists them"
    )
}

fn print_rules(
    article: Option<&str>,
    platform: Option<&str>,
    format: &str,
    lang: Lang,
) -> ExitCode {
    use kijun_engine::listing;
    if format == "markdown" {
        print!("{}", kijun_rules::docs::markdown());
        return ExitCode::SUCCESS;
    }
    let rules = listing::rules_matching(article, platform);
    if format == "json" {
        println!(
            "{}",
            serde_json::to_string_pretty(&listing::rules_json(&rules)).unwrap_or_default()
        );
    } else {
        print!("{}", listing::rules_text(&rules, lang));
    }
    ExitCode::SUCCESS
}

/// kijun.toml in the directory of `start` or the nearest parent within the project root (a
/// kijun.toml above the project is not the scanned project's).
fn find_config(start: &str, scope: &fsio::Scope) -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(start);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let dir = if abs.is_dir() {
        abs
    } else {
        abs.parent()?.to_path_buf()
    };
    let mut dir = std::fs::canonicalize(&dir).ok()?;
    let root = scope.roots().iter().find(|r| dir.starts_with(r))?;
    let mut steps = dir.strip_prefix(root).ok()?.components().count();
    loop {
        let c = dir.join("kijun.toml");
        if std::fs::symlink_metadata(&c).is_ok() {
            return Some(c);
        }
        if steps == 0 || !dir.pop() {
            return None;
        }
        steps -= 1;
    }
}

/// Today's date (UTC), from the system clock: the CLI passes it to the pure core as an input.
fn today() -> kijun_engine::exceptions::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    kijun_engine::exceptions::Date { year, month, day }
}
