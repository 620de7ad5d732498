//! Positions and the source map.
//!
//! Every byte of every file that takes part in an assembly (the inputs, each
//! `#include`d file, the built-in headers, macro definitions given with `-D`)
//! lives in one [`SourceMap`]. A [`Pos`] is a global offset into it, so a span
//! is two `u32`s and needs no file handle.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::bytes::mask16;

/// A global byte offset into the [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos(pub u32);

/// A half-open byte range `[lo, hi)` in the [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub lo: Pos,
    pub hi: Pos,
}

impl Span {
    pub const DUMMY: Span = Span { lo: Pos(0), hi: Pos(0) };
    pub fn new(lo: u32, hi: u32) -> Span {
        Span { lo: Pos(lo), hi: Pos(hi) }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { lo: self.lo.min(other.lo), hi: self.hi.max(other.hi) }
    }
    pub fn is_dummy(self) -> bool {
        self == Span::DUMMY
    }
}

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One file of source text.
#[derive(Debug)]
pub struct SourceFile {
    /// The name as it is shown in diagnostics (the path as given, or `<built-in>/textflag.h`).
    pub name: String,
    /// The path it was read from, if it came from disk.
    pub path: Option<PathBuf>,
    pub text: String,
    /// The file was not valid UTF-8: each bad byte sequence was replaced by
    /// U+FFFD, which the tokenizer then reports as an invalid encoding.
    pub invalid_utf8: bool,
    /// Global offset of the first byte.
    pub start: u32,
    /// Length in bytes (kept when the text is dropped).
    len: u32,
    /// Offsets (relative to `start`) of the first byte of every line.
    line_starts: Vec<u32>,
    /// `#line N "file"` directives: from relative offset `at` on, physical line
    /// `phys_line` is reported as `line` of `file`.
    line_directives: Vec<LineDirective>,
}

#[derive(Clone, Debug)]
struct LineDirective {
    at: u32,
    phys_line: u32,
    file: String,
    line: u32,
}

/// The offset of every line's first byte: 0 and one after each `\n`.
/// 32 bytes at a time (SSE2 on x86-64), as lines are short (a search call
/// per line costs more).
fn line_starts(b: &[u8]) -> Vec<u32> {
    let mut starts = Vec::with_capacity(b.len() / 32 + 1);
    starts.push(0u32);
    let mut chunks = b.chunks_exact(32);
    let mut at = 0u32;
    for c in &mut chunks {
        let half = |i: usize| mask16(c[i..i + 16].try_into().expect("16 bytes"), b'\n', b'\n');
        let nl = half(0) | half(16) << 16;
        if nl != 0 {
            push_line_starts(&mut starts, at, nl);
        }
        at += 32;
    }
    for (i, &c) in chunks.remainder().iter().enumerate() {
        if c == b'\n' {
            starts.push(at + i as u32 + 1);
        }
    }
    starts
}

/// Pushes the line starts after the newlines flagged in `nl` (bit `i`:
/// byte `at + i`).
#[inline(always)]
fn push_line_starts(starts: &mut Vec<u32>, at: u32, mut nl: u32) {
    while nl != 0 {
        starts.push(at + nl.trailing_zeros() + 1);
        nl &= nl - 1;
    }
}

/// A resolved position: what a human reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    pub file: FileId,
    /// Display name of the file (after `#line`, the name it gives).
    pub name: &'a str,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

