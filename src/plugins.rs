//! WASM policy plugins: an organisation's own checks, compiled to WebAssembly in any language,
//! run by wasmtime in a sandbox. The engine only sees [`ExternalRules`]; this module finds the
//! files, compiles them, and runs each call in a fresh instance with no imports (no WASI: no
//! files, network, clock or randomness), a fuel budget, a memory cap and an output cap.
//!
//! A plugin that cannot be loaded, loops, traps, exhausts its memory or answers with garbage is
//! reported as an input error naming its file; the scan goes on with the other rules. A plugin
//! runs once per model (one per Terraform root), so the limits of one call do not bound a scan:
//! after its first failure a plugin is not called again in that scan, and it may report at most
//! [`MAX_FINDINGS_PER_SCAN`] findings in all (and [`external::MAX_FINDINGS_PER_CALL`] per call).
//! The ABI and the JSON it speaks are in `wasm/PLUGINS.md`.

use kijun_engine::config::PluginsConfig;
use kijun_engine::external::{self, ExternalHit, ExternalRules, PLUGIN_ABI};
use kijun_model::{Resource, Sources, Text};
use kijun_rules::{Rule, Settings};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use wasmtime::{
    Config, Engine, ExternType, Instance, Linker, Module, ResourceLimiter, Store, StoreLimits,
    StoreLimitsBuilder, Trap,
};

const MIB: u64 = 1 << 20;

/// The most findings one plugin may report in one scan, over all its calls. Each finding is
/// classified, positioned and rendered in every format like a built-in one; this keeps a
/// hostile plugin's share of a scan's memory and time bounded (docs/performance.md measures the
/// worst case).
pub const MAX_FINDINGS_PER_SCAN: usize = 20_000;

/// What one call of a plugin may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fuel per call (roughly one unit per WebAssembly instruction).
    pub fuel: u64,
    /// Linear memory, bytes.
    pub memory: usize,
    /// The answer's size, bytes.
    pub output: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            fuel: 1_000_000_000,
            memory: 256 << 20,
            output: 16 << 20,
        }
    }
}

impl Limits {
    /// The limits `[plugins]` of kijun.toml sets (`fuel`, `memory_mib`, `output_mib`).
    fn from_config(c: &PluginsConfig) -> Result<Limits, Text> {
        let d = Limits::default();
        let mib = |v: Option<u64>, key: &str, default: usize| -> Result<usize, Text> {
            match v {
                None => Ok(default),
                Some(n) if (1..=4096).contains(&n) => usize::try_from(n * MIB).map_err(|_| {
                    kijun_model::text!(
                        "[plugins] {key} が大きすぎます",
                        "[plugins] {key} is too large"
                    )
                }),
                Some(_) => Err(kijun_model::text!(
                    "[plugins] {key} は 1 以上 4096 以下です",
                    "[plugins] {key} must be between 1 and 4096"
                )),
            }
        };
        let fuel = match c.fuel {
            None => d.fuel,
            Some(0) => {
                return Err(kijun_model::text!(
                    "[plugins] fuel は 0 より大きい値です",
                    "[plugins] fuel must be greater than 0"
                ))
            }
            Some(f) => f,
        };
        Ok(Limits {
            fuel,
            memory: mib(c.memory_mib, "memory_mib", d.memory)?,
            output: mib(c.output_mib, "output_mib", d.output)?,
        })
    }
}

/// The exports a plugin must have, with their signatures.
const REQUIRED: &[(&str, &str)] = &[
    ("kijun_plugin_abi", "() -> (i32)"),
    ("kijun_alloc", "(i32) -> (i32)"),
    ("kijun_free", "(i32, i32) -> ()"),
    ("kijun_check", "(i32, i32) -> (i64)"),
];
const METADATA: (&str, &str) = ("kijun_plugin_metadata", "() -> (i64)");

/// One plugin file: ready to run, or the reason it cannot.
pub struct Plugin {
    name: String,
    rules: Vec<Rule>,
    state: State,
    /// Why the plugin stopped in this scan: set by its first failed call (models run in
    /// parallel, so the first to fail sets it), returned by every call after it.
    stopped: OnceLock<Text>,
    /// Findings it has reported in this scan.
    reported: AtomicUsize,
}

