//! Glob patterns for configuration and the exception ledger: `*` matches within one path
//! segment (not `/`), `**` matches across segments, `?` matches one character.

/// Whether `pattern` matches all of `text`. Dynamic programming over (pattern, text) positions:
/// linear memory, no recursion, bounded time for any input.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let n = t.len();
    // reach[j]: the text prefix of length j is matched by the pattern prefix processed so far.
    let mut reach = vec![false; n + 1];
    if let Some(r) = reach.first_mut() {
        *r = true;
    }
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        let mut next = vec![false; n + 1];
        if c == '*' {
            let double = p.get(i + 1) == Some(&'*');
            let mut carry = false;
            for (j, slot) in next.iter_mut().enumerate() {
                carry |= reach.get(j).copied().unwrap_or(false);
                *slot = carry;
                // A single star stops at a path separator.
                if !double && t.get(j) == Some(&'/') {
                    carry = false;
                }
            }
            i += if double { 2 } else { 1 };
            // `**/` also matches nothing, so "a/**/b" matches "a/b".
            if double && p.get(i) == Some(&'/') {
                let mut with_slash = reach.clone();
                for (j, ch) in t.iter().enumerate() {
                    if *ch == '/' && next.get(j).copied().unwrap_or(false) {
                        if let Some(s) = with_slash.get_mut(j + 1) {
                            *s = true;
                        }
                    }
                }
                i += 1;
                reach = with_slash;
                continue;
            }
        } else {
            for (j, ch) in t.iter().enumerate() {
                if reach.get(j).copied().unwrap_or(false) && (c == *ch || (c == '?' && *ch != '/'))
                {
                    if let Some(s) = next.get_mut(j + 1) {
                        *s = true;
                    }
                }
            }
            i += 1;
        }
        reach = next;
    }
    reach.get(n).copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs() {
        assert!(matches("envs/dev/**", "envs/dev/main.tf"));
        assert!(matches("envs/dev/**", "envs/dev/a/b/main.tf"));
        assert!(!matches("envs/dev/**", "envs/prod/main.tf"));
        assert!(matches("envs/*/main.tf", "envs/dev/main.tf"));
        assert!(!matches("envs/*/main.tf", "envs/dev/x/main.tf"));
        assert!(matches("**/main.tf", "main.tf"));
        assert!(matches("**/main.tf", "a/b/main.tf"));
        assert!(matches("aws_ebs_volume.*", "aws_ebs_volume.scratch"));
        assert!(matches(
            "module.reports.*",
            "module.reports.aws_ebs_volume.this"
        ));
        assert!(matches("aws_s3_bucket.b[?]", "aws_s3_bucket.b[0]"));
        assert!(!matches("aws_s3_bucket.b", "aws_s3_bucket.bb"));
        assert!(matches(&"*".repeat(200), &"a".repeat(200)));
    }
}
