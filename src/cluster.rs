//! `kijun cluster`: reads the objects of a running Kubernetes cluster through its API server,
//! read-only, and hands them to the engine as documents, so that they go through the same
//! Kubernetes reader and rules as manifests (docs/cluster.md).
//!
//! This is the only place kijun opens a network connection, and only to the API server of the
//! chosen context. Every request is a GET (discovery, `/version`, lists); TLS is verified unless
//! the kubeconfig itself says `insecure-skip-tls-verify`. Secret values are never requested:
//! Secrets are listed as metadata only (`PartialObjectMetadataList`).

use kijun_engine::{Document, NotEvaluatedOut, Outcome};
use kijun_model::Text;
use kube::api::{Api, DynamicObject, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::discovery::{ApiResource, Discovery, Scope};
use kube::{Client, Config};
use serde_json::Value;
use std::time::Duration;

/// How to reach the cluster and what part of it to read.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ClusterArgs {
    /// The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster
    /// service account when run in a Pod).
    #[arg(long)]
    pub kubeconfig: Option<String>,
    /// The kubeconfig context (default: its current context).
    #[arg(long)]
    pub context: Option<String>,
    /// Read only this namespace (repeatable; default: the context's namespace).
    #[arg(long = "namespace", short = 'n')]
    pub namespaces: Vec<String>,
    /// Read every namespace.
    #[arg(long, short = 'A', conflicts_with = "namespaces")]
    pub all_namespaces: bool,
    /// Seconds one request to the API server may take (connecting, or one page of a list).
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

/// What was read from a cluster.
pub struct Scan {
    pub docs: Vec<Document>,
    pub context: String,
    pub server: String,
    /// The server's `gitVersion` (`v1.33.1`).
    pub version: String,
    /// Kinds not read: (synthetic path, kind, reason).
    pub not_read: Vec<(String, String, kijun_model::Text)>,
}

impl Scan {
    /// How the scan names its target in reports ("the repository" of a file scan).
    pub fn title(&self) -> String {
        format!(
            "cluster {} ({}, Kubernetes {})",
            self.context, self.server, self.version
        )
    }

    /// Kinds that were not read become "not evaluated" entries of the outcome, located at a
    /// synthetic path per kind, so every report format lists them.
    pub fn annotate(&self, outcome: &mut Outcome) {
        for (path, kind, reason) in &self.not_read {
            let id = outcome
                .sources
                .add(kijun_model::SourceFile::new(path.clone(), String::new()));
            outcome.not_evaluated.push(NotEvaluatedOut {
                rule_id: None,
                at: kijun_model::Origin {
                    file: id,
                    start: 0,
                    end: 0,
                },
                resource: Some(kind.clone()),
                kind: Some(kind.clone()),
                reason: reason.get(outcome.lang).to_string(),
            });
        }
    }
}

/// A kind the catalogue's Kubernetes rules apply to: (API group, kind). Versions come from
/// discovery (the server's preferred version), so an old or new cluster is read as it serves.
const KINDS: &[(&str, &str)] = &[
    ("", "Namespace"),
    ("", "Pod"),
    ("", "ReplicationController"),
    ("", "Service"),
    // why: read for the ingress-nginx controller keys `ssl-protocols` / `ssl-ciphers` (KJ-E3-101,
    // KJ-E4-101); other ConfigMaps are dropped right after the page is read.
    ("", "ConfigMap"),
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("batch", "Job"),
    ("batch", "CronJob"),
    ("networking.k8s.io", "Ingress"),
    ("networking.k8s.io", "NetworkPolicy"),
    ("policy", "PodDisruptionBudget"),
    ("autoscaling", "HorizontalPodAutoscaler"),
    ("storage.k8s.io", "StorageClass"),
    ("gateway.networking.k8s.io", "Gateway"),
    ("gateway.networking.k8s.io", "HTTPRoute"),
    ("gateway.networking.k8s.io", "GRPCRoute"),
    ("cert-manager.io", "Certificate"),
    ("security.istio.io", "PeerAuthentication"),
];

/// The namespace-wide facts `kijun check --cluster` takes from a cluster: what makes a
/// repository's workloads compliant without being in the repository (a default-deny policy or a
/// disruption budget deployed by another team, a namespace's classification annotations).
const CONTEXT_KINDS: &[(&str, &str)] = &[
    ("", "Namespace"),
    ("networking.k8s.io", "NetworkPolicy"),
    ("policy", "PodDisruptionBudget"),
];

/// The one Secret type a rule judges (KJ-C7-101); Secrets are read as metadata only, selected
/// by this type, which the API server filters on (`fieldSelector=type=…`).
const SA_TOKEN: &str = "kubernetes.io/service-account-token";

/// Items per page of a list (`limit`), so memory stays bounded on large clusters.
pub const PAGE: u32 = 250;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

enum Fail {
    /// The whole scan cannot go on: exit 2 with this message.
    Fatal(Text),
    /// This kind is not evaluated, for this reason.
    Kind(kijun_model::Text),
}

/// Reads the cluster. An unreachable server, a TLS failure or rejected credentials are an
/// error naming the context and server; a kind that may not be listed or times out is recorded
/// in `not_read` and the scan goes on.
pub fn read(args: &ClusterArgs) -> Result<Scan, Text> {
    read_kinds(args, KINDS, true)
}

/// Reads only the namespace-wide facts (`kijun check --cluster`), in every namespace unless
/// `--namespace` names some.
pub fn read_context(args: &ClusterArgs) -> Result<Scan, Text> {
    let mut args = args.clone();
    if args.namespaces.is_empty() {
        args.all_namespaces = true;
    }
    read_kinds(&args, CONTEXT_KINDS, false)
}

/// After a repository scan with cluster context: findings stay located in the files, so what
/// was judged on the cluster's own objects is dropped (`kijun cluster` reports those).
pub fn keep_file_findings(o: &mut Outcome) {
    let sources = &o.sources;
    o.findings
        .retain(|f| !sources.path(f.at.file).starts_with("cluster://"));
    o.not_evaluated
        .retain(|n| !sources.path(n.at.file).starts_with("cluster://"));
}

fn read_kinds(args: &ClusterArgs, kinds: &[(&str, &str)], secrets: bool) -> Result<Scan, Text> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            kijun_model::text!(
                "ネットワーク処理を開始できません: 「{e}」",
                "cannot start the network runtime: {e}"
            )
        })?;
    rt.block_on(read_async(args, kinds, secrets))
}

