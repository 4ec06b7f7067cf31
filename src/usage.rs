//! The command line's own errors (an unknown option, a value outside a list, a missing
//! argument) in the user's language. clap writes them in English only; for a Japanese locale
//! (or `--lang ja`) they are written here from the error's kind and context, with the same exit
//! code (2). Help and version output, and kinds without a translation, stay clap's own.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use kijun_model::Lang;
use std::ffi::OsString;
use std::process::ExitCode;

/// The language of the command line's own text (help and errors), decided before the arguments
/// are parsed: a valid `--lang` among `args`, else `KIJUN_LANG` (`env_lang`), else the locale's.
pub fn command_lang(args: &[OsString], env_lang: Option<&str>, locale: Lang) -> Lang {
    lang_in(args)
        .or_else(|| env_lang.and_then(Lang::parse))
        .unwrap_or(locale)
}

/// Reports a command-line error in `lang` and gives the exit code.
pub fn clap_error(e: clap::Error, lang: Lang) -> ExitCode {
    match (lang, japanese(&e)) {
        (Lang::Ja, Some(text)) => {
            eprint!("{text}");
            ExitCode::from(2)
        }
        _ => e.exit(),
    }
}

/// The language a `--lang X` or `--lang=X` among the arguments asks for (the last valid one, as
/// clap keeps the last value; arguments after `--` are operands).
fn lang_in(args: &[OsString]) -> Option<Lang> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => iter.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(lang) = value.as_deref().and_then(Lang::parse) {
            found = Some(lang);
        }
    }
    found
}

/// One context value as plain text (lists joined with commas).
fn value(e: &clap::Error, kind: ContextKind) -> Option<String> {
    Some(match e.get(kind)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(list) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => return None,
    })
}

/// The whole message in Japanese, or None for kinds clap reports as information (help,
/// version) or that have no translation here.
fn japanese(e: &clap::Error) -> Option<String> {
    let get = |kind| value(e, kind).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let val = get(ContextKind::InvalidValue);
    let mut hints = Vec::new();
    let headline = match e.kind() {
        ErrorKind::UnknownArgument => {
            if let Some(s) = value(e, ContextKind::SuggestedArg) {
                hints.push(format!("ヒント: '{s}' のことですか"));
            }
            if let Some(t) = value(e, ContextKind::TrailingArg) {
                hints.push(format!(
                    "ヒント: '{t}' を値として渡すには '-- {t}' と書きます"
                ));
            }
            format!("'{arg}' という引数はありません")
        }
        ErrorKind::InvalidSubcommand => {
            if let Some(s) = value(e, ContextKind::SuggestedSubcommand) {
                hints.push(format!("ヒント: '{s}' のことですか"));
            }
            format!(
                "'{}' というサブコマンドはありません",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue => {
            if let Some(valid) = value(e, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                hints.push(format!("使える値: {valid}"));
            }
            if let Some(s) = value(e, ContextKind::SuggestedValue) {
                hints.push(format!("ヒント: '{s}' のことですか"));
            }
            if val.is_empty() {
                format!("{arg} に値がありません")
            } else {
                format!("{arg} に '{val}' は使えません")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            format!("{arg} の値 '{val}' が正しくありません{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("必須の引数がありません: {arg}"),
        ErrorKind::MissingSubcommand => {
            if let Some(valid) = value(e, ContextKind::ValidSubcommand) {
                hints.push(format!("使えるサブコマンド: {valid}"));
            }
            "サブコマンドを指定してください".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            format!("{arg} は {prior} と同時には使えません")
        }
        ErrorKind::TooManyValues => format!("{arg} の値が多すぎます（'{val}' は余分です）"),
        ErrorKind::TooFewValues => format!(
            "{arg} には値が {} 個以上必要です（{} 個しかありません）",
            get(ContextKind::MinValues),
            get(ContextKind::ActualNumValues)
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "{arg} には値が {} 個必要です（{} 個あります）",
            get(ContextKind::ExpectedNumValues),
            get(ContextKind::ActualNumValues)
        ),
        ErrorKind::NoEquals => format!("{arg} の値は '=' でつないで書きます"),
        ErrorKind::InvalidUtf8 => "引数が UTF-8 ではありません".to_string(),
        _ => return None,
    };
    let mut out = format!("kijun: {headline}\n");
    for hint in hints {
        out.push_str(&format!("  {hint}\n"));
    }
    if let Some(usage) = value(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\n使い方: {usage}\n"));
    }
    out.push_str("\n詳しくは '--help' を付けて実行してください。\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_last_valid_lang_before_the_operands_wins() {
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--lang", "ja"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--lang", "ja", "--lang", "en"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--lang", "ja", "--lang", "xx"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--", "--lang", "ja"])),
            None
        );
        assert_eq!(
            lang_in(&args(&["kijun", "check", "--language", "ja"])),
            None
        );
        assert_eq!(lang_in(&args(&["kijun", "check", "--lang"])), None);
    }
}
