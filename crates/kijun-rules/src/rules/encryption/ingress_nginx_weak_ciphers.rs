//! KJ-E4-101 `ingress-nginx-weak-ciphers`: an ingress-nginx cipher list (OpenSSL syntax) that
//! enables cipher suites excluded by the CRYPTREC TLS guideline: RC4, DES, 3DES, NULL
//! encryption, export grade, MD5 or anonymous (unauthenticated) key exchange.
//!
//! Read from the controller ConfigMap key `ssl-ciphers` and the Ingress annotations
//! `nginx.ingress.kubernetes.io/ssl-ciphers` (per server) and `…/proxy-ssl-ciphers` (towards
//! HTTPS backends). why: 第133条第2項 asks for algorithms chosen on the basis of the CRYPTREC
//! list; the guideline's recommended level forbids the classes above. Cipher names are
//! classified by `policies/data/cryptrec.toml` (`[cipher_class]`, `[cipher_class_patterns]`);
//! the verdict classes come from `[tls_verdict]`.
//!
//! An OpenSSL cipher list is read in order: `!X` removes X for good, `-X` removes it until it
//! is added again, `+X` only moves it, `A+B` is the intersection of A and B, `@…` are
//! options. Keywords stand for groups of suites: `ALL`, `HIGH`, `MEDIUM`, `AES`, `kEDH` and the
//! like also contain anonymous suites (which is why nginx's own default is
//! `HIGH:!aNULL:!MD5`); `aRSA`, `ECDHE`, `EDH` and the other authenticated key exchanges do
//! not. The reading follows the OpenSSL `ciphers` documentation and is kept to the weak
//! classes: what the string asks for, whatever the linked library still supports.

use crate::facts::cryptrec::{self, Verdict};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};
use std::collections::{BTreeMap, BTreeSet};

pub const SSL_CIPHERS: &str = "nginx.ingress.kubernetes.io/ssl-ciphers";
pub const PROXY_CIPHERS: &str = "nginx.ingress.kubernetes.io/proxy-ssl-ciphers";

const ALL_WEAK: &[&str] = &["rc4", "3des", "des", "export", "md5", "anon"];

/// How an OpenSSL keyword combines.
enum Kw {
    /// Exactly the suites of these classes (`RC4`, `aNULL`).
    Specific(&'static [&'static str]),
    /// Some of the suites of a class (`EXPORT56`, `ADH`): adds the class, but removing it
    /// leaves the rest of the class in place.
    Subset(&'static str),
    /// A broad group that also contains suites of these classes (`ALL`, `HIGH`, `AES`).
    Broad(&'static [&'static str]),
    /// Authenticated key exchange or authentication: no anonymous suites (`aRSA`, `ECDHE`).
    Auth,
}

fn keyword(k: &str) -> Option<Kw> {
    Some(match k {
        "RC4" => Kw::Specific(&["rc4"]),
        "3DES" => Kw::Specific(&["3des"]),
        "DES" => Kw::Specific(&["des"]),
        "LOW" => Kw::Specific(&["des"]),
        "MD5" => Kw::Specific(&["md5"]),
        "eNULL" | "NULL" => Kw::Specific(&["null"]),
        "aNULL" => Kw::Specific(&["anon"]),
        "ADH" | "AECDH" => Kw::Subset("anon"),
        "EXPORT" | "EXP" => Kw::Specific(&["export"]),
        "EXPORT40" | "EXPORT56" | "EXPORT1024" => Kw::Subset("export"),
        "ALL" => Kw::Broad(ALL_WEAK),
        "COMPLEMENTOFALL" => Kw::Broad(&["null"]),
        "COMPLEMENTOFDEFAULT" => Kw::Broad(&["anon"]),
        "MEDIUM" => Kw::Broad(&["3des", "rc4", "anon"]),
        "SHA1" | "SHA" => Kw::Broad(&["rc4", "3des", "des", "export", "anon"]),
        "HIGH" | "AES" | "AES128" | "AES256" | "AESGCM" | "AESCCM" | "AESCCM8" | "CAMELLIA"
        | "CAMELLIA128" | "CAMELLIA256" | "ARIA" | "ARIA128" | "ARIA256" | "CHACHA20" | "SEED"
        | "SHA256" | "SHA384" | "kDHE" | "kEDH" | "DH" | "kECDHE" | "kEECDH" | "ECDH"
        | "TLSv1.2" | "TLSv1.0" | "TLSv1" | "SSLv3" => Kw::Broad(&["anon"]),
        "aRSA" | "aECDSA" | "aDSS" | "DSS" | "ECDSA" | "RSA" | "kRSA" | "DHE" | "EDH" | "ECDHE"
        | "EECDH" | "PSK" | "aPSK" | "kPSK" | "kECDHEPSK" | "kDHEPSK" | "kRSAPSK" => Kw::Auth,
        _ => return None,
    })
}

