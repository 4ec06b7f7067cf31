#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The evaluator on its own: variables, locals, modules, loops, functions, unknowns, cycles.

use kijun_model::{Model, Node, Resource, SourceFile, Sources, Value};
use kijun_terraform::{scan, Loader, Options};
use std::collections::BTreeMap;

/// Serves module directories from an in-memory tree.
struct MapLoader(BTreeMap<String, String>);

impl Loader for MapLoader {
    fn module_files(&self, dir: &str) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(p, _)| {
                p.rsplit_once('/').map(|(d, _)| d) == Some(dir)
                    && (p.ends_with(".tf") || p.ends_with(".tf.json"))
            })
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect()
    }
    fn read(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}

/// Scans `scanned` (path, text) with `extra` files reachable only through the loader.
fn run_with(scanned: &[(&str, &str)], extra: &[(&str, &str)], opts: &Options) -> (Sources, Model) {
    let mut sources = Sources::new();
    let ids: Vec<u32> = scanned
        .iter()
        .map(|(p, t)| sources.add(SourceFile::new(*p, *t)))
        .collect();
    let loader = MapLoader(
        extra
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    );
    let model = scan(&mut sources, &ids, &loader, opts);
    (sources, model)
}

fn run(files: &[(&str, &str)]) -> Model {
    run_with(files, &[], &Options::default()).1
}

fn res<'a>(m: &'a Model, address: &str) -> &'a Resource {
    m.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address} in {:?}",
                m.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
            )
        })
}

fn s(n: &Node) -> String {
    match &n.value {
        Value::String(s) => s.to_string(),
        other => format!("{other:?}"),
    }
}

fn attr<'a>(m: &'a Model, address: &str, key: &str) -> &'a Node {
    res(m, address)
        .get(key)
        .unwrap_or_else(|| panic!("{address} has no {key}"))
}

#[test]
fn variable_precedence_default_tfvars_auto_varfile_cli() {
    let main = r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
resource "null_resource" "x" {
  triggers = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }
}
"#;
    let files = [
        ("env/main.tf", main),
        (
            "env/terraform.tfvars",
            "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\n",
        ),
        (
            "env/z.auto.tfvars",
            "c = \"auto\"\nd = \"auto\"\ne = \"auto\"\n",
        ),
    ];
    let opts = Options {
        var_files: vec![(
            "prod.tfvars".into(),
            "d = \"varfile\"\ne = \"varfile\"\n".into(),
        )],
        vars: vec![("e".into(), "cli".into())],
        ..Options::default()
    };
    let (_, m) = run_with(&files, &[], &opts);
    let t = attr(&m, "null_resource.x", "triggers");
    let got: Vec<String> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|k| s(t.child(k).unwrap()))
        .collect();
    assert_eq!(got, ["default", "tfvars", "auto", "varfile", "cli"]);
}

#[test]
fn provenance_names_the_variable_and_where_it_was_set() {
    let files = [
        ("main.tf", "variable \"enc\" {\n  default = true\n}\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = var.enc\n}\n"),
        ("terraform.tfvars", "enc = false\n"),
    ];
    let (sources, m) = run_with(&files, &[], &Options::default());
    let n = attr(&m, "aws_ebs_volume.v", "encrypted");
    assert_eq!(n.as_bool(), Some(false));
    // The value points at the attribute in the resource, and remembers the tfvars line.
    assert_eq!(sources.path(n.at.file), "main.tf");
    assert_eq!(sources.position(n.at).0, 5);
    let from = n.from.as_ref().unwrap();
    assert_eq!(from.via, "var.enc");
    assert_eq!(sources.path(from.at.file), "terraform.tfvars");
}

