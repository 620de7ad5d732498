//! The seam between the preprocessor's tokens and the grammar: one
//! statement's tokens are classified through the architecture's register
//! names into the token kinds the grammar distinguishes, and handed to
//! LALRPOP as `(index, PTok, index + 1)` triples.

use asm_lexer::{Name, Tok, Token};

/// A token as the grammar sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum PTok {
    /// `name:` at the start of a statement (covers both tokens).
    Label(Name),
    /// The statement's mnemonic or pseudo-op.
    Word(Name),
    /// A register name of the architecture, including the pseudo-registers.
    Reg(Name),
    /// A register prefix followed by `(`: the `R` of `R(1)`.
    RegPrefix(Name),
    /// Any other identifier: a symbol, label or special operand.
    Ident(Name),
    Int(Name),
    Float(Name),
    Char(Option<u32>),
    Str(Box<[u8]>),
    Lsh,
    Rsh,
    Arrow,
    Rot,
    P(char),
}

/// What the classifier needs to know about an architecture.
pub trait RegisterNames {
    /// Whether `name` is a register (or pseudo-register) name.
    fn is_register(&self, name: Name) -> bool;
    /// Whether `name(` starts a numbered register reference.
    fn is_register_prefix(&self, name: Name) -> bool;
}

pub type Spanned = (usize, PTok, usize);

/// Why a statement could not even be tokenized for the grammar.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifyError {
    pub message: String,
    pub at: usize,
}

/// Classifies the tokens of one statement (without its terminating newline).
pub fn classify(toks: &[Token], names: &dyn RegisterNames) -> Result<Vec<Spanned>, ClassifyError> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    // Labels, then the word.
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Ident(n) if toks.get(i + 1).is_some_and(|t| t.tok.is_punct(':')) => {
                out.push((i, PTok::Label(*n), i + 2));
                i += 2;
            }
            Tok::Ident(n) => {
                out.push((i, PTok::Word(*n), i + 1));
                i += 1;
                break;
            }
            other => {
                return Err(ClassifyError { message: format!("expected identifier, found {}", quote_tok(other)), at: i });
            }
        }
    }
    while i < toks.len() {
        let t = match &toks[i].tok {
            Tok::Ident(n) => {
                if names.is_register(*n) {
                    PTok::Reg(*n)
                } else if names.is_register_prefix(*n)
                    && toks.get(i + 1).is_some_and(|t| t.tok.is_punct('('))
                    && !toks[i - 1].tok.is_punct('.')
                {
                    PTok::RegPrefix(*n)
                } else {
                    PTok::Ident(*n)
                }
            }
            Tok::Int(n) => PTok::Int(*n),
            Tok::Float(n) => PTok::Float(*n),
            Tok::Char(c) => PTok::Char(*c),
            Tok::Str(s) => PTok::Str(s.clone()),
            Tok::Lsh => PTok::Lsh,
            Tok::Rsh => PTok::Rsh,
            Tok::Arrow => PTok::Arrow,
            Tok::Rot => PTok::Rot,
            Tok::Punct('#') => {
                i += 1;
                continue;
            }
            Tok::Punct(c) => PTok::P(*c),
            Tok::Newline | Tok::Eof => break,
        };
        out.push((i, t, i + 1));
        i += 1;
    }
    Ok(out)
}

/// A token as Go's messages quote it.
pub fn quote_tok(t: &Tok) -> String {
    match t {
        Tok::Newline => "\"\\n\"".to_string(),
        Tok::Eof => "EOF".to_string(),
        other => format!("{:?}", other.to_string()),
    }
}

/// Like Go's `Token.String()`: the token's text.
pub fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
        other => other.to_string(),
    }
}
