//! The DWARF line table's input: each instruction's source file and line.
//!
//! Recorded per instruction: the logical position (through `#line`), the
//! invocation line for instructions a macro expands to, and the included
//! file for instructions written in an `#include`d file. Paths are recorded
//! as Go's `objabi.AbsFile` records them: made absolute against the working
//! directory and cleaned lexically (no symlink resolved), so one file gets
//! one name however the command line or `-I` spells it, then rewritten by
//! `-trimpath` (Go's syntax, `prefix=>replacement;prefix2`). The compile
//! unit's directory is `.`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use asm_lexer::{FileId, LineCursor, SourceMap, Span};
use obj::dwarf::DebugLines;
use obj::Module;

/// Go's `objabi.ApplyRewrites`: the first rewrite whose prefix matches wins;
/// a prefix without `=>` is removed with the separator after it.
pub fn apply_trimpath(path: &str, rewrites: &str) -> Option<String> {
    for rw in rewrites.split(';') {
        let (prefix, replace) = match rw.rfind("=>") {
            Some(j) => (&rw[..j], &rw[j + 2..]),
            None => (rw, ""),
        };
        if prefix.is_empty() || !has_path_prefix(path, prefix) {
            continue;
        }
        if path.len() == prefix.len() {
            return Some(replace.to_string());
        }
        if replace.is_empty() {
            return Some(path[prefix.len() + 1..].to_string());
        }
        return Some(format!("{replace}{}", &path[prefix.len()..]));
    }
    None
}

fn has_path_prefix(s: &str, t: &str) -> bool {
    let t = t.strip_suffix('/').filter(|x| !x.is_empty()).unwrap_or(t);
    if t.len() > s.len() || !s.starts_with(t) {
        return false;
    }
    t.len() == s.len() || s.as_bytes()[t.len()] == b'/' || t.ends_with('/')
}

/// The name the `-S` listing shows for a path: `-trimpath` applied to its
/// absolute form, else the path as given (Go lists positions as given).
pub fn recorded_name(path: &str, trimpath: Option<&str>, cwd: Option<&Path>) -> String {
    if let Some(rw) = trimpath.filter(|t| !t.is_empty()) {
        let abs = match cwd {
            Some(cwd) if !Path::new(path).is_absolute() && !path.starts_with('<') => cwd.join(path).to_string_lossy().into_owned(),
            _ => path.to_string(),
        };
        if let Some(p) = apply_trimpath(&abs, rw).or_else(|| apply_trimpath(path, rw)) {
            return if p.is_empty() { "?".to_string() } else { p };
        }
    }
    path.to_string()
}

/// The name recorded in DWARF for a path, as Go's `objabi.AbsFile`: joined
/// to the working directory `cwd` when relative, cleaned lexically (`.`,
/// `..`, repeated `/`; Go cleans only relative names), then rewritten by
/// `-trimpath` (all removed: `??`, as Go). Names that are no path
/// (`<stdin>`) stay as they are.
pub fn abs_file(path: &str, trimpath: Option<&str>, cwd: Option<&Path>) -> String {
    if path.starts_with('<') {
        return path.to_string();
    }
    let abs = match cwd {
        Some(cwd) if !Path::new(path).is_absolute() => clean(&cwd.join(path)),
        _ => clean(Path::new(path)),
    };
    match trimpath.filter(|t| !t.is_empty()).and_then(|rw| apply_trimpath(&abs, rw)) {
        Some(p) if p.is_empty() => "??".to_string(),
        Some(p) => p,
        None => abs,
    }
}