enum State {
    Ready {
        engine: Engine,
        module: Module,
        limits: Limits,
    },
    Failed(Text),
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("name", &self.name)
            .field("rules", &self.rules.len())
            .field(
                "failed",
                &match &self.state {
                    State::Ready { .. } => None,
                    State::Failed(e) => Some(&e.en),
                },
            )
            .finish()
    }
}

/// The store's data: the caps, and whether a call ran into the memory cap.
struct Guard {
    limits: StoreLimits,
    cap: usize,
    output: usize,
    exceeded: Option<usize>,
}

impl ResourceLimiter for Guard {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.cap {
            self.exceeded = Some(desired);
        }
        self.limits.memory_growing(current, desired, maximum)
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn table_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.table_grow_failed(error)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

fn signature(ty: &wasmtime::FuncType) -> String {
    let list = |v: Vec<String>| v.join(", ");
    format!(
        "({}) -> ({})",
        list(ty.params().map(|p| p.to_string()).collect()),
        list(ty.results().map(|p| p.to_string()).collect())
    )
}

/// The engine every plugin is compiled with: fuel metering on, and the few sources of
/// nondeterminism WebAssembly has (NaN bits, relaxed SIMD) pinned down.
fn engine() -> Result<Engine, Text> {
    let mut c = Config::new();
    c.consume_fuel(true);
    c.cranelift_nan_canonicalization(true);
    c.relaxed_simd_deterministic(true);
    c.max_wasm_stack(1 << 20);
    Engine::new(&c).map_err(|e| {
        kijun_model::text!(
            "WebAssembly ランタイムを起動できません: 「{e}」",
            "cannot start the WebAssembly runtime: {e}"
        )
    })
}

/// Checks what a module imports and exports before it ever runs.
fn inspect(module: &Module) -> Result<bool, Text> {
    let imports: Vec<String> = module
        .imports()
        .map(|i| format!("{}::{}", i.module(), i.name()))
        .collect();
    if !imports.is_empty() {
        return Err(kijun_model::text!(
            "{0} をインポートしています。プラグインはホスト関数なしで実行される（WASI なし: ファイル、ネットワーク、時計、乱数なし）ため、何もインポートしてはなりません（wasm32-unknown-unknown 向けにビルドしてください）",
            "imports {0}; plugins run with no host functions at all (no WASI: no files, network, clock or randomness), so a plugin must import nothing (build for wasm32-unknown-unknown)",
            imports.join(", ")
        ));
    }
    let mut problems = Vec::new();
    match module.get_export("memory") {
        Some(ExternType::Memory(_)) => {}
        Some(_) => problems.push(kijun_model::text!(
            "`memory` がメモリではありません",
            "`memory` is not a memory"
        )),
        None => problems.push(kijun_model::text!(
            "`memory` がありません",
            "`memory` is missing"
        )),
    }
    let mut has_metadata = false;
    for (name, want) in REQUIRED.iter().chain(std::iter::once(&METADATA)) {
        match module.get_export(name) {
            Some(ExternType::Func(f)) => {
                let got = signature(&f);
                if got != *want {
                    problems.push(kijun_model::text!(
                        "`{name}` の型が {got} です（{want} が必要です）",
                        "`{name}` has type {got}, not {want}"
                    ));
                } else if *name == METADATA.0 {
                    has_metadata = true;
                }
            }
            Some(_) => problems.push(kijun_model::text!(
                "`{name}` が関数ではありません",
                "`{name}` is not a function"
            )),
            None if *name == METADATA.0 => {}
            None => problems.push(kijun_model::text!(
                "`{name}` がありません",
                "`{name}` is missing"
            )),
        }
    }
    if problems.is_empty() {
        Ok(has_metadata)
    } else {
        let ja: Vec<&str> = problems.iter().map(|p| p.ja.as_str()).collect();
        let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
        let list = Text::new(ja.join("。"), en.join("; "));
        Err(kijun_model::text!(
            "kijun のプラグインではありません: {0}（プラグインは memory、kijun_plugin_abi、kijun_alloc、kijun_free、kijun_check をエクスポートします。wasm/PLUGINS.md を参照）",
            "is not a kijun plugin: export {0} (a plugin exports memory, kijun_plugin_abi, kijun_alloc, kijun_free and kijun_check; see wasm/PLUGINS.md)",
            list
        ))
    }
}

impl Plugin {
    fn failed(name: String, error: Text) -> Plugin {
        Plugin {
            name,
            rules: Vec::new(),
            state: State::Failed(error),
            stopped: OnceLock::new(),
            reported: AtomicUsize::new(0),
        }
    }

