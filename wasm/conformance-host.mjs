// The Node side of tests/wasm_conformance.rs: runs every request through kijun.wasm (one instance,
// through kijun.mjs) and through kijun-wasi.wasm (node:wasi, one instance per request, the request
// on stdin and the response on stdout), and writes the raw responses and exit codes.
//
//   node wasm/conformance-host.mjs REQUESTS.json RESPONSES.json
//
// REQUESTS.json: {"module": "…/kijun.wasm", "wasi": "…/kijun-wasi.wasm", "requests": ["<json>", …]}
// RESPONSES.json: {"imports": [...], "exports": [...], "metadata": {...}, "abi": 1,
//                  "module": [{"response", "exit_code"}], "wasi": [{"response", "exit_code"}]}

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { compile, Kijun } from "./kijun.mjs";

const [requestsPath, responsesPath] = process.argv.slice(2);
if (!requestsPath || !responsesPath) {
  console.error("usage: node conformance-host.mjs REQUESTS.json RESPONSES.json");
  process.exit(2);
}
const input = JSON.parse(readFileSync(requestsPath, "utf8"));
// Requests travel as text so that both sides send exactly the same bytes.
const requests = input.requests;

const module = await compile(readFileSync(input.module));
const kijun = new Kijun(module, await WebAssembly.instantiate(module, {}));
const out = {
  imports: WebAssembly.Module.imports(module),
  exports: WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`),
  metadata: kijun.metadata(),
  abi: kijun.abiVersion(),
  module: [],
  wasi: [],
};
for (const request of requests) {
  const response = kijun.callText(request);
  out.module.push({ response, exit_code: kijun.lastExitCode() });
}

const wasiModule = await WebAssembly.compile(readFileSync(input.wasi));
const dir = mkdtempSync(join(tmpdir(), "kijun-wasi-"));
try {
  const inPath = join(dir, "stdin.json");
  const outPath = join(dir, "stdout.json");
  const errPath = join(dir, "stderr.txt");
  for (const request of requests) {
    writeFileSync(inPath, request);
    const stdin = openSync(inPath, "r");
    const stdout = openSync(outPath, "w");
    const stderr = openSync(errPath, "w");
    let exitCode;
    try {
      // No preopens, no environment, no arguments: the command needs none.
      const wasi = new WASI({ version: "preview1", args: ["kijun-wasi"], env: {}, stdin, stdout, stderr, returnOnExit: true });
      const instance = await WebAssembly.instantiate(wasiModule, {
        wasi_snapshot_preview1: wasi.wasiImport,
      });
      exitCode = wasi.start(instance);
    } finally {
      closeSync(stdin);
      closeSync(stdout);
      closeSync(stderr);
    }
    out.wasi.push({ response: readFileSync(outPath, "utf8"), exit_code: exitCode });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

writeFileSync(responsesPath, JSON.stringify(out));
