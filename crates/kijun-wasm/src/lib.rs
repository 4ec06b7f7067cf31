//! The kijun WASM module: one JSON request in, one JSON response out, over the pure engine.
//!
//! ABI (wasm32-unknown-unknown, no imports): `kijun_abi_version() -> i32`, `kijun_alloc(len) ->
//! ptr`, `kijun_free(ptr, len)`, `kijun_call(ptr, len) -> i64` (response pointer << 32 | length),
//! `kijun_last_exit_code() -> i32` (the CLI's exit code for the last `kijun_call`).
//! The same [`handle`] serves the WASI command (stdin → stdout) and the native conformance tests,
//! so every host gets byte-identical answers. User errors come back as JSON, never as a trap.
//!
//! A check answers in the JSON output contract (version 1) by default; with `"format"` set to
//! one of the other report formats the answer is `{"format", "content", "exit_code"}` with the
//! rendered report as a string.

use kijun_engine::listing;
use kijun_engine::report::{self, ReportContext};
use kijun_engine::{config::Config, exceptions::Date, Document, Options};
use kijun_model::Lang;
use kijun_rules::{catalogue, Rule, Severity};
use serde_json::{json, Value};

pub const ABI_VERSION: i32 = 1;

fn error(message: impl Into<String>) -> (String, i32) {
    let v = json!({"version": 1, "error": {"message": message.into()}});
    (
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
        2,
    )
}

fn lang_of(req: &Value) -> Result<Lang, String> {
    match req.get("lang").and_then(|l| l.as_str()) {
        None => Ok(Lang::Ja),
        Some(s) => {
            Lang::parse(s).ok_or_else(|| format!("lang must be \"ja\" or \"en\", not {s:?}"))
        }
    }
}

