//! Section 4: the exception register (extract), with each entry's state and uses.

use super::Ctx;
use crate::report::{citation, escape_xml as esc, exception_state_label};
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let (o, lang) = (cx.o, cx.lang);
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    // 4. Exception register.
    let _ = write!(
        h,
        "<section id=\"exceptions\" class=\"major\"><h2>4. {}</h2>",
        tr("例外措置台帳（抜粋）", "Exception register (extract)")
    );
    match &o.ledger {
        None => {
            let _ = write!(
                h,
                "<p>{}</p>",
                tr(
                    "例外措置台帳は設定されていません（kijun.toml の [exceptions] ledger）。",
                    "No exception ledger is configured ([exceptions] ledger in kijun.toml)."
                )
            );
        }
        Some(entries) if entries.is_empty() => {
            let _ = write!(
                h,
                "<p>{}</p>",
                tr(
                    "例外措置台帳に登録はありません。",
                    "The exception ledger has no entries."
                )
            );
        }
        Some(entries) => {
            let _ = write!(
                h,
                "<p>{}</p><table><thead><tr><th style=\"width:12%\">ID</th><th style=\"width:10%\">{}</th><th style=\"width:18%\">{}</th><th style=\"width:21%\">{}</th><th style=\"width:15%\">{}</th><th style=\"width:6%\" class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
                tr(
                    "申請者と許可者が同一の例外（第19条）および有効期限を過ぎた例外は、違反を抑止しません。",
                    "Exceptions approved by their own requester (Art. 19) or past their expiry date suppress nothing."
                ),
                tr("状態", "State"),
                tr("対象（規則・条項・リソース）", "Covers (rules, articles, resources)"),
                tr("申請者／許可者", "Requested / approved by"),
                tr("許可日／有効期限", "Approved / expires"),
                tr("適用", "Uses"),
                tr("理由", "Reason")
            );
            for l in entries {
                let e = &l.entry;
                let mut scope: Vec<String> = e.rules.clone();
                scope.extend(e.articles.iter().map(|a| citation(a, lang)));
                let resources = if e.resources.is_empty() {
                    tr("インライン参照", "inline references").to_string()
                } else {
                    e.resources.join(", ")
                };
                let state_class = match l.state {
                    "active" => "s-pass",
                    "unused" => "s-man",
                    _ => "s-fail",
                };
                let _ = write!(
                    h,
                    "<tr><td><code>{}</code></td><td><span class=\"{state_class}\"><b>{}</b></span></td><td>{}<br><small>{}</small></td><td><small>{}</small> {}<br><small>{}</small> {}</td><td class=\"nw\"><small>{}</small> {}<br><small>{}</small> {}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                    esc(&e.id),
                    exception_state_label(l.state, lang),
                    esc(&scope.join(", ")),
                    esc(&resources),
                    tr("申請", "req."),
                    esc(&e.requested_by),
                    tr("許可", "appr."),
                    esc(&e.approved_by),
                    tr("許可", "appr."),
                    e.approved_on,
                    tr("期限", "exp."),
                    e.expires_on,
                    l.findings,
                    esc(&e.reason)
                );
            }
            h.push_str("</tbody></table>");
        }
    }
    h.push_str("</section>\n");
}
