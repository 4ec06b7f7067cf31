//! `kijun cluster` against a real HTTPS server started in this process, which speaks the
//! Kubernetes API's discovery and list endpoints from the manifest fixtures (docs/cluster.md).
//! The server pages its lists, answers Secret lists only as metadata, forbids one kind (403),
//! and can be slow on one endpoint; a kubeconfig points at it with a generated CA and a bearer
//! token.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The fixtures the server serves (one object name per kind and namespace across them).
const FIXTURES: &[&str] = &[
    "fixtures/KJ-C7-101/fail.yaml",
    "fixtures/KJ-E3-101/fail.yaml",
    "fixtures/KJ-E5-101/fail.yaml",
    "fixtures/KJ-N7-101/fail.yaml",
];
const TOKEN: &str = "kijun-test-token";
const METADATA_ONLY: &str = "as=PartialObjectMetadataList";
/// Items per page the server sends, whatever `limit` asks: small, so lists take several pages.
const SERVER_PAGE: usize = 2;

/// (group, version, kind, plural, namespaced) the server serves.
const SERVED: &[(&str, &str, &str, &str, bool)] = &[
    ("", "v1", "Namespace", "namespaces", false),
    ("", "v1", "Pod", "pods", true),
    ("", "v1", "Service", "services", true),
    ("", "v1", "ConfigMap", "configmaps", true),
    ("", "v1", "Secret", "secrets", true),
    (
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
    ),
    ("apps", "v1", "Deployment", "deployments", true),
    ("apps", "v1", "StatefulSet", "statefulsets", true),
    ("apps", "v1", "DaemonSet", "daemonsets", true),
    ("apps", "v1", "ReplicaSet", "replicasets", true),
    ("batch", "v1", "Job", "jobs", true),
    ("batch", "v1", "CronJob", "cronjobs", true),
    ("networking.k8s.io", "v1", "Ingress", "ingresses", true),
    (
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
    ),
    (
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
    ),
    (
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
    ),
    ("cert-manager.io", "v1", "Certificate", "certificates", true),
];
/// The kind the test's credentials may not list.
const FORBIDDEN: &str = "poddisruptionbudgets";

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    uri: String,
    accept: String,
    auth: String,
}

struct Server {
    port: u16,
    ca_pem: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    objects: Arc<Vec<Value>>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture objects as the cluster holds them: a namespace on every namespaced object
/// (`default` where the manifest leaves it to `kubectl apply`), and Secrets as the API shows
/// them to a metadata-only reader of their type.
fn objects(files: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        for d in kijun_yaml::parse(0, &text).unwrap() {
            let mut v = d.root.to_json();
            let Some(kind) = v.get("kind").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let namespaced = SERVED.iter().any(|s| s.2 == kind && s.4);
            if namespaced && v["metadata"].get("namespace").is_none() {
                v["metadata"]["namespace"] = json!("default");
            }
            out.push(v);
        }
    }
    out
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
}

fn query(uri: &hyper::Uri, key: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.replace("%3D", "=").replace("%2F", "/"))
    })
}

