// kijun.mjs: the kijun WASM module for JavaScript hosts (Node ≥ 18, Deno, browsers).
// No dependencies. The module itself (dist/kijun.wasm, built by wasm/build.sh) imports nothing:
// this file only moves UTF-8 JSON in and out of its memory.
//
//   import { check } from "./kijun.mjs";
//   const report = await check([{ path: "main.tf", content: text }], { lang: "en" });
//
// ABI (version 1): kijun_abi_version() -> i32; kijun_alloc(len) -> ptr; kijun_free(ptr, len);
// kijun_call(ptr, len) -> i64 (response ptr << 32 | len); kijun_last_exit_code() -> i32.

const ABI_VERSION = 1;
const METADATA_SECTION = "kijun.metadata";
const isNode =
  typeof process !== "undefined" && process.versions != null && process.versions.node != null;

/** A request the module refused (the response's `error.message`), or a trap in the module. */
export class KijunError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "KijunError";
    /** The parsed error response, when the module answered with one. */
    this.response = details.response;
    /** The CLI's exit code for the request (2 for a bad request). */
    this.exitCode = details.exitCode;
  }
}

/** Reads a file: or fetches any other URL; the bytes of the module. */
async function fetchBytes(url) {
  if (url.protocol === "file:") {
    if (!isNode) throw new KijunError(`cannot read ${url.href} outside Node`);
    const { readFile } = await import("node:fs/promises");
    return readFile(url);
  }
  return fetch(url);
}

/**
 * Compiles the module from a URL (or URL string; in Node also a file path), a fetch Response,
 * an ArrayBuffer, a typed array or DataView, or returns an already compiled WebAssembly.Module.
 */
export async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === "string") source = toUrl(source);
  if (source instanceof URL) source = await fetchBytes(source);
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) {
      throw new KijunError(`cannot load the module: HTTP ${source.status} for ${source.url}`);
    }
    const type = source.headers.get("content-type") || "";
    // Streaming compilation needs the server to say application/wasm; otherwise buffer it.
    if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(source);
    }
    source = await source.arrayBuffer();
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source);
  }
  throw new TypeError(
    "load(): expected a URL, Response, ArrayBuffer, typed array or WebAssembly.Module",
  );
}

function toUrl(s) {
  let url = null;
  try {
    url = new URL(s); // absolute: http:, https:, file:, data:, blob:
  } catch {
    // relative: a file path in Node, relative to the page in a browser
  }
  // In Node, "C:\\dir\\kijun.wasm" parses as a URL with the scheme "c:": it is a path.
  if (url !== null && !(isNode && /^[a-z]:$/i.test(url.protocol))) return url;
  if (isNode) return new URL(`file://${pathToFileHref(s)}`);
  return new URL(s, globalThis.location ? globalThis.location.href : undefined);
}

