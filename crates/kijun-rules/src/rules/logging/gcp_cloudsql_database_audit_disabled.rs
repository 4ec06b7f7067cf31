//! KJ-L2-016 `gcp-cloudsql-database-audit-disabled`: a Cloud SQL instance without database
//! auditing.
//!
//! Cloud Audit Logs record operations on the instance, not the statements run inside it; those are
//! audited by pgAudit on PostgreSQL (flag `cloudsql.enable_pgaudit = on`), by the Cloud SQL audit
//! plugin on MySQL (flag `cloudsql_mysql_audit` = `ON`, `FORCE` or `FORCE_PLUS_PERMANENT`) and by
//! SQL Server Audit (`settings.sql_server_audit_config`). All are off unless configured.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

enum Engine {
    Postgres,
    Mysql,
    SqlServer,
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(v) = util::set(r, "database_version") else {
        return;
    };
    if v.is_unknown() {
        out.push(Hit::unknown(v, "database_version"));
        return;
    }
    let version = v.as_str().unwrap_or_default().to_ascii_uppercase();
    let engine = if version.starts_with("POSTGRES") {
        Engine::Postgres
    } else if version.starts_with("MYSQL") {
        Engine::Mysql
    } else if version.starts_with("SQLSERVER") {
        Engine::SqlServer
    } else {
        return;
    };
    let settings = match util::set(r, "settings") {
        Some(s) if s.is_unknown() => {
            out.push(Hit::unknown(s, "settings"));
            return;
        }
        Some(s) => s.items(),
        None => Vec::new(),
    };
    match engine {
        Engine::SqlServer => {
            let audited = settings.iter().any(|s| {
                s.child("sql_server_audit_config")
                    .is_some_and(|a| !a.is_null() && !a.items().is_empty())
            });
            if !audited {
                out.push(Hit::missing(
                    r,
                    util::t(
                        "`settings.sql_server_audit_config` が設定されていないため、SQL Server Audit は無効です",
                        "`settings.sql_server_audit_config` is not set, so SQL Server Audit is off",
                    ),
                ));
            }
        }
        Engine::Postgres => flag(r, &settings, "cloudsql.enable_pgaudit", &["on"], out),
        Engine::Mysql => flag(
            r,
            &settings,
            "cloudsql_mysql_audit",
            &["ON", "FORCE", "FORCE_PLUS_PERMANENT"],
            out,
        ),
    }
}

/// The database flag `name` must be set to one of `good` (compared without case).
fn flag(r: &Resource, settings: &[&Node], name: &str, good: &[&str], out: &mut Vec<Hit>) {
    let mut unknown = None;
    for s in settings {
        let Some(flags) = s.child("database_flags").filter(|n| !n.is_null()) else {
            continue;
        };
        if flags.is_unknown() {
            unknown = unknown.or(Some(flags));
            continue;
        }
        for f in flags.items() {
            match f.child("name") {
                Some(n) if n.is_unknown() => unknown = unknown.or(Some(n)),
                Some(n) if n.as_str() == Some(name) => match f.child("value") {
                    Some(v) if v.is_unknown() => {
                        out.push(Hit::unknown(v, "settings.database_flags.value"));
                        return;
                    }
                    Some(v)
                        if v.as_str()
                            .is_some_and(|x| good.iter().any(|g| g.eq_ignore_ascii_case(x))) =>
                    {
                        return;
                    }
                    Some(v) => {
                        let shown = v.display();
                        out.push(Hit::value(
                            v,
                            util::t(
                                format!("データベースフラグ `{name}` が {shown} です"),
                                format!("database flag `{name}` is {shown}"),
                            ),
                        ));
                        return;
                    }
                    None => {}
                },
                _ => {}
            }
        }
    }
    match unknown {
        Some(n) => out.push(Hit::unknown(n, "settings.database_flags")),
        None => out.push(Hit::missing(
            r,
            util::t(
                format!("データベースフラグ `{name}` が設定されていないため、データベースの監査は無効です"),
                format!("database flag `{name}` is not set, so database auditing is off"),
            ),
        )),
    }
}
