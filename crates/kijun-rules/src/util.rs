//! Shared phrasing and value helpers for checks, so every rule speaks the same way.

use crate::Hit;
use kijun_model::{Node, Resource, Text, Value};

/// "`encrypted` is false" / "`encrypted` が false です".
pub fn is(attr: &str, node: &Node) -> Text {
    let v = node.display();
    Text::new(format!("`{attr}` が {v} です"), format!("`{attr}` is {v}"))
}

/// "`encrypted` is not set; the documented default (false) applies".
pub fn unset(attr: &str, default: &str) -> Text {
    Text::new(
        format!("`{attr}` が設定されていないため、既定値（{default}）が適用されます"),
        format!("`{attr}` is not set; the documented default ({default}) applies"),
    )
}

/// "`x` is not set".
pub fn missing(attr: &str) -> Text {
    Text::new(
        format!("`{attr}` が設定されていません"),
        format!("`{attr}` is not set"),
    )
}

pub fn t(ja: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(ja, en)
}

/// An attribute that is set to something other than null.
pub fn set<'a>(r: &'a Resource, attr: &str) -> Option<&'a Node> {
    r.get(attr).filter(|n| !n.is_null())
}

/// Reads a port or port range: numbers, "22", "20-25", "*".
pub fn port_range(n: &Node) -> Option<(u32, u32)> {
    match &n.value {
        Value::Number(x) if *x >= 0.0 => Some((*x as u32, *x as u32)),
        Value::String(s) => parse_port_range(s),
        _ => None,
    }
}

pub fn parse_port_range(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    if s == "*" || s.eq_ignore_ascii_case("any") {
        return Some((0, 65535));
    }
    match s.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let p = s.parse().ok()?;
            Some((p, p))
        }
    }
}

/// Sources meaning "the whole internet" across clouds: 0.0.0.0/0, ::/0, `*`, `Internet`, `Any`.
pub fn is_world(source: &str) -> bool {
    let s = source.trim();
    if s == "*" || s.eq_ignore_ascii_case("internet") || s.eq_ignore_ascii_case("any") {
        return true;
    }
    kijun_model::cidr::Cidr::parse(s).is_some_and(|c| c.is_everything())
}

/// The first port range in `ranges` that overlaps `[from, to]`.
pub fn overlaps(from: u32, to: u32, ranges: &[(u32, u32)]) -> Option<(u32, u32)> {
    ranges.iter().copied().find(|(a, b)| from <= *b && *a <= to)
}

pub fn ports_text(r: (u32, u32)) -> String {
    if r.0 == r.1 {
        r.0.to_string()
    } else {
        format!("{}-{}", r.0, r.1)
    }
}

/// As [`unset`], with the default described differently per language.
pub fn unset_t(attr: &str, default_ja: &str, default_en: &str) -> Text {
    Text::new(
        format!("`{attr}` が設定されていないため、既定値（{default_ja}）が適用されます"),
        format!("`{attr}` is not set; the documented default ({default_en}) applies"),
    )
}

/// Reports a missing or blank description. `block` is the nested block the description belongs
/// to (the finding points at it), or `None` for a standalone resource (its header).
pub fn described(
    r: &Resource,
    block: Option<&Node>,
    desc: Option<&Node>,
    attr: &str,
    out: &mut Vec<Hit>,
) {
    let hit = |detail| match block {
        Some(b) => Hit::value(b, detail),
        None => Hit::missing(r, detail),
    };
    match desc.filter(|n| !n.is_null()) {
        Some(d) if d.is_unknown() => out.push(Hit::unknown(d, attr)),
        Some(d) if d.as_str().is_some_and(|s| !s.trim().is_empty()) => {}
        Some(d) if d.as_str().is_some() => out.push(Hit::value(
            d,
            t(format!("`{attr}` が空です"), format!("`{attr}` is empty")),
        )),
        Some(_) => {}
        None => out.push(hit(missing(attr))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kijun_model::Origin;

    /// Ports are read from numbers and from strings ("22", "20-25", "*"); a negative number is
    /// no port (no provider accepts one) and is never read as port 0.
    #[test]
    fn ports_from_numbers_and_strings() {
        let n = |v: Value| Node::new(v, Origin::new(0, 0, 0));
        let s = |t: &str| n(Value::String(t.into()));
        assert_eq!(port_range(&n(Value::Number(22.0))), Some((22, 22)));
        assert_eq!(port_range(&s("20-25")), Some((20, 25)));
        assert_eq!(port_range(&s("*")), Some((0, 65535)));
        assert_eq!(port_range(&n(Value::Number(-1.0))), None);
        assert_eq!(port_range(&n(Value::Bool(true))), None);
    }
}
