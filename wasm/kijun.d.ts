// Types for kijun.mjs, the JavaScript wrapper of the kijun WASM module, and for the JSON output
// contract (version 1) that the module, the CLI (`kijun check --format json`) and CI tools share.

// ---------------------------------------------------------------------------------------------
// The JSON output contract (version 1)
// ---------------------------------------------------------------------------------------------

export type Severity = "high" | "medium" | "low" | "info";
export type Lang = "ja" | "en";
/** Report formats a check may ask for. Every one but "json" answers a {@link RenderedReport}. */
export type Format = "json" | "sarif" | "junit" | "github" | "gitlab" | "markdown" | "html";

/** A position in a scanned document: 1-based lines, columns in Unicode scalar values. */
export interface Location {
  /** The document's path as given in the request. */
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
}

export interface FindingClassification {
  /** 機密性 1–3. */
  confidentiality: number;
  /** 完全性 1–2. */
  integrity: number;
  /** 可用性 1–2. */
  availability: number;
  /** Where the levels came from: the built-in default, kijun.toml, or the resource's tags. */
  source: "default" | "config" | "tag";
}

/** The ledger entry that excepts a finding (例外措置). */
export interface FindingException {
  id: string;
  reason: string;
  requested_by: string;
  approved_by: string;
  /** YYYY-MM-DD. */
  approved_on: string;
  /** YYYY-MM-DD. */
  expires_on: string;
  state: "active" | "expired" | "self-approved" | "unused" | string;
}

export interface Finding extends Location {
  /** `KJ-E1-001`. */
  rule_id: string;
  /** `aws-ebs-volume-unencrypted`. */
  rule_name: string;
  /** `article-paragraph[-item]`: `"133-1-1"` = 第133条第1項第1号. */
  articles: string[];
  severity: Severity;
  /** "baselined" only when a baseline was applied (the CLI's --baseline). */
  status: "failed" | "excepted" | "baselined";
  /** `aws_ebs_volume.scratch`, `module.reports.aws_db_instance.this`, `Deployment/payments/ledger`… */
  resource: string;
  /** `aws_ebs_volume`, `Deployment`, `AWS::RDS::DBInstance`, `Microsoft.Storage/storageAccounts`… */
  kind: string;
  classification: FindingClassification;
  message: string;
  remediation: string;
  /** Where the offending value was set when not at the finding itself (a tfvars line, a
   * variable default, a provider `region`, a module argument, a template parameter): the
   * lines to change. */
  related: RelatedLocation[];
  /** Terraform roots (directories) whose evaluation fails this module finding; empty for a
   * root's own resources and for other formats. */
  roots: string[];
  /** Roots that evaluate the same module resource without this finding. */
  passing_roots: string[];
  /** `KJ-C1-001@envs/dr/terraform.tfvars:1:10`: findings with the same cause are fixed by one
   * change; null when the value came from the finding's own place or from several places. */
  cause: string | null;
  exception: FindingException | null;
}

/** A place a finding's value came from. */
export interface RelatedLocation extends Location {
  /** What the place is, in the report language: "`var.region`: value set here". */
  message: string;
  /** The way the value travelled: `var.region`, `provider aws.dr`, `parameter Env`; may be empty. */
  via: string;
  /** The roots that took the value from here. */
  roots: string[];
}

/** A rule that could not decide (an unknown value): never a pass, never silently dropped. */
export interface NotEvaluated extends Location {
  /** null when nothing in the resource could be evaluated (e.g. a Helm template). */
  rule_id: string | null;
  resource: string;
  kind: string;
  reason: string;
}

/** A document that could not be read or parsed; the rest of the scan goes on. */
export interface InputError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The exception register (台帳抜粋), present when a ledger was given. */
export interface LedgerEntry {
  id: string;
  state: "active" | "expired" | "self-approved" | "unused" | string;
  /** How many findings it excepted. */
  findings: number;
  rules: string[];
  articles: string[];
  resources: string[];
  reason: string;
  requested_by: string;
  approved_by: string;
  approved_on: string;
  expires_on: string;
  file: string;
  line: number;
}

