//! Credentials: long-lived keys and passwords of cloud identities, as each platform spells
//! them (第67条第3項第3号, 第71条第1項).

use crate::facts::platform::Spelling;

/// Whether an IAM access key is usable (`Active`, the default, or `Inactive`).
pub const ACCESS_KEY_STATUS: Spelling = Spelling::aws("status", "Status");
