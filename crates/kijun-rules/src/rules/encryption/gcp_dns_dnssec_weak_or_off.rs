//! KJ-E2-003 `gcp-dns-dnssec-weak-or-off`: a public Cloud DNS zone that is not signed with
//! DNSSEC, or is signed with algorithms or key lengths outside the CRYPTREC requirements.
//!
//! `rsasha1` signs with SHA-1, and an RSA key is judged by its security strength from the CRYPTREC
//! table (1024 bits = 80-bit security: not accepted). Private zones are answered only inside the
//! VPC networks they are attached to and cannot be signed.

use crate::facts::cryptrec::{self, Verdict};
use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Node, Platform, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match util::set(r, "visibility") {
        Some(v) if v.is_unknown() => {
            out.push(Hit::unknown(v, "visibility"));
            return;
        }
        Some(v)
            if v.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("private")) =>
        {
            return
        }
        // documented default: "public"
        _ => {}
    }
    let cfg = match util::set(r, "dnssec_config") {
        Some(c) if c.is_unknown() => {
            out.push(Hit::unknown(c, "dnssec_config"));
            return;
        }
        Some(c) => c.items().first().copied(),
        None => None,
    };
    let Some(cfg) = cfg else {
        out.push(Hit::missing(
            r,
            util::t(
                "`dnssec_config` が設定されていないため、ゾーンは DNSSEC で署名されません",
                "`dnssec_config` is not set, so the zone is not signed with DNSSEC",
            ),
        ));
        return;
    };
    match cfg.child("state").filter(|n| !n.is_null()) {
        Some(s) if s.is_unknown() => out.push(Hit::unknown(s, "dnssec_config.state")),
        Some(s)
            if s.as_str().is_some_and(|v| {
                v.eq_ignore_ascii_case("on") || v.eq_ignore_ascii_case("transfer")
            }) => {}
        Some(s) => out.push(Hit::value(s, util::is("dnssec_config.state", s))),
        // Cloud DNS creates zones unsigned unless DNSSEC is switched on.
        None => out.push(Hit::value(
            cfg,
            util::t(
                "`dnssec_config.state` が設定されていないため、DNSSEC は無効（off）です",
                "`dnssec_config.state` is not set, so DNSSEC is off",
            ),
        )),
    }
    match cfg.child("default_key_specs").filter(|n| !n.is_null()) {
        // `default_key_specs` is optional and computed: in a plan, specifications left out of
        // the configuration are chosen by Cloud DNS and known only after apply. Like unset ones
        // in HCL, they are not judged (docs.limitations), so they are no "not evaluated" either.
        Some(s) if s.is_unknown() && r.platform == Platform::TerraformPlan => {}
        Some(s) => {
            for spec in s.items() {
                key_spec(spec, ctx.today(), out);
            }
        }
        None => {}
    }
}

/// One `default_key_specs` block: the algorithm and the RSA key length.
fn key_spec(spec: &Node, today: &str, out: &mut Vec<Hit>) {
    if spec.is_unknown() {
        out.push(Hit::unknown(spec, "dnssec_config.default_key_specs"));
        return;
    }
    let kind = spec
        .child("key_type")
        .and_then(|k| k.as_str())
        .map(|k| format!("（{k}）"))
        .unwrap_or_default();
    let kind_en = kind.replace('（', " (").replace('）', ")");
    let Some(alg) = spec.child("algorithm").filter(|n| !n.is_null()) else {
        return;
    };
    if alg.is_unknown() {
        out.push(Hit::unknown(
            alg,
            "dnssec_config.default_key_specs.algorithm",
        ));
        return;
    }
    let name = alg.as_str().unwrap_or_default().to_ascii_lowercase();
    if name == "rsasha1" {
        let why = cryptrec::weak_primitive("SHA1").unwrap_or_else(|| util::t("", ""));
        out.push(Hit::value(
            alg,
            util::t(
                format!("鍵{kind}のアルゴリズムが rsasha1 です（{}）", why.ja),
                format!("the key{kind_en} uses rsasha1 ({})", why.en),
            ),
        ));
        return;
    }
    if !name.starts_with("rsa") {
        return;
    }
    let Some(len) = spec.child("key_length").filter(|n| !n.is_null()) else {
        return;
    };
    if len.is_unknown() {
        out.push(Hit::unknown(
            len,
            "dnssec_config.default_key_specs.key_length",
        ));
        return;
    }
    let Some(bits) = len.as_f64() else {
        return;
    };
    let strength = cryptrec::rsa_security_bits(bits);
    let verdict = match strength {
        Some(s) if s < cryptrec::minimum_bits() => Verdict::Fail,
        Some(s) if s == cryptrec::minimum_bits() => Verdict::Warn,
        Some(_) => Verdict::Ok,
        None => Verdict::Fail,
    };
    if verdict.reported_on(today) {
        let reason = verdict.reason(strength);
        out.push(Hit::value(
            len,
            cryptrec::with_reason(
                util::t(
                    format!("鍵{kind}の RSA 鍵長が {} ビットです", format_number(bits)),
                    format!("the key{kind_en} is a {}-bit RSA key", format_number(bits)),
                ),
                reason,
            ),
        ));
    }
}
