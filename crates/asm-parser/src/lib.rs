//! Go's assembly statement syntax for every GOARCH: a LALRPOP grammar over
//! classified tokens ([`lexer`]), operand construction with Go's field
//! values ([`operand`], [`archx`]), and lowering of statements into an
//! `obj::Module` ([`lower`], [`placement`]).
//!
//! Behaviour follows Go 1.27.3's `cmd/asm` (accepted syntax, operand
//! encodings, error phrases), with one deliberate difference: without `-p`,
//! `·x` names the plain symbol `x` rather than `<unlinkable>.x`, so that C
//! code can link against it.

pub mod archx;
pub mod ast;
mod direct;
pub mod expr;
mod fast;
pub mod lexer;
pub mod lower;
pub mod names;
pub mod operand;
pub mod placement;
pub mod print;
pub mod suffix;
pub mod suggest;

#[allow(clippy::all, unused_parens, dead_code)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/grammar.rs"));
}

#[cfg(test)]
mod tests;

use arch_tables::ArchSpec;
use asm_lexer::pp::Preprocessor;
use asm_lexer::{Diag, Diags, SourceMap, Span, Tok, Token};
use lalrpop_util::ParseError;

pub use print::{format_addr, format_prog};

/// Command-line settings that affect parsing and lowering.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `-p`: the package path; `·x` becomes `<path>.x`.
    pub pkg: Option<String>,
    /// `-compiling-runtime`: allows ABI selectors in any package.
    pub compiling_runtime: bool,
    pub shared: bool,
    pub dynlink: bool,
    /// `-debug`: print each instruction as it is parsed.
    pub debug: bool,
}

/// Register-name classification from the architecture tables.
struct SpecNames(&'static ArchSpec);

impl lexer::RegisterNames for SpecNames {
    fn is_register(&self, name: asm_lexer::Name) -> bool {
        names::is_register(self.0, name)
    }
    fn is_register_prefix(&self, name: asm_lexer::Name) -> bool {
        names::is_register_prefix(self.0, name)
    }
}

/// A syntax error: message and token index.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub at: usize,
}

/// Most tokens one statement may have: beyond it the file's assembly stops
/// ("statement too long"), so a 10 MB line or an exploding macro cannot
/// exhaust memory. Real statements have well under a hundred.
pub const MAX_STATEMENT_TOKENS: usize = 1 << 18;

/// Deepest nesting of parentheses, brackets, braces and prefix operators in
/// one statement: the syntax tree and its evaluation recurse that deep.
pub const MAX_NESTING: usize = 1000;

/// Checks that a statement nests no deeper than [`MAX_NESTING`]: the index
/// of the token that goes too deep otherwise. Prefix operators count as a
/// level until their operand ends (an approximation that only over-counts
/// by at most one per level).
pub fn check_nesting(toks: &[Token]) -> Result<(), SyntaxError> {
    // Per open bracket: the prefix operators pending at that level.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match &t.tok {
            Tok::Punct('(' | '[' | '{') => {
                levels.push(0);
                depth += 1;
            }
            Tok::Punct(')' | ']' | '}') => {
                if levels.len() > 1 {
                    depth -= 1 + levels.pop().unwrap_or(0);
                }
            }
            Tok::Punct(c @ ('+' | '-' | '^' | '~' | '!')) => {
                let prefix = match i.checked_sub(1).map(|j| &toks[j].tok) {
                    None => true,
                    Some(Tok::Punct(p)) => *p != ')' && *p != ']' && *p != '}' || *c == '~' || *c == '!',
                    Some(Tok::Lsh | Tok::Rsh | Tok::Arrow | Tok::Rot) => true,
                    Some(_) => false,
                };
                let top = levels.last_mut().expect("the outer level stays");
                if prefix {
                    *top += 1;
                    depth += 1;
                } else {
                    depth -= *top;
                    *top = 0;
                }
            }
            Tok::Punct(_) | Tok::Lsh | Tok::Rsh | Tok::Arrow | Tok::Rot => {
                let top = levels.last_mut().expect("the outer level stays");
                depth -= *top;
                *top = 0;
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(SyntaxError { message: format!("expression nested too deeply (limit {MAX_NESTING})"), at: i });
        }
    }
    Ok(())
}

