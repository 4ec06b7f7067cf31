#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kijun_model::{Node, Value};
use kijun_yaml::{parse, parse_with, Document, Error, Limits};

const FILE: u32 = 7;

fn docs(text: &str) -> Vec<Document> {
    let docs =
        parse(FILE, text).unwrap_or_else(|e| panic!("{e}\n{}", &text[..text.len().min(2000)]));
    for d in &docs {
        check_spans(text, d);
    }
    docs
}

fn one(text: &str) -> Node {
    let mut d = docs(text);
    assert_eq!(d.len(), 1, "{text}");
    d.remove(0).root
}

fn err(text: &str) -> Error {
    match parse(FILE, text) {
        Ok(d) => panic!("expected an error, got {d:?}"),
        Err(e) => {
            assert!(e.offset as usize <= text.len(), "{e} past the end");
            assert!(
                text.is_char_boundary(e.offset as usize),
                "{e} inside a character"
            );
            e
        }
    }
}

/// The text a node was read from.
fn src<'t>(text: &'t str, n: &Node) -> &'t str {
    &text[n.at.start as usize..n.at.end as usize]
}

fn get<'n>(n: &'n Node, path: &str) -> &'n Node {
    let mut cur = n;
    for step in path.split('.') {
        cur = match &cur.value {
            Value::Object(m) => m
                .get(step)
                .unwrap_or_else(|| panic!("no key {step:?} in {:?}", m.keys().collect::<Vec<_>>())),
            Value::List(v) => &v[step.parse::<usize>().unwrap()],
            other => panic!("cannot step {step:?} into {other:?}"),
        };
    }
    cur
}

fn s(n: &Node) -> &str {
    n.as_str()
        .unwrap_or_else(|| panic!("not a string: {:?}", n.value))
}

fn num(n: &Node) -> f64 {
    match n.value {
        Value::Number(x) => x,
        ref other => panic!("not a number: {other:?}"),
    }
}

/// Every span of every node lies inside the text, on character boundaries, in the right file,
/// and inside the document's span; walked without recursion.
fn check_spans(text: &str, doc: &Document) {
    assert_eq!(doc.at.file, FILE);
    assert!(doc.at.start <= doc.at.end && doc.at.end as usize <= text.len());
    let mut todo = vec![&doc.root];
    while let Some(n) = todo.pop() {
        let (a, b) = (n.at.start as usize, n.at.end as usize);
        assert_eq!(n.at.file, FILE);
        assert!(a <= b && b <= text.len(), "{a}..{b} of {}", text.len());
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        assert!(n.from.is_none());
        match &n.value {
            Value::List(v) => todo.extend(v),
            Value::Object(m) => todo.extend(m.values()),
            _ => {}
        }
    }
    // Aliased copies keep the anchor's positions, which may precede the document only if the
    // anchor is in it; the root itself is always inside.
    assert!(doc.root.at.start >= doc.at.start && doc.root.at.end <= doc.at.end);
}

// ---------------------------------------------------------------------------------------------
// Positions

#[test]
fn scalar_spans_in_block_style() {
    let text = "plain: hello world  # comment\nsingle: 'it''s'\ndouble: \"a\\tb\"\nnum: 42\nempty:\nlast: x\n";
    let root = one(text);
    assert_eq!(src(text, get(&root, "plain")), "hello world");
    assert_eq!(s(get(&root, "plain")), "hello world");
    assert_eq!(src(text, get(&root, "single")), "'it''s'");
    assert_eq!(s(get(&root, "single")), "it's");
    assert_eq!(src(text, get(&root, "double")), "\"a\\tb\"");
    assert_eq!(s(get(&root, "double")), "a\tb");
    assert_eq!(src(text, get(&root, "num")), "42");
    let empty = get(&root, "empty");
    assert!(empty.is_null());
    assert_eq!(empty.at.start, empty.at.end, "nothing was written");
    assert!(
        text[..empty.at.start as usize].ends_with(':'),
        "right after its key"
    );
    assert_eq!(src(text, &root), text.trim_end());
}

#[test]
fn scalar_spans_in_flow_style() {
    let text = "a: {k: v, 'q': \"w\", n: [1, two, 'three', {x: y}]}\n";
    let root = one(text);
    let a = get(&root, "a");
    assert_eq!(
        src(text, a),
        "{k: v, 'q': \"w\", n: [1, two, 'three', {x: y}]}"
    );
    assert_eq!(src(text, get(a, "k")), "v");
    assert_eq!(src(text, get(a, "q")), "\"w\"");
    assert_eq!(src(text, get(a, "n")), "[1, two, 'three', {x: y}]");
    assert_eq!(src(text, get(a, "n.0")), "1");
    assert_eq!(src(text, get(a, "n.1")), "two");
    assert_eq!(src(text, get(a, "n.2")), "'three'");
    assert_eq!(src(text, get(a, "n.3")), "{x: y}");
    assert_eq!(src(text, get(a, "n.3.x")), "y");
}

