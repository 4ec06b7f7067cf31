//! Duplicate findings of one module file reached from several roots, folded into one.

use crate::{provenance_text, Finding};
use kijun_model::{Lang, Sources};

/// Folds each duplicate into the finding kept for its (rule, location, resource): its roots,
/// its origins and, when it says something else about the value, its detail.
pub(super) fn merge_findings(slots: &mut [Finding], merges: &[(usize, usize)]) {
    for &(keep, dup) in merges {
        let Some(d) = slots.get_mut(dup) else {
            continue;
        };
        let roots = std::mem::take(&mut d.roots);
        let related = std::mem::take(&mut d.related);
        let detail = std::mem::take(&mut d.detail);
        let Some(k) = slots.get_mut(keep) else {
            continue;
        };
        // why: a shared module reached from thousands of roots merges thousands of duplicates
        // into one finding; searching the kept lists for each would be quadratic, so they are
        // appended here and sorted, deduplicated and coalesced once in `settle_origins`.
        k.roots.extend(roots);
        k.related.extend(related);
        // The message is "rule message: detail"; a second, different detail is appended.
        if !detail.is_empty() && !k.detail.split("; ").any(|x| x == detail) {
            k.message.push_str("; ");
            k.message.push_str(&detail);
            k.detail.push_str("; ");
            k.detail.push_str(&detail);
        }
    }
}

/// Sorts a finding's roots and origins, names a single origin in its message (as
/// "(from var.x, set at variables.tf:3:13)"), and keeps as related locations only the places
/// other than the finding's own.
pub(super) fn settle_origins(f: &mut Finding, sources: &Sources, lang: Lang) {
    f.roots.sort();
    f.roots.dedup();
    // Equal origins sort next to each other (the whole origin is in the key) and become one
    // related location holding the roots of both.
    f.related.sort_by(|a, b| {
        (
            sources.path(a.from.at.file),
            a.from.at.start,
            &a.from.via,
            a.from.at.end,
            a.from.at.file,
        )
            .cmp(&(
                sources.path(b.from.at.file),
                b.from.at.start,
                &b.from.via,
                b.from.at.end,
                b.from.at.file,
            ))
    });
    f.related.dedup_by(|later, kept| {
        let same = later.from == kept.from;
        if same {
            kept.roots.append(&mut later.roots);
        }
        same
    });
    for r in f.related.iter_mut() {
        r.roots.sort();
        r.roots.dedup();
    }
    match f.related.as_slice() {
        [one] => {
            f.message
                .push_str(&provenance_text(&one.from, sources, lang));
            f.from = Some(one.from.clone());
        }
        _ => f.from = None,
    }
    let at = f.at;
    f.related.retain(|r| r.from.at != at);
}
