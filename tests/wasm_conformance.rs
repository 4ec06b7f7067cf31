#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The WASM module's conformance suite: the same requests through five hosts must give
//! byte-identical responses and the same exit codes.
//!
//! 1. the native engine (`kijun_wasm::handle`, compiled into this test),
//! 2. `wasm/dist/kijun.wasm` under wasmtime, in-process, through the zero-import ABI,
//! 3. `kijun.wasm` under Node, through `wasm/kijun.mjs` (one `node` process for every request),
//! 4. `wasm/dist/kijun-wasi.wasm` under wasmtime-wasi (preview1, stdin/stdout pipes, no preopens),
//! 5. `kijun-wasi.wasm` under Node's `node:wasi` (same Node process as 3).
//!
//! Requests: a check of every fixture case (the same enumeration as crates/kijun-engine/tests/rules.rs) and of
//! every tree under examples/, the report golden input in every format with its ledger, the
//! rules/explain/coverage operations, and user errors, which must come back as JSON with exit
//! code 2 and never trap. Build the modules first with `wasm/build.sh`.

// A test binary of its own (Cargo.toml says why), with the shared helpers as its module.
mod common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use wasmtime::{Engine, Instance, InstancePre, Linker, Memory, Module, Store, TypedFunc};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{I32Exit, WasiCtxBuilder};

const NOW: &str = "2026-11-01";
const MAX_MODULE_BYTES: u64 = 8 * 1024 * 1024;

/// One request and what it is.
struct Case {
    name: String,
    request: String,
    /// A user error: the answer must be an error response with exit code 2.
    user_error: bool,
}

/// One host's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Answer {
    response: String,
    exit_code: i32,
}

fn dist(name: &str) -> PathBuf {
    common::root().join("wasm/dist").join(name)
}

/// The built module's bytes; a missing module fails the test with the way to build it.
fn module_bytes(name: &str) -> Vec<u8> {
    let path = dist(name);
    match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => panic!(
            "{} is missing ({e}): run wasm/build.sh first",
            path.display()
        ),
    }
}

fn documents_json(docs: &[kijun::engine::Document]) -> Value {
    Value::Array(
        docs.iter()
            .map(|d| json!({"path": d.path, "content": d.content}))
            .collect(),
    )
}

fn check_request(docs: &[kijun::engine::Document], lang: &str, extra: &[(&str, Value)]) -> String {
    let mut req = json!({
        "schema_version": 1, "op": "check", "now": NOW, "lang": lang, "format": "json",
        "documents": documents_json(docs),
    });
    for (k, v) in extra {
        req[*k] = v.clone();
    }
    serde_json::to_string(&req).unwrap()
}

fn toml_as_json(path: &std::path::Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = toml::from_str(&text).unwrap();
    Some(serde_json::to_value(table).unwrap())
}

fn sorted_entries(dir: &std::path::Path) -> Vec<std::fs::DirEntry> {
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    v.sort_by_key(|e| e.file_name());
    v
}

