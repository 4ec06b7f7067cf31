//! A Rust host for the kijun WASM module on wasmtime: loads `wasm/dist/kijun.wasm`, checks the
//! files (or directories) named on the command line and prints the module's response.
//!
//! ```text
//! bash wasm/build.sh
//! cargo run --example wasm_host -- examples/agency-portal
//! cargo run --example wasm_host -- --lang en --format sarif main.tf
//! ```
//!
//! Options: `--module PATH` (default `wasm/dist/kijun.wasm`), `--lang ja|en`, `--now YYYY-MM-DD`
//! (default today, UTC), `--format json|sarif|junit|github|gitlab|markdown|html`. The exit code
//! is the CLI's: 0 clean, 1 failing findings or unreadable files, 2 a bad request.
//!
//! The module imports nothing, so the host gives it nothing: no files, no clock, no network.
//! Everything it reads travels inside the request.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasmtime::error::Context as _;
use wasmtime::{Engine, Instance, Module, Store, StoreLimits, StoreLimitsBuilder};

/// The memory a request may use inside the module.
const MEMORY_LIMIT: usize = 2 << 30;

struct Args {
    module: PathBuf,
    lang: String,
    now: Option<String>,
    format: String,
    paths: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        module: Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/dist/kijun.wasm"),
        lang: "ja".into(),
        now: None,
        format: "json".into(),
        paths: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--module" => a.module = value("--module")?.into(),
            "--lang" => a.lang = value("--lang")?,
            "--now" => a.now = Some(value("--now")?),
            "--format" => a.format = value("--format")?,
            "-h" | "--help" => {
                return Err("usage: wasm_host [--module PATH] [--lang ja|en] [--now YYYY-MM-DD] [--format F] PATH...".into())
            }
            _ => a.paths.push(arg.into()),
        }
    }
    if a.paths.is_empty() {
        return Err("name at least one file or directory to check".into());
    }
    Ok(a)
}

/// Files below `path` (itself, when it is a file), skipping hidden entries, in sorted order.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if !e.file_name().to_string_lossy().starts_with('.') {
            collect(&e.path(), out)?;
        }
    }
    Ok(())
}

/// The `kijun.metadata` custom section, readable without instantiating the module.
fn metadata(wasm: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(custom_section(wasm, "kijun.metadata")?).ok()
}

/// The payload of the custom section `name` in a WebAssembly binary, read from the bytes without
/// compiling them: the magic and version, then (id, LEB128 size, payload) sections; a custom
/// section (id 0) starts with its LEB128-prefixed name.
fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    fn leb128(bytes: &[u8], pos: &mut usize) -> Option<usize> {
        let mut value = 0usize;
        for shift in (0..35).step_by(7) {
            let b = *bytes.get(*pos)?;
            *pos += 1;
            value |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    if wasm.get(..4)? != b"\0asm" {
        return None;
    }
    let mut pos = 8;
    while pos < wasm.len() {
        let id = *wasm.get(pos)?;
        pos += 1;
        let size = leb128(wasm, &mut pos)?;
        let body = wasm.get(pos..pos.checked_add(size)?)?;
        pos += size;
        if id == 0 {
            let mut p = 0;
            let len = leb128(body, &mut p)?;
            if body.get(p..p.checked_add(len)?)? == name.as_bytes() {
                return body.get(p + len..);
            }
        }
    }
    None
}

/// The module's exports, typed.
struct Kijun {
    store: Store<StoreLimits>,
    instance: Instance,
}

impl Kijun {
    fn load(engine: &Engine, module: &Module) -> wasmtime::Result<Kijun> {
        let limits = StoreLimitsBuilder::new().memory_size(MEMORY_LIMIT).build();
        let mut store = Store::new(engine, limits);
        store.limiter(|l| l);
        // No imports to satisfy: the instance gets nothing from the host.
        let instance = Instance::new(&mut store, module, &[])?;
        let abi = instance
            .get_typed_func::<(), i32>(&mut store, "kijun_abi_version")?
            .call(&mut store, ())?;
        wasmtime::ensure!(abi == 1, "the module speaks ABI {abi}; this host speaks 1");
        Ok(Kijun { store, instance })
    }

    /// Sends one request; returns the response text and the CLI's exit code for it.
    fn call(&mut self, request: &[u8]) -> wasmtime::Result<(String, i32)> {
        let s = &mut self.store;
        let memory = self
            .instance
            .get_memory(&mut *s, "memory")
            .context("no exported memory")?;
        let alloc = self
            .instance
            .get_typed_func::<i32, i32>(&mut *s, "kijun_alloc")?;
        let free = self
            .instance
            .get_typed_func::<(i32, i32), ()>(&mut *s, "kijun_free")?;
        let call = self
            .instance
            .get_typed_func::<(i32, i32), i64>(&mut *s, "kijun_call")?;
        let last = self
            .instance
            .get_typed_func::<(), i32>(&mut *s, "kijun_last_exit_code")?;

        let len = i32::try_from(request.len()).context("request over 2 GiB")?;
        let ptr = alloc.call(&mut *s, len)?;
        wasmtime::ensure!(ptr != 0, "the module cannot allocate {len} bytes");
        memory.write(&mut *s, ptr as u32 as usize, request)?;
        let packed = call.call(&mut *s, (ptr, len))? as u64;
        free.call(&mut *s, (ptr, len))?;
        // Pointer and length are unsigned 32-bit halves.
        let (rptr, rlen) = ((packed >> 32) as u32, packed as u32);
        let mut out = vec![0; rlen as usize];
        memory.read(&*s, rptr as usize, &mut out)?;
        free.call(&mut *s, (rptr as i32, rlen as i32))?;
        let code = last.call(&mut *s, ())?;
        Ok((String::from_utf8(out)?, code))
    }
}

fn run(args: Args) -> wasmtime::Result<ExitCode> {
    let bytes = std::fs::read(&args.module).with_context(|| {
        format!(
            "cannot read {} (run wasm/build.sh first)",
            args.module.display()
        )
    })?;
    if let Some(m) = metadata(&bytes) {
        let text = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("?").to_string();
        let rules = m
            .get("rules")
            .and_then(|r| r.as_array())
            .map_or(0, Vec::len);
        eprintln!(
            "kijun.wasm {} (catalogue {}, {rules} rules)",
            text("version"),
            text("catalogue")
        );
    }
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes)?;
    let mut kijun = Kijun::load(&engine, &module)?;

    let mut files = Vec::new();
    for p in &args.paths {
        collect(p, &mut files).with_context(|| format!("cannot read {}", p.display()))?;
    }
    let mut documents = Vec::new();
    for f in &files {
        let content = std::fs::read_to_string(f)
            .with_context(|| format!("cannot read {} as UTF-8 text", f.display()))?;
        let path = f.to_string_lossy().replace('\\', "/");
        documents.push(serde_json::json!({ "path": path, "content": content }));
    }
    // The module has no clock: "now" (for exception expiry) is an input, today by default.
    let request = serde_json::json!({
        "schema_version": 1,
        "op": "check",
        "now": args.now.unwrap_or_else(today),
        "lang": args.lang,
        "format": args.format,
        "documents": documents,
    });
    let (response, code) = kijun.call(&serde_json::to_vec(&request)?)?;
    print!("{response}");
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

/// Today's date in UTC, YYYY-MM-DD.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Days since 1970-01-01 to a proleptic Gregorian date, counting from 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let m = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * m + 2) / 5 + 1;
    let month = if m < 10 { m + 3 } else { m - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("wasm_host: {e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wasm_host: {e:#}");
            ExitCode::from(2)
        }
    }
}
