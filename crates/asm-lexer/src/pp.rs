//! The preprocessor: `#include`, `#define` (with arguments), `#undef`,
//! `#ifdef`/`#ifndef`/`#else`/`#endif` and `#line`, with the semantics of Go's
//! assembler (`cmd/asm/internal/lex`, Go 1.27.3), quirks included:
//!
//! * Input is a stack of token sources (files and macro expansions). An
//!   exhausted source is dropped only when it is next read from, and reading
//!   runs on into the source below: a macro's argument list may continue
//!   after the end of the expansion that produced the macro name, an
//!   included file's last line joins the including file's next line, and a
//!   `#define` at the end of an included file takes its body from the
//!   includer.
//! * Macros are expanded even inside skipped `#ifdef` regions (errors in
//!   their use are reported there too); only the `else`, `endif`, `ifdef`,
//!   `ifndef` and `line` directives are interpreted in a skipped region, and
//!   any other directive skips only its name, so `#if X ... #endif` in a
//!   skipped region closes the enclosing block.
//! * A function-like macro name not followed by `(` stands for itself, and
//!   the token read after it is handed on as is (not expanded, not taken as
//!   a directive). Go's parser then rejects the name, so we report it.
//! * `#line N "f"` makes the physical line after the next one line N, as Go's
//!   own position bookkeeping does.
//! * The first preprocessor error ends the run.
//!
//! Limits keep hostile input finite: 100 sources deep (Go's `input
//! recursion`), 100 macro invocations without a token in between (Go's
//! `recursive macro invocation`), plus a cap on the tokens read from macro
//! expansions, on the tokens held by pending expansions and on the number of
//! `#include`s, and a size cap on every file read.

use std::collections::HashMap;
use std::ffi::OsString;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use logos::Logos;

use crate::bytes::mask16;
use crate::diag::{Diag, Severity};
use crate::headers::builtin_header;
use crate::lexer::{ascii_ident_end, go_quote, is_go_build, newline_or_nul, quick_number, unquote, Lexeme};
use crate::name::{FxBuild, Name, NameCache};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::token::{Tok, Token};

/// Configuration of a preprocessor run.
#[derive(Clone, Debug, Default)]
pub struct PpConfig {
    /// `-I` directories, searched in order after the directory of the
    /// top-level input file.
    pub include_dirs: Vec<PathBuf>,
    /// Macros the driver defines as `go build` would (see
    /// [`go_build_predefines`]): `(name, value)`, value tokenized.
    pub predefines: Vec<(String, String)>,
    /// `-D name[=value]` in command-line order; `None` means `1`. A later
    /// definition of a name replaces an earlier one (predefinitions
    /// included) without complaint, as in Go.
    pub defines: Vec<(String, Option<String>)>,
}

/// Bounds on the work hostile input can cause. The defaults are far above
/// what real code needs.
#[derive(Clone, Copy, Debug)]
pub struct PpLimits {
    /// Tokens read out of macro expansions over the whole run.
    pub expanded_tokens: u64,
    /// Tokens held at once by the expansions being read.
    pub live_tokens: usize,
    /// `#include` operations over the whole run.
    pub includes: u32,
}

impl Default for PpLimits {
    fn default() -> Self {
        PpLimits { expanded_tokens: 1 << 26, live_tokens: 1 << 22, includes: 1 << 16 }
    }
}

/// Tokens read ahead at a time for [`Preprocessor::next_token`].
const MAX_AHEAD: usize = 64;
/// Go's limit on stacked sources (files and expansions).
const MAX_STACK: usize = 100;
/// Go's limit on macro invocations between two delivered tokens.
const MAX_NESTING: u32 = 100;
/// Largest regular file read.
const MAX_FILE: u64 = 1 << 30;
/// Largest amount read from a device, pipe or other special file.
const MAX_SPECIAL_FILE: u64 = 1 << 26;

/// A raw token's kind. `Semi` and `Newline` are kept apart here: only a
/// newline ends a directive, a macro definition or an argument list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A function-like macro's name used without arguments: never expanded.
    MacroName,
    Int,
    Float,
    Char,
    Str,
    Lsh,
    Rsh,
    Arrow,
    Rot,
    Punct(char),
    Newline,
    Semi,
    /// A `//go:build` comment.
    BuildTag,
    Eof,
}

/// A raw token: kind, where its text is, and for identifiers and numbers
/// the interned text (with `·` and `∕` rewritten).
#[derive(Clone, Copy, Debug)]
struct RTok {
    kind: Kind,
    span: Span,
    name: Option<Name>,
}

/// For a token read from a macro expansion: the span of the outermost
/// invocation and the span of the macro's name in its definition.
#[derive(Clone, Copy, Debug)]
struct Origin {
    site: Span,
    def: Span,
}

/// A raw token and, when it comes from an expansion, its origin.
type Located = (RTok, Option<Origin>);

#[derive(Debug)]
struct Macro {
    name: Name,
    def: Span,
    /// Formal parameters; `None` for an object-like macro.
    params: Option<Vec<Name>>,
    body: Rc<[RTok]>,
}

/// The defined macros. Every identifier is looked up, and few are macros:
/// a bit per name answers most lookups without hashing.
#[derive(Default)]
struct MacroTable {
    map: HashMap<Name, Rc<Macro>, FxBuild>,
    /// Bit `n` is set when name `n` may be a macro.
    maybe: Vec<u64>,
}

impl MacroTable {
    #[inline(always)]
    fn maybe(&self, n: Name) -> bool {
        let i = n.index() as usize;
        self.maybe.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 != 0)
    }

    #[inline(always)]
    fn get(&self, n: &Name) -> Option<&Rc<Macro>> {
        if self.maybe(*n) {
            self.map.get(n)
        } else {
            None
        }
    }

    #[inline(always)]
    fn contains_key(&self, n: &Name) -> bool {
        self.get(n).is_some()
    }

    fn insert(&mut self, n: Name, m: Rc<Macro>) {
        let i = n.index() as usize;
        if self.maybe.len() <= i / 64 {
            self.maybe.resize(i / 64 + 1, 0);
        }
        self.maybe[i / 64] |= 1 << (i % 64);
        self.map.insert(n, m);
    }

    fn remove(&mut self, n: &Name) {
        // The bit stays: a stale one only costs a hash lookup.
        self.map.remove(n);
    }
}

/// Reads raw tokens out of one file (or a range of one, for `-D` values).
#[derive(Debug)]
struct FileReader {
    file: FileId,
    /// Next byte to read and end, relative to the file's start.
    pos: usize,
    end: usize,
}

#[derive(Debug)]
struct Expansion {
    toks: Rc<[RTok]>,
    pos: usize,
    origin: Origin,
    /// Counted against the live-token limit (substituted bodies only).
    owned: usize,
}

#[derive(Debug)]
enum Source {
    File(FileReader),
    Macro(Expansion),
}

