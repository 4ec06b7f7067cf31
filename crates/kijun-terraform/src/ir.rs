//! A small expression tree with positions, built from hcl-edit's syntax tree (and from `.tf.json`).
//!
//! why: evaluating one tree of our own lets native HCL and the JSON syntax share one evaluator,
//! and it is where the work-arounds for syntax Terraform accepts but hcl-edit rejects (duplicate
//! object keys) are undone.

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;
use kijun_model::{FileId, Origin};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(f64),
    Str(Arc<str>),
    Template(Vec<Part>),
    Array(Vec<E>),
    Object(Vec<(E, E)>),
    Var(Arc<str>),
    Traversal(Box<E>, Vec<Op>),
    Call(Arc<str>, Vec<E>, bool),
    Cond(Box<E>, Box<E>, Box<E>),
    Unary(UnaryOperator, Box<E>),
    Binary(BinaryOperator, Box<E>, Box<E>),
    For(Box<For>),
}

#[derive(Clone, Debug)]
pub struct For {
    pub key_var: Option<Arc<str>>,
    pub value_var: Arc<str>,
    pub collection: E,
    pub key: Option<E>,
    pub value: E,
    pub cond: Option<E>,
    pub grouping: bool,
}

#[derive(Clone, Debug)]
pub enum Op {
    Attr(Arc<str>),
    Index(E),
    AttrSplat,
    FullSplat,
}

#[derive(Clone, Debug)]
pub enum Part {
    Lit(Arc<str>),
    Interp(E),
    If(E, Vec<Part>, Vec<Part>),
    For(Option<Arc<str>>, Arc<str>, E, Vec<Part>),
}

#[derive(Clone, Debug)]
pub struct E {
    pub expr: Expr,
    pub at: Origin,
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: Arc<str>,
    pub expr: E,
    pub at: Origin,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub ident: Arc<str>,
    pub labels: Vec<Arc<str>>,
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
    /// The header: identifier and labels.
    pub at: Origin,
    /// The whole block including its body.
    pub full: Origin,
}

impl Block {
    /// A body with nothing in it, to gather the blocks of several files into.
    pub fn empty() -> Block {
        Block {
            ident: Arc::from(""),
            labels: Vec::new(),
            attrs: Vec::new(),
            blocks: Vec::new(),
            at: Origin::default(),
            full: Origin::default(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().rev().find(|a| &*a.name == name)
    }

    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map(|s| &**s).unwrap_or("")
    }
}

/// Strips the whitespace at the start and/or end of a directive's inner template.
fn trim_edges(parts: &mut [Part], start: bool, end: bool) {
    if start {
        if let Some(Part::Lit(s)) = parts.first_mut() {
            *s = Arc::from(s.trim_start());
        }
    }
    if end {
        if let Some(Part::Lit(s)) = parts.last_mut() {
            *s = Arc::from(s.trim_end());
        }
    }
}

/// Converts hcl-edit nodes into the tree above.
pub struct Lower<'a> {
    pub file: FileId,
    /// Keys renamed to get past hcl-edit's duplicate-key check: span start → real key.
    pub renamed: &'a HashMap<usize, String>,
}

