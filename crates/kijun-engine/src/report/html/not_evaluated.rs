//! Section 5: what could not be evaluated statically, not counted as passed.

use super::text::rich;
use super::{minor_table, Ctx};
use crate::report::{escape_xml as esc, loc};
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let o = cx.o;
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    // 5. Not evaluated.
    let none = tr("ありません。", "None.");
    if minor_table(
        h,
        ("not-evaluated", 5, tr("評価できなかった項目", "Not evaluated")),
        o.not_evaluated.is_empty(),
        none,
        tr(
            "値が静的に決まらない（外部モジュール、データソース、既定値のない変数など）ため判定できなかった項目です。合格とはみなしていません。手動で確認してください。",
            "Values that cannot be known statically (remote modules, data sources, variables without defaults). They are not counted as passed: confirm them by hand."
        ),
        &[
            ("27%", tr("場所", "Location")),
            ("12%", tr("規則", "Rule")),
            ("22%", tr("リソース", "Resource")),
            ("", tr("理由", "Reason")),
        ],
    ) {
        for (i, n) in o.not_evaluated.iter().enumerate() {
            let l = loc(o, n.at);
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                i + 1,
                esc(&l.place(true)),
                esc(n.rule_id.as_deref().unwrap_or("—")),
                esc(n.resource.as_deref().unwrap_or("")),
                rich(&n.reason)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>\n");
}
