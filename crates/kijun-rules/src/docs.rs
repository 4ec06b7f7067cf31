//! Rule documentation with examples taken from the rule's own fixtures (STYLE.md: the docs are
//! the tested inputs).

/// The failing example's first marked block and the passing example's first block, with the
/// fixture markers removed.
pub fn examples(id: &str) -> Option<(String, String)> {
    let (_, fail, pass) = crate::EXAMPLES.iter().find(|(i, _, _)| *i == id)?;
    let marker = format!("expect: {id}");
    let fail_at = fail.lines().position(|l| l.contains(&marker)).unwrap_or(0);
    let kinds: Vec<String> = crate::catalogue()
        .get(id)
        .map(|r| {
            r.kinds
                .iter()
                .map(|k| k.trim_end_matches('*').to_string())
                .collect()
        })
        .unwrap_or_default();
    Some((
        block_around(fail, fail_at),
        block_around(pass, first_block(pass, &kinds)),
    ))
}

/// The first block of the passing example that is of a kind the rule judges.
fn first_block(text: &str, kinds: &[String]) -> usize {
    let of_kind = |l: &str| {
        kinds.iter().any(|k| {
            !k.is_empty() && (l.contains(&format!("\"{k}")) || l.ends_with(&format!(" {k}")))
        })
    };
    text.lines()
        .position(|l| {
            (l.starts_with("resource ")
                || l.starts_with("kind:")
                || l.contains("\"Type\"")
                || l.trim_start().starts_with("Type:"))
                && of_kind(l)
        })
        .or_else(|| text.lines().position(|l| l.starts_with("resource ")))
        .unwrap_or(0)
}

fn is_start(l: &str) -> bool {
    l.starts_with("resource ")
        || l.starts_with("data ")
        || l.starts_with("module ")
        || l.starts_with("provider ")
        || l == "---"
}

/// The top-level block (HCL block or YAML document) containing line `at`, at most 30 lines.
fn block_around(text: &str, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = at.min(lines.len().saturating_sub(1));
    while start > 0 && !lines.get(start).is_some_and(|l| is_start(l)) {
        start -= 1;
    }
    if lines.get(start) == Some(&"---") {
        start += 1;
    }
    let mut end = start;
    while end + 1 < lines.len() {
        let next = lines.get(end + 1).copied().unwrap_or("");
        if is_start(next) || (lines.get(end).copied() == Some("}") && !next.starts_with(' ')) {
            break;
        }
        end += 1;
    }
    let end = end.min(start + 29);
    lines
        .get(start..=end)
        .unwrap_or(&[])
        .iter()
        .map(|l| strip_marker(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

fn strip_marker(line: &str) -> String {
    match line.find("# expect") {
        Some(i) => line.get(..i).unwrap_or(line).trim_end().to_string(),
        None => line.to_string(),
    }
}

/// The catalogue as a Markdown document (`docs/rules.md`, `kijun rules --format markdown`):
/// one table per control family, both languages. A test keeps the committed file fresh.
pub fn markdown() -> String {
    let cat = crate::catalogue();
    let mut out = String::from(
        "# kijun rule catalogue / ルール一覧\n\nGenerated from `policies/rules/` by `kijun rules --format markdown`; do not edit by hand.\n`policies/rules/` から生成しています。直接編集しないでください。\n\n",
    );
    out.push_str(&format!(
        "Catalogue {} — {} rules.\n\n",
        crate::CATALOGUE_VERSION,
        cat.rules.len()
    ));
    let mut family = String::new();
    for r in &cat.rules {
        let f: String = r
            .control
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if f != family {
            family = f.clone();
            let heading = match f.as_str() {
                "C" => "Cloud services / クラウドサービス (第63–73条)",
                "N" => "Network / 通信回線 (第110–118条)",
                "L" => "Logging / ログ (第132条)",
                "E" => "Encryption and signatures / 暗号・電子署名 (第133–134条)",
                _ => "Other / その他",
            };
            out.push_str(&format!("## {heading}\n\n| id | name | articles | platforms | status | title (ja) | title (en) |\n|---|---|---|---|---|---|---|\n"));
        }
        // The id carries an anchor so other documents (docs/traceability.md) link to the row.
        out.push_str(&format!(
            "| <a id=\"{}\"></a>{} | `{}` | {} | {} | {} | {} | {} |\n",
            r.id.to_ascii_lowercase(),
            r.id,
            r.name,
            r.articles.join(", "),
            r.platforms.join(", "),
            r.status.as_str(),
            r.title.ja.replace('|', "\\|"),
            r.title.en.replace('|', "\\|"),
        ));
    }
    out
}
