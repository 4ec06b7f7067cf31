#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! What a finding says, where the fixture tests (which compare the reported lines) cannot see
//! the judgement: the text a reviewer reads to know what is exposed.

use kijun_engine::{Document, NoLoader, Options};
use kijun_model::Lang;

/// The English messages of rule `id` for one file.
fn messages(id: &str, path: &str, text: &str) -> Vec<String> {
    let opts = Options {
        lang: Lang::En,
        only_rules: vec![id.to_string()],
        ..Options::default()
    };
    let out = kijun_engine::check(vec![Document::new(path, text)], &NoLoader, &opts);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.findings
        .iter()
        .filter(|f| f.rule_id == id)
        .map(|f| f.message.clone())
        .collect()
}

/// A GCP firewall whose `allow` blocks are "all" and "tcp 22" opens every protocol and port;
/// the finding of the unintended-services rule says so rather than "ports 0-65535" (the blocks
/// of one firewall share its sources and are judged as one entry, whose protocol is "all" when
/// any block's is).
#[test]
fn a_gcp_firewall_allowing_all_protocols_says_so() {
    let tf = r#"
resource "google_compute_firewall" "legacy" {
  name          = "legacy-admin"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  allow {
    protocol = "all"
  }
}
"#;
    let got = messages("KJ-N2-003", "main.tf", tf);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("all protocols and ports are open to 0.0.0.0/0"),
        "{got:?}"
    );
}

/// A BigQuery dataset without `location` is stored in the service's default location
/// (`[gcp_bigquery]` of `policies/data/defaults.toml`): the finding names it, and an organisation
/// that allows that location in its settings gets no finding.
#[test]
fn an_unset_bigquery_location_is_judged_as_the_default_location() {
    let tf = "resource \"google_bigquery_dataset\" \"d\" {\n  dataset_id = \"d\"\n}\n";
    let found = messages("KJ-C2-001", "main.tf", tf);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].ends_with(
            "`location` is not set; the documented default (US, the United States multi-region) applies"
        ),
        "{found:?}"
    );
    let mut opts = Options {
        lang: Lang::En,
        only_rules: vec!["KJ-C2-001".into()],
        ..Options::default()
    };
    opts.settings
        .allowed_regions
        .entry(kijun_rules::Cloud::Gcp)
        .or_default()
        .push("us".into());
    let out = kijun_engine::check(vec![Document::new("main.tf", tf)], &NoLoader, &opts);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    // A location set outside the allowed regions is still reported with those settings.
    let eu = tf.replace(
        "dataset_id = \"d\"",
        "dataset_id = \"d\"\n  location = \"EU\"",
    );
    let out = kijun_engine::check(vec![Document::new("main.tf", &eu)], &NoLoader, &opts);
    assert_eq!(out.findings.len(), 1);
}
