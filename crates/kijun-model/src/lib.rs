//! The resource model every input format lands in, and the shapes the rules and reports share.
//!
//! One job: describe scanned infrastructure (values with the source position they came from,
//! resources, providers, references) and the results of a scan (findings, errors, not-evaluated
//! notes). It does no I/O and depends on nothing but serde, so every other crate can use it and
//! it compiles to wasm32.

pub mod cidr;
mod msg;
mod source;
mod text;
mod value;

pub use msg::{build_text, english_sentence, Localize};
pub use source::{FileId, Origin, SourceFile, Sources};
pub use text::{decode_text, Undecodable};
pub use value::{format_number, Map, Node, Provenance, Unknown, Value};

use serde::Serialize;
use std::collections::BTreeMap;

/// The ecosystem a resource was read from; rules and `kijun rules --platform` use these names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Terraform,
    TerraformPlan,
    Kubernetes,
    Cloudformation,
    Arm,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Terraform => "terraform",
            Platform::TerraformPlan => "terraform-plan",
            Platform::Kubernetes => "kubernetes",
            Platform::Cloudformation => "cloudformation",
            Platform::Arm => "arm",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Some(match s {
            "terraform" => Platform::Terraform,
            "terraform-plan" => Platform::TerraformPlan,
            "kubernetes" => Platform::Kubernetes,
            "cloudformation" => Platform::Cloudformation,
            "arm" => Platform::Arm,
            _ => return None,
        })
    }
}

/// The provider configuration a resource is managed through (Terraform `provider` blocks, or the
/// implied provider of a CloudFormation/ARM template).
#[derive(Clone, Debug, Default)]
pub struct ProviderConfig {
    /// Local name, e.g. `aws`, `azurerm`, `google`.
    pub name: String,
    /// `alias` of the configuration, if any (`aws.dr`).
    pub alias: Option<String>,
    /// The region/location the configuration points at, with where it was set.
    pub region: Option<Node>,
    /// `default_tags { tags = … }` (AWS) applied to every taggable resource.
    pub default_tags: Option<Node>,
    /// Where the provider block is, when one exists.
    pub at: Option<Origin>,
}

impl ProviderConfig {
    /// `aws` or `aws.dr`, as Terraform writes the reference.
    pub fn display_name(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{}", self.name, a),
            None => self.name.clone(),
        }
    }
}

/// One resource (or Kubernetes object) after evaluation.
#[derive(Clone, Debug)]
pub struct Resource {
    pub platform: Platform,
    /// Terraform type, CloudFormation `Type`, ARM `type`, Kubernetes `kind`.
    pub kind: String,
    /// The address as the ecosystem names it: `module.net.aws_vpc.main`, `ReportDb`,
    /// `Deployment/payments/ledger`, `Microsoft.Storage/storageAccounts/pareports001`.
    pub address: String,
    /// The resource's header (block labels, logical id, object start): where findings about
    /// missing attributes point.
    pub at: Origin,
    /// The evaluated body. Nested blocks are lists of objects, as in Terraform's JSON plan.
    pub attrs: BTreeMap<String, Node>,
    pub provider: Option<ProviderConfig>,
    /// Addresses of other resources this one refers to (graph edges), fully qualified with the
    /// module path and sorted.
    pub refs: Vec<String>,
    /// Module path (`module.a.module.b`), empty at the root.
    pub module: String,
    /// Ledger ids named by inline `kijun:exception` annotations next to the resource.
    pub inline_exceptions: Vec<(String, Origin)>,
}

impl Resource {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.attrs.get(key)
    }

    /// Follows a dotted path (`root_block_device.encrypted`); list segments take the first
    /// element. Use [`Node::all`] where every element matters.
    pub fn path(&self, path: &str) -> Option<&Node> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut node = self.attrs.get(first)?;
        for p in parts {
            node = node.child(p)?;
        }
        Some(node)
    }
}

/// A problem with the input itself: unparsable file, a cycle, an expansion over its bound.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputError {
    pub at: Origin,
    pub message: Text,
}

/// Something the scan could not evaluate (remote module, unrendered template, unknown value).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotEvaluated {
    pub at: Origin,
    pub resource: Option<String>,
    pub kind: Option<String>,
    pub rule_id: Option<String>,
    pub reason: Text,
}

/// What a format front end hands the engine.
#[derive(Debug, Default)]
pub struct Model {
    pub resources: Vec<Resource>,
    pub errors: Vec<InputError>,
    pub not_evaluated: Vec<NotEvaluated>,
}

impl Model {
    pub fn extend(&mut self, other: Model) {
        self.resources.extend(other.resources);
        self.errors.extend(other.errors);
        self.not_evaluated.extend(other.not_evaluated);
    }
}

/// Text in both languages the product speaks.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// This text after `prefix` in each language: `text!("JSON の構文エラー: ", "JSON
    /// syntax error: ")` before a parser's message.
    pub fn after(self, prefix: Text) -> Text {
        Text {
            ja: prefix.ja + &self.ja,
            en: prefix.en + &self.en,
        }
    }

    /// Whether either language contains `s` (for tests, and for matching a cause).
    pub fn contains(&self, s: &str) -> bool {
        self.ja.contains(s) || self.en.contains(s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}