/// Parses one statement's tokens (without the newline) into its syntax tree.
pub fn parse_line(spec: &'static ArchSpec, toks: &[Token]) -> Result<ast::Line, SyntaxError> {
    if let Some(line) = fast::parse_line(spec, toks) {
        #[cfg(debug_assertions)]
        assert_eq!(Ok(&line), parse_line_grammar(spec, toks).as_ref(), "fast parse of {toks:?}");
        return Ok(line);
    }
    parse_line_grammar(spec, toks)
}

/// [`parse_line`] by the LALRPOP grammar alone.
pub fn parse_line_grammar(spec: &'static ArchSpec, toks: &[Token]) -> Result<ast::Line, SyntaxError> {
    // The grammar's tree and its evaluation recurse: bound the depth first (the fast
    // parser above takes only flat shapes).
    check_nesting(toks)?;
    let ptoks = lexer::classify(toks, &SpecNames(spec)).map_err(|e| SyntaxError { message: e.message, at: e.at })?;
    let n = toks.len();
    let iter = ptoks.into_iter().map(Ok::<_, ()>);
    let mut line = grammar::LineParser::new().parse(iter).map_err(|e| syntax_error(toks, n, e))?;
    if let Some(st) = &mut line.stmt {
        reorder_colon_pair(st)?;
    }
    Ok(line)
}

/// The old register-pair syntax `A:B` (x86 `R11:AX`) stands for the two
/// operands `B, A`, as Go's parser reads it; a statement may have one colon.
fn reorder_colon_pair(st: &mut ast::Stmt) -> Result<(), SyntaxError> {
    let mut colons = st.seps.iter().enumerate().filter(|(_, &c)| c == ':').map(|(i, _)| i);
    let Some(first) = colons.next() else { return Ok(()) };
    if let Some(second) = colons.next() {
        return Err(SyntaxError { message: "invalid ':' in operand".into(), at: st.operands[second].hi });
    }
    st.operands.swap(first, first + 1);
    st.seps[first] = ',';
    Ok(())
}

/// Parses the tokens of a single operand.
pub fn parse_operand(spec: &'static ArchSpec, toks: &[Token]) -> Result<ast::Operand, SyntaxError> {
    check_nesting(toks)?;
    let ptoks = classify_operand(spec, toks);
    grammar::OperandParser::new().parse(ptoks.into_iter().map(Ok::<_, ()>)).map_err(|e| syntax_error(toks, toks.len(), e))
}

/// Parses and evaluates a constant expression with Go's rules.
pub fn eval_expr(spec: &'static ArchSpec, toks: &[Token]) -> Result<u64, SyntaxError> {
    check_nesting(toks)?;
    let ptoks = classify_operand(spec, toks);
    let e = grammar::ExprParser::new().parse(ptoks.into_iter().map(Ok::<_, ()>)).map_err(|e| syntax_error(toks, toks.len(), e))?;
    match expr::eval(&e) {
        Ok((v, None)) => Ok(v),
        Ok((_, Some(at))) => Err(SyntaxError { message: "missing closing paren".into(), at }),
        Err(e) => Err(SyntaxError { message: e.message, at: e.at }),
    }
}

fn classify_operand(spec: &'static ArchSpec, toks: &[Token]) -> Vec<lexer::Spanned> {
    // Put a dummy word in front so that the classifier treats every token as an operand token.
    let mut all = vec![Token { tok: Tok::Ident(asm_lexer::Name::new("NOP")), span: Span::DUMMY, macro_def: None }];
    all.extend_from_slice(toks);
    let mut v = lexer::classify(&all, &SpecNames(spec)).unwrap_or_default();
    if !v.is_empty() {
        v.remove(0);
    }
    v.into_iter().map(|(l, t, r)| (l - 1, t, r - 1)).collect()
}