async fn read_async(
    args: &ClusterArgs,
    kinds: &[(&str, &str)],
    secrets: bool,
) -> Result<Scan, Text> {
    let limit = Duration::from_secs(args.timeout.max(1));
    let (mut config, context) = load_config(args).await?;
    let server = config.cluster_url.to_string();
    let server = server.trim_end_matches('/').to_string();
    if config.accept_invalid_certs {
        eprintln!(
            "kijun: warning: context {context} sets insecure-skip-tls-verify: the certificate of {server} is not verified / 証明書を検証しません"
        );
    }
    // why: every call below is bounded by `limit` as a whole (tokio timeout); the connect
    // timeout also bounds a server that never answers the TCP handshake.
    config.connect_timeout = Some(limit);
    config.read_timeout = None;
    config.write_timeout = None;
    let client = Client::try_from(config).map_err(|e| {
        kijun_model::text!(
            "コンテキスト {context}: {server} へのクライアントを用意できません: 「{e}」",
            "context {context}: cannot set up a client for {server}: {e}"
        )
    })?;
    let fatal = |what: Text, e: Text| {
        kijun_model::text!(
            "コンテキスト {context}、サーバー {server}: {0}: {1}",
            "context {context}, server {server}: {0}: {1}",
            what,
            e
        )
    };
    let no_version = || {
        kijun_model::text!(
            "サーバーのバージョンを取得できません",
            "cannot read the server version"
        )
    };
    let no_discovery = || kijun_model::text!("API の検出に失敗しました", "API discovery failed");
    let no_answer = |secs: u64| {
        kijun_model::text!(
            "{secs} 秒（--timeout）以内に応答がありません",
            "no answer within {secs}s (--timeout)"
        )
    };

    let version = match tokio::time::timeout(limit, client.apiserver_version()).await {
        Ok(Ok(v)) => v.git_version,
        Ok(Err(e)) => return Err(fatal(no_version(), describe(&e))),
        Err(_) => return Err(fatal(no_version(), no_answer(limit.as_secs()))),
    };

    let mut groups: Vec<&str> = kinds.iter().map(|(g, _)| *g).collect();
    groups.sort_unstable();
    groups.dedup();
    let discovery = match tokio::time::timeout(
        limit * 4,
        Discovery::new(client.clone()).filter(&groups).run(),
    )
    .await
    {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(fatal(no_discovery(), describe(&e))),
        Err(_) => return Err(fatal(no_discovery(), no_answer(limit.as_secs() * 4))),
    };

    let namespaces: Option<Vec<String>> = if args.all_namespaces {
        None
    } else if args.namespaces.is_empty() {
        Some(vec![client.default_namespace().to_string()])
    } else {
        let mut n = args.namespaces.clone();
        n.sort();
        n.dedup();
        Some(n)
    };

    let mut scan = Scan {
        docs: Vec::new(),
        context: context.clone(),
        server: server.clone(),
        version,
        not_read: Vec::new(),
    };
    for (group, kind) in kinds {
        let found = discovery.get(group).and_then(|g| g.recommended_kind(kind));
        let Some((ar, caps)) = found else {
            let gk = if group.is_empty() {
                (*kind).to_string()
            } else {
                format!("{kind}.{group}")
            };
            scan.not_read.push((
                format!("cluster://{context}/{kind}"),
                (*kind).to_string(),
                kijun_model::text!(
                    "{gk} はクラスターに導入されていないため検査対象外です（未評価）",
                    "not evaluated: {gk} is not installed in the cluster (skipped)"
                ),
            ));
            continue;
        };
        let namespaced = caps.scope == Scope::Namespaced;
        let targets: Vec<Option<String>> = match (&namespaces, namespaced) {
            (Some(list), true) => list.iter().cloned().map(Some).collect(),
            _ => vec![None],
        };
        for ns in targets {
            let api: Api<DynamicObject> = match &ns {
                Some(n) => Api::namespaced_with(client.clone(), n, &ar),
                None => Api::all_with(client.clone(), &ar),
            };
            match list_all(&api, limit, &ar, &context, &namespaces, &mut scan.docs).await {
                Ok(()) => {}
                Err(Fail::Fatal(e)) => {
                    let plural = &ar.plural;
                    let what =
                        kijun_model::text!("{plural} の一覧を取得できません", "listing {plural}");
                    return Err(fatal(what, e));
                }
                Err(Fail::Kind(reason)) => {
                    let at = match &ns {
                        Some(n) => format!("cluster://{context}/{n}/{kind}"),
                        None => format!("cluster://{context}/{kind}"),
                    };
                    scan.not_read.push((at, (*kind).to_string(), reason));
                }
            }
        }
    }
    // Secrets: metadata only, and only those of the type a rule judges.
    let secret_targets: Vec<Option<String>> = match (&namespaces, secrets) {
        (_, false) => Vec::new(),
        (Some(list), true) => list.iter().cloned().map(Some).collect(),
        (None, true) => vec![None],
    };
    for ns in secret_targets {
        let api: Api<k8s_openapi::api::core::v1::Secret> = match &ns {
            Some(n) => Api::namespaced(client.clone(), n),
            None => Api::all(client.clone()),
        };
        match list_secrets(&api, limit, &context, &mut scan.docs).await {
            Ok(()) => {}
            Err(Fail::Fatal(e)) => {
                let what = kijun_model::text!(
                    "Secret の一覧（メタデータのみ）を取得できません",
                    "listing secrets (metadata only)"
                );
                return Err(fatal(what, e));
            }
            Err(Fail::Kind(reason)) => {
                let at = match &ns {
                    Some(n) => format!("cluster://{context}/{n}/Secret"),
                    None => format!("cluster://{context}/Secret"),
                };
                scan.not_read.push((at, "Secret".into(), reason));
            }
        }
    }
    scan.docs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(scan)
}

