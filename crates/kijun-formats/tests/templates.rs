#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! CloudFormation and ARM evaluation on their own: parameters, conditions, mappings, intrinsic
//! functions, copy loops, nested deployments, cycles and bounds.

use kijun_formats::{arm, cloudformation, json_to_node};
use kijun_model::{Model, Node, SourceFile, Sources, Value};

fn yaml(text: &str) -> (Sources, Node) {
    let mut s = Sources::new();
    let id = s.add(SourceFile::new("t.yaml", text));
    let docs = kijun_yaml::parse(id, text).unwrap();
    let mut root = docs.into_iter().next().unwrap().root;
    cloudformation::normalise(&mut root, 0);
    (s, root)
}

fn cfn(text: &str, params: &[(&str, &str)]) -> (Sources, Model) {
    let (s, root) = yaml(text);
    let p: Vec<(String, String)> = params
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let m = cloudformation::read(0, text, &root, &p);
    (s, m)
}

fn attr<'a>(m: &'a Model, addr: &str, key: &str) -> &'a Node {
    let r = m
        .resources
        .iter()
        .find(|r| r.address == addr)
        .unwrap_or_else(|| panic!("no {addr}"));
    r.get(key).unwrap_or_else(|| panic!("{addr} has no {key}"))
}

fn text(n: &Node) -> String {
    match &n.value {
        Value::String(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(x) => kijun_model::format_number(*x),
        other => format!("{other:?}"),
    }
}

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Encrypt:
    Type: String
    Default: "true"
  NoDefault:
    Type: String
Mappings:
  Sizes:
    prod: { Size: 100 }
    dev: { Size: 10 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref Encrypt, "true"]]
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: !Select [0, !GetAZs ""]
      Size: !FindInMap [Sizes, !Ref Env, Size]
      Encrypted: !If [Both, true, false]
      Tags:
        - Key: Name
          Value: !Sub "${Env}-data-${AWS::Region}"
        - Key: Plain
          Value: !Join ["-", [!Ref Env, "x"]]
  DevOnly:
    Type: AWS::EC2::Volume
    Condition: NotProd
    Properties:
      Size: 1
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub "key for ${Data}"
      Alias: !Sub "arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Data}"
      KeyPolicy: !Ref NoDefault
      Optional: !Ref AWS::NoValue
"#;

#[test]
fn parameters_conditions_mappings_and_functions() {
    let (_, m) = cfn(TEMPLATE, &[]);
    assert_eq!(text(attr(&m, "Data", "Size")), "100");
    assert_eq!(text(attr(&m, "Data", "Encrypted")), "true");
    assert!(
        attr(&m, "Data", "AvailabilityZone").is_unknown(),
        "GetAZs is known at deployment"
    );
    let tags = attr(&m, "Data", "Tags").as_list().unwrap();
    assert!(
        tags[0].child("Value").unwrap().is_unknown(),
        "AWS::Region is a pseudo parameter"
    );
    assert_eq!(text(tags[1].child("Value").unwrap()), "prod-x");
    // Condition NotProd is false: the resource does not exist.
    assert!(m.resources.iter().all(|r| r.address != "DevOnly"));
    // References to resources are graph edges; NoValue removes the property.
    let key = m.resources.iter().find(|r| r.address == "Key").unwrap();
    assert!(key.refs.contains(&"Data".to_string()), "{:?}", key.refs);
    assert!(key.get("Optional").is_none());
    // A string that is unknown from a pseudo parameter on still names the resource it embeds.
    match &key.get("Alias").unwrap().value {
        Value::Unknown(u) => assert_eq!(u.refs, vec![std::sync::Arc::from("Data")]),
        v => panic!("expected an unknown value, got {v:?}"),
    }
    assert!(
        key.get("KeyPolicy").unwrap().is_unknown(),
        "a parameter without default is unknown"
    );
}

#[test]
fn parameter_overrides_change_conditions() {
    let (_, m) = cfn(TEMPLATE, &[("Env", "dev"), ("Encrypt", "false")]);
    assert_eq!(text(attr(&m, "Data", "Size")), "10");
    assert_eq!(text(attr(&m, "Data", "Encrypted")), "false");
    assert!(m.resources.iter().any(|r| r.address == "DevOnly"));
}

#[test]
fn values_point_where_they_are_used_and_remember_where_they_were_set() {
    let (s, m) = cfn(TEMPLATE, &[]);
    let enc = attr(&m, "Data", "Size");
    assert_eq!(s.position(enc.at).0, 24, "the FindInMap line");
    let r = m.resources.iter().find(|r| r.address == "Data").unwrap();
    assert_eq!(s.position(r.at).0, 20, "the logical id line");
}

