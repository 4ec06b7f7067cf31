//! KJ-N8-001 `lb-listener-plain-http`: an Application Load Balancer listener that serves plain
//! HTTP instead of redirecting to HTTPS.
//!
//! why: 第110条第3項 asks for confidentiality of traffic carrying 要機密情報 and 第104条第4項 for
//! encryption of everything a web server sends over the internet; an HTTP listener is compliant
//! only when all it does is send the client to HTTPS.

use crate::{strip_instance_key, util, Ctx, Hit};
use kijun_model::{Node, Resource, Text, Value};

enum Redirect<'a> {
    Https,
    Not,
    Unknown(&'a Node, &'static str),
}

/// Whether one of the default actions redirects to HTTPS.
fn redirect(r: &Resource) -> Redirect<'_> {
    let Some(actions) = util::set(r, "default_action") else {
        return Redirect::Not;
    };
    if actions.is_unknown() {
        return Redirect::Unknown(actions, "default_action");
    }
    let mut unknown = None;
    for a in actions.items() {
        let Some(t) = a.child("type").filter(|n| !n.is_null()) else {
            continue;
        };
        if t.is_unknown() {
            unknown.get_or_insert((t, "default_action.type"));
            continue;
        }
        if !t
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("redirect"))
        {
            continue;
        }
        // documented default of `redirect.protocol`: "#{protocol}", the listener's own (HTTP)
        match a
            .child("redirect")
            .and_then(|b| b.child("protocol"))
            .filter(|n| !n.is_null())
        {
            Some(p) if p.is_unknown() => {
                unknown.get_or_insert((p, "default_action.redirect.protocol"));
            }
            Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("https")) => {
                return Redirect::Https;
            }
            _ => {}
        }
    }
    match unknown {
        Some((n, a)) => Redirect::Unknown(n, a),
        None => Redirect::Not,
    }
}

/// `Some(true)` for an Application Load Balancer, `Some(false)` for a Network or Gateway Load
/// Balancer, `None` when the load balancer is not in the scanned configuration.
fn is_application(ctx: &Ctx, r: &Resource) -> Option<bool> {
    let arn = util::set(r, "load_balancer_arn")?;
    match &arn.value {
        Value::String(s) => {
            if s.contains(":loadbalancer/app/") {
                Some(true)
            } else if s.contains(":loadbalancer/net/") || s.contains(":loadbalancer/gwy/") {
                Some(false)
            } else {
                None
            }
        }
        Value::Unknown(u) => {
            let lb = ["aws_lb", "aws_alb"].iter().find_map(|k| {
                ctx.of_kind(k).find(|lb| {
                    u.refs
                        .iter()
                        .any(|x| &**x == strip_instance_key(&lb.address))
                })
            })?;
            match util::set(lb, "load_balancer_type") {
                // documented default: "application"
                None => Some(true),
                Some(t) => t.as_str().map(|s| s.eq_ignore_ascii_case("application")),
            }
        }
        _ => None,
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let protocol = util::set(r, "protocol");
    let anchor = match protocol {
        Some(p) if p.is_unknown() => {
            if !matches!(redirect(r), Redirect::Https) {
                out.push(Hit::unknown(p, "protocol"));
            }
            return;
        }
        Some(p) => {
            if !p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) {
                return;
            }
            Some(p)
        }
        None => match is_application(ctx, r) {
            Some(true) => None,
            Some(false) => return,
            None => {
                if !matches!(redirect(r), Redirect::Https) {
                    out.push(Hit {
                        at: r.at,
                        detail: util::t(
                            "`protocol` が設定されておらず、ロードバランサーの種類を構成から特定できません（Application Load Balancer の既定値は HTTP です）",
                            "`protocol` is not set and the load balancer's type cannot be found in the configuration (the default for Application Load Balancers is HTTP)",
                        ),
                        from: None,
                        not_evaluated: true,
                        min_level: None,
                    });
                }
                return;
            }
        },
    };
    match redirect(r) {
        Redirect::Https => {}
        Redirect::Unknown(n, a) => out.push(Hit::unknown(n, a)),
        Redirect::Not => {
            let rest = Text::new(
                "`default_action` が HTTPS へのリダイレクトになっていません",
                "`default_action` does not redirect to HTTPS",
            );
            out.push(match anchor {
                Some(p) => {
                    let is = util::is("protocol", p);
                    Hit::value(
                        p,
                        util::t(
                            format!("{}。{}", is.ja, rest.ja),
                            format!("{}, and {}", is.en, rest.en),
                        ),
                    )
                }
                None => {
                    let unset = util::unset("protocol", "HTTP");
                    Hit::missing(
                        r,
                        util::t(
                            format!("{}。{}", unset.ja, rest.ja),
                            format!("{}, and {}", unset.en, rest.en),
                        ),
                    )
                }
            });
        }
    }
}