#[test]
fn block_collections_start_at_their_first_character_and_end_at_their_last() {
    let text = "spec:\n  containers:\n    - name: app\n      image: nginx   # pinned?\n    - name: side\n      args: [a, b]\n\n  # a comment after the list\n\nstatus: {}\n";
    let root = one(text);
    let spec = get(&root, "spec");
    assert!(src(text, spec).starts_with("containers:"));
    assert!(src(text, spec).ends_with("args: [a, b]"));
    let containers = get(spec, "containers");
    assert!(src(text, containers).starts_with("- name: app"));
    assert!(src(text, containers).ends_with("[a, b]"));
    assert_eq!(
        src(text, get(containers, "0")),
        "name: app\n      image: nginx"
    );
    assert_eq!(src(text, get(containers, "1.args")), "[a, b]");
}

#[test]
fn multiline_plain_and_quoted_scalars() {
    let text = "a: first\n  second\nb: \"x\n  y\"\n";
    let root = one(text);
    assert_eq!(s(get(&root, "a")), "first second");
    assert_eq!(src(text, get(&root, "a")), "first\n  second");
    assert_eq!(s(get(&root, "b")), "x y");
    assert_eq!(src(text, get(&root, "b")), "\"x\n  y\"");
}

#[test]
fn block_scalar_spans_run_from_indicator_to_last_content() {
    let text = "a: |\n  line one\n  line two\n\n\nb: >- # folded\n\n  f1\n  f2   \nc: &x |+\n  keep\n\nd: |\ne: end\n";
    let root = one(text);
    let a = get(&root, "a");
    assert_eq!(s(a), "line one\nline two\n");
    assert_eq!(src(text, a), "|\n  line one\n  line two");
    let b = get(&root, "b");
    assert_eq!(s(b), "\nf1 f2   ");
    assert_eq!(src(text, b), ">- # folded\n\n  f1\n  f2   ");
    let c = get(&root, "c");
    assert_eq!(s(c), "keep\n\n");
    assert_eq!(src(text, c), "&x |+\n  keep");
    let d = get(&root, "d");
    assert_eq!(s(d), "");
    assert_eq!(src(text, d), "|");
    assert_eq!(s(get(&root, "e")), "end");

    let text = "- |\n  item\n- >\n# a comment\n\n- last\n--- |2-\n   indented\n";
    let d = docs(text);
    assert_eq!(src(text, get(&d[0].root, "0")), "|\n  item");
    assert_eq!(src(text, get(&d[0].root, "1")), ">");
    assert_eq!(s(&d[1].root), " indented");
    assert_eq!(src(text, &d[1].root), "|2-\n   indented");
}

#[test]
fn japanese_text_before_values_does_not_shift_positions() {
    let text = "# 日本語のコメント：本番環境\nmetadata:\n  name: テスト # 名前\n  labels: {チーム: 基盤, env: 本番}\n  # 説明\n  note: \"引用 ✓\"\nspec:\n  - 「一」\n  - ok\n";
    let root = one(text);
    let name = get(&root, "metadata.name");
    assert_eq!(s(name), "テスト");
    assert_eq!(src(text, name), "テスト");
    assert_eq!(src(text, get(&root, "metadata.labels.チーム")), "基盤");
    assert_eq!(src(text, get(&root, "metadata.labels.env")), "本番");
    assert_eq!(
        src(text, get(&root, "metadata.labels")),
        "{チーム: 基盤, env: 本番}"
    );
    assert_eq!(src(text, get(&root, "metadata.note")), "\"引用 ✓\"");
    assert_eq!(src(text, get(&root, "spec.0")), "「一」");
    assert_eq!(src(text, get(&root, "spec.1")), "ok");
    assert!(src(text, get(&root, "metadata")).starts_with("name: テスト"));
}

#[test]
fn byte_order_mark_is_counted_in_offsets() {
    let text = "\u{feff}apiVersion: v1\nkind: Pod\nmetadata: {name: 名前}\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    let root = &d[0].root;
    assert_eq!(src(text, get(root, "apiVersion")), "v1");
    assert_eq!(src(text, get(root, "kind")), "Pod");
    assert_eq!(src(text, get(root, "metadata.name")), "名前");
    assert_eq!(root.at.start, 3, "the BOM is three bytes");
    assert_eq!(d[0].at.start, 3);
}

#[test]
fn crlf_line_endings() {
    let text = "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: |\r\n  l1\r\n  l2\r\nd: {k: 日本}\r\n";
    let root = one(text);
    assert_eq!(num(get(&root, "a")), 1.0);
    assert_eq!(src(text, get(&root, "b.0")), "x");
    assert_eq!(src(text, get(&root, "b.1")), "'y'");
    assert_eq!(src(text, get(&root, "b")), "- x\r\n  - 'y'");
    let c = get(&root, "c");
    assert_eq!(s(c), "l1\nl2\n", "line breaks are normalised");
    assert_eq!(src(text, c), "|\r\n  l1\r\n  l2");
    assert_eq!(src(text, get(&root, "d.k")), "日本");
}

