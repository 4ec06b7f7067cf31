//! A strict RFC 8259 JSON parser that records the byte span of every value and object key.
//!
//! One job: turn JSON text (Terraform plans, `.tf.json`, CloudFormation and ARM templates,
//! Kubernetes manifests) into a tree whose nodes know exactly where in the source they came
//! from, so findings can point at the offending bytes. It does no I/O and has no dependencies.
//!
//! The input is untrusted. The parser never panics, keeps its own explicit stack instead of
//! recursing, rejects nesting deeper than [`Limits::max_depth`], and runs in time linear in
//! the input.

use kijun_model::Text;
use std::fmt;
use std::ops::Range;

/// Byte offsets into the text given to [`parse`]; `end` is exclusive.
///
/// Offsets always count from the start of the original text, including any byte order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span as a range, ready for slicing the source text: `&text[span.range()]`.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A JSON value. Containers hold their children with spans; scalars need none of their own.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Spanned>),
    /// Members in source order, duplicates included.
    Object(Vec<Member>),
}

/// A value and the bytes it was read from (strings include their quotes).
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned {
    pub value: Json,
    pub span: Span,
}

/// One `"key": value` pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    /// The key as written, quotes included.
    pub key_span: Span,
    pub value: Spanned,
}

/// Why the text is not JSON, and the byte offset where the problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: u32,
    /// In both languages; `Display` shows the English.
    pub message: Text,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message.en, self.offset)
    }
}

impl std::error::Error for Error {}

/// Resource limits for untrusted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many arrays and objects may be open at once.
    ///
    /// The parser itself does not recurse, but dropping, cloning, comparing or printing the
    /// resulting tree does, so this bound is also what keeps those operations off the end of
    /// the stack. Raise it with care.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 512 }
    }
}

/// Parses one JSON document with the default [`Limits`].
pub fn parse(text: &str) -> Result<Spanned, Error> {
    parse_with(text, &Limits::default())
}

/// Parses one JSON document. A leading byte order mark is skipped; anything but whitespace
/// after the value is an error.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Spanned, Error> {
    parse_mode(text, limits, false)
}

/// Parses one document in the dialect Azure Resource Manager accepts for templates: JSON plus
/// `//` and `/* */` comments and line breaks or tabs written as is inside strings (multi-line
/// strings). Everything else is as strict as [`parse`].
///
/// why: `az deployment` and the portal read templates with a JSON reader that allows these,
/// and Microsoft's own samples use them; such a template must not be a syntax error here.
pub fn parse_relaxed(text: &str) -> Result<Spanned, Error> {
    parse_mode(text, &Limits::default(), true)
}

/// [`parse_relaxed`] with explicit [`Limits`].
pub fn parse_relaxed_with(text: &str, limits: &Limits) -> Result<Spanned, Error> {
    parse_mode(text, limits, true)
}

fn parse_mode(text: &str, limits: &Limits, relaxed: bool) -> Result<Spanned, Error> {
    if u32::try_from(text.len()).is_err() {
        return Err(error(
            0,
            kijun_model::text!(
                "4 GiB を超える入力は 32 ビットの位置で扱えません",
                "input larger than 4 GiB cannot be addressed by 32-bit spans"
            ),
        ));
    }
    let start = if text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        max_depth: limits.max_depth,
        relaxed,
        items: Vec::new(),
        members: Vec::new(),
    };
    parser.document()
}