#[test]
fn a_condition_cycle_is_an_error_not_a_hang() {
    let t = "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Condition: A\n    Properties:\n      Size: 1\n";
    let (_, m) = cfn(t, &[]);
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("condition cycle")),
        "{:?}",
        m.errors
    );
}

fn arm_read(text: &str) -> (Sources, Model) {
    let mut s = Sources::new();
    let id = s.add(SourceFile::new("t.json", text));
    let tree = kijun_json::parse(text).unwrap();
    let root = json_to_node(id, &tree);
    assert!(arm::is_template(&root));
    let m = arm::read(id, text, &root, &[]);
    (s, m)
}

#[test]
fn arm_parameters_variables_functions_children_and_copy() {
    let t = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "prefix": { "type": "string", "defaultValue": "pa" },
    "location": { "type": "string", "defaultValue": "[resourceGroup().location]" },
    "count": { "type": "int", "defaultValue": 3 }
  },
  "variables": {
    "name": "[toLower(concat(parameters('prefix'), 'Reports'))]",
    "tls": "[if(equals(parameters('prefix'), 'pa'), 'TLS1_2', 'TLS1_0')]"
  },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[variables('name')]",
      "location": "[parameters('location')]",
      "properties": { "minimumTlsVersion": "[variables('tls')]" },
      "resources": [
        { "type": "blobServices", "apiVersion": "2023-01-01", "name": "default", "properties": {} }
      ]
    },
    {
      "type": "Microsoft.Network/publicIPAddresses",
      "apiVersion": "2023-09-01",
      "name": "[format('{0}-ip-{1}', parameters('prefix'), copyIndex(1))]",
      "location": "japaneast",
      "copy": { "name": "ips", "count": "[parameters('count')]" },
      "properties": {}
    },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {
        "mode": "Incremental",
        "parameters": { "vaultName": { "value": "kv-inner" } },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "vaultName": { "type": "string" } },
          "resources": [
            { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('vaultName')]", "location": "japanwest", "properties": {} }
          ]
        }
      }
    }
  ]
}"#;
    let (_, m) = arm_read(t);
    let addrs: Vec<&str> = m.resources.iter().map(|r| r.address.as_str()).collect();
    for a in [
        "Microsoft.Storage/storageAccounts/pareports",
        "Microsoft.Storage/storageAccounts/blobServices/pareports/default",
        "Microsoft.Network/publicIPAddresses/pa-ip-1",
        "Microsoft.Network/publicIPAddresses/pa-ip-3",
        "Microsoft.KeyVault/vaults/kv-inner",
    ] {
        assert!(addrs.contains(&a), "{a} missing from {addrs:?}");
    }
    let sa = m
        .resources
        .iter()
        .find(|r| r.address == "Microsoft.Storage/storageAccounts/pareports")
        .unwrap();
    assert!(
        sa.get("location").unwrap().is_unknown(),
        "resourceGroup().location follows the group"
    );
    assert_eq!(
        text(
            sa.get("properties")
                .unwrap()
                .child("minimumTlsVersion")
                .unwrap()
        ),
        "TLS1_2"
    );
}

#[test]
fn arm_bounds_and_cycles() {
    let t = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": { "a": "[variables('b')]", "b": "[variables('a')]" },
  "resources": [
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "[variables('a')]", "location": "japaneast" },
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "many", "location": "japaneast", "copy": { "name": "x", "count": 2000000000 } }
  ]
}"#;
    let (_, m) = arm_read(t);
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("variable cycle")),
        "{:?}",
        m.errors
    );
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("over the limit")),
        "{:?}",
        m.errors
    );
    assert!(m.resources.len() <= 2);
}

#[test]
fn arm_nested_template_reads_the_parent_scope_by_default() {
    let t = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "site": { "type": "string", "defaultValue": "japanwest" } },
  "variables": { "vaultName": "[concat('kv-', parameters('site'))]" },
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "outer-by-default",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[variables('vaultName')]", "location": "[parameters('site')]", "properties": {} }
          ]
        }
      }
    },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner-scope",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "site": { "type": "string", "defaultValue": "japaneast" } },
          "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-inner", "location": "[parameters('site')]", "properties": {} }
          ]
        }
      }
    }
  ]
}"#;
    let (_, m) = arm_read(t);
    assert_eq!(
        text(attr(
            &m,
            "Microsoft.KeyVault/vaults/kv-japanwest",
            "location"
        )),
        "japanwest"
    );
    assert_eq!(
        text(attr(
            &m,
            "Microsoft.Network/virtualNetworks/vnet-inner",
            "location"
        )),
        "japaneast",
        "an inner-scope template reads its own parameters"
    );
}

