//! Section 7: the confirmation block the vendor and the agency sign.

use super::Ctx;
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    // 7. Confirmation.
    let _ = writeln!(
        h,
        "<section id=\"sign\" class=\"minor sign\"><h2>7. {}</h2><p>{}</p><table class=\"sign\"><thead><tr><th>{}</th><th style=\"width:24%\">{}</th><th style=\"width:18%\">{}</th><th style=\"width:14%\">{}</th><th style=\"width:18%\">{}</th></tr></thead><tbody><tr><th>{}</th><td></td><td></td><td></td><td></td></tr><tr><th>{}</th><td></td><td></td><td></td><td></td></tr><tr><th>{}</th><td></td><td></td><td></td><td></td></tr></tbody></table><div class=\"box\"><p class=\"checks\"><b>{}</b>　<span>□ {}</span><span>□ {}</span><span>□ {}</span></p><p>{}</p><p style=\"height:18mm\"></p></div></section>",
        tr("確認欄", "Confirmation"),
        tr(
            "上記のとおり自己検査を実施し、その結果を報告します。",
            "We have carried out the self-inspection above and report its results."
        ),
        tr("役割", "Role"),
        tr("所属", "Organisation"),
        tr("氏名", "Name"),
        tr("日付", "Date"),
        tr("署名・印", "Signature"),
        tr("作成者（受託者）", "Prepared by (vendor)"),
        tr("確認者（受託者）", "Checked by (vendor)"),
        tr("確認者（発注者）", "Confirmed by (agency)"),
        tr("確認結果", "Result"),
        tr("受理", "accepted"),
        tr("条件付き受理", "accepted with conditions"),
        tr("差戻し", "returned"),
        tr("所見・条件", "Remarks and conditions")
    );
}