#[test]
fn bom_crlf_and_multibyte_together_with_several_documents() {
    let text = "\u{feff}# 先頭\r\na: 値\r\n---\r\n# 二つ目\r\nb: [x, \"ÿ\"]\r\n";
    let d = docs(text);
    assert_eq!(d.len(), 2);
    assert_eq!(src(text, get(&d[0].root, "a")), "値");
    assert_eq!(src(text, get(&d[1].root, "b.0")), "x");
    assert_eq!(src(text, get(&d[1].root, "b.1")), "\"ÿ\"");
}

// ---------------------------------------------------------------------------------------------
// Streams

#[test]
fn multi_document_stream_with_comments() {
    let text = "# header comment\n---\n# about a\na: 1\n# between\n---\n# only a comment\n---\n\n---\nb: 2\n...\n# trailer\n--- c\n";
    let d = docs(text);
    assert_eq!(d.len(), 3, "{d:#?}");
    assert_eq!(num(get(&d[0].root, "a")), 1.0);
    assert_eq!(num(get(&d[1].root, "b")), 2.0);
    assert_eq!(s(&d[2].root), "c");
    assert_eq!(
        &text[d[0].at.start as usize..d[0].at.end as usize],
        "---\n# about a\na: 1"
    );
    assert_eq!(
        &text[d[1].at.start as usize..d[1].at.end as usize],
        "---\nb: 2\n..."
    );
    assert_eq!(&text[d[2].at.start as usize..d[2].at.end as usize], "--- c");
}

#[test]
fn comments_only_and_empty_streams_have_no_documents() {
    assert!(docs("").is_empty());
    assert!(docs("\n\n").is_empty());
    assert!(docs("# just\n# comments\n").is_empty());
    assert!(docs("\u{feff}# コメントだけ\r\n").is_empty());
    assert!(docs("---\n---\n# nothing\n...\n").is_empty());
}

#[test]
fn explicit_null_documents_are_kept() {
    let d = docs("--- ~\n--- null\n");
    assert_eq!(d.len(), 2);
    assert!(d[0].root.is_null() && d[1].root.is_null());
}

#[test]
fn dashes_inside_block_scalars_do_not_split_documents() {
    let text =
        "script: |\n  echo start\n  ---\n  echo end\nnext: >\n  a\n  --- b\n---\nsecond: true\n";
    let d = docs(text);
    assert_eq!(d.len(), 2);
    assert_eq!(s(get(&d[0].root, "script")), "echo start\n---\necho end\n");
    assert_eq!(s(get(&d[0].root, "next")), "a --- b\n");
    assert_eq!(get(&d[1].root, "second").as_bool(), Some(true));
}

#[test]
fn document_limit() {
    let limits = Limits {
        max_documents: 2,
        ..Limits::default()
    };
    assert_eq!(parse_with(FILE, "a\n---\nb\n", &limits).unwrap().len(), 2);
    let text = "a\n---\nb\n---\nc\n";
    let e = parse_with(FILE, text, &limits).unwrap_err();
    assert_eq!(e.message.en, "more than 2 documents in one stream");
    assert_eq!(e.offset as usize, text.rfind("---").unwrap());
}

// ---------------------------------------------------------------------------------------------
// CloudFormation tags

const CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-logs"
      Encryption: !If [IsProd, !Ref KmsKey, !Ref "AWS::NoValue"]
      Role: !GetAtt Role.Arn
      Policy: !Sub |
        {
          "Resource": "arn:aws:s3:::${Bucket}/*"
        }
      Zone: !Select [0, !GetAZs ""]
      Parts: !Split [",", !ImportValue Shared-Subnets]
      Joined: !Join ["", [a, !Ref B]]
      Map: !FindInMap [RegionMap, !Ref "AWS::Region", AMI]
      Data: !Base64
        Fn::Sub: "echo ${X}"
      Cidrs: !Cidr [!GetAtt Vpc.CidrBlock, 6, 5]
      Empty: !GetAZs
      Both: !And [!Condition IsProd, !Not [!Or [!Condition A, !Condition B]]]
Transform: !Transform {Name: "AWS::Include", Parameters: {Location: s3://x}}
"#;

fn tagged<'n>(n: &'n Node, tag: &str) -> &'n Node {
    let m = n
        .as_object()
        .unwrap_or_else(|| panic!("not tagged: {:?}", n.value));
    assert_eq!(m.len(), 1, "{m:?}");
    m.get(tag)
        .unwrap_or_else(|| panic!("expected {tag}, got {:?}", m.keys().collect::<Vec<_>>()))
}