/// Go's preprocessor over a [`SourceMap`]; see the module documentation.
pub struct Preprocessor {
    sources: SourceMap,
    /// The lexer's cache of interned names.
    names: NameCache,
    stack: Vec<Source>,
    macros: MacroTable,
    /// Open `#ifdef`/`#ifndef`s: whether the current branch is taken, and where
    /// the block was opened.
    conds: Vec<(bool, Span)>,
    at_line_start: bool,
    /// The token read after a function-like macro name that had no `(`.
    held: Option<Located>,
    /// Plain tokens read ahead from a file, to hand out first from
    /// `ahead_pos` on (see [`Preprocessor::read_ahead`]). Their values own
    /// nothing, so clearing need not visit them to drop them.
    ahead: Vec<ManuallyDrop<Token>>,
    ahead_pos: usize,
    /// The token read after them that needs the general path.
    ahead_stop: Option<RTok>,
    /// The last raw token read, for error positions.
    last: Located,
    search_dirs: Vec<PathBuf>,
    included: Vec<PathBuf>,
    by_path: HashMap<PathBuf, FileId>,
    builtins: HashMap<&'static str, FileId>,
    include_count: u32,
    limits: PpLimits,
    expanded: u64,
    live: usize,
    /// Non-fatal diagnostics waiting for [`Preprocessor::take_diags`].
    diags: Vec<Diag>,
    /// A configuration error to report on the first call.
    pending: Option<Diag>,
    finished: bool,
    /// A token other than a newline has been seen (for `//go:build` placement).
    saw_code: bool,
    /// Any token has been handed out.
    handed_out: bool,
    eof_span: Span,
}

/// Where [`Preprocessor::read_ahead`] puts tokens: its own buffer, or a
/// caller's (see [`Preprocessor::next_tokens`]).
trait Sink {
    fn len(&self) -> usize;
    fn push(&mut self, t: Token);
}

impl Sink for Vec<Token> {
    #[inline(always)]
    fn len(&self) -> usize {
        Vec::len(self)
    }
    #[inline(always)]
    fn push(&mut self, t: Token) {
        Vec::push(self, t)
    }
}

impl Sink for Vec<ManuallyDrop<Token>> {
    #[inline(always)]
    fn len(&self) -> usize {
        Vec::len(self)
    }
    #[inline(always)]
    fn push(&mut self, t: Token) {
        Vec::push(self, ManuallyDrop::new(t))
    }
}

fn dummy_tok() -> RTok {
    RTok { kind: Kind::Eof, span: Span::DUMMY, name: None }
}

impl Preprocessor {
    /// `input` must already be in `sources`; it is the top-level file.
    pub fn new(sources: SourceMap, cfg: PpConfig, input: FileId) -> Preprocessor {
        let top = sources.file(input);
        let top_path = top.path.clone().unwrap_or_else(|| PathBuf::from(&top.name));
        let mut search_dirs = vec![go_dir(&top_path)];
        search_dirs.extend(cfg.include_dirs.iter().cloned());
        let end = top.text.len();
        let eof_span = sources.span(input, end, end);
        let mut pp = Preprocessor {
            sources,
            names: NameCache::new(),
            stack: Vec::new(),
            macros: MacroTable::default(),
            conds: Vec::new(),
            at_line_start: true,
            held: None,
            ahead: Vec::new(),
            ahead_pos: 0,
            ahead_stop: None,
            last: (dummy_tok(), None),
            search_dirs,
            included: Vec::new(),
            by_path: HashMap::new(),
            builtins: HashMap::new(),
            include_count: 0,
            limits: PpLimits::default(),
            expanded: 0,
            live: 0,
            diags: Vec::new(),
            pending: None,
            finished: false,
            saw_code: false,
            handed_out: false,
            eof_span,
        };
        pp.command_line_macros(&cfg);
        let start = if pp.sources.file(input).text.starts_with('\u{feff}') { 3 } else { 0 };
        pp.stack.push(Source::File(FileReader { file: input, pos: start, end }));
        pp
    }

    /// Replaces the default [`PpLimits`].
    pub fn set_limits(&mut self, limits: PpLimits) {
        self.limits = limits;
    }

    /// Next token after preprocessing; `Tok::Eof` at the end (repeatedly).
    /// An `Err` is fatal (Go stops at the first preprocessor error); later
    /// calls return `Tok::Eof`.
    pub fn next_token(&mut self) -> Result<Token, Diag> {
        match self.pop_ahead() {
            Some(t) => Ok(t),
            None => self.next_token_full(),
        }
    }

    /// The next token when it was read ahead with the rest of its line:
    /// the cheap part of [`Preprocessor::next_token`], for callers that take
    /// tokens one at a time. Such a token comes with no diagnostic. `None`:
    /// ask `next_token`.
    #[inline(always)]
    pub fn next_read_ahead(&mut self) -> Option<Token> {
        self.pop_ahead()
    }

    /// Appends the next tokens to `out`, those that calling `next_token`
    /// would return: up to `max` that need no preprocessing and bring no
    /// diagnostic at once, else one token. Diagnostics waiting afterwards
    /// ([`Preprocessor::has_diags`]) came with the last token appended (or
    /// with the error). `Err` as from `next_token`, with nothing appended.
    pub fn next_tokens(&mut self, out: &mut Vec<Token>, max: usize) -> Result<(), Diag> {
        if self.ahead_pos < self.ahead.len() {
            // Left by calls of `next_token`.
            while let Some(t) = self.pop_ahead() {
                out.push(t);
            }
            return Ok(());
        }
        if self.pending.is_none() && !self.finished && self.ahead_stop.is_none() {
            let n = out.len();
            self.read_ahead(out, max.max(1));
            if out.len() > n {
                return Ok(());
            }
        }
        out.push(self.next_token_general(false)?);
        Ok(())
    }

    /// [`Preprocessor::next_token`] when no token was read ahead.
    #[inline(never)]
    fn next_token_full(&mut self) -> Result<Token, Diag> {
        self.next_token_general(true)
    }

    /// The next token, reading the next line's plain tokens ahead first
    /// when `read_ahead` (false: the caller just tried).
    fn next_token_general(&mut self, read_ahead: bool) -> Result<Token, Diag> {
        if self.pending.is_some() {
            self.finished = true;
            return Err(self.pending.take().expect("checked"));
        }
        if self.finished {
            return Ok(Token { tok: Tok::Eof, span: self.eof_span, macro_def: None });
        }
        let t = if read_ahead {
            self.produce()
        } else {
            let first = self.ahead_stop.take().map(|t| (t, None));
            self.produce_full(first)
        };
        if t.is_err() {
            self.finished = true;
        }
        t
    }

    /// Diagnostics that do not stop the run, in the order found: scanner
    /// complaints (warnings, as Go prints them without failing), and errors
    /// Go's parser would report for tokens handed out (a misplaced
    /// `//go:build`, an undecodable string or rune literal, a function-like
    /// macro used without arguments). Drain after each `next_token`.
    pub fn take_diags(&mut self) -> Vec<Diag> {
        std::mem::take(&mut self.diags)
    }

