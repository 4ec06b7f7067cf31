//! Appendix: the files scanned, with their size, lines and SHA-256.

use super::Ctx;
use crate::report::{escape_xml as esc, sha256};
use std::collections::BTreeSet;
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let o = cx.o;
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    // Appendix: files scanned.
    // why: a hash per file fills pages on a real repository; an inspector matches them against
    // the delivery after reading the results, so they follow the confirmation.
    let _ = write!(
        h,
        "<section id=\"files\" class=\"major appendix\"><h2>{}</h2><p>{}</p><table><thead><tr><th style=\"width:6%\" class=\"n\">No.</th><th style=\"width:36%\">{}</th><th style=\"width:9%\" class=\"n\">{}</th><th style=\"width:7%\" class=\"n\">{}</th><th>SHA-256</th></tr></thead><tbody>",
        tr("付録 検査対象ファイル", "Appendix: files scanned"),
        tr(
            "検査した時点のファイルの SHA-256 ハッシュ値です。納品物のファイルと照合できます。「参照」は検査対象から読み込まれたモジュール・例外台帳です。",
            "SHA-256 of each file as scanned, to match against the files delivered. \"Referenced\" marks modules and the exception ledger read on the way."
        ),
        tr("ファイル", "File"),
        tr("バイト", "Bytes"),
        tr("行数", "Lines")
    );
    let mut seen = BTreeSet::new();
    let mut files: Vec<(bool, &str, &str)> = Vec::new();
    for (id, f) in o.sources.iter() {
        if seen.insert(f.path.as_str()) {
            files.push(((id as usize) >= o.files, f.path.as_str(), f.text.as_str()));
        }
    }
    files.sort();
    for (i, (referenced, path, text)) in files.iter().enumerate() {
        let lines = text.lines().count();
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td><code>{}</code>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"mono hash\">{}</td></tr>",
            i + 1,
            esc(path),
            if *referenced {
                format!(" <small>（{}）</small>", tr("参照", "referenced"))
            } else {
                String::new()
            },
            text.len(),
            lines,
            {
                let hx = sha256::hex(text.as_bytes());
                // why: the digest breaks in the middle when the column is narrow, never
                // elsewhere, and still copies as one string.
                match (hx.get(..32), hx.get(32..)) {
                    (Some(a), Some(b)) => format!("{a}<wbr>{b}"),
                    _ => hx,
                }
            }
        );
    }
    if files.is_empty() {
        let _ = write!(h, "<tr><td colspan=\"5\">{}</td></tr>", tr("なし", "none"));
    }
    h.push_str("</tbody></table></section>\n");
}
