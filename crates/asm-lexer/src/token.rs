//! The tokens the preprocessor hands to the parser.

use crate::name::Name;
use crate::source::Span;

/// A token's kind and value. Identifiers have `·` (U+00B7) already rewritten
/// to `.` and `∕` (U+2215) to `/`, as Go's tokenizer does.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// Identifier (mnemonic, register, symbol, macro-free by now).
    Ident(Name),
    /// Integer literal, Go syntax (`0x`, `0b`, `0o`, legacy octal, `_`). The
    /// text is kept: values are checked by the parser (`value out of range`).
    Int(Name),
    /// Floating-point literal, its text.
    Float(Name),
    /// Rune literal `'a'`, its decoded value (Go: `illegal UTF-8 encoding
    /// for character constant` is the parser's job, so invalid ones carry `None`).
    Char(Option<u32>),
    /// String literal, decoded bytes.
    Str(Box<[u8]>),
    /// `<<`
    Lsh,
    /// `>>`
    Rsh,
    /// `->` (ARM arithmetic shift right)
    Arrow,
    /// `@>` (ARM rotate right)
    Rot,
    /// Any other single character: `( ) [ ] , : $ * + - / % & | ^ ~ < > ! = . @ # { }` ...
    Punct(char),
    /// End of a statement: a newline or `;`.
    Newline,
    /// End of all input.
    Eof,
}

/// A token with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// The source text of the token. For a token produced by a macro
    /// expansion, the span of the macro invocation (name through `)`), so that
    /// errors point at the line where the macro was used, as in Go.
    pub span: Span,
    /// For a token from a macro expansion: the span of the macro's name in its
    /// `#define`, for a "in expansion of macro" note.
    pub macro_def: Option<Span>,
}

impl Tok {
    pub fn is_punct(&self, c: char) -> bool {
        matches!(self, Tok::Punct(p) if *p == c)
    }
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(n) | Tok::Int(n) | Tok::Float(n) => f.write_str(n.as_str()),
            Tok::Char(Some(c)) => match char::from_u32(*c) {
                Some(ch) => write!(f, "{ch:?}"),
                None => write!(f, "'\\u{{{c:x}}}'"),
            },
            Tok::Char(None) => f.write_str("'?'"),
            Tok::Str(s) => write!(f, "{:?}", String::from_utf8_lossy(s)),
            Tok::Lsh => f.write_str("<<"),
            Tok::Rsh => f.write_str(">>"),
            Tok::Arrow => f.write_str("->"),
            Tok::Rot => f.write_str("@>"),
            Tok::Punct(c) => write!(f, "{c}"),
            Tok::Newline => f.write_str("newline"),
            Tok::Eof => f.write_str("EOF"),
        }
    }
}