fn route(req: &Request<hyper::body::Incoming>, objects: &[Value]) -> (u16, Value) {
    let path = req.uri().path().trim_end_matches('/').to_string();
    let accept = req
        .headers()
        .get("accept")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if auth != format!("Bearer {TOKEN}") {
        return (401, status(401, "Unauthorized", "Unauthorized"));
    }
    if req.method() != hyper::Method::GET {
        return (
            405,
            status(405, "MethodNotAllowed", "read-only test server"),
        );
    }
    let resources = |group: &str, version: &str| -> Value {
        let list: Vec<Value> = SERVED
            .iter()
            .filter(|s| s.0 == group && s.1 == version)
            .map(|s| {
                json!({"name": s.3, "singularName": s.2.to_lowercase(), "namespaced": s.4,
                       "kind": s.2, "verbs": ["get", "list", "watch"]})
            })
            .collect();
        let gv = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": list})
    };
    match path.as_str() {
        "/version" => {
            return (
                200,
                json!({"major": "1", "minor": "33", "gitVersion": "v1.33.2", "gitCommit": "0",
                       "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                       "goVersion": "go1.24", "compiler": "gc", "platform": "linux/amd64"}),
            )
        }
        "/api" => {
            return (
                200,
                json!({"kind": "APIVersions", "versions": ["v1"],
                       "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
            )
        }
        "/api/v1" => return (200, resources("", "v1")),
        "/apis" => {
            let mut groups: Vec<&str> = SERVED
                .iter()
                .map(|s| s.0)
                .filter(|g| !g.is_empty())
                .collect();
            groups.dedup();
            let list: Vec<Value> = groups
                .iter()
                .map(|g| {
                    let gv = json!({"groupVersion": format!("{g}/v1"), "version": "v1"});
                    json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
                })
                .collect();
            return (
                200,
                json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": list}),
            );
        }
        _ => {}
    }
    // /api/v1[/namespaces/NS]/PLURAL or /apis/GROUP/v1[/namespaces/NS]/PLURAL
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (group, rest) = match parts.as_slice() {
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", g, "v1", rest @ ..] => (*g, rest),
        _ => return (404, status(404, "NotFound", "not found")),
    };
    if rest.is_empty() {
        return (200, resources(group, "v1"));
    }
    let (ns, plural) = match rest {
        [p] => (None, *p),
        ["namespaces", ns, p] => (Some(*ns), *p),
        _ => return (404, status(404, "NotFound", "not found")),
    };
    let Some(served) = SERVED.iter().find(|s| s.0 == group && s.3 == plural) else {
        return (404, status(404, "NotFound", "not found"));
    };
    if plural == FORBIDDEN {
        return (
            403,
            status(
                403,
                "Forbidden",
                &format!("{plural}.{group} is forbidden: User \"kijun\" cannot list resource"),
            ),
        );
    }
    let api_version = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    let mut items: Vec<Value> = objects
        .iter()
        .filter(|o| o["kind"] == served.2 && o["apiVersion"] == api_version.as_str())
        .filter(|o| ns.is_none_or(|n| o["metadata"]["namespace"] == n))
        .cloned()
        .collect();
    let metadata_only = accept.contains(METADATA_ONLY);
    if plural == "secrets" {
        if let Some(sel) = query(req.uri(), "fieldSelector") {
            let want = sel.trim_start_matches("type=").to_string();
            items.retain(|o| o["type"] == want.as_str());
        }
    }
    let start: usize = query(req.uri(), "continue")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let end = (start + SERVER_PAGE).min(items.len());
    let page: Vec<Value> = items
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .map(|o| {
            if metadata_only {
                json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                       "metadata": o["metadata"]})
            } else {
                // why: a real server's list items carry no apiVersion/kind.
                let mut o = o.clone();
                if let Some(m) = o.as_object_mut() {
                    m.remove("apiVersion");
                    m.remove("kind");
                    if let Some(md) = m.get_mut("metadata").and_then(Value::as_object_mut) {
                        md.insert("managedFields".into(), json!([{"manager": "kubectl"}]));
                    }
                }
                o
            }
        })
        .collect();
    let mut meta = json!({"resourceVersion": "42"});
    if end < items.len() {
        meta["continue"] = json!(end.to_string());
    }
    let list = if metadata_only {
        json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "items": page})
    } else {
        json!({"kind": format!("{}List", served.2), "apiVersion": api_version, "metadata": meta, "items": page})
    };
    (200, list)
}

/// Starts the server on 127.0.0.1 (a thread with its own runtime). `slow`: a plural whose
/// lists answer only after a minute.
fn start(slow: Option<&'static str>) -> Server {
    start_with(FIXTURES, slow)
}

