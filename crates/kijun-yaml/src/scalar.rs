//! What an untagged plain scalar means, and what the core-schema tags make of a scalar.
//!
//! The rules are the YAML 1.2 core schema, which is what Kubernetes and CloudFormation authors
//! expect of `true`, `null` and numbers, with one YAML 1.1 holdover: a number written with a
//! leading zero (`0644`) is octal. Kubernetes documents `defaultMode: 0644` as octal in YAML (420),
//! and a rule about file permissions must see the number the API server sees.
//!
//! This differs from YAML 1.1 on purpose: `yes`, `no`, `on`, `off`, `y` and `n` stay strings,
//! and `1_000`, `12:30` (sexagesimal) and `0b101` are strings too. YAML 1.1 parsers, including
//! the Go YAML v2 library under some Kubernetes tooling, read `yes`/`on` as `true`; the core
//! schema does not, so a rule that cares about such a value sees the string the author wrote
//! and can decide for itself.

use kijun_model::Value;

/// The value of an untagged plain scalar.
pub(crate) fn resolve_plain(s: &str) -> Option<Value> {
    if let Some(v) = null(s) {
        return Some(v);
    }
    if let Some(b) = boolean(s) {
        return Some(Value::Bool(b));
    }
    if let Some(n) = int(s).or_else(|| float(s)) {
        return Some(Value::Number(n));
    }
    None
}

/// `null`, `Null`, `NULL`, `~` or nothing at all.
pub(crate) fn null(s: &str) -> Option<Value> {
    matches!(s, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null)
}

/// The core schema's booleans; `yes`/`no`/`on`/`off` are not among them (see the module comment).
pub(crate) fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Decimal, `0x` hexadecimal, `0o` octal and leading-zero octal integers, with an optional sign.
///
/// Integers too large for an `f64` to hold exactly are rounded to the nearest `f64`: the value
/// model has one number type, and mapping keys keep their text, so nothing that identifies a
/// thing is lost.
pub(crate) fn int(s: &str) -> Option<f64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        radix(hex, 16)?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        radix(oct, 8)?
    } else if digits.len() > 1 && digits.starts_with('0') && all_digits(digits, 8) {
        radix(digits, 8)?
    } else if all_digits(digits, 10) {
        // why parse and not accumulate: `str::parse` rounds correctly for any length.
        digits.parse::<f64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn all_digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix))
}

fn radix(s: &str, radix: u32) -> Option<f64> {
    if !all_digits(s, radix) {
        return None;
    }
    if let Ok(n) = u64::from_str_radix(s, radix) {
        return Some(n as f64);
    }
    // why: beyond u64 the value can only be approximate anyway; accumulate in floating point.
    Some(s.chars().fold(0.0, |acc, c| {
        acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    }))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf` and `.nan` in their three
/// spellings.
///
/// The shape is checked by hand before `str::parse` because Rust also accepts `inf`, `NaN` and
/// `infinity`, which YAML reads as strings.
pub(crate) fn float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(int("0"), Some(0.0));
        assert_eq!(int("-12"), Some(-12.0));
        assert_eq!(int("+7"), Some(7.0));
        assert_eq!(int("0x1F"), Some(31.0));
        assert_eq!(int("0o17"), Some(15.0));
        assert_eq!(int("0644"), Some(420.0));
        assert_eq!(int("09"), Some(9.0));
        assert_eq!(int("0x"), None);
        assert_eq!(int("0x-1"), None);
        assert_eq!(int("1_000"), None);
        assert_eq!(int("-"), None);
        assert_eq!(
            int("0xFFFFFFFFFFFFFFFFFF"),
            Some(4_722_366_482_869_645_213_695.0)
        );
    }

    #[test]
    fn floats() {
        assert_eq!(float("1e3"), Some(1000.0));
        assert_eq!(float("1."), Some(1.0));
        assert_eq!(float(".5"), Some(0.5));
        assert_eq!(float("-2.5E-1"), Some(-0.25));
        assert_eq!(float("-.inf"), Some(f64::NEG_INFINITY));
        assert!(float(".NaN").is_some_and(f64::is_nan));
        for s in [
            "inf", "nan", "infinity", ".", "e3", "1e", "1.2.3", "+", "1e3x", "0x10",
        ] {
            assert_eq!(float(s), None, "{s}");
        }
    }
}
