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
        $crate::build_text(&|lang| match lang {
            $crate::Lang::Ja => format!($ja),
            $crate::Lang::En => format!($en),
        })
    };
    ($ja:literal, $en:literal, $($arg:expr),+ $(,)?) => {
        $crate::build_text(&|lang| match lang {
            $crate::Lang::Ja => format!($ja, $($crate::Localize::localize(&$arg, lang)),+),
            $crate::Lang::En => format!($en, $($crate::Localize::localize(&$arg, lang)),+),
        })
    };
}

/// Builds the two languages of a [`text!`](crate::text) out of line.
/// why: messages are built in the evaluators' recursive functions; formatting two strings in
/// place made their stack frames large enough for deep (hostile) input to overflow the stack.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn build_text(f: &dyn Fn(Lang) -> String) -> Text {
    Text {
        ja: f(Lang::Ja),
        en: f(Lang::En),
    }
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

/// Words that only a sentence has: a run of English words holding one of them is prose, a run
/// without (`Application Load Balancer`, `public access prevention`) is a name.
const FUNCTION_WORDS: &[&str] = &[
    "the", "an", "is", "are", "was", "were", "be", "been", "not", "of", "to", "in", "on", "at",
    "by", "for", "from", "with", "without", "and", "or", "but", "this", "that", "these", "those",
    "it", "its", "has", "have", "had", "can", "cannot", "could", "should", "must", "may", "will",
    "would", "does", "did", "which", "when", "where", "there", "here", "than", "then", "only",
    "any", "all", "some", "every", "none", "into", "see", "no", "needs", "after", "before",
];

/// An English sentence in text meant to be Japanese: three or more consecutive English words
/// (letters only, at least two of them, one with a lower-case letter) of which one is a
/// function word of a sentence ("is", "not", "the", "cannot" …; see `FUNCTION_WORDS`) that does
/// not stand between two capitalised words (`Microsoft Defender for Cloud` is a name).
///
/// Not counted: text inside backticks, double quotes, 「」 and `{…}` placeholders (identifiers,
/// values, the input's own words, quoted diagnostics of other tools); tokens with digits or
/// `_ . / : -` inside (`aws_s3_bucket`, `var.region`, `IPv6`); words in capitals (`TLS`, `ARN`);
/// and any run broken by a Japanese character. Returns the offending run, if any.
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
            None if matches!(c, '`' | '"' | '{' | '「') => {
                quote = Some(match c {
                    '{' => '}',
                    '「' => '」',
                    c => c,
                })
            }
            None => plain.push(c),
        }
    }
    // Tokens are split on whitespace and around every non-ASCII character, which also ends a
    // run (None).
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
    let word = |t: &Option<&str>| -> Option<String> {
        let w = (*t)?
            .trim_start_matches('(')
            .trim_end_matches([',', ';', '.', ':', ')', '!', '?']);
        let is_word = w.len() >= 2
            && w.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
            && w.chars().any(|c| c.is_ascii_lowercase());
        is_word.then(|| w.to_string())
    };
    let words: Vec<Option<String>> = tokens.iter().map(word).collect();
    let capital = |w: &Option<String>| {
        w.as_ref()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
    };
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j < words.len() && words.get(j).is_some_and(Option::is_some) {
            j += 1;
        }
        if j - i >= 3 {
            let run = words.get(i..j).unwrap_or_default();
            let sentence = run.iter().enumerate().any(|(k, w)| {
                let Some(w) = w else { return false };
                let in_name = k > 0
                    && run.get(k - 1).is_some_and(capital)
                    && run.get(k + 1).is_some_and(capital);
                w.chars().all(|c| c.is_ascii_lowercase())
                    && FUNCTION_WORDS.contains(&w.as_str())
                    && !in_name
            });
            if sentence {
                return Some(run.iter().flatten().cloned().collect::<Vec<_>>().join(" "));
            }
        }
        i = j + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::english_sentence;

    #[test]
    fn english_sentences_are_found_and_identifiers_are_not() {
        assert_eq!(
            english_sentence("remote module not fetched").as_deref(),
            Some("remote module not fetched")
        );
        assert!(english_sentence("Application Load Balancer の既定値").is_none());
        assert!(english_sentence("Microsoft Defender for Cloud のプラン").is_none());
        assert!(english_sentence("公開アクセス防止（public access prevention）").is_none());
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