#[test]
fn locals_conditionals_for_expressions_and_functions() {
    let main = r#"
locals {
  env    = "prod"
  names  = ["a", "b", "c"]
  upper  = [for n in local.names : upper(n) if n != "b"]
  byname = { for n in local.names : n => length(n) }
  tags   = merge({ env = local.env }, { team = "ops" }, { env = "override" })
  cidr   = cidrsubnet("10.0.0.0/16", 8, 2)
  fmt    = format("%s-%03d", local.env, 7)
  joined = join(",", concat(local.names, ["d"]))
  parts  = split("/", "a/b/c")
  pick   = lookup({ x = 1 }, "y", 42)
  first  = coalesce("", null, "fallback")
  tried  = try(local.names[10], "caught")
  flag   = contains(local.names, "b") ? "yes" : "no"
  num    = tonumber("12") + 1
  str    = tostring(5)
  set    = length(toset(["x", "x", "y"]))
  json   = jsonencode({ a = 1 })
  tmpl   = "${local.env}-%{if local.env == "prod"}p%{else}d%{endif}"
}
resource "null_resource" "x" {
  triggers = {
    upper = join(",", local.upper)
    b     = local.byname["b"]
    tags  = "${local.tags.env}/${local.tags.team}"
    cidr  = local.cidr
    fmt   = local.fmt
    joined = local.joined
    parts = length(local.parts)
    pick  = local.pick
    first = local.first
    tried = local.tried
    flag  = local.flag
    num   = local.num
    str   = local.str
    set   = local.set
    json  = local.json
    tmpl  = local.tmpl
  }
}
"#;
    let m = run(&[("main.tf", main)]);
    let t = attr(&m, "null_resource.x", "triggers");
    let get = |k: &str| {
        t.child(k).map(|n| match &n.value {
            Value::Number(x) => kijun_model::format_number(*x),
            _ => s(n),
        })
    };
    assert_eq!(get("upper").unwrap(), "A,C");
    assert_eq!(get("b").unwrap(), "1");
    assert_eq!(get("tags").unwrap(), "override/ops");
    assert_eq!(get("cidr").unwrap(), "10.0.2.0/24");
    assert_eq!(get("fmt").unwrap(), "prod-007");
    assert_eq!(get("joined").unwrap(), "a,b,c,d");
    assert_eq!(get("parts").unwrap(), "3");
    assert_eq!(get("pick").unwrap(), "42");
    assert_eq!(get("first").unwrap(), "fallback");
    assert_eq!(get("tried").unwrap(), "caught");
    assert_eq!(get("flag").unwrap(), "yes");
    assert_eq!(get("num").unwrap(), "13");
    assert_eq!(get("str").unwrap(), "5");
    assert_eq!(get("set").unwrap(), "2");
    assert_eq!(get("json").unwrap(), "{\"a\":1}");
    assert_eq!(get("tmpl").unwrap(), "prod-p");
    assert!(m.errors.is_empty(), "{:?}", m.errors);
}

#[test]
fn count_and_for_each_expand_with_addresses() {
    let main = r#"
resource "aws_instance" "web" {
  count         = 3
  instance_type = count.index == 0 ? "t3.large" : "t3.small"
}
resource "aws_s3_bucket" "b" {
  for_each = { logs = "x-logs", data = "x-data" }
  bucket   = each.value
}
resource "aws_iam_user" "u" {
  for_each = toset(["alice", "bob"])
  name     = each.key
}
resource "aws_instance" "none" {
  count = 0
}
"#;
    let m = run(&[("main.tf", main)]);
    let addrs: Vec<&str> = m.resources.iter().map(|r| r.address.as_str()).collect();
    for a in [
        "aws_instance.web[0]",
        "aws_instance.web[2]",
        "aws_s3_bucket.b[\"logs\"]",
        "aws_iam_user.u[\"bob\"]",
    ] {
        assert!(addrs.contains(&a), "{a} missing from {addrs:?}");
    }
    assert!(!addrs.iter().any(|a| a.starts_with("aws_instance.none")));
    assert_eq!(
        s(attr(&m, "aws_instance.web[0]", "instance_type")),
        "t3.large"
    );
    assert_eq!(
        s(attr(&m, "aws_instance.web[1]", "instance_type")),
        "t3.small"
    );
    assert_eq!(s(attr(&m, "aws_s3_bucket.b[\"data\"]", "bucket")), "x-data");
}

