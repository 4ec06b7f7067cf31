//! Section 3: the findings by article, each with its source excerpt; findings sharing a root
//! cause stand together under it.

use super::text::{class_text, rich, short_citation};
use super::Ctx;
use crate::report::{
    article_key, citation, escape_xml as esc, exception_state_label, loc, severity_label,
    status_label,
};
use crate::{Finding, FindingStatus, Outcome};
use kijun_model::{Lang, Origin};
use kijun_rules::coverage;
use std::collections::BTreeMap;
use std::fmt::Write;

pub(super) fn write(h: &mut String, cx: &Ctx<'_>) {
    let (o, lang) = (cx.o, cx.lang);
    let tr = |ja: &'static str, en: &'static str| cx.tr(ja, en);
    // 3. Findings by article.
    let _ = write!(
        h,
        "<section id=\"findings\" class=\"major\"><h2>3. {}</h2>",
        tr("検出事項（条項別）", "Findings by article")
    );
    if o.findings.is_empty() {
        let _ = write!(h, "<p>{}</p>", tr("検出事項はありません。", "No findings."));
    } else {
        let _ = write!(
            h,
            "<p>{}</p>",
            tr(
                "各検出事項は、規則が最初に引用する条ごとにまとめています。抜粋の網掛けは該当箇所です。",
                "Each finding is listed under the first article its rule cites. The shaded lines of the excerpt are where it points."
            )
        );
        let mut groups: BTreeMap<Vec<u32>, (String, Vec<&Finding>)> = BTreeMap::new();
        for f in &o.findings {
            let first = f.articles.first().map(String::as_str).unwrap_or("");
            let art = first.split('-').next().unwrap_or("").to_string();
            groups
                .entry(article_key(&art))
                .or_insert_with(|| (art, Vec::new()))
                .1
                .push(f);
        }
        for (gi, (art, list)) in groups.values().enumerate() {
            let heading = coverage::article(art)
                .map(|t| t.heading.get(lang).to_string())
                .unwrap_or_default();
            let name = short_citation(art, lang);
            let _ = write!(
                h,
                "<h3>3.{} {}{}（{} {}）</h3>",
                gi + 1,
                esc(&name),
                if heading.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(&heading))
                },
                list.len(),
                tr("件", "findings")
            );
            // Findings sharing a root cause stand together under it.
            for (fi, e) in crate::report::by_cause(list).iter().enumerate() {
                let number = format!("3.{}.{}", gi + 1, fi + 1);
                match e {
                    crate::report::Entry::One(f) => h.push_str(&finding_block(o, f, &number)),
                    crate::report::Entry::Group(g) => h.push_str(&group_block(o, g, &number)),
                }
            }
        }
    }
    h.push_str("</section>\n");
}

/// A few lines around `at` with line numbers; the offending range marked.
fn snippet(o: &Outcome, at: Origin) -> String {
    let Some(src) = o.sources.get(at.file) else {
        return String::new();
    };
    let (l, c, el, ec) = o.sources.position(at);
    let total = {
        let n = src.text.split('\n').count() as u32;
        if src.text.ends_with('\n') {
            n.saturating_sub(1)
        } else {
            n
        }
    };
    if total == 0 {
        return String::new();
    }
    let from = l.saturating_sub(2).max(1);
    // why: a long block (a whole resource) is cut to the first lines after the finding's start;
    // the location line above gives the full range.
    let to = el.saturating_add(2).min(total).min(l.saturating_add(8));
    let mut out = String::from("<pre class=\"src\">");
    for n in from..=to {
        let text = src.line_text(n);
        let hit = n >= l && n <= el;
        let body = if n == l && l == el && ec > c {
            let chars: Vec<char> = text.chars().collect();
            let a = (c as usize).saturating_sub(1).min(chars.len());
            let b = (ec as usize).saturating_sub(1).clamp(a, chars.len());
            let part = |r: std::ops::Range<usize>| -> String {
                chars.get(r).map(|s| s.iter().collect()).unwrap_or_default()
            };
            format!(
                "{}<mark>{}</mark>{}",
                esc(&part(0..a)),
                esc(&part(a..b)),
                esc(&part(b..chars.len()))
            )
        } else {
            esc(text)
        };
        let _ = write!(
            out,
            "<span class=\"l{}\"><span class=\"no\">{n}</span>{body}</span>",
            if hit { " hit" } else { "" }
        );
    }
    out.push_str("</pre>");
    out
}

