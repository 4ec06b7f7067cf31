//! User-facing text that is not a rule's catalogue entry (input errors, "not evaluated"
//! reasons, why a value is unknown, CLI errors) is written at its source in both languages
//! with [`text!`](crate::text): `text!("変数 `{name}` は宣言されていません", "variable `{name}`
//! is not declared")`. Reports pick the language (`--lang`).
//!
//! A missing language does not compile; `tests/messages.rs` walks every `text!` of the
//! workspace and checks both templates (same placeholders, no English sentence in the
//! Japanese, see [`english_sentence`]).

use crate::{Lang, Text};

/// A [`Text`](crate::Text) in both languages, each a `format!` template. Positional
/// arguments after the two templates are shared: `text!("{0} 件", "{0} items", n)` (a
/// placeholder used in one language only is a compile error), and a [`Text`] argument is
/// put in each language's template in that language; named placeholders capture variables in
/// scope as `format!` does (a `Text` cannot be captured so: it is not `Display`).
#[macro_export]
macro_rules! text {
    ($ja:literal, $en:literal $(,)?) => {
        $crate::Text {
            ja: format!($ja),
            en: format!($en),
        }
    };
    ($ja:literal, $en:literal, $($arg:expr),+ $(,)?) => {
        $crate::Text {
            ja: format!($ja, $($crate::Localize::localize(&$arg, $crate::Lang::Ja)),+),
            en: format!($en, $($crate::Localize::localize(&$arg, $crate::Lang::En)),+),
        }
    };
}

/// An argument of [`text!`](crate::text): a [`Text`] gives the language of the message it
/// goes into (a cause inside a message), anything else is displayed as it is (a name, a
/// number, a path).
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

impl<T: std::fmt::Display + ?Sized> Localize for T {
    fn localize(&self, _: Lang) -> String {
        self.to_string()
    }
}

impl Localize for Text {
    fn localize(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

impl Localize for &Text {
    fn localize(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

/// What a reader of Japanese text would not accept as Japanese: a run of three or more ASCII
/// words (letters only, each at least two letters long) outside backticks, quotes and
/// placeholders. Identifiers (`aws_s3_bucket`, `var.region`), paths, numbers, abbreviations
/// (TLS, IPv6, ARN) and one or two product names (Terraform, Kubernetes API) do not make one.
///
/// Returns the offending run, if any.
pub fn english_sentence(text: &str) -> Option<String> {
    // Drop quoted spans first: they hold identifiers, values and the input's own words.
    let mut plain = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                plain.push(' ');
            }
            Some(_) => {}
            None if matches!(c, '`' | '"' | '{' | '「' | '“') => {
                quote = Some(match c {
                    '{' => '}',
                    '「' => '」',
                    '“' => '”',
                    c => c,
                })
            }
            None => plain.push(c),
        }
    }
    let mut run: Vec<&str> = Vec::new();
    let mut worst: Option<String> = None;
    // Tokens are split on whitespace and around every non-ASCII character (which also ends a
    // run: Japanese between two English words breaks the phrase). A token of letters (with an
    // apostrophe, and punctuation around it) is a word; anything else (an identifier with `_`,
    // `.`, `/`, digits or `:` inside) ends the run.
    let mut tokens: Vec<Option<&str>> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in plain.char_indices() {
        if c.is_whitespace() || !c.is_ascii() {
            if let Some(s) = start.take() {
                tokens.push(plain.get(s..i));
            }
            if !c.is_ascii() {
                tokens.push(None);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push(plain.get(s..));
    }
    for token in tokens {
        let word = token
            .unwrap_or("")
            .trim_start_matches('(')
            .trim_end_matches([',', ';', '.', ':', ')', '!', '?']);
        let is_word = word.len() >= 2
            && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
            && word.chars().any(|c| c.is_ascii_lowercase());
        if is_word {
            run.push(word);
            if run.len() >= 3 && worst.is_none() {
                worst = Some(run.join(" "));
            }
        } else {
            run.clear();
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::english_sentence;

    #[test]
    fn english_sentences_are_found_and_identifiers_are_not() {
        assert_eq!(
            english_sentence("remote module not fetched").as_deref(),
            Some("remote module not")
        );
        assert!(english_sentence(
            "リモートモジュール `git::https://example.com/a b c` は取得していません"
        )
        .is_none());
        assert!(english_sentence("TLS 1.2 未満の ARN を IPv6 で").is_none());
        assert!(english_sentence("Kubernetes API サーバー").is_none());
        assert!(english_sentence("変数 {name} の値 \"a long value here\"").is_none());
        assert!(english_sentence("値が not known here です").is_some());
        assert!(english_sentence("a 変数 b c").is_none());
        assert!(english_sentence("aws_s3_bucket.logs var.region module.net の").is_none());
    }
}
