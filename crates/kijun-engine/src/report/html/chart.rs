//! The summary's chart: inline SVG, so the page stays self-contained.

use super::tally::Tally;
use super::text::short_citation;
use crate::report::{escape_xml as esc, severity_index, severity_label, SEVERITIES};
use kijun_model::Lang;
use std::fmt::Write;

/// "1", "2", "5", "10", "20", "50"…: a tick step giving at most six ticks.
pub(super) fn tick_step(max: usize) -> usize {
    let mut step = 1usize;
    loop {
        for m in [1usize, 2, 5] {
            let s = step.saturating_mul(m);
            if max / s.max(1) <= 5 {
                return s.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

pub(super) const SEV_COLOURS: [&str; 4] = ["#8b1a1a", "#b5562a", "#c99a2e", "#7d8fa3"];
pub(super) const EXCEPTED_COLOUR: &str = "#c3c7cc";

/// Horizontal stacked bars: failed findings by severity and excepted ones, per paragraph.
pub(super) fn chart(rows: &[(String, Tally)], lang: Lang) -> String {
    let rows: Vec<&(String, Tally)> = rows
        .iter()
        .filter(|(_, t)| t.failed_total() + t.excepted > 0)
        .collect();
    if rows.is_empty() {
        return format!(
            "<p>{}</p>",
            crate::report::tr(
                lang,
                "違反・例外適用の検出はありません。",
                "No failed or excepted findings."
            )
        );
    }
    let max = rows
        .iter()
        .map(|(_, t)| t.failed_total() + t.excepted)
        .max()
        .unwrap_or(1)
        .max(1);
    let step = tick_step(max);
    let top = max.div_ceil(step) * step;
    let (label_w, bar_w, row_h, pad_top) = (150.0f64, 470.0f64, 22.0f64, 8.0f64);
    let height = pad_top + row_h * rows.len() as f64 + 26.0;
    let width = label_w + bar_w + 40.0;
    let scale = bar_w / top as f64;
    let mut s = String::new();
    let title = crate::report::tr(
        lang,
        "条項別の違反・例外適用件数",
        "Failed and excepted findings by article",
    );
    let _ = write!(
        s,
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" style=\"max-width:{width:.0}px\" font-size=\"11\">"
    );
    let axis_y = pad_top + row_h * rows.len() as f64;
    let mut t = 0;
    while t <= top {
        let x = label_w + t as f64 * scale;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{pad_top:.1}\" x2=\"{x:.1}\" y2=\"{axis_y:.1}\" stroke=\"#d5d9de\" stroke-width=\"1\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#505050\">{t}</text>",
            axis_y + 15.0
        );
        t += step;
    }
    for (i, (article, tally)) in rows.iter().enumerate() {
        let y = pad_top + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#1b1b1b\">{}</text>",
            label_w - 8.0,
            y + row_h / 2.0 + 4.0,
            esc(&short_citation(article, lang))
        );
        let mut x = label_w;
        let segments = crate::report::SEVERITIES
            .iter()
            .map(|sev| {
                (
                    tally.failed.get(severity_index(*sev)).copied().unwrap_or(0),
                    SEV_COLOURS
                        .get(3 - severity_index(*sev))
                        .copied()
                        .unwrap_or("#777"),
                )
            })
            .chain(std::iter::once((tally.excepted, EXCEPTED_COLOUR)));
        for (n, colour) in segments {
            if n == 0 {
                continue;
            }
            let w = n as f64 * scale;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
                y + 4.0,
                row_h - 8.0
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1b1b1b\">{}</text>",
            x + 5.0,
            y + row_h / 2.0 + 4.0,
            tally.failed_total() + tally.excepted
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{label_w:.1}\" y1=\"{pad_top:.1}\" x2=\"{label_w:.1}\" y2=\"{axis_y:.1}\" stroke=\"#505050\" stroke-width=\"1\"/></svg>"
    );
    s.push_str("<figcaption class=\"legend\">");
    for sev in SEVERITIES {
        let colour = SEV_COLOURS
            .get(3 - severity_index(sev))
            .copied()
            .unwrap_or("#777");
        let _ = write!(
            s,
            "<span><i style=\"background:{colour}\"></i>{} {}</span>",
            crate::report::tr(lang, "違反・重要度", "failed,"),
            severity_label(sev, lang)
        );
    }
    let _ = write!(
        s,
        "<span><i style=\"background:{EXCEPTED_COLOUR}\"></i>{}</span></figcaption></figure>",
        crate::report::tr(lang, "例外適用・ベースライン", "excepted or baselined")
    );
    s
}
