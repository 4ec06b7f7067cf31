//! Detection: which format a file is (by name, then by content once parsed), and reading a
//! non-Terraform document into the model through the front end that recognises it. The
//! pipeline (`check`) calls it for every document; the CLI's directory walk asks
//! [`is_candidate`].

use crate::Options;
use kijun_model::{InputError, Model, Origin};

/// The formats a document can be. Detection is by name first, then by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terraform,
    /// A JSON document: a Terraform plan, CloudFormation or ARM template, or Kubernetes
    /// manifest, told apart by content once parsed.
    Json,
    /// A YAML stream: Kubernetes manifests or a CloudFormation template.
    Yaml,
}

pub fn detect(path: &str, _content: &str) -> Option<Format> {
    // why: objects the CLI reads from a cluster's API server (`kijun cluster`) arrive as JSON
    // under a synthetic `cluster://<context>/<namespace>/<Kind>/<name>` path, which has no
    // extension.
    if path.starts_with("cluster://") {
        return Some(Format::Json);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if kijun_terraform::project::is_tf(name)
        || name.ends_with(".tfvars")
        || name.ends_with(".tfvars.json")
    {
        return Some(Format::Terraform);
    }
    if name.ends_with(".json") {
        return Some(Format::Json);
    }
    if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
        return Some(Format::Yaml);
    }
    None
}

/// Reads a non-Terraform document into the model; unrecognised documents add nothing.
pub(crate) fn read_document(
    id: kijun_model::FileId,
    fmt: Format,
    text: &str,
    opts: &Options,
    assumed: Option<&kijun_model::Node>,
) -> Model {
    let mut model = Model::default();
    let params = &opts.parameters;
    let max_depth = opts.terraform.limits.max_depth;
    let json_limits = kijun_json::Limits { max_depth };
    match fmt {
        Format::Terraform => {}
        // why: ARM reads templates with comments and multi-line strings; strict JSON first.
        Format::Json => match kijun_json::parse_with(text, &json_limits).or_else(|e| {
            if kijun_formats::arm::looks_like_template(text) {
                kijun_json::parse_relaxed_with(text, &json_limits)
            } else {
                Err(e)
            }
        }) {
            Ok(tree) => {
                let root = kijun_formats::json_to_node(id, &tree);
                drop(tree);
                dispatch(id, text, &root, params, assumed, &mut model);
            }
            Err(e) if looks_like_iac(text) => {
                // why: arbitrary .json files (package.json, editor settings) are not ours to
                // judge, but a broken one that looks like a template is reported.
                model.errors.push(InputError {
                    at: Origin {
                        file: id,
                        start: e.offset,
                        end: e.offset,
                    },
                    message: e.message.after(kijun_model::text!(
                        "JSON の構文エラー: ",
                        "JSON syntax error: "
                    )),
                });
            }
            Err(_) => {}
        },
        Format::Yaml => {
            if let Some(ne) = kijun_formats::kubernetes::helm_template(id, text) {
                model.not_evaluated.push(ne);
                return model;
            }
            let yaml_limits = kijun_yaml::Limits {
                max_depth,
                ..kijun_yaml::Limits::default()
            };
            match kijun_yaml::parse_with(id, text, &yaml_limits) {
                Ok(docs) => {
                    for d in docs {
                        dispatch(id, text, &d.root, params, assumed, &mut model);
                    }
                }
                Err(e) if looks_like_iac(text) => model.errors.push(InputError {
                    at: Origin {
                        file: id,
                        start: e.offset,
                        end: e.offset,
                    },
                    message: e.message.after(kijun_model::text!(
                        "YAML の構文エラー: ",
                        "YAML syntax error: "
                    )),
                }),
                Err(_) => {}
            }
        }
    }
    model
}

/// Replaces "follows the resource group's location" (an ARM template's
/// `resourceGroup().location`) by the location the user declared (`[assume]
/// azure_resource_group_location`), which carries its own provenance as an assumption.
fn assume_group_location(n: &mut kijun_model::Node, loc: &kijun_model::Node) {
    match &mut n.value {
        kijun_model::Value::Unknown(u) if u.reason.contains("resourceGroup().location") => {
            let at = n.at;
            *n = loc.clone();
            n.at = at;
        }
        kijun_model::Value::List(v) => v.iter_mut().for_each(|x| assume_group_location(x, loc)),
        kijun_model::Value::Object(m) => m.values_mut().for_each(|x| assume_group_location(x, loc)),
        _ => {}
    }
}

/// One parsed document to the front end that recognises its content.
fn dispatch(
    id: kijun_model::FileId,
    text: &str,
    root: &kijun_model::Node,
    params: &[(String, String)],
    assumed: Option<&kijun_model::Node>,
    model: &mut Model,
) {
    if kijun_formats::plan::is_plan(root) {
        model.extend(kijun_formats::plan::read(id, root));
    } else if kijun_formats::cloudformation::is_template(root) {
        model.extend(kijun_formats::cloudformation::read(id, text, root, params));
    } else if kijun_formats::arm::is_template(root) {
        let mut m = kijun_formats::arm::read(id, text, root, params);
        if let Some(loc) = assumed {
            for r in &mut m.resources {
                for n in r.attrs.values_mut() {
                    assume_group_location(n, loc);
                }
            }
        }
        model.extend(m);
    } else if kijun_formats::kubernetes::is_object(root) {
        kijun_formats::kubernetes::read(root, model);
    }
}

/// Markers of the formats kijun reads, for deciding whether a broken file is ours.
fn looks_like_iac(text: &str) -> bool {
    [
        "\"format_version\"",
        "AWSTemplateFormatVersion",
        "deploymentTemplate",
        "apiVersion",
        "Resources",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// Is this a file kijun reads (used by the CLI's directory walk)?
pub fn is_candidate(path: &str) -> bool {
    detect(path, "").is_some()
}
