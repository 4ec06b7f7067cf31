//! KJ-N12-003 `cloudtrail-skips-management-events`: a trail whose event selectors record no write
//! management events. Changes to security groups, NACLs and route tables are write management
//! events; Article 114(1) asks for records of setting changes on network devices.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// What a basic `event_selector` says: Ok(true) records writes of management events.
fn basic_records(sel: &Node) -> Result<bool, &Node> {
    let include = match sel.child("include_management_events").filter(|n| !n.is_null()) {
        Some(n) if n.is_unknown() => return Err(n),
        Some(n) => n.as_bool() != Some(false),
        None => true,
    };
    let rw = match sel.child("read_write_type").filter(|n| !n.is_null()) {
        Some(n) if n.is_unknown() => return Err(n),
        Some(n) => !n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ReadOnly")),
        None => true,
    };
    Ok(include && rw)
}

/// An `advanced_event_selector` that selects management events and does not limit them to reads.
fn advanced_records(sel: &Node) -> Result<bool, &Node> {
    let mut management = false;
    let mut read_only = false;
    for f in sel.child("field_selector").map(|n| n.items()).unwrap_or_default() {
        let Some(field) = f.child("field").and_then(|n| n.as_str()) else {
            continue;
        };
        let Some(eq) = f.child("equals").filter(|n| !n.is_null()) else {
            continue;
        };
        let (vals, unknown) = eq.strings();
        if unknown {
            return Err(eq);
        }
        if field.eq_ignore_ascii_case("eventCategory") {
            management |= vals.iter().any(|(v, _)| v.eq_ignore_ascii_case("Management"));
        }
        if field.eq_ignore_ascii_case("readOnly") {
            read_only |= vals.iter().all(|(v, _)| v.eq_ignore_ascii_case("true"));
        }
    }
    Ok(management && !read_only)
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    for (attr, judge) in [
        ("advanced_event_selector", advanced_records as fn(&Node) -> Result<bool, &Node>),
        ("event_selector", basic_records),
    ] {
        let Some(sels) = util::set(r, attr).filter(|n| !n.items().is_empty()) else {
            continue;
        };
        if sels.is_unknown() {
            out.push(Hit::unknown(sels, attr));
            return;
        }
        let mut first = None;
        for s in sels.items() {
            match judge(s) {
                Ok(true) => return,
                Ok(false) => {
                    first.get_or_insert(s);
                }
                Err(u) => {
                    out.push(Hit::unknown(u, attr));
                    return;
                }
            }
        }
        if let Some(s) = first {
            // Point at the attribute that turns the writes off, when there is one.
            let at = s
                .child("include_management_events")
                .filter(|n| n.as_bool() == Some(false))
                .or_else(|| {
                    s.child("read_write_type")
                        .filter(|n| n.as_str().is_some_and(|v| v.eq_ignore_ascii_case("ReadOnly")))
                })
                .unwrap_or(s);
            out.push(Hit::value(
                at,
                util::t(
                    format!("`{attr}` のどれも、書き込みの管理イベント（設定変更）を記録しません"),
                    format!("no `{attr}` records write management events (configuration changes)"),
                ),
            ));
        }
        return;
    }
}