/// The class of a named cipher suite from the data file, when it is in a weak class.
fn class_of_name(name: &str) -> Option<String> {
    let exact = cryptrec::table(&["cipher_class"]).and_then(|t| {
        t.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str().map(String::from))
    });
    if exact.is_some() {
        return exact;
    }
    let upper = name.to_ascii_uppercase();
    let patterns = cryptrec::table(&["cipher_class_patterns"])?;
    for p in patterns
        .get("patterns")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(pat), Some(class)) = (
            p.get(0).and_then(|v| v.as_str()),
            p.get(1).and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if upper.contains(&pat.to_ascii_uppercase()) {
            return Some(class.to_string());
        }
    }
    patterns
        .get("suffix_rules")
        .and_then(|v| v.as_table())?
        .iter()
        .find(|(suffix, _)| upper.ends_with(&suffix.to_ascii_uppercase()))
        .and_then(|(_, c)| c.as_str().map(String::from))
}

/// The weak classes one element (`A` or `A+B+…`, without its `!`/`-`/`+` prefix) stands for;
/// `removing` when it is being taken out of the list.
fn classes(element: &str, removing: bool) -> BTreeSet<String> {
    let mut specific: Option<BTreeSet<String>> = None;
    let mut broad: Option<BTreeSet<String>> = None;
    let mut auth = false;
    let meet = |acc: &mut Option<BTreeSet<String>>, set: BTreeSet<String>| {
        *acc = Some(match acc.take() {
            Some(a) => a.intersection(&set).cloned().collect(),
            None => set,
        });
    };
    for part in element.split('+').filter(|p| !p.is_empty()) {
        match keyword(part) {
            Some(Kw::Specific(c)) => meet(&mut specific, c.iter().map(|s| s.to_string()).collect()),
            Some(Kw::Subset(c)) => {
                let set = if removing {
                    BTreeSet::new()
                } else {
                    std::iter::once(c.to_string()).collect()
                };
                meet(&mut specific, set);
            }
            Some(Kw::Broad(c)) => meet(&mut broad, c.iter().map(|s| s.to_string()).collect()),
            Some(Kw::Auth) => auth = true,
            None => {
                // A cipher suite name: exactly its own class.
                let set = class_of_name(part).into_iter().collect();
                meet(&mut specific, set);
            }
        }
    }
    let mut out = match (specific, broad) {
        (Some(s), _) => s,
        (None, Some(b)) => b,
        (None, None) => BTreeSet::new(),
    };
    if auth {
        out.remove("anon");
    }
    out
}

/// The enabled weak classes of a cipher list, each with the first element that enabled it.
pub fn enabled(list: &str) -> BTreeMap<String, String> {
    let mut on: BTreeMap<String, String> = BTreeMap::new();
    let mut banned: BTreeSet<String> = BTreeSet::new();
    let elements = list
        .split([':', ',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty());
    for e in elements {
        if e.starts_with('@') {
            continue;
        }
        if let Some(rest) = e.strip_prefix('!') {
            for c in classes(rest, true) {
                on.remove(&c);
                banned.insert(c);
            }
        } else if let Some(rest) = e.strip_prefix('-') {
            for c in classes(rest, true) {
                on.remove(&c);
            }
        } else if e.starts_with('+') {
            // Moves suites to the end of the list; adds nothing.
        } else {
            for c in classes(e, false) {
                if !banned.contains(&c) {
                    on.entry(c).or_insert_with(|| e.to_string());
                }
            }
        }
    }
    on
}

fn verdict(class: &str) -> Option<Verdict> {
    let t = cryptrec::table(&["tls_verdict"])?;
    let has = |key: &str| {
        t.get(key)
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(class)))
    };
    if has("fail_cipher_classes") {
        Some(Verdict::Fail)
    } else if has("warn_cipher_classes") {
        Some(Verdict::Warn)
    } else {
        None
    }
}

