//! Fuzzing entry points: one function per front end and one for the whole pipeline, each taking
//! arbitrary bytes. They are shared by the cargo-fuzz targets in `fuzz/` (libFuzzer, nightly)
//! and by the stable smoke fuzzer in `tests/fuzz_smoke.rs`, so both exercise the same code.
//!
//! Every function must return normally for every input: a panic, a hang or an abort is a bug.
//! Results are discarded; the point is that producing them cannot go wrong.

use crate::{check, Document, Options};
use kijun_model::{Model, Sources};
use kijun_terraform::NoLoader;

/// The bytes as text, as the CLI would decode them (invalid UTF-8 is refused there).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Terraform native syntax: parse, then evaluate every root.
pub fn hcl(data: &[u8]) {
    terraform("main.tf", data);
}

/// Terraform JSON syntax (`.tf.json`): parse, then evaluate.
pub fn terraform_json(data: &[u8]) {
    terraform("main.tf.json", data);
}

fn terraform(path: &str, data: &[u8]) {
    let Some(t) = text(data) else { return };
    if let Ok(b) = kijun_terraform::parse_file(0, path, t) {
        drop(b);
    }
    let mut sources = Sources::new();
    let id = sources.add(kijun_model::SourceFile::new(path, t));
    let opts = kijun_terraform::Options::default();
    let model = kijun_terraform::scan(&mut sources, &[id], &NoLoader, &opts);
    positions(&sources, &model);
}

/// The JSON reader, strict and relaxed (ARM's dialect).
pub fn json(data: &[u8]) {
    let Some(t) = text(data) else { return };
    if let Ok(v) = kijun_json::parse(t) {
        let _ = kijun_formats::json_to_node(0, &v);
    }
    let _ = kijun_json::parse_relaxed(t);
}

/// The YAML reader.
pub fn yaml(data: &[u8]) {
    let Some(t) = text(data) else { return };
    let _ = kijun_yaml::parse(0, t);
}

/// Every document of a YAML stream, or a JSON document, as trees.
fn trees(t: &str) -> Vec<kijun_model::Node> {
    if let Ok(v) = kijun_json::parse_relaxed(t) {
        return vec![kijun_formats::json_to_node(0, &v)];
    }
    kijun_yaml::parse(0, t)
        .map(|docs| docs.into_iter().map(|d| d.root).collect())
        .unwrap_or_default()
}

/// CloudFormation templates (YAML short tags or JSON), evaluated whatever their shape.
pub fn cloudformation(data: &[u8]) {
    let Some(t) = text(data) else { return };
    for root in trees(t) {
        let _ = kijun_formats::cloudformation::is_template(&root);
        let _ = kijun_formats::cloudformation::read(0, t, &root, &[("P".into(), "x".into())]);
    }
}

/// Azure ARM templates, evaluated whatever their shape.
pub fn arm(data: &[u8]) {
    let Some(t) = text(data) else { return };
    for root in trees(t) {
        let _ = kijun_formats::arm::is_template(&root);
        let _ = kijun_formats::arm::read(0, t, &root, &[]);
    }
}

/// Terraform plan JSON.
pub fn plan(data: &[u8]) {
    let Some(t) = text(data) else { return };
    for root in trees(t) {
        let _ = kijun_formats::plan::is_plan(&root);
        let _ = kijun_formats::plan::read(0, &root);
    }
}

/// Kubernetes manifests.
pub fn kubernetes(data: &[u8]) {
    let Some(t) = text(data) else { return };
    let _ = kijun_formats::kubernetes::helm_template(0, t);
    let mut model = Model::default();
    for root in trees(t) {
        if kijun_formats::kubernetes::is_object(&root) {
            kijun_formats::kubernetes::read(&root, &mut model);
        }
    }
}

/// The whole pipeline on one document: the first byte picks the file name (and so the format),
/// the rest is its content; the JSON report is rendered too.
pub fn check_one(data: &[u8]) {
    const NAMES: [&str; 8] = [
        "main.tf",
        "main.tf.json",
        "terraform.tfvars",
        "template.yaml",
        "template.json",
        "deploy.yml",
        "plan.json",
        "azuredeploy.json",
    ];
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES
        .get(usize::from(first) % NAMES.len())
        .copied()
        .unwrap_or("main.tf");
    let Some(t) = text(rest) else { return };
    let docs = vec![
        Document::new(name, t),
        // A module directory the document may call.
        Document::new(
            "modules/m/main.tf",
            "variable \"x\" {\n  default = 1\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = var.x\n}\n",
        ),
    ];
    let opts = Options {
        now: Some(crate::exceptions::Date {
            year: 2026,
            month: 1,
            day: 1,
        }),
        ..Options::default()
    };
    let out = check(docs, &NoLoader, &opts);
    let _ = crate::json::render(&out);
}

/// Every position in the model resolves to a line and column (as reports do).
fn positions(sources: &Sources, model: &Model) {
    for r in &model.resources {
        let _ = sources.position(r.at);
        for n in r.attrs.values() {
            let _ = sources.position(n.at);
        }
    }
    for e in &model.errors {
        let _ = sources.position(e.at);
    }
}

/// Every target by name, for drivers.
/// A fuzz target: its name and the function that feeds it one input.
pub type Target = (&'static str, fn(&[u8]));

pub const TARGETS: &[Target] = &[
    ("hcl", hcl),
    ("terraform_json", terraform_json),
    ("json", json),
    ("yaml", yaml),
    ("cloudformation", cloudformation),
    ("arm", arm),
    ("plan", plan),
    ("kubernetes", kubernetes),
    ("check", check_one),
];
