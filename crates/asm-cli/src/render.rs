//! Rendering diagnostics: `file:line:col: error: message` lines, and a
//! codespan-reporting snippet with a caret when stderr is a terminal.

use std::io::Write;

use asm_lexer::{Diag, Severity, SourceMap};
use codespan_reporting::diagnostic::{Diagnostic, Label, LabelStyle};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

/// codespan's view of our source map.
struct MapFiles<'a>(&'a SourceMap);

impl<'a> Files<'a> for MapFiles<'a> {
    type FileId = u32;
    type Name = &'a str;
    type Source = &'a str;
    fn name(&'a self, id: u32) -> Result<&'a str, FilesError> {
        Ok(self.0.file(asm_lexer::FileId(id)).name.as_str())
    }
    fn source(&'a self, id: u32) -> Result<&'a str, FilesError> {
        Ok(self.0.file(asm_lexer::FileId(id)).text.as_str())
    }
    fn line_index(&'a self, id: u32, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.0.file(asm_lexer::FileId(id));
        let (_, line, _) = self.0.physical(asm_lexer::Pos(f.start + byte_index as u32)).ok_or(FilesError::FileMissing)?;
        Ok(line as usize - 1)
    }
    fn line_range(&'a self, id: u32, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let text = self.source(id)?;
        let start: usize = text.split_inclusive('\n').take(line_index).map(str::len).sum();
        if start > text.len() {
            return Err(FilesError::LineTooLarge { given: line_index, max: text.lines().count() });
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
        Ok(start..end)
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// One diagnostic as plain text: `file:line:col: error: msg` plus note lines.
pub fn plain(sources: &SourceMap, d: &Diag) -> String {
    let mut s = String::new();
    match d.span.and_then(|sp| sources.locate(sp.lo)) {
        Some(loc) => s.push_str(&format!("{}:{}:{}: ", loc.name, loc.line, loc.col)),
        None => s.push_str("goasm: "),
    }
    s.push_str(severity_word(d.severity));
    s.push_str(": ");
    s.push_str(&d.message);
    s.push('\n');
    for l in &d.labels {
        if let Some(loc) = sources.locate(l.span.lo) {
            s.push_str(&format!("{}:{}:{}: note: {}\n", loc.name, loc.line, loc.col, l.message));
        }
    }
    for n in &d.notes {
        s.push_str(&format!("\tnote: {n}\n"));
    }
    s
}

/// Writes every diagnostic to stderr, with snippets on a terminal.
pub fn emit_all(sources: &SourceMap, diags: &[Diag], terminal: bool) {
    let stderr = std::io::stderr();
    if !terminal {
        let mut out = stderr.lock();
        for d in diags {
            let _ = out.write_all(plain(sources, d).as_bytes());
        }
        return;
    }
    let files = MapFiles(sources);
    let writer = termcolor::StandardStream::stderr(termcolor::ColorChoice::Auto);
    let config = term::Config::default();
    for d in diags {
        // The plain first line keeps file:line:col greppable even on a terminal.
        let _ = writer.lock().write_all(plain_header(sources, d).as_bytes());
        let mut cd = match d.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Note => Diagnostic::note(),
        };
        let mut labels = Vec::new();
        if let Some(sp) = d.span {
            if let Some(fid) = sources.file_of(sp.lo) {
                let start = sources.file(fid).start;
                let lo = (sp.lo.0 - start) as usize;
                let hi = (sp.hi.0.max(sp.lo.0) - start) as usize;
                labels.push(Label::new(LabelStyle::Primary, fid.0, lo..hi));
            }
        }
        for l in &d.labels {
            if let Some(fid) = sources.file_of(l.span.lo) {
                let start = sources.file(fid).start;
                let lo = (l.span.lo.0 - start) as usize;
                let hi = (l.span.hi.0.max(l.span.lo.0) - start) as usize;
                labels.push(Label::new(LabelStyle::Secondary, fid.0, lo..hi).with_message(l.message.clone()));
            }
        }
        if labels.is_empty() {
            for n in &d.notes {
                let _ = writeln!(writer.lock(), "\tnote: {n}");
            }
            continue;
        }
        cd = cd.with_labels(labels).with_notes(d.notes.clone());
        let _ = term::emit_to_write_style(&mut writer.lock(), &config, &files, &cd);
    }
}

fn plain_header(sources: &SourceMap, d: &Diag) -> String {
    let full = plain(sources, d);
    full.lines().next().map(|l| format!("{l}\n")).unwrap_or_default()
}
