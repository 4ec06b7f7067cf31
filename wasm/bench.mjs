// Benchmark of the kijun WASM module in Node (not a test): how long a pipeline step or a page
// waits before its first answer, and what a check costs afterwards.
//
//   bash wasm/build.sh && node wasm/bench.mjs [--runs N] [--file PATH] [--module PATH]
//
// Every "cold" number comes from a fresh Node process, since V8 caches compiled modules within a
// process. Each process measures, in order:
//   compile       WebAssembly.compile of dist/kijun.wasm (V8: validation + lazy setup)
//   instantiate   WebAssembly.instantiate
//   first check   the first one-file check on a fresh instance: V8 compiles every function it
//                 reaches on first call (lazy compilation), so this is most of the cold cost
//   warm()        the tiny check kijun.mjs offers to run at load time instead
//   check after warm()   the same one-file check, on a second fresh process, after warm()
//   steady        median of 200 further checks of the same file (after tier-up)
// and the same with `node --no-wasm-lazy-compilation` (everything compiled at instantiation).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, platform, arch } from "node:os";
import { fileURLToPath } from "node:url";

const here = new URL(".", import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const modulePath = opt("--module", fileURLToPath(new URL("dist/kijun.wasm", here)));
const runs = Number(opt("--runs", "7"));
const file = opt("--file", fileURLToPath(new URL("../examples/agency-portal/main.tf", here)));

const STEADY = 200;

async function child(mode) {
  const { Kijun, readMetadata } = await import("./kijun.mjs");
  const doc = [{ path: "main.tf", content: readFileSync(file, "utf8") }];
  const opts = { now: "2026-11-01", lang: "ja" };
  const bytes = readFileSync(modulePath);
  const out = { wall: {}, cpu: {} };
  // Wall-clock time is what a user waits; CPU time (all of the process's threads, V8's
  // background compilers included) is steadier on a busy machine.
  const measure = (key, f) => {
    const c = process.cpuUsage();
    const t = performance.now();
    const r = f();
    if (r instanceof Promise) throw new Error("measure() takes synchronous work");
    out.wall[key] = performance.now() - t;
    const d = process.cpuUsage(c);
    out.cpu[key] = (d.user + d.system) / 1000;
    return r;
  };
  let t = performance.now();
  let c = process.cpuUsage();
  const module = await WebAssembly.compile(bytes);
  out.wall.compile = performance.now() - t;
  out.cpu.compile = ((d) => (d.user + d.system) / 1000)(process.cpuUsage(c));
  t = performance.now();
  c = process.cpuUsage();
  const instance = await WebAssembly.instantiate(module, {});
  out.wall.instantiate = performance.now() - t;
  out.cpu.instantiate = ((d) => (d.user + d.system) / 1000)(process.cpuUsage(c));
  const k = new Kijun(module, instance);
  out.rules = readMetadata(module).rules.length;
  if (mode === "warm") measure("warm", () => k.warm());
  const report = measure("first", () => k.check(doc, opts));
  out.findings = report.findings.length;
  const wall = [];
  const cpu = [];
  for (let i = 0; i < STEADY; i++) {
    measure("steady", () => k.check(doc, opts));
    wall.push(out.wall.steady);
    cpu.push(out.cpu.steady);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  out.wall.steady = median(wall);
  out.cpu.steady = median(cpu);
  process.stdout.write(JSON.stringify(out));
}

function spawn(mode, nodeFlags = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), "--child", mode, "--file", file, "--module", modulePath], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
};

async function main() {
  const size = readFileSync(modulePath).length;
  const samples = { lazy: [], warm: [], eager: [] };
  for (let i = 0; i < runs; i++) {
    samples.lazy.push(spawn("cold"));
    samples.warm.push(spawn("warm"));
    samples.eager.push(spawn("cold", ["--no-wasm-lazy-compilation"]));
  }
  const rows = [
    ["compile", "lazy", "compile"],
    ["instantiate", "lazy", "instantiate"],
    ["first check (cold, lazy compilation)", "lazy", "first"],
    ["warm() at load time", "warm", "warm"],
    ["first check after warm()", "warm", "first"],
    ["steady-state check (median of 200)", "lazy", "steady"],
    ["compile (--no-wasm-lazy-compilation)", "eager", "compile"],
    ["instantiate (--no-wasm-lazy-compilation)", "eager", "instantiate"],
    ["first check (--no-wasm-lazy-compilation)", "eager", "first"],
    ["steady-state check (--no-wasm-lazy-compilation)", "eager", "steady"],
  ];
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`kijun.wasm ${(size / 1024 / 1024).toFixed(2)} MB, ${samples.lazy[0].rules} rules; ` +
    `one-file check of ${file.replace(/.*\/(examples\/)/, "$1")} (${readFileSync(file).length} bytes, ` +
    `${samples.lazy[0].findings} findings)`);
  console.log(`Node ${process.version}, ${platform()}/${arch()}, ${cpus().length} × ${cpu}; ${runs} fresh processes per row`);
  console.log("");
  const w = Math.max(...rows.map((r) => r[0].length));
  const f = (v) => `${v.toFixed(2)} ms`.padStart(10);
  console.log(`${"".padEnd(w)}  ${"wall median".padStart(11)}  ${"min".padStart(10)}  ${"max".padStart(10)}  ${"CPU median".padStart(10)}`);
  for (const [label, set, key] of rows) {
    const s = stats(samples[set].map((x) => x.wall[key]));
    const cpu = stats(samples[set].map((x) => x.cpu[key]));
    console.log(`${label.padEnd(w)}  ${f(s.median).padStart(11)}  ${f(s.min)}  ${f(s.max)}  ${f(cpu.median)}`);
  }
}

if (args[0] === "--child") {
  await child(args[1]);
} else {
  await main();
}