#[derive(Default, Debug)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    next: u32,
    /// The file index and 1-based line `physical_line` found last (0 for
    /// none): positions are mostly asked for in order, so that line or the
    /// next one usually answers without a search. Atomic to stay `Sync`.
    line_hint: AtomicU64,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        // Offset 0 is reserved so that Span::DUMMY never points into a file.
        SourceMap { files: Vec::new(), next: 1, line_hint: AtomicU64::new(0) }
    }

    /// Adds a file and returns its id. Fails when the map would pass 4 GiB.
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> Result<FileId, String> {
        let len = u32::try_from(text.len()).map_err(|_| "source file too large (4 GiB limit)".to_string())?;
        let start = self.next;
        let next = start
            .checked_add(len)
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| "total source size passes 4 GiB".to_string())?;
        let line_starts = line_starts(text.as_bytes());
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            path,
            text,
            invalid_utf8: false,
            start,
            len,
            line_starts,
            line_directives: Vec::new(),
        });
        self.next = next;
        Ok(id)
    }

    /// Adds a file given as raw bytes. Invalid UTF-8 is replaced by U+FFFD
    /// and the file is marked with [`SourceFile::invalid_utf8`].
    pub fn add_bytes(&mut self, name: impl Into<String>, path: Option<PathBuf>, bytes: Vec<u8>) -> Result<FileId, String> {
        let (text, lossy) = match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        };
        let id = self.add(name, path, text)?;
        self.files[id.0 as usize].invalid_utf8 = lossy;
        Ok(id)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// The file holding `pos`.
    pub fn file_of(&self, pos: Pos) -> Option<FileId> {
        let i = self.files.partition_point(|f| f.start <= pos.0);
        if i == 0 {
            return None;
        }
        let f = &self.files[i - 1];
        if pos.0 <= f.start + f.len {
            Some(FileId(i as u32 - 1))
        } else {
            None
        }
    }

    /// The global span of a byte range of a file.
    pub fn span(&self, file: FileId, lo: usize, hi: usize) -> Span {
        let s = self.file(file).start;
        Span::new(s + lo as u32, s + hi as u32)
    }

    /// The text a span covers (empty for a dummy or cross-file span).
    pub fn text(&self, span: Span) -> &str {
        match self.file_of(span.lo) {
            Some(id) => {
                let f = self.file(id);
                let lo = (span.lo.0 - f.start) as usize;
                let hi = ((span.hi.0.max(span.lo.0)) - f.start) as usize;
                f.text.get(lo..hi.min(f.text.len())).unwrap_or("")
            }
            None => "",
        }
    }

    /// Frees the text of every file, at the end of a run that will quote no
    /// more source (a large input is most of the memory left then): files,
    /// lines and `#line` mappings stay, columns read as 1 and
    /// [`SourceMap::text`] as empty.
    pub fn drop_texts(&mut self) {
        for f in &mut self.files {
            f.text = String::new();
        }
    }

    /// Records a `#line N "name"` directive that takes effect on the line after `pos`.
    pub fn add_line_directive(&mut self, pos: Pos, name: String, line: u32) {
        if let Some(id) = self.file_of(pos) {
            let f = &mut self.files[id.0 as usize];
            let rel = pos.0 - f.start;
            let phys = f.line_starts.partition_point(|&s| s <= rel) as u32; // 1-based line of pos
            let next_line_start = f.line_starts.get(phys as usize).copied().unwrap_or(f.len);
            f.line_directives.push(LineDirective { at: next_line_start, phys_line: phys + 1, file: name, line });
        }
    }

    /// Physical file, line and column of a position (ignoring `#line`).
    pub fn physical(&self, pos: Pos) -> Option<(FileId, u32, u32)> {
        let id = self.file_of(pos)?;
        let f = self.file(id);
        let rel = pos.0 - f.start;
        let line = f.line_starts.partition_point(|&s| s <= rel);
        let ls = f.line_starts[line - 1];
        let col = f.text.get(ls as usize..rel as usize).map_or(1, |s| s.chars().count() as u32 + 1);
        Some((id, line as u32, col))
    }

    /// The file and 1-based physical line of `pos`, without the column.
    pub fn physical_line(&self, pos: Pos) -> Option<(FileId, u32)> {
        self.line_of(pos).map(|(id, _, line)| (FileId(id as u32), line))
    }

    /// [`SourceMap::physical_line`], with the file. Positions are mostly
    /// asked for in increasing order, a line or a few after the last one:
    /// those are found from the hint without a search.
    #[inline]
    fn line_of(&self, pos: Pos) -> Option<(usize, &SourceFile, u32)> {
        /// Lines after the hinted one looked at before searching.
        const NEAR: usize = 4;
        let hint = self.line_hint.load(Ordering::Relaxed);
        let (hid, hline) = ((hint >> 32) as usize, hint as u32 as usize);
        if let Some(f) = self.files.get(hid) {
            let rel = pos.0.wrapping_sub(f.start);
            // The line of `rel` is `l` (1-based) when it starts at or before
            // `rel` and the next one after: from the hinted line on, the
            // first of the next starts that lies after `rel`.
            let from = f.line_starts.get(hline.wrapping_sub(1)..).filter(|s| rel <= f.len && s.first().is_some_and(|&s| s <= rel));
            if let Some(starts) = from {
                let ahead = &starts[1..starts.len().min(NEAR + 1)];
                let l = match ahead.iter().position(|&s| s > rel) {
                    Some(k) => hline + k,
                    None if starts.len() <= NEAR + 1 => hline + ahead.len(),
                    None => hline + NEAR + starts[NEAR + 1..].partition_point(|&s| s <= rel),
                };
                if l != hline {
                    self.line_hint.store(hint & !0xffff_ffff | l as u64, Ordering::Relaxed);
                }
                return Some((hid, f, l as u32));
            }
        }
        self.line_searched(pos)
    }

    /// [`SourceMap::line_of`] by binary search, which becomes the hint.
    #[inline(never)]
    fn line_searched(&self, pos: Pos) -> Option<(usize, &SourceFile, u32)> {
        let id = self.file_of(pos)?;
        let f = self.file(id);
        let rel = pos.0 - f.start;
        let line = f.line_starts.partition_point(|&s| s <= rel) as u32;
        self.line_hint.store(u64::from(id.0) << 32 | u64::from(line), Ordering::Relaxed);
        Some((id.0 as usize, f, line))
    }

    /// Where a position is, as diagnostics report it. Like Go's assembler, a
    /// `#line` directive changes the file name but the reported line stays the
    /// physical one: `Go: #line 100 "x.s"` then an error on the next line says `x.s:N`.
    pub fn locate(&self, pos: Pos) -> Option<Location<'_>> {
        let (id, line, col) = self.physical(pos)?;
        let f = self.file(id);
        let rel = pos.0 - f.start;
        let name = f
            .line_directives
            .iter()
            .rev()
            .find(|d| d.at <= rel)
            .map_or(f.name.as_str(), |d| d.file.as_str());
        Some(Location { file: id, name, line, col })
    }

    /// The line a `#line` directive makes of a position, for recorded line tables.
    pub fn logical_line(&self, pos: Pos) -> Option<(&str, u32)> {
        let (_, f, line) = self.line_of(pos)?;
        Some(f.logical_line(pos.0 - f.start, line))
    }

    /// A [`LineCursor`] over this map.
    pub fn line_cursor(&self) -> LineCursor<'_> {
        LineCursor { sources: self, file: None, line: 0, lo: 0, hi: 0, next_hi: 0, answer: ("", 0) }
    }
}

