#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Helpers shared by the end-to-end tests.

use kijun::engine::{self, Document, Options, Outcome};
use std::path::{Path, PathBuf};

#[path = "../crates/kijun-engine/tests/support/repo.rs"]
mod repo;
#[allow(unused_imports)] // why: each test binary uses a different part of the helpers
pub use repo::{docs_in, root, RepoLoader};

pub fn run(docs: Vec<Document>, opts: &Options) -> Outcome {
    engine::check(docs, &RepoLoader, opts)
}

pub fn json(o: &Outcome) -> serde_json::Value {
    engine::json::to_json(o)
}

/// The Chromium binary for the browser tests of `what` (`KIJUN_CHROMIUM`, else the usual
/// paths). Missing, the test fails with how to install it, unless `KIJUN_SKIP_BROWSER=1`.
pub fn chromium(what: &str) -> Option<PathBuf> {
    if std::env::var("KIJUN_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("KIJUN_SKIP_BROWSER=1: the browser check of {what} is skipped");
        return None;
    }
    let candidates = [
        std::env::var_os("KIJUN_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
        Some(PathBuf::from("/usr/bin/google-chrome")),
    ];
    if let Some(c) = candidates.into_iter().flatten().find(|c| c.is_file()) {
        return Some(c);
    }
    panic!(
        "Chromium is needed to check {what} in a real browser, and /usr/bin/chromium was not found.\n\
         Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), or point KIJUN_CHROMIUM at a\n\
         Chromium binary. Only where no browser can be installed, set KIJUN_SKIP_BROWSER=1 to skip this test."
    );
}

/// Waits for a headless Chromium run (`what` names it in failures), killing it after 120 s;
/// fails with its standard error when it exits unsuccessfully.
pub fn wait_for_browser(mut child: std::process::Child, what: &str) {
    use std::time::{Duration, Instant};
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            if !status.success() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                panic!("chromium {what} failed ({status}):\n{err}");
            }
            return;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {what} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium driven through the DevTools protocol, and what a person sees in it
// ---------------------------------------------------------------------------------------------

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the
/// browser reads commands on its descriptor 3 and answers on 4, each message JSON ended by a NUL
/// byte). A shell maps the child's standard input and output onto 3 and 4, so no port is opened
/// and no client library is needed. One page is attached; [`Browser::call`] talks to it.
pub struct Browser {
    child: Option<std::process::Child>,
    to: std::process::ChildStdin,
    from: std::sync::mpsc::Receiver<serde_json::Value>,
    next_id: u64,
    session: String,
    /// The events received so far, in order (`{"method", "params"}`).
    pub events: Vec<serde_json::Value>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    profile: PathBuf,
    what: String,
}

impl Browser {
    /// Starts `binary` headless with an empty profile and attaches to a blank page, with the
    /// Page, Runtime and Network domains enabled (every request is recorded in `events`).
    pub fn launch(binary: &Path, what: &str) -> Browser {
        use std::process::{Command, Stdio};
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!(
            "kijun-cdp-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg("sh")
            .arg(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                // why: containers give /dev/shm 64 MB, too little for Chromium's renderer.
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let to = child.stdin.take().unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let log = stderr.clone();
        // why: an undrained pipe would block Chromium once its buffer is full.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = std::io::Read::read(&mut err, &mut buf) {
                if n == 0 {
                    break;
                }
                log.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, from) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut pending = Vec::new();
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = std::io::Read::read(&mut out, &mut buf) {
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&buf[..n]);
                while let Some(end) = pending.iter().position(|&b| b == 0) {
                    let message: Vec<u8> = pending.drain(..=end).collect();
                    let Ok(v) = serde_json::from_slice(&message[..end]) else {
                        continue;
                    };
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        let mut b = Browser {
            child: Some(child),
            to,
            from,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            stderr,
            profile,
            what: what.to_string(),
        };
        let target = b.call_browser(
            "Target.createTarget",
            serde_json::json!({"url": "about:blank"}),
        );
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call_browser(
            "Target.attachToTarget",
            serde_json::json!({"targetId": target, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"] {
            b.call(domain, serde_json::json!({}));
        }
        b
    }

    fn send(
        &mut self,
        method: &str,
        params: serde_json::Value,
        session: bool,
    ) -> serde_json::Value {
        use std::io::Write;
        use std::time::{Duration, Instant};
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = serde_json::json!({"id": id, "method": method, "params": params});
        if session {
            msg["sessionId"] = serde_json::Value::String(self.session.clone());
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        if let Err(e) = self.to.write_all(&bytes).and_then(|()| self.to.flush()) {
            panic!(
                "{}: chromium went away ({e}) before {method}:\n{}",
                self.what,
                self.stderr_text()
            );
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = match self.from.recv_timeout(left) {
                Ok(m) => m,
                Err(e) => panic!(
                    "{}: no answer from chromium to {method} ({e}):\n{}",
                    self.what,
                    self.stderr_text()
                ),
            };
            if m.get("id").and_then(|i| i.as_u64()) == Some(id) {
                if let Some(err) = m.get("error") {
                    panic!("{}: {method} failed: {err}", self.what);
                }
                return m.get("result").cloned().unwrap_or(serde_json::Value::Null);
            }
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// A command to the browser itself (`Target.*`, `Browser.*`).
    pub fn call_browser(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.send(method, params, false)
    }

    /// A command to the attached page; its `result`. An error answer fails the test.
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.send(method, params, true)
    }

    /// Loads `url` and waits until the document has loaded.
    pub fn goto(&mut self, url: &str) {
        let r = self.call("Page.navigate", serde_json::json!({"url": url}));
        if let Some(e) = r.get("errorText") {
            panic!("{}: cannot load {url}: {e}", self.what);
        }
        assert!(
            self.wait_until("document.readyState === 'complete'", 60),
            "{}: {url} did not finish loading",
            self.what
        );
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{}: `{expression}` threw: {e}", self.what);
        }
        r["result"]
            .get("value")
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    }

    /// Polls `expression` until it is true (true: it became so; false: `seconds` passed).
    pub fn wait_until(&mut self, expression: &str, seconds: u64) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            if self.eval(expression) == serde_json::Value::Bool(true) {
                return true;
            }
            if std::time::Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }

    /// Gives the page's `<input type=file>` at `selector` these files (or, for a `webkitdirectory`
    /// input, folders, which Chromium walks as a user's choice of folder would), as the file
    /// chooser does: the page receives its `change` event.
    pub fn set_input_files(&mut self, selector: &str, paths: &[PathBuf]) {
        let doc = self.call("DOM.getDocument", serde_json::json!({"depth": 0}));
        let root = doc["root"]["nodeId"].clone();
        let node = self.call(
            "DOM.querySelector",
            serde_json::json!({"nodeId": root, "selector": selector}),
        );
        let node = node["nodeId"].clone();
        assert_ne!(node, serde_json::json!(0), "{}: no {selector}", self.what);
        let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        self.call(
            "DOM.setFileInputFiles",
            serde_json::json!({"files": files, "nodeId": node}),
        );
    }

    /// Lays the page out `width` CSS pixels wide (the height follows the content).
    pub fn set_width(&mut self, width: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
        );
        // One frame, so that the layout reflects the width before anything is read.
        self.eval("new Promise((r) => requestAnimationFrame(() => r(true)))");
    }

    /// A PNG of the whole page (not only the viewport) at `width` CSS pixels, written to `png`.
    pub fn screenshot(&mut self, width: u32, png: &Path) {
        self.set_width(width);
        let height = self
            .eval("Math.ceil(document.documentElement.scrollHeight)")
            .as_f64()
            .unwrap_or(900.0);
        let shot = self.call(
            "Page.captureScreenshot",
            serde_json::json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            }),
        );
        let data = base64_decode(shot["data"].as_str().unwrap());
        std::fs::write(png, data).unwrap();
    }

    /// The URLs the page asked for since launch (every request, whatever its host).
    pub fn requested_urls(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(String::from))
            .collect()
    }

    /// Closes the browser and waits for it to exit.
    pub fn close(mut self) {
        let _ = self.send_close();
        if let Some(child) = self.child.take() {
            wait_for_browser(child, &self.what);
        }
    }

    fn send_close(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.next_id += 1;
        let msg = serde_json::json!({"id": self.next_id, "method": "Browser.close", "params": {}});
        let mut bytes = serde_json::to_vec(&msg)?;
        bytes.push(0);
        self.to.write_all(&bytes)?;
        self.to.flush()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Standard base64 (the encoding of the DevTools protocol's binary answers).
pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        let full = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&full[..chunk.len() - 1]);
    }
    out
}

/// One piece of text a person reads on a page: a table cell, heading, paragraph, list item…
#[derive(Debug, Clone)]
pub struct Seen {
    /// Where it is, for failure messages (`table#findings row 3 td 4`).
    pub place: String,
    /// The tag (`td`, `h2`, …).
    pub tag: String,
    /// For a table cell, the text of its column's header.
    pub column: String,
    /// For a table cell, what part of the page holds its table: the id of its `<section>` or
    /// table, else the text of the heading (or `<summary>`) above it.
    pub section: String,
    /// What is shown (`innerText`).
    pub text: String,
    /// The same without what is set as code (`code`, `pre`, `kbd`, `samp`): the prose.
    pub prose: String,
}

/// Everything visible in the page that a person reads, piece by piece (folded `<details>`
/// opened first, as a reader would), and the whole body's `innerText`.
pub const SEEN_JS: &str = r##"(() => {
  // A reader opens what is folded (<details>) to read it.
  for (const d of document.querySelectorAll("details")) d.open = true;
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const prose = (e) => {
    const c = e.cloneNode(true);
    for (const x of c.querySelectorAll("code, pre, kbd, samp, script, style")) x.replaceWith(" ");
    return c.textContent;
  };
  // A cell's column header, or (in a table of label/value rows) its row's header.
  const header = (td) => {
    const table = td.closest("table");
    const head = table && table.querySelector("thead tr");
    if (head) {
      const th = head.children[td.cellIndex];
      return th ? th.innerText.trim() : "";
    }
    const th = td.parentElement.querySelector("th");
    return th ? th.innerText.trim() : "";
  };
  const name = (x) => x.tagName.toLowerCase() + (x.id ? "#" + x.id : "")
    + (typeof x.className === "string" && x.className.trim() ? "." + x.className.trim().split(/\s+/).join(".") : "");
  const place = (e) => {
    const table = e.closest("table");
    if (table && (e.tagName === "TD" || e.tagName === "TH")) {
      const section = table.closest("section[id]");
      return `${section ? "section#" + section.id + " " : ""}${name(table)} row ${e.parentElement.rowIndex} ${e.tagName.toLowerCase()} ${e.cellIndex + 1}`;
    }
    const up = [];
    for (let x = e; x && x !== document.body; x = x.parentElement) up.unshift(name(x));
    return up.join(" > ");
  };
  const heads = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, summary")];
  const section = (e) => {
    const table = e.closest("table");
    if (!table) return "";
    const s = table.closest("section[id]");
    if (s) return s.id;
    if (table.id) return table.id;
    let last = "";
    for (const h of heads) {
      if (h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) last = h.innerText.trim();
    }
    return last;
  };
  const cells = [];
  const sel = "th, td, h1, h2, h3, h4, h5, h6, caption, p, li, dt, dd, figcaption, summary, label, button, #status, footer, .summary > div";
  for (const e of document.querySelectorAll(sel)) {
    if (!shown(e)) continue;
    cells.push([place(e), e.tagName.toLowerCase(), e.tagName === "TD" ? header(e) : "", section(e), e.innerText, prose(e)]);
  }
  return { body: document.body.innerText, title: document.title, cells };
})()"##;