fn syntax_error(toks: &[Token], n: usize, e: ParseError<usize, lexer::PTok, ()>) -> SyntaxError {
    let text = |i: usize| toks.get(i).map_or_else(|| "EOF".to_string(), |t| lexer::tok_text(&t.tok));
    match e {
        ParseError::UnrecognizedToken { token: (l, _, _), .. } | ParseError::ExtraToken { token: (l, _, _) } => {
            let prev_sep = l > 0 && toks[l - 1].tok.is_punct(',');
            let here_sep = toks[l].tok.is_punct(',') || toks[l].tok.is_punct(':');
            if here_sep && prev_sep {
                return SyntaxError { message: "missing operand".into(), at: l };
            }
            SyntaxError { message: format!("unexpected {} in operand", quote(&text(l))), at: l }
        }
        ParseError::UnrecognizedEof { .. } => {
            if n > 0 && toks[n - 1].tok.is_punct(',') {
                return SyntaxError { message: "missing operand".into(), at: n - 1 };
            }
            let depth: i32 = toks
                .iter()
                .map(|t| match t.tok {
                    Tok::Punct('(') => 1,
                    Tok::Punct(')') => -1,
                    _ => 0,
                })
                .sum();
            let m = if depth > 0 { "missing closing paren" } else { "unexpected end of operand" };
            SyntaxError { message: m.into(), at: n }
        }
        ParseError::InvalidToken { location } => SyntaxError { message: "invalid token".into(), at: location },
        ParseError::User { .. } => SyntaxError { message: "syntax error".into(), at: 0 },
    }
}

fn quote(s: &str) -> String {
    if s.starts_with('"') {
        s.to_string()
    } else {
        format!("{s:?}")
    }
}

fn line_key(sources: &SourceMap, span: Option<Span>) -> Option<(u32, u32)> {
    span.and_then(|s| sources.physical(s.lo)).map(|(f, l, _)| (f.0, l))
}

fn push(diags: &mut Diags, sources: &SourceMap, d: Diag) {
    let key = line_key(sources, d.span);
    diags.push_at_line(d, key);
}

#[cold]
#[inline(never)]
fn push_all(diags: &mut Diags, sources: &SourceMap, ds: Vec<Diag>) {
    for d in ds {
        push(diags, sources, d);
    }
}

/// Parses and lowers one top-level input file into `module`. `file_index`
/// distinguishes static symbols of different input files. Diagnostics go to
/// `diags` (respecting its limit).
pub fn assemble_file(
    pp: &mut Preprocessor,
    spec: &'static ArchSpec,
    module: &mut obj::Module,
    file_index: u32,
    opts: &Options,
    diags: &mut Diags,
) {
    assemble_file_with(pp, spec, module, file_index, opts, diags, &mut |_, _, _| {});
}

/// How [`TokenSource::next_statement`] ended a statement.
pub enum StatementEnd {
    /// At a newline (or `;`).
    Newline,
    /// At the end of the input, whose span this is.
    Eof(Span),
    /// The source pushed the error that ends the input.
    Stopped,
    /// Past [`MAX_STATEMENT_TOKENS`] tokens, at the span of the first one
    /// too many (the rest of the statement is not read).
    TooLong(Span),
}