#[test]
fn huge_count_and_for_each_are_errors_not_hangs() {
    let main = r#"
resource "aws_instance" "many" {
  count = 2000000000
}
locals { big = range(3000000000) }
resource "aws_s3_bucket" "b" {
  for_each = toset([for i in local.big : tostring(i)])
}
"#;
    let m = run(&[("main.tf", main)]);
    assert!(m.resources.is_empty() || m.resources.iter().all(|r| !r.address.contains("many[")));
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("count = 2000000000")),
        "{:?}",
        m.errors
    );
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    // The range() failure makes for_each unknown: exactly one placeholder instance, `[*]`, not
    // billions and not none (a resource that vanished would pass every rule unseen).
    let addrs: Vec<&str> = m.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addrs, ["aws_s3_bucket.b[*]"]);
}

#[test]
fn dynamic_blocks_expand_with_iterators() {
    let main = r#"
variable "rules" {
  default = [
    { port = 22, cidrs = ["0.0.0.0/0"] },
    { port = 443, cidrs = ["10.0.0.0/8"] },
  ]
}
resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
}
"#;
    let (sources, m) = run_with(&[("main.tf", main)], &[], &Options::default());
    let ingress = attr(&m, "aws_security_group.sg", "ingress");
    let items = ingress.as_list().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].child("from_port").unwrap().as_f64(), Some(22.0));
    let cidr = &items[0].child("cidr_blocks").unwrap().as_list().unwrap()[0];
    assert_eq!(s(cidr), "0.0.0.0/0");
    // The cidr came from the variable default; the finding position is inside the resource,
    // on the `cidr_blocks` line of the content block, with the default as provenance.
    assert_eq!(sources.position(cidr.at).0, 17);
    assert!(cidr.from.is_some());
}

#[test]
fn local_modules_nested_with_inputs_providers_and_default_tags() {
    let root = r#"
provider "aws" {
  region = "ap-northeast-1"
  default_tags {
    tags = { kijun-confidentiality = "3" }
  }
}
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
module "net" {
  source = "./modules/net"
  cidr   = "10.1.0.0/16"
  providers = { aws = aws.dr }
}
module "app" {
  source = "./modules/app"
  count  = 2
  name   = "app-${count.index}"
}
"#;
    let net = r#"
variable "cidr" {}
resource "aws_vpc" "this" { cidr_block = var.cidr }
module "subnets" {
  source = "../subnets"
  vpc_cidr = aws_vpc.this.cidr_block
}
"#;
    let subnets = r#"
variable "vpc_cidr" {}
resource "aws_subnet" "a" { cidr_block = cidrsubnet(var.vpc_cidr, 8, 1) }
"#;
    let app = r#"
variable "name" {}
resource "aws_sqs_queue" "q" { name = var.name }
"#;
    let (_, m) = run_with(
        &[("main.tf", root)],
        &[
            ("modules/net/main.tf", net),
            ("modules/subnets/main.tf", subnets),
            ("modules/app/main.tf", app),
        ],
        &Options::default(),
    );
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let vpc = res(&m, "module.net.aws_vpc.this");
    assert_eq!(s(vpc.get("cidr_block").unwrap()), "10.1.0.0/16");
    assert_eq!(vpc.provider.as_ref().unwrap().display_name(), "aws.dr");
    assert_eq!(
        s(vpc.provider.as_ref().unwrap().region.as_ref().unwrap()),
        "us-west-2"
    );
    // Nested module inherits the provider its parent was given, and reads a configured
    // attribute of a resource through a reference.
    let sub = res(&m, "module.net.module.subnets.aws_subnet.a");
    assert_eq!(s(sub.get("cidr_block").unwrap()), "10.1.1.0/24");
    assert_eq!(sub.provider.as_ref().unwrap().display_name(), "aws.dr");
    let q1 = res(&m, "module.app[1].aws_sqs_queue.q");
    assert_eq!(s(q1.get("name").unwrap()), "app-1");
    let dt = q1.provider.as_ref().unwrap().default_tags.as_ref().unwrap();
    assert_eq!(s(dt.child("kijun-confidentiality").unwrap()), "3");
}

