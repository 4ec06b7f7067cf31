//! Numbers: arithmetic and parsing.

use super::*;

pub(super) fn abs(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    number(n_arg(args, 0, name, at)?.abs(), at)
}

pub(super) fn ceil(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    number(n_arg(args, 0, name, at)?.ceil(), at)
}

pub(super) fn floor(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    number(n_arg(args, 0, name, at)?.floor(), at)
}

pub(super) fn signum(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    // Terraform converts to a whole number first: signum(0) is 0, a fraction fails.
    let x = n_arg(args, 0, name, at)?;
    if x.fract() != 0.0 {
        return fail(
            at,
            kijun_model::text!(
                "signum() には整数が必要です",
                "signum() needs a whole number"
            ),
        );
    }
    number(if x == 0.0 { 0.0 } else { x.signum() }, at)
}

pub(super) fn pow(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    number(
        n_arg(args, 0, name, at)?.powf(n_arg(args, 1, name, at)?),
        at,
    )
}

pub(super) fn log(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    number(n_arg(args, 0, name, at)?.log(n_arg(args, 1, name, at)?), at)
}

/// `max()` and `min()`, one body.
pub(super) fn max_min(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let mut ns = Vec::new();
    for i in 0..args.len() {
        ns.push(n_arg(args, i, name, at)?);
    }
    let r = if name == "max" {
        ns.into_iter().fold(f64::NEG_INFINITY, f64::max)
    } else {
        ns.into_iter().fold(f64::INFINITY, f64::min)
    };
    if r.is_infinite() {
        return fail(
            at,
            kijun_model::text!(
                "{name}() には数値が 1 つ以上必要です",
                "{name}() needs at least one number"
            ),
        );
    }
    number(r, at)
}

pub(super) fn parseint(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let base = n_arg(args, 1, name, at)? as u32;
    if !(2..=62).contains(&base) {
        return fail(
            at,
            kijun_model::text!(
                "parseint() の基数は 2 から 62 まででなければなりません",
                "parseint() base must be between 2 and 62"
            ),
        );
    }
    match i64::from_str_radix(&s, base.min(36)) {
        Ok(v) => number(v as f64, at),
        Err(_) => fail(
            at,
            kijun_model::text!(
                "\"{s}\" を {base} 進数として解釈できません",
                "cannot parse \"{s}\" in base {base}"
            ),
        ),
    }
}