/// What [`SEEN_JS`] answers.
#[derive(Debug, Clone)]
pub struct Page {
    pub body: String,
    pub title: String,
    pub cells: Vec<Seen>,
}

impl Browser {
    /// What a person sees in the page now (see [`SEEN_JS`]).
    pub fn seen(&mut self) -> Page {
        let v = self.eval(SEEN_JS);
        let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        Page {
            body: s(&v["body"]),
            title: s(&v["title"]),
            cells: v["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| Seen {
                    place: s(&c[0]),
                    tag: s(&c[1]),
                    column: s(&c[2]),
                    section: s(&c[3]),
                    text: s(&c[4]),
                    prose: s(&c[5]),
                })
                .collect(),
        }
    }
}

/// Words that only English prose has (function words): one of them outside code in a Japanese
/// page means a sentence was left untranslated. Identifiers (`aws_s3_bucket`), product names
/// (Kubernetes, KMS) and values (`true`, `0.0.0.0/0`) are not among them.
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "an", "is", "are", "was", "were", "be", "been", "not", "of", "to", "in", "on", "at",
    "by", "for", "from", "with", "without", "and", "or", "but", "this", "that", "these", "those",
    "it", "its", "has", "have", "had", "can", "cannot", "could", "should", "must", "may", "will",
    "would", "does", "did", "which", "when", "where", "there", "here", "than", "then", "only",
    "any", "all", "some", "every", "none", "into", "see",
];