    /// Whether diagnostics wait for [`Preprocessor::take_diags`].
    #[inline]
    pub fn has_diags(&self) -> bool {
        !self.diags.is_empty()
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    pub fn into_sources(self) -> SourceMap {
        self.sources
    }

    /// Files read through `#include`, in first-read order, built-ins excluded.
    pub fn included_paths(&self) -> &[PathBuf] {
        &self.included
    }

    // ---- command line -------------------------------------------------

    fn command_line_macros(&mut self, cfg: &PpConfig) {
        let all: Vec<(&str, &str)> = cfg
            .predefines
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(cfg.defines.iter().map(|(n, v)| (n.as_str(), v.as_deref().unwrap_or("1"))))
            .collect();
        if all.is_empty() {
            return;
        }
        for (name, _) in &all {
            if let Err(e) = check_define_name(name) {
                self.pending = Some(Diag::error(None, e));
                return;
            }
        }
        // One pseudo-file holds every definition, so that spans exist.
        let mut text = String::new();
        let mut ranges = Vec::new();
        for (name, value) in &all {
            let n0 = text.len();
            text.push_str(name);
            let n1 = text.len();
            text.push('=');
            let v0 = text.len();
            text.push_str(value);
            let v1 = text.len();
            text.push('\n');
            ranges.push((n0, n1, v0, v1));
        }
        let file = match self.sources.add("<command-line>", None, text) {
            Ok(f) => f,
            Err(e) => {
                self.pending = Some(Diag::error(None, e));
                return;
            }
        };
        for ((name, _), (n0, n1, v0, v1)) in all.iter().zip(ranges) {
            let mut reader = FileReader { file, pos: v0, end: v1 };
            let mut body = Vec::new();
            loop {
                let t = reader.next(&self.sources, &mut self.diags, &mut self.names);
                if t.kind == Kind::Eof {
                    break;
                }
                body.push(t);
            }
            let name = Name::new(&rewrite(name));
            let def = self.sources.span(file, n0, n1);
            self.macros.insert(name, Rc::new(Macro { name, def, params: None, body: body.into() }));
        }
    }

    // ---- reading ---------------------------------------------------------

    /// Next raw token from the source stack, dropping exhausted sources.
    fn raw(&mut self) -> Result<Located, Diag> {
        loop {
            let depth = self.stack.len();
            let top = self.stack.last_mut().expect("the top-level file stays on the stack");
            let got = match top {
                Source::File(r) => (r.next(&self.sources, &mut self.diags, &mut self.names), None),
                Source::Macro(x) => match x.toks.get(x.pos) {
                    Some(&t) => {
                        x.pos += 1;
                        (t, Some(x.origin))
                    }
                    None => (dummy_tok(), None),
                },
            };
            if got.0.kind == Kind::Eof && depth > 1 {
                if let Some(Source::Macro(x)) = self.stack.pop() {
                    self.live -= x.owned;
                }
                continue;
            }
            if got.1.is_some() {
                self.expanded += 1;
                if self.expanded > self.limits.expanded_tokens {
                    self.last = got;
                    return Err(self.error(format!(
                        "macro expansion too large: more than {} tokens read from expansions",
                        self.limits.expanded_tokens
                    )));
                }
            }
            if got.0.kind == Kind::Eof {
                // Keep the position of the last real token for messages.
                let mut t = got.0;
                t.span = self.eof_span;
                self.last = (t, None);
                return Ok((t, None));
            }
            self.last = got;
            return Ok(got);
        }
    }

    fn push(&mut self, s: Source) -> Result<(), Diag> {
        if self.stack.len() > MAX_STACK {
            return Err(self.error("input recursion"));
        }
        self.stack.push(s);
        Ok(())
    }

    fn enabled(&self) -> bool {
        self.conds.last().is_none_or(|c| c.0)
    }

    /// The next token to hand out. Most come straight from a file, with no
    /// macro, directive or conditional involved: those are read ahead a
    /// line at a time.
    #[inline]
    fn produce(&mut self) -> Result<Token, Diag> {
        if self.ahead_stop.is_none() {
            let mut ahead = std::mem::take(&mut self.ahead);
            ahead.clear();
            self.ahead_pos = 0;
            self.read_ahead(&mut ahead, MAX_AHEAD);
            self.ahead = ahead;
            if let Some(t) = self.pop_ahead() {
                return Ok(t);
            }
        }
        let first = self.ahead_stop.take().map(|t| (t, None));
        self.produce_full(first)
    }

    /// Reads the plain tokens that come next from a file into `out`, at
    /// most `max`: tokens the quick scanner finds (no complaint to make), in
    /// an enabled region, that are not a macro name, a `#` or a
    /// `//go:build`. Handing them out later changes nothing: reading them
    /// has no effect the parser can see, and no diagnostic comes with them.
    /// A token that stops the run waits in `ahead_stop`. The flags that
    /// handing out sets are set here: only the general path reads them, and
    /// only once the tokens read ahead are handed out.
    #[inline(always)]
    fn read_ahead(&mut self, out: &mut impl Sink, max: usize) {
        if self.held.is_some() || !self.enabled() {
            return;
        }
        let Some(Source::File(r)) = self.stack.last_mut() else { return };
        let mut scan = r.scan(self.sources.file(r.file));
        let limit = out.len() + max;
        while out.len() < limit {
            let Some(t) = scan.token(&mut self.names) else { break };
            let plain = match (t.kind, t.name) {
                (Kind::Ident, Some(n)) => !self.macros.contains_key(&n),
                (Kind::Punct('#') | Kind::BuildTag, _) => false,
                _ => true,
            };
            if !plain {
                self.ahead_stop = Some(t);
                break;
            }
            self.at_line_start = matches!(t.kind, Kind::Newline);
            out.push(hand_out_plain(t, &mut self.handed_out, &mut self.saw_code));
        }
        r.pos = scan.pos;
    }

    /// Hands out the next token read ahead, if any.
    #[inline(always)]
    fn pop_ahead(&mut self) -> Option<Token> {
        let t = self.ahead.get_mut(self.ahead_pos)?;
        self.ahead_pos += 1;
        // A plain token's value owns nothing: leave a placeholder.
        Some(Token { tok: std::mem::replace(&mut t.tok, Tok::Eof), span: t.span, macro_def: None })
    }

    /// [`Preprocessor::produce`] in general; `first` is a token already read
    /// from a file (not yet recorded as the last token: only this path
    /// reports errors at it).
    #[inline(never)]
    fn produce_full(&mut self, mut first: Option<Located>) -> Result<Token, Diag> {
        if let Some(l) = first {
            self.last = l;
        }
        'next: loop {
            if let Some((t, o)) = self.held.take() {
                // Handed on as is, like Go does with the token it peeked at.
                match t.kind {
                    Kind::BuildTag => self.build_tag(t, o),
                    Kind::Punct('#') => self.saw_code = true,
                    _ => return Ok(self.hand_out(t, o)),
                }
                continue 'next;
            }
            let mut invocations = 0;
            loop {
                if invocations >= MAX_NESTING {
                    return Err(self.error("recursive macro invocation"));
                }
                let (t, o) = match first.take() {
                    Some(l) => l,
                    None => self.raw()?,
                };
                match t.kind {
                    Kind::Punct('#') => {
                        if !self.at_line_start {
                            return Err(self.error("'#' must be first item on line"));
                        }
                        self.at_line_start = self.directive()?;
                        self.saw_code = true;
                        continue 'next;
                    }
                    Kind::Ident => {
                        if let Some(m) = t.name.and_then(|n| self.macros.get(&n)).cloned() {
                            invocations += 1;
                            self.invoke(&m, t, o)?;
                            continue;
                        }
                    }
                    _ => {}
                }
                if t.kind == Kind::Eof {
                    if let Some(&(_, opened)) = self.conds.last() {
                        return Err(self.error("unclosed #ifdef or #ifndef").with_label(opened, "opened here"));
                    }
                }
                self.at_line_start = t.kind == Kind::Newline;
                if !self.enabled() {
                    continue;
                }
                if t.kind == Kind::BuildTag {
                    self.build_tag(t, o);
                    continue 'next;
                }
                return Ok(self.hand_out(t, o));
            }
        }
    }

