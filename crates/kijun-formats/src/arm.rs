//! Azure Resource Manager templates (also `az bicep build` output): parameters and variables with
//! their defaults, the common template functions, child resources, `copy` loops and inline
//! nested deployments, evaluated into resources named `Type/name`.

use crate::tree::{get, get_str};
use kijun_model::{
    format_number, FileId, InputError, Model, Node, Origin, Platform, Provenance, Resource, Text,
    Unknown, Value,
};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub fn is_template(root: &Node) -> bool {
    get_str(root, "$schema").is_some_and(|s| s.contains("deploymentTemplate"))
        || (get(root, "contentVersion").is_some() && get(root, "resources").is_some())
}

/// Does this text, not yet parsed, declare an ARM template schema (resource group,
/// subscription, management group or tenant deployment)?
pub fn looks_like_template(text: &str) -> bool {
    text.contains("schema.management.azure.com/schemas/")
        && (text.contains("deploymentTemplate.json") || text.contains("DeploymentTemplate.json"))
}

/// Bounds on hostile templates.
const MAX_COPY: usize = 10_000;
const MAX_DEPTH: u32 = 64;
/// Work allowed for one template file, nested deployments included: one unit per value or
/// expression evaluated, per node copied or produced, per 64 bytes of string. It bounds time and
/// memory where values double at every step (a variable concatenated with itself) or copy loops
/// multiply through nested deployments.
const MAX_WORK: u64 = 2_000_000;
/// Longest string a function may produce.
const MAX_STRING: usize = 16 << 20;

/// The work spent so far on one template file.
#[derive(Default)]
struct Budget {
    used: Cell<u64>,
    reported: Cell<bool>,
}

// ---------------------------------------------------------------------------------------------
// The template expression language: `[concat(parameters('a'), '-x')]`.

#[derive(Clone, Debug)]
enum Ex {
    Str(String),
    Num(f64),
    Call(String, Vec<Ex>),
    Prop(Box<Ex>, String),
    Index(Box<Ex>, Box<Ex>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn expr(&mut self) -> Result<Ex, Text> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(kijun_model::text!(
                "式の入れ子が深すぎます",
                "expression nested too deeply"
            ));
        }
        self.ws();
        let mut e = match self.s.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.s.get(self.i) {
                        None => {
                            return Err(kijun_model::text!(
                                "文字列が閉じられていません",
                                "unterminated string"
                            ))
                        }
                        Some(b'\'') if self.s.get(self.i + 1) == Some(&b'\'') => {
                            out.push(b'\'');
                            self.i += 2;
                        }
                        Some(b'\'') => {
                            self.i += 1;
                            break;
                        }
                        Some(&b) => {
                            out.push(b);
                            self.i += 1;
                        }
                    }
                }
                Ex::Str(String::from_utf8_lossy(&out).into_owned())
            }
            Some(b) if b.is_ascii_digit() || *b == b'-' => {
                let start = self.i;
                self.i += 1;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
                {
                    self.i += 1;
                }
                let t =
                    std::str::from_utf8(self.s.get(start..self.i).unwrap_or(b"0")).unwrap_or("0");
                Ex::Num(
                    t.parse()
                        .map_err(|_| kijun_model::text!("数値 {t} が不正です", "bad number {t}"))?,
                )
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    self.i += 1;
                }
                let name = String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or(b""))
                    .to_ascii_lowercase();
                self.ws();
                if self.s.get(self.i) != Some(&b'(') {
                    return Err(kijun_model::text!(
                        "{name} の後には '(' が必要です",
                        "expected '(' after {name}"
                    ));
                }
                self.i += 1;
                let mut args = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b')') {
                    self.i += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b')') => {
                                self.i += 1;
                                break;
                            }
                            _ => {
                                return Err(kijun_model::text!(
                                    "',' か ')' が必要です",
                                    "expected ',' or ')'"
                                ))
                            }
                        }
                    }
                }
                Ex::Call(name, args)
            }
            _ => {
                return Err(kijun_model::text!(
                    "式に予期しない文字があります",
                    "unexpected character in expression"
                ))
            }
        };
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    let start = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
                    {
                        self.i += 1;
                    }
                    let p = String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or(b""))
                        .into_owned();
                    e = Ex::Prop(Box::new(e), p);
                }
                Some(b'[') => {
                    self.i += 1;
                    let idx = self.expr()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b']') {
                        return Err(kijun_model::text!("']' が必要です", "expected ']'"));
                    }
                    self.i += 1;
                    e = Ex::Index(Box::new(e), Box::new(idx));
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(e)
    }
}

