//! Terraform's override files (`override.tf`, `*_override.tf` and their JSON and OpenTofu
//! forms): each top-level block of an override file is merged into the block of the primary
//! files with the same type and labels, after all primary files are read.
//!
//! The rules are those Terraform documents under "Override Files":
//! - an argument replaces the argument of the same name;
//! - a nested block type replaces every nested block of that type (a `dynamic "x"` block counts
//!   as a block of type `x`), except `lifecycle`, whose arguments merge one by one;
//! - each `locals` entry replaces the entry of the same name wherever it was defined;
//! - `terraform` blocks: `required_providers` entries replace entries of the same provider name,
//!   a `backend`/`cloud` block replaces the other; other arguments replace arguments;
//! - a `provider` block merges into the configuration with the same name and alias.
//!
//! Values from an override keep the positions of the override file, so a finding about them
//! points at the file that supplied the final value.

use crate::ir::{Block, Expr};
use kijun_model::InputError;

/// The type a nested block counts as: its own, or the label of a `dynamic` block.
fn block_type(b: &Block) -> &str {
    if &*b.ident == "dynamic" {
        b.label(0)
    } else {
        &b.ident
    }
}

fn alias_of(b: &Block) -> Option<String> {
    match &b.attr("alias")?.expr.expr {
        Expr::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn same_target(base: &Block, over: &Block) -> bool {
    if base.ident != over.ident || base.labels != over.labels {
        return false;
    }
    // Provider configurations are told apart by their alias.
    &*over.ident != "provider" || alias_of(base) == alias_of(over)
}

/// Arguments of `over` replace those of `base`.
fn merge_attrs(base: &mut Block, over: &Block) {
    for a in &over.attrs {
        base.attrs.retain(|x| x.name != a.name);
        base.attrs.push(a.clone());
    }
}

/// The merge of one resource, data, module, variable, output or provider block.
fn merge_block(base: &mut Block, over: &Block) {
    merge_attrs(base, over);
    let mut replaced: Vec<&str> = Vec::new();
    for nb in &over.blocks {
        let ty = block_type(nb);
        if ty == "lifecycle" {
            match base.blocks.iter_mut().find(|b| &*b.ident == "lifecycle") {
                Some(l) => merge_attrs(l, nb),
                None => base.blocks.push(nb.clone()),
            }
            continue;
        }
        if !replaced.contains(&ty) {
            base.blocks.retain(|b| block_type(b) != ty);
            replaced.push(ty);
        }
        base.blocks.push(nb.clone());
    }
}

fn merge_terraform(base: &mut Block, over: &Block) {
    merge_attrs(base, over);
    for nb in &over.blocks {
        match &*nb.ident {
            "required_providers" => {
                match base
                    .blocks
                    .iter_mut()
                    .find(|b| &*b.ident == "required_providers")
                {
                    Some(rp) => merge_attrs(rp, nb),
                    None => base.blocks.push(nb.clone()),
                }
            }
            "backend" | "cloud" => {
                base.blocks
                    .retain(|b| !matches!(&*b.ident, "backend" | "cloud"));
                base.blocks.push(nb.clone());
            }
            _ => {
                base.blocks.retain(|b| b.ident != nb.ident);
                base.blocks.push(nb.clone());
            }
        }
    }
}

/// Merges the blocks of one override file into the primary configuration.
pub fn apply_override(primary: &mut Block, over: Block, errors: &mut Vec<InputError>) {
    for ob in over.blocks {
        match &*ob.ident {
            "locals" => {
                for a in ob.attrs {
                    let target = primary
                        .blocks
                        .iter_mut()
                        .filter(|b| &*b.ident == "locals")
                        .find(|b| b.attrs.iter().any(|x| x.name == a.name));
                    match target {
                        Some(t) => {
                            t.attrs.retain(|x| x.name != a.name);
                            t.attrs.push(a);
                        }
                        None => errors.push(InputError {
                            at: a.at,
                            message: kijun_model::text!("override: local.{} は主ファイルで定義されていません（Terraform はこれを受け付けません）", "override: local.{} is not defined in a primary file (Terraform rejects this)",
                                a.name
                            ),
                        }),
                    }
                }
            }
            "terraform" => match primary.blocks.iter_mut().find(|b| &*b.ident == "terraform") {
                Some(t) => merge_terraform(t, &ob),
                None => primary.blocks.push(ob),
            },
            _ => {
                let targets: Vec<usize> = primary
                    .blocks
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| same_target(b, &ob))
                    .map(|(i, _)| i)
                    .collect();
                if targets.is_empty() {
                    let what = std::iter::once(ob.ident.to_string())
                        .chain(ob.labels.iter().map(|l| format!("\"{l}\"")))
                        .collect::<Vec<_>>()
                        .join(" ");
                    errors.push(InputError {
                        at: ob.at,
                        message: kijun_model::text!("override: {what} に対応するブロックが主ファイルにありません（Terraform はこれを受け付けません）。無視しました", "override: {what} has no matching block in a primary file (Terraform rejects this); ignored"
                        ),
                    });
                    continue;
                }
                for i in targets {
                    if let Some(b) = primary.blocks.get_mut(i) {
                        merge_block(b, &ob);
                    }
                }
            }
        }
    }
}
