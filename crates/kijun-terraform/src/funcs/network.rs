//! IP network arithmetic: the `cidr*` functions.

use super::*;

pub(super) fn cidrsubnet(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let prefix = s_arg(args, 0, name, at)?;
    let newbits = n_arg(args, 1, name, at)?;
    let netnum = n_arg(args, 2, name, at)?;
    match kijun_model::cidr::subnet(&prefix, newbits as u32, netnum as u128) {
        Some(s) => string(s, at),
        None => fail(
            at,
            kijun_model::text!(
                "cidrsubnet(\"{prefix}\", {newbits}, {netnum}) は不正です",
                "cidrsubnet(\"{prefix}\", {newbits}, {netnum}) is invalid"
            ),
        ),
    }
}

pub(super) fn cidrsubnets(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let prefix = s_arg(args, 0, name, at)?;
    let mut bits = Vec::new();
    for i in 1..args.len() {
        bits.push(n_arg(args, i, name, at)? as u32);
    }
    match kijun_model::cidr::subnets(&prefix, &bits) {
        Some(v) => list(v.iter().map(|s| Node::string(s, at)).collect(), at),
        None => fail(
            at,
            kijun_model::text!(
                "cidrsubnets(): 引数が不正です",
                "cidrsubnets(): invalid arguments"
            ),
        ),
    }
}

pub(super) fn cidrhost(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let prefix = s_arg(args, 0, name, at)?;
    let n = n_arg(args, 1, name, at)?;
    match kijun_model::cidr::host(&prefix, n as i128) {
        Some(s) => string(s, at),
        None => fail(
            at,
            kijun_model::text!(
                "cidrhost(): 引数が不正です",
                "cidrhost(): invalid arguments"
            ),
        ),
    }
}

pub(super) fn cidrnetmask(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let prefix = s_arg(args, 0, name, at)?;
    match kijun_model::cidr::netmask(&prefix) {
        Some(s) => string(s, at),
        None => fail(
            at,
            kijun_model::text!(
                "cidrnetmask(): プレフィックスが不正です",
                "cidrnetmask(): invalid prefix"
            ),
        ),
    }
}
