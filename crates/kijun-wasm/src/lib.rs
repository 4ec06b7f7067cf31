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
use kijun_model::{text, Lang, Text};
use kijun_rules::{catalogue, Rule, Severity};
use serde_json::{json, Value};

pub const ABI_VERSION: i32 = 1;

/// A refused request: exit code 2 and `{"version": 1, "error": {"message", "messages"}}`, the
/// message in the request's language (Japanese, the default, when the request says none or
/// cannot be read) and `messages` in both, for hosts that show their own language.
fn error(lang: Lang, message: Text) -> (String, i32) {
    let v = json!({"version": 1, "error": {
        "message": message.get(lang),
        "messages": {"ja": message.get(Lang::Ja), "en": message.get(Lang::En)},
    }});
    (
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
        2,
    )
}

fn lang_of(req: &Value) -> Result<Lang, Text> {
    match req.get("lang") {
        None | Some(Value::Null) => Ok(Lang::Ja),
        Some(v) => v.as_str().and_then(Lang::parse).ok_or_else(|| {
            text!(
                "lang は \"ja\" か \"en\" です（指定値: {v}）",
                "lang must be \"ja\" or \"en\", not {v}"
            )
        }),
    }
}

/// Answers one request given as bytes (what the ABI and standard input carry): text that is not
/// UTF-8 is a user error like any other.
pub fn handle_bytes(request: &[u8]) -> (String, i32) {
    match std::str::from_utf8(request) {
        Ok(s) => handle(s),
        Err(e) => {
            let at = e.valid_up_to();
            error(
                Lang::Ja,
                text!(
                    "リクエストが UTF-8 ではありません（{at} バイト目）",
                    "request is not valid UTF-8 (at byte {at})"
                ),
            )
        }
    }
}

