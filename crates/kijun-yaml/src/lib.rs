//! YAML streams into kijun's value model.
//!
//! One job: turn the text of a YAML stream (Kubernetes manifests, CloudFormation templates, Helm
//! output) into one [`kijun_model::Node`] tree per document, every node carrying the exact byte
//! range it was written at, so findings can point at the offending bytes. It does no I/O and
//! depends only on kijun-model and saphyr's parser (saphyr-parser).
//!
//! The input is untrusted. Parsing never panics and never recurses: the tree is built from the
//! parser's event stream with an explicit stack, nesting deeper than [`Limits::max_depth`] is an
//! error at the offending node, and alias expansion is bounded by [`Limits::max_alias_nodes`] so
//! a "billion laughs" file fails fast instead of exhausting memory.
//!
//! What the text means:
//! - Plain scalars follow the YAML 1.2 core schema (`true`, `null`, `~`, numbers, `.inf`), with
//!   leading-zero octal (`0644`) kept from YAML 1.1 for Kubernetes file modes; `yes`/`no`/`on`/
//!   `off` stay strings. Quoted and block scalars are strings. See `scalar.rs` for why.
//! - The core tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq` are
//!   honoured; other `!!` tags are ignored.
//! - Any other tag (CloudFormation's `!Ref X`, `!If [..]`, `!Sub |`) becomes an object with one
//!   key, the tag as written (`"!Ref"`), whose value is the untagged node: the same shape as the
//!   long form `{"Ref": "X"}` apart from the `!`, so the tag is never silently lost.
//! - Mapping keys are their scalar's text (`1:` is the key `"1"`); collections as keys are an
//!   error. A repeated key keeps its last value. Merge keys (`<<: *defaults`) are applied.
//! - Empty documents (nothing but comments, or a bare `---`) are skipped.

mod offsets;
mod scalar;

use kijun_model::{FileId, Node, Origin, Value};
use offsets::Offsets;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// One document of a stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    /// The byte range of the whole document: from its `---` (or its first token) to the end of
    /// its content, or of its `...` when it has one.
    pub at: Origin,
}

/// Why the text could not be read, and the byte offset where the problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: u32,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for Error {}

/// Resource limits for untrusted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many lists and objects may be nested, counting the one-key object a local tag such as
    /// `!If` becomes.
    ///
    /// Building the tree does not recurse, but dropping, cloning, comparing or printing a `Node`
    /// does, so this bound is also what keeps those operations off the end of the stack. Raise it
    /// with care. saphyr's parser itself refuses flow collections (`[`, `{`) nested deeper than
    /// 255, whatever this says.
    pub max_depth: usize,
    /// How many nodes aliases (`*name`) may copy in the whole stream, counted before copying.
    pub max_alias_nodes: usize,
    /// How many non-empty documents one stream may hold.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
            max_documents: 10_000,
        }
    }
}

/// Parses a YAML stream with the default [`Limits`].
pub fn parse(file: FileId, text: &str) -> Result<Vec<Document>, Error> {
    parse_with(file, text, &Limits::default())
}

/// Parses a YAML stream; `file` is recorded in every position.
pub fn parse_with(file: FileId, text: &str, limits: &Limits) -> Result<Vec<Document>, Error> {
    Builder::new(file, text, limits).run()
}

/// A finished node and what its parent and aliases need to know about it.
struct Built {
    node: Node,
    /// Nodes in the subtree, charged to the alias budget when an alias copies it.
    count: usize,
    /// Lists and objects on the longest path down, checked against the depth limit when an alias
    /// puts a copy somewhere deeper.
    height: usize,
    /// Whether it can be the value of a merge key: a mapping, or a list of them.
    mergeable: bool,
}

struct Anchor {
    built: Built,
    /// The scalar's text, for an alias used as a mapping key; `None` for collections.
    key: Option<Arc<str>>,
}

struct Key {
    name: Arc<str>,
    /// A plain, untagged `<<`.
    merge: bool,
}

enum Entries {
    List(Vec<Node>),
    Object {
        entries: BTreeMap<Arc<str>, Node>,
        /// The key read but whose value has not arrived yet.
        key: Option<Key>,
        /// Values of merge keys, applied when the mapping ends.
        merges: Vec<Node>,
    },
}