#[test]
fn cloudformation_short_form_tags() {
    let text = CFN;
    let root = one(text);
    let props = get(&root, "Resources.Bucket.Properties");

    let sub = get(props, "BucketName");
    assert_eq!(src(text, sub), "!Sub \"${AWS::StackName}-logs\"");
    let inner = tagged(sub, "!Sub");
    assert_eq!(s(inner), "${AWS::StackName}-logs");
    assert_eq!(
        inner.at, sub.at,
        "the object and the inner node share the span"
    );

    let enc = tagged(get(props, "Encryption"), "!If");
    let args = enc.as_list().unwrap();
    assert_eq!(args.len(), 3);
    assert_eq!(s(&args[0]), "IsProd");
    assert_eq!(s(tagged(&args[1], "!Ref")), "KmsKey");
    assert_eq!(s(tagged(&args[2], "!Ref")), "AWS::NoValue");
    assert_eq!(src(text, &args[2]), "!Ref \"AWS::NoValue\"");
    assert_eq!(
        src(text, get(props, "Encryption")),
        "!If [IsProd, !Ref KmsKey, !Ref \"AWS::NoValue\"]"
    );

    let role = get(props, "Role");
    assert_eq!(s(tagged(role, "!GetAtt")), "Role.Arn");
    assert_eq!(src(text, role), "!GetAtt Role.Arn");

    let policy = tagged(get(props, "Policy"), "!Sub");
    assert!(s(policy).starts_with("{\n  \"Resource\": \"arn:aws:s3:::${Bucket}/*\"\n}"));
    assert!(src(text, policy).starts_with("!Sub |\n        {"));
    assert!(src(text, policy).ends_with('}'));

    let zone = tagged(get(props, "Zone"), "!Select");
    assert_eq!(num(&zone.as_list().unwrap()[0]), 0.0);
    assert_eq!(s(tagged(&zone.as_list().unwrap()[1], "!GetAZs")), "");

    let parts = tagged(get(props, "Parts"), "!Split");
    assert_eq!(
        s(tagged(&parts.as_list().unwrap()[1], "!ImportValue")),
        "Shared-Subnets"
    );
    let joined = tagged(get(props, "Joined"), "!Join");
    assert_eq!(s(tagged(get(joined, "1.1"), "!Ref")), "B");
    let map = tagged(get(props, "Map"), "!FindInMap");
    assert_eq!(s(tagged(get(map, "1"), "!Ref")), "AWS::Region");

    let data = tagged(get(props, "Data"), "!Base64");
    assert_eq!(s(get(data, "Fn::Sub")), "echo ${X}");
    let cidrs = tagged(get(props, "Cidrs"), "!Cidr");
    assert_eq!(s(tagged(get(cidrs, "0"), "!GetAtt")), "Vpc.CidrBlock");
    assert!(tagged(get(props, "Empty"), "!GetAZs").is_null());

    let both = tagged(get(props, "Both"), "!And");
    assert_eq!(s(tagged(get(both, "0"), "!Condition")), "IsProd");
    let or = tagged(get(tagged(get(both, "1"), "!Not"), "0"), "!Or");
    assert_eq!(s(tagged(get(or, "1"), "!Condition")), "B");

    let eq = tagged(get(&root, "Conditions.IsProd"), "!Equals");
    assert_eq!(s(tagged(get(eq, "0"), "!Ref")), "Env");

    let transform = tagged(get(&root, "Transform"), "!Transform");
    assert_eq!(s(get(transform, "Name")), "AWS::Include");
    assert_eq!(s(get(transform, "Parameters.Location")), "s3://x");
}