#[test]
fn cycles_in_locals_and_modules_are_errors() {
    let main = r#"
locals {
  a = local.b
  b = local.a
}
resource "null_resource" "x" { triggers = { v = local.a } }
module "self" { source = "./" }
"#;
    let (_, m) = run_with(
        &[("main.tf", main)],
        &[("main.tf", main)],
        &Options::default(),
    );
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("cycle: local.")),
        "{:?}",
        m.errors
    );
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("module cycle")),
        "{:?}",
        m.errors
    );
    let v = attr(&m, "null_resource.x", "triggers");
    assert!(v.is_unknown() || v.child("v").unwrap().is_unknown());
}

#[test]
fn deep_local_chains_end() {
    let mut text = String::from("locals {\n");
    for i in 0..2000 {
        text.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    text.push_str(
        "  l2000 = 1\n}\nresource \"null_resource\" \"x\" { triggers = { v = local.l0 } }\n",
    );
    let m = run(&[("main.tf", &text)]);
    // Two thousand references deep is past the evaluation depth limit: the value is unknown,
    // with the reason, and the scan ends without a crash.
    assert_eq!(m.resources.len(), 1);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_unknown_because(
        attr(&m, "null_resource.x", "triggers"),
        "references nested too deeply",
    );
    // A chain well inside the limit is evaluated to its value.
    let mut short = String::from("locals {\n");
    for i in 0..50 {
        short.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    short.push_str(
        "  l50 = \"end\"\n}\nresource \"null_resource\" \"x\" { triggers = { v = local.l0 } }\n",
    );
    let m = run(&[("main.tf", &short)]);
    assert_eq!(
        s(attr(&m, "null_resource.x", "triggers").child("v").unwrap()),
        "end"
    );
}

/// `n` is unknown and its reason says `why`.
fn assert_unknown_because(n: &Node, why: &str) {
    match &n.value {
        Value::Unknown(u) => assert!(u.reason.contains(why), "{:?} lacks {why:?}", u.reason),
        other => panic!("known value {other:?}, expected unknown because {why}"),
    }
}

#[test]
fn unknowns_carry_reasons_and_references() {
    let main = r#"
variable "no_default" {}
data "aws_vpc" "default" { default = true }
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_flow_log" "f" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = data.aws_vpc.default.arn
  iam_role_arn    = var.no_default
}
"#;
    let m = run(&[("main.tf", main)]);
    let f = res(&m, "aws_flow_log.f");
    assert!(f.refs.contains(&"aws_vpc.main".to_string()), "{:?}", f.refs);
    assert!(f.refs.contains(&"data.aws_vpc.default".to_string()));
    let Value::Unknown(u) = &f.get("vpc_id").unwrap().value else {
        panic!()
    };
    assert_eq!(
        u.refs.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        vec!["aws_vpc.main"]
    );
    let Value::Unknown(u) = &f.get("iam_role_arn").unwrap().value else {
        panic!()
    };
    assert!(u.reason.contains("no default"), "{}", u.reason.en);
}

#[test]
fn remote_modules_are_not_evaluated_unless_downloaded() {
    let main = r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  name    = "x"
}
module "remote2" {
  source = "git::https://example.invalid/mod.git"
}
"#;
    let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#;
    let vpc =
        "variable \"name\" {}\nresource \"aws_vpc\" \"this\" { tags = { Name = var.name } }\n";
    let (_, m) = run_with(
        &[("root/main.tf", main)],
        &[
            ("root/.terraform/modules/modules.json", manifest),
            ("root/.terraform/modules/vpc/main.tf", vpc),
        ],
        &Options::default(),
    );
    let v = res(&m, "module.vpc.aws_vpc.this");
    assert_eq!(s(v.get("tags").unwrap().child("Name").unwrap()), "x");
    assert_eq!(m.not_evaluated.len(), 1);
    assert!(m.not_evaluated[0].reason.contains("not downloaded"));
}

