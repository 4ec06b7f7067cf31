//! Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) lowered into the same IR as HCL.
//!
//! Strings are templates (`"${var.x}"`); objects are attributes except where the JSON syntax
//! specification makes them blocks (top-level block types, `dynamic`).

use crate::ir::{Attr, Block, Expr, Lower, E};
use kijun_json::{Json, Member, Spanned};
use kijun_model::{FileId, InputError, Origin};
use std::collections::HashMap;
use std::sync::Arc;

pub fn parse_json(file: FileId, text: &str) -> Result<Block, InputError> {
    let root = kijun_json::parse(text).map_err(|e| InputError {
        at: Origin::new(file, e.offset as usize, e.offset as usize),
        message: e.message.after(kijun_model::text!(
            "JSON の構文エラー: ",
            "JSON syntax error: "
        )),
    })?;
    let full = Origin::new(file, 0, text.len());
    let cx = Cx { file, text };
    let Some(members) = root.as_object() else {
        return Err(InputError {
            at: full,
            message: kijun_model::text!(
                "Terraform の JSON ファイルの中身はオブジェクトでなければなりません",
                "a Terraform JSON file must hold an object"
            ),
        });
    };
    let mut out = empty_block("", full);
    for m in members {
        match m.key.as_str() {
            // Blocks with two labels.
            "resource" | "data" => {
                for (ty, ty_at, named) in cx.members(&m.value) {
                    for (name, name_at, body) in cx.members(named) {
                        for b in cx.bodies(body) {
                            let mut blk = cx.block(b, false);
                            blk.ident = Arc::from(m.key.as_str());
                            blk.labels = vec![Arc::from(ty.as_str()), Arc::from(name.as_str())];
                            blk.at = Origin::new(file, ty_at.start as usize, name_at.end as usize);
                            out.blocks.push(blk);
                        }
                    }
                }
            }
            // Blocks with one label.
            "variable" | "module" | "provider" | "output" => {
                for (name, name_at, body) in cx.members(&m.value) {
                    for b in cx.bodies(body) {
                        // why: a variable's `default` is a literal value, not a template, in the
                        // JSON syntax; parsing it as a template would still give the same string.
                        let mut blk = cx.block(b, false);
                        blk.ident = Arc::from(m.key.as_str());
                        blk.labels = vec![Arc::from(name.as_str())];
                        blk.at = cx.at(name_at);
                        out.blocks.push(blk);
                    }
                }
            }
            "locals" => {
                for b in cx.bodies(&m.value) {
                    let mut blk = cx.block(b, false);
                    blk.ident = Arc::from("locals");
                    out.blocks.push(blk);
                }
            }
            "terraform" | "//" => {}
            // A .tfvars.json file: top-level attributes.
            _ => out.attrs.push(Attr {
                name: Arc::from(m.key.as_str()),
                expr: cx.expr(&m.value),
                at: cx.at(m.key_span),
            }),
        }
    }
    Ok(out)
}

fn empty_block(ident: &str, at: Origin) -> Block {
    Block {
        ident: Arc::from(ident),
        labels: Vec::new(),
        attrs: Vec::new(),
        blocks: Vec::new(),
        at,
        full: at,
    }
}

struct Cx<'a> {
    file: FileId,
    text: &'a str,
}

