//! The kijun WASM module: one JSON request in, one JSON response out, over the pure engine.
//!
//! ABI (wasm32-unknown-unknown, no imports): `kijun_abi_version() -> i32`, `kijun_alloc(len) ->
//! ptr`, `kijun_free(ptr, len)`, `kijun_call(ptr, len) -> i64` (response pointer << 32 | length).
//! The same [`handle`] serves the WASI command (stdin → stdout) and the native conformance tests,
//! so every host gets byte-identical answers. User errors come back as JSON, never as a trap.

use kijun_engine::{config::Config, exceptions::Date, Document, Options};
use kijun_model::Lang;
use kijun_rules::{catalogue, Rule};
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
        Some("rules") => (pretty(&rules_json()), 0),
        Some("explain") => {
            let Some(id) = req.get("rule").and_then(|r| r.as_str()) else {
                return error("explain needs \"rule\"");
            };
            match catalogue()
                .rules
                .iter()
                .find(|r| r.id == id || r.name == id)
            {
                Some(r) => (pretty(&explain_json(r)), 0),
                None => error(format!("no rule {id}")),
            }
        }
        Some("coverage") => (pretty(&coverage_json()), 0),
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

/// The same catalogue listing as `kijun rules --format json`.
pub fn rules_json() -> Value {
    Value::Array(
        catalogue()
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "name": r.name, "articles": r.articles, "platforms": r.platforms,
                    "severity": r.applies.severity.iter().map(|(k, v)| (k.clone(), v.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
                    "status": r.status.as_str(), "title": {"ja": r.title.ja, "en": r.title.en},
                })
            })
            .collect(),
    )
}

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

fn check(req: &Value, lang: Lang) -> (String, i32) {
    let mut opts = Options {
        lang,
        ..Options::default()
    };
    if let Some(cfg) = req.get("config").filter(|c| !c.is_null()) {
        let cfg: Config = match serde_json::from_value(cfg.clone()) {
            Ok(c) => c,
            Err(e) => return error(format!("config: {e}")),
        };
        cfg.apply(&mut opts.settings);
        opts.classification = cfg.classification();
        opts.classification_rules = cfg.classification.rules.clone();
        opts.skip_rules.extend(cfg.rules.skip.iter().cloned());
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
    if let Some(now) = req.get("now").and_then(|n| n.as_str()) {
        match Date::parse(now) {
            Some(d) => opts.now = Some(d),
            None => return error(format!("now must be a date YYYY-MM-DD, not {now:?}")),
        }
    }
    let mut docs = Vec::new();
    for d in req
        .get("documents")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(path), Some(content)) = (
            d.get("path").and_then(|p| p.as_str()),
            d.get("content").and_then(|c| c.as_str()),
        ) else {
            return error("each document needs \"path\" and \"content\" strings");
        };
        docs.push(Document::new(path, content));
    }
    let outcome = kijun_engine::check(docs, &kijun_engine::NoLoader, &opts);
    let code = outcome.exit_code();
    match req.get("format").and_then(|f| f.as_str()).unwrap_or("json") {
        "json" => (kijun_engine::json::render(&outcome), code),
        other => error(format!("format {other:?} is not available in this build")),
    }
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
        // SAFETY: the host wrote `len` bytes at `ptr`, allocated by `kijun_alloc`.
        let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, len.max(0) as usize) };
        let (text, _) = match std::str::from_utf8(bytes) {
            Ok(s) => super::handle(s),
            Err(_) => super::error("request is not valid UTF-8"),
        };
        let out = text.into_bytes().into_boxed_slice();
        let n = out.len();
        let p = Box::into_raw(out) as *mut u8 as i32;
        ((p as i64) << 32) | (n as i64 & 0xffff_ffff)
    }
}