/// Answers one request. Returns the response text and the CLI exit code it corresponds to.
pub fn handle(request: &str) -> (String, i32) {
    let req: Value = match serde_json::from_str(request) {
        Ok(v) => v,
        Err(e) => {
            return error(
                Lang::Ja,
                text!(
                    "リクエストが JSON として読めません: {e}",
                    "request is not valid JSON: {e}"
                ),
            )
        }
    };
    let lang = match lang_of(&req) {
        Ok(l) => l,
        Err(e) => return error(Lang::Ja, e),
    };
    if req.get("schema_version").and_then(|v| v.as_u64()) != Some(1) {
        return error(
            lang,
            text!("schema_version は 1 です", "schema_version must be 1"),
        );
    }
    match req.get("op").and_then(|o| o.as_str()) {
        Some("check") => check(&req, lang),
        Some("rules") => {
            let all: Vec<&Rule> = catalogue().rules.iter().collect();
            (pretty(&listing::rules_json(&all)), 0)
        }
        Some("explain") => {
            let Some(id) = req.get("rule").and_then(|r| r.as_str()) else {
                return error(
                    lang,
                    text!(
                        "explain には \"rule\"（ルールの id か名前）が必要です",
                        "explain needs \"rule\" (a rule's id or name)"
                    ),
                );
            };
            match catalogue()
                .rules
                .iter()
                .find(|r| r.id == id || r.name == id)
            {
                Some(r) => (pretty(&listing::explain_json(r)), 0),
                None => error(lang, text!("ルール {id} はありません", "no rule {id}")),
            }
        }
        Some("coverage") => (pretty(&listing::coverage_json()), 0),
        Some(other) => error(
            lang,
            text!(
                "op {other:?} はありません（check, rules, explain, coverage のいずれか）",
                "unknown op {other:?} (check, rules, explain, coverage)"
            ),
        ),
        None => error(
            lang,
            text!(
                "リクエストに \"op\"（check, rules, explain, coverage）がありません",
                "request needs \"op\" (check, rules, explain, coverage)"
            ),
        ),
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
            Err(e) => {
                return error(
                    lang,
                    text!("config（kijun.toml）: {0}", "config (kijun.toml): {0}", e),
                )
            }
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
            Err(e) => {
                return error(
                    lang,
                    text!(
                        "exceptions を台帳（TOML）として書けません: {e}",
                        "exceptions cannot be written as a ledger (TOML): {e}"
                    ),
                )
            }
        },
    }
    match req.get("now") {
        None | Some(Value::Null) => {}
        Some(Value::String(now)) => match Date::parse(now) {
            Some(d) => opts.now = Some(d),
            None => return error(lang, now_error(&format!("{now:?}"))),
        },
        Some(other) => return error(lang, now_error(&other.to_string())),
    }
    let documents = match req.get("documents") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(list)) => list.as_slice(),
        Some(_) => {
            return error(
                lang,
                text!(
                    "documents は {{\"path\", \"content\"}} の配列です",
                    "documents must be an array of {{\"path\", \"content\"}}"
                ),
            )
        }
    };
    let mut docs = Vec::new();
    for d in documents {
        let (Some(path), Some(content)) = (
            d.get("path").and_then(|p| p.as_str()),
            d.get("content").and_then(|c| c.as_str()),
        ) else {
            return error(
                lang,
                text!(
                    "documents の各要素には文字列の \"path\" と \"content\" が必要です",
                    "each document needs \"path\" and \"content\" strings"
                ),
            );
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
            let formats = FORMATS.join(", ");
            return error(
                lang,
                text!(
                    "format は {formats} のいずれかです（指定値: {other}）",
                    "format must be one of {formats}, not {other}"
                ),
            );
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
fn config_of(v: &Value) -> Result<Config, Text> {
    let source = match v {
        Value::String(source) => source.clone(),
        Value::Object(_) => toml::to_string(v).map_err(|e| {
            text!(
                "TOML として書けません: {e}",
                "cannot be written as TOML: {e}"
            )
        })?,
        _ => {
            return Err(text!(
                "kijun.toml のキーを持つオブジェクトか TOML の文字列です",
                "must be an object (kijun.toml keys) or TOML text"
            ))
        }
    };
    Config::parse(&source).map_err(|e| match v {
        // Positions only mean something in text the caller wrote.
        Value::String(_) => {
            let (line, column) = (e.line, e.column);
            text!("{line}:{column}: {0}", "{line}:{column}: {0}", e.message)
        }
        _ => e.message,
    })
}

fn now_error(given: &str) -> Text {
    text!(
        "now には日付を YYYY-MM-DD で指定してください（指定値: {given}）",
        "now must be a date YYYY-MM-DD, not {given}"
    )
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

    fn refused(request: &str) -> serde_json::Value {
        let (text, code) = super::handle(request);
        assert_eq!(code, 2, "{text}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["error"].clone()
    }

    /// A refusal is written for a person as every other message is: in the request's
    /// language, with both languages beside it for hosts that choose their own.
    #[test]
    fn refusals_speak_the_requests_language() {
        let ja = refused(r#"{"schema_version":1,"op":"scan"}"#);
        assert_eq!(
            ja["message"],
            "op \"scan\" はありません（check, rules, explain, coverage のいずれか）"
        );
        assert_eq!(ja["messages"]["ja"], ja["message"]);
        assert_eq!(
            ja["messages"]["en"],
            "unknown op \"scan\" (check, rules, explain, coverage)"
        );
        let en = refused(r#"{"schema_version":1,"op":"explain","rule":"KJ-X9-999","lang":"en"}"#);
        assert_eq!(en["message"], "no rule KJ-X9-999");
        assert_eq!(en["messages"]["ja"], "ルール KJ-X9-999 はありません");
        // kijun.toml's own messages, with the position in the text the caller sent.
        let config = refused(
            r#"{"schema_version":1,"op":"check","lang":"en","config":"[classification]\nconfidentiality = 9\n","documents":[]}"#,
        );
        let message = config["message"].as_str().unwrap();
        assert!(message.starts_with("config (kijun.toml): 2:"), "{message}");
        let japanese = config["messages"]["ja"].as_str().unwrap();
        assert!(
            japanese.starts_with("config（kijun.toml）: 2:"),
            "{japanese}"
        );
        assert_ne!(message, japanese);
        // Before the language is known, Japanese (the default) with English beside it.
        let lang = refused(r#"{"schema_version":1,"op":"rules","lang":"fr"}"#);
        assert_eq!(
            lang["message"],
            "lang は \"ja\" か \"en\" です（指定値: \"fr\"）"
        );
        assert_eq!(
            lang["messages"]["en"],
            "lang must be \"ja\" or \"en\", not \"fr\""
        );
        let bytes = super::handle_bytes(b"{\"op\": \"\xff\"}");
        assert!(
            bytes.0.contains("request is not valid UTF-8 (at byte 8)"),
            "{}",
            bytes.0
        );
    }
}