impl Cx<'_> {
    fn at(&self, s: kijun_json::Span) -> Origin {
        Origin::new(self.file, s.start as usize, s.end as usize)
    }

    fn members<'b>(&self, v: &'b Spanned) -> Vec<(&'b String, kijun_json::Span, &'b Spanned)> {
        v.as_object()
            .unwrap_or(&[])
            .iter()
            .filter(|m| m.key != "//")
            .map(|m: &Member| (&m.key, m.key_span, &m.value))
            .collect()
    }

    /// A block body may be an object or an array of objects (several blocks of one name).
    fn bodies<'b>(&self, v: &'b Spanned) -> Vec<&'b Spanned> {
        match &v.value {
            Json::Array(items) => items.iter().filter(|x| x.as_object().is_some()).collect(),
            Json::Object(_) => vec![v],
            _ => Vec::new(),
        }
    }

    fn block(&self, v: &Spanned, _nested: bool) -> Block {
        let full = self.at(v.span);
        let mut blk = empty_block("", full);
        for m in v.as_object().unwrap_or(&[]) {
            if m.key == "//" {
                continue;
            }
            if m.key == "dynamic" {
                for (label, label_at, body) in self.members(&m.value) {
                    for b in self.bodies(body) {
                        let mut d = self.block(b, true);
                        d.ident = Arc::from("dynamic");
                        d.labels = vec![Arc::from(label.as_str())];
                        d.at = self.at(label_at);
                        // `content` is an object in JSON; make it the block the evaluator expects.
                        if let Some(pos) = d.attrs.iter().position(|a| &*a.name == "content") {
                            let a = d.attrs.remove(pos);
                            if let Some(c) = b.get("content") {
                                let mut cb = self.block(c, true);
                                cb.ident = Arc::from("content");
                                cb.at = a.at;
                                d.blocks.push(cb);
                            }
                        }
                        blk.blocks.push(d);
                    }
                }
                continue;
            }
            blk.attrs.push(Attr {
                name: Arc::from(m.key.as_str()),
                expr: self.expr(&m.value),
                at: self.at(m.key_span),
            });
        }
        blk
    }

    fn expr(&self, v: &Spanned) -> E {
        let at = self.at(v.span);
        let expr = match &v.value {
            Json::Null => Expr::Null,
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => Expr::Number(*n),
            Json::String(s) => return self.template(s, at),
            Json::Array(items) => Expr::Array(items.iter().map(|x| self.expr(x)).collect()),
            Json::Object(ms) => Expr::Object(
                ms.iter()
                    .filter(|m| m.key != "//")
                    .map(|m| {
                        (
                            E {
                                expr: Expr::Str(Arc::from(m.key.as_str())),
                                at: self.at(m.key_span),
                            },
                            self.expr(&m.value),
                        )
                    })
                    .collect(),
            ),
        };
        E { expr, at }
    }

    fn template(&self, s: &str, at: Origin) -> E {
        if !s.contains("${") && !s.contains("%{") {
            return E {
                expr: Expr::Str(Arc::from(s)),
                at,
            };
        }
        match hcl_edit::parser::parse_template(s) {
            Ok(t) => {
                let renamed = HashMap::new();
                let lower = Lower {
                    file: self.file,
                    renamed: &renamed,
                };
                // Positions inside the string are approximate (escapes shift them); the whole
                // string's position is exact, and that is what findings use.
                let parts = lower.template_parts(&t);
                let mut e = E {
                    expr: Expr::Template(parts),
                    at,
                };
                pin(&mut e, at);
                let _ = self.text;
                e
            }
            Err(_) => E {
                expr: Expr::Str(Arc::from(s)),
                at,
            },
        }
    }
}

/// Gives every node of an expression parsed out of a JSON string the string's position.
fn pin(e: &mut E, at: Origin) {
    e.at = at;
    match &mut e.expr {
        Expr::Array(v) => v.iter_mut().for_each(|x| pin(x, at)),
        Expr::Object(v) => v.iter_mut().for_each(|(k, x)| {
            pin(k, at);
            pin(x, at);
        }),
        Expr::Traversal(r, ops) => {
            pin(r, at);
            for op in ops {
                if let crate::ir::Op::Index(x) = op {
                    pin(x, at);
                }
            }
        }
        Expr::Call(_, args, _) => args.iter_mut().for_each(|x| pin(x, at)),
        Expr::Cond(a, b, c) => {
            pin(a, at);
            pin(b, at);
            pin(c, at);
        }
        Expr::Unary(_, x) => pin(x, at),
        Expr::Binary(_, a, b) => {
            pin(a, at);
            pin(b, at);
        }
        Expr::For(f) => {
            pin(&mut f.collection, at);
            pin(&mut f.value, at);
            if let Some(k) = &mut f.key {
                pin(k, at);
            }
            if let Some(c) = &mut f.cond {
                pin(c, at);
            }
        }
        Expr::Template(parts) => pin_parts(parts, at),
        _ => {}
    }
}

fn pin_parts(parts: &mut [crate::ir::Part], at: Origin) {
    for p in parts {
        match p {
            crate::ir::Part::Interp(x) => pin(x, at),
            crate::ir::Part::If(c, a, b) => {
                pin(c, at);
                pin_parts(a, at);
                pin_parts(b, at);
            }
            crate::ir::Part::For(_, _, c, body) => {
                pin(c, at);
                pin_parts(body, at);
            }
            crate::ir::Part::Lit(_) => {}
        }
    }
}