    /// Compiles and checks one plugin file; a broken one is kept, failed, so that every scan
    /// reports it.
    pub fn load(engine: &Engine, path: &Path, limits: Limits) -> Plugin {
        let name = crate::fsio::display_path(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return Plugin::failed(name, crate::fsio::cannot_read(&e)),
        };
        if !bytes.starts_with(b"\0asm") {
            return Plugin::failed(
                name,
                kijun_model::text!(
                    "WebAssembly モジュールではありません（\\0asm で始まっていません）",
                    "is not a WebAssembly module (it does not start with \\0asm)"
                ),
            );
        }
        let module = match Module::from_binary(engine, &bytes) {
            Ok(m) => m,
            Err(e) => {
                return Plugin::failed(
                    name,
                    kijun_model::text!(
                        "WebAssembly モジュールとして不正です: 「{0}」",
                        "is not a valid WebAssembly module: {0}",
                        root(&e)
                    ),
                )
            }
        };
        let has_metadata = match inspect(&module) {
            Ok(m) => m,
            Err(e) => return Plugin::failed(name, e),
        };
        let mut plugin = Plugin {
            name,
            rules: Vec::new(),
            state: State::Ready {
                engine: engine.clone(),
                module,
                limits,
            },
            stopped: OnceLock::new(),
            reported: AtomicUsize::new(0),
        };
        if let Err(e) = plugin.handshake(has_metadata) {
            plugin.state = State::Failed(e);
        }
        plugin
    }

    /// Asks the ABI version and the rules the plugin declares.
    fn handshake(&mut self, has_metadata: bool) -> Result<(), Text> {
        let abi = self.run(|store, instance| {
            let f = instance
                .get_typed_func::<(), i32>(&mut *store, "kijun_plugin_abi")
                .map_err(|e| wasm_error(&e))?;
            f.call(&mut *store, ())
                .map_err(|e| fault(store, e, "kijun_plugin_abi"))
        })?;
        if abi != PLUGIN_ABI {
            return Err(kijun_model::text!(
                "プラグイン ABI {abi} を使っていますが、この kijun の ABI は {PLUGIN_ABI} です",
                "speaks plugin ABI {abi}; this kijun speaks ABI {PLUGIN_ABI}"
            ));
        }
        if has_metadata {
            let text = self.run(|store, instance| {
                let f = instance
                    .get_typed_func::<(), i64>(&mut *store, METADATA.0)
                    .map_err(|e| wasm_error(&e))?;
                let packed = f
                    .call(&mut *store, ())
                    .map_err(|e| fault(store, e, METADATA.0))?;
                answer(store, instance, packed, METADATA.0)
            })?;
            self.rules = external::parse_metadata(&text)?;
        }
        Ok(())
    }

    /// Runs `f` in a fresh instance with the limits set: nothing survives from one call to
    /// the next.
    fn run<T>(
        &self,
        f: impl FnOnce(&mut Store<Guard>, &Instance) -> Result<T, Text>,
    ) -> Result<T, Text> {
        let State::Ready {
            engine,
            module,
            limits,
        } = &self.state
        else {
            return Err(kijun_model::text!("読み込まれていません", "is not loaded"));
        };
        let guard = Guard {
            limits: StoreLimitsBuilder::new()
                .memory_size(limits.memory)
                .table_elements(1 << 20)
                .instances(1)
                .memories(1)
                .tables(4)
                .trap_on_grow_failure(true)
                .build(),
            cap: limits.memory,
            output: limits.output,
            exceeded: None,
        };
        let mut store = Store::new(engine, guard);
        store.limiter(|g| g);
        store.set_fuel(limits.fuel).map_err(|e| {
            kijun_model::text!("燃料を設定できません: 「{e}」", "cannot set fuel: {e}")
        })?;
        let linker: Linker<Guard> = Linker::new(engine);
        let instance = linker
            .instantiate(&mut store, module)
            .map_err(|e| fault(&store, e, "instantiation"))?;
        f(&mut store, &instance)
    }