/// Go's `filepath.Clean`, on the path's text only.
fn clean(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<String> = Vec::new();
    let rooted = path.has_root();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            // `/..` is `/`.
            Component::ParentDir if rooted => {}
            Component::ParentDir => parts.push("..".into()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `os.Getwd`: `$PWD` when it names the working directory (so a path
/// through a symlinked directory stays as the shell spells it), else the
/// resolved one.
pub fn working_dir() -> Option<PathBuf> {
    let dot = std::env::current_dir().ok();
    #[cfg(unix)]
    if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from).filter(|p| p.is_absolute()) {
        use std::os::unix::fs::MetadataExt;
        let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        if id(&pwd).is_some() && id(&pwd) == id(Path::new(".")) {
            return Some(pwd);
        }
    }
    dot
}

/// The file and line recorded for a position: the name as a borrowed
/// `&str` of the source map (no allocation), the raw name to record built
/// only once per distinct name.
fn position<'s>(
    sources: &'s SourceMap,
    cursor: &mut LineCursor<'s>,
    span: Span,
    last: &mut Option<(FileId, &'s str)>,
) -> Option<(&'s str, Option<FileId>, u32)> {
    let (name, line) = cursor.logical_line(span.lo)?;
    // The file's own name is recorded by its path when it has one. The
    // name is that of the file of the last position most of the time: then
    // the file need not be looked up again (a name no `#line` gave is the
    // file's own string; empty names are no evidence).
    let id = match *last {
        Some((id, own)) if !name.is_empty() && std::ptr::eq(name, own) => id,
        _ => {
            let id = sources.file_of(span.lo)?;
            *last = Some((id, sources.file(id).name.as_str()));
            id
        }
    };
    let f = sources.file(id);
    Some((name, (std::ptr::eq(name, f.name.as_str()) && f.path.is_some()).then_some(id), line))
}

pub fn lines(module: &Module, sources: &SourceMap, inputs: &[PathBuf], trimpath: Option<&str>) -> DebugLines {
    let cwd = working_dir();
    let mut files: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // The file index of each distinct borrowed name seen, by address.
    type Key = (usize, usize, Option<FileId>);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut last: Option<(Key, usize)> = None;
    let mut file_index = |name: &str, by_path: Option<FileId>| -> usize {
        let key = (name.as_ptr() as usize, name.len(), by_path);
        if let Some((k, i)) = last {
            if k == key {
                return i;
            }
        }
        if let Some(&i) = seen.get(&key) {
            last = Some((key, i));
            return i;
        }
        let raw = match by_path.and_then(|id| sources.file(id).path.as_ref()) {
            Some(p) => p.to_string_lossy().into_owned(),
            None => name.to_string(),
        };
        let name = abs_file(&raw, trimpath, cwd.as_deref());
        let i = *index.entry(name.clone()).or_insert_with(|| {
            files.push(name);
            files.len() - 1
        });
        seen.insert(key, i);
        last = Some((key, i));
        i
    };
    let mut funcs = HashMap::new();
    let mut last_file = None;
    // Rows come in source order mostly: the cursor answers those from the
    // line it is on or the next few.
    let mut cursor = sources.line_cursor();
    for f in &module.funcs {
        let s = module.syms.get(f.sym);
        let head = position(sources, &mut cursor, f.span, &mut last_file);
        let one = [(0, f.span)];
        let listed: &[(u32, Span)] = if s.lines.is_empty() { &one } else { &s.lines };
        // Sized up front: growing copies the rows byte by byte.
        let mut rows: Vec<(u64, usize, u32)> = Vec::with_capacity(listed.len());
        // The name of the previous row and its file index: a position named
        // by the same string (by address; a file's own name or one `#line`'s)
        // is in the same file, so neither the file nor the index need be
        // looked up again (empty names are no evidence).
        let mut prev: Option<(&str, usize)> = None;
        for &(pc, span) in listed {
            // An instruction without a line (a trampoline) stays in the row before it.
            if span.is_dummy() {
                continue;
            }
            let fi_line = match (cursor.logical_line(span.lo), prev) {
                (Some((name, line)), Some((p, fi))) if !name.is_empty() && std::ptr::eq(name, p) => Some((fi, line)),
                _ => position(sources, &mut cursor, span, &mut last_file).or(head).map(|(name, by_path, line)| {
                    let fi = file_index(name, by_path);
                    prev = Some((name, fi));
                    (fi, line)
                }),
            };
            let Some((fi, line)) = fi_line else { continue };
            let row = (u64::from(pc), fi, line);
            // Zero-size pseudo-instructions share their pc with the next one,
            // which owns the row.
            match rows.last_mut() {
                Some(last) if last.0 == row.0 => *last = row,
                Some(last) if last.0 > row.0 => {}
                _ => rows.push(row),
            }
        }
        funcs.insert(f.sym, rows);
    }
    let name = inputs.first().map_or_else(|| "?".to_string(), |p| abs_file(&p.to_string_lossy(), trimpath, cwd.as_deref()));
    DebugLines {
        name,
        comp_dir: ".".to_string(),
        producer: format!("goasm {} (Go 1.27.3 assembler syntax)", env!("CARGO_PKG_VERSION")),
        files,
        funcs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimpath_as_go() {
        assert_eq!(apply_trimpath("/a/b/c.s", "/a/b"), Some("c.s".into()));
        assert_eq!(apply_trimpath("/a/b/c.s", "/x;/a=>p"), Some("p/b/c.s".into()));
        assert_eq!(apply_trimpath("/a/bc/c.s", "/a/b"), None);
        assert_eq!(apply_trimpath("/a/b", "/a/b=>q"), Some("q".into()));
        assert_eq!(recorded_name("src/x.s", Some("/w=>w"), Some(Path::new("/w"))), "w/src/x.s");
        assert_eq!(recorded_name("src/x.s", None, Some(Path::new("/w"))), "src/x.s");
    }

    #[test]
    fn abs_file_as_go() {
        let w = Some(Path::new("/w/src"));
        assert_eq!(abs_file("x.s", None, w), "/w/src/x.s");
        assert_eq!(abs_file("../inc/./d.h", None, w), "/w/inc/d.h");
        assert_eq!(abs_file("/w//inc/../inc/d.h", None, w), "/w/inc/d.h");
        assert_eq!(abs_file("../../../x.s", None, w), "/x.s");
        assert_eq!(abs_file("x.s", Some("/w"), w), "src/x.s");
        assert_eq!(abs_file("x.s", Some("/w/src=>p"), w), "p/x.s");
        assert_eq!(abs_file("<stdin>", Some("/w"), w), "<stdin>");
        assert_eq!(clean(Path::new("a/../..")), "..");
        assert_eq!(clean(Path::new("./")), ".");
    }
}