    fn build_tag(&mut self, t: RTok, o: Option<Origin>) {
        // Go's parser complains only once it has seen code and has already
        // been handed a token (its line number is still zero before that).
        if self.saw_code && self.handed_out {
            let span = o.map_or(t.span, |o| o.site);
            self.diags.push(Diag::error(span, "misplaced //go:build comment"));
        }
    }

    fn hand_out(&mut self, t: RTok, o: Option<Origin>) -> Token {
        if o.is_none() && !matches!(t.kind, Kind::MacroName | Kind::Str | Kind::Char) {
            return hand_out_plain(t, &mut self.handed_out, &mut self.saw_code);
        }
        self.handed_out = true;
        if !matches!(t.kind, Kind::Newline) {
            self.saw_code = true;
        }
        let span = o.map_or(t.span, |o| o.site);
        let macro_def = o.map(|o| o.def);
        let tok = match t.kind {
            Kind::MacroName | Kind::Str | Kind::Char => self.decode(t, span, o),
            _ => plain_tok(t),
        };
        Token { tok, span, macro_def }
    }

    /// The rarer tokens of [`Preprocessor::hand_out`], whose value takes
    /// work or which come with a complaint.
    #[inline(never)]
    fn decode(&mut self, t: RTok, span: Span, o: Option<Origin>) -> Tok {
        match t.kind {
            Kind::MacroName => {
                let n = t.name.expect("identifiers are interned");
                let mut d = Diag::error(span, format!("function-like macro {n} used without arguments"));
                if let Some(o) = o {
                    d = d.with_label(o.def, "defined here");
                }
                self.diags.push(d);
                Tok::Ident(n)
            }
            Kind::Str => {
                let text = rewrite(self.sources.text(t.span));
                match unquote(&text) {
                    Some(b) => Tok::Str(b.into_boxed_slice()),
                    None => {
                        self.diags.push(Diag::error(span, "string parse error: invalid syntax"));
                        Tok::Str(Box::default())
                    }
                }
            }
            Kind::Char => {
                let text = rewrite(self.sources.text(t.span));
                match unquote(&text) {
                    Some(b) => Tok::Char(std::str::from_utf8(&b).ok().and_then(|s| s.chars().next()).map(u32::from)),
                    None => {
                        self.diags.push(Diag::error(span, "invalid syntax"));
                        Tok::Char(None)
                    }
                }
            }
            _ => unreachable!("decode is only called for names used as macros, strings and runes"),
        }
    }

    // ---- errors ------------------------------------------------------------

    /// An error at the last token read (at its invocation for expansions).
    fn error(&self, msg: impl Into<String>) -> Diag {
        let (t, o) = self.last;
        let span = o.map_or(t.span, |o| o.site);
        let mut d = Diag::error(if span.is_dummy() { None } else { Some(span) }, msg);
        if let Some(o) = o {
            d = d.with_label(o.def, "in expansion of this macro");
        }
        d
    }

    /// The text of a token as Go's messages show it.
    fn text_of(&self, t: &RTok) -> String {
        match t.kind {
            Kind::Eof => String::new(),
            Kind::Newline => "\n".into(),
            Kind::Ident | Kind::MacroName | Kind::Int | Kind::Float => t.name.map(|n| n.as_str().to_owned()).unwrap_or_default(),
            _ => self.sources.text(t.span).to_owned(),
        }
    }

    /// Go's "`msg` ; got `quoted text`" errors.
    fn expected(&self, msg: &str) -> Diag {
        let text = self.text_of(&self.last.0);
        self.error(format!("{msg} ; got {}", go_quote(&text)))
    }

    fn expect_newline(&mut self, directive: &str) -> Result<(), Diag> {
        let (t, _) = self.raw()?;
        if t.kind != Kind::Newline {
            return Err(self.expected(&format!("expected newline after {directive}")));
        }
        Ok(())
    }

    // ---- directives --------------------------------------------------------

    /// Handles the directive after a `#`. Returns whether it was carried out
    /// (a skipped one leaves the rest of its line to be read as tokens).
    fn directive(&mut self) -> Result<bool, Diag> {
        let (t, _) = self.raw()?;
        if t.kind != Kind::Ident {
            return Err(self.expected("expected identifier after '#'"));
        }
        let word = t.name.expect("identifiers are interned").as_str();
        if !self.enabled() && !matches!(word, "else" | "endif" | "ifdef" | "ifndef" | "line") {
            return Ok(false);
        }
        match word {
            "define" => self.define()?,
            "undef" => self.undef()?,
            "ifdef" => self.ifdef(true, t.span)?,
            "ifndef" => self.ifdef(false, t.span)?,
            "else" => self.else_()?,
            "endif" => self.endif()?,
            "include" => self.include()?,
            "line" => self.line()?,
            _ => return Err(self.error(format!("unexpected token after '#': {word}"))),
        }
        Ok(true)
    }

    fn macro_name(&mut self) -> Result<RTok, Diag> {
        let (t, _) = self.raw()?;
        if t.kind != Kind::Ident {
            return Err(self.expected("expected identifier after # directive"));
        }
        Ok(t)
    }

    fn define(&mut self) -> Result<(), Diag> {
        let name_tok = self.macro_name()?;
        let name = name_tok.name.expect("identifiers are interned");
        let name_from_macro = self.last.1.is_some();
        let (mut t, o) = self.raw()?;
        let mut params = None;
        let mut body = Vec::new();
        if t.kind != Kind::Newline && t.kind != Kind::Eof {
            // `#define F(x)` has parameters, `#define F (x)` does not. Inside
            // an expansion the tokens count as adjacent (as in Go).
            let adjacent = match (name_from_macro, o.is_some()) {
                (true, true) => true,
                (false, false) => t.span.lo == name_tok.span.hi,
                _ => false,
            };
            if t.kind == Kind::Punct('(') && adjacent {
                let mut list: Vec<Name> = Vec::new();
                let mut want_param = true;
                loop {
                    let (p, _) = self.raw()?;
                    match p.kind {
                        Kind::Punct(')') => {
                            t = self.raw()?.0;
                            break;
                        }
                        Kind::Punct(',') => {
                            if want_param {
                                return Err(self.error(format!("bad syntax in definition for macro: {name}")));
                            }
                            want_param = true;
                        }
                        Kind::Ident => {
                            if !want_param {
                                return Err(self.error(format!("bad syntax in definition for macro: {name}")));
                            }
                            let p = p.name.expect("identifiers are interned");
                            if list.contains(&p) {
                                return Err(self.error(format!("duplicate argument {p} in definition for macro: {name}")));
                            }
                            list.push(p);
                            want_param = false;
                        }
                        _ => return Err(self.error(format!("bad definition for macro: {name}"))),
                    }
                }
                params = Some(list);
            }
            while t.kind != Kind::Newline {
                if t.kind == Kind::Eof {
                    return Err(self.error(format!("missing newline in definition for macro: {name}")));
                }
                if t.kind == Kind::Punct('\\') {
                    t = self.raw()?.0;
                    if t.kind != Kind::Newline && t.kind != Kind::Punct('\\') {
                        return Err(self.error(format!("can only escape \\ or \\n in definition for macro: {name}")));
                    }
                }
                body.push(t);
                if body.len() > self.limits.live_tokens {
                    return Err(self.error(format!("definition of macro {name} is too long")));
                }
                t = self.raw()?.0;
            }
        }
        if self.macros.contains_key(&name) {
            return Err(self.error(format!("redefinition of macro: {name}")));
        }
        self.macros.insert(name, Rc::new(Macro { name, def: name_tok.span, params, body: body.into() }));
        Ok(())
    }

