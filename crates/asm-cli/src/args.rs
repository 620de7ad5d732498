//! Command-line flags: Go's single-dash spelling (`-trimpath x`, `-D=A=1`),
//! GNU double-dash spelling (`--trimpath=x`), and `@file` response files.

use std::path::PathBuf;

use clap::{ArgAction, Parser};

/// goasm: Go's assembler as a standalone tool writing native object files.
#[derive(Parser, Debug, Default)]
#[command(name = "goasm", version, about, disable_version_flag = true)]
pub struct Args {
    /// Output file (default: the input's base name with .o, in the current directory).
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Add a directory to the #include search path (after the input file's directory).
    #[arg(short = 'I', value_name = "DIR", action = ArgAction::Append)]
    pub include: Vec<PathBuf>,
    /// Predefine a macro: name or name=value.
    #[arg(short = 'D', value_name = "NAME[=VALUE]", action = ArgAction::Append)]
    pub define: Vec<String>,
    /// Print the assembly listing (symbols, bytes, relocations) to stdout.
    #[arg(short = 'S', action = ArgAction::Count)]
    pub listing: u8,
    /// Package import path: `·x` names become `path.x`.
    #[arg(short = 'p', value_name = "PATH")]
    pub pkg: Option<String>,
    /// Remove prefixes from recorded source paths: `a=>b;c`.
    #[arg(long = "trimpath", value_name = "PREFIXES")]
    pub trimpath: Option<String>,
    /// No limit on the number of errors reported.
    #[arg(short = 'e')]
    pub all_errors: bool,
    #[command(flatten)]
    pub code: CodeFlags,
    #[command(flatten)]
    pub build: BuildFlags,
    #[command(flatten)]
    pub out: OutputFlags,
    /// Input files.
    #[arg(value_name = "FILE.s")]
    pub files: Vec<PathBuf>,
}

// The flags come in groups, each its own `augment_args`: one function
// building all of them had a 34 KiB stack frame, and its probes faulted in
// nine stack pages that nothing else touches on a small input.

/// Flags that change the code generated.
#[derive(clap::Args, Debug, Default)]
pub struct CodeFlags {
    /// Print each parsed instruction.
    #[arg(long = "debug")]
    pub debug: bool,
    /// Generate code for a shared library (position-independent).
    #[arg(long = "shared")]
    pub shared: bool,
    /// Support references to Go symbols in other shared libraries.
    #[arg(long = "dynlink")]
    pub dynlink: bool,
    /// Assemble every TEXT as if NOSPLIT: no stack-split prologue calling
    /// runtime.morestack, so functions can be called from C (goasm only).
    #[arg(long = "nosplit-all")]
    pub nosplit_all: bool,
    /// Verbose output.
    #[arg(short = 'v')]
    pub verbose: bool,
    /// Spectre mitigations: comma-separated list of `all`, `ret`, `index`.
    #[arg(long = "spectre", value_name = "LIST")]
    pub spectre: Option<String>,
    /// Debug settings (`-d compressinstructions=0`); accepted for compatibility.
    #[arg(short = 'd', value_name = "LIST")]
    pub debug_settings: Option<String>,
}

/// Flags `go build` passes.
#[derive(clap::Args, Debug, Default)]
pub struct BuildFlags {
    /// Assembling the runtime (Go build flag).
    #[arg(long = "compiling-runtime")]
    pub compiling_runtime: bool,
    /// Assembling the standard library (Go build flag; no effect).
    #[arg(long = "std")]
    pub std: bool,
    /// Go build flag; accepted and ignored.
    #[arg(long = "gensymabis")]
    pub gensymabis: bool,
    /// Go build flag; accepted and ignored.
    #[arg(long = "linkshared")]
    pub linkshared: bool,
    /// Target architecture (GOARCH). Default: $GOARCH, else the host's.
    #[arg(long = "arch", value_name = "GOARCH")]
    pub arch: Option<String>,
    /// Target operating system (GOOS). Default: $GOOS, else the host's.
    #[arg(long = "os", value_name = "GOOS")]
    pub os: Option<String>,
    /// Preprocess, parse and check operands only; write nothing.
    #[arg(long = "syntax-only")]
    pub syntax_only: bool,
}