/// The English words in `prose` (see [`ENGLISH_FUNCTION_WORDS`]), in order. Identifiers are
/// not words: a token with `_`, `-`, `/`, `.` inside, or a digit, is skipped; nor is a word
/// inside a name between capitalised words (`Microsoft Defender for Cloud`).
pub fn english_words(prose: &str) -> Vec<String> {
    let keep = |c: char| c.is_ascii_alphanumeric() || "_-./:'".contains(c);
    // (token, separated from the previous token by spaces only)
    let mut tokens: Vec<(&str, bool)> = Vec::new();
    let mut gap_is_space = false;
    let mut start = None;
    for (i, c) in prose.char_indices() {
        if keep(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(st) = start.take() {
            tokens.push((&prose[st..i], gap_is_space));
            gap_is_space = true;
        }
        if c != ' ' {
            gap_is_space = false;
        }
    }
    if let Some(st) = start {
        tokens.push((&prose[st..], gap_is_space));
    }
    let word = |t: &str| t.trim_matches(|c: char| ".:'".contains(c)).to_string();
    let capitalised = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let mut out = Vec::new();
    for (i, (t, _)) in tokens.iter().enumerate() {
        let w = word(t);
        // A value, not prose: a constant in capitals (`NONE`) or a quoted string (`"none"`).
        let quoted = prose
            .get(..t.as_ptr() as usize - prose.as_ptr() as usize)
            .is_some_and(|before| before.ends_with('"'));
        if w.is_empty()
            || quoted
            || (w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()))
            || w.contains(|c: char| c.is_ascii_digit() || "_-./:".contains(c))
            || !ENGLISH_FUNCTION_WORDS.contains(&w.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| tokens.get(j));
        let next = tokens.get(i + 1);
        let in_name = tokens.get(i).is_some_and(|(_, joined)| *joined)
            && prev.is_some_and(|(p, _)| capitalised(p))
            && next.is_some_and(|(n, joined)| *joined && capitalised(n));
        // A capitalised one alone is a value or name (Azure's `Any`); at the start of an English
        // sentence a lower-case word follows it.
        let lone_capital = capitalised(&w)
            && !next.is_some_and(|(n, joined)| {
                *joined && n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            });
        if !in_name && !lone_capital {
            out.push(w);
        }
    }
    out
}