    fn undef(&mut self) -> Result<(), Diag> {
        let name = self.macro_name()?.name.expect("identifiers are interned");
        if !self.macros.contains_key(&name) {
            return Err(self.error(format!("#undef for undefined macro: {name}")));
        }
        let (t, _) = self.raw()?;
        if t.kind != Kind::Newline {
            return Err(self.error(format!("syntax error in #undef for macro: {name}")));
        }
        self.macros.remove(&name);
        Ok(())
    }

    fn ifdef(&mut self, want_defined: bool, at: Span) -> Result<(), Diag> {
        let name = self.macro_name()?.name.expect("identifiers are interned");
        self.expect_newline("#if[n]def")?;
        let taken = self.enabled() && self.macros.contains_key(&name) == want_defined;
        self.conds.push((taken, at));
        Ok(())
    }

    fn else_(&mut self) -> Result<(), Diag> {
        self.expect_newline("#else")?;
        let n = self.conds.len();
        if n == 0 {
            return Err(self.error("unmatched #else"));
        }
        if n == 1 || self.conds[n - 2].0 {
            self.conds[n - 1].0 = !self.conds[n - 1].0;
        }
        Ok(())
    }

    fn endif(&mut self) -> Result<(), Diag> {
        self.expect_newline("#endif")?;
        if self.conds.pop().is_none() {
            return Err(self.error("unmatched #endif"));
        }
        Ok(())
    }

    fn line(&mut self) -> Result<(), Diag> {
        let (t, _) = self.raw()?;
        if t.kind != Kind::Int {
            return Err(self.expected("expected line number after #line"));
        }
        let digits = self.text_of(&t);
        let line = parse_go_atoi(&digits).map_err(|e| self.error(format!("error parsing #line (cannot happen): {e}")))?;
        let (t, _) = self.raw()?;
        if t.kind != Kind::Str {
            return Err(self.expected("expected file name in #line"));
        }
        let file = unquote(self.sources.text(t.span))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .ok_or_else(|| self.error("unquoting #line file name:  invalid syntax"))?;
        let (nl, o) = self.raw()?;
        if nl.kind != Kind::Newline {
            return Err(self.error(format!("unexpected token at end of #line:  {}", kind_name(nl.kind))));
        }
        // Only a newline read from a file moves that file's positions; in an
        // expansion the directive has no lasting effect.
        if o.is_none() {
            // Go makes the line after next line N, so the next one is N-1.
            let n = u32::try_from(line.max(0)).unwrap_or(u32::MAX).saturating_sub(1);
            self.sources.add_line_directive(nl.span.lo, file, n);
        }
        Ok(())
    }

    fn include(&mut self) -> Result<(), Diag> {
        let (t, _) = self.raw()?;
        if t.kind != Kind::Str {
            return Err(self.expected("expected string after #include"));
        }
        let name = match unquote(self.sources.text(t.span)).map(String::from_utf8) {
            Some(Ok(n)) => n,
            _ => return Err(self.error("unquoting include file name:  invalid syntax")),
        };
        self.expect_newline("#include")?;
        self.include_count += 1;
        if self.include_count > self.limits.includes {
            return Err(self.error(format!("too many #include operations (limit {})", self.limits.includes)));
        }
        let file = self.open_include(&name)?;
        let text = &self.sources.file(file).text;
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let end = text.len();
        self.push(Source::File(FileReader { file, pos: start, end }))
    }

    /// Finds an included file: the name as given, then the top-level file's
    /// directory, then the `-I` directories; a built-in header last.
    fn open_include(&mut self, name: &str) -> Result<FileId, Diag> {
        let mut candidates = vec![PathBuf::from(name)];
        candidates.extend(self.search_dirs.iter().map(|d| go_join(d, name)));
        let mut last_err = String::new();
        for path in candidates {
            if let Some(&id) = self.by_path.get(&path) {
                return Ok(id);
            }
            match read_source(&path) {
                Ok(bytes) => {
                    let id = self
                        .sources
                        .add_bytes(name, Some(path.clone()), bytes)
                        .map_err(|e| self.error(format!("#include: {e}")))?;
                    self.by_path.insert(path.clone(), id);
                    self.included.push(path);
                    return Ok(id);
                }
                Err(ReadError::Open(e)) => last_err = e,
                Err(ReadError::Read(e)) => return Err(self.error(format!("#include: {e}"))),
            }
        }
        if let Some(text) = builtin_header(name) {
            let key: &'static str = crate::headers::BUILTIN_HEADERS.iter().find(|(n, _)| *n == name).map_or("", |(n, _)| n);
            if let Some(&id) = self.builtins.get(key) {
                return Ok(id);
            }
            let id = self
                .sources
                .add(format!("<built-in>/{name}"), None, text.to_owned())
                .map_err(|e| self.error(format!("#include: {e}")))?;
            self.builtins.insert(key, id);
            return Ok(id);
        }
        Err(self.error(format!("#include: {last_err}")))
    }

    // ---- macro invocation ----------------------------------------------------

    fn invoke(&mut self, m: &Macro, name_tok: RTok, o: Option<Origin>) -> Result<(), Diag> {
        let Some(params) = &m.params else {
            let origin = Origin { site: o.map_or(name_tok.span, |o| o.site), def: m.def };
            return self.push(Source::Macro(Expansion { toks: m.body.clone(), pos: 0, origin, owned: 0 }));
        };
        let after = self.raw()?;
        if after.0.kind != Kind::Punct('(') {
            self.held = Some(after);
            let origin = Origin { site: o.map_or(name_tok.span, |o| o.site), def: m.def };
            let only = RTok { kind: Kind::MacroName, ..name_tok };
            return self.push(Source::Macro(Expansion { toks: Rc::new([only]), pos: 0, origin, owned: 0 }));
        }
        let (args, close) = self.collect_args(m)?;
        let args = if params.is_empty() && args.len() == 1 && args[0].is_empty() { Vec::new() } else { args };
        if args.len() != params.len() {
            return Err(self.error(format!("wrong arg count for macro {}", m.name)));
        }
        let site = match o {
            Some(o) => o.site,
            None if close.1.is_none() && self.same_file(name_tok.span, close.0.span) => name_tok.span.to(close.0.span),
            None => name_tok.span,
        };
        // An empty argument leaves the parameter's own name in place (Go
        // cannot tell an empty argument from no substitution).
        let param_of = |t: &RTok| match t.kind {
            Kind::Ident => t.name.and_then(|n| params.iter().position(|&p| p == n)).filter(|&i| !args[i].is_empty()),
            _ => None,
        };
        let size: usize = m.body.iter().map(|t| param_of(t).map_or(1, |i| args[i].len())).sum();
        if self.live + size > self.limits.live_tokens {
            return Err(self.error(format!("macro expansion too large: invoking macro {}", m.name)));
        }
        let mut toks = Vec::with_capacity(size);
        for t in m.body.iter() {
            match param_of(t) {
                Some(i) => toks.extend_from_slice(&args[i]),
                None => toks.push(*t),
            }
        }
        self.live += size;
        let origin = Origin { site, def: m.def };
        self.push(Source::Macro(Expansion { toks: toks.into(), pos: 0, origin, owned: size }))
    }