fn start_with(files: &[&str], slow: Option<&'static str>) -> Server {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "kijun test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    // why: the same ring provider the client uses; its deprecation concerns post-quantum key
    // exchange, which a test on 127.0.0.1 does not need.
    #[allow(deprecated)]
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let tls = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let objects = Arc::new(objects(files));
    let (seen2, objects2) = (seen.clone(), objects.clone());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let (acceptor, seen, objects) = (acceptor.clone(), seen2.clone(), objects2.clone());
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(move |req: Request<_>| {
                        let (seen, objects) = (seen.clone(), objects.clone());
                        async move {
                            let header = |h: &str| {
                                req.headers()
                                    .get(h)
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or("")
                                    .to_string()
                            };
                            seen.lock().unwrap().push(Seen {
                                method: req.method().to_string(),
                                uri: req.uri().to_string(),
                                accept: header("accept"),
                                auth: header("authorization"),
                            });
                            if slow.is_some_and(|p| req.uri().path().ends_with(p)) {
                                tokio::time::sleep(Duration::from_secs(60)).await;
                            }
                            let (code, body) = route(&req, &objects);
                            let resp = Response::builder()
                                .status(code)
                                .header("content-type", "application/json")
                                .body(Full::new(Bytes::from(body.to_string())))
                                .unwrap();
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
    });
    Server {
        port,
        ca_pem: ca.pem(),
        seen,
        objects,
    }
}

fn b64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A kubeconfig for the server: context `test-ctx`, the CA inline, a bearer token.
fn kubeconfig(dir: &Path, s: &Server) -> PathBuf {
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: test-ctx\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:{}\n    certificate-authority-data: {}\ncontexts:\n- name: test-ctx\n  context:\n    cluster: test\n    user: reader\n    namespace: default\nusers:\n- name: reader\n  user:\n    token: {TOKEN}\n",
        s.port,
        b64(s.ca_pem.as_bytes())
    );
    let p = dir.join("kubeconfig");
    std::fs::write(&p, text).unwrap();
    p
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-cluster-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn kijun(args: &[&str]) -> (i32, String, String, Duration) {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .env_remove("KUBECONFIG")
        .env("LANG", "C")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        t.elapsed(),
    )
}

/// (rule id, resource) of the failed findings of a JSON report.
fn findings(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "failed")
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_cluster_is_judged_like_its_manifests_with_only_gets_and_no_secret_values() {
    let s = start(None);
    let dir = tmp("parity");
    let kc = kubeconfig(&dir, &s);
    let kc = kc.to_str().unwrap();
    let (code, out, err, _) = kijun(&[
        "cluster",
        "--kubeconfig",
        kc,
        "--all-namespaces",
        "--format",
        "json",
        "--now",
        "2026-12-01",
    ]);
    assert_eq!(code, 1, "findings fail the scan: {err}");
    let report: Value = serde_json::from_str(&out).unwrap();

    // The same objects as files, as a cluster's metadata-only reader sees Secrets.
    let files = dir.join("objects");
    std::fs::create_dir_all(&files).unwrap();
    for (i, o) in s.objects.iter().enumerate() {
        let mut o = o.clone();
        // Only what the server serves and lets the reader list.
        let served = SERVED
            .iter()
            .find(|s| o["kind"] == s.2)
            .is_some_and(|s| s.3 != FORBIDDEN);
        if !served {
            continue;
        }
        if o["kind"] == "Secret" {
            if o["type"] != "kubernetes.io/service-account-token" {
                continue;
            }
            o = json!({"apiVersion": "v1", "kind": "Secret", "metadata": o["metadata"], "type": o["type"]});
        }
        std::fs::write(files.join(format!("{i:02}.json")), o.to_string()).unwrap();
    }
    let (_, fout, ferr, _) = kijun(&[
        "check",
        files.to_str().unwrap(),
        "--isolated",
        "--format",
        "json",
        "--now",
        "2026-12-01",
    ]);
    let freport: Value = serde_json::from_str(&fout).unwrap_or_else(|_| panic!("{ferr}"));
    let from_cluster = findings(&report);
    let from_files = findings(&freport);
    assert!(
        from_cluster.iter().any(|(r, _)| r == "KJ-N7-101")
            && from_cluster.iter().any(|(r, _)| r == "KJ-C7-101")
            && from_cluster.iter().any(|(r, _)| r == "KJ-E5-101"),
        "{from_cluster:?}"
    );
    assert_eq!(from_cluster, from_files);

    // Findings are located in the cluster.
    for f in report["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        assert!(file.starts_with("cluster://test-ctx/"), "{file}");
    }
    let certs: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "Certificate")
        .collect();
    assert!(certs
        .iter()
        .any(|f| f["file"] == "cluster://test-ctx/iot/Certificate/iot-gateway"));

    let seen = s.seen.lock().unwrap().clone();
    // Only GET requests, all with the kubeconfig's token.
    assert!(seen.iter().all(|r| r.method == "GET"), "{seen:?}");
    assert!(seen.iter().all(|r| r.auth == format!("Bearer {TOKEN}")));
    // No request could have returned a Secret's values.
    let secret_reqs: Vec<&Seen> = seen.iter().filter(|r| r.uri.contains("/secrets")).collect();
    assert!(!secret_reqs.is_empty());
    assert!(
        secret_reqs.iter().all(|r| r.accept.contains(METADATA_ONLY)),
        "{secret_reqs:?}"
    );
    // Pagination: certificates (3 in the fixtures) took a second page.
    assert!(seen
        .iter()
        .any(|r| r.uri.contains("/certificates") && r.uri.contains("continue=2")));

    // The forbidden kind is reported, the not-installed CRDs are listed, and the scan went on.
    let ne = report["not_evaluated"].as_array().unwrap();
    assert!(ne.iter().any(|n| n["kind"] == "PodDisruptionBudget"
        && n["reason"].as_str().unwrap().contains("forbidden by RBAC")));
    assert!(ne.iter().any(|n| n["kind"] == "PeerAuthentication"
        && n["reason"].as_str().unwrap().contains("not installed")));
}