impl Spanned {
    /// The value of the last member named `key`, if this is an object.
    ///
    /// The last one wins because that is what most JSON consumers (Terraform, CloudFormation,
    /// kubectl) do with duplicate keys, so a rule sees what the tool will apply.
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        self.as_object()?
            .iter()
            .rev()
            .find(|member| member.key == key)
            .map(|member| &member.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Spanned]> {
        match &self.value {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// The path from `root` to the innermost value (or object key) whose bytes contain `span`,
/// written as a Kubernetes user reads one: `spec.template.spec.hostNetwork`,
/// `spec.containers[0].ports[1].hostPort`, `metadata.annotations["example.com/team"]`. The
/// root itself is the empty string.
///
/// why: a document that is not a file a person has open (an object read from a Kubernetes API
/// server and serialised by kijun) is best located by the field that holds the offending
/// value, not by a line of the serialisation. The walk is iterative, in time linear in the
/// number of members it passes.
pub fn path_at(root: &Spanned, span: Span) -> String {
    let inside = |s: Span| s.start <= span.start && span.end <= s.end;
    let mut path = String::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            Json::Object(members) => members
                .iter()
                .find(|m| {
                    inside(Span {
                        start: m.key_span.start,
                        end: m.value.span.end,
                    })
                })
                .map(|m| {
                    push_key(&mut path, &m.key);
                    // A span on the key itself names the member.
                    (!inside(m.key_span)).then_some(&m.value)
                }),
            Json::Array(items) => {
                items
                    .iter()
                    .enumerate()
                    .find(|(_, v)| inside(v.span))
                    .map(|(i, v)| {
                        path.push_str(&format!("[{i}]"));
                        Some(v)
                    })
            }
            _ => None,
        };
        match next {
            Some(Some(child)) => node = child,
            _ => return path,
        }
    }
}

/// Appends one member name: `.name` when it is a plain identifier, else `["quoted"]`.
fn push_key(path: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str("[\"");
        for c in key.chars() {
            match c {
                '"' => path.push_str("\\\""),
                '\\' => path.push_str("\\\\"),
                c if c.is_control() => path.push_str(&format!("\\u{:04x}", c as u32)),
                c => path.push(c),
            }
        }
        path.push_str("\"]");
    }
}

fn unexpected_eof() -> Text {
    kijun_model::text!("入力が途中で終わっています", "unexpected end of input")
}

fn unterminated_string() -> Text {
    kijun_model::text!("文字列が閉じられていません", "unterminated string")
}

// why: errors are rare; keeping their construction out of line keeps the hot loops small.
#[cold]
#[inline(never)]
fn error(at: usize, message: Text) -> Error {
    Error {
        offset: offset(at),
        message,
    }
}