/// Where [`assemble_file_with`] takes its tokens from: a [`Preprocessor`],
/// or the preprocessor's output produced on another thread.
pub trait TokenSource {
    /// The next token, after pushing the diagnostics raised on the way
    /// (each with its line, as [`Diags::push_at_line`] wants). `None` after
    /// pushing the error that ends the input.
    fn next_token(&mut self, diags: &mut Diags) -> Option<Token>;
    /// The sources so far; `None` for a source that cannot show them (its
    /// preprocessor runs on another thread), which makes
    /// [`assemble_file_with`] stop at the first diagnostic of its own.
    fn sources(&self) -> Option<&SourceMap>;
    /// The next token when the source has it at hand, with no diagnostic
    /// and no work: the cheap part of [`Self::next_token`], which
    /// [`Self::next_statement`] takes in a loop of its own (each token moves
    /// straight into the statement; through `next_token`, whose general
    /// part is out of line, it is copied to the stack twice first). `None`:
    /// ask `next_token`.
    #[inline]
    fn next_ready(&mut self) -> Option<Token> {
        None
    }
    /// Appends the tokens of the next statement to `toks` (empty), without
    /// the newline that ends it, and says how it ended. A source that holds
    /// a statement's tokens together may hand them over at once.
    #[inline]
    fn next_statement(&mut self, toks: &mut Vec<Token>, diags: &mut Diags) -> StatementEnd {
        loop {
            while let Some(t) = self.next_ready() {
                // One test on the way to `push`: the end is out of line.
                if matches!(t.tok, Tok::Newline | Tok::Eof) || toks.len() >= MAX_STATEMENT_TOKENS {
                    return statement_end(toks, t);
                }
                toks.push(t);
            }
            let Some(t) = self.next_token(diags) else { return StatementEnd::Stopped };
            if matches!(t.tok, Tok::Newline | Tok::Eof) || toks.len() >= MAX_STATEMENT_TOKENS {
                return statement_end(toks, t);
            }
            toks.push(t);
        }
    }
}

/// How [`TokenSource::next_statement`] ends at token `t`: a newline, the
/// end of the input, or one token too many.
#[cold]
fn statement_end(toks: &[Token], t: Token) -> StatementEnd {
    match t.tok {
        Tok::Newline => StatementEnd::Newline,
        Tok::Eof => StatementEnd::Eof(t.span),
        _ => {
            debug_assert!(toks.len() >= MAX_STATEMENT_TOKENS);
            StatementEnd::TooLong(t.span)
        }
    }
}

impl TokenSource for Preprocessor {
    // Inlined into the statement loop, once per token: most tokens were
    // read ahead with their line and bring no diagnostic; the rest is out
    // of line.
    #[inline]
    fn next_token(&mut self, diags: &mut Diags) -> Option<Token> {
        #[inline(never)]
        fn general(pp: &mut Preprocessor, diags: &mut Diags) -> Option<Token> {
            let t = pp.next_token();
            if pp.has_diags() {
                let pending = pp.take_diags();
                push_all(diags, pp.sources(), pending);
            }
            match t {
                Ok(t) => Some(t),
                Err(d) => {
                    push_all(diags, pp.sources(), vec![d]);
                    None
                }
            }
        }
        match self.next_read_ahead() {
            Some(t) => Some(t),
            None => general(self, diags),
        }
    }
    fn sources(&self) -> Option<&SourceMap> {
        Some(Preprocessor::sources(self))
    }
    #[inline(always)]
    fn next_ready(&mut self) -> Option<Token> {
        self.next_read_ahead()
    }
}