/// The client configuration and the context's name: the kubeconfig named, else $KUBECONFIG or
/// ~/.kube/config, else the in-cluster service account.
async fn load_config(args: &ClusterArgs) -> Result<(Config, String), Text> {
    let kubeconfig = match &args.kubeconfig {
        Some(p) => Some(Kubeconfig::read_from(p).map_err(|e| {
            let why = chain(&e);
            kijun_model::text!("--kubeconfig {p}: 「{why}」", "--kubeconfig {p}: {why}")
        })?),
        None => {
            let env_set = std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty());
            let home = std::env::var_os("HOME")
                .map(|h| std::path::Path::new(&h).join(".kube").join("config"))
                .is_some_and(|p| p.exists());
            if env_set || home {
                Some(Kubeconfig::read().map_err(|e| {
                    let why = chain(&e);
                    kijun_model::text!("kubeconfig: 「{why}」", "kubeconfig: {why}")
                })?)
            } else {
                None
            }
        }
    };
    match kubeconfig {
        Some(kc) => {
            let context = match args.context.clone().or_else(|| kc.current_context.clone()) {
                Some(c) => c,
                None => {
                    return Err(kijun_model::text!(
                        "kubeconfig に現在のコンテキストがありません。--context で指定してください",
                        "the kubeconfig has no current context; name one with --context"
                    ))
                }
            };
            if !kc.contexts.iter().any(|c| c.name == context) {
                return Err(kijun_model::text!(
                    "kubeconfig にコンテキスト {context} はありません",
                    "the kubeconfig has no context {context}"
                ));
            }
            let opts = KubeConfigOptions {
                context: Some(context.clone()),
                ..KubeConfigOptions::default()
            };
            let cfg = Config::from_custom_kubeconfig(kc, &opts)
                .await
                .map_err(|e| {
                    let why = chain(&e);
                    kijun_model::text!(
                        "コンテキスト {context}: 「{why}」",
                        "context {context}: {why}"
                    )
                })?;
            Ok((cfg, context))
        }
        None if args.context.is_some() => {
            Err(kijun_model::text!(
                "--context には kubeconfig（$KUBECONFIG、~/.kube/config または --kubeconfig）が必要です",
                "--context needs a kubeconfig ($KUBECONFIG, ~/.kube/config or --kubeconfig)"
            ))
        }
        None => {
            let dir = std::env::var_os(SA_DIR_ENV)
                .filter(|d| !d.is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| std::path::PathBuf::from(SA_DIR));
            in_cluster(&dir)
                .map(|c| (c, "in-cluster".to_string()))
                .map_err(|e| {
                    kijun_model::text!(
                        "kubeconfig（$KUBECONFIG、~/.kube/config、--kubeconfig）がなく、Pod の中でもありません: {0}",
                        "no kubeconfig ($KUBECONFIG, ~/.kube/config, --kubeconfig) and not in a Pod: {0}",
                        e
                    )
                })
        }
    }
}

