//! Whether a key attribute names a customer-managed key: shared by the customer-key rules.

use kijun_model::{Node, Value};

/// What a key attribute (an ARN, an ID, a self link) tells about the key.
pub(crate) enum KeyRef<'a> {
    /// A key is named: a literal, or another resource's or data source's attribute.
    Set(&'a Node),
    /// Absent, null or empty.
    Unset,
    /// Depends on something the scan cannot see (an unset variable, a module output).
    Unknown(&'a Node),
}

/// why: a reference such as `aws_kms_key.table.arn` is known only after apply, but it names a
/// key that exists, so the key is set; only values whose origin is invisible are unknown.
pub(crate) fn key_ref(n: Option<&Node>) -> KeyRef<'_> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return KeyRef::Unset;
    };
    match &n.value {
        Value::String(s) if s.trim().is_empty() => KeyRef::Unset,
        Value::Unknown(u) => {
            let names_object = !u.refs.is_empty() && u.refs.iter().all(|a| !is_module_output(a));
            if names_object {
                KeyRef::Set(n)
            } else {
                KeyRef::Unknown(n)
            }
        }
        _ => KeyRef::Set(n),
    }
}

/// `module.kms` or `module.a.module.kms`: a module output may well be null.
fn is_module_output(address: &str) -> bool {
    address.rsplit('.').nth(1) == Some("module")
}
