//! KJ-N8-001 `lb-listener-plain-http`: an Application Load Balancer listener that serves plain
//! HTTP instead of redirecting to HTTPS.
//!
//! CloudFormation (`AWS::ElasticLoadBalancingV2::Listener`) has the same settings under other
//! names: `Protocol`, `DefaultActions[].Type`, `DefaultActions[].RedirectConfig.Protocol`, and the
//! load balancer's `Type` (default `application`).

use crate::facts::tls::{ListenerNames, LISTENER};
use crate::{strip_instance_key, util, Ctx, Hit};
use kijun_model::{Node, Resource, Text, Value};

enum Redirect<'a> {
    Https,
    Not,
    Unknown(&'a Node, String),
}

/// Whether one of the default actions redirects to HTTPS.
fn redirect<'a>(r: &'a Resource, names: &ListenerNames) -> Redirect<'a> {
    let Some(actions) = util::set(r, names.actions) else {
        return Redirect::Not;
    };
    if actions.is_unknown() {
        return Redirect::Unknown(actions, names.actions.to_string());
    }
    let mut unknown = None;
    for a in actions.items() {
        let Some(t) = a.child(names.action_type).filter(|n| !n.is_null()) else {
            continue;
        };
        if t.is_unknown() {
            unknown.get_or_insert((t, format!("{}.{}", names.actions, names.action_type)));
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
            .child(names.redirect)
            .and_then(|b| b.child(names.redirect_protocol))
            .filter(|n| !n.is_null())
        {
            Some(p) if p.is_unknown() => {
                unknown.get_or_insert((
                    p,
                    format!(
                        "{}.{}.{}",
                        names.actions, names.redirect, names.redirect_protocol
                    ),
                ));
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
fn is_application(ctx: &Ctx, r: &Resource, names: &ListenerNames) -> Option<bool> {
    let arn = util::set(r, names.lb_arn)?;
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
            let lb = names.lb_kinds.iter().find_map(|k| {
                ctx.of_kind(k).find(|lb| {
                    u.refs
                        .iter()
                        .any(|x| &**x == strip_instance_key(&lb.address))
                })
            })?;
            match util::set(lb, names.lb_type) {
                // documented default: "application"
                None => Some(true),
                Some(t) => t.as_str().map(|s| s.eq_ignore_ascii_case("application")),
            }
        }
        _ => None,
    }
}

/// A Classic Load Balancer (`aws_elb`): every `listener` whose `lb_protocol` is HTTP serves
/// plaintext, and a classic listener cannot redirect. TCP listeners are not judged: they may
/// pass TLS through to the instances.
fn classic(r: &Resource, out: &mut Vec<Hit>) {
    let Some(listeners) = util::set(r, "listener") else {
        return;
    };
    if listeners.is_unknown() {
        out.push(Hit::unknown(listeners, "listener"));
        return;
    }
    for l in listeners.items() {
        match l.child("lb_protocol").filter(|n| !n.is_null()) {
            Some(p) if p.is_unknown() => out.push(Hit::unknown(p, "listener.lb_protocol")),
            Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) => {
                let is = util::is("listener.lb_protocol", p);
                out.push(Hit::value(
                    p,
                    util::t(
                        format!("{}。Classic Load Balancer は HTTPS へリダイレクトできず、平文で通信します", is.ja),
                        format!("{}: a Classic Load Balancer cannot redirect to HTTPS and serves plaintext", is.en),
                    ),
                ));
            }
            _ => {}
        }
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "aws_elb" {
        classic(r, out);
        return;
    }
    let names = &LISTENER.of(r);
    let protocol = util::set(r, names.protocol);
    let anchor = match protocol {
        Some(p) if p.is_unknown() => {
            if !matches!(redirect(r, names), Redirect::Https) {
                out.push(Hit::unknown(p, names.protocol));
            }
            return;
        }
        Some(p) => {
            if !p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) {
                return;
            }
            Some(p)
        }
        None => match is_application(ctx, r, names) {
            Some(true) => None,
            Some(false) => return,
            None => {
                if !matches!(redirect(r, names), Redirect::Https) {
                    let attr = names.protocol;
                    out.push(Hit {
                        at: r.at,
                        detail: util::t(
                            format!("`{attr}` が設定されておらず、ロードバランサーの種類を構成から特定できません（Application Load Balancer の既定値は HTTP です）"),
                            format!("`{attr}` is not set and the load balancer's type cannot be found in the configuration (the default for Application Load Balancers is HTTP)"),
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
    match redirect(r, names) {
        Redirect::Https => {}
        Redirect::Unknown(n, a) => out.push(Hit::unknown(n, &a)),
        Redirect::Not => {
            let actions = names.actions;
            let rest = Text::new(
                format!("`{actions}` が HTTPS へのリダイレクトになっていません"),
                format!("`{actions}` does not redirect to HTTPS"),
            );
            out.push(match anchor {
                Some(p) => {
                    let is = util::is(names.protocol, p);
                    Hit::value(
                        p,
                        util::t(
                            format!("{}。{}", is.ja, rest.ja),
                            format!("{}, and {}", is.en, rest.en),
                        ),
                    )
                }
                None => {
                    let unset = util::unset(names.protocol, "HTTP");
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