#[test]
fn every_report_format_names_the_cluster_locations() {
    let s = start(None);
    let dir = tmp("formats");
    let kc = kubeconfig(&dir, &s);
    let kc = kc.to_str().unwrap();
    for format in [
        "text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html",
    ] {
        let (code, out, err, _) = kijun(&[
            "cluster",
            "--kubeconfig",
            kc,
            "-A",
            "--format",
            format,
            "--lang",
            "en",
            "--now",
            "2026-12-01",
        ]);
        assert_eq!(code, 1, "{format}: {err}");
        // why: SARIF locations are relative URI references and GitHub workflow-command
        // properties escape `:`; both show the path with `%3A`.
        let at = match format {
            "sarif" | "github" => "cluster%3A//test-ctx/iot/Certificate/iot-gateway",
            _ => "cluster://test-ctx/iot/Certificate/iot-gateway",
        };
        assert!(out.contains(at), "{format}: {out}");
        if format == "html" {
            assert!(out.contains("test-ctx") && out.contains("v1.33.2"), "html");
        }
    }
}

#[test]
fn a_slow_endpoint_is_bounded_by_the_timeout_and_the_scan_goes_on() {
    let s = start(Some("/ingresses"));
    let dir = tmp("slow");
    let kc = kubeconfig(&dir, &s);
    let (_, out, err, took) = kijun(&[
        "cluster",
        "--kubeconfig",
        kc.to_str().unwrap(),
        "-A",
        "--timeout",
        "2",
        "--format",
        "json",
    ]);
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let ne = report["not_evaluated"].as_array().unwrap();
    assert!(
        ne.iter()
            .any(|n| n["kind"] == "Ingress"
                && n["reason"].as_str().unwrap().contains("longer than 2s")),
        "{ne:?}"
    );
    // Other kinds were still read and judged.
    assert!(findings(&report).iter().any(|(r, _)| r == "KJ-N7-101"));
}

