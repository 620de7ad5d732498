//! Diagnostics as data. Rendering (plain `file:line:col: error: msg` or a
//! codespan snippet) happens at the edge, in the CLI.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diag {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for errors that belong to no source line.
    pub span: Option<Span>,
    /// Secondary places (a macro definition, the first definition of a label).
    pub labels: Vec<Label>,
    /// Free-text notes and help ("did you mean", accepted forms).
    pub notes: Vec<String>,
}

impl Diag {
    pub fn error(span: impl Into<Option<Span>>, message: impl Into<String>) -> Diag {
        Diag { severity: Severity::Error, message: message.into(), span: span.into(), labels: Vec::new(), notes: Vec::new() }
    }
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diag {
        self.labels.push(Label { span, message: message.into() });
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Diag {
        self.notes.push(note.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A sink for diagnostics that enforces the error limit (10 unless `-e`)
/// and Go's rule of at most one error per source line.
#[derive(Debug, Default)]
pub struct Diags {
    pub list: Vec<Diag>,
    /// Maximum number of errors before giving up; `None` = unlimited (`-e`).
    pub limit: Option<usize>,
    errors: usize,
    /// Lines (file start offset, line number) that already have an error.
    error_lines: std::collections::HashSet<(u32, u32)>,
}

impl Diags {
    pub fn new(limit: Option<usize>) -> Diags {
        Diags { limit, ..Default::default() }
    }
    pub fn error_count(&self) -> usize {
        self.errors
    }
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
    /// True once the error limit is reached: callers stop working.
    pub fn too_many(&self) -> bool {
        self.limit.is_some_and(|l| self.errors >= l)
    }
    /// Adds a diagnostic. `line_key` (from [`crate::SourceMap::physical`]) is
    /// used to keep only the first error of a line; pass `None` to always keep it.
    pub fn push_at_line(&mut self, d: Diag, line_key: Option<(u32, u32)>) {
        if d.is_error() {
            if let Some(k) = line_key {
                if !self.error_lines.insert(k) {
                    return;
                }
            }
            if self.too_many() {
                return;
            }
            self.errors += 1;
        }
        self.list.push(d);
    }
    pub fn push(&mut self, d: Diag) {
        self.push_at_line(d, None)
    }
}
