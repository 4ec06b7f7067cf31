//! Rule id → Rust check. A plain sorted slice so `grep KJ-N1-001` finds where a rule is wired in;
//! the catalogue test checks that every catalogue rule without a declarative check has an entry
//! here and that every entry names a catalogue rule.

use crate::rules;
use crate::CheckFn;

pub static CHECKS: &[(&str, CheckFn)] = &[
    ("KJ-C1-001", rules::kj_c1_001::check),
    ("KJ-C1-002", rules::kj_c1_002::check),
    ("KJ-C1-003", rules::kj_c1_003::check),
    ("KJ-C2-001", rules::kj_c2_001::check),
    ("KJ-C2-002", rules::kj_c2_002::check),
    ("KJ-C2-003", rules::kj_c2_003::check),
    ("KJ-L3-001", rules::kj_l3_001::check),
    ("KJ-L3-002", rules::kj_l3_002::check),
];

pub fn lookup(id: &str) -> Option<CheckFn> {
    CHECKS.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}