#[test]
fn an_unreachable_server_or_untrusted_certificate_is_exit_2_naming_context_and_server() {
    let s = start(None);
    let dir = tmp("fail");
    // A server that is not there: a port bound and closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let kc = kubeconfig(&dir, &s);
    let text = std::fs::read_to_string(&kc).unwrap();
    let gone = dir.join("gone");
    std::fs::write(&gone, text.replace(&s.port.to_string(), &port.to_string())).unwrap();
    let (code, _, err, _) = kijun(&["cluster", "--kubeconfig", gone.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("context test-ctx") && err.contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );

    // The server's certificate from a CA the kubeconfig does not name.
    let other = start(None);
    let wrong = dir.join("wrong-ca");
    std::fs::write(
        &wrong,
        text.replace(&b64(s.ca_pem.as_bytes()), &b64(other.ca_pem.as_bytes())),
    )
    .unwrap();
    let (code, _, err, _) = kijun(&["cluster", "--kubeconfig", wrong.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("context test-ctx"), "{err}");

    // Rejected credentials.
    let expired = dir.join("expired");
    std::fs::write(&expired, text.replace(TOKEN, "expired-token")).unwrap();
    let (code, _, err, _) = kijun(&["cluster", "--kubeconfig", expired.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("401") && err.contains("expired"), "{err}");
}

/// The same server answers the real kubectl, when it is installed.
#[test]
fn kubectl_reads_the_test_server() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        eprintln!("kubectl is not installed; skipped");
        return;
    }
    let s = start(None);
    let dir = tmp("kubectl");
    let kc = kubeconfig(&dir, &s);
    let out = Command::new("kubectl")
        .args(["--kubeconfig", kc.to_str().unwrap(), "get", "pods", "-A"])
        .env("HOME", &dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("debug-shell"), "{text}");
}

/// `kijun check --cluster`: a default-deny NetworkPolicy deployed in the cluster (by another
/// team, from another repository) is taken into account for the repository's workloads, and the
/// findings stay located in the files.
#[test]
fn check_with_cluster_context_takes_namespace_policies_from_the_cluster() {
    let s = start_with(&["fixtures/KJ-N7-101/pass.yaml"], None);
    let dir = tmp("context");
    let kc = kubeconfig(&dir, &s);
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(
        repo.join("ledger.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger\n  namespace: payments\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ledger\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ledger\n    spec:\n      containers:\n        - name: ledger\n          image: registry.example.jp/payments/ledger:2.4.1\n",
    )
    .unwrap();
    let repo = repo.to_str().unwrap();
    let args = [
        "check",
        repo,
        "--isolated",
        "--format",
        "json",
        "--rule",
        "KJ-N7-101",
    ];
    let (_, out, err, _) = kijun(&args);
    let alone: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    assert_eq!(
        findings(&alone),
        vec![(
            "KJ-N7-101".to_string(),
            "Deployment/payments/ledger".to_string()
        )]
    );

    let mut with = args.to_vec();
    with.extend(["--cluster", "--kubeconfig", kc.to_str().unwrap()]);
    let (code, out, err, _) = kijun(&with);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    assert_eq!(findings(&report), vec![], "{out}");
    assert_eq!(code, 0, "{err}");
    // Only the namespace-wide kinds were asked for, and nothing is located in the cluster.
    let seen = s.seen.lock().unwrap().clone();
    assert!(seen.iter().any(|r| r.uri.contains("/networkpolicies")));
    assert!(!seen
        .iter()
        .any(|r| r.uri.contains("/deployments") || r.uri.contains("/secrets")));
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["file"].as_str().unwrap().starts_with("cluster://")));
}