/// Marks of a value that was never turned into text: a DOM node or object shown as
/// `[object …]`, an HTML entity shown as its source (`&lt;`), and JavaScript's `undefined`, `NaN` and `null` standing where a value belongs
/// (alone, or against punctuation or Japanese: `第undefined条`, `main.tf:NaN`). The same words
/// inside an English sentence (`behaviour for such pods undefined`) are prose, not a leak.
pub fn unrendered(text: &str) -> Option<&'static str> {
    if text.contains("[object") {
        return Some("[object");
    }
    // An entity escaped twice, or inside a Markdown code span, shows as its source.
    for entity in ["&lt;", "&gt;", "&amp;", "&quot;", "&#"] {
        if text.contains(entity) {
            return Some(entity);
        }
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for bad in ["undefined", "NaN", "null"] {
        for (at, _) in text.match_indices(bad) {
            let before = &text[..at];
            let after = &text[at + bad.len()..];
            if before.chars().next_back().is_some_and(is_word)
                || after.chars().next().is_some_and(is_word)
            {
                continue; // part of a longer word: `null_key`, `nullable`
            }
            // Prose: after a space and an English word (`is null`, `pods undefined`).
            let prose = before.ends_with(' ')
                && before
                    .trim_end()
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()));
            if !prose {
                return Some(bad);
            }
        }
    }
    None
}