    /// Reads the arguments after `(`: token lists split at top-level commas,
    /// ending at the matching `)` (returned too), all on one line.
    fn collect_args(&mut self, m: &Macro) -> Result<(Vec<Vec<RTok>>, Located), Diag> {
        let mut args = Vec::new();
        let mut cur = Vec::new();
        let mut depth = 0u32;
        let mut held = 0usize;
        loop {
            let (t, o) = self.raw()?;
            match t.kind {
                Kind::Eof | Kind::Newline => {
                    return Err(self.error(format!("unterminated arg list invoking macro: {}", m.name)));
                }
                Kind::Punct(')') | Kind::Punct(',') if depth == 0 => {
                    args.push(std::mem::take(&mut cur));
                    if t.kind == Kind::Punct(')') {
                        return Ok((args, (t, o)));
                    }
                    continue;
                }
                Kind::Punct('(') => depth += 1,
                Kind::Punct(')') => depth -= 1,
                _ => {}
            }
            cur.push(t);
            held += 1;
            if self.live + held > self.limits.live_tokens {
                return Err(self.error(format!("macro expansion too large: arguments of macro {}", m.name)));
            }
        }
    }

    fn same_file(&self, a: Span, b: Span) -> bool {
        b.lo >= a.lo && self.sources.file_of(a.lo) == self.sources.file_of(b.lo)
    }
}

impl FileReader {
    /// Next raw token; comments other than `//go:build` are skipped, scanner
    /// complaints go to `diags` as warnings.
    #[inline(always)]
    fn next(&mut self, sources: &SourceMap, diags: &mut Vec<Diag>, names: &mut NameCache) -> RTok {
        let mut scan = self.scan(sources.file(self.file));
        let t = scan.token(names);
        self.pos = scan.pos;
        match t {
            Some(t) => t,
            None => self.next_full(sources, diags, names),
        }
    }

    /// A quick scanner over this reader's file `f`, from where it is.
    #[inline(always)]
    fn scan<'a>(&self, f: &'a SourceFile) -> Scan<'a> {
        Scan { text: &f.text, bytes: &f.text.as_bytes()[..self.end], base: f.start, invalid_utf8: f.invalid_utf8, pos: self.pos }
    }

    /// [`FileReader::next`] through the full lexer.
    #[inline(never)]
    fn next_full(&mut self, sources: &SourceMap, diags: &mut Vec<Diag>, names: &mut NameCache) -> RTok {
        let f = sources.file(self.file);
        let base = f.start;
        loop {
            let text = &f.text[self.pos..self.end];
            let mut lx = Lexeme::lexer(text);
            let Some(res) = lx.next() else {
                self.pos = self.end;
                let at = Span::new(base + self.end as u32, base + self.end as u32);
                return RTok { kind: Kind::Eof, span: at, name: None };
            };
            let lo = self.pos + lx.span().start;
            let hi = self.pos + lx.span().end;
            let slice = &f.text[lo..hi];
            self.pos = hi;
            let span = Span::new(base + lo as u32, base + hi as u32);
            let warn = |diags: &mut Vec<Diag>, msg: String| {
                let mut d = Diag::error(span, msg);
                d.severity = Severity::Warning;
                diags.push(d);
            };
            let check_chars = |diags: &mut Vec<Diag>| {
                if slice.contains('\0') {
                    warn(diags, "invalid character NUL".into());
                } else if f.invalid_utf8 && slice.contains('\u{fffd}') {
                    warn(diags, "invalid UTF-8 encoding".into());
                }
            };
            let kind = match res {
                Ok(Lexeme::Newline) => Kind::Newline,
                Ok(Lexeme::Semi) => Kind::Semi,
                Ok(Lexeme::LineComment) => {
                    check_chars(diags);
                    if is_go_build(slice) {
                        Kind::BuildTag
                    } else {
                        continue;
                    }
                }
                Ok(Lexeme::BlockComment(closed)) => {
                    check_chars(diags);
                    if !closed {
                        warn(diags, "comment not terminated".into());
                    }
                    continue;
                }
                Ok(Lexeme::Ident) => {
                    return RTok { kind: Kind::Ident, span, name: Some(names.get(&rewrite(slice))) };
                }
                Ok(Lexeme::Number(info)) => {
                    if let Some(e) = info.err {
                        warn(diags, e.message());
                    }
                    let kind = if info.float { Kind::Float } else { Kind::Int };
                    return RTok { kind, span, name: Some(names.get_in(&f.text, lo, hi)) };
                }
                Ok(Lexeme::Char(err)) | Ok(Lexeme::Str(err)) => {
                    check_chars(diags);
                    if let Some(e) = err {
                        warn(diags, e.message().into());
                    }
                    if matches!(res, Ok(Lexeme::Char(_))) {
                        Kind::Char
                    } else {
                        Kind::Str
                    }
                }
                Ok(Lexeme::Lsh) => Kind::Lsh,
                Ok(Lexeme::Rsh) => Kind::Rsh,
                Ok(Lexeme::Arrow) => Kind::Arrow,
                Ok(Lexeme::Rot) => Kind::Rot,
                Ok(Lexeme::Other) | Err(_) => {
                    let c = slice.chars().next().unwrap_or('\u{fffd}');
                    if c == '\0' {
                        warn(diags, "invalid character NUL".into());
                    } else if c == '\u{fffd}' && f.invalid_utf8 {
                        warn(diags, "invalid UTF-8 encoding".into());
                    }
                    Kind::Punct(c)
                }
            };
            return RTok { kind, span, name: None };
        }
    }
}

/// [`Preprocessor::hand_out`] for a token read from a file whose value is
/// at hand (not a string, rune or macro name), with the flags it sets.
#[inline(always)]
fn hand_out_plain(t: RTok, handed_out: &mut bool, saw_code: &mut bool) -> Token {
    *handed_out = true;
    if !matches!(t.kind, Kind::Newline) {
        *saw_code = true;
    }
    Token { tok: plain_tok(t), span: t.span, macro_def: None }
}