impl SourceFile {
    /// [`SourceMap::logical_line`] of relative offset `rel`, on physical line `line`.
    #[inline(always)]
    fn logical_line(&self, rel: u32, line: u32) -> (&str, u32) {
        if self.line_directives.is_empty() {
            return (self.name.as_str(), line);
        }
        // A directive on the last line, without a newline after it, takes
        // effect at the end of the file but not on its own line (the end).
        match self.line_directives.iter().rev().find(|d| d.at <= rel && line >= d.phys_line) {
            Some(d) => (d.file.as_str(), d.line + (line - d.phys_line)),
            None => (self.name.as_str(), line),
        }
    }
}

/// [`SourceMap::logical_line`] for a sequence of positions, cheap when each
/// is on the line of the one before or the line after it, as a function's
/// instructions are (in any order, the answers are the same).
pub struct LineCursor<'a> {
    sources: &'a SourceMap,
    /// The file and 1-based physical line of the last answer.
    file: Option<&'a SourceFile>,
    line: u32,
    /// The global range `[lo, hi)` that has the last answer.
    lo: u32,
    hi: u32,
    /// The end of the line after it, when that line's answer is the next
    /// line number in the same name (`hi` otherwise).
    next_hi: u32,
    answer: (&'a str, u32),
}

impl<'a> LineCursor<'a> {
    /// The file name (after `#line`) and line of `pos`, as
    /// [`SourceMap::logical_line`] gives them.
    #[inline]
    pub fn logical_line(&mut self, pos: Pos) -> Option<(&'a str, u32)> {
        if pos.0.wrapping_sub(self.lo) >= self.hi.wrapping_sub(self.lo) {
            match self.file {
                Some(f) if pos.0.wrapping_sub(self.hi) < self.next_hi.wrapping_sub(self.hi) => {
                    self.line += 1;
                    self.answer.1 += 1;
                    (self.lo, self.hi) = (self.hi, self.next_hi);
                    self.next_hi = f.line_starts.get(self.line as usize + 1).map_or(f.len + 1, |&s| s) + f.start;
                }
                _ => return self.seek(pos),
            }
        }
        Some(self.answer)
    }