/// A list or object being read.
struct Frame {
    entries: Entries,
    start: usize,
    /// The end of the last key or value read: block collections end there, not at the next
    /// token (which can be lines of comments further on).
    last_end: usize,
    anchor: usize,
    /// The local tag to wrap the finished collection in.
    wrap: Option<Arc<str>>,
    /// Nesting of the collection itself, the root being 1.
    depth: usize,
    count: usize,
    height: usize,
}

enum TagKind<'t> {
    None,
    /// The non-specific tag `!`: a scalar is a string.
    NonSpecific,
    /// `tag:yaml.org,2002:` and what follows.
    Core(&'t str),
    Local(&'t Tag),
}

fn classify(tag: Option<&Tag>) -> TagKind<'_> {
    const CORE: &str = "tag:yaml.org,2002:";
    let Some(tag) = tag else {
        return TagKind::None;
    };
    if tag.handle == CORE {
        TagKind::Core(&tag.suffix)
    } else if let Some(core) = tag
        .suffix
        .strip_prefix(CORE)
        .filter(|_| tag.handle.is_empty())
    {
        // `!<tag:yaml.org,2002:str>`: saphyr leaves verbatim tags whole in the suffix.
        TagKind::Core(core)
    } else if matches!((&*tag.handle, &*tag.suffix), ("!", "") | ("", "!")) {
        TagKind::NonSpecific
    } else {
        TagKind::Local(tag)
    }
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    limits: Limits,
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    /// Anchors of the current document, by saphyr's anchor id.
    anchors: HashMap<usize, Anchor>,
    /// Nodes copied by aliases so far in the stream.
    alias_nodes: usize,
    /// Keys and tag names, shared: manifests repeat the same few keys thousands of times.
    names: HashSet<Arc<str>>,
    scratch: String,
    docs: Vec<Document>,
    doc_start: usize,
    /// The finished root of the current document, and whether it is the empty scalar of an
    /// empty document.
    root: Option<(Node, bool)>,
}

