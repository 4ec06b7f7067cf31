//! `azapi_resource`: Azure resources written from Terraform against the ARM REST API
//! (`type = "Microsoft.Storage/storageAccounts@2023-05-01"`, the ARM body in `body`).
//!
//! why: Azure Verified Modules and other current Azure modules create their main resources
//! this way. The resource is the same ARM resource an ARM template declares, with the same
//! property names and the same REST defaults, so it is judged by the ARM rules: its kind
//! becomes the ARM type and the body's members (`properties`, `sku`, `kind`, `identity`) become
//! its attributes, beside `name`, `location` and `tags`.

use kijun_model::{Model, Node, Value};

pub fn to_arm_kinds(model: &mut Model) {
    for r in model
        .resources
        .iter_mut()
        .filter(|r| r.kind == "azapi_resource")
    {
        let Some(arm_type) = r
            .get("type")
            .and_then(|n| n.as_str())
            .map(|t| t.split('@').next().unwrap_or(t).trim().to_string())
            .filter(|t| t.contains('/'))
        else {
            continue;
        };
        let Some(body) = r.attrs.remove("body") else {
            r.kind = arm_type;
            continue;
        };
        match body.value {
            Value::Object(members) => {
                for (k, v) in members {
                    r.attrs.entry(k.to_string()).or_insert(v);
                }
            }
            // No body: nothing is set, and the REST defaults apply.
            Value::Null => {}
            // A body the scan cannot see: its properties are unknown, which the rules report
            // as such instead of applying the defaults of an empty body.
            Value::Unknown(_) => {
                r.attrs.insert("properties".to_string(), body);
            }
            // azapi 1.x takes the body as a JSON string (`jsonencode({...})`); it is not
            // read back here.
            _ => {
                let mut n = Node::unknown(
                    kijun_model::text!("`body` が JSON 文字列です（azapi 1.x）。そのプロパティは読み込んでいません", "`body` is a JSON string (azapi 1.x); its properties are not read"),
                    body.at,
                );
                n.from = body.from;
                r.attrs.insert("properties".to_string(), n);
            }
        }
        r.kind = arm_type;
    }
}