#[test]
fn json_syntax_is_read_like_hcl() {
    let main = r#"{
  "variable": { "enc": { "default": false } },
  "resource": {
    "aws_ebs_volume": {
      "v": { "size": 10, "encrypted": "${var.enc}" }
    }
  }
}"#;
    let (sources, m) = run_with(&[("main.tf.json", main)], &[], &Options::default());
    let n = attr(&m, "aws_ebs_volume.v", "encrypted");
    assert_eq!(n.as_bool(), Some(false));
    assert_eq!(sources.position(n.at).0, 5);
}

#[test]
fn a_syntax_error_is_reported_with_position_and_other_files_still_scan() {
    let (sources, m) = run_with(
        &[
            ("a/main.tf", "resource \"x\" \"y\" {\n  a = \n}\n"),
            ("b/main.tf", "resource \"aws_vpc\" \"ok\" {}\n"),
        ],
        &[],
        &Options::default(),
    );
    assert_eq!(m.errors.len(), 1);
    let e = &m.errors[0];
    assert_eq!(sources.path(e.at.file), "a/main.tf");
    let (line, _, _, _) = sources.position(e.at);
    assert!(line >= 2, "error on line {line}");
    assert!(m.resources.iter().any(|r| r.address == "aws_vpc.ok"));
}

#[test]
fn nested_expressions_through_many_locals_do_not_exhaust_the_stack() {
    // Each local nests 60 levels of lists (under hcl-edit's own nesting bound of 64) and refers
    // to the next: evaluation depth is bounded, so this ends with an unknown, never a crash.
    let mut text = String::from("locals {\n");
    for i in 0..200 {
        let open = "[".repeat(60);
        let close = "]".repeat(60);
        text.push_str(&format!("  l{i} = {open}local.l{}{close}\n", i + 1));
    }
    text.push_str(
        "  l200 = 1\n}\nresource \"null_resource\" \"x\" { triggers = { v = local.l0 } }\n",
    );
    let m = run(&[("main.tf", &text)]);
    assert_eq!(m.resources.len(), 1);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_unknown_because(
        attr(&m, "null_resource.x", "triggers"),
        "expression nested too deeply",
    );
}

#[test]
fn module_outputs_carry_values_and_graph_edges() {
    let root = r#"
module "net" {
  source = "./net"
  cidr   = "10.9.0.0/16"
}
resource "aws_flow_log" "f" {
  vpc_id       = module.net.vpc_id
  traffic_type = "ALL"
}
resource "aws_ssm_parameter" "cidr" {
  name  = "cidr"
  type  = "String"
  value = module.net.cidr
}
"#;
    let net = r#"
variable "cidr" {}
resource "aws_vpc" "this" { cidr_block = var.cidr }
output "vpc_id" { value = aws_vpc.this.id }
output "cidr" { value = aws_vpc.this.cidr_block }
"#;
    let (_, m) = run_with(
        &[("main.tf", root)],
        &[("net/main.tf", net)],
        &Options::default(),
    );
    let f = res(&m, "aws_flow_log.f");
    assert!(
        f.refs.contains(&"module.net.aws_vpc.this".to_string()),
        "{:?}",
        f.refs
    );
    assert_eq!(
        s(attr(&m, "aws_ssm_parameter.cidr", "value")),
        "10.9.0.0/16"
    );
}