/// Where Kubernetes mounts a Pod's service account (token, ca.crt, namespace).
const SA_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// Names another directory holding the service account's files: a projected token mounted
/// elsewhere, and the tests, which cannot write under /var/run.
pub const SA_DIR_ENV: &str = "KIJUN_SERVICE_ACCOUNT_DIR";

/// The in-cluster configuration, as the Kubernetes client libraries build it: the API server
/// from `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`, TLS verified against the
/// service account's `ca.crt`, its `token` sent as a bearer token (re-read when it rotates),
/// the default namespace from its `namespace` file.
///
/// why: kube's own `Config::incluster` reads the fixed /var/run path only; this is the same
/// configuration with the directory as a parameter.
fn in_cluster(dir: &std::path::Path) -> Result<Config, Text> {
    let var = |k: &str| {
        std::env::var(k)
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| kijun_model::text!("{k} が設定されていません", "{k} is not set"))
    };
    let host = var("KUBERNETES_SERVICE_HOST")?;
    let port: u16 = var("KUBERNETES_SERVICE_PORT")?.parse().map_err(|e| {
        kijun_model::text!(
            "KUBERNETES_SERVICE_PORT: 「{e}」",
            "KUBERNETES_SERVICE_PORT: {e}"
        )
    })?;
    // Brackets for an IPv6 address, as client-go writes it.
    let host = match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => host,
    };
    let url = match format!("https://{host}:{port}").parse() {
        Ok(u) => u,
        Err(e) => {
            return Err(kijun_model::text!(
                "KUBERNETES_SERVICE_HOST/PORT: 「{e}」",
                "KUBERNETES_SERVICE_HOST/PORT: {e}"
            ))
        }
    };
    let ca_path = dir.join("ca.crt");
    let ca_shown = ca_path.display().to_string();
    let ca = std::fs::read(&ca_path).map_err(|e| {
        kijun_model::text!(
            "{ca_shown}: {0}",
            "{ca_shown}: {0}",
            crate::fsio::cannot_read(&e)
        )
    })?;
    let certs = pem_certificates(&ca)
        .map_err(|e| kijun_model::text!("{ca_shown}: {0}", "{ca_shown}: {0}", e))?;
    let token = dir.join("token");
    if !token.is_file() {
        let shown = token.display().to_string();
        return Err(kijun_model::text!(
            "{shown}: サービスアカウントのトークンがありません",
            "{shown}: no service account token"
        ));
    }
    let mut config: Config = Config::new(url);
    config.root_cert = Some(certs);
    config.auth_info.token_file = Some(token.to_string_lossy().into_owned());
    if let Ok(ns) = std::fs::read_to_string(dir.join("namespace")) {
        let ns = ns.trim();
        if !ns.is_empty() {
            config.default_namespace = ns.to_string();
        }
    }
    Ok(config)
}