/// [`assemble_file`], calling `func_ended(module, fi, diags)` as soon as
/// the body of `module.funcs[fi]` is complete (at the next TEXT or the end of
/// the file), in order, so that the caller can encode it and drop its
/// program. `diags` are the diagnostics so far.
///
/// Returns false, with the work half done, when parsing or lowering raised
/// a diagnostic and `pp` cannot show its sources (which placing the
/// diagnostic on its line needs): the caller then starts again with a
/// [`Preprocessor`]. Always true for a [`Preprocessor`].
pub fn assemble_file_with<T: TokenSource + ?Sized>(
    pp: &mut T,
    spec: &'static ArchSpec,
    module: &mut obj::Module,
    file_index: u32,
    opts: &Options,
    diags: &mut Diags,
    func_ended: &mut dyn FnMut(&mut obj::Module, usize, &Diags),
) -> bool {
    // Lowering reads the sources only for `-debug`, which a source without
    // them does not get.
    let no_sources = SourceMap::new();
    let mut lw = lower::Lowerer::new(spec, module, file_index, opts);
    let mut toks: Vec<Token> = Vec::new();
    let arm64 = spec.family() == arch_tables::Family::Arm64;
    loop {
        if diags.too_many() {
            return true;
        }
        toks.clear();
        let eof = match pp.next_statement(&mut toks, diags) {
            StatementEnd::Newline => None,
            StatementEnd::Eof(sp) => Some(sp),
            StatementEnd::Stopped => return true,
            StatementEnd::TooLong(sp) => {
                let Some(sources) = pp.sources() else { return false };
                // Reading on to the newline could take the preprocessor's whole budget.
                let msg = format!("statement too long (more than {MAX_STATEMENT_TOKENS} tokens)");
                push(diags, sources, Diag::error(sp, msg));
                return true;
            }
        };
        if !toks.is_empty() {
            let sources = pp.sources().unwrap_or(&no_sources);
            // The direct path first, here: most statements take it.
            let direct = if arm64 { direct::statement_arm64(&mut lw, &toks) } else { direct::statement(&mut lw, &toks) }.is_some();
            let r = if direct { lw.appended(sources) } else { statement(&mut lw, spec, &toks, sources) };
            if let Err(d) = r {
                let Some(sources) = pp.sources() else { return false };
                push(diags, sources, with_macro_note(d, &toks));
            }
            if direct {
                // The direct path takes no string: these tokens own no memory,
                // and go without the drop loop of `clear` (a leaked `Drain`
                // leaves the vector empty).
                debug_assert!(!toks.iter().any(|t| matches!(t.tok, Tok::Str(_))));
                std::mem::forget(toks.drain(..));
            }
        }
        if let Some(sp) = eof {
            if let Err(d) = lw.finish(sp) {
                let Some(sources) = pp.sources() else { return false };
                push(diags, sources, d);
            }
        }
        if let Some(fi) = lw.take_ended() {
            func_ended(lw.module, fi, diags);
        }
        if eof.is_some() {
            return true;
        }
    }
}

/// The key [`Diags::push_at_line`] wants for `d`: its file and physical line.
pub fn diag_line(sources: &SourceMap, d: &Diag) -> Option<(u32, u32)> {
    line_key(sources, d.span)
}

/// An error at a token that came out of a macro expansion gets a note at
/// the macro's definition (the error itself is at the invocation).
fn with_macro_note(d: Diag, toks: &[Token]) -> Diag {
    let Some(sp) = d.span else { return d };
    let from_macro = toks.iter().find(|t| t.macro_def.is_some() && t.span.lo.0 <= sp.lo.0 && sp.lo.0 < t.span.hi.0.max(t.span.lo.0 + 1));
    match from_macro.and_then(|t| t.macro_def) {
        Some(def) if !d.labels.iter().any(|l| l.span == def) => d.with_label(def, "in the expansion of the macro defined here"),
        _ => d,
    }
}

/// A statement the direct path left: parsed, then lowered.
#[inline(never)]
fn statement(lw: &mut lower::Lowerer<'_>, spec: &'static ArchSpec, toks: &[Token], sources: &SourceMap) -> Result<(), Diag> {
    let cx = lower::StmtCx { toks };
    let line = parse_line(spec, toks).map_err(|e| Diag::error(cx.span(e.at), e.message))?;
    lw.add_labels(line.labels.iter().map(|w| (w.name, cx.span(w.at))));
    match &line.stmt {
        Some(st) => lw.statement(&cx, st, sources),
        None => Ok(()),
    }
}
