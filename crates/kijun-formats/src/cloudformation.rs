//! CloudFormation (and SAM) templates: parameters with defaults, conditions, mappings and the
//! intrinsic functions evaluated into resource properties. YAML short tags arrive from the YAML
//! reader as one-key objects (`{"!Ref": …}`) and are normalised to the long form first.

use crate::tree::{get, get_str};
use kijun_model::{
    FileId, InputError, Model, Node, Origin, Platform, Resource, Text, Unknown, Value,
};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A template: `Resources` whose values have a `Type` like `AWS::S3::Bucket`.
pub fn is_template(root: &Node) -> bool {
    if get(root, "AWSTemplateFormatVersion").is_some() {
        return true;
    }
    get(root, "Resources")
        .and_then(|r| r.as_object())
        .is_some_and(|m| {
            !m.is_empty()
                && m.values().all(|v| {
                    get_str(v, "Type").is_some_and(|t| {
                        t.starts_with("AWS::") || t.starts_with("Custom::") || t.contains("::")
                    })
                })
        })
}

/// `!Ref X` → `{"Ref": X}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub` → `Fn::Sub`…
pub fn normalise(n: &mut Node, depth: u32) {
    if depth > 512 {
        return;
    }
    let at = n.at;
    match &mut n.value {
        Value::Object(m) => {
            if m.len() == 1 {
                let tag = m.keys().next().cloned();
                if let Some(tag) = tag.filter(|t| t.starts_with('!')) {
                    if let Some(mut inner) = m.remove(&tag) {
                        normalise(&mut inner, depth + 1);
                        let long = match &*tag {
                            "!Ref" => "Ref".to_string(),
                            "!Condition" => "Condition".to_string(),
                            "!GetAtt" => {
                                // "A.B.C" → ["A", "B.C"]
                                if let Some(s) = inner.as_str() {
                                    let (a, b) = s.split_once('.').unwrap_or((s, ""));
                                    inner = Node::new(
                                        Value::List(vec![
                                            Node::string(a, inner.at),
                                            Node::string(b, inner.at),
                                        ]),
                                        inner.at,
                                    );
                                }
                                "Fn::GetAtt".to_string()
                            }
                            other => format!("Fn::{}", other.trim_start_matches('!')),
                        };
                        m.insert(Arc::from(long), inner);
                        return;
                    }
                }
            }
            for v in m.values_mut() {
                normalise(v, depth + 1);
            }
        }
        Value::List(l) => l.iter_mut().for_each(|v| normalise(v, depth + 1)),
        _ => {}
    }
    let _ = at;
}

struct Eval<'a> {
    file: FileId,
    params: HashMap<String, Node>,
    mappings: Option<&'a Node>,
    conditions: Option<&'a Node>,
    resources: &'a kijun_model::Map,
    cond_cache: RefCell<HashMap<String, Option<Option<bool>>>>,
    errors: RefCell<Vec<InputError>>,
    refs: RefCell<Vec<Arc<str>>>,
    /// Work spent ([`MAX_WORK`]) and whether running out has been reported.
    work: Cell<u64>,
    reported: Cell<bool>,
}

/// Work allowed for one template: one unit per value evaluated and per 64 bytes of string
/// built. YAML aliases can repeat an `Fn::Join` of a long parameter many times over; this keeps
/// the time and memory of such templates bounded.
const MAX_WORK: u64 = 2_000_000;
/// Longest string `Fn::Join` and `Fn::Sub` may build.
const MAX_STRING: usize = 16 << 20;
fn budget() -> Text {
    kijun_model::text!(
        "テンプレートの評価の作業量の上限に達したため評価していません",
        "not evaluated: the template's evaluation work budget is exhausted"
    )
}

/// A property that evaluates to `AWS::NoValue` is removed.
enum Out {
    Value(Node),
    NoValue,
}

fn unknown(reason: Text, refs: Vec<Arc<str>>, at: Origin) -> Node {
    Node::new(
        Value::Unknown(Unknown {
            reason: Arc::new(reason),
            refs,
        }),
        at,
    )
}

fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(kijun_model::format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Eval<'_> {
    /// Spends work; false (and, the first time, an error at `at`) once the budget is gone.
    fn charge(&self, units: u64, at: Origin) -> bool {
        let used = self.work.get().saturating_add(units);
        self.work.set(used);
        if used <= MAX_WORK {
            return true;
        }
        if !self.reported.replace(true) {
            self.errors.borrow_mut().push(InputError {
                at,
                message: kijun_model::text!("評価の作業量の上限（{MAX_WORK} 単位）にここで達しました（値が大きくなりすぎています）。このテンプレートの残りは評価していません", "evaluation work budget of {MAX_WORK} units exhausted here (values grow too large); the rest of this template is not evaluated"),
            });
        }
        false
    }

    fn condition(&self, name: &str, at: Origin, depth: u32) -> Option<bool> {
        if let Some(c) = self.cond_cache.borrow().get(name) {
            return match c {
                Some(v) => *v,
                None => {
                    // why: a condition that refers back to itself can never be decided;
                    // CloudFormation rejects such templates.
                    self.errors.borrow_mut().push(InputError {
                        at,
                        message: kijun_model::text!(
                            "条件の循環参照: {name} が自分自身に依存しています",
                            "condition cycle: {name} depends on itself"
                        ),
                    });
                    None
                }
            };
        }
        let expr = self.conditions.and_then(|c| get(c, name))?;
        self.cond_cache.borrow_mut().insert(name.to_string(), None);
        let v = self.truth(expr, depth + 1);
        self.cond_cache
            .borrow_mut()
            .insert(name.to_string(), Some(v));
        v
    }

    fn truth(&self, e: &Node, depth: u32) -> Option<bool> {
        if depth > 128 {
            return None;
        }
        match self.eval(e, depth) {
            Out::Value(v) => v.as_bool(),
            Out::NoValue => None,
        }
    }

    fn eval(&self, n: &Node, depth: u32) -> Out {
        if depth > 256 {
            return Out::Value(unknown(
                kijun_model::text!("入れ子が深すぎます", "nested too deeply"),
                vec![],
                n.at,
            ));
        }
        if !self.charge(1, n.at) {
            return Out::Value(unknown(budget(), vec![], n.at));
        }
        let at = n.at;
        match &n.value {
            Value::Object(m) if m.len() == 1 => {
                let Some((k, arg)) = m.iter().next() else {
                    return Out::Value(n.clone());
                };
                if let Some(v) = self.intrinsic(k, arg, at, depth) {
                    return v;
                }
                let mut out = kijun_model::Map::new();
                for (k, v) in m {
                    if let Out::Value(x) = self.eval(v, depth + 1) {
                        out.insert(k.clone(), x);
                    }
                }
                Out::Value(Node::new(Value::Object(out), at))
            }
            Value::Object(m) => {
                let mut out = kijun_model::Map::new();
                for (k, v) in m {
                    if let Out::Value(x) = self.eval(v, depth + 1) {
                        out.insert(k.clone(), x);
                    }
                }
                Out::Value(Node::new(Value::Object(out), at))
            }
            Value::List(l) => {
                let mut out = Vec::with_capacity(l.len());
                for v in l {
                    if let Out::Value(x) = self.eval(v, depth + 1) {
                        out.push(x);
                    }
                }
                Out::Value(Node::new(Value::List(out), at))
            }
            _ => Out::Value(n.clone()),
        }
    }

    fn value(&self, n: &Node, depth: u32) -> Node {
        match self.eval(n, depth) {
            Out::Value(v) => v,
            Out::NoValue => Node::new(Value::Null, n.at),
        }
    }

    fn reference(&self, name: &str, at: Origin) -> Out {
        if name == "AWS::NoValue" {
            return Out::NoValue;
        }
        if let Some(p) = self.params.get(name) {
            // The value points where it is used (the `Ref`), and remembers where it was set.
            let mut v = p.clone();
            if v.from.is_none() {
                v.from = Some(Arc::new(kijun_model::Provenance {
                    via: format!("Parameters.{name}"),
                    at: p.at,
                }));
            }
            let outside = v.at;
            v.at = at;
            v.rehome(at, at);
            let _ = outside;
            return Out::Value(v);
        }
        if name.starts_with("AWS::") {
            return Out::Value(unknown(
                kijun_model::text!(
                    "疑似パラメーター {name} はデプロイ時に決まります",
                    "pseudo parameter {name} is known at deployment"
                ),
                vec![],
                at,
            ));
        }
        if self.resources.contains_key(name) {
            self.refs.borrow_mut().push(Arc::from(name));
            return Out::Value(unknown(
                kijun_model::text!(
                    "Ref {name} はデプロイ後に決まります",
                    "Ref {name} is known after deployment"
                ),
                vec![Arc::from(name)],
                at,
            ));
        }
        Out::Value(unknown(
            kijun_model::text!(
                "Ref {name}: そのようなパラメーターもリソースもありません",
                "Ref {name}: no such parameter or resource"
            ),
            vec![],
            at,
        ))
    }

    fn intrinsic(&self, name: &str, arg: &Node, at: Origin, depth: u32) -> Option<Out> {
        let d = depth + 1;
        let list = |n: &Node| -> Vec<Node> {
            match self.value(n, d).value {
                Value::List(l) => l,
                _ => Vec::new(),
            }
        };
        Some(match name {
            "Ref" => match arg.as_str() {
                Some(s) => self.reference(s, at),
                None => Out::Value(unknown(
                    kijun_model::text!("Ref には名前が必要です", "Ref needs a name"),
                    vec![],
                    at,
                )),
            },
            "Condition" => Out::Value(match arg.as_str().and_then(|c| self.condition(c, at, d)) {
                Some(b) => Node::new(Value::Bool(b), at),
                None => unknown(
                    kijun_model::text!(
                        "条件を静的に決定できません",
                        "condition cannot be decided statically"
                    ),
                    vec![],
                    at,
                ),
            }),
            "Fn::GetAtt" => {
                let parts = list(arg);
                let target = parts
                    .first()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_string();
                if !target.is_empty() {
                    self.refs.borrow_mut().push(Arc::from(target.as_str()));
                }
                Out::Value(unknown(
                    kijun_model::text!(
                        "GetAtt {target} はデプロイ後に決まります",
                        "GetAtt {target} is known after deployment"
                    ),
                    vec![Arc::from(target)],
                    at,
                ))
            }
            "Fn::If" => {
                let parts = arg.as_list().unwrap_or(&[]);
                let (Some(c), Some(a), Some(b)) = (
                    parts.first().and_then(|x| x.as_str()),
                    parts.get(1),
                    parts.get(2),
                ) else {
                    return Some(Out::Value(unknown(
                        kijun_model::text!(
                            "Fn::If には [条件, 真の値, 偽の値] が必要です",
                            "Fn::If needs [condition, then, else]"
                        ),
                        vec![],
                        at,
                    )));
                };
                match self.condition(c, at, d) {
                    Some(true) => self.eval(a, d),
                    Some(false) => self.eval(b, d),
                    None => {
                        // Both branches alike: the condition does not matter.
                        let (x, y) = (self.value(a, d), self.value(b, d));
                        if x.value == y.value {
                            Out::Value(x)
                        } else {
                            Out::Value(unknown(
                                kijun_model::text!(
                                    "条件 {c} に依存します",
                                    "depends on condition {c}"
                                ),
                                vec![],
                                at,
                            ))
                        }
                    }
                }
            }
            "Fn::Equals" => {
                let parts = list(arg);
                match (parts.first(), parts.get(1)) {
                    (Some(a), Some(b)) if !a.is_unknown() && !b.is_unknown() => {
                        Out::Value(Node::new(
                            Value::Bool(
                                scalar_text(a) == scalar_text(b) && scalar_text(a).is_some(),
                            ),
                            at,
                        ))
                    }
                    _ => Out::Value(unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる値の Fn::Equals です",
                            "Fn::Equals of a value known at deployment"
                        ),
                        vec![],
                        at,
                    )),
                }
            }
            "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let parts = arg.as_list().unwrap_or(&[]);
                let vals: Vec<Option<bool>> = parts.iter().map(|p| self.truth(p, d)).collect();
                let r = match name {
                    "Fn::Not" => vals.first().copied().flatten().map(|b| !b),
                    "Fn::And" => {
                        if vals.contains(&Some(false)) {
                            Some(false)
                        } else if vals.iter().all(|v| v.is_some()) {
                            Some(true)
                        } else {
                            None
                        }
                    }
                    _ => {
                        if vals.contains(&Some(true)) {
                            Some(true)
                        } else if vals.iter().all(|v| v.is_some()) {
                            Some(false)
                        } else {
                            None
                        }
                    }
                };
                Out::Value(match r {
                    Some(b) => Node::new(Value::Bool(b), at),
                    None => unknown(
                        kijun_model::text!(
                            "条件を静的に決定できません",
                            "condition cannot be decided statically"
                        ),
                        vec![],
                        at,
                    ),
                })
            }
            "Fn::Join" => {
                let parts = arg.as_list().unwrap_or(&[]);
                let sep = parts
                    .first()
                    .and_then(|s| s.as_str())
                    .unwrap_or("")
                    .to_string();
                let items = parts.get(1).map(list).unwrap_or_default();
                let mut texts = Vec::new();
                let mut len = 0usize;
                for i in &items {
                    if i.is_unknown() {
                        return Some(Out::Value(Node { at, ..i.clone() }));
                    }
                    let t = scalar_text(i).unwrap_or_default();
                    len = len.saturating_add(t.len() + sep.len());
                    if len > MAX_STRING || !self.charge(t.len() as u64 / 64, at) {
                        return Some(Out::Value(unknown(
                            kijun_model::text!(
                                "Fn::Join の結果が文字列の大きさの上限か作業量の上限を超えています",
                                "Fn::Join result exceeds the string size limit or the work budget"
                            ),
                            vec![],
                            at,
                        )));
                    }
                    texts.push(t);
                }
                Out::Value(Node::string(&texts.join(&sep), at))
            }
            "Fn::Select" => {
                let parts = arg.as_list().unwrap_or(&[]);
                let idx = parts
                    .first()
                    .map(|i| self.value(i, d))
                    .and_then(|i| i.as_f64());
                let items = parts.get(1).map(list).unwrap_or_default();
                match idx.and_then(|i| items.get(i as usize).cloned()) {
                    Some(v) => Out::Value(v),
                    None => Out::Value(unknown(
                        kijun_model::text!(
                            "デプロイ時に決まるリストの Fn::Select です",
                            "Fn::Select of a list known at deployment"
                        ),
                        vec![],
                        at,
                    )),
                }
            }
            "Fn::Split" => {
                let parts = arg.as_list().unwrap_or(&[]);
                let sep = parts
                    .first()
                    .and_then(|s| s.as_str())
                    .unwrap_or(",")
                    .to_string();
                let s = parts.get(1).map(|x| self.value(x, d));
                match s.as_ref().and_then(|x| x.as_str()) {
                    Some(s) if !sep.is_empty() && !self.charge(s.len() as u64 / 8, at) => {
                        Out::Value(unknown(budget(), vec![], at))
                    }
                    Some(s) if !sep.is_empty() => Out::Value(Node::new(
                        Value::List(s.split(sep.as_str()).map(|p| Node::string(p, at)).collect()),
                        at,
                    )),
                    _ => Out::Value(unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる値の Fn::Split です",
                            "Fn::Split of a value known at deployment"
                        ),
                        vec![],
                        at,
                    )),
                }
            }
            "Fn::Sub" => Out::Value(self.sub(arg, at, d)),
            "Fn::FindInMap" => {
                let parts = list(arg);
                let keys: Vec<Option<String>> = parts.iter().map(scalar_text).collect();
                match (keys.first(), keys.get(1), keys.get(2)) {
                    (Some(Some(m)), Some(Some(k1)), Some(Some(k2))) => {
                        match self
                            .mappings
                            .and_then(|ms| get(ms, m))
                            .and_then(|x| get(x, k1))
                            .and_then(|x| get(x, k2))
                        {
                            Some(v) if !self.charge(v.weight_up_to(MAX_WORK), at) => {
                                Out::Value(unknown(budget(), vec![], at))
                            }
                            Some(v) => Out::Value(v.clone()),
                            None => Out::Value(unknown(
                                kijun_model::text!(
                                    "Fn::FindInMap {m}/{k1}/{k2} に該当する項目がありません",
                                    "Fn::FindInMap {m}/{k1}/{k2} has no entry"
                                ),
                                vec![],
                                at,
                            )),
                        }
                    }
                    _ => Out::Value(unknown(
                        kijun_model::text!(
                            "キーがデプロイ時に決まる Fn::FindInMap です",
                            "Fn::FindInMap with keys known at deployment"
                        ),
                        vec![],
                        at,
                    )),
                }
            }
            "Fn::Cidr" => {
                let parts = list(arg);
                let (block, count, bits) = (
                    parts.first().and_then(|x| x.as_str()),
                    parts.get(1).and_then(|x| x.as_f64()),
                    parts.get(2).and_then(|x| x.as_f64()),
                );
                match (block, count, bits) {
                    (Some(b), Some(c), Some(h)) if (1.0..=256.0).contains(&c) => {
                        let prefix = kijun_model::cidr::Cidr::parse(b);
                        let total: u32 = if prefix.is_some_and(|p| p.v6) {
                            128
                        } else {
                            32
                        };
                        let newbits = prefix
                            .map(|p| total.saturating_sub(h as u32).saturating_sub(p.len))
                            .unwrap_or(0);
                        let bitsv = vec![newbits; c as usize];
                        match kijun_model::cidr::subnets(b, &bitsv) {
                            Some(v) => Out::Value(Node::new(
                                Value::List(v.iter().map(|s| Node::string(s, at)).collect()),
                                at,
                            )),
                            None => Out::Value(unknown(
                                kijun_model::text!(
                                    "Fn::Cidr の引数が不正です",
                                    "Fn::Cidr arguments are invalid"
                                ),
                                vec![],
                                at,
                            )),
                        }
                    }
                    _ => Out::Value(unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる値の Fn::Cidr です",
                            "Fn::Cidr of values known at deployment"
                        ),
                        vec![],
                        at,
                    )),
                }
            }
            "Fn::Base64" | "Fn::GetAZs" | "Fn::ImportValue" | "Fn::Transform" | "Fn::Length"
            | "Fn::ToJsonString" | "Fn::ForEach" => Out::Value(unknown(
                kijun_model::text!(
                    "{name} はデプロイ時に評価されます",
                    "{name} is evaluated at deployment"
                ),
                vec![],
                at,
            )),
            _ => return None,
        })
    }

    /// `Fn::Sub`: `${Name}` from parameters, `${AWS::Region}` and resources unknown, `${!Literal}`.
    fn sub(&self, arg: &Node, at: Origin, depth: u32) -> Node {
        let (template, vars) = match &arg.value {
            Value::String(s) => (s.to_string(), None),
            Value::List(l) => match (l.first().and_then(|s| s.as_str()), l.get(1)) {
                (Some(s), vars) => (s.to_string(), vars),
                _ => {
                    return unknown(
                        kijun_model::text!(
                            "Fn::Sub には文字列が必要です",
                            "Fn::Sub needs a string"
                        ),
                        vec![],
                        at,
                    )
                }
            },
            _ => {
                return unknown(
                    kijun_model::text!("Fn::Sub には文字列が必要です", "Fn::Sub needs a string"),
                    vec![],
                    at,
                )
            }
        };
        let mut out = String::new();
        let mut pending: Option<Node> = None;
        let mut rest = template.as_str();
        while let Some(i) = rest.find("${") {
            out.push_str(rest.get(..i).unwrap_or(""));
            let after = rest.get(i + 2..).unwrap_or("");
            let Some(j) = after.find('}') else {
                out.push_str(rest.get(i..).unwrap_or(""));
                rest = "";
                break;
            };
            let name = after.get(..j).unwrap_or("");
            rest = after.get(j + 1..).unwrap_or("");
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
                continue;
            }
            let v = match vars.and_then(|v| get(v, name)) {
                Some(x) => self.value(x, depth + 1),
                None if name.contains('.') => {
                    let target = name.split('.').next().unwrap_or("");
                    unknown(
                        kijun_model::text!(
                            "GetAtt {name} はデプロイ後に決まります",
                            "GetAtt {name} is known after deployment"
                        ),
                        vec![Arc::from(target)],
                        at,
                    )
                }
                None => match self.reference(name, at) {
                    Out::Value(v) => v,
                    Out::NoValue => Node::string("", at),
                },
            };
            if let Value::Unknown(u) = v.value {
                // why: the string is unknown from its first unknown part on, but every
                // resource it names is still an edge (`arn:…:${AWS::AccountId}:…/${Dist}` names
                // `Dist`, which a rule asking "does this designate that resource?" needs).
                match &mut pending {
                    Some(Node {
                        value: Value::Unknown(p),
                        ..
                    }) => {
                        for r in u.refs {
                            if !p.refs.contains(&r) {
                                p.refs.push(r);
                            }
                        }
                    }
                    _ => pending = Some(Node::new(Value::Unknown(u), at)),
                }
                continue;
            }
            if pending.is_some() {
                continue;
            }
            let t = scalar_text(&v).unwrap_or_default();
            if out.len() + t.len() > MAX_STRING || !self.charge(t.len() as u64 / 64, at) {
                return unknown(
                    kijun_model::text!(
                        "Fn::Sub の結果が文字列の大きさの上限か作業量の上限を超えています",
                        "Fn::Sub result exceeds the string size limit or the work budget"
                    ),
                    vec![],
                    at,
                );
            }
            out.push_str(&t);
        }
        if let Some(p) = pending {
            return p;
        }
        out.push_str(rest);
        Node::string(&out, at)
    }
}

