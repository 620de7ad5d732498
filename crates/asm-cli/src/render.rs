//! Rendering diagnostics: `file:line:col: error: message` lines, and a
//! codespan-reporting snippet with a caret when stderr is a terminal.

use std::io::Write;

use asm_lexer::{Diag, Label as DiagLabel, Severity, SourceMap, Span};
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

/// The message of the private label that carries which written operand an
/// error is about: from the backend pass, where the `Prog` is at hand, to
/// rendering, where the source text is (the `Prog` is gone by then).
const OPERAND_MARK: &str = "\u{1}operand";

/// Marks `d` as being about written operand `index` of `count` of its
/// statement: rendered, the caret goes under that operand when the
/// statement's text shows `count` operands, else under the statement.
pub fn mark_operand(d: &mut Diag, index: usize, count: usize) {
    if let Some(span) = d.span {
        d.labels.push(DiagLabel { span, message: format!("{OPERAND_MARK} {index} {count}") });
    }
}

fn operand_mark(d: &Diag) -> Option<(usize, usize)> {
    let l = d.labels.iter().find(|l| l.message.starts_with(OPERAND_MARK))?;
    let mut it = l.message[OPERAND_MARK.len()..].split_whitespace().map(|w| w.parse::<usize>().ok());
    Some((it.next()??, it.next()??))
}

/// The labels to show (not the operand mark).
fn shown_labels(d: &Diag) -> impl Iterator<Item = &DiagLabel> {
    d.labels.iter().filter(|l| !l.message.starts_with(OPERAND_MARK))
}

/// Where the caret goes: under the marked operand when the text shows it,
/// else where the diagnostic says.
fn primary_span(sources: &SourceMap, d: &Diag) -> Option<Span> {
    let span = d.span?;
    let Some((i, n)) = operand_mark(d) else { return Some(span) };
    Some(match operand_range(sources.text(span), i, n) {
        Some((lo, hi)) => Span::new(span.lo.0 + lo as u32, span.lo.0 + hi as u32),
        None => span,
    })
}

/// The byte range of operand `i` of a statement's text (`[label:] MNEMONIC
/// op, op, ...`), split at the commas outside parentheses, brackets, braces
/// and character literals. `None` unless the text shows exactly `n`
/// operands after one mnemonic: a macro invocation (`LOAD(R1, R2)`), say.
pub fn operand_range(text: &str, i: usize, n: usize) -> Option<(usize, usize)> {
    let word_end = |s: &str| s.find(|c: char| c.is_whitespace()).unwrap_or(s.len());
    let mut at = text.len() - text.trim_start().len();
    let first = &text[at..at + word_end(&text[at..])];
    if let Some(label) = first.strip_suffix(':') {
        // `loop: ADDQ ...` (or `loop:ADDQ`, which the word split keeps whole).
        if label.is_empty() {
            return None;
        }
        at += first.len();
        at += text[at..].len() - text[at..].trim_start().len();
    }
    let mnemonic = &text[at..at + word_end(&text[at..])];
    let plain = |c: char| c.is_alphanumeric() || c == '.' || c == '_';
    if mnemonic.is_empty() || !mnemonic.chars().all(plain) {
        return None;
    }
    at += mnemonic.len();
    let mut pieces = Vec::new();
    let (mut depth, mut start, mut quote, mut escape) = (0i32, at, false, false);
    for (k, c) in text[at..].char_indices().map(|(k, c)| (at + k, c)) {
        if quote {
            match c {
                _ if escape => escape = false,
                '\\' => escape = true,
                '\'' => quote = false,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' => quote = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push((start, k));
                start = k + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() || !pieces.is_empty() {
        pieces.push((start, text.len()));
    }
    if pieces.len() != n {
        return None;
    }
    let (lo, hi) = *pieces.get(i)?;
    let piece = &text[lo..hi];
    let lo = lo + (piece.len() - piece.trim_start().len());
    let hi = lo + piece.trim().len();
    (hi > lo).then_some((lo, hi))
}

/// One diagnostic as plain text: `file:line:col: error: msg` plus note lines.
pub fn plain(sources: &SourceMap, d: &Diag) -> String {
    let mut s = String::new();
    match primary_span(sources, d).and_then(|sp| sources.locate(sp.lo)) {
        Some(loc) => s.push_str(&format!("{}:{}:{}: ", loc.name, loc.line, loc.col)),
        None => s.push_str("goasm: "),
    }
    s.push_str(severity_word(d.severity));
    s.push_str(": ");
    s.push_str(&d.message);
    s.push('\n');
    for l in shown_labels(d) {
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
        if let Some(sp) = primary_span(sources, d) {
            add(sp, LabelStyle::Primary, "");
        }
        for l in shown_labels(d) {
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

    #[test]
    fn operands_of_a_statement() {
        fn at(t: &str, i: usize, n: usize) -> Option<&str> {
            operand_range(t, i, n).map(|(lo, hi)| &t[lo..hi])
        }
        assert_eq!(at("MOVQ $1, AX", 1, 2), Some("AX"));
        assert_eq!(at("ADD $1, R1, (R2)", 2, 3), Some("(R2)"));
        assert_eq!(at("loop: VMOVDQU 8(SI)(BX*8), Y1", 0, 2), Some("8(SI)(BX*8)"));
        assert_eq!(at("VLD1 (R0), [V1.B16, V2.B16]", 1, 2), Some("[V1.B16, V2.B16]"));
        assert_eq!(at("MOVB $',', AX", 0, 2), Some("$','"));
        assert_eq!(at("MOVB $'\\'', AX", 1, 2), Some("AX"));
        assert_eq!(at("MOVD.P 8(R1), R2", 0, 2), Some("8(R1)"));
        assert_eq!(at("RET", 0, 0), None);
        // A macro invocation, or a count that does not match: no operand.
        assert_eq!(at("LOAD(R1, R2)", 0, 2), None);
        assert_eq!(at("MOVQ $1, AX", 0, 3), None);
    }

    #[test]
    fn marked_operand_gets_the_caret() {
        let mut sm = SourceMap::new();
        let id = sm.add("x.s", None, "TEXT f(SB), $0\n\tADD $1, R1, (R2)\n".into()).unwrap();
        let mut d = Diag::error(sm.span(id, 16, 32), "illegal combination");
        mark_operand(&mut d, 2, 3);
        assert_eq!(plain(&sm, &d), "x.s:2:14: error: illegal combination\n");
        // The text shows another count: the statement keeps the caret.
        let mut d = Diag::error(sm.span(id, 16, 32), "illegal combination");
        mark_operand(&mut d, 1, 2);
        assert_eq!(plain(&sm, &d), "x.s:2:2: error: illegal combination\n");
    }
}