#[test]
fn local_tags_on_odd_places() {
    let root = one("a: !Ref 12\nb: !Custom {x: 1}\n!Ref key: v\nc: !!binary aGk=\nd: !<!Ref> Z\n");
    assert_eq!(num(tagged(get(&root, "a"), "!Ref")), 12.0);
    assert_eq!(num(get(tagged(get(&root, "b"), "!Custom"), "x")), 1.0);
    assert_eq!(s(get(&root, "key")), "v", "a tag on a key is dropped");
    assert_eq!(s(get(&root, "c")), "aGk=", "unknown !! tags are ignored");
    assert_eq!(s(tagged(get(&root, "d"), "!Ref")), "Z");
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

const K8S_LIST: &str = r#"apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web, tier: "frontend"}
    spec:
      replicas: 3
      template:
        spec:
          containers:
            - name: web
              image: nginx:1.25
              ports:
                - containerPort: 8080
                  protocol: TCP
              securityContext:
                privileged: false
                runAsNonRoot: yes
              env:
                - {name: MODE, value: "on"}
          volumes:
            - name: secret
              secret:
                secretName: creds
                defaultMode: 0644
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      ports: [{port: 80, targetPort: 8080}]
"#;

#[test]
fn kubernetes_list_manifest() {
    let text = K8S_LIST;
    let root = one(text);
    assert_eq!(s(get(&root, "kind")), "List");
    let items = get(&root, "items").as_list().unwrap();
    assert_eq!(items.len(), 2);
    let dep = &items[0];
    assert_eq!(s(get(dep, "metadata.labels.tier")), "frontend");
    assert_eq!(num(get(dep, "spec.replicas")), 3.0);
    let c = get(dep, "spec.template.spec.containers.0");
    assert_eq!(s(get(c, "image")), "nginx:1.25");
    assert_eq!(src(text, get(c, "image")), "nginx:1.25");
    assert_eq!(num(get(c, "ports.0.containerPort")), 8080.0);
    assert_eq!(
        get(c, "securityContext.privileged").value,
        Value::Bool(false)
    );
    assert_eq!(s(get(c, "securityContext.runAsNonRoot")), "yes");
    assert_eq!(s(get(c, "env.0.value")), "on");
    let mode = get(dep, "spec.template.spec.volumes.0.secret.defaultMode");
    assert_eq!(
        num(mode),
        420.0,
        "0644 is octal, as the API server reads it"
    );
    assert_eq!(src(text, mode), "0644");
    assert_eq!(num(get(&items[1], "spec.ports.0.targetPort")), 8080.0);
    assert!(src(text, dep).starts_with("apiVersion: apps/v1"));
    assert!(src(text, dep).ends_with("defaultMode: 0644"));
}

// ---------------------------------------------------------------------------------------------
// Scalars and keys

#[test]
fn scalar_schema() {
    let text = r#"
yes: yes
no: no
on: on
off: off
y: y
n: n
t1: true
t2: True
t3: TRUE
f1: false
f2: FALSE
null1: null
null2: ~
null3:
null4: NULL
hex: 0x1F
oct: 0o17
leading_zero: 010
not_octal: 09
dec: -42
plus: +7
exp: 1e3
float: 3.25
dot: .5
inf: .inf
ninf: -.Inf
nan: .NaN
under: 1_000
version: 1.2.3
time: 12:30
date: 2024-01-01
big: 12345678901234567890
q_true: "true"
q_num: '123'
q_null: "null"
q_empty: ""
inf_word: inf
"#;
    let root = one(text);
    for k in ["yes", "no", "on", "off", "y", "n"] {
        assert_eq!(s(get(&root, k)), k, "YAML 1.1 booleans stay strings");
    }
    for (k, b) in [
        ("t1", true),
        ("t2", true),
        ("t3", true),
        ("f1", false),
        ("f2", false),
    ] {
        assert_eq!(get(&root, k).value, Value::Bool(b), "{k}");
    }
    for k in ["null1", "null2", "null3", "null4"] {
        assert!(get(&root, k).is_null(), "{k}");
    }
    for (k, n) in [
        ("hex", 31.0),
        ("oct", 15.0),
        ("leading_zero", 8.0),
        ("not_octal", 9.0),
        ("dec", -42.0),
        ("plus", 7.0),
        ("exp", 1000.0),
        ("float", 3.25),
        ("dot", 0.5),
        ("inf", f64::INFINITY),
        ("ninf", f64::NEG_INFINITY),
        ("big", 12_345_678_901_234_567_890.0),
    ] {
        assert_eq!(num(get(&root, k)), n, "{k}");
    }
    assert!(num(get(&root, "nan")).is_nan());
    for (k, v) in [
        ("under", "1_000"),
        ("version", "1.2.3"),
        ("time", "12:30"),
        ("date", "2024-01-01"),
        ("q_true", "true"),
        ("q_num", "123"),
        ("q_null", "null"),
        ("q_empty", ""),
        ("inf_word", "inf"),
    ] {
        assert_eq!(s(get(&root, k)), v, "{k}");
    }
}

#[test]
fn core_tags() {
    let root = one(
        "s: !!str 12\ni: !!int \"12\"\nh: !!int 0x10\nb: !!bool \"true\"\nf: !!float 1\nn: !!null \"\"\nm: !!map {a: 1}\nq: !!seq [1]\nv: !<tag:yaml.org,2002:str> 5\nns: ! 12\nts: !!timestamp 2001-12-14\nset: !!set {a, b}\n",
    );
    assert_eq!(s(get(&root, "s")), "12");
    assert_eq!(num(get(&root, "i")), 12.0);
    assert_eq!(num(get(&root, "h")), 16.0);
    assert_eq!(get(&root, "b").value, Value::Bool(true));
    assert_eq!(num(get(&root, "f")), 1.0);
    assert!(get(&root, "n").is_null());
    assert_eq!(num(get(&root, "m.a")), 1.0);
    assert_eq!(num(get(&root, "q.0")), 1.0);
    assert_eq!(s(get(&root, "v")), "5");
    assert_eq!(
        s(get(&root, "ns")),
        "12",
        "the non-specific tag makes a string"
    );
    assert_eq!(s(get(&root, "ts")), "2001-12-14");
    assert!(get(&root, "set.a").is_null());

    let text = "a: 1\nb: !!int abc\n";
    let e = err(text);
    assert_eq!(e.offset as usize, text.find("!!int").unwrap());
    assert!(e.message.en.contains("!!int"), "{e}");
    let text = "a: !!str [1]\n";
    let e = err(text);
    assert_eq!(e.offset as usize, text.find("!!str").unwrap());
    assert_eq!(e.message.en, "tag !!str cannot be applied to a sequence");
    assert_eq!(
        err("a: !!map x\n").message.en,
        "tag !!map cannot be applied to a scalar"
    );
    assert!(err("a: !!seq {}\n").message.en.contains("!!seq"));
}

#[test]
fn keys_are_the_text_of_scalars() {
    let text = "1: one\ntrue: yes\n1.0: f\nnull: n\n~: tilde\n'quoted': q\n12345678901234567890: big\n0x1F: hex\n";
    let root = one(text);
    let keys: Vec<&str> = root.as_object().unwrap().keys().map(|k| &**k).collect();
    assert_eq!(
        keys,
        [
            "0x1F",
            "1",
            "1.0",
            "12345678901234567890",
            "null",
            "quoted",
            "true",
            "~"
        ]
    );
}

#[test]
fn complex_keys_are_errors() {
    let text = "a: 1\n? [x, y]\n: 2\n";
    let e = err(text);
    assert_eq!(e.message.en, "complex mapping keys are not supported");
    assert_eq!(e.offset as usize, text.find('[').unwrap());
    let text = "m: {{k: v}: 1}\n";
    let e = err(text);
    assert_eq!(e.message.en, "complex mapping keys are not supported");
    assert_eq!(e.offset, 4);
    let text = "a: &l [1]\nb:\n  *l : 2\n";
    let e = err(text);
    assert_eq!(e.message.en, "complex mapping keys are not supported");
    assert_eq!(e.offset as usize, text.find("*l").unwrap());
}

#[test]
fn aliased_scalar_as_key() {
    let root = one("a: &k name\nb: {*k : v}\n");
    assert_eq!(s(get(&root, "b.name")), "v");
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let text = "a: 1\nb: x\na: 2\nc: {k: 1, k: 3}\n1: p\n\"1\": q\n";
    let root = one(text);
    assert_eq!(num(get(&root, "a")), 2.0);
    assert_eq!(src(text, get(&root, "a")), "2");
    assert_eq!(num(get(&root, "c.k")), 3.0);
    assert_eq!(s(get(&root, "1")), "q");
}

// ---------------------------------------------------------------------------------------------
// Anchors, aliases and merge keys

#[test]
fn aliases_copy_the_anchored_node() {
    let text = "base: &b {cpu: 1, mem: 2Gi}\nx: *b\ny: &s hello\nz: [*s, *s]\n";
    let root = one(text);
    let x = get(&root, "x");
    assert_eq!(src(text, x), "*b", "the copy sits where the alias is");
    assert_eq!(s(get(x, "mem")), "2Gi");
    assert_eq!(src(text, get(x, "mem")), "2Gi");
    assert!(
        get(x, "mem").at.start < x.at.start,
        "inside, positions of the anchor"
    );
    assert_eq!(s(get(&root, "z.1")), "hello");
    assert_eq!(src(text, get(&root, "z.1")), "*s");
    assert_eq!(src(text, get(&root, "y")), "&s hello");
}

#[test]
fn merge_keys() {
    let text = r#"
defaults: &defaults
  adapter: postgres
  host: localhost
  port: 5432
extra: &extra {pool: 5, host: other}
dev:
  <<: *defaults
  host: dev.example
after:
  host: first
  <<: *defaults
many:
  <<: [*defaults, *extra]
  port: 1
inline:
  <<: {a: 1}
  b: 2
quoted:
  "<<": not a merge
"#;
    let root = one(text);
    let dev = get(&root, "dev");
    assert_eq!(s(get(dev, "adapter")), "postgres");
    assert_eq!(s(get(dev, "host")), "dev.example");
    assert!(dev.as_object().unwrap().get("<<").is_none());
    assert_eq!(
        s(get(&root, "after.host")),
        "first",
        "written keys win wherever they are"
    );
    let many = get(&root, "many");
    assert_eq!(
        s(get(many, "host")),
        "localhost",
        "earlier merged mappings win"
    );
    assert_eq!(num(get(many, "pool")), 5.0);
    assert_eq!(num(get(many, "port")), 1.0);
    assert_eq!(num(get(&root, "inline.a")), 1.0);
    assert_eq!(s(get(&root, "quoted.<<")), "not a merge");
    assert_eq!(
        src(text, get(dev, "port")),
        "5432",
        "merged values point at where they were written"
    );
}

#[test]
fn billion_laughs_is_stopped() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..12u8 {
        let prev = char::from(b'a' + i - 1);
        let cur = char::from(b'a' + i);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
    }
    let e = err(&text);
    assert_eq!(e.message.en, "alias expansion exceeds 100000 nodes");
    assert_eq!(&text[e.offset as usize..][..1], "*");
}

