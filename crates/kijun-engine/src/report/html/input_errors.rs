//! Section 6: the files that could not be read or contain errors.

use super::text::rich;
use super::{minor_table, Ctx};
use crate::report::{escape_xml as esc, loc};
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let o = cx.o;
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    let none = tr("ありません。", "None.");
    // 6. Input errors.
    if minor_table(
        h,
        ("errors", 6, tr("読み込みエラー", "Input errors")),
        o.errors.is_empty(),
        none,
        tr(
            "次のファイルは読み込めなかったか、内容に誤りがあります。該当部分は検査されていません。",
            "These files could not be read or contain errors; the affected parts were not checked."
        ),
        &[("34%", tr("場所", "Location")), ("", tr("内容", "Message"))],
    ) {
        for (i, e) in o.errors.iter().enumerate() {
            let l = loc(o, e.at);
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><code>{}:{}:{}</code></td><td>{}</td></tr>",
                i + 1,
                esc(&l.path),
                l.line,
                l.column,
                rich(e.message.get(o.lang))
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>\n");
}