#[test]
fn helm_detection_leaves_dynamic_references_and_workflow_expressions_alone() {
    use kijun_formats::kubernetes::helm_template;
    let cfn = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:secretsmanager:db-secret}}'\n      StorageEncrypted: false\n";
    assert!(helm_template(0, cfn).is_none());
    let cfn_script = "Resources:\n  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      UserData: !Base64 |\n        docker inspect --format '{{.State.Status}}' app\n";
    assert!(helm_template(0, cfn_script).is_none());
    let metadata = "apiVersion: blueprints.cloud.google.com/v1alpha1\nkind: BlueprintMetadata\nspec:\n  outputs:\n    - name: address_id\n      description: an identifier of the form `projects/{{project}}/addresses/{{name}}`\n";
    assert!(helm_template(0, metadata).is_none());
    let workflow = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.ref }}\n";
    assert!(helm_template(0, workflow).is_none());
    let chart = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n  # {{ in a comment }}\n";
    let ne = helm_template(0, chart).unwrap();
    assert_eq!(ne.at.start as usize, chart.find("{{ .Release").unwrap());
    let workflow_script = "on: issues\njobs:\n  triage:\n    steps:\n      - run: |\n          {{#if github.actor}} actor {{/if}}\n";
    assert!(helm_template(0, workflow_script).is_none());
    let docs_config = "formatter: markdown\ncontent: |-\n  {{ .Header }}\n  {{ .Inputs }}\n";
    assert!(helm_template(0, docs_config).is_none());
    let mixed = "kind: Pod\nsteps:\n  - run: echo ${{ github.sha }} {{ .Values.tag }}\n";
    assert_eq!(
        helm_template(0, mixed).unwrap().at.start as usize,
        mixed.find("{{ .Values").unwrap()
    );
}

#[test]
fn arm_variable_copy_loops_build_arrays() {
    let t = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "ports": { "type": "array", "defaultValue": [22, 443] } },
  "variables": {
    "copy": [
      {
        "name": "rules",
        "count": "[length(parameters('ports'))]",
        "input": {
          "name": "[concat('allow-', string(parameters('ports')[copyIndex('rules')]))]",
          "properties": { "destinationPortRange": "[string(parameters('ports')[copyIndex('rules')])]" }
        }
      }
    ]
  },
  "resources": [
    {
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-09-01",
      "name": "nsg",
      "location": "japaneast",
      "properties": { "securityRules": "[variables('rules')]" }
    }
  ]
}"#;
    let (_, m) = arm_read(t);
    let rules = attr(
        &m,
        "Microsoft.Network/networkSecurityGroups/nsg",
        "properties",
    )
    .child("securityRules")
    .unwrap();
    let ports: Vec<String> = rules
        .as_list()
        .unwrap()
        .iter()
        .map(|r| {
            text(
                r.child("properties")
                    .unwrap()
                    .child("destinationPortRange")
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(ports, ["22", "443"]);
}

#[test]
fn arm_placeholder_in_brackets_is_one_value_not_evaluated() {
    let t = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-01-01",
      "name": "portal",
      "location": "japaneast",
      "properties": {
        "httpsOnly": true,
        "siteConfig": { "appSettings": [ { "name": "APPINSIGHTS_INSTRUMENTATIONKEY", "value": "[Application_Insights_Key]" } ] }
      }
    }
  ]
}"#;
    let (_, m) = arm_read(t);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let site = m
        .resources
        .iter()
        .find(|r| r.address == "Microsoft.Web/sites/portal")
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                m.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
            )
        });
    assert_eq!(text(site.path("properties.httpsOnly").unwrap()), "true");
    let v = site
        .path("properties.siteConfig.appSettings.value")
        .unwrap();
    let Value::Unknown(u) = &v.value else {
        panic!("{v:?}")
    };
    assert!(
        u.reason.contains("[Application_Insights_Key]"),
        "{}",
        u.reason.en
    );
    let at = t.find("\"[Application_Insights_Key]\"").unwrap();
    assert_eq!(
        (v.at.start as usize, v.at.end as usize),
        (at, at + "\"[Application_Insights_Key]\"".len())
    );

    // A malformed function call is still an error in the template.
    let bad = t.replace("[Application_Insights_Key]", "[concat('a']");
    let (_, m) = arm_read(&bad);
    assert!(
        m.errors
            .iter()
            .any(|e| e.message.en.contains("template expression")),
        "{:?}",
        m.errors
    );
}