#[test]
fn variable_types_fill_optional_attributes_and_nullable_false_takes_the_default() {
    let root = r#"
variable "retention" {
  type    = number
  default = "400"
}
module "queues" {
  source = "./modules/queues"
  queues = {
    orders = { name = "orders", extra = "dropped" }
    audit  = { name = "audit", encryption = { kms = "alias/audit" } }
  }
  create = null
  ports  = ["443", 8443]
}
resource "aws_cloudwatch_log_group" "g" { retention_in_days = var.retention }
"#;
    let queues = r#"
variable "queues" {
  type = map(object({
    name       = string
    fifo       = optional(bool, false)
    delay      = optional(number)
    encryption = optional(object({
      kms      = optional(string, "alias/aws/sqs")
      rotation = optional(bool, true)
    }), {})
  }))
}
variable "create" {
  type     = bool
  default  = true
  nullable = false
}
variable "ports" {
  type = list(number)
}
resource "aws_sqs_queue" "q" {
  for_each                   = var.create ? var.queues : {}
  name                       = each.value.name
  fifo_queue                 = each.value.fifo
  delay_seconds              = each.value.delay
  kms_master_key_id          = each.value.encryption.kms
  rotation                   = each.value.encryption.rotation
  extra                      = try(each.value.extra, "absent")
  first_port                 = var.ports[0] + 1
}
"#;
    let (_, m) = run_with(
        &[("main.tf", root)],
        &[("modules/queues/main.tf", queues)],
        &Options::default(),
    );
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let orders = res(&m, "module.queues.aws_sqs_queue.q[\"orders\"]");
    assert_eq!(orders.get("fifo_queue").unwrap().as_bool(), Some(false));
    // optional() without a default is null: the attribute is absent from the resource.
    assert!(orders.get("delay_seconds").is_none_or(|n| n.is_null()));
    // A left-out object takes its default, whose own optional attributes are filled in.
    assert_eq!(s(orders.get("kms_master_key_id").unwrap()), "alias/aws/sqs");
    assert_eq!(orders.get("rotation").unwrap().as_bool(), Some(true));
    // Attributes the type does not declare are dropped by the conversion.
    assert_eq!(s(orders.get("extra").unwrap()), "absent");
    let audit = res(&m, "module.queues.aws_sqs_queue.q[\"audit\"]");
    assert_eq!(s(audit.get("kms_master_key_id").unwrap()), "alias/audit");
    assert_eq!(audit.get("rotation").unwrap().as_bool(), Some(true));
    // list(number) converts the string element; `number` converts the string default.
    assert_eq!(audit.get("first_port").unwrap().as_f64(), Some(444.0));
    let g = res(&m, "aws_cloudwatch_log_group.g");
    assert!(matches!(
        g.get("retention_in_days").unwrap().value,
        Value::Number(n) if n == 400.0
    ));
}

#[test]
fn a_known_false_decides_and_a_known_true_decides_or_even_beside_an_unknown() {
    let main = r#"
data "aws_availability_zones" "available" {}
variable "dedicated_acl" {
  default = false
}
locals {
  subnets = [for az in data.aws_availability_zones.available.names : az]
}
resource "aws_network_acl" "dedicated" {
  count = length(local.subnets) > 0 && var.dedicated_acl ? 1 : 0
}
resource "aws_network_acl" "shared" {
  count = length(local.subnets) > 0 || !var.dedicated_acl ? 1 : 0
}
resource "aws_network_acl" "unknown" {
  count = length(local.subnets) > 0 && !var.dedicated_acl ? 1 : 0
}
"#;
    let m = run(&[("main.tf", main)]);
    let addrs: Vec<&str> = m.resources.iter().map(|r| r.address.as_str()).collect();
    assert!(
        !addrs
            .iter()
            .any(|a| a.starts_with("aws_network_acl.dedicated")),
        "{addrs:?}"
    );
    assert!(addrs.contains(&"aws_network_acl.shared[0]"), "{addrs:?}");
    assert!(addrs.contains(&"aws_network_acl.unknown[*]"), "{addrs:?}");
}