/// Findings on cluster objects are located by the object's address and the JSON path of the
/// offending field, in every report format: a field of the pod template
/// (`spec.template.spec.hostNetwork`, KJ-N7-103) and the object as a whole (no NetworkPolicy
/// selects it, KJ-N7-101: anchored at `metadata.name`).
#[test]
fn findings_name_the_offending_field_by_its_json_path_in_every_format() {
    let s = start_with(
        &[
            "fixtures/KJ-N7-103/fail.yaml",
            "fixtures/KJ-N7-101/fail.yaml",
        ],
        None,
    );
    let dir = tmp("json-path");
    let kc = kubeconfig(&dir, &s);
    let kc = kc.to_str().unwrap();
    let run = |format: &str| {
        let (code, out, err, _) = kijun(&[
            "cluster",
            "--kubeconfig",
            kc,
            "-A",
            "--rule",
            "KJ-N7-103",
            "--rule",
            "KJ-N7-101",
            "--format",
            format,
            "--lang",
            "en",
            "--now",
            "2026-12-01",
        ]);
        assert_eq!(code, 1, "{format}: {err}");
        out
    };
    const DS: &str = "cluster://test-ctx/monitoring/DaemonSet/node-exporter";
    let host_network = format!("{DS}#spec.template.spec.hostNetwork");
    let host_port = format!("{DS}#spec.template.spec.containers[0].ports[0].hostPort");
    let whole = format!("{DS}#metadata.name");

    // JSON: the address in `file`, the field in `json_path`.
    let report: Value = serde_json::from_str(&run("json")).unwrap();
    let mut got: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == DS)
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["json_path"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let ds = "DaemonSet/monitoring/node-exporter".to_string();
    assert_eq!(
        got,
        vec![
            ("KJ-N7-101".into(), "metadata.name".into(), ds.clone()),
            (
                "KJ-N7-103".into(),
                "spec.template.spec.containers[0].ports[0].hostPort".into(),
                ds.clone()
            ),
            (
                "KJ-N7-103".into(),
                "spec.template.spec.hostNetwork".into(),
                ds.clone()
            ),
        ]
    );
    // Every cluster finding has a path, and a CronJob's pod template is found under its job
    // template.
    for f in report["findings"].as_array().unwrap() {
        assert!(f["json_path"].is_string(), "{f}");
    }
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["file"] == "cluster://test-ctx/ops/CronJob/link-check"
            && f["json_path"] == "spec.jobTemplate.spec.template.spec.hostNetwork"));

    // SARIF: a logical location of kind "property" and the path in the location's properties,
    // valid against the SARIF 2.1.0 schema.
    let sarif_text = run("sarif");
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let hn = results
        .iter()
        .map(|r| &r["locations"][0])
        .find(|l| l["properties"]["jsonPath"] == "spec.template.spec.hostNetwork")
        .unwrap_or_else(|| panic!("{sarif_text}"));
    assert_eq!(
        hn["physicalLocation"]["artifactLocation"]["uri"],
        "cluster%3A//test-ctx/monitoring/DaemonSet/node-exporter"
    );
    let logical = hn["logicalLocations"].as_array().unwrap();
    assert!(logical.iter().any(|l| l["kind"] == "resource"));
    assert!(logical
        .iter()
        .any(|l| l["kind"] == "property"
            && l["fullyQualifiedName"] == "spec.template.spec.hostNetwork"));
    let sarif_file = dir.join("cluster.sarif");
    std::fs::write(&sarif_file, &sarif_text).unwrap();
    validate_sarif(&sarif_file);

    // What a person reads: the address and the field, no line of kijun's serialisation.
    for format in ["text", "markdown", "html", "junit"] {
        let out = run(format);
        let out = if format == "html" {
            out.replace("&#x2F;", "/").replace("&quot;", "\"")
        } else {
            out
        };
        for want in [&host_network, &host_port] {
            assert!(out.contains(want.as_str()), "{format}: no {want} in\n{out}");
        }
        if format != "markdown" {
            // The Markdown report lists failed findings once per row; N7-101 is there too.
            assert!(out.contains(whole.as_str()), "{format}: no {whole}");
        }
        assert!(
            !out.contains(&format!("{DS}:")),
            "{format}: a line number of the serialisation is shown:\n{out}"
        );
    }
    // GitHub and GitLab annotations name the field in their message.
    let gh = run("github");
    assert!(gh.contains("(cluster://test-ctx/monitoring/DaemonSet/node-exporter#spec.template.spec.hostNetwork)"), "{gh}");
    let gl = run("gitlab");
    assert!(gl.contains(&host_network), "{gl}");
}