/// Fails unless every piece of `page` reads as text: nothing unrendered (see [`unrendered`]),
/// and, for a Japanese page (`lang` "ja"), no English prose outside code in any piece for which
/// `judge_english` answers true (the pieces whose text the page or the catalogue writes).
pub fn assert_readable(page: &Page, lang: &str, what: &str, judge_english: &dyn Fn(&Seen) -> bool) {
    if let Some(bad) = unrendered(&page.body) {
        let at = page
            .cells
            .iter()
            .find(|c| unrendered(&c.text).is_some())
            .map(|c| format!("{} ({:?})", c.place, c.text))
            .unwrap_or_default();
        panic!(
            "{what}: the page shows {bad:?}: {at}\n--- page text ---\n{}",
            page.body
        );
    }
    assert!(
        !page.body.trim().is_empty(),
        "{what}: the page shows nothing"
    );
    if lang == "ja" {
        let mut english = Vec::new();
        for c in page.cells.iter().filter(|c| judge_english(c)) {
            let words = english_words(&c.prose);
            if !words.is_empty() {
                english.push(format!("{}: {:?} in {:?}", c.place, words, c.text.trim()));
            }
        }
        assert!(
            english.is_empty(),
            "{what}: English in the Japanese page:\n{}",
            english.join("\n")
        );
    }
}

/// Whether a piece of a page or report holds text that the engine's parsers and evaluators
/// write: the reason a rule was not evaluated, the error of an unreadable file. The rest (the
/// page's and report's own words, the rule catalogue's messages) must be Japanese in Japanese.
pub fn engine_text(c: &Seen) -> bool {
    let section = c.section.to_lowercase();
    let column = c.column.to_lowercase();
    let engine_part = [
        "not-evaluated",
        "errors",
        "未評価",
        "評価できなかった",
        "読み込み",
        "読込",
        "not evaluated",
        "input errors",
        "could not be read",
    ]
    .iter()
    .any(|k| section.contains(k));
    c.tag == "td"
        && engine_part
        && ["理由", "内容", "reason", "message"]
            .iter()
            .any(|k| column.contains(k))
}

/// The checks of [`assert_readable`] on a report; English in engine text is collected in
/// `engine_english` rather than failed.
pub fn assert_report_readable(
    page: &Page,
    lang: &str,
    what: &str,
    engine_english: &mut std::collections::BTreeSet<String>,
) {
    assert_readable(page, lang, what, &|c| !engine_text(c));
    if lang == "ja" {
        for c in page.cells.iter().filter(|c| engine_text(c)) {
            if !english_words(&c.prose).is_empty() {
                engine_english.insert(c.text.trim().to_string());
            }
        }
    }
    // An article cell is never blank.
    for c in &page.cells {
        let col = c.column.to_lowercase();
        if c.tag == "td" && (col == "条項" || col.starts_with("article")) {
            assert!(
                !c.text.trim().is_empty(),
                "{what}: empty article cell at {}",
                c.place
            );
        }
    }
}

/// Fails on the engine messages (reasons, input errors) that stayed English in a Japanese
/// page or report: every one is written in both languages at its source.
pub fn print_engine_english(messages: &std::collections::BTreeSet<String>) {
    assert!(
        messages.is_empty(),
        "engine messages in English in Japanese output ({}):\n  {}",
        messages.len(),
        messages.iter().cloned().collect::<Vec<_>>().join("\n  ")
    );
}

// WASM policy plugins in WAT, for the tests of misbehaving and hostile plugins.

/// A plugin module: memory, a bump allocator, a no-op free, the ABI version, and the given
/// `kijun_check` body (params $ptr $len, result i64) plus any extra fields.
pub fn module(check_body: &str, extra: &str) -> String {
    format!(
        r#"(module
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 4096))
  (func (export "kijun_plugin_abi") (result i32) (i32.const 1))
  (func (export "kijun_alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow
        (i32.add (i32.div_u (global.get $bump) (i32.const 65536)) (i32.const 1))))))
    (local.get $p))
  (func (export "kijun_free") (param i32 i32))
  (func (export "kijun_check") (param $ptr i32) (param $len i32) (result i64)
    {check_body})
  {extra}
)"#
    )
}

/// A WAT string literal holding `s`.
pub fn wat_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A `kijun_check` that answers `answer`, placed at `offset`.
pub fn answering(answer: &str, extra: &str) -> String {
    module(
        &format!(
            "(i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const {}))",
            answer.len()
        ),
        &format!("(data (i32.const 16) \"{}\")\n{extra}", wat_string(answer)),
    )
}