#[test]
fn a_referenced_argument_configured_as_null_is_known_after_apply() {
    let main = r#"
variable "ipv6_cidr" {
  default = null
}
resource "aws_vpc" "this" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
  ipv6_cidr_block                  = var.ipv6_cidr
}
resource "aws_subnet" "a" {
  vpc_id          = aws_vpc.this.id
  cidr_block      = cidrsubnet(aws_vpc.this.cidr_block, 8, 1)
  ipv6_cidr_block = cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, 1)
}
"#;
    let m = run(&[("main.tf", main)]);
    assert_eq!(s(attr(&m, "aws_subnet.a", "cidr_block")), "10.0.1.0/24");
    match &attr(&m, "aws_subnet.a", "ipv6_cidr_block").value {
        Value::Unknown(u) => assert!(u.reason.contains("known after apply"), "{}", u.reason.en),
        other => panic!("expected unknown, got {other:?}"),
    }
}

#[test]
fn regular_expressions_are_evaluated_and_bounded() {
    let main = r#"
locals {
  long        = join("", [for i in range(2000) : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
  big_pattern = join("", [for i in range(5000) : "a"])
}
resource "aws_s3_bucket" "r" {
  bucket  = regex("^[a-z0-9-]+", "portal-docs_2026")
  groups  = regex("(\\d+)\\.(\\d+)", "v1.33")
  named   = regex("(?P<year>\\d{4})-(?P<month>\\d{2})", "on 2026-12-06")
  all     = regexall("[a-z]+[0-9]", "ab1 cd2 e")
  cidr    = replace("10.0.0.0/16", "/\\/\\d+$/", "/24")
  swapped = replace("tokyo-osaka", "/(\\w+)-(\\w+)/", "$2-$1")
  nested  = length(regexall("(a+)+$", "${local.long}!"))
}
resource "aws_s3_bucket" "no_match" {
  bucket = regex("^[0-9]+$", "abc")
}
resource "aws_s3_bucket" "big_pattern" {
  bucket = regex(local.big_pattern, "a")
}
resource "aws_s3_bucket" "blow_up" {
  bucket = replace(local.long, "/a/", local.long)
}
"#;
    let started = std::time::Instant::now();
    let m = run(&[("main.tf", main)]);
    // A nested quantifier over 200 KB is linear, not exponential.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(s(attr(&m, "aws_s3_bucket.r", "bucket")), "portal-docs");
    let list = |n: &Node| -> Vec<String> {
        match &n.value {
            Value::List(v) => v.iter().map(s).collect(),
            other => panic!("not a list: {other:?}"),
        }
    };
    assert_eq!(list(attr(&m, "aws_s3_bucket.r", "groups")), ["1", "33"]);
    let named = attr(&m, "aws_s3_bucket.r", "named");
    assert_eq!(s(named.child("year").unwrap()), "2026");
    assert_eq!(s(named.child("month").unwrap()), "12");
    assert_eq!(list(attr(&m, "aws_s3_bucket.r", "all")), ["ab1", "cd2"]);
    assert_eq!(s(attr(&m, "aws_s3_bucket.r", "cidr")), "10.0.0.0/24");
    assert_eq!(s(attr(&m, "aws_s3_bucket.r", "swapped")), "osaka-tokyo");
    assert_eq!(
        attr(&m, "aws_s3_bucket.r", "nested").as_f64(),
        Some(0.0),
        "no match: the string ends with `!`"
    );
    // No match, a pattern over the size limit, a result over the string limit: the value
    // cannot be had, and the reason says why; never a hang or a guess.
    for (address, want) in [
        ("aws_s3_bucket.no_match", "pattern did not match"),
        ("aws_s3_bucket.big_pattern", "over the limit of 4096"),
        (
            "aws_s3_bucket.blow_up",
            "replace() result exceeds the string size limit",
        ),
    ] {
        let n = attr(&m, address, "bucket");
        match &n.value {
            Value::Unknown(u) => assert!(u.reason.contains(want), "{address}: {}", u.reason.en),
            other => panic!("{address}: {:.200}", format!("{other:?}")),
        }
    }
}
