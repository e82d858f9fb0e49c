//! Validation problems as people read them: `FILE:LINE: field: what is wrong`.

use std::fmt;
use std::ops::Range;

/// Where a problem is, as keys and array indexes from the file's root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl FieldPath {
    pub fn root() -> Self {
        FieldPath::default()
    }

    pub fn key(&self, key: &str) -> Self {
        let mut out = self.clone();
        out.0.push(Segment::Key(key.to_owned()));
        out
    }

    pub fn index(&self, index: usize) -> Self {
        let mut out = self.clone();
        out.0.push(Segment::Index(index));
        out
    }

    /// The span of the deepest part of the path present in the document: a missing
    /// field points at the table that should hold it.
    fn span_in(&self, doc: &toml_edit::Document<&str>) -> Option<Range<usize>> {
        let mut node = Node::Item(doc.as_item());
        let mut span = None;
        for segment in &self.0 {
            let Some((next, next_span)) = node.child(segment) else {
                break;
            };
            span = next_span.or(span);
            node = next;
        }
        span
    }
}

/// Tables inside an array of tables are not `Item`s, so the walk handles both.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a toml_edit::Item),
    Table(&'a toml_edit::Table),
}

impl<'a> Node<'a> {
    fn child(self, segment: &Segment) -> Option<(Node<'a>, Option<Range<usize>>)> {
        use toml_edit::Item;
        match (self, segment) {
            (Node::Table(t), Segment::Key(k)) => t
                .get_key_value(k)
                .map(|(key, v)| (Node::Item(v), key.span().or(v.span()))),
            (Node::Item(item), Segment::Key(k)) => item
                .as_table_like()?
                .get_key_value(k)
                .map(|(key, v)| (Node::Item(v), key.span().or(v.span()))),
            (Node::Item(Item::ArrayOfTables(a)), Segment::Index(i)) => {
                a.get(*i).map(|t| (Node::Table(t), t.span()))
            }
            (Node::Item(item), Segment::Index(i)) => {
                item.get(*i).map(|v| (Node::Item(v), v.span()))
            }
            (Node::Table(_), Segment::Index(_)) => None,
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in &self.0 {
            match segment {
                Segment::Key(k) if first => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// One problem found in a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line, when the problem could be placed.
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: ", self.file, line)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Every unknown key at once (serde stops at the first): each is reported on
    /// its line with the nearest known key, removed, and the text read again, up
    /// to the first error of another kind.
    pub(crate) fn from_toml_errors<T: serde::de::DeserializeOwned>(
        file: &str,
        source: &str,
        first: &toml::de::Error,
    ) -> Self {
        let original = toml_edit::Document::parse(source).ok();
        let mut text = source.to_owned();
        let mut error = first.clone();
        let mut out = Vec::new();
        for _ in 0..100 {
            let message = error.message().trim().replace('\n', " ");
            let current = toml_edit::Document::parse(text.as_str()).ok();
            let path = error
                .span()
                .zip(current.as_ref())
                .and_then(|(span, doc)| key_path_at(doc, span.start));
            // The line in the file as written: by path once keys were removed.
            let line = match (&path, &original) {
                (Some(path), Some(doc)) => path.span_in(doc).map(|s| line_of(source, s.start)),
                _ if text.len() == source.len() => error.span().map(|s| line_of(source, s.start)),
                _ => None,
            };
            let unknown = message.starts_with("unknown field");
            // Once keys are removed, another kind of error may be their doing
            // (a misspelt required key is now missing): the typos come first.
            if !unknown && !out.is_empty() {
                break;
            }
            out.push(Diagnostic {
                file: file.to_owned(),
                line,
                field: path.as_ref().map(ToString::to_string).unwrap_or_default(),
                message: if unknown {
                    did_you_mean(&message)
                } else {
                    message
                },
            });
            let Some(path) = path.filter(|_| unknown) else {
                break;
            };
            let Ok(mut doc) = text.parse::<toml_edit::DocumentMut>() else {
                break;
            };
            if !remove(&mut doc, &path) {
                break;
            }
            text = doc.to_string();
            match toml::from_str::<T>(&text) {
                Ok(_) => break,
                Err(next) => error = next,
            }
        }
        out.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
        Diagnostics(out)
    }

    pub(crate) fn locate(file: &str, source: &str, problems: Vec<(FieldPath, String)>) -> Self {
        let doc = toml_edit::Document::parse(source).ok();
        let mut out: Vec<Diagnostic> = problems
            .into_iter()
            .map(|(path, message)| Diagnostic {
                file: file.to_owned(),
                line: doc
                    .as_ref()
                    .and_then(|d| path.span_in(d))
                    .map(|s| line_of(source, s.start)),
                field: path.to_string(),
                message,
            })
            .collect();
        out.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
        Diagnostics(out)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source
        .get(..offset)
        .map_or(0, |s| s.bytes().filter(|b| *b == b'\n').count())
        + 1
}

/// The path of the key written at `offset`.
fn key_path_at(doc: &toml_edit::Document<&str>, offset: usize) -> Option<FieldPath> {
    walk_table(doc.as_table(), FieldPath::root(), offset)
}

fn walk_table(
    table: &dyn toml_edit::TableLike,
    path: FieldPath,
    offset: usize,
) -> Option<FieldPath> {
    for (name, _) in table.iter() {
        let (key, item) = table.get_key_value(name)?;
        let here = path.key(name);
        if key.span().is_some_and(|s| s.start == offset) {
            return Some(here);
        }
        if let Some(found) = walk_item(item, here, offset) {
            return Some(found);
        }
    }
    None
}

fn walk_item(item: &toml_edit::Item, path: FieldPath, offset: usize) -> Option<FieldPath> {
    use toml_edit::Item;
    match item {
        Item::Table(t) => walk_table(t, path, offset),
        Item::ArrayOfTables(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, t)| walk_table(t, path.index(i), offset)),
        Item::Value(v) => walk_value(v, path, offset),
        Item::None => None,
    }
}

fn walk_value(value: &toml_edit::Value, path: FieldPath, offset: usize) -> Option<FieldPath> {
    use toml_edit::Value;
    match value {
        Value::InlineTable(t) => walk_table(t, path, offset),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| walk_value(v, path.index(i), offset)),
        _ => None,
    }
}

/// Removes the key at `path`; whether it was there.
fn remove(doc: &mut toml_edit::DocumentMut, path: &FieldPath) -> bool {
    let Some((Segment::Key(last), parents)) = path.0.split_last() else {
        return false;
    };
    let mut node: &mut dyn toml_edit::TableLike = doc.as_table_mut();
    let mut rest = parents.iter().peekable();
    while let Some(segment) = rest.next() {
        let Segment::Key(key) = segment else {
            return false;
        };
        let Some(item) = node.get_mut(key) else {
            return false;
        };
        let index = match rest.peek() {
            Some(Segment::Index(i)) => {
                rest.next();
                Some(*i)
            }
            _ => None,
        };
        node = match (item, index) {
            (toml_edit::Item::ArrayOfTables(a), Some(i)) => match a.get_mut(i) {
                Some(t) => t,
                None => return false,
            },
            (toml_edit::Item::Value(toml_edit::Value::Array(a)), Some(i)) => {
                match a.get_mut(i).and_then(|v| v.as_inline_table_mut()) {
                    Some(t) => t,
                    None => return false,
                }
            }
            (item, None) => match item.as_table_like_mut() {
                Some(t) => t,
                None => return false,
            },
            _ => return false,
        };
    }
    node.remove(last).is_some()
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as "unknown key `x`: did
/// you mean `a`?" when one is close; otherwise as it was.
fn did_you_mean(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((written, known)) = quoted.split_first() else {
        return message.to_owned();
    };
    let nearest = known
        .iter()
        .map(|k| (edit_distance(written, k), *k))
        .min()
        .filter(|(d, k)| *d <= (k.len() / 3).max(2));
    match nearest {
        Some((_, k)) => format!("unknown key `{written}`: did you mean `{k}`?"),
        None => message.to_owned(),
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
