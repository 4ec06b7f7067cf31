//! `/`-separated paths as the scan names files, and the file names Terraform gives a meaning
//! to. Pure string functions: every other module may use them.

/// Directory part of a `/`-separated path ("." for a bare file name).
pub fn dir_of(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => path.get(..i).unwrap_or(".").to_string(),
        None => ".".into(),
    }
}

/// Joins a relative module source onto a directory and normalises `.` and `..`.
pub fn join(dir: &str, rel: &str) -> String {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    let mut ups = 0usize;
    for seg in dir.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && !absolute {
                    ups += 1;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out: Vec<&str> = std::iter::repeat_n("..", ups).collect();
    out.extend(parts);
    let s = out.join("/");
    match (absolute, s.is_empty()) {
        (true, _) => format!("/{s}"),
        (false, true) => ".".into(),
        (false, false) => s,
    }
}

/// `to` as a path relative to `from` (both as [`join`] normalises them): what Terraform's
/// `path.module` is, relative to the root module where Terraform runs.
pub fn relative(from: &str, to: &str) -> String {
    if from == "." {
        return to.to_string();
    }
    if from.starts_with('/') != to.starts_with('/') {
        return to.to_string();
    }
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = std::iter::repeat_n("..", f.len() - common).collect();
    out.extend(t.iter().skip(common));
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

/// A configuration file: Terraform's `.tf`/`.tf.json` or OpenTofu's `.tofu`/`.tofu.json`.
pub fn is_tf(path: &str) -> bool {
    path.ends_with(".tf")
        || path.ends_with(".tf.json")
        || path.ends_with(".tofu")
        || path.ends_with(".tofu.json")
}

/// `x.tofu` for `x.tf`, `x.tofu.json` for `x.tf.json`: the OpenTofu file that shadows it.
pub(crate) fn tofu_twin(path: &str) -> Option<String> {
    if let Some(stem) = path.strip_suffix(".tf.json") {
        Some(format!("{stem}.tofu.json"))
    } else {
        path.strip_suffix(".tf").map(|stem| format!("{stem}.tofu"))
    }
}

/// `override.tf`, `x_override.tf` and their `.tf.json`/`.tofu`/`.tofu.json` forms: merged into
/// the configuration after the other files (Terraform "Override Files").
pub fn is_override(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = [".tf.json", ".tofu.json", ".tf", ".tofu"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

/// `terraform.tfvars`, `*.auto.tfvars` and their `.json` forms: loaded with the directory.
pub(crate) fn is_auto_tfvars(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}
