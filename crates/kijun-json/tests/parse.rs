//! Behaviour of the parser on valid, invalid, hostile and large input.

// why: helpers here are test code too; this lets clippy apply the test allowances to them.
#![cfg(test)]

use kijun_json::{parse, parse_with, Error, Json, Limits, Span, Spanned};

fn text_of(text: &str, span: Span) -> &str {
    text.get(span.range())
        .unwrap_or("<span off a character boundary>")
}

fn err(text: &str) -> Error {
    match parse(text) {
        Ok(value) => panic!("expected an error for {text:?}, got {value:?}"),
        Err(e) => e,
    }
}

fn assert_err(text: &str, message: &str, offset: u32) {
    let e = err(text);
    assert_eq!(
        (e.message.en.as_str(), e.offset),
        (message, offset),
        "input {text:?}"
    );
}

/// A span-free rendering, so a value can be compared with the same value parsed from a
/// different position.
fn shape(v: &Spanned) -> String {
    match &v.value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => format!("{n:?}"),
        Json::String(s) => format!("{s:?}"),
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(shape).collect();
            format!("[{}]", inner.join(","))
        }
        Json::Object(members) => {
            let inner: Vec<String> = members
                .iter()
                .map(|m| format!("{:?}:{}", m.key, shape(&m.value)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
    }
}

/// Every span lies within its parent, starts and ends on the right bytes, and re-parsing
/// the spanned text alone yields the same value.
fn check_spans(text: &str, v: &Spanned) {
    let span = v.span;
    assert!(span.start <= span.end, "{span:?}");
    let slice = text.get(span.range()).unwrap();
    let reparsed = parse(slice).unwrap();
    assert_eq!(shape(&reparsed), shape(v), "span {span:?} of {text:?}");
    let mut last_end = span.start;
    match &v.value {
        Json::String(_) => assert!(slice.starts_with('"') && slice.ends_with('"')),
        Json::Array(items) => {
            assert!(slice.starts_with('[') && slice.ends_with(']'));
            for item in items {
                assert!(item.span.start > last_end && item.span.end < span.end);
                last_end = item.span.end;
                check_spans(text, item);
            }
        }
        Json::Object(members) => {
            assert!(slice.starts_with('{') && slice.ends_with('}'));
            for m in members {
                assert!(m.key_span.start > last_end);
                assert!(m.key_span.end < m.value.span.start && m.value.span.end < span.end);
                let key = text_of(text, m.key_span);
                assert_eq!(parse(key).unwrap().as_str(), Some(m.key.as_str()));
                last_end = m.value.span.end;
                check_spans(text, &m.value);
            }
        }
        _ => {}
    }
}

const SAMPLE: &str = "\u{FEFF}{\r\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n    {\"address\": \"aws_s3_bucket.b\", \"change\": {\"actions\": [\"create\"], \"after\": {\"acl\": \"private\", \"tags\": {\"Name\": \"caf\\u00e9 \\ud83d\\ude00 \\\"x\\\"\\n\"}, \"versioning\": [{\"enabled\": true}], \"count\": -12.5e-1, \"size\": 0, \"n\": null, \"f\": false, \"empty\": [], \"none\": {}}}},\n    {\"address\": \"é→ü\", \"change\": {\"actions\": [\"delete\", \"create\"], \"after\": null}}\n  ],\n  \"big\": 12345678901234567890, \"small\": 1E-3, \"neg0\": -0\n}\n";

#[test]
fn sample_document_parses_with_consistent_spans() {
    let doc = parse(SAMPLE).unwrap();
    check_spans(SAMPLE, &doc);
    assert_eq!(doc.span.start, 3);
    assert_eq!(
        doc.get("format_version").and_then(Spanned::as_str),
        Some("1.2")
    );
    let changes = doc
        .get("resource_changes")
        .and_then(Spanned::as_array)
        .unwrap();
    assert_eq!(changes.len(), 2);
    let after = changes[0]
        .get("change")
        .and_then(|c| c.get("after"))
        .unwrap();
    assert_eq!(
        after
            .get("tags")
            .and_then(|t| t.get("Name"))
            .and_then(Spanned::as_str),
        Some("café 😀 \"x\"\n")
    );
    assert_eq!(after.get("count").and_then(Spanned::as_f64), Some(-1.25));
    assert_eq!(after.get("size").and_then(Spanned::as_f64), Some(0.0));
    assert_eq!(after.get("f").and_then(Spanned::as_bool), Some(false));
    assert_eq!(after.get("n").map(|n| &n.value), Some(&Json::Null));
    assert_eq!(
        changes[1].get("address").and_then(Spanned::as_str),
        Some("é→ü")
    );
    assert_eq!(
        doc.get("big").and_then(Spanned::as_f64),
        Some(12_345_678_901_234_567_890.0)
    );
    assert_eq!(doc.get("small").and_then(Spanned::as_f64), Some(0.001));
    let neg0 = doc.get("neg0").and_then(Spanned::as_f64).unwrap();
    assert!(neg0 == 0.0 && neg0.is_sign_negative());
}

#[test]
fn spans_of_nested_values_and_keys_are_exact() {
    let text = r#"{"a": [1, {"b" : "x\ty"}, true], "c":{}}"#;
    let doc = parse(text).unwrap();
    assert_eq!(
        doc.span,
        Span {
            start: 0,
            end: text.len() as u32
        }
    );
    let members = doc.as_object().unwrap();
    assert_eq!(text_of(text, members[0].key_span), "\"a\"");
    assert_eq!(
        text_of(text, members[0].value.span),
        r#"[1, {"b" : "x\ty"}, true]"#
    );
    let items = members[0].value.as_array().unwrap();
    assert_eq!(text_of(text, items[0].span), "1");
    assert_eq!(text_of(text, items[1].span), r#"{"b" : "x\ty"}"#);
    assert_eq!(text_of(text, items[2].span), "true");
    let inner = items[1].as_object().unwrap();
    assert_eq!(text_of(text, inner[0].key_span), "\"b\"");
    assert_eq!(inner[0].key_span, Span { start: 11, end: 14 });
    assert_eq!(text_of(text, inner[0].value.span), r#""x\ty""#);
    assert_eq!(inner[0].value.as_str(), Some("x\ty"));
    assert_eq!(text_of(text, members[1].key_span), "\"c\"");
    assert_eq!(text_of(text, members[1].value.span), "{}");
    check_spans(text, &doc);
}

#[test]
fn scalar_documents_and_surrounding_whitespace() {
    let doc = parse(" \t\n 42 \r\n").unwrap();
    assert_eq!(doc.as_f64(), Some(42.0));
    assert_eq!(doc.span, Span { start: 4, end: 6 });
    assert_eq!(parse("\"\"").unwrap().as_str(), Some(""));
    assert_eq!(parse("null").unwrap().value, Json::Null);
    assert_eq!(parse("true").unwrap().as_bool(), Some(true));
    assert_eq!(parse("[ ]").unwrap().as_array().map(<[_]>::len), Some(0));
    assert_eq!(parse("{ \n}").unwrap().as_object().map(<[_]>::len), Some(0));
}

#[test]
fn byte_order_mark_is_skipped_but_offsets_count_it() {
    let text = "\u{FEFF}{\"k\": \"v\"}";
    let doc = parse(text).unwrap();
    assert_eq!(
        doc.span,
        Span {
            start: 3,
            end: text.len() as u32
        }
    );
    let member = &doc.as_object().unwrap()[0];
    assert_eq!(member.key_span, Span { start: 4, end: 7 });
    assert_eq!(text_of(text, member.value.span), "\"v\"");
    assert_eq!(parse("\u{FEFF}7").unwrap().span, Span { start: 3, end: 4 });
    assert_err("\u{FEFF}", "empty document", 3);
    assert_err("\u{FEFF}[x]", "expected a JSON value, found 'x'", 4);
    // Only a leading mark is special; anywhere else it is a stray character.
    // An invisible character is shown escaped.
    assert_err(" \u{FEFF}1", "expected a JSON value, found '\\u{feff}'", 1);
}

#[test]
fn crlf_line_endings_are_whitespace() {
    let text = "{\r\n  \"a\": 1,\r\n  \"b\": [true]\r\n}\r\n";
    let doc = parse(text).unwrap();
    let b = doc.as_object().unwrap()[1].clone();
    assert_eq!(b.key_span, Span { start: 16, end: 19 });
    assert_eq!(text_of(text, b.value.span), "[true]");
    assert_eq!(doc.span, Span { start: 0, end: 30 });
    assert_err("{\r\n  \"a\" 1}", "expected ':' after object key", 9);
}

#[test]
fn duplicate_keys_are_kept_and_the_last_wins() {
    let text = r#"{"a": 1, "b": 2, "a": 3}"#;
    let doc = parse(text).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    assert_eq!(keys, ["a", "b", "a"]);
    let a = doc.get("a").unwrap();
    assert_eq!(a.as_f64(), Some(3.0));
    assert_eq!(text_of(text, a.span), "3");
    assert_eq!(a.span.start, 22);
    assert!(doc.get("missing").is_none());
    assert!(parse("[1]").unwrap().get("a").is_none());
}

#[test]
fn accessors_reject_other_kinds() {
    let doc = parse(r#"["s", 1, true, null, [], {}]"#).unwrap();
    let items = doc.as_array().unwrap();
    assert_eq!(items[0].as_str(), Some("s"));
    assert!(items[0].as_f64().is_none() && items[0].as_array().is_none());
    assert!(items[1].as_str().is_none() && items[1].as_bool().is_none());
    assert!(items[2].as_f64().is_none() && items[2].as_object().is_none());
    assert!(items[3].as_str().is_none());
    assert!(items[4].as_object().is_none() && items[4].as_array().is_some());
    assert!(items[5].as_array().is_none() && items[5].as_object().is_some());
    assert!(doc.as_object().is_none() && doc.as_str().is_none());
}

#[test]
fn escapes_decode() {
    let doc = parse(r#""\" \\ \/ \b \f \n \r \t \u0041\u00e9\u20AC \u0000""#).unwrap();
    assert_eq!(doc.as_str(), Some("\" \\ / \u{8} \u{c} \n \r \t Aé€ \u{0}"));
    // Keys decode the same way, while their spans keep the escaped form.
    let text = r#"{"a\nb": 1}"#;
    let doc = parse(text).unwrap();
    let member = &doc.as_object().unwrap()[0];
    assert_eq!(member.key, "a\nb");
    assert_eq!(text_of(text, member.key_span), r#""a\nb""#);
    assert_eq!(doc.get("a\nb").and_then(Spanned::as_f64), Some(1.0));
    // Raw non-ASCII and DEL need no escaping.
    assert_eq!(parse("\"ü\u{7f}😀\"").unwrap().as_str(), Some("ü\u{7f}😀"));
}

#[test]
fn surrogate_pairs_and_lone_surrogates() {
    assert_eq!(parse(r#""\ud83d\ude00""#).unwrap().as_str(), Some("😀"));
    assert_eq!(parse(r#""\uD834\uDD1E""#).unwrap().as_str(), Some("𝄞"));
    assert_eq!(parse(r#""a\ud83db""#).unwrap().as_str(), Some("a\u{FFFD}b"));
    assert_eq!(parse(r#""\ude00""#).unwrap().as_str(), Some("\u{FFFD}"));
    assert_eq!(parse(r#""\ud83d""#).unwrap().as_str(), Some("\u{FFFD}"));
    // A high surrogate followed by something that is not a low surrogate: the follower is
    // decoded on its own.
    assert_eq!(
        parse(r#""\ud83d\u0041""#).unwrap().as_str(),
        Some("\u{FFFD}A")
    );
    assert_eq!(parse(r#""\ud83d\n""#).unwrap().as_str(), Some("\u{FFFD}\n"));
    assert_eq!(
        parse(r#""\ud83d\ud83d\ude00""#).unwrap().as_str(),
        Some("\u{FFFD}😀")
    );
    assert_eq!(
        parse(r#""\ude00\ud83d""#).unwrap().as_str(),
        Some("\u{FFFD}\u{FFFD}")
    );
    // The follower is still validated.
    assert_err(
        r#""\ud83d\uZZZZ""#,
        "invalid \\u escape: expected four hex digits",
        7,
    );
}

#[test]
fn structural_errors_report_their_offset() {
    assert_err("", "empty document", 0);
    assert_err(" \r\n\t", "empty document", 4);
    assert_err("[1,2", "unexpected end of input", 4);
    assert_err("[1, 2 ", "unexpected end of input", 6);
    assert_err("{", "unexpected end of input", 1);
    assert_err("{\"a\"", "unexpected end of input", 4);
    assert_err("{\"a\":", "unexpected end of input", 5);
    assert_err("{\"a\":1,", "unexpected end of input", 7);
    assert_err("[1 2]", "expected ',' or ']' after array element", 3);
    assert_err("[1}", "expected ',' or ']' after array element", 2);
    assert_err(
        "{\"a\":1 \"b\":2}",
        "expected ',' or '}' after object member",
        7,
    );
    assert_err("{\"a\":1]", "expected ',' or '}' after object member", 6);
    assert_err("{\"a\" 1}", "expected ':' after object key", 5);
    assert_err("{1:2}", "expected a string key in object", 1);
    assert_err("{'a':2}", "expected a string key in object", 1);
    assert_err("{\"a\":1, b:2}", "expected a string key in object", 8);
    assert_err("{\"a\":1,}", "trailing comma in object", 6);
    assert_err("[1, ]", "trailing comma in array", 2);
    assert_err("[,1]", "expected a JSON value, found ','", 1);
    assert_err("[1,,2]", "expected a JSON value, found ','", 3);
    assert_err("{\"a\":}", "expected a JSON value, found '}'", 5);
    assert_err("]", "expected a JSON value, found ']'", 0);
    assert_err("@", "expected a JSON value, found '@'", 0);
    assert_err("[\"é\",x]", "expected a JSON value, found 'x'", 6);
    assert_err("[é]", "expected a JSON value, found 'é'", 1);
    assert_err("[1] x", "trailing characters after JSON value", 4);
    assert_err("{} {}", "trailing characters after JSON value", 3);
    assert_err("1 2", "trailing characters after JSON value", 2);
    assert_err("truex", "trailing characters after JSON value", 4);
    assert_err("[1]\u{0}", "trailing characters after JSON value", 3);
    // Comments are not JSON.
    assert_err("[1] // c", "trailing characters after JSON value", 4);
    assert_err("[1, /* c */ 2]", "expected a JSON value, found '/'", 4);
}

#[test]
fn literal_errors() {
    assert_err("tru", "unexpected end of input", 3);
    assert_err("[nul", "unexpected end of input", 4);
    assert_err("trux", "invalid literal, expected 'true'", 0);
    assert_err("[fals e]", "invalid literal, expected 'false'", 1);
    assert_err("nil", "invalid literal, expected 'null'", 0);
    assert_err("True", "expected a JSON value, found 'T'", 0);
    assert_err("None", "expected a JSON value, found 'N'", 0);
}

#[test]
fn string_errors() {
    assert_err(r#""a\x""#, "invalid escape", 2);
    assert_err(r#"["ok", "\'"]"#, "invalid escape", 8);
    assert_err(
        r#""\u12G4""#,
        "invalid \\u escape: expected four hex digits",
        1,
    );
    assert_err(
        r#""\u12""#,
        "invalid \\u escape: expected four hex digits",
        1,
    );
    assert_err(r#""\U0041""#, "invalid escape", 1);
    assert_err(
        "\"a\u{1}\"",
        "control character in string must be escaped",
        2,
    );
    assert_err("\"a\tb\"", "control character in string must be escaped", 2);
    assert_err(
        "\"a\\n\nb\"",
        "control character in string must be escaped",
        4,
    );
    assert_err(
        "{\"k\ney\": 1}",
        "control character in string must be escaped",
        3,
    );
    assert_err("\"abc", "unterminated string", 0);
    assert_err("[1, \"abc\\\"]", "unterminated string", 4);
    assert_err("\"abc\\", "unterminated string", 0);
    assert_err("\"\\u00", "unterminated string", 0);
    assert_err("\"\\ud83d\\u", "unterminated string", 0);
    assert_err("{\"key", "unterminated string", 1);
}

#[test]
fn numbers_follow_the_grammar() {
    let ok = [
        ("0", 0.0),
        ("-0.0", -0.0),
        ("7", 7.0),
        ("-7", -7.0),
        ("10", 10.0),
        ("999999999999999", 999_999_999_999_999.0),
        ("9007199254740993", 9_007_199_254_740_992.0),
        ("1.5", 1.5),
        ("0.1", 0.1),
        ("1e3", 1000.0),
        ("1E+3", 1000.0),
        ("25e-1", 2.5),
        ("-0e5", -0.0),
        ("1.7976931348623157e308", f64::MAX),
        ("5e-324", 5e-324),
        ("1e-400", 0.0),
        ("0e99999999999999999999", 0.0),
    ];
    for (text, expected) in ok {
        let n = parse(text).unwrap().as_f64().unwrap();
        assert_eq!(n, expected, "{text}");
        assert_eq!(n.is_sign_negative(), expected.is_sign_negative(), "{text}");
    }
    let long = format!("1{}", "0".repeat(300));
    assert_eq!(parse(&long).unwrap().as_f64(), Some(1e300));
    // A megabyte of digits is still read in linear time.
    let fraction = format!("[0.{}5, 1]", "3".repeat(1_000_000));
    let items = parse(&fraction).unwrap();
    let items = items.as_array().unwrap();
    assert!((items[0].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(
        items[0].span,
        Span {
            start: 1,
            end: 1_000_004
        }
    );
}

#[test]
fn invalid_number_forms() {
    assert_err("01", "invalid number: leading zeros are not allowed", 0);
    assert_err("[-007]", "invalid number: leading zeros are not allowed", 1);
    assert_err("+1", "invalid number: leading '+' is not allowed", 0);
    assert_err(".5", "invalid number: expected digit before '.'", 0);
    assert_err("[-.5]", "invalid number: expected digit after '-'", 2);
    assert_err("-x", "invalid number: expected digit after '-'", 1);
    assert_err("-Infinity", "invalid number: expected digit after '-'", 1);
    assert_err("-", "unexpected end of input", 1);
    assert_err("1.", "unexpected end of input", 2);
    assert_err("[1.]", "invalid number: expected digit after '.'", 3);
    assert_err("1.e5", "invalid number: expected digit after '.'", 2);
    assert_err("1e", "unexpected end of input", 2);
    assert_err("1e+", "unexpected end of input", 3);
    assert_err("1ex", "invalid number: expected digit in exponent", 2);
    assert_err("[1E-]", "invalid number: expected digit in exponent", 4);
    assert_err("NaN", "expected a JSON value, found 'N'", 0);
    assert_err("Infinity", "expected a JSON value, found 'I'", 0);
    assert_err("1e309", "number out of range", 0);
    assert_err("[1, -1e309]", "number out of range", 4);
    assert_err(
        &format!("{{\"a\": 1{}}}", "0".repeat(400)),
        "number out of range",
        6,
    );
    assert_err("1e99999999999999999999", "number out of range", 0);
    assert_err("0x10", "trailing characters after JSON value", 1);
    assert_err("1.5.3", "trailing characters after JSON value", 3);
    assert_err("1_000", "trailing characters after JSON value", 1);
}

#[test]
fn deep_nesting_is_refused_quickly_without_overflowing_the_stack() {
    let arrays = "[".repeat(1_000_000);
    assert_err(&arrays, "nesting deeper than 512 levels", 512);
    let objects = "{\"a\":".repeat(1_000_000);
    assert_err(&objects, "nesting deeper than 512 levels", 512 * 5);
    let mixed = "[{\"k\":".repeat(500_000);
    assert_err(&mixed, "nesting deeper than 512 levels", 256 * 6);
}

#[test]
fn nesting_limit_is_exact_and_configurable() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let doc = parse(&nested(512)).unwrap();
    let mut depth = 0;
    let mut cursor = &doc;
    while let Some(items) = cursor.as_array() {
        depth += 1;
        match items.first() {
            Some(first) => cursor = first,
            None => break,
        }
    }
    assert_eq!(depth, 512);
    assert_err(&nested(513), "nesting deeper than 512 levels", 512);

    let limits = Limits { max_depth: 3 };
    assert!(parse_with("[{\"a\":[]}]", &limits).is_ok());
    assert!(parse_with("[{\"a\":[1, {}]}]", &limits).is_err());
    assert_eq!(
        parse_with("[[[[1]]]]", &limits),
        Err(Error {
            offset: 3,
            message: kijun_model::text!(
                "入れ子が 3 階層を超えています",
                "nesting deeper than 3 levels"
            )
        })
    );
    // Siblings do not add up: only open containers count.
    assert!(parse_with("[[[1]],[[2]],[[3]]]", &limits).is_ok());
    let flat = Limits { max_depth: 0 };
    assert!(parse_with("\"scalar\"", &flat).is_ok());
    assert!(parse_with("[]", &flat).is_err());
    assert_eq!(Limits::default().max_depth, 512);
}

#[test]
fn large_and_small_containers_keep_every_element_in_order() {
    let run = |from: usize, n: usize| {
        (from..from + n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let text = format!(
        "{{\"big\": [{}], \"small\": [{}], \"nested\": [[{}], {{\"k\": [{}]}}], \"last\": 0}}",
        run(0, 5000),
        run(0, 3),
        run(10, 6000),
        run(7, 2)
    );
    let doc = parse(&text).unwrap();
    let numbers = |v: &Spanned| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_f64().unwrap())
            .collect()
    };
    let big = doc.get("big").unwrap();
    assert_eq!(numbers(big), (0..5000).map(f64::from).collect::<Vec<_>>());
    assert_eq!(text_of(&text, big.as_array().unwrap()[4999].span), "4999");
    assert_eq!(numbers(doc.get("small").unwrap()), [0.0, 1.0, 2.0]);
    let nested = doc.get("nested").and_then(Spanned::as_array).unwrap();
    assert_eq!(
        numbers(&nested[0]),
        (10..6010).map(f64::from).collect::<Vec<_>>()
    );
    assert_eq!(numbers(nested[1].get("k").unwrap()), [7.0, 8.0]);
    assert_eq!(doc.as_object().unwrap().len(), 4);
    check_spans(&text, &doc);
}

#[test]
fn one_megabyte_string_on_one_line() {
    let body = "abcdefghij".repeat(100_000);
    let text = format!(
        "{{\"data\": \"{body}\", \"esc\": \"{}\\n\"}}",
        "é".repeat(250_000)
    );
    let doc = parse(&text).unwrap();
    let data = doc.get("data").unwrap();
    assert_eq!(data.as_str().map(str::len), Some(1_000_000));
    assert_eq!(
        data.span,
        Span {
            start: 9,
            end: 9 + 1_000_002
        }
    );
    let esc = doc.get("esc").and_then(Spanned::as_str).unwrap();
    assert_eq!(esc.len(), 500_001);
    assert!(esc.ends_with("é\n"));
    assert_eq!(doc.span.end as usize, text.len());
}

#[test]
fn large_generated_document() {
    let mut text = String::from("{\"format_version\":\"1.2\",\"resource_changes\":[");
    let mut count = 0;
    while text.len() < 5_000_000 {
        if count > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "\n  {{\"address\":\"aws_instance.web[{count}]\",\"type\":\"aws_instance\",\
             \"change\":{{\"actions\":[\"create\"],\"after\":{{\"ami\":\"ami-0abc\\u0031{count}\",\
             \"instance_type\":\"t3.micro\",\"ebs_optimized\":true,\"monitoring\":null,\
             \"cpu\":{count},\"ratio\":{count}.25e-2,\"tags\":{{\"Name\":\"web-{count}\",\"env\":\"prod\"}},\
             \"ports\":[22,80,443]}}}}}}"
        ));
        count += 1;
    }
    text.push_str("\n]}\n");
    let start = std::time::Instant::now();
    let doc = parse(&text).unwrap();
    let elapsed = start.elapsed();
    // Not an assertion (timings are noisy); visible with `--nocapture`.
    println!(
        "parsed {} bytes in {elapsed:?} ({:.0} MB/s)",
        text.len(),
        text.len() as f64 / elapsed.as_secs_f64() / 1e6
    );
    let changes = doc
        .get("resource_changes")
        .and_then(Spanned::as_array)
        .unwrap();
    assert_eq!(changes.len(), count);
    let last = changes.last().unwrap();
    let after = last.get("change").and_then(|c| c.get("after")).unwrap();
    assert_eq!(
        after.get("cpu").and_then(Spanned::as_f64),
        Some((count - 1) as f64)
    );
    assert_eq!(
        after.get("ami").and_then(Spanned::as_str),
        Some(format!("ami-0abc1{}", count - 1).as_str())
    );
    assert_eq!(
        text_of(&text, after.get("ports").unwrap().span),
        "[22,80,443]"
    );
}

#[test]
fn every_truncation_fails_cleanly() {
    let full = SAMPLE.trim_end();
    assert!(parse(full).is_ok());
    for (cut, _) in SAMPLE.char_indices() {
        let prefix = &SAMPLE[..cut];
        match parse(prefix) {
            // The sample is one object, so no strict prefix of it is a document.
            Ok(value) => assert!(prefix.len() >= full.len(), "{prefix:?} gave {value:?}"),
            Err(e) => {
                assert!(prefix.len() < full.len(), "{prefix:?} failed: {e}");
                assert!(e.offset as usize <= prefix.len(), "{prefix:?}: {e}");
            }
        }
    }
    // For a number, some prefixes are themselves numbers.
    let number = "-12.5e+3";
    let valid_prefixes: Vec<&str> = (1..=number.len())
        .map(|cut| &number[..cut])
        .filter(|prefix| parse(prefix).is_ok())
        .collect();
    assert_eq!(valid_prefixes, ["-1", "-12", "-12.5", "-12.5e+3"]);
}

/// A tiny deterministic generator so the mutation test needs no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_documents_never_panic_and_spans_stay_consistent() {
    let replacements = [
        "", "\"", "\\", "[", "]", "{", "}", ",", ":", "0", "-", "e", ".", "x", " ", "\u{1}", "\\u",
        "\\ud800", "é", "[[", "}}",
    ];
    let boundaries: Vec<usize> = SAMPLE.char_indices().map(|(i, _)| i).collect();
    let mut ok = 0;
    let mut check = |text: &str| match parse(text) {
        Ok(doc) => {
            ok += 1;
            check_spans(text, &doc);
        }
        Err(e) => assert!(e.offset as usize <= text.len(), "{text:?}: {e}"),
    };
    for (n, &at) in boundaries.iter().enumerate() {
        let next = boundaries.get(n + 1).copied().unwrap_or(SAMPLE.len());
        for insert in replacements {
            // Replace the character, and separately insert before it.
            check(&format!("{}{insert}{}", &SAMPLE[..at], &SAMPLE[next..]));
            check(&format!("{}{insert}{}", &SAMPLE[..at], &SAMPLE[at..]));
        }
    }
    // Random multi-point damage.
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let mut text = SAMPLE.to_owned();
        for _ in 0..(rng.next() % 4 + 1) {
            let at = boundaries[(rng.next() % boundaries.len() as u64) as usize].min(text.len());
            if !text.is_char_boundary(at) {
                continue;
            }
            let insert = replacements[(rng.next() % replacements.len() as u64) as usize];
            text.insert_str(at, insert);
        }
        check(&text);
    }
    assert!(
        ok > 0,
        "some mutations (e.g. inserting a space) keep the document valid"
    );
}

#[test]
fn errors_display_message_and_offset() {
    let e = err("[1,]");
    assert_eq!(e.to_string(), "trailing comma in array at byte 2");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().contains("byte 2"));
}

#[test]
fn relaxed_reads_comments_and_multi_line_strings_as_arm_does() {
    let text = "{\n  // a line comment\n  \"a\": 1, /* a block\n comment */ \"b\": \"two\nlines\",\n  \"c\": [1 /* x */, 2] // end\n}\n";
    let v = kijun_json::parse_relaxed(text).unwrap();
    assert_eq!(
        shape(&v),
        "{\"a\":1.0,\"b\":\"two\\nlines\",\"c\":[1.0,2.0]}"
    );
    let b = v.get("b").unwrap();
    assert_eq!(text_of(text, b.span), "\"two\nlines\"");
    // The strict parser still refuses both.
    assert_eq!(
        err(text).message.en,
        "expected a string key in object",
        "strict JSON has no comments"
    );
    assert_eq!(
        err("{\"b\": \"two\nlines\"}").message.en,
        "control character in string must be escaped"
    );
}

#[test]
fn relaxed_still_rejects_what_arm_rejects() {
    for (text, message) in [
        (
            "{\"a\": 1 /* open",
            "expected ',' or '}' after object member",
        ),
        (
            "{\"a\": \"x\u{1}\"}",
            "control character in string must be escaped",
        ),
        ("{\"a\": 1,}", "trailing comma in object"),
        ("{ placeholder }", "expected a string key in object"),
        ("/ {}", "expected a JSON value, found '/'"),
    ] {
        match kijun_json::parse_relaxed(text) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => assert_eq!(e.message.en, message, "{text:?}"),
        }
    }
}

/// The span of the first occurrence of `needle` in `text`.
fn span_of(text: &str, needle: &str) -> kijun_json::Span {
    let start = text.find(needle).unwrap() as u32;
    kijun_json::Span {
        start,
        end: start + needle.len() as u32,
    }
}

#[test]
fn path_at_names_the_field_that_holds_a_span() {
    let text = r#"{"metadata": {"name": "web", "annotations": {"example.com/team": "a \"b\""}},
 "spec": {"template": {"spec": {"hostNetwork": true,
   "containers": [{"name": "a"}, {"name": "b", "ports": [{"hostPort": 9100}]}]}}}}"#;
    let root = kijun_json::parse(text).unwrap();
    let at = |needle: &str| kijun_json::path_at(&root, span_of(text, needle));
    assert_eq!(at("true"), "spec.template.spec.hostNetwork");
    assert_eq!(
        at("9100"),
        "spec.template.spec.containers[1].ports[0].hostPort"
    );
    assert_eq!(at("\"web\""), "metadata.name");
    // A span on a key names that member; a span over a whole container names the container.
    assert_eq!(at("\"hostNetwork\""), "spec.template.spec.hostNetwork");
    assert_eq!(at("{\"name\": \"a\"}"), "spec.template.spec.containers[0]");
    // Keys that are not plain identifiers are quoted, with JSON escapes.
    assert_eq!(
        at("\"a \\\"b\\\"\""),
        "metadata.annotations[\"example.com/team\"]"
    );
    // The whole document is the empty path; a span outside it too.
    assert_eq!(kijun_json::path_at(&root, root.span), "");
    let past = kijun_json::Span {
        start: 10_000,
        end: 10_001,
    };
    assert_eq!(kijun_json::path_at(&root, past), "");
    let odd = kijun_json::parse(r#"{"a\"b": {"x y": 1}}"#).unwrap();
    let one = span_of(r#"{"a\"b": {"x y": 1}}"#, "1");
    assert_eq!(kijun_json::path_at(&odd, one), r#"["a\"b"]["x y"]"#);
}
