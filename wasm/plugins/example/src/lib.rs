//! An example kijun policy plugin: ORG-001, every S3 bucket must carry a `cost-center` tag
//! (the tag the finance department charges storage by).
//!
//! Build: `cargo build --release --target wasm32-unknown-unknown --manifest-path
//! wasm/plugins/example/Cargo.toml`, then list the `.wasm` under `[plugins] paths` in kijun.toml
//! or pass it with `kijun check --plugin FILE`. The ABI is described in `wasm/PLUGINS.md`:
//! the host writes a JSON request into memory the plugin allocates, calls `kijun_check`, and
//! reads the JSON answer back as (pointer << 32 | length). The plugin imports nothing.

use serde_json::{json, Value};

/// The tag every bucket must carry.
const TAG: &str = "cost-center";

/// The rule this plugin adds, as `kijun_plugin_metadata` reports it.
fn metadata() -> Value {
    json!({
        "rules": [{
            "id": "ORG-001",
            "name": "s3-bucket-cost-center-tag",
            "articles": ["69-2"],
            "severity": {"1": "low", "2": "medium", "3": "medium"},
            "axis": "confidentiality",
            "min": 1,
            "title": {
                "ja": "S3 バケットに cost-center タグを付ける",
                "en": "S3 buckets carry a cost-center tag"
            },
            "message": {
                "ja": "S3 バケット {resource} に cost-center タグがありません",
                "en": "S3 bucket {resource} has no cost-center tag"
            },
            "remediation": {
                "ja": "tags（またはプロバイダの default_tags）に cost-center = \"<部署コード>\" を追加してください。",
                "en": "Add cost-center = \"<department code>\" to tags (or to the provider's default_tags)."
            }
        }]
    })
}

/// The keys of a tag map, or `None` when the map itself is not known before apply (`null`).
fn keys(tags: &Value) -> Option<Vec<&str>> {
    match tags {
        Value::Object(m) => Some(m.keys().map(String::as_str).collect()),
        _ => None,
    }
}

/// Findings for one request.
fn check(request: &Value) -> Value {
    let mut findings = Vec::new();
    let resources = request
        .get("resources")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for r in resources {
        if r.get("kind").and_then(Value::as_str) != Some("aws_s3_bucket") {
            continue;
        }
        let Some(address) = r.get("address").and_then(Value::as_str) else {
            continue;
        };
        let attrs = r.get("attrs");
        let tags = attrs.and_then(|a| a.get("tags"));
        let default_tags = r
            .get("provider")
            .and_then(|p| p.get("default_tags"))
            .filter(|t| !t.is_null());
        let mut present = Vec::new();
        let mut unknown = false;
        for t in [tags, default_tags].into_iter().flatten() {
            match keys(t) {
                Some(k) => present.extend(k),
                None => unknown = true,
            }
        }
        if present.iter().any(|k| k.eq_ignore_ascii_case(TAG)) {
            continue;
        }
        let (detail, not_evaluated) = if unknown {
            // Tags only known after apply: say so rather than guess.
            (
                json!({
                    "ja": "tags の値が apply まで確定しないため、cost-center タグを確認できません",
                    "en": "tags is only known after apply, so the cost-center tag cannot be checked"
                }),
                true,
            )
        } else {
            (
                if tags.is_some() {
                    json!({
                        "ja": "tags に `cost-center` がありません",
                        "en": "`cost-center` is missing from tags"
                    })
                } else {
                    json!({
                        "ja": "タグが設定されていません",
                        "en": "the bucket has no tags"
                    })
                },
                false,
            )
        };
        let mut finding = json!({
            "rule_id": "ORG-001",
            "address": address,
            "detail": detail,
            "not_evaluated": not_evaluated
        });
        // Point at the tags when the bucket has some; otherwise kijun points at the resource.
        if tags.is_some() {
            finding["attribute"] = json!("tags");
        }
        findings.push(finding);
    }
    json!({ "findings": findings })
}

/// Hands `text` to the host as (pointer << 32 | length); the host frees it with `kijun_free`.
fn give(text: String) -> i64 {
    let bytes = text.into_bytes().into_boxed_slice();
    let len = bytes.len();
    let ptr = Box::into_raw(bytes) as *mut u8 as usize;
    ((ptr as i64) << 32) | (len as i64 & 0xffff_ffff)
}

/// The ABI version this plugin speaks.
#[no_mangle]
pub extern "C" fn kijun_plugin_abi() -> i32 {
    1
}

/// Allocates `len` bytes for the host to write a request into.
#[no_mangle]
pub extern "C" fn kijun_alloc(len: i32) -> i32 {
    let buf = vec![0u8; len.max(0) as usize].into_boxed_slice();
    Box::into_raw(buf) as *mut u8 as i32
}

/// Frees what `kijun_alloc` or a call's answer handed out.
#[no_mangle]
pub extern "C" fn kijun_free(ptr: i32, len: i32) {
    if ptr == 0 {
        return;
    }
    let slice = std::ptr::slice_from_raw_parts_mut(ptr as usize as *mut u8, len.max(0) as usize);
    // SAFETY: the host passes back a pointer and length this module handed out, once.
    drop(unsafe { Box::from_raw(slice) });
}

#[no_mangle]
pub extern "C" fn kijun_plugin_metadata() -> i64 {
    give(metadata().to_string())
}

/// Checks the request at (ptr, len) and returns the findings.
#[no_mangle]
pub extern "C" fn kijun_check(ptr: i32, len: i32) -> i64 {
    // SAFETY: the host wrote `len` bytes at `ptr`, which it obtained from `kijun_alloc`.
    let bytes =
        unsafe { std::slice::from_raw_parts(ptr as usize as *const u8, len.max(0) as usize) };
    match serde_json::from_slice::<Value>(bytes) {
        Ok(request) => give(check(&request).to_string()),
        // A plugin has no error channel but trapping: the host reports the trap, naming the
        // plugin, and the scan goes on without its findings.
        Err(e) => panic!("kijun sent a request this plugin cannot read: {e}"),
    }
}
