//! Rule id → Rust check. A plain sorted slice so `grep KJ-N1-001` finds where a rule is wired in;
//! the catalogue test checks that every catalogue rule without a declarative check has an entry
//! here and that every entry names a catalogue rule.

#[allow(unused_imports)]
use crate::rules;
use crate::CheckFn;

pub static CHECKS: &[(&str, CheckFn)] = &[];

pub fn lookup(id: &str) -> Option<CheckFn> {
    CHECKS.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}