/// The DER certificates of a PEM bundle.
fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, Text> {
    let text = std::str::from_utf8(pem).map_err(|_| {
        kijun_model::text!(
            "PEM 形式の証明書ファイルではありません",
            "not a PEM certificate bundle"
        )
    })?;
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line == "-----BEGIN CERTIFICATE-----" {
            body = Some(String::new());
        } else if line == "-----END CERTIFICATE-----" {
            let b = body.take().unwrap_or_default();
            let der = base64_decode(&b).ok_or_else(|| {
                kijun_model::text!(
                    "証明書が正しい base64 ではありません",
                    "a certificate is not valid base64"
                )
            })?;
            out.push(der);
        } else if let Some(b) = body.as_mut() {
            b.push_str(line);
        }
    }
    if out.is_empty() {
        return Err(kijun_model::text!(
            "ファイルに PEM 形式の証明書がありません",
            "no PEM certificate in the file"
        ));
    }
    Ok(out)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    // PEM bodies are wrapped at 64 columns; the lines were joined without their breaks.
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Lists one kind (in one namespace or all), page by page, turning each object into a document.
async fn list_all(
    api: &Api<DynamicObject>,
    limit: Duration,
    ar: &ApiResource,
    context: &str,
    namespaces: &Option<Vec<String>>,
    docs: &mut Vec<Document>,
) -> Result<(), Fail> {
    let mut token: Option<String> = None;
    loop {
        let mut lp = ListParams::default().limit(PAGE);
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let page = match tokio::time::timeout(limit, api.list(&lp)).await {
            Ok(r) => r.map_err(|e| classify(&e, &ar.plural))?,
            Err(_) => return Err(timed_out(limit, &ar.plural)),
        };
        for obj in page.items {
            if ar.kind == "Namespace" {
                // why: with --namespace, only the namespaces asked for are judged.
                if let Some(list) = namespaces {
                    if !obj.metadata.name.as_ref().is_some_and(|n| list.contains(n)) {
                        continue;
                    }
                }
            }
            if let Some(doc) = to_document(obj, ar, context) {
                docs.push(doc);
            }
        }
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(());
        }
    }
}

