//! Rule id → Rust check. Derived at build time (`build.rs`) from the files of `src/rules/`: the
//! file `rules/<family>/<name>.rs` is the check of the catalogue rule named `<name>`, so adding a
//! rule means a catalogue entry, a rule file and fixtures, and no list to edit. `CHECKS` is a
//! plain slice sorted by id; `grep -rn KJ-N1-001 crates/kijun-rules/src/rules` finds the file.

pub use crate::embedded::CHECKS;
use crate::CheckFn;

pub fn lookup(id: &str) -> Option<CheckFn> {
    CHECKS.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}