impl Lower<'_> {
    fn at(&self, span: Option<std::ops::Range<usize>>) -> Origin {
        let r = span.unwrap_or(0..0);
        Origin::new(self.file, r.start, r.end)
    }

    pub fn body(&self, body: &Body, full: Origin) -> Block {
        let mut out = Block {
            ident: Arc::from(""),
            labels: Vec::new(),
            attrs: Vec::new(),
            blocks: Vec::new(),
            at: full,
            full,
        };
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.attrs.push(Attr {
                    name: Arc::from(a.key.as_str()),
                    expr: self.expr(&a.value),
                    at: self.at(a.span()),
                }),
                Structure::Block(b) => {
                    let full = self.at(b.span());
                    let mut inner = self.body(&b.body, full);
                    inner.ident = Arc::from(b.ident.as_str());
                    inner.labels = b.labels.iter().map(|l| Arc::from(l.as_str())).collect();
                    let header_end = b
                        .labels
                        .last()
                        .and_then(|l| l.span())
                        .or_else(|| b.ident.span())
                        .map(|r| r.end)
                        .unwrap_or(full.start as usize);
                    let header_start = b
                        .ident
                        .span()
                        .map(|r| r.start)
                        .unwrap_or(full.start as usize);
                    inner.at = Origin::new(self.file, header_start, header_end);
                    out.blocks.push(inner);
                }
            }
        }
        out
    }

    pub fn expr(&self, e: &Expression) -> E {
        let at = self.at(e.span());
        let expr = match e {
            Expression::Null(_) => Expr::Null,
            Expression::Bool(b) => Expr::Bool(*b.value()),
            Expression::Number(n) => Expr::Number(n.value().as_f64().unwrap_or(0.0)),
            Expression::String(s) => Expr::Str(Arc::from(s.value().as_str())),
            Expression::Array(a) => Expr::Array(a.iter().map(|x| self.expr(x)).collect()),
            Expression::Object(o) => Expr::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(id) => {
                                let kat = self.at(id.span());
                                let name = self
                                    .renamed
                                    .get(&(kat.start as usize))
                                    .cloned()
                                    .unwrap_or_else(|| id.as_str().to_string());
                                E {
                                    expr: Expr::Str(Arc::from(name)),
                                    at: kat,
                                }
                            }
                            ObjectKey::Expression(x) => {
                                let mut key = self.expr(x);
                                // A renamed quoted key: its span starts at the quote.
                                if let Some(real) = self.renamed.get(&(key.at.start as usize)) {
                                    key.expr = Expr::Str(Arc::from(real.as_str()));
                                }
                                // why: `{ (var.k) = 1 }` and `{ "k" = 1 }` are expressions;
                                // a bare traversal key such as `{ foo.bar = 1 }` is not valid HCL.
                                key
                            }
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => Expr::Template(self.template_elements(t.iter())),
            Expression::HeredocTemplate(h) => {
                let mut h = (**h).clone();
                h.dedent();
                Expr::Template(self.template_elements(h.template.iter()))
            }
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => Expr::Var(Arc::from(v.as_str())),
            Expression::Conditional(c) => Expr::Cond(
                Box::new(self.expr(&c.cond_expr)),
                Box::new(self.expr(&c.true_expr)),
                Box::new(self.expr(&c.false_expr)),
            ),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(f.name.name.as_str());
                Expr::Call(
                    Arc::from(name),
                    f.args.iter().map(|a| self.expr(a)).collect(),
                    f.args.expand_final(),
                )
            }
            Expression::Traversal(t) => {
                let ops = t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                        TraversalOperator::FullSplat(_) => Op::FullSplat,
                        TraversalOperator::GetAttr(id) => Op::Attr(Arc::from(id.as_str())),
                        TraversalOperator::Index(x) => Op::Index(self.expr(x)),
                        TraversalOperator::LegacyIndex(i) => Op::Index(E {
                            expr: Expr::Number(*i.value() as f64),
                            at: self.at(i.span()),
                        }),
                    })
                    .collect();
                Expr::Traversal(Box::new(self.expr(&t.expr)), ops)
            }
            Expression::UnaryOp(u) => {
                Expr::Unary(*u.operator.value(), Box::new(self.expr(&u.expr)))
            }
            Expression::BinaryOp(b) => Expr::Binary(
                *b.operator.value(),
                Box::new(self.expr(&b.lhs_expr)),
                Box::new(self.expr(&b.rhs_expr)),
            ),
            Expression::ForExpr(f) => Expr::For(Box::new(self.for_expr(f))),
        };
        E { expr, at }
    }

    fn for_expr(&self, f: &ForExpr) -> For {
        For {
            key_var: f.intro.key_var.as_ref().map(|k| Arc::from(k.as_str())),
            value_var: Arc::from(f.intro.value_var.as_str()),
            collection: self.expr(&f.intro.collection_expr),
            key: f.key_expr.as_ref().map(|k| self.expr(k)),
            value: self.expr(&f.value_expr),
            cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
            grouping: f.grouping,
        }
    }

    fn template_elements<'b>(&self, it: impl Iterator<Item = &'b Element>) -> Vec<Part> {
        // why: `~` strip markers (`%{~ if x ~}`, `${~ x ~}`) remove the whitespace of the
        // literal next to them, inside and outside the directive, as Terraform does.
        let mut parts = Vec::new();
        let mut strips: Vec<(bool, bool)> = Vec::new();
        for el in it {
            let (part, strip) = match el {
                Element::Literal(s) => (Part::Lit(Arc::from(s.value().as_str())), (false, false)),
                Element::Interpolation(i) => (
                    Part::Interp(self.expr(&i.expr)),
                    (i.strip.strip_start(), i.strip.strip_end()),
                ),
                Element::Directive(d) => match &**d {
                    Directive::If(i) => {
                        let mut then = self.template(&i.if_expr.template);
                        let then_end = match &i.else_expr {
                            Some(e) => e.strip.strip_start(),
                            None => i.endif_expr.strip.strip_start(),
                        };
                        trim_edges(&mut then, i.if_expr.strip.strip_end(), then_end);
                        let mut other = i
                            .else_expr
                            .as_ref()
                            .map(|e| self.template(&e.template))
                            .unwrap_or_default();
                        if let Some(e) = &i.else_expr {
                            trim_edges(
                                &mut other,
                                e.strip.strip_end(),
                                i.endif_expr.strip.strip_start(),
                            );
                        }
                        (
                            Part::If(self.expr(&i.if_expr.cond_expr), then, other),
                            (
                                i.if_expr.strip.strip_start(),
                                i.endif_expr.strip.strip_end(),
                            ),
                        )
                    }
                    Directive::For(f) => {
                        let mut body = self.template(&f.for_expr.template);
                        trim_edges(
                            &mut body,
                            f.for_expr.strip.strip_end(),
                            f.endfor_expr.strip.strip_start(),
                        );
                        (
                            Part::For(
                                f.for_expr.key_var.as_ref().map(|k| Arc::from(k.as_str())),
                                Arc::from(f.for_expr.value_var.as_str()),
                                self.expr(&f.for_expr.collection_expr),
                                body,
                            ),
                            (
                                f.for_expr.strip.strip_start(),
                                f.endfor_expr.strip.strip_end(),
                            ),
                        )
                    }
                },
            };
            parts.push(part);
            strips.push(strip);
        }
        for (i, (start, end)) in strips.into_iter().enumerate() {
            if start && i > 0 {
                if let Some(Part::Lit(s)) = parts.get_mut(i - 1) {
                    *s = Arc::from(s.trim_end());
                }
            }
            if end {
                if let Some(Part::Lit(s)) = parts.get_mut(i + 1) {
                    *s = Arc::from(s.trim_start());
                }
            }
        }
        parts
    }

    pub fn template_parts(&self, t: &Template) -> Vec<Part> {
        self.template(t)
    }

    fn template(&self, t: &Template) -> Vec<Part> {
        self.template_elements(t.iter())
    }
}