/// Lists service-account-token Secrets as metadata only: the request carries
/// `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`, so the server
/// sends no `data`.
async fn list_secrets(
    api: &Api<k8s_openapi::api::core::v1::Secret>,
    limit: Duration,
    context: &str,
    docs: &mut Vec<Document>,
) -> Result<(), Fail> {
    let mut token: Option<String> = None;
    loop {
        let mut lp = ListParams::default()
            .limit(PAGE)
            .fields(&format!("type={SA_TOKEN}"));
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let page = match tokio::time::timeout(limit, api.list_metadata(&lp)).await {
            Ok(r) => r.map_err(|e| classify(&e, "secrets"))?,
            Err(_) => return Err(timed_out(limit, "secrets")),
        };
        for obj in page.items {
            let mut meta = serde_json::to_value(&obj.metadata).unwrap_or(Value::Null);
            clean_metadata(&mut meta);
            let v = serde_json::json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": meta,
                "type": SA_TOKEN,
            });
            if let Some(doc) = value_document(v, "Secret", context) {
                docs.push(doc);
            }
        }
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(());
        }
    }
}

fn timed_out(limit: Duration, plural: &str) -> Fail {
    Fail::Kind(kijun_model::text!(
        "{plural} の一覧の取得が {0} 秒（--timeout）以内に終わらなかったため評価できませんでした",
        "not evaluated: listing {plural} took longer than {0}s (--timeout)",
        limit.as_secs()
    ))
}

/// A failed list: 403 (and 404, a kind removed since discovery) concern that kind only;
/// rejected credentials and transport failures end the scan.
fn classify(e: &kube::Error, plural: &str) -> Fail {
    match e {
        kube::Error::Api(r) if r.code == 403 => Fail::Kind(kijun_model::text!(
            "RBAC により一覧の取得（list {plural}）が拒否されたため評価できませんでした",
            "not evaluated: forbidden by RBAC (list {plural})"
        )),
        kube::Error::Api(r) if r.code == 404 => Fail::Kind(kijun_model::text!(
            "{plural} はクラスターが提供していないため検査対象外です（未評価）",
            "not evaluated: {plural} is not served by the cluster (skipped)"
        )),
        _ => Fail::Fatal(describe(e)),
    }
}

