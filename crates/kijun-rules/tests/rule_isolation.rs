#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // why: test code may fail loudly
//! Rules read facts, never other rules: no file of `src/rules/` may import another rule file.
//! Shared logic belongs in `src/facts/` (or `src/util.rs` for phrasing).
//!
//! Nor does a rule tell platforms apart itself: how Terraform, CloudFormation and ARM spell a
//! setting is known in `src/facts/platform.rs` and the concept facts, so no rule file tests a
//! kind's platform prefix (`AWS::`, `aws_`, `Microsoft.`, `azurerm_`, `google_` …) or matches
//! the resource's platform to choose a name.

use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && p.file_name().is_some_and(|n| n != "mod.rs")
        {
            out.push(p);
        }
    }
}

/// The paths by which one rule file could reach another: `super::<rule>` (a sibling in the
/// family folder), `crate::rules::…` and `super::super::…` (another family).
fn imports_of_rules(text: &str, modules: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let named_rule = code.match_indices("super::").any(|(at, m)| {
            let rest = &code[at + m.len()..];
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            modules.contains(&ident)
        });
        let elsewhere = ["crate::rules::", "super::super::", "kijun_rules::rules::"]
            .iter()
            .any(|bad| code.contains(bad));
        if named_rule || elsewhere {
            found.push(format!("line {}: {}", i + 1, line.trim()));
        }
    }
    found
}

#[test]
fn no_rule_file_imports_another() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rule_files(&root, &mut files);
    assert!(files.len() > 100, "found only {} rule files", files.len());
    let modules: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for p in imports_of_rules(&text, &modules) {
            problems.push(format!("{}: {p}", f.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(
        problems.is_empty(),
        "rule files import other rules (move the shared part to src/facts/):\n{}",
        problems.join("\n")
    );
}

/// Prefixes by which resource kinds name their platform or provider (compared lower-cased).
/// A longer literal (a full type in a reference, `Microsoft.Sql/servers/` in an address) names
/// a resource, not a platform.
const PLATFORM_PREFIXES: &[&str] = &[
    "aws::",
    "aws_",
    "alexa::",
    "custom::",
    "microsoft.",
    "azurerm_",
    "azuread_",
    "azapi_",
    "google_",
    "kubernetes_",
    "helm_",
];

/// String methods that test or cut a prefix of a kind (or look for one inside it).
const PREFIX_TESTS: &[&str] = &["starts_with(", "strip_prefix(", "contains(", "find("];

/// Matching the resource's platform, except the plan: a plan's values may be unknown until
/// apply, which is a question of evaluation, not of spelling.
const PLATFORM_MATCHES: &[&str] = &[
    "Platform::Cloudformation",
    "Platform::Arm",
    "Platform::Kubernetes",
    "platform.as_str()",
];

/// Lines of a rule file that tell platforms apart: a platform-prefix test on a string, or a
/// match on the resource's platform (other than Terraform's plan).
fn platform_tests(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let prefix_test = PREFIX_TESTS.iter().any(|m| {
            code.match_indices(m).any(|(at, _)| {
                let rest = code[at + m.len()..].trim_start();
                let Some(lit) = rest.strip_prefix('"') else {
                    return false;
                };
                let lit = lit.split('"').next().unwrap_or("").to_ascii_lowercase();
                PLATFORM_PREFIXES.contains(&lit.as_str())
            })
        });
        let terraform = code
            .match_indices("Platform::Terraform")
            .any(|(at, m)| !code[at + m.len()..].starts_with("Plan"));
        let platform_match = terraform || PLATFORM_MATCHES.iter().any(|m| code.contains(m));
        if prefix_test || platform_match {
            found.push(format!("line {}: {}", i + 1, line.trim()));
        }
    }
    found
}

#[test]
fn no_rule_file_tells_platforms_apart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rule_files(&root, &mut files);
    assert!(files.len() > 100, "found only {} rule files", files.len());
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        // A rule's unit tests build resources of a platform on purpose.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for p in platform_tests(code) {
            problems.push(format!("{}: {p}", f.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(
        problems.is_empty(),
        "rule files tell platforms apart (ask a fact in src/facts/ for the platform's spelling, \
         e.g. a `Spelling` of src/facts/platform.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scan_sees_a_platform_test() {
    for line in [
        r#"    let key = if r.kind.starts_with("AWS::") { "KmsKeyId" } else { "kms_key_id" };"#,
        r#"if r.kind.starts_with( "aws_") && !asg {"#,
        r#"let arm = kind.to_ascii_lowercase().starts_with("microsoft.");"#,
        r#"if let Some(rest) = r.kind.strip_prefix("google_") {"#,
        r#"if r.platform == Platform::Cloudformation {"#,
        r#"let names = match r.platform { Platform::Terraform => &TF, _ => &CFN };"#,
    ] {
        assert_eq!(platform_tests(line).len(), 1, "{line}");
    }
    for line in [
        r#"if r.platform == kijun_model::Platform::TerraformPlan && n.is_unknown() {"#,
        r#"let key = at_rest::SNS_SQS_KEY.of(r);"#,
        r#"if s.starts_with("alias/aws/") || s.contains(":alias/aws/") {"#,
        r#"alg.strip_prefix("RSA_")"#,
        r#"let server = r.address.strip_prefix("Microsoft.Sql/servers/");"#,
        r#".any(|x| x.contains("google_compute_security_policy."))"#,
        r#"// CloudFormation (`AWS::CloudTrail::Trail`) spells it `KMSKeyId`: starts_with("AWS::")"#,
    ] {
        assert!(platform_tests(line).is_empty(), "{line}");
    }
}

#[test]
fn the_scan_sees_an_import_of_another_rule() {
    let modules = vec!["s3_bucket_logging".to_string()];
    assert_eq!(
        imports_of_rules(
            "use super::s3_bucket_logging::{designates, Link};",
            &modules
        )
        .len(),
        1
    );
    assert_eq!(
        imports_of_rules("use crate::rules::logging::x::check;", &modules).len(),
        1
    );
    assert!(imports_of_rules(
        "    use super::*;\nuse crate::facts::links::Link;",
        &modules
    )
    .is_empty());
}