/// Answers one request given as bytes (what the ABI and standard input carry): text that is not
/// UTF-8 is a user error like any other.
pub fn handle_bytes(request: &[u8]) -> (String, i32) {
    match std::str::from_utf8(request) {
        Ok(s) => handle(s),
        Err(e) => error(format!(
            "request is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        )),
    }
}

/// Answers one request. Returns the response text and the CLI exit code it corresponds to.
pub fn handle(request: &str) -> (String, i32) {
    let req: Value = match serde_json::from_str(request) {
        Ok(v) => v,
        Err(e) => return error(format!("request is not valid JSON: {e}")),
    };
    if req.get("schema_version").and_then(|v| v.as_u64()) != Some(1) {
        return error("schema_version must be 1");
    }
    let lang = match lang_of(&req) {
        Ok(l) => l,
        Err(e) => return error(e),
    };
    match req.get("op").and_then(|o| o.as_str()) {
        Some("check") => check(&req, lang),
        Some("rules") => {
            let all: Vec<&Rule> = catalogue().rules.iter().collect();
            (pretty(&listing::rules_json(&all)), 0)
        }
        Some("explain") => {
            let Some(id) = req.get("rule").and_then(|r| r.as_str()) else {
                return error("explain needs \"rule\"");
            };
            match catalogue()
                .rules
                .iter()
                .find(|r| r.id == id || r.name == id)
            {
                Some(r) => (pretty(&listing::explain_json(r)), 0),
                None => error(format!("no rule {id}")),
            }
        }
        Some("coverage") => (pretty(&listing::coverage_json()), 0),
        Some(other) => error(format!(
            "unknown op {other:?} (check, rules, explain, coverage)"
        )),
        None => error("request needs \"op\""),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn check(req: &Value, lang: Lang) -> (String, i32) {
    let mut opts = Options {
        lang,
        ..Options::default()
    };
    if let Some(cfg) = req.get("config").filter(|c| !c.is_null()) {
        let cfg = match config_of(cfg) {
            Ok(c) => c,
            Err(e) => return error(format!("config: {e}")),
        };
        cfg.apply(&mut opts.settings);
        cfg.apply_assume(&mut opts.terraform.assume, "kijun.toml");
        opts.classification = cfg.classification();
        opts.classification_rules = cfg.classification.rules.clone();
        opts.skip_rules.extend(cfg.rules.skip.iter().cloned());
        opts.severity_threshold = cfg
            .rules
            .severity_threshold
            .as_deref()
            .and_then(severity_of);
    }
    match req.get("exceptions") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            opts.ledger = Some(("kijun-exceptions.toml".into(), text.clone()))
        }
        Some(v) => match toml::to_string(v) {
            Ok(text) => opts.ledger = Some(("kijun-exceptions.toml".into(), text)),
            Err(e) => return error(format!("exceptions: {e}")),
        },
    }
    match req.get("now") {
        None | Some(Value::Null) => {}
        Some(Value::String(now)) => match Date::parse(now) {
            Some(d) => opts.now = Some(d),
            None => return error(format!("now must be a date YYYY-MM-DD, not {now:?}")),
        },
        Some(other) => return error(format!("now must be a date YYYY-MM-DD, not {other}")),
    }
    let documents = match req.get("documents") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(list)) => list.as_slice(),
        Some(_) => return error("documents must be an array of {\"path\", \"content\"}"),
    };
    let mut docs = Vec::new();
    for d in documents {
        let (Some(path), Some(content)) = (
            d.get("path").and_then(|p| p.as_str()),
            d.get("content").and_then(|c| c.as_str()),
        ) else {
            return error("each document needs \"path\" and \"content\" strings");
        };
        docs.push(Document::new(path, content));
    }
    // The file functions (`file()`, `templatefile()`, …) read the request's documents: they
    // are the whole file system.
    opts.terraform.files = kijun_engine::terraform_files(
        docs.iter()
            .map(|d| (d.path.clone(), d.content.clone().into_bytes())),
    );
    // Documents kijun does not read as configuration (templates and data files that only the
    // file functions read) are not scanned files, as in the CLI.
    docs.retain(|d| kijun_engine::is_candidate(&d.path));
    let format = match req.get("format") {
        None | Some(Value::Null) => "json",
        Some(Value::String(f)) if FORMATS.contains(&f.as_str()) => f.as_str(),
        Some(other) => {
            return error(format!(
                "format must be one of {}, not {other}",
                FORMATS.join(", ")
            ))
        }
    };
    let text_field = |key: &str| {
        req.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let ctx = ReportContext {
        scan_date: opts.now.map(|d| d.to_string()).unwrap_or_default(),
        invocation: text_field("invocation"),
        repository: text_field("repository"),
        classification: opts.classification.clone(),
        ..ReportContext::default()
    };
    let outcome = kijun_engine::check(docs, &kijun_engine::NoLoader, &opts);
    let code = outcome.exit_code();
    let content = match format {
        "json" => return (kijun_engine::json::render(&outcome), code),
        "sarif" => report::sarif::render(&outcome, &ctx),
        "junit" => report::junit::render(&outcome, &ctx),
        "github" => report::github::render(&outcome, &ctx),
        "gitlab" => report::gitlab::render(&outcome, &ctx),
        "markdown" => report::markdown::render(&outcome, &ctx),
        _ => report::html::render(&outcome, &ctx),
    };
    (
        pretty(&json!({"format": format, "content": content, "exit_code": code})),
        code,
    )
}

/// The report formats a check request may ask for (`text` is the CLI's terminal output and has
/// no place here). Every one but `json` answers `{"format", "content", "exit_code"}`.
pub const FORMATS: [&str; 7] = [
    "json", "sarif", "junit", "github", "gitlab", "markdown", "html",
];

/// `config` as kijun.toml text, or as the same keys in JSON. JSON goes through TOML so both are
/// validated by [`Config::parse`] exactly as the CLI validates kijun.toml.
fn config_of(v: &Value) -> Result<Config, String> {
    let text = match v {
        Value::String(text) => text.clone(),
        Value::Object(_) => toml::to_string(v).map_err(|e| e.to_string())?,
        _ => return Err("must be an object (kijun.toml keys) or TOML text".into()),
    };
    Config::parse(&text).map_err(|e| match v {
        Value::String(_) => format!("{}:{}: {}", e.line, e.column, e.message.en),
        _ => e.message.en,
    })
}

fn severity_of(s: &str) -> Option<Severity> {
    Some(match s {
        "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        _ => return None,
    })
}

/// Metadata embedded in the module's `kijun.metadata` custom section (readable without
/// instantiating): tool, ABI and catalogue versions, and the rule list.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)] // why: a custom section is declared with link_section; the bytes are plain data.
#[used]
#[link_section = "kijun.metadata"]
static METADATA: [u8; include_bytes!(concat!(env!("OUT_DIR"), "/metadata.json")).len()] =
    *include_bytes!(concat!(env!("OUT_DIR"), "/metadata.json"));

#[cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]
mod abi {
    //! The exported functions. Memory crosses the boundary as (pointer, length) pairs of bytes
    //! allocated by the module itself.
    #![allow(unsafe_code)] // why: an FFI boundary is unsafe by nature; each block says why it holds.

    use std::alloc::{alloc, dealloc, Layout};
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The exit code of the last `kijun_call`, for hosts that want the CLI's verdict without
    /// reading the report (a JSON response carries the findings, not the exit code).
    static LAST_EXIT_CODE: AtomicI32 = AtomicI32::new(0);

    /// The exit code the CLI would have given for the last request: 0 clean, 1 failing findings
    /// or unreadable documents, 2 a bad request.
    #[no_mangle]
    pub extern "C" fn kijun_last_exit_code() -> i32 {
        LAST_EXIT_CODE.load(Ordering::Relaxed)
    }

    #[no_mangle]
    pub extern "C" fn kijun_abi_version() -> i32 {
        super::ABI_VERSION
    }

    /// Allocates `len` bytes for the host to write a request into.
    #[no_mangle]
    pub extern "C" fn kijun_alloc(len: i32) -> i32 {
        let Ok(layout) = Layout::from_size_align(len.max(1) as usize, 1) else {
            return 0;
        };
        // SAFETY: the layout has a non-zero size.
        unsafe { alloc(layout) as i32 }
    }

    /// Frees memory from `kijun_alloc` or a response from `kijun_call`.
    #[no_mangle]
    pub extern "C" fn kijun_free(ptr: i32, len: i32) {
        if ptr == 0 {
            return;
        }
        if let Ok(layout) = Layout::from_size_align(len.max(1) as usize, 1) {
            // SAFETY: the host passes back a pointer and length this module handed out.
            unsafe { dealloc(ptr as *mut u8, layout) }
        }
    }

    /// Handles the request at (ptr, len); returns the response as (ptr << 32 | len). The host
    /// frees the request and, after reading it, the response.
    #[no_mangle]
    pub extern "C" fn kijun_call(ptr: i32, len: i32) -> i64 {
        let bytes: &[u8] = if ptr == 0 || len <= 0 {
            &[]
        } else {
            // SAFETY: the host wrote `len` bytes at `ptr`, allocated by `kijun_alloc`.
            unsafe { std::slice::from_raw_parts(ptr as usize as *const u8, len as usize) }
        };
        let (text, code) = super::handle_bytes(bytes);
        LAST_EXIT_CODE.store(code, Ordering::Relaxed);
        let out = text.into_bytes().into_boxed_slice();
        let n = out.len();
        // Addresses and lengths are unsigned 32-bit on wasm32: widen without sign extension.
        let p = Box::into_raw(out) as *mut u8 as usize as u64;
        ((p << 32) | (n as u64 & 0xffff_ffff)) as i64
    }
}

#[cfg(test)]
mod tests {
    /// The custom section's content is written by build.rs from the sources; it must say what
    /// the compiled crates say, or the module describes itself wrongly.
    #[test]
    fn the_metadata_section_matches_the_compiled_catalogue() {
        let meta: serde_json::Value =
            serde_json::from_slice(include_bytes!(concat!(env!("OUT_DIR"), "/metadata.json")))
                .unwrap();
        assert_eq!(meta["catalogue"], kijun_rules::CATALOGUE_VERSION);
        assert_eq!(meta["abi"], super::ABI_VERSION);
        assert_eq!(meta["version"], env!("CARGO_PKG_VERSION"));
        let mut ids: Vec<String> = kijun_rules::catalogue()
            .rules
            .iter()
            .map(|r| r.id.clone())
            .collect();
        ids.sort();
        assert_eq!(meta["rules"], serde_json::json!(ids));
    }
}