/// The logical id's own position: the key before the resource body.
fn key_position(text: &str, key: &str, body: Origin, file: FileId) -> Origin {
    let end = (body.start as usize).min(text.len());
    let before = text.get(..end).unwrap_or("");
    match before.rfind(key) {
        Some(i) if end - i < key.len() + 64 => Origin::new(file, i, i + key.len()),
        _ => body,
    }
}

/// Reads one template. `overrides` are parameter values given on the command line.
pub fn read(file: FileId, text: &str, root: &Node, overrides: &[(String, String)]) -> Model {
    let mut root = root.clone();
    normalise(&mut root, 0);
    let mut model = Model::default();
    let Some(resources) = get(&root, "Resources").and_then(|r| r.as_object()) else {
        return model;
    };
    let mut params = HashMap::new();
    if let Some(ps) = get(&root, "Parameters").and_then(|p| p.as_object()) {
        for (name, decl) in ps {
            if let Some((_, v)) = overrides.iter().find(|(k, _)| k == &**name) {
                params.insert(name.to_string(), Node::string(v, decl.at));
            } else if let Some(d) = get(decl, "Default") {
                params.insert(name.to_string(), d.clone());
            } else {
                params.insert(
                    name.to_string(),
                    unknown(kijun_model::text!("パラメーター {name} には既定値がなく、値も指定されていません（--parameter {name}=…）", "parameter {name} has no default and was not given (--parameter {name}=…)"), vec![], decl.at),
                );
            }
        }
    }
    let ev = Eval {
        file,
        params,
        mappings: get(&root, "Mappings"),
        conditions: get(&root, "Conditions"),
        resources,
        cond_cache: RefCell::new(HashMap::new()),
        errors: RefCell::new(Vec::new()),
        refs: RefCell::new(Vec::new()),
        work: Cell::new(0),
        reported: Cell::new(false),
    };
    // Decide every condition once, so cycles are reported even when no resource uses them.
    if let Some(conds) = ev.conditions.and_then(|c| c.as_object()) {
        for (name, c) in conds {
            ev.condition(name, c.at, 0);
        }
    }
    for (id, body) in resources {
        if ev.work.get() > MAX_WORK {
            break;
        }
        let Some(kind) = get_str(body, "Type") else {
            continue;
        };
        if let Some(c) = get_str(body, "Condition") {
            if ev.condition(c, body.at, 0) == Some(false) {
                continue;
            }
        }
        ev.refs.borrow_mut().clear();
        let mut attrs = BTreeMap::new();
        if let Some(props) = get(body, "Properties").and_then(|p| p.as_object()) {
            for (k, raw) in props {
                if let Out::Value(mut v) = ev.eval(raw, 0) {
                    // Values from parameters and mappings point at the property, keeping where
                    // they were set as provenance.
                    v.rehome(body.at, raw.at);
                    attrs.insert(k.to_string(), v);
                }
            }
        }
        let mut refs: Vec<String> = ev.refs.borrow().iter().map(|r| r.to_string()).collect();
        for dep in get(body, "DependsOn")
            .map(|d| d.items())
            .unwrap_or_default()
        {
            if let Some(s) = dep.as_str() {
                refs.push(s.to_string());
            }
        }
        refs.sort();
        refs.dedup();
        model.resources.push(Resource {
            platform: Platform::Cloudformation,
            kind: kind.to_string(),
            address: id.to_string(),
            at: key_position(text, id, body.at, ev.file),
            attrs,
            provider: None,
            refs,
            module: String::new(),
            inline_exceptions: Vec::new(),
        });
    }
    model.errors.extend(ev.errors.into_inner());
    model
}