fn class_text(c: &str) -> (&'static str, &'static str) {
    match c {
        "rc4" => ("RC4", "RC4"),
        "3des" => ("3DES", "3DES"),
        "des" => ("DES", "DES"),
        "export" => ("輸出グレード", "export grade"),
        "md5" => ("MD5", "MD5"),
        "null" => ("暗号化なし（NULL）", "no encryption (NULL)"),
        "anon" => (
            "認証なしの鍵交換（aNULL）",
            "unauthenticated key exchange (aNULL)",
        ),
        "cbc_sha1" => ("SHA-1 の CBC", "CBC with SHA-1"),
        _ => ("不明", "unknown"),
    }
}

pub fn judge(node: &Node, attr: &str, today: &str, out: &mut Vec<Hit>) {
    if node.is_unknown() {
        out.push(Hit::unknown(node, attr));
        return;
    }
    let Some(text) = node.as_str() else {
        return;
    };
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for (class, element) in enabled(text) {
        if !verdict(&class).is_some_and(|v| v.reported_on(today)) {
            continue;
        }
        let (cj, ce) = class_text(&class);
        ja.push(format!("{cj}（`{element}` による）"));
        en.push(format!("{ce} (through `{element}`)"));
    }
    if ja.is_empty() {
        return;
    }
    out.push(Hit::value(
        node,
        util::t(
            format!("`{attr}` が、CRYPTREC TLS 暗号設定ガイドラインで使用できない暗号スイートを有効にしています: {}", ja.join("、")),
            format!("`{attr}` enables cipher suites the CRYPTREC TLS guideline excludes: {}", en.join(", ")),
        ),
    ));
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "ConfigMap" => {
            if let Some(v) = r.get("data").and_then(|d| d.child("ssl-ciphers")) {
                judge(v, "ssl-ciphers", ctx.today(), out);
            }
        }
        "Ingress" => {
            for key in [SSL_CIPHERS, PROXY_CIPHERS] {
                if let Some(v) = crate::facts::k8s::annotation(r, key) {
                    judge(v, key, ctx.today(), out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::enabled;

    fn classes(s: &str) -> Vec<String> {
        enabled(s).into_keys().collect()
    }

    #[test]
    fn openssl_lists() {
        // ingress-nginx's documented default.
        assert!(classes("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256").is_empty());
        // nginx's default.
        assert!(classes("HIGH:!aNULL:!MD5").is_empty());
        assert_eq!(classes("HIGH"), vec!["anon"]);
        assert!(classes("EECDH+AESGCM:EDH+AESGCM").is_empty());
        assert_eq!(classes("kEDH+AESGCM"), vec!["anon"]);
        assert!(classes("kEDH+AESGCM:!aNULL").is_empty());
        // The ingress-nginx annotation documentation's example.
        assert_eq!(
            classes("ALL:!aNULL:!EXPORT56:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP"),
            vec!["3des", "des", "export", "md5", "rc4"]
        );
        assert_eq!(
            classes("ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA"),
            vec!["3des"]
        );
        assert!(classes("ALL:-RC4:!aNULL:!eNULL:!EXPORT:!DES:!3DES:!MD5:!RC4").is_empty());
        assert_eq!(
            classes("ALL:-RC4:RC4-SHA:!aNULL:!EXPORT:!DES:!3DES:!MD5"),
            vec!["rc4"]
        );
        assert!(classes("@SECLEVEL=0:ECDHE-RSA-AES128-GCM-SHA256").is_empty());
        assert_eq!(classes("ECDHE-RSA-AES128-SHA"), vec!["cbc_sha1"]);
    }
}
