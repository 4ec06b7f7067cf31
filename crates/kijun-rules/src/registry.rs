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
    ("KJ-E1-002", rules::kj_e1_002::check),
    ("KJ-E1-004", rules::kj_e1_004::check),
    ("KJ-E1-005", rules::kj_e1_005::check),
    ("KJ-E1-007", rules::kj_e1_007::check),
    ("KJ-E1-008", rules::kj_e1_008::check),
    ("KJ-E1-009", rules::kj_e1_009::check),
    ("KJ-E3-001", rules::kj_e3_001::check),
    ("KJ-E3-003", rules::kj_e3_003::check),
    ("KJ-E5-001", rules::kj_e5_001::check),
    ("KJ-E5-002", rules::kj_e5_002::check),
    ("KJ-E5-003", rules::kj_e5_003::check),
    ("KJ-E6-001", rules::kj_e6_001::check),
    ("KJ-E6-002", rules::kj_e6_002::check),
    ("KJ-L3-001", rules::kj_l3_001::check),
    ("KJ-L3-002", rules::kj_l3_002::check),
    ("KJ-N1-001", rules::kj_n1_001::check),
    ("KJ-N1-002", rules::kj_n1_002::check),
    ("KJ-N1-003", rules::kj_n1_003::check),
    ("KJ-N13-001", rules::kj_n13_001::check),
    ("KJ-N13-002", rules::kj_n13_002::check),
    ("KJ-N2-001", rules::kj_n2_001::check),
    ("KJ-N2-002", rules::kj_n2_002::check),
    ("KJ-N2-003", rules::kj_n2_003::check),
    ("KJ-N4-002", rules::kj_n4_002::check),
    ("KJ-N4-003", rules::kj_n4_003::check),
    ("KJ-N4-004", rules::kj_n4_004::check),
    ("KJ-N8-001", rules::kj_n8_001::check),
];

pub fn lookup(id: &str) -> Option<CheckFn> {
    CHECKS.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}