// A file path (relative to the current directory, or absolute) as the path part of a file: URL.
function pathToFileHref(p) {
  const cwd = process.cwd().replace(/\\/g, "/");
  let abs = p.replace(/\\/g, "/");
  if (!abs.startsWith("/") && !/^[A-Za-z]:\//.test(abs)) abs = `${cwd}/${abs}`;
  if (!abs.startsWith("/")) abs = `/${abs}`;
  return encodeURI(abs).replace(/[?#]/g, encodeURIComponent);
}

/** The `kijun.metadata` custom section of a compiled module, parsed; no instantiation. */
export function readMetadata(module) {
  const sections = WebAssembly.Module.customSections(module, METADATA_SECTION);
  if (sections.length === 0) throw new KijunError(`the module has no ${METADATA_SECTION} section`);
  return JSON.parse(new TextDecoder().decode(sections[0]));
}

/** Loads and instantiates the module: see {@link compile} for what `source` may be. */
export async function load(source) {
  const module = await compile(source);
  const instance = await WebAssembly.instantiate(module, {});
  return new Kijun(module, instance);
}

function today() {
  // The core has no clock: "now" (for exception expiry) is an input. The CLI's default is
  // today's date in UTC, and so is this one.
  return new Date().toISOString().slice(0, 10);
}

function dateText(now) {
  if (now === undefined || now === null) return today();
  if (now instanceof Date) return now.toISOString().slice(0, 10);
  return String(now);
}

function documentList(documents) {
  const list = Array.isArray(documents)
    ? documents
    : documents instanceof Map
      ? [...documents].map(([path, content]) => ({ path, content }))
      : Object.entries(documents || {}).map(([path, content]) => ({ path, content }));
  return list.map((d) => {
    const path = String(d.path);
    let content = d.content;
    if (content instanceof ArrayBuffer || ArrayBuffer.isView(content)) {
      try {
        content = new TextDecoder("utf-8", { fatal: true }).decode(content);
      } catch {
        // As the CLI: a file that is not UTF-8 is not read, and says so.
        throw new KijunError(`${path}: invalid UTF-8; not read`, { exitCode: 1 });
      }
    }
    // Anything else that is not a string goes through as is; the module answers with an error.
    return { path, content };
  });
}

/** One instance of the module. Calls are synchronous; an instance serves one call at a time. */
export class Kijun {
  #exports;
  #encoder = new TextEncoder();
  #decoder = new TextDecoder("utf-8");
  #broken = null;

  constructor(module, instance) {
    /** The compiled module (share it to instantiate more instances cheaply). */
    this.module = module;
    /** The WebAssembly instance. */
    this.instance = instance;
    this.#exports = instance.exports;
    const missing = ["memory", "kijun_abi_version", "kijun_alloc", "kijun_free", "kijun_call"]
      .filter((name) => !(name in this.#exports));
    if (missing.length > 0) {
      throw new KijunError(`not a kijun module: no export ${missing.join(", ")}`);
    }
    const abi = this.abiVersion();
    if (abi !== ABI_VERSION) {
      throw new KijunError(`the module speaks ABI ${abi}; this wrapper speaks ${ABI_VERSION}`);
    }
  }

  /** The module's ABI version (1). */
  abiVersion() {
    return this.#exports.kijun_abi_version();
  }

  /** The `kijun.metadata` custom section: tool, ABI and catalogue versions, the rule ids. */
  metadata() {
    return readMetadata(this.module);
  }

  /** The CLI's exit code for the last call: 0 clean, 1 failing findings or unreadable files, 2 a bad request. */
  lastExitCode() {
    return this.#exports.kijun_last_exit_code ? this.#exports.kijun_last_exit_code() : undefined;
  }

  /**
   * Sends one request (an object, or JSON text sent as is) and returns the response text as the
   * module wrote it, byte for byte. Errors in the response are NOT thrown here.
   */
  callText(request) {
    if (this.#broken) {
      throw new KijunError(`this instance trapped earlier (${this.#broken}); load a new one`);
    }
    const text = typeof request === "string" ? request : JSON.stringify(request);
    const bytes = this.#encoder.encode(text);
    const ex = this.#exports;
    try {
      const ptr = ex.kijun_alloc(bytes.length);
      if (ptr === 0) throw new KijunError(`the module cannot allocate ${bytes.length} bytes`);
      // Read memory.buffer only after the allocation: growing memory replaces the buffer.
      new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
      let packed;
      try {
        packed = BigInt.asUintN(64, BigInt(ex.kijun_call(ptr, bytes.length)));
      } finally {
        ex.kijun_free(ptr, bytes.length);
      }
      const rptr = Number(packed >> 32n);
      const rlen = Number(packed & 0xffffffffn);
      const out = this.#decoder.decode(new Uint8Array(ex.memory.buffer, rptr, rlen));
      ex.kijun_free(rptr, rlen);
      return out;
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        // A trap leaves the module's allocator in an unknown state: refuse further calls.
        this.#broken = e.message;
        throw new KijunError(`the module trapped: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }

  /**
   * Sends one request and returns the parsed response. A response `{"error": {"message"}}`
   * becomes a thrown KijunError with that message.
   */
  call(request) {
    const response = JSON.parse(this.callText(request));
    if (response !== null && typeof response === "object" && response.error != null) {
      throw new KijunError(String(response.error.message ?? "kijun error"), {
        response,
        exitCode: this.lastExitCode() ?? 2,
      });
    }
    return response;
  }

  /**
   * Checks documents ([{path, content}], a Map or an object path → content). Returns the JSON
   * report (format "json", the default) or {format, content, exit_code} for other formats.
   */
  check(documents, options = {}) {
    const request = {
      schema_version: 1,
      op: "check",
      now: dateText(options.now),
      documents: documentList(documents),
    };
    for (const key of ["lang", "config", "exceptions", "format", "repository", "invocation"]) {
      if (options[key] !== undefined) request[key] = options[key];
    }
    return this.call(request);
  }

  /** The rule catalogue. */
  rules() {
    return this.call({ schema_version: 1, op: "rules" });
  }

  /** One rule's documentation, by id (KJ-E1-001) or name. */
  explain(id) {
    return this.call({ schema_version: 1, op: "explain", rule: String(id) });
  }

  /** Which articles are checked, partly checked or manual. */
  coverage() {
    return this.call({ schema_version: 1, op: "coverage" });
  }

  /**
   * Runs a tiny check over one small document of each format, and returns this instance.
   *
   * Why: V8 compiles WebAssembly lazily, function by function, on first call. Instantiation is
   * quick, but the first real check then pays to compile every parser, evaluator and rule it
   * reaches (about 200 ms for this module), far above the per-check cost afterwards (about a
   * millisecond). Calling warm() while a page or a pipeline step starts up moves that cost out
   * of the first user-visible check. (`node --no-wasm-lazy-compilation` compiles everything at
   * instantiation instead.) The result is discarded and no state is kept between calls.
   */
  warm() {
    this.check(WARM_DOCUMENTS, { now: "2026-01-01", lang: "en" });
    return this;
  }
}

const WARM_DOCUMENTS = [
  {
    path: "warm/main.tf",
    content:
      'variable "region" {\n  default = "ap-northeast-1"\n}\n' +
      'provider "aws" {\n  region = var.region\n}\n' +
      'resource "aws_s3_bucket" "b" {\n  bucket = "warm-${var.region}"\n  tags = { owner = "x" }\n}\n',
  },
  {
    path: "warm/deploy.yaml",
    content:
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n  namespace: n\n" +
      "spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: x:1\n",
  },
  {
    path: "warm/template.json",
    content:
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", ' +
      '"Properties": {"BucketName": {"Fn::Sub": "w-${AWS::Region}"}}}}}\n',
  },
];

let defaultInstance = null;

/** The instance behind the convenience functions: ./dist/kijun.wasm beside this file. */
export function defaultKijun() {
  if (defaultInstance === null) {
    defaultInstance = load(new URL("./dist/kijun.wasm", import.meta.url));
    // A failed load is not cached: the next call tries again.
    defaultInstance.catch(() => {
      defaultInstance = null;
    });
  }
  return defaultInstance;
}

/** Checks documents with the module beside this file (loaded once). See {@link Kijun#check}. */
export async function check(documents, options = {}) {
  return (await defaultKijun()).check(documents, options);
}