    fn check_resources(
        &self,
        resources: &[Resource],
        sources: &Sources,
        settings: &Settings,
    ) -> Result<Vec<ExternalHit>, Text> {
        let request = external::request_json(resources, sources, settings);
        let text = self.run(|store, instance| {
            let bytes = request.as_bytes();
            let len = i32::try_from(bytes.len()).map_err(|_| {
                kijun_model::text!(
                    "{0} バイトの要求は大きすぎます",
                    "the request of {0} bytes is too large",
                    bytes.len()
                )
            })?;
            let alloc = instance
                .get_typed_func::<i32, i32>(&mut *store, "kijun_alloc")
                .map_err(|e| wasm_error(&e))?;
            let ptr = alloc
                .call(&mut *store, len)
                .map_err(|e| fault(store, e, "kijun_alloc"))?;
            let memory = instance
                .get_memory(&mut *store, "memory")
                .ok_or_else(no_memory)?;
            if ptr == 0 && len > 0 {
                return Err(kijun_model::text!(
                    "kijun_alloc({len}) が失敗しました（0 を返しました）",
                    "kijun_alloc({len}) failed (returned 0)"
                ));
            }
            memory
                .write(&mut *store, ptr as u32 as usize, bytes)
                .map_err(|_| {
                    kijun_model::text!(
                        "kijun_alloc({len}) が返した {0} は、{1} バイトのメモリの外です",
                        "kijun_alloc({len}) returned {0}, outside its memory of {1} bytes",
                        ptr as u32,
                        memory.data_size(&*store)
                    )
                })?;
            let check = instance
                .get_typed_func::<(i32, i32), i64>(&mut *store, "kijun_check")
                .map_err(|e| wasm_error(&e))?;
            let packed = check
                .call(&mut *store, (ptr, len))
                .map_err(|e| fault(store, e, "kijun_check"))?;
            let text = answer(store, instance, packed, "kijun_check")?;
            free(store, instance, ptr, len)?;
            Ok(text)
        })?;
        external::parse_findings(&text)
    }
}

/// Reads the answer at (pointer << 32 | length), within the output cap, as UTF-8, and frees it.
fn answer(
    store: &mut Store<Guard>,
    instance: &Instance,
    packed: i64,
    what: &str,
) -> Result<String, Text> {
    let ptr = (packed >> 32) as u32;
    let len = packed as u32;
    let limit = store.data().output;
    if len as usize > limit {
        return Err(kijun_model::text!(
            "{what} の応答が {len} バイトで、出力の上限 {0}（kijun.toml の [plugins] output_mib）を超えています",
            "{what} answered {len} bytes, over the output limit of {0} ([plugins] output_mib in kijun.toml)",
            size(limit)
        ));
    }
    let memory = instance
        .get_memory(&mut *store, "memory")
        .ok_or_else(no_memory)?;
    let mut buf = vec![0u8; len as usize];
    memory.read(&*store, ptr as usize, &mut buf).map_err(|_| {
kijun_model::text!(
            "{what} の応答のバイト {ptr}..{0} が {1} バイトのメモリの外です（ポインターか長さが不正です）",
            "{what} answered with bytes {ptr}..{0} outside its memory of {1} bytes (a bad pointer or length)",
            u64::from(ptr) + u64::from(len),
            memory.data_size(&*store)
        )
    })?;
    free(store, instance, ptr as i32, len as i32)?;
    String::from_utf8(buf).map_err(|e| {
        kijun_model::text!(
            "{what} の応答が UTF-8 として不正です（{0} バイト目）",
            "{what} answered with bytes that are not UTF-8 (at byte {0})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn free(store: &mut Store<Guard>, instance: &Instance, ptr: i32, len: i32) -> Result<(), Text> {
    let f = instance
        .get_typed_func::<(i32, i32), ()>(&mut *store, "kijun_free")
        .map_err(|e| wasm_error(&e))?;
    f.call(&mut *store, (ptr, len))
        .map_err(|e| fault(store, e, "kijun_free"))
}

fn size(bytes: usize) -> String {
    if (bytes as u64).checked_rem(MIB) == Some(0) {
        format!("{} MiB", bytes as u64 / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// The innermost message of a wasmtime error on one line, without the backtrace context.
fn root(e: &wasmtime::Error) -> String {
    e.root_cause()
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A wasmtime error, quoted in the Japanese (the runtime's own words).
fn wasm_error(e: &wasmtime::Error) -> Text {
    let e = root(e);
    kijun_model::text!("「{e}」", "{e}")
}

fn no_memory() -> Text {
    kijun_model::text!("メモリをエクスポートしていません", "exports no memory")
}

/// Says why a call stopped, in the terms a plugin author can act on.
fn fault(store: &Store<Guard>, e: wasmtime::Error, what: &str) -> Text {
    if let Some(bytes) = store.data().exceeded {
        return kijun_model::text!(
            "{what} で停止しました: {0} のメモリが必要になり、上限 {1}（kijun.toml の [plugins] memory_mib）を超えました",
            "stopped in {what}: it needed {0} of memory, over the limit of {1} ([plugins] memory_mib in kijun.toml)",
            size(bytes),
            size(store.data().cap)
        );
    }
    match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => kijun_model::text!(
            "{what} で停止しました: 燃料を使い切りました（無限ループか、kijun.toml の [plugins] fuel が許すより多くの処理です）",
            "stopped in {what}: it used up its fuel (an endless loop, or more work than [plugins] fuel in kijun.toml allows)"
        ),
        Some(t) => kijun_model::text!(
            "{what} でトラップしました: 「{0}」",
            "trapped in {what}: {0}",
            t.to_string().trim_start_matches("wasm trap: ")
        ),
        None => kijun_model::text!("{what} で失敗しました: 「{0}」", "failed in {what}: {0}", root(&e)),
    }
}

impl ExternalRules for Plugin {
    fn name(&self) -> &str {
        &self.name
    }

    fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn check(
        &self,
        resources: &[Resource],
        sources: &Sources,
        settings: &Settings,
    ) -> Result<Vec<ExternalHit>, Text> {
        match &self.state {
            State::Failed(e) => Err(e.clone()),
            State::Ready { .. } if resources.is_empty() => Ok(Vec::new()),
            State::Ready { .. } => {
                if let Some(e) = self.stopped.get() {
                    return Err(e.clone());
                }
                let hits = self
                    .check_resources(resources, sources, settings)
                    .map_err(|e| self.stop(e))?;
                let total = self
                    .reported
                    .fetch_add(hits.len(), Ordering::Relaxed)
                    .saturating_add(hits.len());
                if total > MAX_FINDINGS_PER_SCAN {
                    return Err(self.stop(kijun_model::text!(
                        "この検査で {MAX_FINDINGS_PER_SCAN} 件を超える検出結果を報告しました（1 つのプラグインの上限です）",
                        "reported more than {MAX_FINDINGS_PER_SCAN} findings in this scan, the limit for one plugin"
                    )));
                }
                Ok(hits)
            }
        }
    }
}

impl Plugin {
    /// Stops the plugin for the rest of the scan: a plugin that loops would otherwise use its
    /// whole fuel budget again on every model (a hundred Terraform roots took 46 s). Every call
    /// from now on answers the first failure, word for word, so the scan reports it once
    /// whichever model failed first.
    fn stop(&self, error: Text) -> Text {
        let _ = self.stopped.set(kijun_model::text!(
            "{0}。この検査では以後呼び出していないため、残りの部分ではその規則を評価していません",
            "{0}; it was not called again in this scan, so its rules were not evaluated on the rest of it",
            &error
        ));
        self.stopped.get().cloned().unwrap_or(error)
    }
}

/// Expands one `[plugins] paths` entry, relative to `base` (the directory of kijun.toml). A
/// plain path must exist; a glob (`*`, `**`, `?`) may match nothing.
fn expand(base: &Path, pattern: &str) -> Result<Vec<PathBuf>, Text> {
    let pat = pattern.replace('\\', "/");
    let pat = pat.strip_prefix("./").unwrap_or(&pat).to_string();
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    if !pat.contains(['*', '?']) {
        let p = base.join(&pat);
        return if p.is_file() {
            Ok(vec![p])
        } else {
            let shown = crate::fsio::display_path(&p);
            Err(kijun_model::text!(
                "[plugins] paths: {shown}: そのようなファイルはありません",
                "[plugins] paths: {shown}: no such file"
            ))
        };
    }
    let literal: Vec<&str> = pat
        .split('/')
        .take_while(|s| !s.contains(['*', '?']))
        .collect();
    let absolute = Path::new(&pat).is_absolute();
    let dir = if absolute {
        PathBuf::from(format!("/{}", literal.join("/").trim_start_matches('/')))
    } else {
        base.join(literal.join("/"))
    };
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        // A link to a file is a candidate too (and the scope then decides where it leads).
        let ft = e.file_type();
        if !(ft.is_file() || (ft.is_symlink() && e.path().is_file())) {
            continue;
        }
        let rel = if absolute {
            e.path().to_string_lossy().replace('\\', "/")
        } else {
            match e.path().strip_prefix(base) {
                Ok(r) => r.to_string_lossy().replace('\\', "/"),
                Err(_) => continue,
            }
        };
        if kijun_engine::glob::matches(&pat, &rel) {
            out.push(e.path().to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

/// Loads the plugins of `[plugins]` (with the directory of kijun.toml) and of `--plugin`.
/// A missing file or a bad `[plugins]` setting is an error (a usage error for the CLI); a file
/// that is not a working plugin is loaded as failed and reported by every scan.
///
/// `scope` confines `[plugins] paths` of a kijun.toml found in the scanned tree: a pattern whose
/// fixed part, or a file that it matches, lies outside the project root is not read, and is
/// reported as a failed plugin (its content is never shown).
pub fn load(
    config: Option<(&Path, &PluginsConfig)>,
    cli: &[String],
    scope: Option<&crate::fsio::Scope>,
) -> Result<Vec<Arc<dyn ExternalRules>>, Text> {
    let limits = match config {
        Some((_, c)) => Limits::from_config(c)?,
        None => Limits::default(),
    };
    let mut files = Vec::new();
    let mut refused = Vec::new();
    if let Some((base, c)) = config {
        for p in &c.paths {
            if let Some(scope) = scope {
                // The directory a pattern starts from (or the file it names) decides, before
                // anything outside is listed.
                let fixed: PathBuf = base.join(
                    p.replace('\\', "/")
                        .split('/')
                        .take_while(|s| !s.contains(['*', '?']))
                        .collect::<Vec<_>>()
                        .join("/"),
                );
                if fixed.exists() {
                    if let Err(m) = scope.resolve(&fixed) {
                        refused.push(Plugin::failed(format!("[plugins] paths {p}"), m));
                        continue;
                    }
                }
            }
            for f in expand(base, p)? {
                match scope.map(|s| s.resolve(&f)) {
                    Some(Err(m)) => refused.push(Plugin::failed(crate::fsio::display_path(&f), m)),
                    _ => files.push(f),
                }
            }
        }
    }
    for p in cli {
        let path = PathBuf::from(p);
        if !path.is_file() {
            return Err(kijun_model::text!(
                "--plugin {p}: そのようなファイルはありません",
                "--plugin {p}: no such file"
            ));
        }
        files.push(path);
    }
    if files.is_empty() {
        return Ok(refused
            .into_iter()
            .map(|p| Arc::new(p) as Arc<dyn ExternalRules>)
            .collect());
    }
    // The same file named twice (by kijun.toml and --plugin) runs once.
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    let engine = engine()?;
    let mut plugins: Vec<Plugin> = files
        .iter()
        .map(|f| Plugin::load(&engine, f, limits))
        .collect();
    plugins.extend(refused);
    // Rule ids (and names) are unique across plugins: a later plugin that declares one again
    // is not run.
    let mut owners: std::collections::BTreeMap<String, String> = Default::default();
    for p in plugins.iter_mut() {
        let clash = p.rules.iter().find_map(|r| {
            [&r.id, &r.name]
                .into_iter()
                .find_map(|k| owners.get(k).map(|o| (k.clone(), o.clone())))
        });
        if let Some((id, other)) = clash {
            p.state = State::Failed(kijun_model::text!(
                "規則 {id} を宣言していますが、{other} も同じ規則を宣言しています",
                "declares rule {id}, which {other} declares too"
            ));
            p.rules.clear();
            continue;
        }
        for r in &p.rules {
            owners.insert(r.id.clone(), p.name.clone());
            owners.insert(r.name.clone(), p.name.clone());
        }
    }
    Ok(plugins
        .into_iter()
        .map(|p| Arc::new(p) as Arc<dyn ExternalRules>)
        .collect())
}

/// Can `--rule`/`--skip-rule` name `rule` because of the plugins? Yes when one declares it, and
/// also when one declares nothing (no metadata, or it failed to load) and so might report it,
/// but only if a plugin could use the id at all: an id in the `KJ-` namespace or a built-in
/// rule's name stays unknown (else `--rule KJ-E1-999` beside any plugin without metadata
/// selected no built-in rule and reported a clean scan).
pub fn may_declare(plugins: &[Arc<dyn ExternalRules>], rule: &str) -> bool {
    external::valid_plugin_id(rule)
        && plugins.iter().any(|p| {
            p.rules().is_empty() || p.rules().iter().any(|r| r.id == rule || r.name == rule)
        })
}