    #[inline(never)]
    fn seek(&mut self, pos: Pos) -> Option<(&'a str, u32)> {
        let (_, f, line) = self.sources.line_of(pos)?;
        let rel = pos.0 - f.start;
        let end_of = |l: u32| f.line_starts.get(l as usize).map_or(f.len + 1, |&s| s);
        let start = f.line_starts[line as usize - 1];
        // Up to a `#line` that takes effect inside (at the end of the file).
        let end = f.line_directives.iter().map(|d| d.at).filter(|&at| at > start).fold(end_of(line), u32::min);
        self.file = Some(f);
        self.line = line;
        self.answer = f.logical_line(rel, line);
        (self.lo, self.hi) = if rel < end { (f.start + start, f.start + end) } else { (0, 0) };
        // No `#line` takes effect from here on: the next line follows.
        let plain = f.line_directives.iter().all(|d| d.at <= start);
        self.next_hi = if plain && rel < end { f.start + end_of(line + 1) } else { self.hi };
        Some(self.answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_lines_and_columns() {
        let mut sm = SourceMap::new();
        let a = sm.add("a.s", None, "ab\ncd\n".into()).unwrap();
        let b = sm.add("b.s", None, "xyz".into()).unwrap();
        let p = sm.span(a, 4, 5).lo;
        let l = sm.locate(p).unwrap();
        assert_eq!((l.name, l.line, l.col), ("a.s", 2, 2));
        let q = sm.span(b, 2, 3).lo;
        assert_eq!(sm.locate(q).unwrap().name, "b.s");
        assert_eq!(sm.text(sm.span(a, 3, 5)), "cd");
    }

    #[test]
    fn line_starts_after_each_newline() {
        let text: String = (0..300).map(|i| ["\n", "a", "\n\n", "\u{b}", "é", "\u{10a}", "xyz\n"][i * 7 % 11 % 7]).collect();
        for end in 0..text.len() {
            let b = &text.as_bytes()[..end];
            let want: Vec<u32> = std::iter::once(0).chain(b.iter().enumerate().filter(|c| *c.1 == b'\n').map(|(i, _)| i as u32 + 1)).collect();
            assert_eq!(line_starts(b), want, "{end}");
        }
    }

    #[test]
    fn line_hint_agrees_with_search() {
        let mut sm = SourceMap::new();
        let a = sm.add("a.s", None, "ab\ncd\n\nefg".into()).unwrap();
        let b = sm.add("b.s", None, "x\ny\n".into()).unwrap();
        let c = sm.add("c.s", None, "1\n2\n\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n".into()).unwrap();
        let lines = |sm: &SourceMap, id: FileId| {
            let f = sm.file(id);
            (0..=f.text.len()).map(|i| (i, f.text[..i].matches('\n').count() as u32 + 1)).collect::<Vec<_>>()
        };
        // In order, backwards and jumping between files, the hint must not
        // change an answer.
        let mut all: Vec<(FileId, usize, u32)> = Vec::new();
        for id in [a, b, c] {
            all.extend(lines(&sm, id).into_iter().map(|(i, l)| (id, i, l)));
        }
        let orders = [
            all.clone(),
            all.iter().rev().cloned().collect(),
            all.iter().step_by(3).chain(all.iter().skip(1).step_by(2)).cloned().collect(),
            all.iter().step_by(7).chain(all.iter().step_by(13)).cloned().collect(),
        ];
        for order in orders {
            for (id, i, l) in order {
                assert_eq!(sm.physical_line(sm.span(id, i, i).lo), Some((id, l)), "{id:?} {i}");
            }
        }
        assert_eq!(sm.physical_line(Pos(0)), None);
    }

    #[test]
    fn line_cursor_agrees_with_logical_line() {
        let mut sm = SourceMap::new();
        let a = sm.add("a.s", None, "x\n#line 10 \"o.s\"\ny\nzz\n\nw\n#line 3 \"p.s\"".into()).unwrap();
        sm.add_line_directive(sm.span(a, 2, 3).lo, "o.s".into(), 9);
        sm.add_line_directive(sm.span(a, 30, 31).lo, "p.s".into(), 2);
        let b = sm.add("b.s", None, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n".into()).unwrap();
        let mut all = Vec::new();
        for id in [a, b] {
            all.extend((0..=sm.file(id).text.len()).map(|i| sm.span(id, i, i).lo));
        }
        all.push(Pos(0));
        // In order, backwards, in strides and jumping between files.
        let orders = [all.clone(), all.iter().rev().cloned().collect(), all.iter().step_by(3).chain(all.iter().step_by(11)).cloned().collect()];
        for order in orders {
            let mut c = sm.line_cursor();
            for p in order {
                assert_eq!(c.logical_line(p), sm.logical_line(p), "{p:?}");
            }
        }
    }

    #[test]
    fn line_directive_renames_file() {
        let mut sm = SourceMap::new();
        let a = sm.add("a.s", None, "#line 100 \"orig.s\"\nX\nY\n".into()).unwrap();
        sm.add_line_directive(sm.span(a, 0, 1).lo, "orig.s".into(), 100);
        let x = sm.span(a, 19, 20).lo;
        let l = sm.locate(x).unwrap();
        assert_eq!((l.name, l.line), ("orig.s", 2));
        assert_eq!(sm.logical_line(x), Some(("orig.s", 100)));
        let y = sm.span(a, 21, 22).lo;
        assert_eq!(sm.logical_line(y), Some(("orig.s", 101)));
    }
}