impl<'a> Builder<'a> {
    fn new(file: FileId, text: &'a str, limits: &Limits) -> Builder<'a> {
        Builder {
            file,
            text,
            limits: *limits,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            names: HashSet::new(),
            scratch: String::new(),
            docs: Vec::new(),
            doc_start: 0,
            root: None,
        }
    }

    fn run(mut self) -> Result<Vec<Document>, Error> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            match event {
                Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
                Event::DocumentStart(_) => {
                    self.doc_start = self.byte(span.start.index());
                    // why: anchors do not reach across documents (saphyr's event API keeps them).
                    self.anchors.clear();
                    self.stack.clear();
                    self.root = None;
                }
                Event::DocumentEnd => self.end_document(span)?,
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(&value, style, anchor, tag.as_deref(), span)?;
                }
                Event::Alias(id) => self.alias(id, span)?,
                Event::SequenceStart(anchor, tag) => self.start(false, anchor, tag, span)?,
                Event::MappingStart(anchor, tag) => self.start(true, anchor, tag, span)?,
                Event::SequenceEnd | Event::MappingEnd => self.end(span)?,
            }
        }
        Ok(self.docs)
    }

    fn byte(&mut self, char_index: usize) -> usize {
        self.offsets.byte(char_index)
    }

    fn origin(&self, start: usize, end: usize) -> Origin {
        Origin::new(self.file, start, end)
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> Error {
        Error {
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            message: message.into(),
        }
    }

    fn scan_error(&mut self, e: &ScanError) -> Error {
        let offset = self.byte(e.marker().index());
        let info = e.info().lines().next().unwrap_or("invalid YAML");
        let message = if info == "recursion limit exceeded" {
            // why: saphyr's wording names its own implementation, not the reader's problem.
            "flow collections nested deeper than 255 levels (recursion limit exceeded)"
        } else {
            info
        };
        self.error(offset, message)
    }

    fn depth(&self) -> usize {
        self.stack.last().map_or(0, |f| f.depth)
    }

    fn too_deep(&self, offset: usize) -> Error {
        self.error(
            offset,
            format!("nesting deeper than {} levels", self.limits.max_depth),
        )
    }

    /// Whether the next node is a mapping key.
    fn awaiting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                entries: Entries::Object { key: None, .. },
                ..
            })
        )
    }

    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(name) = self.names.get(s) {
            return Arc::clone(name);
        }
        let name: Arc<str> = Arc::from(s);
        self.names.insert(Arc::clone(&name));
        name
    }

    /// The object key a local tag becomes: the tag as written for `!Name` tags.
    fn tag_name(&mut self, tag: &Tag) -> Arc<str> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.push_str(&tag.handle);
        scratch.push_str(&tag.suffix);
        let name = self.intern(&scratch);
        self.scratch = scratch;
        name
    }

    fn set_key(&mut self, name: Arc<str>, merge: bool, end: usize) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = frame.last_end.max(end);
            if let Entries::Object { key, .. } = &mut frame.entries {
                *key = Some(Key { name, merge });
            }
        }
    }

    fn remember(&mut self, anchor: usize, built: &Built, key: Option<Arc<str>>) {
        if anchor > 0 {
            let copy = Built {
                node: built.node.clone(),
                count: built.count,
                height: built.height,
                mergeable: built.mergeable,
            };
            self.anchors.insert(anchor, Anchor { built: copy, key });
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), Error> {
        let mut start = self.byte(span.start.index());
        let mut end = self.byte(span.end.index());
        let bare = tag.is_none() && anchor == 0;
        match style {
            // why: saphyr gives an absent value the span of whatever token follows it (even the
            // next document's `---`); nothing was written, so nothing is covered.
            ScalarStyle::Plain if value.is_empty() && bare => end = start,
            ScalarStyle::Literal | ScalarStyle::Folded => {
                (start, end) = self.block_scalar_span(start, end, bare);
            }
            _ => {}
        }
        let at = self.origin(start, end);
        if self.awaiting_key() {
            let name = self.intern(value);
            if anchor > 0 {
                let built = self.scalar_node(value, style, tag, at, start)?;
                self.remember(anchor, &built, Some(Arc::clone(&name)));
            }
            let merge = value == "<<" && style == ScalarStyle::Plain && tag.is_none();
            self.set_key(name, merge, end);
            return Ok(());
        }
        let built = self.scalar_node(value, style, tag, at, start)?;
        if anchor > 0 {
            let key = self.intern(value);
            self.remember(anchor, &built, Some(key));
        }
        let empty = value.is_empty() && style == ScalarStyle::Plain && bare;
        self.attach(built, end, empty)
    }

    fn scalar_node(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: Origin,
        start: usize,
    ) -> Result<Built, Error> {
        let v = match classify(tag) {
            TagKind::None => untagged(value, style),
            TagKind::NonSpecific => Value::String(Arc::from(value)),
            TagKind::Core(suffix) => {
                let resolved = match suffix {
                    "str" => Some(Value::String(Arc::from(value))),
                    "int" => scalar::int(value).map(Value::Number),
                    "float" => scalar::float(value)
                        .or_else(|| scalar::int(value))
                        .map(Value::Number),
                    "bool" => scalar::boolean(value).map(Value::Bool),
                    "null" => scalar::null(value),
                    "map" | "seq" => {
                        return Err(self.error(
                            start,
                            format!("tag !!{suffix} cannot be applied to a scalar"),
                        ))
                    }
                    // why: `!!binary`, `!!timestamp` and friends add nothing a rule can use.
                    _ => Some(untagged(value, style)),
                };
                resolved.ok_or_else(|| {
                    self.error(
                        start,
                        format!("value tagged !!{suffix} is not a valid {suffix}"),
                    )
                })?
            }
            TagKind::Local(tag) => {
                if self.depth() + 1 > self.limits.max_depth {
                    return Err(self.too_deep(start));
                }
                let name = self.tag_name(tag);
                let inner = Node::new(untagged(value, style), at);
                return Ok(Built {
                    node: Node::new(
                        Value::Object(kijun_model::Map::from_iter([(name, inner)])),
                        at,
                    ),
                    count: 2,
                    height: 1,
                    mergeable: false,
                });
            }
        };
        Ok(Built {
            node: Node::new(v, at),
            count: 1,
            height: 0,
            mergeable: false,
        })
    }

    /// saphyr starts a block scalar's span at its first content line unless it has a tag or an
    /// anchor, and ends it after any trailing blank lines. The node's text starts at its `|` or
    /// `>` and ends with its last content character.
    fn block_scalar_span(&self, start: usize, end: usize, bare: bool) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let start = if bare {
            self.block_header(start).unwrap_or(start)
        } else {
            start
        };
        let mut trimmed = end;
        while trimmed > start
            && matches!(bytes.get(trimmed - 1), Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            trimmed -= 1;
        }
        // why: spaces ending the last content line are content; only line breaks and the blank
        // lines after them go.
        let spaces = bytes
            .get(trimmed..end)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        (start, trimmed + spaces)
    }

    /// The `|` or `>` of the block scalar whose content (or, when empty, the following token)
    /// starts at `start`.
    fn block_header(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        if is_block_header(bytes, start) {
            return Some(start);
        }
        let mut line_start = line_start(bytes, start);
        if !bytes
            .get(line_start..start)?
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
        {
            return None;
        }
        // Leading blank lines belong to the scalar; the header is on the last line before them
        // that has anything on it. An empty scalar's span starts at the next token, which can
        // follow comment lines (content never does: a `#` line at the content's indentation
        // would itself be content).
        loop {
            if line_start == 0 {
                return None;
            }
            let prev = line_start_of_prev(bytes, line_start);
            let line = bytes.get(prev..line_start - 1)?;
            let first = line.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\r'));
            if matches!(first, None | Some(b'#')) {
                line_start = prev;
                continue;
            }
            return (prev..line_start - 1)
                .find(|&p| matches!(bytes.get(p), Some(b'|' | b'>')) && is_block_header(bytes, p));
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), Error> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        let Some(anchor) = self.anchors.get(&id) else {
            return Err(self.error(start, "alias refers to an anchor outside this document"));
        };
        if self.awaiting_key() {
            let Some(name) = anchor.key.clone() else {
                return Err(self.error(start, "complex mapping keys are not supported"));
            };
            self.set_key(name, false, end);
            return Ok(());
        }
        let total = self.alias_nodes.saturating_add(anchor.built.count);
        if total > self.limits.max_alias_nodes {
            return Err(self.error(
                start,
                format!(
                    "alias expansion exceeds {} nodes",
                    self.limits.max_alias_nodes
                ),
            ));
        }
        if self.depth().saturating_add(anchor.built.height) > self.limits.max_depth {
            return Err(self.too_deep(start));
        }
        let mut node = anchor.built.node.clone();
        let (count, height, mergeable) = (
            anchor.built.count,
            anchor.built.height,
            anchor.built.mergeable,
        );
        self.alias_nodes = total;
        // why: the copy as a whole was written here; what is inside it keeps pointing at the
        // anchored text, where its values really are.
        node.at = self.origin(start, end);
        let built = Built {
            node,
            count,
            height,
            mergeable,
        };
        self.attach(built, end, false)
    }

    fn start(
        &mut self,
        mapping: bool,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Result<(), Error> {
        let start = self.byte(span.start.index());
        if self.awaiting_key() {
            return Err(self.error(start, "complex mapping keys are not supported"));
        }
        let kind = if mapping { "mapping" } else { "sequence" };
        let wrap = match classify(tag.as_deref()) {
            TagKind::Local(tag) => Some(self.tag_name(tag)),
            TagKind::Core("map") if mapping => None,
            TagKind::Core("seq") if !mapping => None,
            TagKind::Core(s @ ("str" | "int" | "float" | "bool" | "null" | "map" | "seq")) => {
                return Err(self.error(start, format!("tag !!{s} cannot be applied to a {kind}")));
            }
            TagKind::Core(_) | TagKind::None | TagKind::NonSpecific => None,
        };
        let depth = self.depth() + 1 + usize::from(wrap.is_some());
        if depth > self.limits.max_depth {
            return Err(self.too_deep(start));
        }
        let entries = if mapping {
            Entries::Object {
                entries: BTreeMap::new(),
                key: None,
                merges: Vec::new(),
            }
        } else {
            Entries::List(Vec::new())
        };
        self.stack.push(Frame {
            entries,
            start,
            last_end: start,
            anchor,
            wrap,
            depth,
            count: 0,
            height: 0,
        });
        Ok(())
    }

    fn end(&mut self, span: Span) -> Result<(), Error> {
        let close_start = self.byte(span.start.index());
        let close_end = self.byte(span.end.index());
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        // A flow collection ends with its `]` or `}`; saphyr gives the end of a block collection
        // an empty span at the next token.
        let end = if close_end > close_start {
            close_end
        } else {
            frame.last_end.max(frame.start)
        };
        let at = self.origin(frame.start, end);
        let (value, mergeable) = match frame.entries {
            Entries::List(items) => {
                let maps = items.iter().all(|n| matches!(n.value, Value::Object(_)));
                (Value::List(items), maps)
            }
            Entries::Object {
                mut entries,
                merges,
                ..
            } => {
                merge(&mut entries, merges);
                (Value::Object(entries.into()), true)
            }
        };
        let mut built = Built {
            node: Node::new(value, at),
            count: frame.count + 1,
            height: frame.height + 1,
            mergeable,
        };
        if let Some(name) = frame.wrap {
            built = Built {
                node: Node::new(
                    Value::Object(kijun_model::Map::from_iter([(name, built.node)])),
                    at,
                ),
                count: built.count + 1,
                height: built.height + 1,
                mergeable: false,
            };
        }
        self.remember(frame.anchor, &built, None);
        self.attach(built, end, false)
    }

    fn attach(&mut self, built: Built, end: usize, empty: bool) -> Result<(), Error> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some((built.node, empty));
            return Ok(());
        };
        frame.last_end = frame.last_end.max(end);
        frame.count = frame.count.saturating_add(built.count);
        frame.height = frame.height.max(built.height);
        match &mut frame.entries {
            Entries::List(items) => items.push(built.node),
            Entries::Object {
                entries,
                key,
                merges,
            } => match key.take() {
                Some(Key { merge: true, .. }) if built.mergeable => merges.push(built.node),
                Some(Key { name, .. }) => {
                    // why: a repeated key keeps its last value, as kubectl and CloudFormation do.
                    entries.insert(name, built.node);
                }
                None => {
                    let offset = built.node.at.start as usize;
                    return Err(self.error(offset, "complex mapping keys are not supported"));
                }
            },
        }
        Ok(())
    }

    fn end_document(&mut self, span: Span) -> Result<(), Error> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        self.stack.clear();
        let Some((root, empty)) = self.root.take() else {
            return Ok(());
        };
        if empty {
            return Ok(());
        }
        if self.docs.len() >= self.limits.max_documents {
            return Err(self.error(
                self.doc_start,
                format!(
                    "more than {} documents in one stream",
                    self.limits.max_documents
                ),
            ));
        }
        // why: saphyr gives an implicit document end the span of the next `---`, which belongs
        // to the next document; only a written `...` is part of this one.
        let explicit = self.text.get(start..end) == Some("...");
        let doc_end = if explicit {
            end.max(root.at.end as usize)
        } else {
            root.at.end as usize
        };
        let doc_start = self.doc_start.min(root.at.start as usize);
        let at = self.origin(doc_start, doc_end);
        self.docs.push(Document { root, at });
        Ok(())
    }
}

