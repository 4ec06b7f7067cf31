//! YAML streams into kijun's value model.
//!
//! One job: turn the text of a YAML stream (Kubernetes manifests, CloudFormation templates, Helm
//! output) into one [`kijun_model::Node`] tree per document, every node carrying the exact byte
//! range it was written at, so findings can point at the offending bytes. It does no I/O and
//! depends only on kijun-model and libyaml-safer, a Rust port of libyaml: the parser behind
//! PyYAML and, through its Go port go-yaml, behind kubectl. What those tools accept is accepted
//! here and what they reject is rejected (tests/differential.rs checks it file by file).
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

mod scalar;
mod shift;

use kijun_model::{FileId, Node, Origin, Text, Value};
use libyaml_safer::{Event, EventData, Parser, ScalarStyle};
use shift::Shift;
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
    /// How many lists and objects may be nested, counting the one-key object a local tag such as
    /// `!If` becomes.
    ///
    /// Building the tree does not recurse, but dropping, cloning, comparing or printing a `Node`
    /// does, so this bound is also what keeps those operations off the end of the stack. Raise it
    /// with care.
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
    let mut commas = shift::candidates(text);
    // See shift.rs: each further pass goes without the spaces that landed inside scalars, so
    // it has fewer; in practice there is one pass, two when a `!word,` sits inside a string.
    let mut passes = 0;
    loop {
        let (shifted, shift) = Shift::apply(text, &commas);
        let mut builder = Builder::new(file, &shifted, limits, &shift);
        let result = builder.run();
        passes += 1;
        if builder.conflicts.is_empty() || passes >= 8 {
            return result;
        }
        let wrong = std::mem::take(&mut builder.conflicts);
        commas.retain(|c| !wrong.contains(c));
    }
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
    anchor: Option<String>,
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
    /// Any other tag, as libyaml resolves it (`!Ref`, or a `%TAG` prefix and the suffix).
    Local(&'t str),
}

fn classify(tag: Option<&str>) -> TagKind<'_> {
    const CORE: &str = "tag:yaml.org,2002:";
    let Some(tag) = tag else {
        return TagKind::None;
    };
    if let Some(core) = tag.strip_prefix(CORE) {
        TagKind::Core(core)
    } else if tag == "!" {
        TagKind::NonSpecific
    } else {
        TagKind::Local(tag)
    }
}

struct Builder<'a> {
    file: FileId,
    /// The text the parser reads: the given text, or it with spaces inserted (shift.rs). All
    /// offsets inside the builder are in this text; `origin` and `error` map them back.
    text: &'a str,
    shift: &'a Shift,
    limits: Limits,
    stack: Vec<Frame>,
    /// Anchors of the current document, by name; a later anchor of the same name replaces an
    /// earlier one, as YAML 1.2 (and go-yaml) have it.
    anchors: HashMap<String, Anchor>,
    /// Nodes copied by aliases so far in the stream.
    alias_nodes: usize,
    /// Keys and tag names, shared: manifests repeat the same few keys thousands of times.
    names: HashSet<Arc<str>>,
    docs: Vec<Document>,
    doc_start: usize,
    /// The finished root of the current document, and whether it is the empty scalar of an
    /// empty document.
    root: Option<(Node, bool)>,
    /// Inserted spaces found inside a scalar (offsets in the given text): see shift.rs.
    conflicts: Vec<usize>,
}

