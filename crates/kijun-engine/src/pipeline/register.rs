//! The exception register: ledger entries and inline references matched to findings.

use crate::{exceptions, ExceptionRecord, Finding, FindingStatus, LedgerStatus, Options};
use kijun_model::{InputError, Lang, SourceFile, Sources};

/// Marks findings covered by a valid ledger entry as excepted, records why others are not,
/// and reports ledger problems: self-approval (第19条), references to missing entries, unused
/// entries. Returns the register.
pub(super) fn apply_exceptions(
    sources: &mut Sources,
    findings: &mut [Finding],
    errors: &mut Vec<InputError>,
    opts: &Options,
) -> Option<Vec<LedgerStatus>> {
    let ledger = match &opts.ledger {
        None => exceptions::Ledger::default(),
        Some((path, text)) => {
            let id = sources.add(SourceFile::new(path.clone(), text.clone()));
            match exceptions::Ledger::parse(id, text) {
                Ok(l) => l,
                Err(e) => {
                    errors.push(InputError {
                        at: e.at,
                        message: e.message,
                    });
                    exceptions::Ledger::default()
                }
            }
        }
    };
    // Every inline reference anywhere must name a ledger entry, whether or not its resource has
    // a finding today.
    for (_, f) in sources.iter() {
        if !f.text.contains("kijun:exception") && !f.text.contains("kijun.dev/exception") {
            continue;
        }
        let file = sources.find(&f.path).unwrap_or(0);
        for r in exceptions::scan_references(file, &f.text) {
            if ledger.get(&r.ledger_id).is_none() {
                errors.push(InputError {
                    at: r.at,
                    message: if opts.ledger.is_none() {
                        kijun_model::text!(
                            "インラインの例外が {0} を参照していますが、例外台帳にありません（例外台帳が設定されていません: kijun.toml の [exceptions] ledger）",
                            "inline exception refers to {0}, which is not in the exception ledger (no ledger is configured: [exceptions] ledger in kijun.toml)",
                            r.ledger_id
                        )
                    } else {
                        kijun_model::text!(
                            "インラインの例外が {0} を参照していますが、例外台帳にありません",
                            "inline exception refers to {0}, which is not in the exception ledger",
                            r.ledger_id
                        )
                    },
                });
            }
        }
    }
    let now = opts.now;
    let mut used = vec![0usize; ledger.entries.len()];
    for f in findings.iter_mut() {
        let mut best: Option<(usize, Option<exceptions::Defect>)> = None;
        for (i, e) in ledger.entries.iter().enumerate() {
            let inline = f.inline.iter().any(|r| {
                r.ledger_id == e.id
                    && (r.rules.is_empty() || r.rules.iter().any(|x| x == &f.rule_id))
            });
            if !e.covers(&f.rule_id, &f.articles, &f.resource, inline) {
                continue;
            }
            let d = e.defect(now);
            match (best, d) {
                (None, _) => best = Some((i, d)),
                (Some((_, Some(_))), None) => best = Some((i, None)),
                _ => {}
            }
        }
        let Some((i, defect)) = best else { continue };
        let Some(e) = ledger.entries.get(i) else {
            continue;
        };
        if let Some(u) = used.get_mut(i) {
            *u += 1;
        }
        let state = match defect {
            None => "active",
            Some(exceptions::Defect::Expired) => "expired",
            Some(exceptions::Defect::SelfApproved) => "self-approved",
        };
        f.exception = Some(Box::new(ExceptionRecord {
            id: e.id.clone(),
            reason: e.reason.clone(),
            requested_by: e.requested_by.clone(),
            approved_by: e.approved_by.clone(),
            approved_on: e.approved_on,
            expires_on: e.expires_on,
            state,
        }));
        match defect {
            None => f.status = FindingStatus::Excepted,
            Some(exceptions::Defect::Expired) => f.message.push_str(&match opts.lang {
                Lang::Ja => format!(
                    "（例外 {} は {} に期限切れのため適用されません）",
                    e.id, e.expires_on
                ),
                Lang::En => format!(
                    " (exception {} expired on {} and no longer applies)",
                    e.id, e.expires_on
                ),
            }),
            Some(exceptions::Defect::SelfApproved) => f.message.push_str(&match opts.lang {
                Lang::Ja => format!("（例外 {} は申請者と許可者が同一のため無効です）", e.id),
                Lang::En => format!(" (exception {} is self-approved and therefore void)", e.id),
            }),
        }
    }
    for e in &ledger.entries {
        if e.defect(None) == Some(exceptions::Defect::SelfApproved) {
            errors.push(InputError {
                at: e.at,
                message: kijun_model::text!(
                    "例外 {0}: requested_by と approved_by がどちらも \"{1}\" です。細則 第19条 により自分の申請を自分で許可することはできないため、この例外は何も抑止しません",
                    "exception {0}: requested_by and approved_by are both \"{1}\"; 細則 第19条 forbids approving one's own application, so it suppresses nothing",
                    e.id, e.approved_by
                ),
            });
        }
    }
    opts.ledger.as_ref()?;
    Some(
        ledger
            .entries
            .into_iter()
            .zip(used)
            .map(|(entry, n)| {
                let state = match entry.defect(now) {
                    Some(exceptions::Defect::SelfApproved) => "self-approved",
                    Some(exceptions::Defect::Expired) => "expired",
                    None if n == 0 => "unused",
                    None => "active",
                };
                LedgerStatus {
                    entry,
                    state,
                    findings: n,
                }
            })
            .collect(),
    )
}