fn parse_expression(s: &str) -> Result<Ex, Text> {
    let mut p = Parser {
        s: s.as_bytes(),
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.ws();
    if p.i != s.len() {
        return Err(kijun_model::text!(
            "式の後に余分な文字があります",
            "trailing characters in expression"
        ));
    }
    Ok(e)
}

// ---------------------------------------------------------------------------------------------

fn unknown(reason: Text, at: Origin) -> Node {
    Node::new(
        Value::Unknown(Unknown {
            reason: Arc::new(reason),
            refs: Vec::new(),
        }),
        at,
    )
}

fn budget() -> Text {
    kijun_model::text!(
        "テンプレートの評価の作業量の上限に達したため評価していません",
        "not evaluated: the template's evaluation work budget is exhausted"
    )
}

fn text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Scope<'a> {
    params: HashMap<String, Node>,
    var_defs: HashMap<String, &'a Node>,
    vars: RefCell<HashMap<String, Option<Node>>>,
    errors: &'a RefCell<Vec<InputError>>,
    copy_index: RefCell<HashMap<String, usize>>,
    budget: &'a Budget,
}

impl Scope<'_> {
    /// Spends work; false (and, the first time, an error at `at`) once the budget is gone.
    fn charge(&self, units: u64, at: Origin) -> bool {
        let used = self.budget.used.get().saturating_add(units);
        self.budget.used.set(used);
        if used <= MAX_WORK {
            return true;
        }
        if !self.budget.reported.replace(true) {
            self.errors.borrow_mut().push(InputError {
                at,
                message: kijun_model::text!("評価の作業量の上限（{MAX_WORK} 単位）にここで達しました（値や copy ループが大きくなりすぎています）。このテンプレートの残りは評価していません", "evaluation work budget of {MAX_WORK} units exhausted here (values or copy loops grow too large); the rest of this template is not evaluated"),
            });
        }
        false
    }

    /// Charges the cost of holding `n`; false once the budget is gone.
    fn charge_copy(&self, n: &Node, at: Origin) -> bool {
        let left = MAX_WORK.saturating_sub(self.budget.used.get());
        self.charge(n.weight_up_to(left), at)
    }

    fn exhausted(&self) -> bool {
        self.budget.used.get() > MAX_WORK
    }

    /// `variables('x')`: its value points at the call, remembering where it was defined.
    fn variable(&self, name: &str, at: Origin, depth: u32) -> Node {
        let mut v = self.variable_inner(name, at, depth);
        v.rehome(at, at);
        v
    }

    fn variable_inner(&self, name: &str, at: Origin, depth: u32) -> Node {
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.vars.borrow().get(&key) {
            return match v {
                Some(n) if !self.charge_copy(n, at) => unknown(budget(), at),
                Some(n) => n.clone(),
                None => {
                    self.errors.borrow_mut().push(InputError {
                        at,
                        message: kijun_model::text!(
                            "変数の循環参照: variables('{name}') が自分自身に依存しています",
                            "variable cycle: variables('{name}') depends on itself"
                        ),
                    });
                    unknown(
                        kijun_model::text!(
                            "variables('{name}') は循環参照の一部です",
                            "variables('{name}') is part of a cycle"
                        ),
                        at,
                    )
                }
            };
        }
        let Some(def) = self.var_defs.get(&key).copied() else {
            return match self.copy_variable(name, depth) {
                Some(v) => {
                    self.vars.borrow_mut().insert(key, Some(v.clone()));
                    v
                }
                None => unknown(
                    kijun_model::text!(
                        "variables('{name}') は定義されていません",
                        "variables('{name}') is not defined"
                    ),
                    at,
                ),
            };
        };
        self.vars.borrow_mut().insert(key.clone(), None);
        let mut v = self.value(def, depth + 1);
        // why: a chain of variables each wrapping the previous one would build a value too deep
        // to drop or print; remembered values stay as shallow as documents must be.
        if v.depth_exceeds((MAX_DEPTH * 4) as usize) {
            self.errors.borrow_mut().push(InputError {
                at: def.at,
                message: kijun_model::text!(
                    "variables('{name}') の入れ子が {} 階層を超えています。評価していません",
                    "variables('{name}') nests more than {} levels deep; not evaluated",
                    MAX_DEPTH * 4
                ),
            });
            v = unknown(
                kijun_model::text!(
                    "variables('{name}') の入れ子が深すぎます",
                    "variables('{name}') nests too deeply"
                ),
                at,
            );
        }
        v.from = Some(Arc::new(Provenance {
            via: format!("variables('{name}')"),
            at: def.at,
        }));
        self.vars.borrow_mut().insert(key, Some(v.clone()));
        v
    }

    /// Evaluates a JSON value: strings in `[...]` are expressions; `copy` arrays in objects expand.
    fn value(&self, n: &Node, depth: u32) -> Node {
        if depth > MAX_DEPTH * 4 {
            return unknown(
                kijun_model::text!("入れ子が深すぎます", "nested too deeply"),
                n.at,
            );
        }
        if !self.charge(1, n.at) {
            return unknown(budget(), n.at);
        }
        match &n.value {
            Value::String(s) if s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[") => {
                let inner = s.get(1..s.len() - 1).unwrap_or("");
                match parse_expression(inner) {
                    Ok(e) => self.eval(&e, n.at, depth + 1),
                    // why: every template expression is a function call (`[f(...)]`); a bracketed
                    // word such as `[Application_Insights_Key]` is a placeholder someone meant to
                    // replace before deploying. It is one value kijun cannot know, at its
                    // position, like any other value it cannot evaluate: not an error in the
                    // template, whose other values are read as usual.
                    Err(_) if !inner.contains('(') => unknown(
                        kijun_model::text!(
                            "\"{s}\" はテンプレート式ではないため評価していません（置き換え忘れのプレースホルダー？）",
                            "not evaluated: \"{s}\" is not a template expression (a placeholder \
                             left to be replaced?)"
                        ),
                        n.at,
                    ),
                    Err(msg) => {
                        self.errors.borrow_mut().push(InputError {
                            at: n.at,
                            message: msg.clone().after(kijun_model::text!("テンプレート式: ", "template expression: ")),
                        });
                        unknown(
                            msg.after(kijun_model::text!(
                                "テンプレート式を解析できませんでした: ",
                                "template expression could not be parsed: "
                            )),
                            n.at,
                        )
                    }
                }
            }
            // "[[" escapes a literal leading bracket.
            Value::String(s) if s.starts_with("[[") => Node::string(s.get(1..).unwrap_or(""), n.at),
            Value::Object(m) => {
                let mut out = kijun_model::Map::new();
                for (k, v) in m {
                    if &**k == "copy" {
                        if let Some(items) = v.as_list() {
                            for c in items {
                                if let Some((name, arr)) = self.property_copy(c, depth) {
                                    out.insert(Arc::from(name), arr);
                                }
                            }
                            continue;
                        }
                    }
                    out.insert(k.clone(), self.value(v, depth + 1));
                }
                Node::new(Value::Object(out), n.at)
            }
            Value::List(l) => Node::new(
                Value::List(l.iter().map(|x| self.value(x, depth + 1)).collect()),
                n.at,
            ),
            _ => n.clone(),
        }
    }

    /// A variable built by a loop in the `variables` section:
    /// `"variables": {"copy": [{"name": "rules", "count": 3, "input": {...}}]}`.
    fn copy_variable(&self, name: &str, depth: u32) -> Option<Node> {
        let c = self
            .var_defs
            .get("copy")?
            .as_list()?
            .iter()
            .find(|c| get_str(c, "name").is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
        if let Some(count) = get(c, "count").map(|x| self.value(x, depth + 1)) {
            if count.is_unknown() {
                return Some(count);
            }
        }
        self.property_copy(c, depth + 1).map(|(_, arr)| arr)
    }

    /// Property iteration: `"copy": [{"name": "rules", "count": 3, "input": {...}}]`.
    fn property_copy(&self, c: &Node, depth: u32) -> Option<(String, Node)> {
        let name = get_str(c, "name")?.to_string();
        let count = get(c, "count")
            .map(|x| self.value(x, depth + 1))?
            .as_f64()?;
        let input = get(c, "input")?;
        if count < 0.0 || count > MAX_COPY as f64 {
            self.errors.borrow_mut().push(InputError {
                at: c.at,
                message: kijun_model::text!(
                    "copy '{name}' の count {} が上限の {MAX_COPY} を超えています",
                    "copy '{name}' count {} is over the limit of {MAX_COPY}",
                    format_number(count)
                ),
            });
            return None;
        }
        let mut items = Vec::new();
        for i in 0..count as usize {
            self.copy_index
                .borrow_mut()
                .insert(name.to_ascii_lowercase(), i);
            items.push(self.value(input, depth + 1));
        }
        self.copy_index
            .borrow_mut()
            .remove(&name.to_ascii_lowercase());
        Some((name, Node::new(Value::List(items), c.at)))
    }

    fn eval(&self, e: &Ex, at: Origin, depth: u32) -> Node {
        if depth > MAX_DEPTH * 4 {
            return unknown(
                kijun_model::text!("式の入れ子が深すぎます", "expression nested too deeply"),
                at,
            );
        }
        if !self.charge(1, at) {
            return unknown(budget(), at);
        }
        let d = depth + 1;
        match e {
            Ex::Str(s) => Node::string(s, at),
            Ex::Num(n) => Node::new(Value::Number(*n), at),
            Ex::Prop(base, p) => {
                let b = self.eval(base, at, d);
                if b.is_unknown() {
                    return b;
                }
                match b.as_object().and_then(|m| {
                    m.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(p))
                        .map(|(_, v)| v.clone())
                }) {
                    Some(v) => v,
                    None => unknown(
                        kijun_model::text!(
                            "プロパティ {p} は不明です",
                            "property {p} is not known"
                        ),
                        at,
                    ),
                }
            }
            Ex::Index(base, idx) => {
                let b = self.eval(base, at, d);
                let i = self.eval(idx, at, d);
                if b.is_unknown() {
                    return b;
                }
                match (&b.value, &i.value) {
                    (Value::List(l), Value::Number(n)) => {
                        l.get(*n as usize).cloned().unwrap_or_else(|| {
                            unknown(
                                kijun_model::text!(
                                    "インデックスが範囲外です",
                                    "index out of range"
                                ),
                                at,
                            )
                        })
                    }
                    (Value::Object(m), Value::String(k)) => {
                        m.get(k).cloned().unwrap_or_else(|| {
                            unknown(
                                kijun_model::text!(
                                    "プロパティ {k} はありません",
                                    "no property {k}"
                                ),
                                at,
                            )
                        })
                    }
                    _ => unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる値へのインデックスです",
                            "index of a value known at deployment"
                        ),
                        at,
                    ),
                }
            }
            Ex::Call(name, args) => self.call(name, args, at, d),
        }
    }

    fn call(&self, name: &str, args: &[Ex], at: Origin, d: u32) -> Node {
        let a: Vec<Node> = args.iter().map(|x| self.eval(x, at, d)).collect();
        // why: concat(), union(), format() and replace() can double a value at every step;
        // what they would produce is measured before it is built.
        let produced: u64 = a
            .iter()
            .map(|x| x.weight_up_to(MAX_WORK))
            .fold(0, u64::saturating_add);
        if matches!(name, "concat" | "union" | "createarray" | "createobject")
            && !self.charge(produced, at)
        {
            return unknown(budget(), at);
        }
        if name == "replace" {
            let s = |i: usize| a.get(i).and_then(|x| x.as_str()).unwrap_or("");
            // An empty search string matches between every two characters.
            let n = if s(1).is_empty() {
                s(0).chars().count() + 1
            } else {
                s(0).matches(s(1)).count()
            };
            if s(0).len().saturating_add(n.saturating_mul(s(2).len())) > MAX_STRING {
                return unknown(
                    kijun_model::text!(
                        "結果が文字列の大きさの上限を超えます",
                        "the result would exceed the string size limit"
                    ),
                    at,
                );
            }
        }
        if name == "split" {
            let s = |i: usize| a.get(i).and_then(|x| x.as_str()).unwrap_or("");
            let pieces = if s(1).is_empty() {
                s(0).chars().count() as u64
            } else {
                s(0).matches(s(1)).count() as u64
            };
            if !self.charge(pieces, at) {
                return unknown(budget(), at);
            }
        }
        let r = self.call_inner(name, a, at, d);
        if matches!(&r.value, Value::String(s) if s.len() > MAX_STRING) {
            return unknown(
                kijun_model::text!(
                    "結果が文字列の大きさの上限を超えています",
                    "the result exceeds the string size limit"
                ),
                at,
            );
        }
        r
    }

    fn call_inner(&self, name: &str, a: Vec<Node>, at: Origin, d: u32) -> Node {
        let s = |i: usize| a.get(i).and_then(text);
        let any_unknown = a.iter().find(|x| x.is_unknown()).cloned();
        match name {
            "parameters" => {
                let p = s(0).unwrap_or_default();
                match self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(&p)) {
                    Some((_, v)) => {
                        if !self.charge_copy(v, at) {
                            return unknown(budget(), at);
                        }
                        // The value points where it is used, and remembers where it was set.
                        let mut v = v.clone();
                        if v.from.is_none() {
                            v.from = Some(Arc::new(Provenance {
                                via: format!("parameters('{p}')"),
                                at: v.at,
                            }));
                        }
                        v.rehome(at, at);
                        v
                    }
                    None => unknown(
                        kijun_model::text!(
                            "parameters('{p}') は定義されていません",
                            "parameters('{p}') is not defined"
                        ),
                        at,
                    ),
                }
            }
            "variables" => self.variable(&s(0).unwrap_or_default(), at, d),
            "resourcegroup" => {
                // why: resourceGroup().location is decided when the template is deployed into a
                // group; say so rather than guess (the finding names the group's location).
                let mut m = kijun_model::Map::new();
                m.insert(Arc::from("location"), unknown(kijun_model::text!("リソースグループの場所（resourceGroup().location）に従うため、デプロイ時に決まります", "follows the resource group's location (resourceGroup().location), decided at deployment"), at));
                m.insert(
                    Arc::from("name"),
                    unknown(
                        kijun_model::text!(
                            "リソースグループの名前はデプロイ時に決まります",
                            "the resource group's name is decided at deployment"
                        ),
                        at,
                    ),
                );
                m.insert(
                    Arc::from("id"),
                    unknown(
                        kijun_model::text!(
                            "リソースグループの ID はデプロイ時に決まります",
                            "the resource group's id is decided at deployment"
                        ),
                        at,
                    ),
                );
                Node::new(Value::Object(m), at)
            }
            "copyindex" => {
                let (loop_name, offset) = match (a.first(), a.get(1)) {
                    (Some(x), Some(y)) => (text(x), y.as_f64().unwrap_or(0.0)),
                    (Some(x), None) if x.as_f64().is_some() => (None, x.as_f64().unwrap_or(0.0)),
                    (Some(x), None) => (text(x), 0.0),
                    _ => (None, 0.0),
                };
                let idx = self.copy_index.borrow();
                let i = match loop_name {
                    Some(n) => idx.get(&n.to_ascii_lowercase()).copied(),
                    None => idx
                        .get("")
                        .copied()
                        .or_else(|| idx.values().next().copied()),
                };
                match i {
                    Some(i) => Node::new(Value::Number(i as f64 + offset), at),
                    None => unknown(
                        kijun_model::text!(
                            "copy ループの外の copyIndex() です",
                            "copyIndex() outside a copy loop"
                        ),
                        at,
                    ),
                }
            }
            _ if any_unknown.is_some()
                && !matches!(name, "if" | "coalesce" | "concat" | "union") =>
            {
                let u = any_unknown
                    .unwrap_or_else(|| unknown(kijun_model::text!("不明です", "unknown"), at));
                Node { at, ..u }
            }
            "concat" => {
                if a.iter().all(|x| x.as_list().is_some()) && !a.is_empty() {
                    let mut out = Vec::new();
                    for x in &a {
                        out.extend(x.as_list().unwrap_or(&[]).iter().cloned());
                    }
                    return Node::new(Value::List(out), at);
                }
                if let Some(u) = any_unknown {
                    return Node { at, ..u };
                }
                Node::string(&a.iter().filter_map(text).collect::<String>(), at)
            }
            "format" => {
                let f = s(0).unwrap_or_default();
                let mut out = f.clone();
                for (i, x) in a.iter().skip(1).enumerate() {
                    let pattern = format!("{{{i}}}");
                    let with = text(x).unwrap_or_default();
                    let n = out.matches(pattern.as_str()).count();
                    if out.len().saturating_add(n.saturating_mul(with.len())) > MAX_STRING {
                        return unknown(
                            kijun_model::text!(
                                "結果が文字列の大きさの上限を超えます",
                                "the result would exceed the string size limit"
                            ),
                            at,
                        );
                    }
                    out = out.replace(&pattern, &with);
                }
                Node::string(&out, at)
            }
            "tolower" => Node::string(&s(0).unwrap_or_default().to_lowercase(), at),
            "toupper" => Node::string(&s(0).unwrap_or_default().to_uppercase(), at),
            "trim" => Node::string(s(0).unwrap_or_default().trim(), at),
            "replace" => Node::string(
                &s(0)
                    .unwrap_or_default()
                    .replace(&s(1).unwrap_or_default(), &s(2).unwrap_or_default()),
                at,
            ),
            "string" => Node::string(&s(0).unwrap_or_default(), at),
            "int" => s(0)
                .and_then(|t| t.parse::<f64>().ok())
                .map(|n| Node::new(Value::Number(n.trunc()), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("数値でない値の int() です", "int() of a non-number"),
                        at,
                    )
                }),
            "bool" => a
                .first()
                .and_then(|x| x.as_bool())
                .map(|b| Node::new(Value::Bool(b), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("bool でない値の bool() です", "bool() of a non-bool"),
                        at,
                    )
                }),
            "true" => Node::new(Value::Bool(true), at),
            "false" => Node::new(Value::Bool(false), at),
            "equals" => Node::new(
                Value::Bool(match (a.first(), a.get(1)) {
                    (Some(x), Some(y)) => {
                        x.value == y.value || (text(x).is_some() && text(x) == text(y))
                    }
                    _ => false,
                }),
                at,
            ),
            "not" => a
                .first()
                .and_then(|x| x.as_bool())
                .map(|b| Node::new(Value::Bool(!b), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("bool でない値の not() です", "not() of a non-bool"),
                        at,
                    )
                }),
            "and" => Node::new(Value::Bool(a.iter().all(|x| x.as_bool() == Some(true))), at),
            "or" => Node::new(Value::Bool(a.iter().any(|x| x.as_bool() == Some(true))), at),
            "if" => match a.first().map(|c| (c.is_unknown(), c.as_bool())) {
                Some((false, Some(true))) => a.get(1).cloned().unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!(
                            "if() には引数が 3 つ必要です",
                            "if() needs three arguments"
                        ),
                        at,
                    )
                }),
                Some((false, Some(false))) => a.get(2).cloned().unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!(
                            "if() には引数が 3 つ必要です",
                            "if() needs three arguments"
                        ),
                        at,
                    )
                }),
                _ => match (a.get(1), a.get(2)) {
                    (Some(x), Some(y)) if x.value == y.value => x.clone(),
                    _ => unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる条件の if() です",
                            "if() on a condition decided at deployment"
                        ),
                        at,
                    ),
                },
            },
            "coalesce" => a
                .iter()
                .find(|x| !x.is_null())
                .cloned()
                .unwrap_or_else(|| Node::new(Value::Null, at)),
            "empty" => Node::new(
                Value::Bool(match a.first().map(|x| &x.value) {
                    Some(Value::String(s)) => s.is_empty(),
                    Some(Value::List(l)) => l.is_empty(),
                    Some(Value::Object(m)) => m.is_empty(),
                    _ => true,
                }),
                at,
            ),
            "length" => match a.first().map(|x| &x.value) {
                Some(Value::String(s)) => Node::new(Value::Number(s.chars().count() as f64), at),
                Some(Value::List(l)) => Node::new(Value::Number(l.len() as f64), at),
                Some(Value::Object(m)) => Node::new(Value::Number(m.len() as f64), at),
                _ => unknown(
                    kijun_model::text!("不明な値の length() です", "length() of an unknown value"),
                    at,
                ),
            },
            "contains" => Node::new(
                Value::Bool(match (a.first(), a.get(1)) {
                    (
                        Some(Node {
                            value: Value::List(l),
                            ..
                        }),
                        Some(v),
                    ) => l.iter().any(|x| x.value == v.value),
                    (
                        Some(Node {
                            value: Value::String(h),
                            ..
                        }),
                        Some(v),
                    ) => text(v).is_some_and(|n| h.contains(n.as_str())),
                    (
                        Some(Node {
                            value: Value::Object(m),
                            ..
                        }),
                        Some(v),
                    ) => text(v).is_some_and(|k| m.contains_key(k.as_str())),
                    _ => false,
                }),
                at,
            ),
            "createarray" => Node::new(Value::List(a), at),
            "createobject" => {
                let mut m = kijun_model::Map::new();
                for pair in a.chunks(2) {
                    if let [k, v] = pair {
                        if let Some(k) = text(k) {
                            m.insert(Arc::from(k), v.clone());
                        }
                    }
                }
                Node::new(Value::Object(m), at)
            }
            "union" => {
                let mut m = kijun_model::Map::new();
                for x in &a {
                    if let Some(o) = x.as_object() {
                        m.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                }
                Node::new(Value::Object(m), at)
            }
            "first" => a
                .first()
                .and_then(|x| x.as_list())
                .and_then(|l| l.first().cloned())
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("空のリストの first() です", "first() of an empty list"),
                        at,
                    )
                }),
            "last" => a
                .first()
                .and_then(|x| x.as_list())
                .and_then(|l| l.last().cloned())
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("空のリストの last() です", "last() of an empty list"),
                        at,
                    )
                }),
            "split" => Node::new(
                Value::List(
                    s(0).unwrap_or_default()
                        .split(s(1).unwrap_or_default().as_str())
                        .map(|p| Node::string(p, at))
                        .collect(),
                ),
                at,
            ),
            "substring" => {
                let t: Vec<char> = s(0).unwrap_or_default().chars().collect();
                let start = a.get(1).and_then(|x| x.as_f64()).unwrap_or(0.0) as usize;
                let len = a
                    .get(2)
                    .and_then(|x| x.as_f64())
                    .map(|l| l as usize)
                    .unwrap_or(t.len().saturating_sub(start));
                Node::string(&t.iter().skip(start).take(len).collect::<String>(), at)
            }
            "startswith" => Node::new(
                Value::Bool(
                    s(0).unwrap_or_default()
                        .to_lowercase()
                        .starts_with(&s(1).unwrap_or_default().to_lowercase()),
                ),
                at,
            ),
            "endswith" => Node::new(
                Value::Bool(
                    s(0).unwrap_or_default()
                        .to_lowercase()
                        .ends_with(&s(1).unwrap_or_default().to_lowercase()),
                ),
                at,
            ),
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => {
                let mut n = unknown(
                    kijun_model::text!("リソース ID にはデプロイ時に決まるサブスクリプションとリソースグループが含まれます", "resource ids include the subscription and group, decided at deployment"),
                    at,
                );
                if let Value::Unknown(u) = &mut n.value {
                    let ty = a
                        .iter()
                        .filter_map(text)
                        .find(|t| t.contains('/'))
                        .unwrap_or_default();
                    let names: Vec<String> = a
                        .iter()
                        .filter_map(text)
                        .skip_while(|t| !t.contains('/'))
                        .skip(1)
                        .collect();
                    if !ty.is_empty() {
                        u.refs.push(Arc::from(format!("{ty}/{}", names.join("/"))));
                    }
                }
                n
            }
            "reference" | "list" | "listkeys" | "listsecrets" | "listaccountsas"
            | "listservicesas" => unknown(
                kijun_model::text!(
                    "{name}() はデプロイ済みのリソースを読みます",
                    "{name}() reads a deployed resource"
                ),
                at,
            ),
            _ => unknown(
                kijun_model::text!(
                    "{name}() はデプロイ時に評価されます",
                    "{name}() is evaluated at deployment"
                ),
                at,
            ),
        }
    }
}

