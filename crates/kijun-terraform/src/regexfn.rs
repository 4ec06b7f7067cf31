//! `regex()`, `regexall()` and `replace()` with a `/pattern/`: Terraform's regular expressions
//! are Go's RE2 syntax; the `regex` crate reads nearly the same syntax, with the same guarantee
//! of time linear in the input, so a hostile pattern cannot stall a scan. What differs is
//! translated here ([`translate`]); patterns and inputs are bounded in size besides.

use crate::instance::Instance;
use crate::value::{fail, R};
use kijun_model::{Node, Origin, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Bytes of pattern a configuration may give (Terraform's own patterns are a few dozen).
pub const MAX_PATTERN: usize = 4 << 10;
/// Bytes of compiled program one pattern may take (the `regex` crate's size limit).
const MAX_PROGRAM: usize = 1 << 20;
/// Bytes of text one call may search.
pub const MAX_INPUT: usize = 1 << 20;

/// Compiles a Terraform (RE2) pattern, or says why not.
fn compile(name: &str, pattern: &str, at: Origin) -> Result<regex::Regex, crate::value::Fail> {
    if pattern.len() > MAX_PATTERN {
        return fail(
            at,
            kijun_model::text!(
                "{name}(): パターンが {0} バイトあり、上限の {MAX_PATTERN} バイトを超えています",
                "{name}(): the pattern is {0} bytes, over the limit of {MAX_PATTERN}",
                pattern.len()
            ),
        );
    }
    regex::RegexBuilder::new(&translate(pattern))
        .size_limit(MAX_PROGRAM)
        .dfa_size_limit(MAX_PROGRAM)
        .build()
        .or_else(|e| {
            fail(
                at,
                kijun_model::text!(
                    "{name}(): 正規表現が正しくありません: 「{0}」",
                    "{name}(): invalid regular expression: {0}",
                    e.to_string().lines().last().unwrap_or("")
                ),
            )
        })
}

fn check_input(name: &str, s: &str, at: Origin) -> Result<(), crate::value::Fail> {
    if s.len() > MAX_INPUT {
        return fail(
            at,
            kijun_model::text!(
                "{name}(): 文字列が {0} バイトあり、正規表現で検索する上限の {MAX_INPUT} バイトを超えています",
                "{name}(): the string is {0} bytes, over the limit of {MAX_INPUT} a regular expression searches",
                s.len()
            ),
        );
    }
    Ok(())
}

/// What a match gives: the matched text when the pattern has no capture groups, a list of the
/// groups when they are unnamed, an object of them when they are named (a group that took no
/// part in the match is null). Terraform refuses patterns that mix named and unnamed groups.
enum Shape {
    Text,
    List(usize),
    Object(Vec<(usize, String)>),
}

fn shape(name: &str, re: &regex::Regex, at: Origin) -> Result<Shape, crate::value::Fail> {
    let mut named = Vec::new();
    let mut unnamed = 0;
    for (i, n) in re.capture_names().enumerate().skip(1) {
        match n {
            Some(n) => named.push((i, n.to_string())),
            None => unnamed += 1,
        }
    }
    match (unnamed, named.is_empty()) {
        (0, true) => Ok(Shape::Text),
        (n, true) => Ok(Shape::List(n)),
        (0, false) => Ok(Shape::Object(named)),
        _ => fail(
            at,
            kijun_model::text!(
                "{name}(): 正規表現が正しくありません: 名前付きと名前なしのキャプチャグループは同じパターンで併用できません",
                "{name}(): invalid regular expression: cannot use both named and unnamed capture groups in the same pattern"
            ),
        ),
    }
}

fn result(caps: &regex::Captures<'_>, shape: &Shape, at: Origin) -> Node {
    let group = |i: usize| match caps.get(i) {
        Some(m) => Node::string(m.as_str(), at),
        None => Node::new(Value::Null, at),
    };
    match shape {
        Shape::Text => group(0),
        Shape::List(n) => Node::new(Value::List((1..=*n).map(group).collect()), at),
        Shape::Object(names) => {
            let m: BTreeMap<Arc<str>, Node> = names
                .iter()
                .map(|(i, n)| (Arc::from(n.as_str()), group(*i)))
                .collect();
            Node::new(Value::Object(m.into()), at)
        }
    }
}

/// `regex(pattern, string)`: the first match; no match is an error, as in Terraform.
pub fn regex_first(inst: &Instance, pattern: &str, s: &str, at: Origin) -> R {
    check_input("regex", s, at)?;
    let re = compile("regex", pattern, at)?;
    let shape = shape("regex", &re, at)?;
    inst.charge((s.len() / 64) as u64 + 1, at)?;
    match re.captures(s) {
        Some(c) => Ok(result(&c, &shape, at)),
        None => fail(
            at,
            kijun_model::text!(
                "regex(): パターンが文字列のどこにも一致しません",
                "regex(): pattern did not match any part of the given string"
            ),
        ),
    }
}

/// `regexall(pattern, string)`: every non-overlapping match, in order; none is an empty list.
pub fn regex_all(inst: &Instance, pattern: &str, s: &str, at: Origin) -> R {
    check_input("regexall", s, at)?;
    let re = compile("regexall", pattern, at)?;
    let shape = shape("regexall", &re, at)?;
    inst.charge((s.len() / 64) as u64 + 1, at)?;
    let max = inst.limits().max_collection;
    let mut out = Vec::new();
    for c in re.captures_iter(s) {
        if out.len() >= max {
            return fail(
                at,
                kijun_model::text!(
                    "regexall() の一致が {max} 件を超え、コレクションの大きさの上限を超えます",
                    "regexall() would produce more than {max} matches, over the collection size limit"
                ),
            );
        }
        out.push(result(&c, &shape, at));
    }
    inst.charge(out.len() as u64, at)?;
    Ok(Node::new(Value::List(out), at))
}

/// `replace(string, "/pattern/", replacement)`: every match replaced; `$1`, `${name}` in the
/// replacement expand to the groups (as Go's `Regexp.ReplaceAllString`, which Terraform uses).
pub fn regex_replace(inst: &Instance, s: &str, pattern: &str, to: &str, at: Origin) -> R {
    check_input("replace", s, at)?;
    let re = compile("replace", pattern, at)?;
    inst.charge((s.len() / 64) as u64 + 1, at)?;
    // Measure the result before building it: an empty match at every position of a long
    // string, each replaced by a long text, must be refused, not allocated.
    let max = inst.limits().max_string;
    let (mut len, mut last, mut piece, mut n) = (0usize, 0usize, String::new(), 0u64);
    for c in re.captures_iter(s) {
        let Some(m) = c.get(0) else { continue };
        piece.clear();
        c.expand(to, &mut piece);
        len = len
            .saturating_add(m.start().saturating_sub(last))
            .saturating_add(piece.len());
        last = m.end();
        n += 1;
        if len > max {
            return fail(
                at,
                kijun_model::text!(
                    "replace() の結果が文字列の大きさの上限を超えます",
                    "replace() result exceeds the string size limit"
                ),
            );
        }
    }
    inst.charge(n, at)?;
    let r = re.replace_all(s, to);
    if r.len() > max {
        return fail(
            at,
            kijun_model::text!(
                "replace() の結果が文字列の大きさの上限を超えます",
                "replace() result exceeds the string size limit"
            ),
        );
    }
    Ok(Node::string(&r, at))
}

/// RE2 (Go) syntax as the `regex` crate reads it:
/// - `\d \w \s` and their negations are ASCII classes in RE2, Unicode ones in `regex`: they
///   are written out as RE2 defines them; `\b \B` become ASCII word boundaries;
/// - `\Q…\E` (literal text) is escaped;
/// - inside a bracket class, `[` (other than `[:alpha:]`), `&` and `~` are literal in RE2 but
///   start a nested class or a set operation in `regex`: they are escaped.
pub fn translate(p: &str) -> String {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = "\\t\\n\\f\\r ";
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 16);
    let mut in_class = false;
    // The position right after a class's `[` or `[^`, where `]` is literal.
    let mut class_start = usize::MAX;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    out.push('\\');
                    i += 1;
                    continue;
                };
                let class = match n {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (class, n.is_ascii_uppercase(), in_class) {
                    (Some(set), false, false) => out.push_str(&format!("[{set}]")),
                    (Some(set), true, _) => out.push_str(&format!("[^{set}]")),
                    (Some(set), false, true) => out.push_str(set),
                    (None, ..) if n == 'Q' => {
                        let rest: String = chars.get(i + 2..).unwrap_or(&[]).iter().collect();
                        let (lit, used) = match rest.find("\\E") {
                            Some(e) => (rest.get(..e).unwrap_or(""), e + 2),
                            None => (rest.as_str(), rest.len()),
                        };
                        for ch in lit.chars() {
                            if in_class {
                                if ch.is_ascii_punctuation() {
                                    out.push('\\');
                                }
                                out.push(ch);
                            } else {
                                out.push_str(&regex::escape(&ch.to_string()));
                            }
                        }
                        i += 2 + rest.get(..used).map_or(0, |u| u.chars().count());
                        continue;
                    }
                    (None, ..) if (n == 'b' || n == 'B') && !in_class => {
                        out.push_str(if n == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                    }
                    // `\p{Greek}`, `\x{65e5}`: the braces belong to the escape.
                    _ if matches!(n, 'p' | 'P' | 'x') && chars.get(i + 2) == Some(&'{') => {
                        let close = chars
                            .get(i + 2..)
                            .and_then(|r| r.iter().position(|&c| c == '}'))
                            .map_or(chars.len(), |p| i + 2 + p + 1);
                        out.extend(chars.get(i..close).unwrap_or(&[]));
                        i = close;
                        continue;
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_start = i;
                continue;
            }
            '[' => {
                // `[:alpha:]` stays a POSIX class; any other `[` is literal.
                if chars.get(i + 1) == Some(&':') {
                    let rest: String = chars.get(i..).unwrap_or(&[]).iter().collect();
                    if let Some(end) = rest.find(":]") {
                        let posix = rest.get(..end + 2).unwrap_or("");
                        out.push_str(posix);
                        i += posix.chars().count();
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' if in_class && i == class_start => out.push_str("\\]"),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            // RE2 reads `{` as a literal unless it starts a repetition `{n}`, `{n,}` or
            // `{n,m}`; `regex` rejects such a pattern.
            '{' if !in_class => {
                let rest: String = chars.get(i..).unwrap_or(&[]).iter().take(32).collect();
                match repetition_len(&rest) {
                    Some(n) => {
                        out.push_str(rest.get(..n).unwrap_or(""));
                        i += n;
                        continue;
                    }
                    None => out.push_str("\\{"),
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The length in bytes of a repetition `{n}`, `{n,}` or `{n,m}` at the start of `s`.
fn repetition_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('{')?;
    let end = body.find('}')?;
    let inner = body.get(..end)?;
    let (min, max) = match inner.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (inner, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    (digits(min) && max.is_none_or(|m| m.is_empty() || digits(m))).then_some(end + 2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::translate;

    fn is(p: &str, s: &str) -> bool {
        regex::Regex::new(&translate(p)).unwrap().is_match(s)
    }

    #[test]
    fn perl_classes_are_ascii_as_in_re2() {
        assert!(is(r"^\w+$", "abc_9"));
        assert!(!is(r"^\w+$", "héllo"));
        assert!(!is(r"^\d$", "٣"));
        assert!(is(r"^\D$", "٣"));
        assert!(is(r"^[\w-]+$", "a-b_c"));
        assert!(is(r"^[^\s]+$", "日本"));
        assert!(!is(r"^\s$", "\u{3000}"));
        assert!(is(r"^[\W]$", "é"));
    }

    #[test]
    fn word_boundaries_are_ascii() {
        assert!(is(r"\bab\b", "x ab y"));
        // An accented letter is not a word character in RE2.
        assert!(is(r"\bab\b", "éabé"));
    }

    #[test]
    fn re2_literal_syntax_is_literal() {
        assert!(is(r"^\Qa.b*\E$", "a.b*"));
        assert!(!is(r"^\Qa.b*\E$", "axb"));
        assert!(is(r"^[[]$", "["));
        assert!(is(r"^[]a]+$", "]a"));
        assert!(is(r"^[a&&b]+$", "&&"));
        assert!(is(r"^[~~]$", "~"));
        assert!(is(r"^[[:alpha:]]+$", "abc"));
        assert!(is(r"^a{2}x{1,}y{0,1}$", "aaxy"));
        assert!(is(r"^x{a}$", "x{a}"));
        assert!(is(r"^\{$", "{"));
        assert!(is(r"^a{,2}$", "a{,2}"));
        assert!(is(r"^{$", "{"));
        assert!(is(r"^\p{Greek}+\x{65e5}$", "αβ日"));
        assert!(!is(r"^[[:alpha:]]+$", "ab1"));
    }
}