export interface Summary {
  files: number;
  resources: number;
  failed: number;
  excepted: number;
  not_evaluated: number;
  /** Only when a baseline was applied. */
  baselined?: number;
}

export interface Tool {
  name: "kijun";
  version: string;
  rulebook: string;
  catalogue: string;
}

/** The answer to a check with format "json": the JSON output contract, version 1. */
export interface Report {
  version: 1;
  tool: Tool;
  /** Sorted by file, line, column, rule. */
  findings: Finding[];
  not_evaluated: NotEvaluated[];
  errors: InputError[];
  exceptions?: LedgerEntry[];
  baseline?: { fixed: { rule_id: string; resource: string; file: string }[] };
  summary: Summary;
}

/** The answer to a check with any format but "json". */
export interface RenderedReport {
  format: Exclude<Format, "json">;
  /** The report text (SARIF JSON, JUnit XML, workflow commands, Markdown, HTML…). */
  content: string;
  /** The CLI's exit code: 0 clean, 1 failing findings or unreadable documents. */
  exit_code: 0 | 1;
}

/** The answer to a request the module refused (exit code 2). kijun.mjs throws it as KijunError. */
export interface ErrorResponse {
  version: 1;
  /** `message` in the request's language (Japanese by default); `messages` in both. */
  error: { message: string; messages: { ja: string; en: string } };
}

export interface Bilingual {
  ja: string;
  en: string;
}

/** One entry of the catalogue (`op: "rules"`, as `kijun rules --format json`). */
export interface RuleEntry {
  id: string;
  name: string;
  articles: string[];
  platforms: string[];
  /** Severity by confidentiality level: {"2": "medium", "3": "high"}. */
  severity: Record<string, Severity>;
  status: "stable" | "preview" | "deprecated";
  title: Bilingual;
}

/** `op: "explain"`: a rule's documentation. */
export interface Explanation {
  id: string;
  name: string;
  articles: string[];
  platforms: string[];
  title: Bilingual;
  what: Bilingual;
  why: Bilingual;
  remediation: Bilingual;
  limitations: Bilingual;
  /** A failing example from the rule's fixtures, when there is one. */
  example: string | null;
  /** The passing counterpart. */
  use_instead: string | null;
}

/** `op: "coverage"`: one paragraph of an in-scope article. */
export interface CoverageRow {
  /** `110-2`. */
  article: string;
  heading: Bilingual;
  status: "checked" | "partial" | "manual";
  rules: string[];
  note: Bilingual;
}