// why: `parse_with` rejects inputs longer than u32::MAX, so this never saturates in practice;
// saturating keeps it total without a panic path.
fn offset(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

/// An array or object that has been opened but not yet closed. Its children so far are the
/// tail of the parser's shared `items` or `members` buffer, from `base` on.
#[derive(Clone, Copy)]
struct Open {
    start: u32,
    base: usize,
    object: bool,
}

/// Removes `buffer[base..]` into a vector of its own.
fn detach<T>(buffer: &mut Vec<T>, base: usize) -> Vec<T> {
    // why: a large container that owns the whole buffer (typically the document's main
    // array) is handed over as is rather than copied; shrinking it usually happens in place.
    if base == 0 && buffer.len() >= 4096 {
        let mut whole = std::mem::take(buffer);
        whole.shrink_to_fit();
        return whole;
    }
    // `base` never exceeds the length, since children leave the buffer only when their own
    // container closes; `min` just keeps `split_off` from ever panicking.
    buffer.split_off(base.min(buffer.len()))
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    max_depth: usize,
    /// Comments and raw line breaks in strings allowed ([`parse_relaxed`]).
    relaxed: bool,
    // why: one buffer per kind, shared by all open containers and reused after each closes,
    // makes a finished container cost one exactly-sized allocation instead of a series of
    // regrowths. The last member of an open object is the one whose value is being parsed.
    items: Vec<Spanned>,
    members: Vec<Member>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn byte_at(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.pos += 1;
            }
            if !self.relaxed || self.peek() != Some(b'/') {
                return;
            }
            match self.byte_at(self.pos + 1) {
                Some(b'/') => {
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                }
                Some(b'*') => {
                    let body = self.bytes.get(self.pos + 2..).unwrap_or_default();
                    match body.windows(2).position(|w| w == b"*/") {
                        Some(end) => self.pos += 2 + end + 2,
                        // An unterminated comment: leave the cursor on it, so the caller
                        // reports an error there.
                        None => return,
                    }
                }
                _ => return,
            }
        }
    }

    fn span_from(&self, start: usize) -> Span {
        Span {
            start: offset(start),
            end: offset(self.pos),
        }
    }

    fn document(&mut self) -> Result<Spanned, Error> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(error(
                self.pos,
                kijun_model::text!("ドキュメントが空です", "empty document"),
            ));
        }
        let value = self.value()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(error(
                self.pos,
                kijun_model::text!(
                    "JSON の値の後に余分な文字があります",
                    "trailing characters after JSON value"
                ),
            ));
        }
        Ok(value)
    }

    /// Parses one value, containers included, with a heap stack instead of recursion so that
    /// hostile nesting costs memory bounded by `max_depth` rather than the thread's stack.
    fn value(&mut self) -> Result<Spanned, Error> {
        let mut stack: Vec<Open> = Vec::new();
        'value: loop {
            self.skip_ws();
            let start = self.pos;
            let mut done = match self.peek() {
                Some(b'[') => {
                    self.open(start, stack.len())?;
                    if self.peek() != Some(b']') {
                        stack.push(Open {
                            start: offset(start),
                            base: self.items.len(),
                            object: false,
                        });
                        continue 'value;
                    }
                    self.pos += 1;
                    Spanned {
                        value: Json::Array(Vec::new()),
                        span: self.span_from(start),
                    }
                }
                Some(b'{') => {
                    self.open(start, stack.len())?;
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            Spanned {
                                value: Json::Object(Vec::new()),
                                span: self.span_from(start),
                            }
                        }
                        Some(b'"') => {
                            stack.push(Open {
                                start: offset(start),
                                base: self.members.len(),
                                object: true,
                            });
                            self.key()?;
                            continue 'value;
                        }
                        _ => return Err(self.expected_key()),
                    }
                }
                _ => {
                    let value = self.scalar()?;
                    Spanned {
                        value,
                        span: self.span_from(start),
                    }
                }
            };

            // A value is complete: hand it to the enclosing container, closing as many
            // containers as the input closes here.
            loop {
                let Some(&open) = stack.last() else {
                    return Ok(done);
                };
                self.skip_ws();
                if open.object {
                    if let Some(member) = self.members.last_mut() {
                        member.value = done;
                    }
                    match self.peek() {
                        Some(b',') => {
                            let comma = self.pos;
                            self.pos += 1;
                            self.skip_ws();
                            match self.peek() {
                                Some(b'"') => {
                                    self.key()?;
                                    continue 'value;
                                }
                                Some(b'}') => {
                                    return Err(error(
                                        comma,
                                        kijun_model::text!(
                                            "オブジェクトの末尾に余分なカンマがあります",
                                            "trailing comma in object"
                                        ),
                                    ))
                                }
                                _ => return Err(self.expected_key()),
                            }
                        }
                        Some(b'}') => {}
                        None => return Err(error(self.pos, unexpected_eof())),
                        Some(_) => {
                            return Err(error(
                                self.pos,
                                kijun_model::text!(
                                    "オブジェクトのメンバーの後には ',' か '}}' が必要です",
                                    "expected ',' or '}}' after object member"
                                ),
                            ))
                        }
                    }
                } else {
                    self.items.push(done);
                    match self.peek() {
                        Some(b',') => {
                            let comma = self.pos;
                            self.pos += 1;
                            self.skip_ws();
                            if self.peek() == Some(b']') {
                                return Err(error(
                                    comma,
                                    kijun_model::text!(
                                        "配列の末尾に余分なカンマがあります",
                                        "trailing comma in array"
                                    ),
                                ));
                            }
                            continue 'value;
                        }
                        Some(b']') => {}
                        None => return Err(error(self.pos, unexpected_eof())),
                        Some(_) => {
                            return Err(error(
                                self.pos,
                                kijun_model::text!(
                                    "配列の要素の後には ',' か ']' が必要です",
                                    "expected ',' or ']' after array element"
                                ),
                            ))
                        }
                    }
                }
                // The closing bracket is under the cursor.
                self.pos += 1;
                stack.pop();
                done = self.close(open);
            }
        }
    }

    /// Moves a closed container's children out of the shared buffer into their own vector.
    fn close(&mut self, open: Open) -> Spanned {
        let span = Span {
            start: open.start,
            end: offset(self.pos),
        };
        let value = if open.object {
            Json::Object(detach(&mut self.members, open.base))
        } else {
            Json::Array(detach(&mut self.items, open.base))
        };
        Spanned { value, span }
    }

    /// Steps past an opening bracket at `start`, refusing it if `depth` containers are
    /// already open.
    fn open(&mut self, start: usize, depth: usize) -> Result<(), Error> {
        if depth >= self.max_depth {
            return Err(error(
                start,
                kijun_model::text!(
                    "入れ子が {} 階層を超えています",
                    "nesting deeper than {} levels",
                    self.max_depth
                ),
            ));
        }
        self.pos = start + 1;
        self.skip_ws();
        Ok(())
    }

    fn expected_key(&self) -> Error {
        match self.peek() {
            None => error(self.pos, unexpected_eof()),
            Some(_) => error(
                self.pos,
                kijun_model::text!(
                    "オブジェクトには文字列のキーが必要です",
                    "expected a string key in object"
                ),
            ),
        }
    }

    /// Parses `"key"` and the `:` after it, and adds a member for it whose value is filled
    /// in once parsed; the cursor is on the opening quote.
    fn key(&mut self) -> Result<(), Error> {
        let start = self.pos;
        let key = self.string()?;
        let key_span = self.span_from(start);
        self.skip_ws();
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                // The null is a placeholder, overwritten as soon as the value is parsed.
                self.members.push(Member {
                    key,
                    key_span,
                    value: Spanned {
                        value: Json::Null,
                        span: key_span,
                    },
                });
                Ok(())
            }
            None => Err(error(self.pos, unexpected_eof())),
            Some(_) => Err(error(
                self.pos,
                kijun_model::text!(
                    "オブジェクトのキーの後には ':' が必要です",
                    "expected ':' after object key"
                ),
            )),
        }
    }

    fn scalar(&mut self) -> Result<Json, Error> {
        let start = self.pos;
        Ok(match self.peek() {
            Some(b'"') => Json::String(self.string()?),
            Some(b't') => self.literal("true", Json::Bool(true))?,
            Some(b'f') => self.literal("false", Json::Bool(false))?,
            Some(b'n') => self.literal("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Number(self.number()?),
            // why: these are common non-JSON number spellings; say so rather than just
            // "unexpected character".
            Some(b'+') => {
                return Err(error(
                    start,
                    kijun_model::text!(
                        "数値が不正です: 先頭に '+' は使えません",
                        "invalid number: leading '+' is not allowed"
                    ),
                ))
            }
            Some(b'.') => {
                return Err(error(
                    start,
                    kijun_model::text!(
                        "数値が不正です: '.' の前に数字が必要です",
                        "invalid number: expected digit before '.'"
                    ),
                ))
            }
            Some(_) => {
                return Err(self.unexpected_char(kijun_model::text!(
                    "JSON の値が必要です",
                    "expected a JSON value"
                )))
            }
            None => return Err(error(start, unexpected_eof())),
        })
    }

    fn unexpected_char(&self, what: Text) -> Error {
        // The cursor only ever rests after ASCII bytes or whole strings, so it is on a
        // character boundary and the character can be shown whole.
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            Some(c) => error(
                self.pos,
                kijun_model::text!(
                    "{0}（実際は '{1}'）",
                    "{0}, found '{1}'",
                    what,
                    c.escape_debug()
                ),
            ),
            None => error(self.pos, what),
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, Error> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        if rest.starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else if word.as_bytes().starts_with(rest) {
            Err(error(self.bytes.len(), unexpected_eof()))
        } else {
            Err(error(
                self.pos,
                kijun_model::text!(
                    "リテラルが不正です。'{word}' が必要です",
                    "invalid literal, expected '{word}'"
                ),
            ))
        }
    }

    fn digits_from(&self, mut at: usize) -> usize {
        while let Some(b'0'..=b'9') = self.byte_at(at) {
            at += 1;
        }
        at
    }

    fn required_digits_from(&self, at: usize, message: Text) -> Result<usize, Error> {
        match self.byte_at(at) {
            Some(b'0'..=b'9') => Ok(self.digits_from(at)),
            None => Err(error(at, unexpected_eof())),
            Some(_) => Err(error(at, message)),
        }
    }

    fn number(&mut self) -> Result<f64, Error> {
        let start = self.pos;
        let negative = self.byte_at(start) == Some(b'-');
        let int_start = if negative { start + 1 } else { start };
        let int_end = match self.byte_at(int_start) {
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.byte_at(int_start + 1) {
                    return Err(error(
                        start,
                        kijun_model::text!(
                            "数値が不正です: 先頭に 0 を重ねることはできません",
                            "invalid number: leading zeros are not allowed"
                        ),
                    ));
                }
                int_start + 1
            }
            Some(b'1'..=b'9') => self.digits_from(int_start),
            None => return Err(error(int_start, unexpected_eof())),
            Some(_) => {
                return Err(error(
                    int_start,
                    kijun_model::text!(
                        "数値が不正です: '-' の後に数字が必要です",
                        "invalid number: expected digit after '-'"
                    ),
                ))
            }
        };
        let mut end = int_end;
        if self.byte_at(end) == Some(b'.') {
            end = self.required_digits_from(
                end + 1,
                kijun_model::text!(
                    "数値が不正です: '.' の後に数字が必要です",
                    "invalid number: expected digit after '.'"
                ),
            )?;
        }
        if let Some(b'e' | b'E') = self.byte_at(end) {
            end += 1;
            if let Some(b'+' | b'-') = self.byte_at(end) {
                end += 1;
            }
            end = self.required_digits_from(
                end,
                kijun_model::text!(
                    "数値が不正です: 指数部に数字が必要です",
                    "invalid number: expected digit in exponent"
                ),
            )?;
        }
        self.pos = end;

        // why: most numbers in infrastructure JSON are small integers (ports, counts, sizes);
        // up to 15 digits they convert exactly without the general decimal algorithm.
        if end == int_end && int_end - int_start <= 15 {
            let digits = self.bytes.get(int_start..int_end).unwrap_or_default();
            let magnitude = digits
                .iter()
                .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'))
                as f64;
            return Ok(if negative { -magnitude } else { magnitude });
        }
        match self.text.get(start..end).map(str::parse::<f64>) {
            Some(Ok(n)) if n.is_finite() => Ok(n),
            Some(Ok(_)) => Err(error(
                start,
                kijun_model::text!("数値が範囲外です", "number out of range"),
            )),
            _ => Err(error(
                start,
                kijun_model::text!("数値が不正です", "invalid number"),
            )),
        }
    }

    /// First position at or after `from` holding a byte that ends a plain run of string
    /// content: a quote, a backslash or a control character (or the end of input).
    fn plain_run_end(&self, from: usize) -> usize {
        let rest = self.bytes.get(from..).unwrap_or_default();
        let raw_ok = |b: u8| self.relaxed && matches!(b, b'\n' | b'\r' | b'\t');
        from + rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || (b < 0x20 && !raw_ok(b)))
            .unwrap_or(rest.len())
    }

    // Both ends of a plain run sit next to ASCII bytes, so they are character boundaries;
    // the error is there only so a mistake shows up as an error instead of a panic.
    fn slice(&self, from: usize, to: usize) -> Result<&str, Error> {
        self.text.get(from..to).ok_or_else(|| {
            error(
                from,
                kijun_model::text!(
                    "内部エラー: 文字の境界以外で文字列を切り出しました",
                    "internal error: string slice off a character boundary"
                ),
            )
        })
    }

    /// Parses a string; the cursor is on the opening quote. Strings without escapes are
    /// copied once; only escaped strings are built up piece by piece.
    fn string(&mut self) -> Result<String, Error> {
        let open = self.pos;
        let content = open + 1;
        let mut at = self.plain_run_end(content);
        match self.byte_at(at) {
            Some(b'"') => {
                self.pos = at + 1;
                return Ok(self.slice(content, at)?.to_owned());
            }
            Some(b'\\') => {}
            Some(_) => {
                return Err(error(
                    at,
                    kijun_model::text!(
                        "文字列中の制御文字はエスケープしなければなりません",
                        "control character in string must be escaped"
                    ),
                ))
            }
            None => return Err(error(open, unterminated_string())),
        }
        let mut out = String::with_capacity(at - content + 16);
        out.push_str(self.slice(content, at)?);
        loop {
            // The cursor is on a backslash.
            let run = self.escape(open, at, &mut out)?;
            at = self.plain_run_end(run);
            out.push_str(self.slice(run, at)?);
            match self.byte_at(at) {
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok(out);
                }
                Some(b'\\') => {}
                Some(_) => {
                    return Err(error(
                        at,
                        kijun_model::text!(
                            "文字列中の制御文字はエスケープしなければなりません",
                            "control character in string must be escaped"
                        ),
                    ))
                }
                None => return Err(error(open, unterminated_string())),
            }
        }
    }

    /// Decodes the escape whose backslash is at `at` and returns the position after it.
    fn escape(&self, open: usize, at: usize, out: &mut String) -> Result<usize, Error> {
        let c = match self.byte_at(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(open, at, out),
            Some(_) => {
                return Err(error(
                    at,
                    kijun_model::text!("エスケープが不正です", "invalid escape"),
                ))
            }
            None => return Err(error(open, unterminated_string())),
        };
        out.push(c);
        Ok(at + 2)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        self.bytes
            .get(at..at + 4)?
            .iter()
            .try_fold(0u32, |acc, &b| {
                Some((acc << 4) | char::from(b).to_digit(16)?)
            })
    }

    /// Decodes `\uXXXX` at `at`, pairing surrogates when a low one follows.
    fn unicode_escape(&self, open: usize, at: usize, out: &mut String) -> Result<usize, Error> {
        let Some(unit) = self.hex4(at + 2) else {
            let digits = self.bytes.get(at + 2..).unwrap_or_default();
            let hex_then_eof = digits.len() < 4 && digits.iter().all(u8::is_ascii_hexdigit);
            return Err(if hex_then_eof {
                error(open, unterminated_string())
            } else {
                error(
                    at,
                    kijun_model::text!(
                        "\\u エスケープが不正です: 16 進数 4 桁が必要です",
                        "invalid \\u escape: expected four hex digits"
                    ),
                )
            });
        };
        let mut next = at + 6;
        let decoded = match unit {
            0xD800..=0xDBFF => {
                let low =
                    if self.byte_at(next) == Some(b'\\') && self.byte_at(next + 1) == Some(b'u') {
                        self.hex4(next + 2)
                    } else {
                        None
                    };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        next += 6;
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    }
                    // why: real-world JSON (e.g. truncated UTF-16 from Windows tools) contains
                    // lone surrogates; replacing them keeps the rest of the document usable.
                    // Whatever follows is decoded on its own.
                    _ => None,
                }
            }
            // A lone low surrogate: `from_u32` refuses it and it is replaced below.
            _ => char::from_u32(unit),
        };
        out.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(next)
    }
}