/// The token value of a raw token other than a string, rune or macro name.
#[inline(always)]
fn plain_tok(t: RTok) -> Tok {
    match t.kind {
        Kind::Ident => Tok::Ident(t.name.expect("identifiers are interned")),
        Kind::Int => Tok::Int(t.name.expect("numbers are interned")),
        Kind::Float => Tok::Float(t.name.expect("numbers are interned")),
        Kind::Lsh => Tok::Lsh,
        Kind::Rsh => Tok::Rsh,
        Kind::Arrow => Tok::Arrow,
        Kind::Rot => Tok::Rot,
        Kind::Punct(c) => Tok::Punct(c),
        Kind::Newline | Kind::Semi => Tok::Newline,
        // Filtered out before; keep the compiler honest.
        Kind::BuildTag => Tok::Newline,
        Kind::Eof => Tok::Eof,
        Kind::MacroName | Kind::Str | Kind::Char => unreachable!("decoded by Preprocessor::decode"),
    }
}

/// The common tokens of a file, found without the lexer's state machine and
/// exactly as it would find them: a cursor whose fields stay in registers
/// while a line is read.
struct Scan<'a> {
    text: &'a str,
    /// The file's bytes up to the reader's end.
    bytes: &'a [u8],
    base: u32,
    invalid_utf8: bool,
    pos: usize,
}

impl Scan<'_> {
    /// The next token when it is a common one with no complaint to make;
    /// `None` leaves anything else (and the end) to
    /// [`FileReader::next_full`], at the same place.
    #[inline(always)]
    fn token(&mut self, names: &mut NameCache) -> Option<RTok> {
        let bytes = self.bytes;
        let base = self.base;
        loop {
            let mut i = self.pos;
            if matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r')) {
                i = skip_blanks(bytes, i + 1);
                self.pos = i;
            }
            let c = *bytes.get(i)?;
            // Read only for the few characters that may start a longer token.
            let next = || bytes.get(i + 1).copied().unwrap_or(0);
            let (kind, len) = match c {
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let end = ascii_ident_end(bytes, i + 1);
                    // A non-ASCII letter may continue the identifier.
                    if bytes.get(end).is_some_and(|c| !c.is_ascii()) {
                        return None;
                    }
                    self.pos = end;
                    let span = Span::new(base + i as u32, base + end as u32);
                    return Some(RTok { kind: Kind::Ident, span, name: Some(names.get_in(self.text, i, end)) });
                }
                b'0'..=b'9' | b'.' if c != b'.' || next().is_ascii_digit() => {
                    // A malformed number is `next_full`'s, with its complaint.
                    let (len, float) = quick_number(&bytes[i..])?;
                    let end = i + len;
                    self.pos = end;
                    let span = Span::new(base + i as u32, base + end as u32);
                    let kind = if float { Kind::Float } else { Kind::Int };
                    return Some(RTok { kind, span, name: Some(names.get_in(self.text, i, end)) });
                }
                b'\n' => (Kind::Newline, 1),
                b';' => (Kind::Semi, 1),
                b'/' if next() == b'/' => {
                    let end = newline_or_nul(bytes, i + 2);
                    // NUL and bad UTF-8 in a comment are complained about there.
                    if bytes.get(end) == Some(&0) || self.invalid_utf8 {
                        return None;
                    }
                    if bytes.get(i + 2) == Some(&b'g') && is_go_build(&self.text[i..end]) {
                        (Kind::BuildTag, end - i)
                    } else {
                        self.pos = end;
                        continue;
                    }
                }
                b'<' if next() == b'<' => (Kind::Lsh, 2),
                b'>' if next() == b'>' => (Kind::Rsh, 2),
                b'-' if next() == b'>' => (Kind::Arrow, 2),
                b'@' if next() == b'>' => (Kind::Rot, 2),
                b'/' if next() == b'*' => return None,
                b'"' | b'\'' => return None,
                b'!'..=b'~' => (Kind::Punct(c as char), 1),
                _ => return None,
            };
            self.pos = i + len;
            let span = Span::new(base + i as u32, base + (i + len) as u32);
            return Some(RTok { kind, span, name: None });
        }
    }
}

/// The end of the run of `[ \t\r]` in `b` starting at `i` (the padding
/// before a comment 16 bytes at a time).
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    // Mostly a single blank.
    if !matches!(b.get(i), Some(b' ' | b'\t' | b'\r')) {
        return i;
    }
    while let Some(c) = b.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let blanks = mask16(c, b' ', b'\t');
        if blanks != 0xffff {
            i += blanks.trailing_ones() as usize;
            break;
        }
        i += 16;
    }
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r')) {
        i += 1;
    }
    i
}

