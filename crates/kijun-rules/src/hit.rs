//! What a check reports: one violation, or one value that could not be judged.

use kijun_model::{Node, Origin, Provenance, Resource, Text};
use std::sync::Arc;

/// One violation (or one value that could not be judged) found by a check.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Where the finding points: the offending value, or the resource header when the
    /// attribute is missing.
    pub at: Origin,
    /// What exactly is wrong, in both languages: "`encrypted` is false".
    pub detail: Text,
    /// How the value got there (variable, local, module input).
    pub from: Option<Arc<Provenance>>,
    /// The value cannot be known: reported under `not_evaluated`, never as a pass.
    pub not_evaluated: bool,
    /// Applies only from this level of the rule's axis up (e.g. customer-managed keys at 3).
    pub min_level: Option<u8>,
}

impl Hit {
    /// A finding on a value that is set and wrong.
    pub fn value(node: &Node, detail: Text) -> Hit {
        Hit {
            at: node.at,
            detail,
            from: node.from.clone(),
            not_evaluated: false,
            min_level: None,
        }
    }

    /// A finding on a resource whose attribute is missing; points at the resource header.
    pub fn missing(r: &Resource, detail: Text) -> Hit {
        Hit {
            at: r.at,
            detail,
            from: None,
            not_evaluated: false,
            min_level: None,
        }
    }

    /// A value the scan cannot know; reported as not evaluated.
    pub fn unknown(node: &Node, attr: &str) -> Hit {
        let reason = match &node.value {
            kijun_model::Value::Unknown(u) => (*u.reason).clone(),
            _ => Text::default(),
        };
        Hit {
            at: node.at,
            detail: kijun_model::text!(
                "`{attr}` の値を静的に決定できません（{0}）",
                "`{attr}` cannot be determined statically ({0})",
                reason
            ),
            from: node.from.clone(),
            not_evaluated: true,
            min_level: None,
        }
    }

    /// The same hit, reported as not evaluated (a default or value the scan cannot judge).
    pub fn not_evaluated(h: Hit) -> Hit {
        Hit {
            not_evaluated: true,
            ..h
        }
    }

    pub fn at_level(mut self, level: u8) -> Hit {
        self.min_level = Some(level);
        self
    }
}