/// A scalar with no tag, or the content of a locally tagged one.
fn untagged(value: &str, style: ScalarStyle) -> Value {
    if style == ScalarStyle::Plain {
        if let Some(v) = scalar::resolve_plain(value) {
            return v;
        }
    }
    Value::String(Arc::from(value))
}

/// Applies merge keys: keys written in the mapping win, then earlier merged mappings over later.
fn merge(entries: &mut BTreeMap<Arc<str>, Node>, merges: Vec<Node>) {
    for source in merges {
        let maps = match source.value {
            Value::List(items) => items,
            other => vec![Node::new(other, source.at)],
        };
        for map in maps {
            if let Value::Object(m) = map.value {
                for (k, v) in m {
                    entries.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// Whether a block scalar header (`|`, `>-`, `|2+ # comment`) starts at `p` and fills the rest
/// of its line.
fn is_block_header(bytes: &[u8], p: usize) -> bool {
    if !matches!(bytes.get(p), Some(b'|' | b'>')) {
        return false;
    }
    let mut i = p + 1;
    let mut indicators = 0;
    while indicators < 2 && matches!(bytes.get(i), Some(b'1'..=b'9' | b'+' | b'-')) {
        i += 1;
        indicators += 1;
    }
    let mut blank = false;
    loop {
        match bytes.get(i) {
            None | Some(b'\n') => return true,
            Some(b'\r') if matches!(bytes.get(i + 1), None | Some(b'\n')) => return true,
            Some(b' ' | b'\t') => blank = true,
            Some(b'#') => return blank,
            Some(_) => return false,
        }
        i += 1;
    }
}

/// The offset of the first byte of the line holding `p`.
fn line_start(bytes: &[u8], p: usize) -> usize {
    bytes
        .get(..p)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1)
}

/// The start of the line before the line starting at `line_start` (which must be > 0).
fn line_start_of_prev(bytes: &[u8], line_start: usize) -> usize {
    self::line_start(bytes, line_start.saturating_sub(1))
}