/// An error in words: what the server said, or the chain of transport causes (connection
/// refused, certificate not trusted, …).
fn describe(e: &kube::Error) -> Text {
    match e {
        kube::Error::Api(r) if r.code == 401 => {
            let said = &r.message;
            kijun_model::text!(
                "サーバーが認証情報を拒否しました（401 「{said}」）。トークンの期限が切れている可能性があります",
                "the server rejected the credentials (401 {said}): the token may have expired"
            )
        }
        kube::Error::Api(r) => {
            let (code, said, reason) = (r.code, &r.message, &r.reason);
            kijun_model::text!("{code} 「{said}」（{reason}）", "{code} {said} ({reason})")
        }
        _ => {
            let s = chain(e);
            if s.contains("invalid peer certificate") {
                kijun_model::text!(
                    "「{s}」（サーバーの TLS 証明書が信頼されていません。コンテキストのクラスターの certificate-authority または certificate-authority-data を確認してください）",
                    "{s} (the server's TLS certificate is not trusted: check the certificate-authority or certificate-authority-data of the context's cluster)"
                )
            } else {
                kijun_model::text!("「{s}」", "{s}")
            }
        }
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// One listed object as a document: JSON under `cluster://<context>/<namespace>/<Kind>/<name>`
/// (`cluster://<context>/<Kind>/<name>` for cluster-scoped kinds). Objects a controller of a
/// listed kind owns (the ReplicaSets of a Deployment, the Pods of a ReplicaSet, the Jobs of a
/// CronJob) are skipped: their owner is judged, as in a manifest.
fn to_document(obj: DynamicObject, ar: &ApiResource, context: &str) -> Option<Document> {
    let controlled = obj.metadata.owner_references.as_ref().is_some_and(|refs| {
        refs.iter()
            .any(|r| r.controller == Some(true) && KINDS.iter().any(|(_, k)| *k == r.kind))
    });
    if controlled {
        return None;
    }
    let mut v = serde_json::to_value(&obj).ok()?;
    let map = v.as_object_mut()?;
    // why: list items carry no apiVersion/kind; the reader needs them, as in a manifest.
    map.insert("apiVersion".into(), Value::String(ar.api_version.clone()));
    map.insert("kind".into(), Value::String(ar.kind.clone()));
    // why: status is what the cluster observed, not configuration; manifests have none.
    map.remove("status");
    if let Some(m) = map.get_mut("metadata") {
        clean_metadata(m);
    }
    if ar.kind == "ConfigMap" {
        let nginx = map
            .get("data")
            .and_then(Value::as_object)
            .is_some_and(|d| d.contains_key("ssl-protocols") || d.contains_key("ssl-ciphers"));
        if !nginx {
            return None;
        }
    }
    // Put apiVersion and kind first, as a manifest has them.
    let mut ordered = serde_json::Map::new();
    for k in ["apiVersion", "kind", "metadata"] {
        if let Some(x) = map.remove(k) {
            ordered.insert(k.into(), x);
        }
    }
    ordered.extend(std::mem::take(map));
    value_document(Value::Object(ordered), &ar.kind, context)
}

/// Drops what is bookkeeping and may be large or sensitive: managedFields and the
/// last-applied-configuration annotation (a full copy of the object as applied, which for a
/// Secret would hold its values).
fn clean_metadata(meta: &mut Value) {
    if let Some(m) = meta.as_object_mut() {
        m.remove("managedFields");
        if let Some(a) = m.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove(LAST_APPLIED);
            if a.is_empty() {
                m.remove("annotations");
            }
        }
    }
}

fn value_document(v: Value, kind: &str, context: &str) -> Option<Document> {
    let meta = v.get("metadata")?;
    let name = meta.get("name").and_then(Value::as_str).unwrap_or("");
    let path = match meta.get("namespace").and_then(Value::as_str) {
        Some(ns) => format!("cluster://{context}/{ns}/{kind}/{name}"),
        None => format!("cluster://{context}/{kind}/{name}"),
    };
    let mut text = serde_json::to_string_pretty(&v).ok()?;
    text.push('\n');
    Some(Document::new(path, text))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn ar(kind: &str, plural: &str) -> ApiResource {
        ApiResource {
            group: "apps".into(),
            version: "v1".into(),
            api_version: "apps/v1".into(),
            kind: kind.into(),
            plural: plural.into(),
        }
    }

    #[test]
    fn documents_carry_configuration_without_bookkeeping() {
        let obj: DynamicObject = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "shop",
                "managedFields": [{"manager": "kubectl"}],
                "annotations": {LAST_APPLIED: "{\"data\":{\"password\":\"x\"}}", "team": "a"}},
            "spec": {"replicas": 2},
            "status": {"readyReplicas": 2}
        }))
        .unwrap();
        let d = to_document(obj, &ar("Deployment", "deployments"), "prod").unwrap();
        assert_eq!(d.path, "cluster://prod/shop/Deployment/web");
        let v: Value = serde_json::from_str(&d.content).unwrap();
        assert_eq!(v["apiVersion"], "apps/v1");
        assert_eq!(v["kind"], "Deployment");
        assert_eq!(
            v["metadata"]["annotations"],
            serde_json::json!({"team": "a"})
        );
        assert!(v["metadata"].get("managedFields").is_none());
        assert!(v.get("status").is_none());
        assert!(d.content.starts_with("{\n  \"apiVersion\""));
    }

    #[test]
    fn objects_a_listed_controller_owns_are_left_to_their_owner() {
        let obj: DynamicObject = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-5d8f", "namespace": "shop", "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "1",
                 "controller": true}]},
            "spec": {}
        }))
        .unwrap();
        assert!(to_document(obj, &ar("ReplicaSet", "replicasets"), "prod").is_none());
    }
}