#[test]
fn alias_budget_is_configurable_and_counts_every_node() {
    let text = "a: &a [1, 2]\nb: *a\nc: *a\n";
    let limits = |n| Limits {
        max_alias_nodes: n,
        ..Limits::default()
    };
    assert!(parse_with(FILE, text, &limits(6)).is_ok());
    let e = parse_with(FILE, text, &limits(5)).unwrap_err();
    assert_eq!(e.message.en, "alias expansion exceeds 5 nodes");
    assert_eq!(e.offset as usize, text.rfind('*').unwrap());
}

#[test]
fn anchors_do_not_cross_documents() {
    let text = "a: &x 1\n---\nb: *x\n";
    let e = err(text);
    assert_eq!(e.offset as usize, text.find("*x").unwrap());
}

#[test]
fn unknown_alias_is_an_error() {
    let text = "a: *nope\n";
    let e = err(text);
    assert_eq!(e.offset, 3);
    assert!(e.message.en.contains("unknown anchor"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Depth

#[test]
fn deep_flow_nesting_is_an_error_not_a_stack_overflow() {
    let text = "[".repeat(100_000);
    let e = err(&text);
    assert!(e.offset <= 256, "{e}");
    let text = "a: ".to_string() + &"{k: ".repeat(100_000);
    err(&text);
}

#[test]
fn deep_block_nesting_is_an_error_not_a_stack_overflow() {
    let text = "- ".repeat(100_000) + "x\n";
    let e = err(&text);
    assert_eq!(e.message.en, "nesting deeper than 256 levels");
    assert_eq!(e.offset, 256 * 2, "at the 257th sequence");

    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    let e = err(&text);
    assert_eq!(e.message.en, "nesting deeper than 256 levels");
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let text = "- ".repeat(256) + "x\n";
    let root = one(&text);
    let mut n = &root;
    let mut depth = 0;
    while let Some(l) = n.as_list() {
        n = &l[0];
        depth += 1;
    }
    assert_eq!(depth, 256);
    assert_eq!(s(n), "x");
    err(&("- ".repeat(257) + "x\n"));

    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(parse_with(FILE, "a: {b: [1]}", &limits).is_ok());
    assert!(parse_with(FILE, "a: {b: [[1]]}", &limits).is_err());
    // A local tag's object counts as a level.
    assert!(parse_with(FILE, "a: {b: !Ref x}", &limits).is_ok());
    assert!(parse_with(FILE, "a: {b: [!Ref x]}", &limits).is_err());
    assert!(parse_with(FILE, "a: {b: !If [x]}", &limits).is_err());
}

#[test]
fn aliases_cannot_smuggle_depth() {
    let limits = Limits {
        max_depth: 4,
        ..Limits::default()
    };
    let text = "a: &d [[[1]]]\nb: *d\n";
    assert!(parse_with(FILE, text, &limits).is_ok());
    let text = "a: &d [[[1]]]\nb: [*d]\n";
    let e = parse_with(FILE, text, &limits).unwrap_err();
    assert_eq!(e.message.en, "nesting deeper than 4 levels");
    assert_eq!(e.offset as usize, text.find("*d").unwrap());
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn invalid_yaml_errors_carry_byte_offsets() {
    let text = "名前: 値\nb: [1, 2\n";
    let e = err(text);
    assert!(!e.message.en.is_empty() && !e.message.en.contains('\n'));
    assert!(e.offset as usize > text.find('[').unwrap(), "{e}");

    let text = "データ: \"unterminated\n";
    let e = err(text);
    assert_eq!(e.offset as usize, text.find('"').unwrap(), "{e}");
    assert!(e.message.en.contains("quoted scalar"), "{e}");

    let text = "a: 1\n b: 2\n";
    let e = err(text);
    assert!(e.offset as usize >= text.find('b').unwrap() - 1, "{e}");

    let text = "a:\n\t- tab\n";
    err(text);

    let text = "key: value: other\n";
    let e = err(text);
    assert!(e.offset >= 3, "{e}");
}

#[test]
fn error_display_names_the_offset() {
    let e = err("a: [\n");
    assert!(e.to_string().contains(&format!("at byte {}", e.offset)));
}

#[test]
fn truncating_a_real_manifest_anywhere_never_panics() {
    for text in [
        K8S_LIST,
        CFN,
        "\u{feff}# 日本語\r\na: &x {b: [1, \"ü\"]}\r\nc: *x\r\n---\r\nd: |\r\n  x\r\n",
    ] {
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let cut = &text[..i];
            match parse(FILE, cut) {
                Ok(d) => d.iter().for_each(|d| check_spans(cut, d)),
                Err(e) => assert!(
                    (e.offset as usize) <= cut.len() && cut.is_char_boundary(e.offset as usize),
                    "{e} for {i}"
                ),
            }
        }
    }
}

#[test]
fn mutated_manifests_never_panic() {
    // A small deterministic generator: replace, insert or delete YAML-significant characters.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<char> = "-:?[]{},&*!|>'\"#%@` \t\n\rx1.~日\u{feff}"
        .chars()
        .collect();
    for base in [K8S_LIST, CFN] {
        for _ in 0..1500 {
            let mut chars: Vec<char> = base.chars().collect();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % (chars.len() + 1);
                let c = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 if at < chars.len() => chars[at] = c,
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.insert(at, c),
                }
            }
            let text: String = chars.into_iter().collect();
            match parse(FILE, &text) {
                Ok(d) => d.iter().for_each(|d| check_spans(&text, d)),
                Err(e) => assert!(text.is_char_boundary(e.offset as usize), "{e}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn ten_megabyte_single_line_scalar() {
    let value = "x".repeat(10 * 1024 * 1024);
    let text = format!("key: {value}\nq: \"{value}\"\n");
    let root = one(&text);
    assert_eq!(s(get(&root, "key")).len(), value.len());
    assert_eq!(src(&text, get(&root, "q")).len(), value.len() + 2);
}

#[test]
fn five_megabyte_manifest() {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!(
            "---\n# デプロイ {n}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{n}\n  labels: {{app: app-{n}, team: 基盤}}\nspec:\n  replicas: {r}\n  template:\n    spec:\n      containers:\n        - name: main\n          image: \"registry.example/app:{n}\"\n          args: [--port, \"8080\", --verbose]\n          securityContext:\n            privileged: false\n            allowPrivilegeEscalation: false\n          resources: {{limits: {{cpu: 500m, memory: 256Mi}}}}\n          volumeMounts:\n            - {{name: data, mountPath: /data, readOnly: true}}\n            - {{name: config, mountPath: /etc/app}}\n        - name: sidecar\n          image: 'registry.example/proxy@sha256:{n:064x}'\n          ports:\n            - containerPort: 15001\n              protocol: TCP\n      volumes:\n        - name: data\n          persistentVolumeClaim: {{claimName: data-{n}}}\n        - name: config\n          configMap: {{name: app-config, defaultMode: 0440}}\n",
            r = n % 5
        ));
        n += 1;
    }
    let d = docs(&text);
    assert_eq!(d.len(), n);
    let last = &d[n - 1].root;
    assert_eq!(s(get(last, "metadata.name")), format!("app-{}", n - 1));
    assert_eq!(src(&text, get(last, "metadata.labels.team")), "基盤");
    assert_eq!(
        src(&text, get(last, "spec.template.spec.containers.0.image")),
        format!("\"registry.example/app:{}\"", n - 1)
    );
}

// ---------------------------------------------------------------------------------------------
// What libyaml (PyYAML) and go-yaml (kubectl) accept, and saphyr-parser 0.3 did not

#[test]
fn quoted_continuation_lines_at_the_key_indentation() {
    // Gatekeeper constraint templates write long descriptions this way; kubectl applies them.
    let text = "metadata:\n  annotations:\n    description: \"Requires containers to have\n    memory limits set.\"\n";
    let root = one(text);
    assert_eq!(
        s(get(&root, "metadata.annotations.description")),
        "Requires containers to have memory limits set."
    );
}

#[test]
fn flow_sequence_closed_at_the_entry_indentation() {
    let text = "- args: [\n    a,\n    b\n  ]\n  name: x\n";
    let root = one(text);
    assert_eq!(s(get(&root, "0.args.1")), "b");
    assert_eq!(s(get(&root, "0.name")), "x");
}

#[test]
fn tag_directly_before_a_comma_in_a_flow_collection() {
    // libyaml reads a tagged empty node; the port kijun uses would panic on it (shift.rs).
    let text = "a: [!!str, b, !Ref,c]\nd: \"keep !x,y as is\"\ne: x !y,z\n";
    let root = one(text);
    assert_eq!(s(get(&root, "a.0")), "");
    assert_eq!(s(get(&root, "a.1")), "b");
    assert_eq!(src(text, get(&root, "a.1")), "b");
    assert_eq!(src(text, get(&root, "a.3")), "c");
    assert_eq!(s(get(&root, "d")), "keep !x,y as is");
    assert_eq!(src(text, get(&root, "d")), "\"keep !x,y as is\"");
    assert_eq!(s(get(&root, "e")), "x !y,z");
    assert_eq!(src(text, &root), text.trim_end());
}

#[test]
fn block_scalar_running_to_the_end_without_a_line_break() {
    assert_eq!(s(get(&one("a: |\n  x\n  y"), "a")), "x\ny");
    assert_eq!(s(get(&one("a: |+\n  x"), "a")), "x");
    assert_eq!(s(get(&one("a: |+\n  x\n  "), "a")), "x\n");
    assert_eq!(s(get(&one("a: |\n  x\n  "), "a")), "x\n");
    assert_eq!(s(get(&one("a: >-\n  x\n  y"), "a")), "x y");
    // The last line is content: one space more than the indentation.
    assert_eq!(s(get(&one("a: |\n  x\n   "), "a")), "x\n ");
    assert_eq!(s(get(&one("a: |\n  x\n"), "a")), "x\n");
}

#[test]
fn a_redefined_anchor_replaces_the_earlier_one() {
    // YAML 1.2 and go-yaml: an alias refers to the most recent node with that anchor.
    let root = one("a: &x 1\nb: &x 2\nc: *x\n");
    assert_eq!(num(get(&root, "c")), 2.0);
}

#[test]
fn merging_anything_but_mappings_is_an_error() {
    // As in PyYAML and go-yaml.
    let text = "a: &x 1\nb:\n  <<: *x\n";
    let e = err(text);
    assert_eq!(e.offset as usize, text.find("*x").unwrap());
    assert!(e.message.en.contains("merge key"), "{e}");
    err("b:\n  <<: [{a: 1}, 2]\n");
    // A quoted "<<" is an ordinary key.
    assert_eq!(num(get(&one("b:\n  \"<<\": 1\n"), "b.<<")), 1.0);
}