/// What to write besides the object.
#[derive(clap::Args, Debug, Default)]
pub struct OutputFlags {
    /// Print the version and exit.
    #[arg(short = 'V')]
    pub version: bool,
    /// Write a make dependency file beside the object (`foo.o` → `foo.d`).
    #[arg(long = "MD")]
    pub dep_file: bool,
    /// Name the dependency file (implies -MD).
    #[arg(long = "MF", value_name = "FILE")]
    pub dep_file_name: Option<PathBuf>,
    /// Add a phony target for every included file to the dependency file.
    #[arg(long = "MP")]
    pub dep_phony: bool,
    /// Do not write DWARF line information.
    #[arg(long = "no-dwarf")]
    pub no_dwarf: bool,
}

/// Long options that Go spells with one dash.
const LONG: &[&str] = &[
    "trimpath",
    "debug",
    "shared",
    "dynlink",
    "spectre",
    "compiling-runtime",
    "std",
    "gensymabis",
    "linkshared",
    "arch",
    "os",
    "syntax-only",
    "help",
    "MD",
    "MF",
    "MP",
    "no-dwarf",
    "nosplit-all",
];

/// Rewrites Go-style arguments into the form clap parses: `-trimpath` →
/// `--trimpath`, `-D=x` → `-D x`, `-o=f` → `-o f`, `-V=full` → `-V`.
pub fn normalize(args: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter();
    if let Some(prog) = iter.next() {
        out.push(prog);
    }
    let mut rest_are_files = false;
    for a in iter {
        if rest_are_files || !a.starts_with('-') || a == "-" || a.starts_with("--") {
            if a == "--" {
                rest_are_files = true;
            }
            out.push(a);
            continue;
        }
        let body = &a[1..];
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        if LONG.contains(&name) {
            out.push(format!("--{body}"));
        } else if name.len() == 1 && value.is_some() {
            // Go's flag package allows -o=file and -D=name=value.
            if name == "V" {
                out.push("-V".into());
            } else {
                out.push(format!("-{name}"));
                out.push(value.unwrap_or_default().to_string());
            }
        } else {
            out.push(a);
        }
    }
    out
}

/// Expands `@file` arguments (GCC quoting rules, recursively, bounded).
pub fn expand_response_files(args: Vec<String>) -> Result<Vec<String>, String> {
    fn expand(args: Vec<String>, depth: usize, out: &mut Vec<String>) -> Result<(), String> {
        for a in args {
            match a.strip_prefix('@') {
                Some(path) if !path.is_empty() => {
                    if depth > 32 {
                        return Err(format!("response file nesting too deep at @{path}"));
                    }
                    let text = std::fs::read_to_string(path).map_err(|e| format!("reading @{path}: {e}"))?;
                    expand(split_gcc_quoted(&text), depth + 1, out)?;
                }
                _ => out.push(a),
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    expand(args, 0, &mut out)?;
    Ok(out)
}

/// Splits a response file like GCC: whitespace separates, `'…'` and `"…"`
/// quote, backslash escapes the next character.
fn split_gcc_quoted(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    have = true;
                }
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                have = true;
            }
            (None, c) if c.is_whitespace() => {
                if have {
                    words.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            (None, c) => {
                cur.push(c);
                have = true;
            }
        }
    }
    if have {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Args {
        let args = normalize(v.iter().map(|s| s.to_string()).collect());
        Args::try_parse_from(args).unwrap()
    }

    #[test]
    fn go_and_gnu_spellings() {
        let a = parse(&["goasm", "-trimpath", "/x=>", "-D", "A=1", "-D=B", "-I", "inc", "-p", "pkg", "-o=out.o", "-shared", "a.s"]);
        assert_eq!(a.trimpath.as_deref(), Some("/x=>"));
        assert_eq!(a.define, vec!["A=1", "B"]);
        assert_eq!(a.pkg.as_deref(), Some("pkg"));
        assert_eq!(a.output, Some(PathBuf::from("out.o")));
        assert!(a.code.shared);
        let b = parse(&["goasm", "--trimpath=/x", "--arch", "arm64", "--syntax-only", "-S", "-S", "a.s", "b.s"]);
        assert_eq!(b.build.arch.as_deref(), Some("arm64"));
        assert!(b.build.syntax_only);
        assert_eq!(b.listing, 2);
        assert_eq!(b.files.len(), 2);
    }

    #[test]
    fn gcc_quoting() {
        assert_eq!(split_gcc_quoted("a 'b c' \"d\\\"e\" f\\ g"), vec!["a", "b c", "d\"e", "f g"]);
    }
}