struct Reader<'a> {
    model: Model,
    errors: &'a RefCell<Vec<InputError>>,
    budget: &'a Budget,
}

impl Reader<'_> {
    /// Reads one template. `outer` carries the deploying template's variables (by lower-case
    /// name) when a nested template is evaluated in its parent's scope; `given` then holds the
    /// parent's parameters.
    fn template(
        &mut self,
        root: &Node,
        given: &HashMap<String, Node>,
        outer: Option<HashMap<String, Node>>,
        overrides: &[(String, String)],
        depth: u32,
    ) {
        if depth > 8 {
            self.errors.borrow_mut().push(InputError {
                at: root.at,
                message: kijun_model::text!(
                    "入れ子のデプロイが 8 階層を超えています。評価していません",
                    "nested deployments deeper than 8 levels; not evaluated"
                ),
            });
            return;
        }
        let mut params = HashMap::new();
        if let Some(ps) = get(root, "parameters").and_then(|p| p.as_object()) {
            for (name, decl) in ps {
                if let Some((_, v)) = overrides.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                    params.insert(name.to_string(), Node::string(v, decl.at));
                } else if let Some(v) = given
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
                {
                    params.insert(name.to_string(), v);
                } else if get(decl, "defaultValue").is_some() {
                    params.insert(name.to_string(), Node::new(Value::Null, decl.at));
                // placeholder, set below
                } else {
                    params.insert(name.to_string(), unknown(kijun_model::text!("パラメーター {name} には既定値がなく、値も指定されていません（--parameter {name}=…）", "parameter {name} has no default and was not given (--parameter {name}=…)"), decl.at));
                }
            }
        }
        if outer.is_some() {
            for (k, v) in given {
                params.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let var_defs: HashMap<String, &Node> = get(root, "variables")
            .and_then(|v| v.as_object())
            .map(|m| m.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect())
            .unwrap_or_default();
        let mut scope = Scope {
            params,
            var_defs,
            vars: RefCell::new(
                outer
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect(),
            ),
            errors: self.errors,
            copy_index: RefCell::new(HashMap::new()),
            budget: self.budget,
        };
        // Defaults may use expressions over other parameters (`[resourceGroup().location]`).
        if let Some(ps) = get(root, "parameters").and_then(|p| p.as_object()) {
            for (name, decl) in ps {
                if scope.params.get(&**name).is_some_and(|v| v.is_null()) {
                    if let Some(d) = get(decl, "defaultValue") {
                        let v = scope.value(d, 0);
                        scope.params.insert(name.to_string(), v);
                    }
                }
            }
        }
        let resources: Vec<&Node> = match get(root, "resources").map(|r| &r.value) {
            Some(Value::List(l)) => l.iter().collect(),
            // languageVersion 2.0: resources keyed by symbolic name.
            Some(Value::Object(m)) => m.values().collect(),
            _ => Vec::new(),
        };
        for r in resources {
            if scope.exhausted() {
                break;
            }
            self.resource(&scope, r, None, overrides, depth);
        }
    }

    fn resource(
        &mut self,
        scope: &Scope,
        r: &Node,
        parent: Option<(&str, &str)>,
        overrides: &[(String, String)],
        depth: u32,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(ty_raw) = get_str(r, "type") else {
            return;
        };
        if let Some(cond) = get(r, "condition") {
            if scope.value(cond, 0).as_bool() == Some(false) {
                return;
            }
        }
        let ty = match parent {
            Some((pt, _)) if !ty_raw.contains('/') || !ty_raw.contains('.') => {
                format!("{pt}/{ty_raw}")
            }
            _ => ty_raw.to_string(),
        };
        let count = match get(r, "copy") {
            Some(c) => {
                let n = get(c, "count")
                    .map(|x| scope.value(x, 0))
                    .and_then(|x| x.as_f64());
                match n {
                    Some(n) if (0.0..=MAX_COPY as f64).contains(&n) => Some((
                        get_str(c, "name").unwrap_or("").to_ascii_lowercase(),
                        n as usize,
                    )),
                    Some(n) => {
                        self.errors.borrow_mut().push(InputError {
                            at: c.at,
                            message: kijun_model::text!("copy の count {} が上限の {MAX_COPY} を超えています。評価していません", "copy count {} is over the limit of {MAX_COPY}; not evaluated",
                                format_number(n)
                            ),
                        });
                        return;
                    }
                    None => Some((String::new(), 1)),
                }
            }
            None => None,
        };
        let instances: Vec<Option<(String, usize)>> = match count {
            Some((name, n)) => (0..n).map(|i| Some((name.clone(), i))).collect(),
            None => vec![None],
        };
        for inst in instances {
            if scope.exhausted() {
                break;
            }
            if let Some((loop_name, i)) = &inst {
                scope.copy_index.borrow_mut().insert(loop_name.clone(), *i);
                scope.copy_index.borrow_mut().insert(String::new(), *i);
            }
            let name_node = get(r, "name").map(|n| scope.value(n, 0));
            let mut name = name_node
                .as_ref()
                .and_then(text)
                .unwrap_or_else(|| "(name known at deployment)".into());
            if let Some((_, pn)) = parent {
                if !name.contains('/') {
                    name = format!("{pn}/{name}");
                }
            }
            let mut attrs = BTreeMap::new();
            if let Some(m) = r.as_object() {
                for (k, v) in m {
                    if matches!(
                        &**k,
                        "type"
                            | "apiVersion"
                            | "copy"
                            | "resources"
                            | "dependsOn"
                            | "condition"
                            | "comments"
                    ) {
                        continue;
                    }
                    let mut ev = scope.value(v, 0);
                    ev.rehome(r.at, v.at);
                    attrs.insert(k.to_string(), ev);
                }
            }
            // Inline nested deployment: its template is read as a template of its own.
            if ty.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
                if let Some(props) = get(r, "properties") {
                    if let Some(t) = get(props, "template") {
                        // why: ARM evaluates a nested template in the parent's scope (its
                        // parameters and variables) unless `expressionEvaluationOptions.scope`
                        // says `inner`; `outer` is the documented default. Parameter values
                        // passed to the nested template only make sense for `inner`, so a
                        // deployment that passes them and names no scope is read as `inner`.
                        let inner = match get(props, "expressionEvaluationOptions")
                            .and_then(|o| get_str(o, "scope"))
                        {
                            Some(s) => s.eq_ignore_ascii_case("inner"),
                            None => get(props, "parameters").is_some(),
                        };
                        if inner {
                            let mut given = HashMap::new();
                            if let Some(ps) = get(props, "parameters").and_then(|p| p.as_object()) {
                                for (k, v) in ps {
                                    if let Some(val) = get(v, "value") {
                                        given.insert(k.to_string(), scope.value(val, 0));
                                    }
                                }
                            }
                            self.template(t, &given, None, overrides, depth + 1);
                        } else {
                            let loops = scope
                                .var_defs
                                .get("copy")
                                .and_then(|c| c.as_list())
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|c| get_str(c, "name"))
                                .map(str::to_ascii_lowercase);
                            let vars = scope
                                .var_defs
                                .keys()
                                .filter(|k| k.as_str() != "copy")
                                .cloned()
                                .chain(loops)
                                .map(|k| {
                                    let v = scope.variable_inner(&k, r.at, 0);
                                    (k, v)
                                })
                                .collect();
                            self.template(t, &scope.params, Some(vars), overrides, depth + 1);
                        }
                    }
                }
            }
            let refs = get(r, "dependsOn")
                .map(|d| {
                    d.items()
                        .iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let address = format!("{ty}/{name}");
            // Findings about the resource point at its name.
            let at = get(r, "name").map(|n| n.at).unwrap_or(r.at);
            self.model.resources.push(Resource {
                platform: Platform::Arm,
                kind: ty.clone(),
                address: address.clone(),
                at,
                attrs,
                provider: None,
                refs,
                module: String::new(),
                inline_exceptions: Vec::new(),
            });
            if let Some(children) = get(r, "resources").and_then(|c| c.as_list()) {
                for c in children {
                    self.resource(scope, c, Some((&ty, &name)), overrides, depth + 1);
                }
            }
        }
        scope.copy_index.borrow_mut().clear();
    }
}

pub fn read(file: FileId, text: &str, root: &Node, overrides: &[(String, String)]) -> Model {
    let errors = RefCell::new(Vec::new());
    let _ = (file, text);
    let budget = Budget::default();
    let mut reader = Reader {
        model: Model::default(),
        errors: &errors,
        budget: &budget,
    };
    reader.template(root, &HashMap::new(), None, overrides, 0);
    let mut model = reader.model;
    model.errors.extend(errors.into_inner());
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_parse() {
        assert!(parse_expression("concat(parameters('a'), '-x')").is_ok());
        assert!(parse_expression("resourceGroup().location").is_ok());
        assert!(
            parse_expression("reference(variables('id'), '2020-01-01').outputs['x'].value").is_ok()
        );
        assert!(parse_expression("concat('it''s')").is_ok());
        assert!(parse_expression(&"f(".repeat(1000)).is_err());
    }
}
