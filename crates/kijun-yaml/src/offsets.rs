//! Character indexes to byte offsets.
//!
//! saphyr-parser reports positions as counts of Unicode scalar values from the start of the input
//! (a leading byte order mark counts as one), while kijun positions are byte offsets. The parser
//! reports positions in nearly increasing order, so a cursor that walks from the last answer
//! converts a whole stream in time linear in its length instead of rescanning from the start.

pub(crate) struct Offsets<'a> {
    text: &'a str,
    /// why: for pure ASCII text (most manifests) characters are bytes and no walking is needed.
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    pub(crate) fn new(text: &'a str) -> Offsets<'a> {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    /// The byte offset of character `index`, clamped to the end of the text.
    pub(crate) fn byte(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        if index >= self.chars {
            let rest = self.text.get(self.bytes..).unwrap_or("");
            for c in rest.chars() {
                if self.chars == index {
                    break;
                }
                self.chars += 1;
                self.bytes += c.len_utf8();
            }
        } else {
            let before = self.text.get(..self.bytes).unwrap_or("");
            for c in before.chars().rev() {
                if self.chars == index {
                    break;
                }
                self.chars -= 1;
                self.bytes -= c.len_utf8();
            }
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::Offsets;

    #[test]
    fn walks_both_ways_over_multibyte_text() {
        let text = "\u{feff}a: 日本語\nb: é";
        let mut o = Offsets::new(text);
        let expect: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        for (i, b) in expect.iter().enumerate() {
            assert_eq!(o.byte(i), *b);
        }
        for (i, b) in expect.iter().enumerate().rev() {
            assert_eq!(o.byte(i), *b);
        }
        assert_eq!(o.byte(1000), text.len());
        assert_eq!(o.byte(0), 0);
    }
}
