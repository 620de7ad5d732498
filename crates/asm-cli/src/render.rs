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
        // Continuation lines of a note (a list of forms) are indented under it.
        s.push_str(&format!("\tnote: {}\n", n.replace('\n', "\n\t\t")));
    }
    s
}

/// Writes every diagnostic to stderr, with snippets on a terminal.
pub fn emit_all(sources: &SourceMap, diags: &[Diag], terminal: bool) {
    if !terminal {
        let mut out = std::io::stderr().lock();
        for d in diags {
            let _ = out.write_all(plain(sources, d).as_bytes());
        }
        return;
    }
    let writer = termcolor::StandardStream::stderr(termcolor::ColorChoice::Auto);
    let mut lock = writer.lock();
    emit_snippets(&mut lock, sources, diags);
}

/// Renders diagnostics with source snippets and carets into `out`.
pub fn emit_snippets(out: &mut dyn termcolor::WriteColor, sources: &SourceMap, diags: &[Diag]) {
    let files = MapFiles(sources);
    let config = term::Config::default();
    for d in diags {
        // The plain first line keeps file:line:col greppable even on a terminal.
        let _ = out.write_all(plain_header(sources, d).as_bytes());
        let mut labels = Vec::new();
        let mut add = |span: asm_lexer::Span, style: LabelStyle, msg: &str| {
            if let Some(fid) = sources.file_of(span.lo) {
                let start = sources.file(fid).start;
                let lo = (span.lo.0 - start) as usize;
                let hi = (span.hi.0.max(span.lo.0) - start) as usize;
                labels.push(Label::new(style, fid.0, lo..hi).with_message(msg.to_string()));
            }
        };
        if let Some(sp) = d.span {
            add(sp, LabelStyle::Primary, "");
        }
        for l in &d.labels {
            add(l.span, LabelStyle::Secondary, &l.message);
        }
        if labels.is_empty() {
            for n in &d.notes {
                let _ = writeln!(out, "\tnote: {n}");
            }
            continue;
        }
        let cd: Diagnostic<u32> = match d.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Note => Diagnostic::note(),
        };
        let cd = cd.with_labels(labels).with_notes(d.notes.clone());
        // codespan starts with its own `error: ` line, which the plain header
        // above already says (with file:line:col): render, then drop that line.
        let mut buf = if out.supports_color() { termcolor::Buffer::ansi() } else { termcolor::Buffer::no_color() };
        if term::emit_to_write_style(&mut buf, &config, &files, &cd).is_ok() {
            let bytes = buf.into_inner();
            let body = bytes.iter().position(|&b| b == b'\n').map_or(&bytes[..], |i| &bytes[i + 1..]);
            let _ = out.write_all(body);
        }
    }
}

fn plain_header(sources: &SourceMap, d: &Diag) -> String {
    let full = plain(sources, d);
    full.lines().next().map(|l| format!("{l}\n")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_has_caret_under_the_operand() {
        let mut sm = SourceMap::new();
        let id = sm.add("x.s", None, "TEXT f(SB), $0\n\tMOVQ $1, BADREG\n".into()).unwrap();
        let d = Diag::error(sm.span(id, 25, 31), "unknown register BADREG").with_note("did you mean BX?");
        assert_eq!(plain(&sm, &d), "x.s:2:11: error: unknown register BADREG\n\tnote: did you mean BX?\n");
        let mut buf = termcolor::Buffer::no_color();
        emit_snippets(&mut buf, &sm, &[d]);
        let text = String::from_utf8(buf.into_inner()).unwrap();
        assert!(text.starts_with("x.s:2:11: error: unknown register BADREG\n"), "{text}");
        assert!(text.contains("MOVQ $1, BADREG"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("did you mean BX?"), "{text}");
    }
}
