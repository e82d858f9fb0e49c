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
    pub(crate) fn from_toml_error(file: &str, source: &str, error: &toml::de::Error) -> Self {
        let line = error.span().map(|s| line_of(source, s.start));
        let message = error.message().trim().replace('\n', " ");
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            field: String::new(),
            message,
        }])
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