/// The official SARIF 2.1.0 schema as tests/reports.rs finds it: `KIJUN_SARIF_SCHEMA`, the
/// copy `scripts/test.sh` extracts into the target directory, or `../shared/schemas/`.
fn validate_sarif(file: &Path) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let schema = std::env::var_os("KIJUN_SARIF_SCHEMA")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            target.join("sarif-schema/sarif-schema-2.1.0.json"),
            root().join("../shared/schemas/sarif-schema-2.1.0.json"),
        ])
        .find(|p| p.is_file())
        .expect("the SARIF 2.1.0 schema: run scripts/test.sh, or set KIJUN_SARIF_SCHEMA");
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys, jsonschema\n\
             s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))\n\
             errs = list(jsonschema.validators.validator_for(s)(s).iter_errors(d))\n\
             [print('/'.join(map(str, e.absolute_path)), e.message[:300]) for e in errs[:5]]\n\
             sys.exit(1 if errs else 0)",
        )
        .arg(&schema)
        .arg(file)
        .output()
        .expect("python3 with jsonschema (pip install jsonschema)");
    assert!(
        out.status.success(),
        "SARIF schema validation failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs kijun with a clean home (no ~/.kube/config), no KUBECONFIG and the given variables.
fn kijun_env(args: &[&str], home: &Path, vars: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.args(args)
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("KUBERNETES_SERVICE_PORT")
        .env_remove("KIJUN_SERVICE_ACCOUNT_DIR")
        .env("HOME", home)
        .env("LANG", "C");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A kubeconfig's `insecure-skip-tls-verify: true` is honoured, with a warning naming the
/// context; without it, a server whose CA the kubeconfig does not name is refused (exit 2,
/// naming the context and the server).
#[test]
fn insecure_skip_tls_verify_is_honoured_with_a_warning_and_otherwise_tls_is_verified() {
    let s = start(None);
    let dir = tmp("insecure");
    let server = format!("https://127.0.0.1:{}", s.port);
    let write = |name: &str, cluster: &str| {
        let text = format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n- name: lab\n  cluster:\n    server: {server}\n{cluster}contexts:\n- name: lab\n  context:\n    cluster: lab\n    user: reader\nusers:\n- name: reader\n  user:\n    token: {TOKEN}\n"
        );
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let insecure = write("insecure", "    insecure-skip-tls-verify: true\n");
    let (code, out, err) = kijun_env(
        &[
            "cluster",
            "--kubeconfig",
            insecure.to_str().unwrap(),
            "-A",
            "--format",
            "json",
        ],
        &dir,
        &[],
    );
    assert_eq!(code, 1, "the scan ran and found: {err}");
    assert!(
        err.contains("warning")
            && err.contains("context lab")
            && err.contains("insecure-skip-tls-verify")
            && err.contains(&server),
        "{err}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(findings(&report).iter().any(|(r, _)| r == "KJ-N7-101"));

    // The same kubeconfig without the flag (and without the CA): the certificate is not
    // trusted, nothing is read.
    let verified = write("verified", "");
    let (code, out, err) = kijun_env(
        &["cluster", "--kubeconfig", verified.to_str().unwrap(), "-A"],
        &dir,
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("context lab") && err.contains(&server) && !err.contains("warning"),
        "{err}"
    );
    assert!(
        err.contains("invalid peer certificate")
            && err.contains("certificate-authority-data of the context's cluster"),
        "the message says why and what to check: {err}"
    );
}

/// Run as a Job in the cluster: no kubeconfig, the API server from `KUBERNETES_SERVICE_HOST`
/// and `KUBERNETES_SERVICE_PORT`, the service account's token, CA and namespace from its
/// mounted directory (`KIJUN_SERVICE_ACCOUNT_DIR` names another one than
/// /var/run/secrets/kubernetes.io/serviceaccount, which a test cannot write).
#[test]
fn the_in_cluster_service_account_is_used_without_a_kubeconfig() {
    let s = start(None);
    let dir = tmp("in-cluster");
    let sa = dir.join("serviceaccount");
    std::fs::create_dir_all(&sa).unwrap();
    // As the kubelet writes it: the bare token, no line break.
    std::fs::write(sa.join("token"), TOKEN).unwrap();
    std::fs::write(sa.join("ca.crt"), &s.ca_pem).unwrap();
    std::fs::write(sa.join("namespace"), "iot").unwrap();
    let port = s.port.to_string();
    let sa_dir = sa.to_str().unwrap();
    let env = [
        ("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
        ("KUBERNETES_SERVICE_PORT", port.as_str()),
        ("KIJUN_SERVICE_ACCOUNT_DIR", sa_dir),
    ];
    let (code, out, err) = kijun_env(&["cluster", "--format", "json"], &dir, &env);
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    // The service account's namespace is the default one: only `iot` was read.
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"cluster://in-cluster/iot/Certificate/iot-gateway"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("cluster://in-cluster/iot/")),
        "{files:?}"
    );
    let seen = s.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|r| r.auth == format!("Bearer {TOKEN}")));
    assert!(seen
        .iter()
        .filter(|r| r.uri.contains("/namespaces/"))
        .all(|r| r.uri.contains("/namespaces/iot/")));

    // A rotated-out token is rejected by the server: exit 2, naming the context and server.
    std::fs::write(sa.join("token"), "revoked").unwrap();
    let (code, _, err) = kijun_env(&["cluster"], &dir, &env);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("context in-cluster")
            && err.contains(&format!("127.0.0.1:{port}"))
            && err.contains("401"),
        "{err}"
    );

    // Neither a kubeconfig nor a Pod: a clear error.
    let (code, _, err) = kijun_env(&["cluster"], &dir, &[("KIJUN_SERVICE_ACCOUNT_DIR", sa_dir)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no kubeconfig") && err.contains("KUBERNETES_SERVICE_HOST"),
        "{err}"
    );
}