/// Every request of the suite, in a fixed order.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut out = Vec::new();
        let mut push = |name: String, request: String, user_error: bool| {
            out.push(Case {
                name,
                request,
                user_error,
            })
        };
        // Every fixture case: each pass*/fail* file or directory of every rule, as in fixtures.rs,
        // with the rule folder's kijun.toml (as JSON) when it has one. All rules run, not only
        // the folder's: the hosts must agree on everything the engine says.
        for dir in sorted_entries(&common::root().join("fixtures")) {
            let id = dir.file_name().to_string_lossy().to_string();
            if !dir.path().is_dir() {
                continue;
            }
            let config = toml_as_json(&dir.path().join("kijun.toml"));
            for e in sorted_entries(&dir.path()) {
                let name = e.file_name().to_string_lossy().to_string();
                if !(name.starts_with("pass") || name.starts_with("fail")) || name.ends_with(".expect")
                {
                    continue;
                }
                let rel = format!("fixtures/{id}/{name}");
                let docs = common::docs_in(&rel);
                let extra: Vec<(&str, Value)> =
                    config.iter().map(|c| ("config", c.clone())).collect();
                push(rel, check_request(&docs, "ja", &extra), false);
            }
        }
        // Every example tree, in both languages.
        for e in sorted_entries(&common::root().join("examples")) {
            if !e.path().is_dir() {
                continue;
            }
            let rel = format!("examples/{}", e.file_name().to_string_lossy());
            let docs = common::docs_in(&rel);
            for lang in ["ja", "en"] {
                push(format!("{rel} ({lang})"), check_request(&docs, lang, &[]), false);
            }
        }
        // The report golden input with its configuration and exception ledger (TOML text and
        // JSON), in every report format: the non-JSON formats answer {format, content, exit_code}.
        let golden = common::root().join("tests/golden");
        if golden.join("input").is_dir() {
            let docs = common::docs_in("tests/golden/input");
            let ledger_text =
                std::fs::read_to_string(golden.join("kijun-exceptions.toml")).unwrap_or_default();
            let ledger_json = toml_as_json(&golden.join("kijun-exceptions.toml"))
                .map(|mut v| {
                    // TOML dates become strings in JSON.
                    for e in v["exception"].as_array_mut().into_iter().flatten() {
                        for k in ["approved_on", "expires_on"] {
                            if let Some(d) = e.get(k).and_then(date_text) {
                                e[k] = Value::String(d);
                            }
                        }
                    }
                    v
                })
                .unwrap_or(Value::Null);
            for format in kijun_wasm::FORMATS {
                for lang in ["ja", "en"] {
                    let extra = [
                        ("format", json!(format)),
                        ("exceptions", json!(ledger_text)),
                        ("repository", json!("agency/portal")),
                        ("invocation", json!("kijun check tests/golden/input")),
                    ];
                    push(
                        format!("tests/golden/input ({format}, {lang})"),
                        check_request(&docs, lang, &extra),
                        false,
                    );
                }
            }
            push(
                "tests/golden/input (ledger as JSON)".into(),
                check_request(&docs, "en", &[("exceptions", ledger_json)]),
                false,
            );
        }
        // A configuration given as TOML text and as JSON, with every table.
        let tf = vec![kijun::engine::Document::new(
            "main.tf",
            "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"us-east-1a\"\n  size = 1\n}\n",
        )];
        let cfg_toml = "[classification]\nconfidentiality = 3\n[regions]\nallowed = [\"ap-northeast-1\"]\n[network]\nipv6 = false\n[logging]\nmin_retention_days = 400\n[rules]\nseverity_threshold = \"high\"\n";
        push(
            "config as TOML text".into(),
            check_request(&tf, "en", &[("config", json!(cfg_toml))]),
            false,
        );
        let cfg_json: toml::Table = toml::from_str(cfg_toml).unwrap();
        push(
            "config as JSON".into(),
            check_request(&tf, "en", &[("config", serde_json::to_value(cfg_json).unwrap())]),
            false,
        );
        // The catalogue operations.
        push("rules".into(), r#"{"schema_version":1,"op":"rules"}"#.into(), false);
        push("coverage".into(), r#"{"schema_version":1,"op":"coverage","lang":"en"}"#.into(), false);
        for r in &kijun::rules::catalogue().rules {
            push(
                format!("explain {}", r.id),
                json!({"schema_version": 1, "op": "explain", "rule": r.id}).to_string(),
                false,
            );
        }
        // User errors: JSON answers with exit code 2, never a trap.
        let errors: [(&str, String); 18] = [
            ("empty request", String::new()),
            ("bad JSON", "{\"schema_version\":1,".into()),
            ("not an object", "[1,2,3]".into()),
            ("deeply nested JSON", "[".repeat(100_000)),
            ("no schema_version", r#"{"op":"rules"}"#.into()),
            ("schema_version 2", r#"{"schema_version":2,"op":"rules"}"#.into()),
            ("no op", r#"{"schema_version":1}"#.into()),
            ("unknown op", r#"{"schema_version":1,"op":"scan"}"#.into()),
            ("bad lang", r#"{"schema_version":1,"op":"rules","lang":"fr"}"#.into()),
            ("explain without rule", r#"{"schema_version":1,"op":"explain"}"#.into()),
            ("explain unknown rule", r#"{"schema_version":1,"op":"explain","rule":"KJ-X9-999"}"#.into()),
            ("bad document", r#"{"schema_version":1,"op":"check","documents":[{"path":"a.tf","content":42}]}"#.into()),
            ("bad now", r#"{"schema_version":1,"op":"check","now":"tomorrow","documents":[]}"#.into()),
            ("now not a string", r#"{"schema_version":1,"op":"check","now":20261126,"documents":[]}"#.into()),
            ("documents not an array", r#"{"schema_version":1,"op":"check","documents":{"a.tf":""}}"#.into()),
            ("bad format", r#"{"schema_version":1,"op":"check","format":"text","documents":[]}"#.into()),
            ("bad config", r#"{"schema_version":1,"op":"check","config":{"classification":{"confidentiality":9}},"documents":[]}"#.into()),
            ("bad exceptions", r#"{"schema_version":1,"op":"check","exceptions":[1],"documents":[]}"#.into()),
        ];
        for (name, req) in errors {
            push(format!("user error: {name}"), req, true);
        }
        // Hostile documents are not request errors: they come back as input errors (exit 1).
        let deep_hcl = format!("locals {{\n  x = {}1{}\n}}\n", "[".repeat(5000), "]".repeat(5000));
        let deep_yaml = format!("a: {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        let hostile = vec![
            kijun::engine::Document::new("deep.tf", deep_hcl),
            kijun::engine::Document::new("deep.yaml", deep_yaml),
            kijun::engine::Document::new("bomb.yaml", bomb),
            kijun::engine::Document::new("broken.tf", "resource \"aws_s3_bucket\" {{{\n"),
            kijun::engine::Document::new("nul.json", "{\"a\": \"\u{0}\"}"),
        ];
        push("hostile documents".into(), check_request(&hostile, "en", &[]), false);
        out
    })
}

fn date_text(v: &Value) -> Option<String> {
    // toml's Datetime serializes as {"$__toml_private_datetime": "2026-10-01"}.
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .values()
            .next()
            .and_then(|x| x.as_str())
            .map(str::to_string),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------------------------

fn engine() -> Engine {
    let mut config = wasmtime::Config::new();
    // The suite compares answers, not speed: quick compilation of the 4 MB modules.
    config.cranelift_opt_level(wasmtime::OptLevel::None);
    Engine::new(&config).unwrap()
}

/// kijun.wasm through its ABI, one instance for every request (the module keeps no state
/// between calls, which this also checks).
struct AbiHost {
    store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<i32, i32>,
    free: TypedFunc<(i32, i32), ()>,
    call: TypedFunc<(i32, i32), i64>,
    last_exit_code: TypedFunc<(), i32>,
}

impl AbiHost {
    fn new(engine: &Engine, module: &Module) -> AbiHost {
        let mut store = Store::new(engine, ());
        let instance = Instance::new(&mut store, module, &[]).unwrap();
        let abi = instance
            .get_typed_func::<(), i32>(&mut store, "kijun_abi_version")
            .unwrap()
            .call(&mut store, ())
            .unwrap();
        assert_eq!(abi, kijun_wasm::ABI_VERSION);
        AbiHost {
            memory: instance.get_memory(&mut store, "memory").unwrap(),
            alloc: instance.get_typed_func(&mut store, "kijun_alloc").unwrap(),
            free: instance.get_typed_func(&mut store, "kijun_free").unwrap(),
            call: instance.get_typed_func(&mut store, "kijun_call").unwrap(),
            last_exit_code: instance
                .get_typed_func(&mut store, "kijun_last_exit_code")
                .unwrap(),
            store,
        }
    }

    fn call(&mut self, request: &[u8]) -> Answer {
        self.try_call(request).unwrap_or_else(|e| Answer {
            response: format!("TRAP: {e:?}"),
            exit_code: -1,
        })
    }

    fn try_call(&mut self, request: &[u8]) -> wasmtime::Result<Answer> {
        let len = i32::try_from(request.len())?;
        let ptr = self.alloc.call(&mut self.store, len)?;
        wasmtime::ensure!(ptr != 0, "kijun_alloc({len}) returned 0");
        self.memory
            .write(&mut self.store, ptr as u32 as usize, request)?;
        let packed = self.call.call(&mut self.store, (ptr, len))? as u64;
        self.free.call(&mut self.store, (ptr, len))?;
        let (rptr, rlen) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
        let mut buf = vec![0; rlen];
        self.memory.read(&self.store, rptr, &mut buf)?;
        self.free
            .call(&mut self.store, (rptr as i32, rlen as i32))?;
        Ok(Answer {
            response: String::from_utf8(buf)?,
            exit_code: self.last_exit_code.call(&mut self.store, ())?,
        })
    }
}

/// kijun-wasi.wasm as a WASI preview1 command: a fresh instance per request, stdin and stdout
/// as memory pipes, no arguments, no environment, no preopened directories.
struct WasiHost {
    engine: Engine,
    pre: InstancePre<WasiP1Ctx>,
}

impl WasiHost {
    fn new(engine: &Engine, module: &Module) -> WasiHost {
        let mut linker: Linker<WasiP1Ctx> = Linker::new(engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |t| t).unwrap();
        WasiHost {
            engine: engine.clone(),
            pre: linker.instantiate_pre(module).unwrap(),
        }
    }

    fn run(&self, request: &[u8]) -> Answer {
        self.try_run(request).unwrap_or_else(|e| Answer {
            response: format!("TRAP: {e:?}"),
            exit_code: -1,
        })
    }

    fn try_run(&self, request: &[u8]) -> wasmtime::Result<Answer> {
        let stdout = MemoryOutputPipe::new(256 << 20);
        let stderr = MemoryOutputPipe::new(1 << 20);
        let ctx = WasiCtxBuilder::new()
            .stdin(MemoryInputPipe::new(request.to_vec()))
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .build_p1();
        let mut store = Store::new(&self.engine, ctx);
        let instance = self.pre.instantiate(&mut store)?;
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
        let exit_code = match start.call(&mut store, ()) {
            Ok(()) => 0,
            Err(e) => match e.downcast_ref::<I32Exit>() {
                Some(I32Exit(code)) => *code,
                None => return Err(e),
            },
        };
        drop(store);
        Ok(Answer {
            response: String::from_utf8(stdout.contents().to_vec())?,
            exit_code,
        })
    }
}

/// What Node said: both modules' answers and what it sees of kijun.wasm.
struct NodeRun {
    imports: Value,
    exports: Vec<String>,
    metadata: Value,
    abi: i64,
    module: Vec<Answer>,
    wasi: Vec<Answer>,
}

fn run_node(cases: &[Case]) -> NodeRun {
    let tmp = std::env::temp_dir().join(format!("kijun-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let requests = tmp.join("requests.json");
    let responses = tmp.join("responses.json");
    let input = json!({
        "module": dist("kijun.wasm"),
        "wasi": dist("kijun-wasi.wasm"),
        "requests": cases.iter().map(|c| c.request.clone()).collect::<Vec<_>>(),
    });
    std::fs::write(&requests, serde_json::to_vec(&input).unwrap()).unwrap();
    let script = common::root().join("wasm/conformance-host.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&requests)
        .arg(&responses)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js 18 or newer is needed): {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "node {} failed: {}\n{stderr}",
        script.display(),
        out.status
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&responses).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    let answers = |key: &str| -> Vec<Answer> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| Answer {
                response: a["response"].as_str().unwrap().to_string(),
                exit_code: a["exit_code"].as_i64().map(|c| c as i32).unwrap_or(-1),
            })
            .collect()
    };
    NodeRun {
        imports: v["imports"].clone(),
        exports: v["exports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect(),
        metadata: v["metadata"].clone(),
        abi: v["abi"].as_i64().unwrap_or(-1),
        module: answers("module"),
        wasi: answers("wasi"),
    }
}

/// Every host's answers to every case.
struct Runs {
    native: Vec<Answer>,
    wasmtime: Vec<Answer>,
    wasmtime_wasi: Vec<Answer>,
    node: NodeRun,
}

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let module = module_bytes("kijun.wasm");
        let wasi = module_bytes("kijun-wasi.wasm");
        let cases = cases();
        let engine = engine();
        // Node runs beside the in-process hosts.
        let node = std::thread::spawn(move || run_node(cases));
        let native: Vec<Answer> = cases
            .iter()
            .map(|c| {
                let (response, exit_code) = kijun_wasm::handle_bytes(c.request.as_bytes());
                Answer {
                    response,
                    exit_code,
                }
            })
            .collect();
        let mut abi = AbiHost::new(&engine, &Module::new(&engine, &module).unwrap());
        let wasmtime = cases
            .iter()
            .map(|c| abi.call(c.request.as_bytes()))
            .collect();
        let wasi_host = WasiHost::new(&engine, &Module::new(&engine, &wasi).unwrap());
        let wasmtime_wasi = cases
            .iter()
            .map(|c| wasi_host.run(c.request.as_bytes()))
            .collect();
        Runs {
            native,
            wasmtime,
            wasmtime_wasi,
            node: node.join().unwrap(),
        }
    })
}

/// The payload of the custom section `name`, read with wasmparser (an independent reader, not
/// the hand-written one of `examples/wasm_host.rs`) without compiling the module.
fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    wasmparser::Parser::new(0)
        .parse_all(wasm)
        .find_map(|payload| match payload.ok()? {
            wasmparser::Payload::CustomSection(c) if c.name() == name => Some(c.data()),
            _ => None,
        })
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n      native: {x}\n      host:   {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} and {} bytes{}",
        a.len(),
        b.len(),
        if a.starts_with("TRAP") || b.starts_with("TRAP") {
            format!(" ({})", if a.starts_with("TRAP") { a } else { b })
        } else {
            String::new()
        }
    )
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn every_host_answers_every_request_byte_identically() {
    let runs = runs();
    let cases = cases();
    let fixture_cases = cases
        .iter()
        .filter(|c| c.name.starts_with("fixtures/"))
        .count();
    assert!(fixture_cases > 100, "only {fixture_cases} fixture cases");
    let hosts: [(&str, &[Answer]); 4] = [
        ("kijun.wasm under wasmtime", &runs.wasmtime),
        ("kijun.wasm under Node (kijun.mjs)", &runs.node.module),
        ("kijun-wasi.wasm under wasmtime-wasi", &runs.wasmtime_wasi),
        ("kijun-wasi.wasm under node:wasi", &runs.node.wasi),
    ];
    let mut failures = Vec::new();
    for (host, answers) in hosts {
        assert_eq!(answers.len(), cases.len(), "{host}: answer count");
        for ((case, native), got) in cases.iter().zip(&runs.native).zip(answers) {
            if got.response != native.response {
                failures.push(format!(
                    "{}: {host} answered differently; {}",
                    case.name,
                    first_difference(&native.response, &got.response)
                ));
            } else if got.exit_code != native.exit_code {
                failures.push(format!(
                    "{}: {host} exit code {} where the native engine gives {}",
                    case.name, got.exit_code, native.exit_code
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences over {} requests (are wasm/dist/*.wasm current? run wasm/build.sh first):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn answers_are_json_with_the_clis_exit_codes() {
    let runs = runs();
    for (case, a) in cases().iter().zip(&runs.native) {
        let v: Value = serde_json::from_str(&a.response)
            .unwrap_or_else(|e| panic!("{}: the answer is not JSON: {e}", case.name));
        if case.user_error {
            assert_eq!(a.exit_code, 2, "{}: exit code", case.name);
            assert!(
                v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{}: an error answer needs error.message: {v}",
                case.name
            );
            continue;
        }
        assert!(
            v.get("error").is_none(),
            "{}: unexpected error {v}",
            case.name
        );
        if case.name.starts_with("fixtures/") || case.name.starts_with("examples/") {
            assert_eq!(v["version"], 1, "{}", case.name);
            let failed = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["status"] == "failed");
            let errors = !v["errors"].as_array().unwrap().is_empty();
            // Preview rules may fail without failing the scan, so only one direction holds.
            if a.exit_code == 1 {
                assert!(
                    failed || errors,
                    "{}: exit code 1 with nothing failing",
                    case.name
                );
            } else {
                assert_eq!(a.exit_code, 0, "{}", case.name);
                assert!(!errors, "{}: input errors but exit code 0", case.name);
            }
        }
        if v.get("format").is_some() {
            assert!(
                v["content"].as_str().is_some_and(|c| !c.is_empty()),
                "{}",
                case.name
            );
            assert_eq!(v["exit_code"], a.exit_code, "{}", case.name);
        }
        if case.name == "hostile documents" {
            assert_eq!(a.exit_code, 1, "hostile documents: {v}");
        }
    }
}

#[test]
fn invalid_utf8_is_a_user_error_in_every_host() {
    let bytes: &[u8] = b"{\"schema_version\":1,\"op\":\"rules\",\"x\":\"\xff\"}";
    let native = {
        let (response, exit_code) = kijun_wasm::handle_bytes(bytes);
        Answer {
            response,
            exit_code,
        }
    };
    assert_eq!(native.exit_code, 2);
    assert!(native.response.contains("UTF-8"), "{}", native.response);
    let engine = engine();
    let module = Module::new(&engine, module_bytes("kijun.wasm")).unwrap();
    assert_eq!(AbiHost::new(&engine, &module).call(bytes), native);
    let wasi = Module::new(&engine, module_bytes("kijun-wasi.wasm")).unwrap();
    assert_eq!(WasiHost::new(&engine, &wasi).run(bytes), native);
}

/// kijun.wasm imports nothing, stays under 8 MB, and carries its catalogue in `kijun.metadata`.
#[test]
fn the_module_is_self_contained_and_describes_itself() {
    let bytes = module_bytes("kijun.wasm");
    let size = std::fs::metadata(dist("kijun.wasm")).unwrap().len();
    assert!(
        size < MAX_MODULE_BYTES,
        "kijun.wasm is {size} bytes, over the {MAX_MODULE_BYTES}-byte budget"
    );
    // Imports, as wasmtime and Node see them.
    let engine = engine();
    let module = Module::new(&engine, &bytes).unwrap();
    let imports: Vec<String> = module
        .imports()
        .map(|i| format!("{}::{}", i.module(), i.name()))
        .collect();
    assert!(imports.is_empty(), "kijun.wasm imports {imports:?}");
    let node = &runs().node;
    assert_eq!(
        node.imports,
        json!([]),
        "WebAssembly.Module.imports() in Node"
    );
    for export in [
        "memory memory",
        "function kijun_abi_version",
        "function kijun_alloc",
        "function kijun_free",
        "function kijun_call",
        "function kijun_last_exit_code",
    ] {
        assert!(
            node.exports.iter().any(|e| e == export),
            "no export {export}: {:?}",
            node.exports
        );
    }
    assert_eq!(node.abi, i64::from(kijun_wasm::ABI_VERSION));
    // The custom section, read from the bytes without instantiating.
    let section = custom_section(&bytes, "kijun.metadata").expect("a kijun.metadata section");
    let meta: Value = serde_json::from_slice(section).expect("kijun.metadata is JSON");
    let mut ids: Vec<String> = kijun::rules::catalogue()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    ids.sort();
    assert_eq!(meta["rules"], json!(ids), "rule list in kijun.metadata");
    assert_eq!(meta["tool"], "kijun");
    assert_eq!(meta["abi"], kijun_wasm::ABI_VERSION);
    assert_eq!(meta["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(meta["catalogue"], kijun::rules::CATALOGUE_VERSION);
    assert_eq!(node.metadata, meta, "metadata() in kijun.mjs");
}

// ---------------------------------------------------------------------------------------------
// The browser page (wasm/web/index.html) in headless Chromium
// ---------------------------------------------------------------------------------------------

/// A static file server for the repository on 127.0.0.1 (random port), recording every path
/// asked for. It serves until the test process ends.
struct StaticServer {
    port: u16,
    requested: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl StaticServer {
    fn start() -> StaticServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requested = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requested.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || serve(stream, &log));
            }
        });
        StaticServer { port, requested }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requested(&self) -> Vec<String> {
        self.requested.lock().unwrap().clone()
    }
}

fn serve(mut stream: std::net::TcpStream, log: &std::sync::Mutex<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the head is not needed; read it so the browser is not cut off mid-request.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    log.lock().unwrap().push(path.clone());
    let file = common::root().join(path.trim_start_matches('/'));
    let safe = !path.split('/').any(|p| p == "..") && file.is_file();
    let (status, body, ctype) = match safe.then(|| std::fs::read(&file)) {
        Some(Ok(body)) => {
            let ctype = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("mjs" | "js") => "text/javascript; charset=utf-8",
                Some("wasm") => "application/wasm",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            ("200 OK", body, ctype)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

/// Runs headless Chromium on `url` with `mode` (`--dump-dom`, `--screenshot=…`), its standard
/// output into `out`; killed if it takes over two minutes.
fn run_browser(browser: &std::path::Path, mode: &str, url: &str, out: &std::path::Path) {
    let profile = std::env::temp_dir().join(format!(
        "kijun-wasm-chromium-{}-{}",
        std::process::id(),
        mode.len()
    ));
    let _ = std::fs::remove_dir_all(&profile);
    let child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1400,1100",
            // Virtual time runs until the page is idle (module fetched, compiled, check done)
            // or ten virtual seconds have passed; only then is the DOM dumped.
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg(url)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium starts");
    common::wait_for_browser(child, &format!("{mode} {url}"));
    let _ = std::fs::remove_dir_all(&profile);
}

/// The drop-files page checks its built-in sample (`?demo=1`) entirely in the browser and shows
/// the findings, in Japanese and in English; the only requests are the page, kijun.mjs and the
/// module. A screenshot is left in the temporary directory for a human to look at.
#[test]
fn browser_page_checks_files_in_headless_chromium() {
    module_bytes("kijun.wasm");
    let Some(browser) = common::chromium("wasm/web") else {
        return;
    };
    let server = StaticServer::start();
    let dir = std::env::temp_dir().join(format!("kijun-wasm-web-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    for (lang, heading, status) in [("ja", "検出事項", "違反"), ("en", "Findings", "failed")]
    {
        let url = server.url(&format!("/wasm/web/index.html?demo=1&lang={lang}"));
        let dom_file = dir.join(format!("dom-{lang}.html"));
        // Virtual time can run out while the module still compiles on a very busy machine: the
        // page then shows "checking"; try again rather than fail on the machine's load.
        let mut dom = String::new();
        for _attempt in 0..3 {
            run_browser(&browser, "--dump-dom", &url, &dom_file);
            dom = std::fs::read_to_string(&dom_file).unwrap();
            if dom.contains("data-state=\"done\"") || dom.contains("data-state=\"error\"") {
                break;
            }
        }
        assert!(
            dom.contains("data-state=\"done\""),
            "{lang}: the page did not finish its check:\n{dom}"
        );
        assert!(
            dom.contains(&format!("<html lang=\"{lang}\"")),
            "{lang}: page language"
        );
        assert!(dom.contains("id=\"findings\""), "{lang}: no findings table");
        assert!(dom.contains(heading), "{lang}: no heading {heading}");
        assert!(
            dom.contains(&format!(">{status}</td>")),
            "{lang}: no {status} status"
        );
        // The sample's known problems: region, unencrypted EBS volume, SSH open to the world,
        // image not pinned by digest.
        for rule in ["KJ-C1-001", "KJ-E1-001", "KJ-N1-001", "KJ-E2-101"] {
            assert!(
                dom.contains(&format!("data-rule=\"{rule}\"")),
                "{lang}: {rule} missing from the findings table"
            );
        }
        // A path may wrap after each "/" (a <wbr> there).
        assert!(dom.contains("demo/<wbr>main.tf:"), "{lang}: locations");
    }

    let png = dir.join("index-ja.png");
    run_browser(
        &browser,
        &format!("--screenshot={}", png.display()),
        &server.url("/wasm/web/index.html?demo=1"),
        &dir.join("screenshot.log"),
    );
    let shot = std::fs::read(&png).unwrap();
    assert!(
        shot.starts_with(b"\x89PNG") && shot.len() > 20_000,
        "screenshot {}",
        png.display()
    );
    eprintln!("screenshot of wasm/web/index.html: {}", png.display());

    // Nothing but the page and the module travelled (the browser may ask for a favicon).
    let allowed = [
        "/wasm/web/index.html",
        "/wasm/kijun.mjs",
        "/wasm/dist/kijun.wasm",
        "/favicon.ico",
    ];
    let requested = server.requested();
    assert!(
        requested.iter().all(|p| allowed.contains(&p.as_str())),
        "unexpected requests: {requested:?}"
    );
    assert!(requested.iter().any(|p| p == "/wasm/dist/kijun.wasm"));
}

/// The README's "same answers as the CLI, byte for byte": the `kijun` binary's
/// `check --format json` output for every fixture case and every example tree (their
/// kijun.toml applied) against the answer of `kijun_wasm::handle` to the same documents and
/// configuration, which `every_host_answers_every_request_byte_identically` holds every module
/// host to. Every byte must be the same, and the exit code.
#[test]
fn the_cli_binary_prints_what_the_module_answers() {
    let root = common::root();
    // (directory or file as the CLI is given it, its kijun.toml if any)
    let mut inputs: Vec<(String, Option<PathBuf>)> = Vec::new();
    for dir in sorted_entries(&root.join("fixtures")) {
        if !dir.path().is_dir() {
            continue;
        }
        let config = dir.path().join("kijun.toml");
        let config = config.is_file().then_some(config);
        for e in sorted_entries(&dir.path()) {
            let name = e.file_name().to_string_lossy().to_string();
            if (name.starts_with("pass") || name.starts_with("fail")) && !name.ends_with(".expect")
            {
                inputs.push((
                    format!("fixtures/{}/{name}", dir.file_name().to_string_lossy()),
                    config.clone(),
                ));
            }
        }
    }
    for e in sorted_entries(&root.join("examples")) {
        if e.path().is_dir() {
            let config = e.path().join("kijun.toml");
            inputs.push((
                format!("examples/{}", e.file_name().to_string_lossy()),
                config.is_file().then_some(config),
            ));
        }
    }
    assert!(inputs.len() > 100, "{} inputs", inputs.len());
    let mut differences = Vec::new();
    let mut compared = 0;
    for (path, config) in &inputs {
        if let Some(c) = config {
            // A kijun.toml that names other files (a ledger, a baseline, plugins) is read by the
            // CLI only; the module is given files in the request instead.
            let text = std::fs::read_to_string(c).unwrap();
            if ["ledger", "baseline", "[plugins]"]
                .iter()
                .any(|k| text.contains(k))
            {
                continue;
            }
        }
        compared += 1;
        let docs = common::docs_in(path);
        let extra: Vec<(&str, Value)> = config
            .iter()
            .map(|c| ("config", toml_as_json(c).unwrap()))
            .collect();
        // Both languages for the examples; the fixtures in Japanese (the default), to keep the
        // number of processes down.
        let langs: &[&str] = if path.starts_with("examples") {
            &["ja", "en"]
        } else {
            &["ja"]
        };
        for lang in langs {
            let request = check_request(&docs, lang, &extra);
            let (response, exit_code) = kijun_wasm::handle_bytes(request.as_bytes());
            // The CLI judges a file given alone in its directory's context (issue 15); the module
            // is given exactly these documents, so the CLI scans a copy of the input alone, at the
            // same relative path.
            let alone = standalone_copy(&root, path);
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
            cmd.args([
                "check", path, "--format", "json", "--now", NOW, "--lang", *lang,
            ])
            .current_dir(&alone)
            .env_remove("LANG")
            .env("NO_COLOR", "1");
            if let Some(c) = config {
                cmd.arg("--config").arg(c);
            }
            let out = cmd.output().unwrap();
            let _ = std::fs::remove_dir_all(&alone);
            let mut printed = String::from_utf8(out.stdout).unwrap();
            if config.is_some() {
                // The CLI records the kijun.toml file it read (path and SHA-256); the module is
                // given the configuration's tables, not a file, and records none.
                printed = without_config_file(&printed);
            }
            if printed != response {
                differences.push(format!(
                    "{path} ({lang}): {}",
                    first_difference(&response, &printed)
                ));
            } else if out.status.code() != Some(exit_code) {
                differences.push(format!(
                    "{path} ({lang}): exit code {:?} from the CLI, {exit_code} from the module",
                    out.status.code()
                ));
            }
        }
    }
    assert!(compared > 100, "only {compared} inputs compared");
    assert!(
        differences.is_empty(),
        "{} answers of {compared} inputs differ from the CLI's:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
/// The sample the page checks (`DEMO` in index.html): `(path, content)` pairs, read from the
/// page's own source so that the CLI can check the same files.
fn demo_files() -> Vec<(String, String)> {
    let page = std::fs::read_to_string(common::root().join("wasm/web/index.html")).unwrap();
    let start = page.find("const DEMO = [").expect("DEMO in index.html");
    let end = start + page[start..].find("\n];").expect("end of DEMO");
    let mut rest = &page[start..end];
    let mut out = Vec::new();
    while let Some(p) = rest.find("path: \"") {
        rest = &rest[p + 7..];
        let path = rest[..rest.find('"').unwrap()].to_string();
        let c = rest.find("content: `").unwrap();
        rest = &rest[c + 10..];
        let close = rest.find('`').unwrap();
        out.push((path, rest[..close].to_string()));
        rest = &rest[close + 1..];
    }
    assert!(out.len() >= 2, "the sample has its files: {out:?}");
    out
}

/// `kijun check <target> --format json`, run in `cwd` (so that its paths read as the page's).
fn cli_json(cwd: &std::path::Path, target: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", target, "--format", "json"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("kijun runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "kijun check {target} in {}: {}\n{}",
        cwd.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// An article key as the page must show it: `133-1-1` is 第133条第1項第1号 / Art. 133(1)(1).
fn article_text(key: &str, lang: &str) -> String {
    let parts: Vec<&str> = key.split('-').collect();
    if lang == "ja" {
        let marks = ["条", "項", "号"];
        parts
            .iter()
            .zip(marks)
            .map(|(n, m)| format!("第{n}{m}"))
            .collect()
    } else {
        let mut s = format!("Art. {}", parts[0]);
        for p in &parts[1..] {
            s.push_str(&format!("({p})"));
        }
        s
    }
}

/// The page's checks of one set of files, against the CLI's answer for the same files: the
/// summary tiles carry the CLI's counts, each row of the findings table the CLI's rule,
/// location and articles, in the CLI's order; and every piece of text reads as text.
fn assert_page_matches_cli(
    page: &common::Page,
    tiles: &Value,
    cli: &Value,
    lang: &str,
    what: &str,
    engine_english: &mut std::collections::BTreeSet<String>,
) {
    let (articles_col, location_col, rule_col) = if lang == "ja" {
        ("条項", "場所", "規則")
    } else {
        ("Articles", "Location", "Rule")
    };
    // Text that the engine's parsers and evaluators write (not-evaluated reasons, read and parse
    // errors) is judged apart: what stays English there is listed, not failed.
    common::assert_report_readable(page, lang, what, engine_english);
    for c in page.cells.iter().filter(|c| c.tag == "td") {
        assert!(
            !c.text.trim().is_empty(),
            "{what}: empty cell at {} ({})",
            c.place,
            c.column
        );
    }

    // The tiles: what the CLI counts.
    let summary = &cli["summary"];
    let errors = cli["errors"].as_array().unwrap().len();
    let expected = [
        ("files", summary["files"].as_u64().unwrap()),
        ("resources", summary["resources"].as_u64().unwrap()),
        ("failed", summary["failed"].as_u64().unwrap()),
        ("excepted", summary["excepted"].as_u64().unwrap()),
        ("notEvaluated", summary["not_evaluated"].as_u64().unwrap()),
        ("errors", errors as u64),
    ];
    for (key, want) in expected {
        let shown = tiles[key].as_str().unwrap_or_else(|| {
            panic!("{what}: no {key} tile in {tiles}");
        });
        let number = shown.lines().next().unwrap_or_default().trim();
        assert_eq!(
            number,
            want.to_string(),
            "{what}: the {key} tile shows {shown:?}; the CLI counts {want}"
        );
    }

    // The findings table, row by row.
    let findings = cli["findings"].as_array().unwrap();
    let rows = |col: &str| -> Vec<String> {
        page.cells
            .iter()
            .filter(|c| c.place.starts_with("table#findings") && c.column == col)
            .map(|c| c.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let shown_rules = rows(rule_col);
    let want_rules: Vec<String> = findings
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        shown_rules, want_rules,
        "{what}: the rules of the findings table"
    );
    let want_articles: Vec<String> = findings
        .iter()
        .map(|f| {
            f["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| article_text(a.as_str().unwrap(), lang))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    assert!(
        want_articles.iter().all(|a| !a.is_empty()),
        "{what}: a finding of the CLI cites no article"
    );
    assert_eq!(
        rows(articles_col),
        want_articles,
        "{what}: the articles cells"
    );
    let want_locations: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"]
            )
        })
        .collect();
    // The location may wrap after a "/": compare without the line breaks.
    let shown_locations: Vec<String> = rows(location_col)
        .iter()
        .map(|l| l.replace(' ', ""))
        .collect();
    assert_eq!(shown_locations, want_locations, "{what}: the locations");
}

/// The tiles of the summary: `{key: visible text}`.
const TILES_JS: &str = r##"Object.fromEntries([...document.querySelectorAll("#summary > div")].map((d) => [d.dataset.tile, d.innerText]))"##;

/// Waits for the page to finish a check it was given (the state it leaves in `data-state`).
fn await_check(b: &mut common::Browser, what: &str) {
    assert!(
        b.wait_until(
            "['done', 'error', 'empty'].includes(document.body.dataset.state)",
            120
        ),
        "{what}: the page did not finish its check"
    );
    let state = b.eval("document.body.dataset.state");
    assert_ne!(
        state,
        json!("error"),
        "{what}: the page failed: {}",
        b.eval("document.getElementById('status').innerText")
    );
}

/// What a person sees on the page, in both languages, for the sample and for every fixture
/// folder chosen through the page's own folder picker: every cell reads as text (no
/// `[object …]`, `undefined`, `NaN`, `null`, empty cell, nor English in the Japanese page), the
/// articles read 第133条第1項第1号 / Art. 133(1)(1), and the summary tiles and findings rows are
/// the CLI's for the same files. Also the empty states (no file to check, nothing failing, only
/// unreadable files), and no request but the page and the module.
///
/// `KIJUN_SCREENSHOTS=<dir>` saves screenshots of each state at 1280 and 390 pixels wide.
#[test]
fn browser_page_shows_readable_text_for_every_fixture() {
    module_bytes("kijun.wasm");
    let Some(binary) = common::chromium("wasm/web") else {
        return;
    };
    let server = StaticServer::start();
    let shots = std::env::var_os("KIJUN_SCREENSHOTS").map(PathBuf::from);
    let work = std::env::temp_dir().join(format!("kijun-wasm-page-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);

    // The sample, as files, for the CLI.
    for (path, content) in demo_files() {
        let file = work.join(&path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
    let demo_cli = cli_json(&work, "demo");
    // The empty states: no file the page reads, nothing failing, only unreadable files.
    let nothing = work.join("nothing");
    std::fs::create_dir_all(&nothing).unwrap();
    std::fs::write(nothing.join("README.md"), "# notes\n").unwrap();
    std::fs::write(nothing.join("terraform.tfstate.backup"), "{}\n").unwrap();
    let clean = work.join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(
        clean.join("main.tf"),
        "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\n",
    )
    .unwrap();
    let broken = work.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("main.tf"),
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \n",
    )
    .unwrap();
    // Latin-1, as an old editor may save it: not UTF-8, so not read (as the CLI).
    std::fs::write(
        broken.join("legacy.tf"),
        b"# \xe9t\xe9\nresource \"aws_s3_bucket\" \"a\" {}\n",
    )
    .unwrap();

    let fixtures: Vec<PathBuf> = sorted_entries(&common::root().join("fixtures"))
        .into_iter()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert!(fixtures.len() > 100, "the fixture folders are there");
    let fixture_cli: Vec<Value> = fixtures
        .iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            cli_json(dir.parent().unwrap(), &name)
        })
        .collect();

    let mut engine_english = std::collections::BTreeSet::new();
    let mut b = common::Browser::launch(&binary, "wasm/web");
    b.set_width(1280);
    for lang in ["ja", "en"] {
        b.goto(&server.url(&format!("/wasm/web/index.html?lang={lang}")));
        assert!(
            b.wait_until("document.body.dataset.state === 'ready'", 120),
            "{lang}: the page did not load the module: {}",
            b.eval("document.getElementById('status').innerText")
        );
        let page = b.seen();
        common::assert_readable(
            &page,
            lang,
            &format!("{lang}: the page before a check"),
            &|_| true,
        );
        if let Some(dir) = &shots {
            for w in [1280, 390] {
                b.screenshot(w, &dir.join(format!("page-{lang}-ready-{w}.png")));
            }
            b.set_width(1280);
        }

        // The sample, from the page's own button.
        b.eval("document.body.dataset.state = ''; document.getElementById('demo').click(); true");
        await_check(&mut b, &format!("{lang}: the sample"));
        let page = b.seen();
        let tiles = b.eval(TILES_JS);
        assert_page_matches_cli(
            &page,
            &tiles,
            &demo_cli,
            lang,
            &format!("{lang}: the sample"),
            &mut engine_english,
        );
        if let Some(dir) = &shots {
            for w in [1280, 390] {
                b.screenshot(w, &dir.join(format!("page-{lang}-demo-{w}.png")));
            }
            b.set_width(1280);
        }

        // Every fixture folder, chosen with the folder picker.
        for (dir, cli) in fixtures.iter().zip(&fixture_cli) {
            let what = format!("{lang}: {}", dir.display());
            b.eval("document.body.dataset.state = 'choosing'");
            b.set_input_files("#folder", std::slice::from_ref(dir));
            await_check(&mut b, &what);
            assert_eq!(
                b.eval("document.body.dataset.state"),
                json!("done"),
                "{what}"
            );
            let page = b.seen();
            let tiles = b.eval(TILES_JS);
            assert_page_matches_cli(&page, &tiles, cli, lang, &what, &mut engine_english);
        }

        // The empty states.
        let expect = |ja: &'static str, en: &'static str| if lang == "ja" { ja } else { en };
        for (dir, state, says) in [
            (
                &nothing,
                "empty",
                expect("検査対象のファイル", "No files to check"),
            ),
            (
                &clean,
                "done",
                expect("違反は見つかりませんでした", "No failing findings"),
            ),
            (
                &broken,
                "done",
                expect("何も検査していません", "Nothing was checked"),
            ),
        ] {
            let what = format!("{lang}: {}", dir.display());
            b.eval("document.body.dataset.state = 'choosing'");
            b.set_input_files("#folder", std::slice::from_ref(dir));
            await_check(&mut b, &what);
            assert_eq!(
                b.eval("document.body.dataset.state"),
                json!(state),
                "{what}"
            );
            let page = b.seen();
            assert!(
                page.body.contains(says),
                "{what}: the page does not say {says:?}:\n{}",
                page.body
            );
            if dir != &nothing {
                let tiles = b.eval(TILES_JS);
                let name = dir.file_name().unwrap().to_string_lossy().to_string();
                let cli = cli_json(dir.parent().unwrap(), &name);
                assert_page_matches_cli(&page, &tiles, &cli, lang, &what, &mut engine_english);
            } else {
                common::assert_readable(&page, lang, &what, &|_| true);
            }
            if let Some(shots) = &shots {
                let name = dir.file_name().unwrap().to_string_lossy().to_string();
                for w in [1280, 390] {
                    b.screenshot(w, &shots.join(format!("page-{lang}-{name}-{w}.png")));
                }
                b.set_width(1280);
            }
        }
    }

    // Nothing but the page and the module travelled, whatever was checked.
    let base = server.url("");
    let allowed = [
        "/wasm/web/index.html",
        "/wasm/kijun.mjs",
        "/wasm/dist/kijun.wasm",
        "/favicon.ico",
    ];
    let requested = b.requested_urls();
    let unexpected: Vec<&String> = requested
        .iter()
        .filter(|u| {
            let path = u
                .strip_prefix(&base)
                .map(|p| p.split(['?', '#']).next().unwrap_or(""));
            !path.is_some_and(|p| allowed.contains(&p))
        })
        .collect();
    assert!(unexpected.is_empty(), "unexpected requests: {unexpected:?}");
    b.close();
    common::print_engine_english(&engine_english);
    let _ = std::fs::remove_dir_all(&work);
}

/// A temporary directory holding only `rel` (a file or a directory tree) copied from `root`, at
/// the same relative path.
fn standalone_copy(root: &Path, rel: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let base = std::env::temp_dir().join(format!("kijun-alone-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                copy(&e.path(), &to.join(e.file_name()));
            }
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
    }
    copy(&root.join(rel), &base.join(rel));
    base
}

/// The JSON report with `run.config` (the kijun.toml file read) replaced by `null`.
fn without_config_file(json: &str) -> String {
    let Some(run) = json.find("\"run\": {") else {
        return json.to_string();
    };
    let Some(at) = json[run..]
        .find("\"config\": {")
        .map(|i| run + i + "\"config\": ".len())
    else {
        return json.to_string();
    };
    let Some(end) = json[at..].find('}').map(|i| at + i + 1) else {
        return json.to_string();
    };
    format!("{}null{}", &json[..at], &json[end..])
}
