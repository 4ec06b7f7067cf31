//! The one place kijun feeds the parser a slightly different text than it was given.
//!
//! libyaml-safer 0.3.0 panics ("TODO: What is expected here?") on a tag directly followed by a
//! `,` inside a flow collection (`[!!str, b]`, `{!Ref,}`), which libyaml itself reads as a tagged
//! empty node followed by the entry separator. Inside a flow collection a space before `,` means
//! nothing, so the parser is given the text with one space inserted before every `,` that
//! directly follows a `!`-word, and positions are mapped back. Where the `,` was not after a tag
//! token at all (inside a quoted or block scalar, a comment, or a plain scalar), the space could
//! change a scalar's content: [`Shift::inside`] finds those, and the caller parses again
//! without them. Texts without such a `,` (all real files seen so far) are parsed as given.
//!
//! libyaml-safer 0.3.0 also panics ("unexpected end of input") when the text ends inside a
//! content line of a block scalar (`run: |\n  make` with no final line break), where libyaml
//! reads up to its terminating NUL. A text that does not end with a line break is given one; the
//! only value that break can change is that of a block scalar running to the end, and
//! [`Shift::block_scalar`] takes it off again.
//!
//! And libyaml-safer skips a leading byte order mark without counting it in its positions, so
//! the parser is given the text after it and positions are moved past it.

use std::borrow::Cow;

/// Where spaces were inserted, in the coordinates of the text the parser sees.
pub(crate) struct Shift {
    /// Offsets, in the parser's text, of the inserted spaces, ascending.
    inserted: Vec<usize>,
    /// The length of the given text; positions past it (the appended line break) clamp to it.
    given_len: usize,
    /// Whether a line break was appended.
    appended: bool,
    /// The length of the parser's text.
    parser_len: usize,
    /// The length of the byte order mark left out of the parser's text.
    bom: usize,
}

/// The offsets of every `,` directly following a `!` and the characters a tag shorthand may hold.
pub(crate) fn candidates(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = bytes
        .get(from..)
        .and_then(|b| b.iter().position(|&c| c == b','))
    {
        let comma = from + rel;
        from = comma + 1;
        // Walk back over the characters a shorthand tag can contain (anything but blanks and
        // flow indicators) looking for its `!`.
        let mut i = comma;
        while i > 0 {
            match bytes.get(i - 1) {
                Some(b'!') => {
                    found.push(comma);
                    break;
                }
                // `<`, `>`: a verbatim tag (`!<tag:yaml.org,2002:str>`) may hold commas.
                Some(
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}' | b'<' | b'>',
                )
                | None => break,
                Some(_) => i -= 1,
            }
        }
    }
    found
}

impl Shift {
    /// The text with a space before each of `commas` (offsets in `text`, ascending).
    pub(crate) fn apply<'t>(given: &'t str, commas: &[usize]) -> (Cow<'t, str>, Shift) {
        let text = given.strip_prefix('\u{feff}').unwrap_or(given);
        let bom = given.len() - text.len();
        let appended = !text.is_empty() && !text.ends_with(['\n', '\r']);
        let mut shift = Shift {
            inserted: Vec::new(),
            given_len: given.len(),
            bom,
            appended,
            parser_len: text.len() + commas.len() + usize::from(appended),
        };
        if commas.is_empty() && !appended {
            return (Cow::Borrowed(text), shift);
        }
        let mut out = String::with_capacity(shift.parser_len);
        let mut inserted = Vec::with_capacity(commas.len());
        let mut last = 0;
        for c in commas.iter().filter_map(|c| c.checked_sub(bom)) {
            out.push_str(text.get(last..c).unwrap_or(""));
            inserted.push(out.len());
            out.push(' ');
            last = c;
        }
        out.push_str(text.get(last..).unwrap_or(""));
        if appended {
            out.push('\n');
        }
        shift.inserted = inserted;
        (Cow::Owned(out), shift)
    }

    /// A block scalar's value as libyaml reads it from the given text, from its value read with
    /// the appended line break. `end` is the scalar's end in the parser's text, `chomp` its
    /// chomping indicator (`+`, `-`, or none), and `content_last` whether the text's last line
    /// is a content line of the scalar (not an empty one).
    pub(crate) fn block_scalar<'v>(
        &self,
        value: &'v str,
        end: usize,
        chomp: Option<u8>,
        content_last: impl FnOnce() -> bool,
    ) -> &'v str {
        if !self.appended || end < self.parser_len {
            return value;
        }
        // Keeping, the appended break is always one more; clipping, only when it ended a
        // content line (a trailing blank line's break is clipped anyway); stripping, never.
        let extra = match chomp {
            Some(b'+') => true,
            Some(b'-') => false,
            _ => content_last(),
        };
        if extra {
            value.strip_suffix('\n').unwrap_or(value)
        } else {
            value
        }
    }

    /// An offset in the parser's text as an offset in the given text. An inserted space maps to
    /// the `,` after it.
    pub(crate) fn map(&self, offset: usize) -> usize {
        let before = self.inserted.partition_point(|&p| p < offset);
        (offset - before + self.bom).min(self.given_len)
    }

    /// Which inserted commas (as offsets in the given text) fell strictly inside a scalar whose
    /// text spans `start..end` in the parser's text.
    pub(crate) fn inside(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.inserted.partition_point(|&p| p <= start);
        self.inserted
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(move |&&p| p + 1 < end)
            .map(move |&p| self.map(p))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.inserted.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_commas_after_tags() {
        assert_eq!(candidates("[!!str, a]"), vec![6]);
        assert_eq!(candidates("{!Ref,}"), vec![5]);
        assert_eq!(candidates("[a, b]"), Vec::<usize>::new());
        assert_eq!(candidates("[!, x]"), vec![2]);
        assert_eq!(candidates("a: \"x ! y,\""), Vec::<usize>::new());
    }

    #[test]
    fn maps_back() {
        let (text, shift) = Shift::apply("[!a,!b,c]", &[3, 6]);
        assert_eq!(text, "[!a ,!b ,c]\n");
        assert_eq!(
            (0..=text.len()).map(|i| shift.map(i)).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9]
        );
    }
}