/** The `kijun.metadata` custom section. */
export interface Metadata {
  tool: "kijun";
  version: string;
  abi: number;
  catalogue: string;
  /** Every rule id of the catalogue, sorted. */
  rules: string[];
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export interface KijunDocument {
  /** Reported as is in findings; decides the format with the content (`.tf`, `.yaml`, `.json`…). */
  path: string;
  /** Text, or UTF-8 bytes (bytes that are not UTF-8 throw a KijunError, as the CLI refuses them). */
  content: string | ArrayBuffer | ArrayBufferView;
}

export type Documents =
  | KijunDocument[]
  | Map<string, string | ArrayBuffer | ArrayBufferView>
  | Record<string, string | ArrayBuffer | ArrayBufferView>;

/** kijun.toml as JSON (the same tables and keys), or kijun.toml's text. */
export type Config =
  | string
  | {
      classification?: {
        confidentiality?: 1 | 2 | 3;
        integrity?: 1 | 2;
        availability?: 1 | 2;
        rules?: {
          paths?: string[];
          modules?: string[];
          namespaces?: string[];
          resources?: string[];
          confidentiality?: 1 | 2 | 3;
          integrity?: 1 | 2;
          availability?: 1 | 2;
        }[];
      };
      regions?: {
        allowed?: string[];
        aws?: string[];
        azure?: string[];
        gcp?: string[];
        oci?: string[];
      };
      network?: {
        ipv6?: boolean;
        admin_cidrs?: string[];
        public_ports?: number[];
        admin_ports?: number[];
      };
      logging?: { min_retention_days?: number };
      cloud?: { approved_providers?: string[] };
      ledger?: { required_tags?: string[] };
      /** Accepted for kijun.toml compatibility; the module takes the ledger as `exceptions`. */
      exceptions?: { ledger?: string };
      plugins?: { paths?: string[] };
      rules?: { skip?: string[]; severity_threshold?: Severity };
    };

/** The exception ledger (kijun-exceptions.toml) as JSON, or its TOML text. */
export type Exceptions =
  | string
  | {
      exception: {
        id: string;
        rules?: string[];
        articles?: string[];
        /** Resource address patterns. */
        resources?: string[];
        reason: string;
        requested_by: string;
        approved_by: string;
        /** YYYY-MM-DD. */
        approved_on: string;
        /** YYYY-MM-DD. */
        expires_on: string;
      }[];
    };

export interface CheckOptions {
  /** "Now" for exception expiry: YYYY-MM-DD or a Date. Default: today (UTC), as the CLI. */
  now?: string | Date;
  /** Message language. Default: "ja". */
  lang?: Lang;
  config?: Config;
  exceptions?: Exceptions;
  /** Default "json". */
  format?: Format;
  /** Shown in rendered reports (SARIF, JUnit, Markdown, HTML). */
  repository?: string;
  /** The command line to show in rendered reports. */
  invocation?: string;
}

/** The raw request, as `call` sends it. */
export type Request =
  | ({
      schema_version: 1;
      op: "check";
      now?: string;
      documents: { path: string; content: string }[];
      lang?: Lang;
    } & Omit<CheckOptions, "now" | "lang">)
  | { schema_version: 1; op: "rules" }
  | { schema_version: 1; op: "explain"; rule: string }
  | { schema_version: 1; op: "coverage" };

// ---------------------------------------------------------------------------------------------
// kijun.mjs
// ---------------------------------------------------------------------------------------------

/** What `load` and `compile` accept. Strings are URLs; in Node also file paths. */
export type ModuleSource =
  | string
  | URL
  | Response
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

/** A request the module refused (the response's error message), a trap, or unreadable input. */
export class KijunError extends Error {
  name: "KijunError";
  /** The module's error response, when it answered with one. */
  response?: ErrorResponse;
  /** The CLI's exit code for the failure (2 for a bad request). */
  exitCode?: number;
}

/** One instance of the module. Calls are synchronous and one at a time. */
export class Kijun {
  constructor(module: WebAssembly.Module, instance: WebAssembly.Instance);
  readonly module: WebAssembly.Module;
  readonly instance: WebAssembly.Instance;
  abiVersion(): number;
  metadata(): Metadata;
  /** The CLI's exit code for the last call: 0, 1 (failing findings or unreadable files) or 2. */
  lastExitCode(): number | undefined;
  /** The response text exactly as the module wrote it; error responses are returned, not thrown. */
  callText(request: Request | string): string;
  /** The parsed response; an error response throws KijunError. */
  call(request: Request | string): unknown;
  check(documents: Documents, options?: CheckOptions & { format?: "json" }): Report;
  check(documents: Documents, options: CheckOptions & { format: Exclude<Format, "json"> }): RenderedReport;
  check(documents: Documents, options?: CheckOptions): Report | RenderedReport;
  rules(): RuleEntry[];
  explain(id: string): Explanation;
  coverage(): CoverageRow[];
  /** Runs a tiny check so V8's lazy compilation happens now rather than on the first real check. */
  warm(): this;
}

export function compile(source: ModuleSource): Promise<WebAssembly.Module>;
export function load(source: ModuleSource): Promise<Kijun>;
/** The `kijun.metadata` custom section of a compiled module, without instantiating it. */
export function readMetadata(module: WebAssembly.Module): Metadata;
/** The instance behind `check`: ./dist/kijun.wasm beside kijun.mjs, loaded once. */
export function defaultKijun(): Promise<Kijun>;
/** Checks documents with ./dist/kijun.wasm beside kijun.mjs. */
export function check(documents: Documents, options?: CheckOptions & { format?: "json" }): Promise<Report>;
export function check(
  documents: Documents,
  options: CheckOptions & { format: Exclude<Format, "json"> },
): Promise<RenderedReport>;
export function check(documents: Documents, options?: CheckOptions): Promise<Report | RenderedReport>;