/// Rewrites `·` to `.` and `∕` to `/`, as Go does for every token's text.
fn rewrite(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.is_ascii() && s.contains(['\u{b7}', '\u{2215}']) {
        std::borrow::Cow::Owned(s.replace('\u{b7}', ".").replace('\u{2215}', "/"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Go's name for a token kind in messages (`ScanToken.String`).
fn kind_name(k: Kind) -> String {
    match k {
        Kind::Eof => "EOF".into(),
        Kind::Ident | Kind::MacroName => "identifier".into(),
        Kind::Int => "integer constant".into(),
        Kind::Float => "float constant".into(),
        Kind::Char => "rune constant".into(),
        Kind::Str => "string constant".into(),
        Kind::Lsh => "'<<'".into(),
        Kind::Rsh => "'>>'".into(),
        Kind::Arrow => "'->'".into(),
        Kind::Rot => "'@>'".into(),
        Kind::Punct(c) => format!("{c:?}"),
        Kind::Newline => "'\\n'".into(),
        Kind::Semi => "';'".into(),
        Kind::BuildTag => "comment".into(),
    }
}

/// Go's `strconv.Atoi` on a decimal integer literal's text, with its errors.
fn parse_go_atoi(s: &str) -> Result<i64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {}: invalid syntax", go_quote(s)));
    }
    s.parse::<i64>().map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

/// Checks a `-D` name as Go does: it must scan as exactly one identifier.
/// The error reads like Go's (the driver adds the `asm: ` prefix).
pub fn check_define_name(name: &str) -> Result<(), String> {
    let mut lx = Lexeme::lexer(name);
    let first = lx.next();
    let first_text = lx.slice().to_owned();
    let rest = lx.next();
    match (first, rest) {
        (Some(Ok(Lexeme::Ident)), None) => Ok(()),
        _ => Err(format!("parsing -D: {} is not a valid identifier name", go_quote(&rewrite(&first_text)))),
    }
}

/// Go's `filepath.Dir`.
fn go_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ if p.has_root() && p.parent().is_none() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Go's `filepath.Join(dir, name)`: plain concatenation (an absolute `name`
/// does not replace `dir`), then lexical cleaning.
fn go_join(dir: &Path, name: &str) -> PathBuf {
    let mut s = OsString::from(dir.as_os_str());
    s.push("/");
    s.push(name);
    clean(Path::new(&s))
}

/// Go's `filepath.Clean`, lexically.
fn clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

enum ReadError {
    /// Opening failed: try the next place.
    Open(String),
    /// The file exists but cannot be used.
    Read(String),
}

/// Go's wording of an OS error ("no such file or directory").
fn os_error_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let shown = path.display();
    let f = std::fs::File::open(path).map_err(|e| ReadError::Open(format!("open {shown}: {}", os_error_text(&e))))?;
    let meta = f.metadata().map_err(|e| ReadError::Read(format!("read {shown}: {}", os_error_text(&e))))?;
    if meta.is_dir() {
        return Err(ReadError::Read(format!("read {shown}: is a directory")));
    }
    let cap = if meta.is_file() { MAX_FILE } else { MAX_SPECIAL_FILE };
    if meta.is_file() && meta.len() > cap {
        return Err(ReadError::Read(format!("read {shown}: file too large ({} bytes, limit {cap})", meta.len())));
    }
    let mut buf = Vec::with_capacity(if meta.is_file() { meta.len() as usize } else { 0 });
    f.take(cap + 1).read_to_end(&mut buf).map_err(|e| ReadError::Read(format!("read {shown}: {}", os_error_text(&e))))?;
    if buf.len() as u64 > cap {
        return Err(ReadError::Read(format!("read {shown}: file too large (limit {cap} bytes)")));
    }
    Ok(buf)
}

/// Reads a file from disk into the map: errors as Go words them
/// (`open x.s: no such file or directory`).
pub fn load_file(sources: &mut SourceMap, path: &Path) -> Result<FileId, String> {
    let bytes = read_source(path).map_err(|e| match e {
        ReadError::Open(s) | ReadError::Read(s) => s,
    })?;
    sources.add_bytes(path.to_string_lossy(), Some(path.to_path_buf()), bytes)
}

/// The `-D` macros `go build` passes to the assembler for a target
/// (`asmArgs` in cmd/go), from the level variables in `env` (GOAMD64,
/// GOARM, GO386, GOMIPS, GOMIPS64, GOPPC64, GORISCV64, GOARM64) with Go's
/// defaults for unset or empty ones. Values are all `1`. Invalid levels are
/// passed through as spelled (go build itself rejects them earlier).
pub fn go_build_predefines(goos: &str, goarch: &str, env: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let var = |name: &str, default: &str| env(name).filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned());
    let mut names = vec![format!("GOOS_{goos}"), format!("GOARCH_{goarch}")];
    match goarch {
        "386" => names.push(format!("GO386_{}", var("GO386", "sse2"))),
        "amd64" => names.push(format!("GOAMD64_{}", var("GOAMD64", "v1"))),
        "mips" | "mipsle" => names.push(format!("GOMIPS_{}", var("GOMIPS", "hardfloat"))),
        "mips64" | "mips64le" => names.push(format!("GOMIPS64_{}", var("GOMIPS64", "hardfloat"))),
        "ppc64" | "ppc64le" => {
            // Each POWER level includes the ones below it.
            let level = var("GOPPC64", "power8");
            if level == "power10" {
                names.push("GOPPC64_power10".into());
            }
            if level == "power10" || level == "power9" {
                names.push("GOPPC64_power9".into());
            }
            names.push("GOPPC64_power8".into());
        }
        "riscv64" => names.push(format!("GORISCV64_{}", var("GORISCV64", "rva20u64"))),
        "arm" => {
            // Cumulative, and GOARM may carry ",softfloat"/",hardfloat".
            let goarm = var("GOARM", "7");
            if goarm.contains('7') {
                names.push("GOARM_7".into());
            }
            if goarm.contains('7') || goarm.contains('6') {
                names.push("GOARM_6".into());
            }
            names.push("GOARM_5".into());
        }
        "arm64" if goarm64_has_lse(&var("GOARM64", "v8.0")) => names.push("GOARM64_LSE".into()),
        _ => {}
    }
    names.into_iter().map(|n| (n, "1".to_owned())).collect()
}

/// Whether a GOARM64 value implies LSE atomics (`,lse`, or v8.1 and later).
fn goarm64_has_lse(v: &str) -> bool {
    let mut v = v;
    let mut lse = false;
    loop {
        if let Some(s) = v.strip_suffix(",lse") {
            lse = true;
            v = s;
        } else if let Some(s) = v.strip_suffix(",crypto") {
            v = s;
        } else {
            break;
        }
    }
    let later = matches!(v.as_bytes(), [b'v', b'8', b'.', b'1'..=b'9'] | [b'v', b'9', b'.', b'0'..=b'5']);
    lse || later
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every raw token (and complaint) of `text[pos..end]`, read with
    /// `next` or only with the full lexer.
    fn read_all(sources: &SourceMap, file: FileId, pos: usize, end: usize, full: bool) -> (Vec<(Kind, Span, Option<Name>)>, Vec<Diag>) {
        let mut r = FileReader { file, pos, end };
        let mut names = NameCache::new();
        let mut diags = Vec::new();
        let mut toks = Vec::new();
        loop {
            let t = if full { r.next_full(sources, &mut diags, &mut names) } else { r.next(sources, &mut diags, &mut names) };
            toks.push((t.kind, t.span, t.name));
            if t.kind == Kind::Eof {
                return (toks, diags);
            }
        }
    }

    /// The quick scanner of `FileReader::next` agrees with the full lexer
    /// on random mixes of common and odd pieces.
    #[test]
    fn quick_scanner_agrees_with_full_lexer() {
        const PIECES: &[&str] = &[
            "MOVQ", "AX", "x9", "_", "a_b", " ", "  ", "        ", "\t", "\r", "\n", ";", "0x1F", "0X", "0x", "1_0", "1__0", "12", "0",
            "08", "017", "1.5e3", ".5", ".", "1.", "1e", "0x1p-2", "0b101", "0o17", "9", "99999999999999999999", "//go:build x",
            "//go:build", "//go:buildx", "// c", "//", "/* c */", "/*", "*/", "'a'", "'", "\"s\"", "\"", "\0", "·", "∕", "é", "٣",
            "<<", ">>", "->", "@>", "<", ">", "-", "@", "#", "$", "(", ")", ",", "\u{fffd}", "\x0c", "`", "~", "\\", "\x7f", "/",
            "runtime·memmove", "ABCDEFGHIJ", "ABCDEFGH", "e", "p", "x",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..3000 {
            let n = (rand() % 40) as usize;
            let text: String = (0..n).map(|_| PIECES[(rand() % PIECES.len() as u64) as usize]).collect();
            let mut sources = SourceMap::new();
            let file = if round % 5 == 0 {
                // Not UTF-8: the text holds U+FFFD for the bad byte.
                let mut bytes = text.into_bytes();
                bytes.push(0xff);
                bytes.extend_from_slice(b"A // \xfe\n");
                sources.add_bytes("t.s", None, bytes).unwrap()
            } else {
                sources.add("t.s", None, text).unwrap()
            };
            let len = sources.file(file).text.len();
            let text = &sources.file(file).text;
            // Also a range ending inside the text, as for `-D` values.
            let end = if round % 3 == 0 { (0..=len).rev().find(|&e| text.is_char_boundary(e) && e <= len / 2 + 1).unwrap_or(len) } else { len };
            let quick = read_all(&sources, file, 0, end, false);
            let full = read_all(&sources, file, 0, end, true);
            assert_eq!(quick, full, "{:?}", &sources.file(file).text[..end]);
        }
    }
}