/// The transcript docs/cluster.md and the README show, run against the test server: `kijun
/// cluster` in one namespace, then the real kubectl (when installed) listing pods from the
/// same server. `KIJUN_CAPTURE=FILE` writes the transcript there (the port and temporary paths
/// replaced by stable names) for pasting into the docs:
/// `KIJUN_CAPTURE=/tmp/transcript.txt cargo test --test it cluster::the_documented_transcript`.
#[test]
fn the_documented_transcript_is_what_kijun_and_kubectl_print() {
    let s = start_with(
        &[
            "fixtures/KJ-N7-103/fail.yaml",
            "fixtures/KJ-N7-101/fail.yaml",
        ],
        None,
    );
    let dir = tmp("transcript");
    kubeconfig(&dir, &s);
    let port = s.port.to_string();
    let stable = |t: &str| t.replace(&port, "6443");
    let mut transcript = String::new();
    let args = [
        "cluster",
        "--kubeconfig",
        "kubeconfig",
        "-n",
        "monitoring",
        "--format",
        "compact",
        "--lang",
        "en",
        "--now",
        "2026-12-01",
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .current_dir(&dir)
        .env_remove("KUBECONFIG")
        .env("HOME", &dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    transcript.push_str(&format!(
        "$ kijun {}\n{}$ echo $?\n1\n",
        args.join(" "),
        stable(&text)
    ));
    // What the transcript shows: the object's address and the field, per finding.
    assert!(
        text.contains(
            "cluster://test-ctx/monitoring/DaemonSet/node-exporter#spec.template.spec.hostNetwork: [medium] KJ-N7-103"
        ),
        "{text}"
    );
    assert!(
        text.contains("cluster://test-ctx/monitoring/DaemonSet/node-exporter#metadata.name: [medium] KJ-N7-101"),
        "{text}"
    );

    // The docs show this very output.
    for doc in ["docs/cluster.md", "README.md"] {
        let shown = std::fs::read_to_string(root().join(doc)).unwrap();
        assert!(
            shown.contains(&transcript),
            "{doc} does not show what kijun prints now; paste the output of `KIJUN_CAPTURE=/tmp/transcript.txt cargo test --test it cluster::the_documented_transcript`:\n{transcript}"
        );
    }
    let kubectl = std::env::var("KIJUN_KUBECTL").unwrap_or_else(|_| "kubectl".into());
    if let Ok(out) = Command::new(&kubectl)
        .args(["--kubeconfig", "kubeconfig", "get", "pods", "-A"])
        .current_dir(&dir)
        .env("HOME", &dir)
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("syslog-relay"), "{text}");
        transcript.push_str(&format!(
            "$ kubectl --kubeconfig kubeconfig get pods -A\n{}",
            stable(&text)
        ));
    }
    eprintln!("{transcript}");
    if let Some(p) = std::env::var_os("KIJUN_CAPTURE") {
        std::fs::write(p, &transcript).unwrap();
    }
}