impl<'a> Builder<'a> {
    fn new(file: FileId, text: &'a str, limits: &Limits, shift: &'a Shift) -> Builder<'a> {
        Builder {
            file,
            text,
            shift,
            limits: *limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            names: HashSet::new(),
            docs: Vec::new(),
            doc_start: 0,
            root: None,
            conflicts: Vec::new(),
        }
    }

    fn run(&mut self) -> Result<Vec<Document>, Error> {
        let mut input = self.text.as_bytes();
        let mut parser = Parser::new();
        parser.set_input_string(&mut input);
        loop {
            let Event {
                data,
                start_mark,
                end_mark,
                ..
            } = parser.parse().map_err(|e| self.parse_error(&e))?;
            let start = usize::try_from(start_mark.index).unwrap_or(usize::MAX);
            let end = usize::try_from(end_mark.index).unwrap_or(usize::MAX);
            match data {
                EventData::StreamEnd => break,
                EventData::StreamStart { .. } => {}
                EventData::DocumentStart { .. } => {
                    self.doc_start = start;
                    self.anchors.clear();
                    self.stack.clear();
                    self.root = None;
                }
                EventData::DocumentEnd { .. } => self.end_document(start, end)?,
                EventData::Scalar {
                    anchor,
                    tag,
                    value,
                    style,
                    ..
                } => {
                    if !self.shift.is_empty() {
                        self.conflicts.extend(self.shift.inside(start, end));
                    }
                    let value = match style {
                        ScalarStyle::Literal | ScalarStyle::Folded => {
                            let bytes = self.text.as_bytes();
                            let chomp = block_chomping(bytes, start);
                            let last = || last_line_is_content(bytes, start);
                            self.shift.block_scalar(&value, end, chomp, last)
                        }
                        _ => &value,
                    };
                    self.scalar(value, style, anchor, tag.as_deref(), start, end)?;
                }
                EventData::Alias { anchor } => self.alias(&anchor, start, end)?,
                EventData::SequenceStart { anchor, tag, .. } => {
                    self.start(false, anchor, tag.as_deref(), start)?;
                }
                EventData::MappingStart { anchor, tag, .. } => {
                    self.start(true, anchor, tag.as_deref(), start)?;
                }
                EventData::SequenceEnd | EventData::MappingEnd => self.end(start, end)?,
            }
        }
        Ok(std::mem::take(&mut self.docs))
    }

    fn origin(&self, start: usize, end: usize) -> Origin {
        Origin::new(self.file, self.shift.map(start), self.shift.map(end))
    }

    fn error(&self, offset: usize, message: Text) -> Error {
        mapped_error(self.shift.map(offset), message)
    }

    /// libyaml's message: the problem, and what it was reading (which may have started lines
    /// earlier) with where that started.
    fn parse_error(&self, e: &libyaml_safer::Error) -> Error {
        let Some(mark) = e.problem_mark() else {
            return self.error(0, libyaml_message(e.problem()));
        };
        // why: for a scalar or collection left open, libyaml's problem is at the end of the
        // text; where it was opened is what the reader needs to see.
        let mark = match e.context_mark() {
            Some(at) if e.problem() == "found unexpected end of stream" => at,
            _ => mark,
        };
        let offset = usize::try_from(mark.index).unwrap_or(usize::MAX);
        let message = match (e.context(), e.context_mark()) {
            (Some(context), Some(at)) => {
                let line = at.line.saturating_add(1);
                let column = self.column(usize::try_from(at.index).unwrap_or(usize::MAX));
                kijun_model::text!(
                    "{0}（{1}、{line} 行 {column} 列から）",
                    "{0} ({1} at line {line}, column {column})",
                    libyaml_message(e.problem()),
                    libyaml_context(context)
                )
            }
            _ => libyaml_message(e.problem()),
        };
        self.error(offset, message)
    }

    /// The 1-based column, in characters of the given text, of an offset in the parser's text.
    fn column(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let offset = offset.min(bytes.len());
        let begin = line_start(bytes, offset);
        let given = self.shift.map(begin)..self.shift.map(offset);
        let inserted = (offset - begin) - (given.end - given.start);
        self.text
            .get(begin..offset)
            .map_or(1, |s| s.chars().count().saturating_sub(inserted) + 1)
    }

    fn depth(&self) -> usize {
        self.stack.last().map_or(0, |f| f.depth)
    }

    fn too_deep(&self, offset: usize) -> Error {
        self.error(
            offset,
            kijun_model::text!(
                "入れ子が {} 階層を超えています",
                "nesting deeper than {} levels",
                self.limits.max_depth
            ),
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
    fn tag_name(&mut self, tag: &str) -> Arc<str> {
        self.intern(tag)
    }

    fn set_key(&mut self, name: Arc<str>, merge: bool, end: usize) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = frame.last_end.max(end);
            if let Entries::Object { key, .. } = &mut frame.entries {
                *key = Some(Key { name, merge });
            }
        }
    }

    fn remember(&mut self, anchor: Option<String>, built: &Built, key: Option<Arc<str>>) {
        if let Some(anchor) = anchor {
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
        anchor: Option<String>,
        tag: Option<&str>,
        start: usize,
        end: usize,
    ) -> Result<(), Error> {
        let (mut start, mut end) = (start, end);
        let bare = tag.is_none() && anchor.is_none();
        match style {
            // why: nothing was written, so nothing is covered.
            ScalarStyle::Plain if value.is_empty() && bare => end = start,
            ScalarStyle::Literal | ScalarStyle::Folded => {
                (start, end) = self.block_scalar_span(start, end, bare);
            }
            _ => {}
        }
        let at = self.origin(start, end);
        if self.awaiting_key() {
            let name = self.intern(value);
            if anchor.is_some() {
                let built = self.scalar_node(value, style, tag, at, start)?;
                self.remember(anchor, &built, Some(Arc::clone(&name)));
            }
            let merge = value == "<<" && style == ScalarStyle::Plain && tag.is_none();
            self.set_key(name, merge, end);
            return Ok(());
        }
        let built = self.scalar_node(value, style, tag, at, start)?;
        if anchor.is_some() {
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
        tag: Option<&str>,
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
                            kijun_model::text!(
                                "タグ !!{suffix} はスカラーには使えません",
                                "tag !!{suffix} cannot be applied to a scalar"
                            ),
                        ))
                    }
                    // why: `!!binary`, `!!timestamp` and friends add nothing a rule can use.
                    _ => Some(untagged(value, style)),
                };
                resolved.ok_or_else(|| {
                    self.error(
                        start,
                        kijun_model::text!(
                            "!!{suffix} のタグが付いた値が {suffix} として不正です",
                            "value tagged !!{suffix} is not a valid {suffix}"
                        ),
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

    /// The parser starts a block scalar's span at its header (`|`, `>`), or at its tag or anchor
    /// when it has one, and ends it after any trailing blank lines. The node's text starts at its `|` or
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

    fn alias(&mut self, name: &str, start: usize, end: usize) -> Result<(), Error> {
        let Some(anchor) = self.anchors.get(name) else {
            return Err(self.error(
                start,
                kijun_model::text!("不明なアンカーです: このドキュメントでこれより前にこの名前のアンカーがありません", "unknown anchor: no earlier anchor of this name in this document"),
            ));
        };
        if self.awaiting_key() {
            let Some(name) = anchor.key.clone() else {
                return Err(self.error(
                    start,
                    kijun_model::text!(
                        "複合的なマッピングキーには対応していません",
                        "complex mapping keys are not supported"
                    ),
                ));
            };
            self.set_key(name, false, end);
            return Ok(());
        }
        let total = self.alias_nodes.saturating_add(anchor.built.count);
        if total > self.limits.max_alias_nodes {
            return Err(self.error(
                start,
                kijun_model::text!(
                    "エイリアスの展開が {} ノードを超えています",
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
        anchor: Option<String>,
        tag: Option<&str>,
        start: usize,
    ) -> Result<(), Error> {
        if self.awaiting_key() {
            return Err(self.error(
                start,
                kijun_model::text!(
                    "複合的なマッピングキーには対応していません",
                    "complex mapping keys are not supported"
                ),
            ));
        }
        let kind = if mapping { "mapping" } else { "sequence" };
        let wrap = match classify(tag) {
            TagKind::Local(tag) => Some(self.tag_name(tag)),
            TagKind::Core("map") if mapping => None,
            TagKind::Core("seq") if !mapping => None,
            TagKind::Core(s @ ("str" | "int" | "float" | "bool" | "null" | "map" | "seq")) => {
                return Err(self.error(
                    start,
                    kijun_model::text!(
                        "タグ !!{s} は {kind} には使えません",
                        "tag !!{s} cannot be applied to a {kind}"
                    ),
                ));
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

    fn end(&mut self, close_start: usize, close_end: usize) -> Result<(), Error> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        // A flow collection ends with its `]` or `}`; the parser gives the end of a block
        // collection an empty span at the next token.
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
                // why: libyaml's loaders (PyYAML) and go-yaml refuse to merge anything else.
                Some(Key { merge: true, .. }) => {
                    let offset = built.node.at.start as usize;
                    return Err(mapped_error(
                        offset,
                        kijun_model::text!(
                            "マージキー（<<）にはマッピングかマッピングのリストが必要です",
                            "a merge key (<<) needs a mapping or a list of mappings"
                        ),
                    ));
                }
                Some(Key { name, .. }) => {
                    // why: a repeated key keeps its last value, as kubectl and CloudFormation do.
                    entries.insert(name, built.node);
                }
                None => {
                    let offset = built.node.at.start as usize;
                    return Err(mapped_error(
                        offset,
                        kijun_model::text!(
                            "複合的なマッピングキーには対応していません",
                            "complex mapping keys are not supported"
                        ),
                    ));
                }
            },
        }
        Ok(())
    }

    fn end_document(&mut self, start: usize, end: usize) -> Result<(), Error> {
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
                kijun_model::text!(
                    "1 つのストリームにドキュメントが {} 個を超えてあります",
                    "more than {} documents in one stream",
                    self.limits.max_documents
                ),
            ));
        }
        // why: an implicit document end has the position of the next `---`, which belongs to
        // the next document; only a written `...` is part of this one. (The root's origin is
        // already in the given text's offsets.)
        let explicit = self.text.get(start..end) == Some("...");
        let root_end = root.at.end as usize;
        let doc_end = if explicit {
            self.shift.map(end).max(root_end)
        } else {
            root_end
        };
        let doc_start = self.shift.map(self.doc_start).min(root.at.start as usize);
        let at = Origin::new(self.file, doc_start, doc_end);
        self.docs.push(Document { root, at });
        Ok(())
    }
}

/// libyaml's problem in both languages: its vocabulary is fixed, so the messages a reader
/// meets are translated; any other is kept as written, quoted.
fn libyaml_message(problem: &str) -> Text {
    let ja = match problem {
        "found unexpected end of stream" => "予期しないところで入力が終わっています",
        "did not find expected key" => "キーが必要です",
        "did not find expected node content" => "ノードの内容が必要です",
        "did not find expected '-' indicator" => "'-' が必要です",
        "did not find expected ',' or ']'" => "',' か ']' が必要です",
        "did not find expected ',' or '}'" => "',' か '}' が必要です",
        "did not find expected comment or line break" => "コメントか改行が必要です",
        "did not find expected whitespace or line break" => "空白か改行が必要です",
        "did not find expected <document start>" => "ドキュメントの開始が必要です",
        "could not find expected ':'" => "':' が必要です",
        "mapping values are not allowed in this context" => "ここにはマッピングの値を書けません",
        "mapping keys are not allowed in this context" => "ここにはマッピングのキーを書けません",
        "block sequence entries are not allowed in this context" => {
            "ここにはブロックシーケンスの要素を書けません"
        }
        "found character that cannot start any token" => "トークンの先頭に使えない文字があります",
        "found a tab character that violates indentation" => "インデントにタブ文字があります",
        "found a tab character where an indentation space is expected" => {
            "インデントの空白が必要な位置にタブ文字があります"
        }
        "found unexpected ':'" => "予期しない ':' があります",
        "found unexpected document indicator" => "予期しないドキュメントの区切りがあります",
        "found undefined alias" => "定義されていないエイリアスがあります",
        "found undefined tag handle" => "定義されていないタグハンドルがあります",
        "found unknown escape character" => "不明なエスケープ文字があります",
        "found duplicate anchor; first occurrence" => "アンカーが重複しています（最初の定義）",
        "control characters are not allowed" => "制御文字は使えません",
        "invalid UTF-8"
        | "found an incorrect leading UTF-8 octet"
        | "found an incorrect trailing UTF-8 octet" => "UTF-8 として不正です",
        _ => return kijun_model::text!("「{problem}」", "{problem}"),
    };
    Text::new(ja, problem)
}

/// What libyaml was reading ("while parsing a block mapping") in Japanese, for the sentence
/// "…（ブロックマッピングの読み取り中、3 行 1 列から）".
fn libyaml_context(context: &str) -> Text {
    let what = context
        .strip_prefix("while parsing ")
        .or_else(|| context.strip_prefix("while scanning "))
        .unwrap_or(context);
    let ja = match what {
        "a block mapping" => "ブロックマッピングの読み取り中",
        "a block collection" => "ブロックコレクションの読み取り中",
        "a block node" | "a flow node" | "a node" => "ノードの読み取り中",
        "a flow mapping" => "フローマッピングの読み取り中",
        "a flow sequence" => "フローシーケンスの読み取り中",
        "a quoted scalar" => "引用符付きスカラーの読み取り中",
        "a plain scalar" => "スカラーの読み取り中",
        "a block scalar" => "ブロックスカラーの読み取り中",
        "a simple key" => "キーの読み取り中",
        "an alias" => "エイリアスの読み取り中",
        "an anchor" => "アンカーの読み取り中",
        "a tag" => "タグの読み取り中",
        "for the next token" => "次のトークンの読み取り中",
        _ => return kijun_model::text!("「{context}」", "{context}"),
    };
    Text::new(ja, context)
}

/// An error at an offset in the given text.
fn mapped_error(offset: usize, message: Text) -> Error {
    Error {
        offset: u32::try_from(offset).unwrap_or(u32::MAX),
        message,
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

/// The chomping indicator (`+` or `-`) of the block scalar whose event starts at `start` (at its
/// header, or at the tag or anchor before it on the same line).
fn block_chomping(bytes: &[u8], start: usize) -> Option<u8> {
    let mut p = start;
    while let Some(&c) = bytes.get(p) {
        if c == b'\n' {
            return None;
        }
        if matches!(c, b'|' | b'>') && is_block_header(bytes, p) {
            let indicators = bytes.get(p + 1..)?.iter().take(2);
            return indicators.copied().find(|c| matches!(c, b'+' | b'-'));
        }
        p += 1;
    }
    None
}

/// Whether the last line of the text (before the line break shift.rs appended) is a content line
/// of the block scalar whose event starts at `start`: it has more than blanks, or more leading
/// spaces than the scalar's indentation, taken from its first line with anything on it.
fn last_line_is_content(bytes: &[u8], start: usize) -> bool {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let last_start = line_start(body, body.len());
    let last = body.get(last_start..).unwrap_or(&[]);
    let spaces = last.iter().take_while(|&&b| b == b' ').count();
    if last.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r')) {
        return true;
    }
    let header_end = bytes
        .get(start..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(bytes.len(), |i| start + i + 1);
    let indent = body
        .get(header_end..last_start)
        .unwrap_or(&[])
        .split(|&b| b == b'\n')
        .find(|line| line.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r')))
        .map(|line| line.iter().take_while(|&&b| b == b' ').count());
    indent.is_some_and(|indent| spaces > indent)
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