fn finding_block(o: &Outcome, f: &Finding, number: &str) -> String {
    let lang = o.lang;
    let tr = |ja, en| crate::report::tr(lang, ja, en);
    let cat = kijun_rules::catalogue();
    let l = loc(o, f.at);
    let done = f.status != FindingStatus::Failed;
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"finding {}\" id=\"f-{number}\"><h4>{number}　{}　{}</h4><table><tbody>",
        if done {
            "done".to_string()
        } else {
            format!("sev-{}", f.severity.as_str())
        },
        esc(&f.rule_id),
        esc(cat
            .get(&f.rule_id)
            .map(|r| r.title.get(lang))
            .unwrap_or(&f.title))
    );
    let status_class = if done { "s-man" } else { "s-fail" };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><span class=\"tag {status_class}\">{}</span>　{}: {}</td></tr>",
        tr("状態・重要度", "Status, severity"),
        esc(status_label(f, lang)),
        tr("重要度", "severity"),
        severity_label(f.severity, lang)
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td><code>{}</code> <small>({})</small></td></tr>",
        tr("リソース", "Resource"),
        esc(&f.resource),
        esc(&f.kind)
    );
    let range = if l.json_path.is_some() {
        l.place(true)
    } else if l.end_line > l.line {
        format!(
            "{}:{}:{}–{}:{}",
            l.path, l.line, l.column, l.end_line, l.end_column
        )
    } else {
        format!("{}:{}:{}", l.path, l.line, l.column)
    };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><code>{}</code></td></tr>",
        tr("場所", "Location"),
        esc(&range)
    );
    let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("根拠", "Basis"),
        esc(&cites.join(tr("、", ", ")))
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("格付", "Classification"),
        esc(&class_text(&f.classification, lang))
    );
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("内容", "Finding"),
        rich(&f.message)
    );
    for r in &f.related {
        let rl = loc(o, r.from.at);
        let _ = write!(
            s,
            "<tr><th>{}</th><td><code>{}</code> {}</td></tr>",
            tr("値の定義元", "Value set at"),
            esc(&format!("{}:{}:{}", rl.path, rl.line, rl.column)),
            rich(&crate::related_text(r, lang))
        );
    }
    if let Some(line) = crate::report::roots_line(f, lang) {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("ルート", "Roots"),
            rich(&line)
        );
    }
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("対処", "Remediation"),
        rich(&f.remediation)
    );
    if let Some(e) = &f.exception {
        let text = match lang {
            Lang::Ja => format!(
                "{}（{}）申請者 {}、許可者 {}、許可日 {}、有効期限 {} — {}",
                e.id,
                exception_state_label(e.state, lang),
                e.requested_by,
                e.approved_by,
                e.approved_on,
                e.expires_on,
                e.reason
            ),
            Lang::En => format!(
                "{} ({}): requested by {}, approved by {} on {}, expires {} — {}",
                e.id,
                exception_state_label(e.state, lang),
                e.requested_by,
                e.approved_by,
                e.approved_on,
                e.expires_on,
                e.reason
            ),
        };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("例外措置", "Exception"),
            esc(&text)
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&snippet(o, f.at));
    s.push_str("</div>");
    s
}

/// Findings sharing one root cause: a heading naming the place to change and how many
/// resources it affects, the resources in a table, the remediation, and the excerpt of the
/// place itself.
fn group_block(o: &Outcome, g: &crate::report::CauseGroup<'_>, number: &str) -> String {
    let lang = o.lang;
    let tr = |ja, en| crate::report::tr(lang, ja, en);
    let cat = kijun_rules::catalogue();
    let Some(first) = g.members.first() else {
        return String::new();
    };
    let done = first.status != FindingStatus::Failed;
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"finding cause {}\" id=\"f-{number}\"><h4>{number}　{}　{}</h4><p class=\"cause\"><b>{}</b></p><table><tbody>",
        if done {
            "done".to_string()
        } else {
            format!("sev-{}", g.severity().as_str())
        },
        esc(&first.rule_id),
        esc(cat
            .get(&first.rule_id)
            .map(|r| r.title.get(lang))
            .unwrap_or(&first.title)),
        rich(&crate::report::cause_heading(o, g, lang))
    );
    let status_class = if done { "s-man" } else { "s-fail" };
    let _ = write!(
        s,
        "<tr><th>{}</th><td><span class=\"tag {status_class}\">{}</span>　{}: {}</td></tr>",
        tr("状態・重要度", "Status, severity"),
        esc(status_label(first, lang)),
        tr("重要度", "severity"),
        severity_label(g.severity(), lang)
    );
    let cites: Vec<String> = first.articles.iter().map(|a| citation(a, lang)).collect();
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("根拠", "Basis"),
        esc(&cites.join(tr("、", ", ")))
    );
    // What the members share is said once; the table then lists only resources and places.
    let shared = g.shared_detail();
    if let Some(d) = shared {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td></tr>",
            tr("内容", "Finding"),
            rich(d)
        );
    }
    let _ = write!(
        s,
        "<tr><th>{}</th><td>{}</td></tr>",
        tr("対処", "Remediation"),
        rich(&first.remediation)
    );
    s.push_str("</tbody></table>");
    // A third column only when members differ in what they say or in their roots.
    let third = shared.is_none()
        || g.members
            .iter()
            .any(|f| crate::report::roots_line(f, lang).is_some());
    let _ = write!(
        s,
        "<table class=\"members\"><thead><tr><th style=\"width:45%\">{}</th><th{}>{}</th>{}</tr></thead><tbody>",
        tr("リソース", "Resource"),
        if third { " style=\"width:30%\"" } else { "" },
        tr("場所", "Location"),
        match (third, shared) {
            (false, _) => String::new(),
            (true, Some(_)) => format!("<th>{}</th>", tr("ルート", "Roots")),
            (true, None) => format!("<th>{}</th>", tr("内容", "Finding")),
        }
    );
    for f in &g.members {
        let l = loc(o, f.at);
        let mut what = match shared {
            Some(_) => String::new(),
            None => rich(&f.detail),
        };
        if let Some(line) = crate::report::roots_line(f, lang) {
            if !what.is_empty() {
                what.push_str("<br>");
            }
            let _ = write!(what, "<small>{}</small>", rich(&line));
        }
        if what.is_empty() {
            what.push('—');
        }
        let what = if third {
            format!("<td>{what}</td>")
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "<tr><td><code>{}</code> <small>({})</small></td><td><code>{}</code></td>{what}</tr>",
            esc(&f.resource),
            esc(&f.kind),
            esc(&format!("{}:{}:{}", l.path, l.line, l.column))
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&snippet(o, g.related.from.at));
    s.push_str("</div>");
    s
}
