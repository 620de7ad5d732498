//! The raw tokenizer: source text to lexemes, following the lexical rules of
//! Go's assembler (which uses `text/scanner` with identifiers widened to `·`
//! and `∕`).
//!
//! Facts worth knowing, all checked against `go tool asm` 1.27.3:
//! * Space, tab and CR are white space; newline is a token; `;` is a token of
//!   its own (the parser treats it like a newline, the preprocessor does not:
//!   `#` after `;` is "not first on the line", and `;` does not end a macro
//!   definition or an argument list).
//! * Comments produce no tokens, so a `/* */` comment spanning lines does
//!   not end a statement. A `//go:build` line comment is a token of its own.
//! * Malformed literals still make a token of the longest sensible extent;
//!   the problem is reported as a warning (Go prints these scanner messages
//!   without failing the assembly; the parser rejects the token later).

use logos::Logos;

use crate::bytes::mask16;

/// What the scanner found wrong in a number literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumErr {
    RadixPoint(u8),
    NoDigits(u8),
    ExpNeedsDecimal(u8),
    ExpNeedsHex(u8),
    ExpNoDigits,
    HexNeedsP,
    InvalidDigit(u8, u8),
    Separator,
}

fn literal_name(prefix: u8) -> &'static str {
    match prefix {
        b'x' => "hexadecimal literal",
        b'o' | b'0' => "octal literal",
        b'b' => "binary literal",
        _ => "decimal literal",
    }
}

impl NumErr {
    pub(crate) fn message(self) -> String {
        match self {
            NumErr::RadixPoint(p) => format!("invalid radix point in {}", literal_name(p)),
            NumErr::NoDigits(p) => format!("{} has no digits", literal_name(p)),
            NumErr::ExpNeedsDecimal(c) => format!("'{}' exponent requires decimal mantissa", c as char),
            NumErr::ExpNeedsHex(c) => format!("'{}' exponent requires hexadecimal mantissa", c as char),
            NumErr::ExpNoDigits => "exponent has no digits".into(),
            NumErr::HexNeedsP => "hexadecimal mantissa requires a 'p' exponent".into(),
            NumErr::InvalidDigit(d, p) => format!("invalid digit '{}' in {}", d as char, literal_name(p)),
            NumErr::Separator => "'_' must separate successive digits".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NumInfo {
    pub float: bool,
    pub err: Option<NumErr>,
}

/// What the scanner found wrong in a quoted literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QuoteErr {
    Unterminated,
    BadEscape,
    /// A rune literal holding other than one character.
    BadChar,
}

impl QuoteErr {
    pub(crate) fn message(self) -> &'static str {
        match self {
            QuoteErr::Unterminated => "literal not terminated",
            QuoteErr::BadEscape => "invalid char escape",
            QuoteErr::BadChar => "invalid char literal",
        }
    }
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(skip r"[ \t\r]+")]
pub(crate) enum Lexeme {
    #[token("\n")]
    Newline,
    #[token(";")]
    Semi,
    #[token("//", line_comment)]
    LineComment,
    /// `true` when the comment is closed.
    #[token("/*", block_comment)]
    BlockComment(bool),
    #[regex(r"[\p{L}_·∕][\p{L}\p{Nd}_·∕]*")]
    Ident,
    #[regex(r"[0-9]", number)]
    #[regex(r"\.[0-9]", number)]
    Number(NumInfo),
    #[token("'", |lex| quoted(lex, '\''))]
    Char(Option<QuoteErr>),
    #[token("\"", |lex| quoted(lex, '"'))]
    Str(Option<QuoteErr>),
    #[token("<<")]
    Lsh,
    #[token(">>")]
    Rsh,
    #[token("->")]
    Arrow,
    #[token("@>")]
    Rot,
    /// Any other single character.
    #[regex(r"(?s:.)", priority = 0)]
    Other,
}

/// Bytes that continue an ASCII identifier: `[A-Za-z0-9_]`.
const IDENT_CONT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c == b'_' as usize;
        c += 1;
    }
    t
};

/// The end of the run of `[A-Za-z0-9_]` in `b` starting at `from`.
#[inline]
pub(crate) fn ascii_ident_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while b.get(i).is_some_and(|&c| IDENT_CONT[c as usize]) {
        i += 1;
    }
    i
}

/// A number at the start of `b` (a digit, or `.` and a digit) that
/// [`scan_number`] takes without complaint: its length and whether it is a
/// float. `None` for a malformed one.
#[inline]
pub(crate) fn quick_number(b: &[u8]) -> Option<(usize, bool)> {
    // Plain decimal and hexadecimal integers, most numbers, without the
    // general scanner: what follows them must not be able to extend them.
    let plain = match b {
        [b'0', b'x' | b'X', ..] => {
            let mut n = 2;
            while b.get(n).is_some_and(u8::is_ascii_hexdigit) {
                n += 1;
            }
            (n > 2).then_some(n)
        }
        [b'1'..=b'9', ..] => {
            let mut n = 1;
            while b.get(n).is_some_and(u8::is_ascii_digit) {
                n += 1;
            }
            Some(n)
        }
        [b'0', ..] => Some(1),
        _ => None,
    };
    if let Some(n) = plain {
        if !b.get(n).is_some_and(|&c| IDENT_CONT[c as usize] || c == b'.') {
            return Some((n, false));
        }
    }
    let (n, info) = scan_number(b);
    info.err.is_none().then_some((n, info.float))
}

/// The index of the first `\n` or NUL in `b` at or after `from`, or
/// `b.len()`; 16 bytes at a time, as comments run to the end of the line.
pub(crate) fn newline_or_nul(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(c) = b.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let hits = mask16(c, b'\n', 0);
        if hits != 0 {
            return i + hits.trailing_zeros() as usize;
        }
        i += 16;
    }
    i + b[i..].iter().position(|&c| c == b'\n' || c == 0).unwrap_or(b.len() - i)
}

fn line_comment(lex: &mut logos::Lexer<Lexeme>) {
    let rest = lex.remainder();
    lex.bump(rest.find('\n').unwrap_or(rest.len()));
}

fn block_comment(lex: &mut logos::Lexer<Lexeme>) -> bool {
    match lex.remainder().find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            true
        }
        None => {
            lex.bump(lex.remainder().len());
            false
        }
    }
}

fn number(lex: &mut logos::Lexer<Lexeme>) -> NumInfo {
    let matched = lex.slice().len();
    let from = &lex.source().as_bytes()[lex.span().start..];
    let (len, info) = scan_number(from);
    lex.bump(len.saturating_sub(matched));
    info
}

fn quoted(lex: &mut logos::Lexer<Lexeme>, quote: char) -> Option<QuoteErr> {
    let (len, err) = scan_quoted(lex.remainder(), quote);
    lex.bump(len);
    err
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// Scans a Go number literal at the start of `b` (which starts with a digit,
/// or `.` and a digit). Returns its length and kind, with the extent and the
/// complaints of `text/scanner`.
pub(crate) fn scan_number(b: &[u8]) -> (usize, NumInfo) {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = 0;
    let mut base = 10u32;
    let mut prefix = 0u8;
    let mut seen_digit = false;
    let mut seen_sep = false;
    let mut invalid: Option<u8> = None;
    let mut float = false;
    let mut err: Option<NumErr> = None;
    let note = |e: NumErr, err: &mut Option<NumErr>| {
        if err.is_none() {
            *err = Some(e);
        }
    };

    // Digits of a base starting at i; returns the new index.
    let digits = |mut i: usize, base: u32, invalid: &mut Option<u8>, seen_digit: &mut bool, seen_sep: &mut bool| {
        loop {
            let c = at(i);
            if c == b'_' {
                *seen_sep = true;
            } else if (base <= 10 && c.is_ascii_digit()) || (base == 16 && is_hex(c)) {
                *seen_digit = true;
                if base < 10 && (c - b'0') as u32 >= base && invalid.is_none() {
                    *invalid = Some(c);
                }
            } else {
                return i;
            }
            i += 1;
        }
    };

    if at(0) == b'.' {
        i = 1;
        float = true;
    } else {
        if at(0) == b'0' {
            i = 1;
            match at(1).to_ascii_lowercase() {
                b'x' => {
                    i = 2;
                    base = 16;
                    prefix = b'x';
                }
                b'o' => {
                    i = 2;
                    base = 8;
                    prefix = b'o';
                }
                b'b' => {
                    i = 2;
                    base = 2;
                    prefix = b'b';
                }
                _ => {
                    base = 8;
                    prefix = b'0';
                    seen_digit = true;
                }
            }
        }
        i = digits(i, base, &mut invalid, &mut seen_digit, &mut seen_sep);
        if at(i) == b'.' {
            i += 1;
            float = true;
        }
    }
    if float {
        if prefix == b'o' || prefix == b'b' {
            note(NumErr::RadixPoint(prefix), &mut err);
        }
        i = digits(i, base, &mut invalid, &mut seen_digit, &mut seen_sep);
    }
    if !seen_digit {
        note(NumErr::NoDigits(prefix), &mut err);
    }
    let e = at(i).to_ascii_lowercase();
    if e == b'e' || e == b'p' {
        if e == b'e' && prefix != 0 && prefix != b'0' {
            note(NumErr::ExpNeedsDecimal(at(i)), &mut err);
        } else if e == b'p' && prefix != b'x' {
            note(NumErr::ExpNeedsHex(at(i)), &mut err);
        }
        i += 1;
        float = true;
        if at(i) == b'+' || at(i) == b'-' {
            i += 1;
        }
        let mut exp_digit = false;
        let mut no_invalid = None;
        i = digits(i, 10, &mut no_invalid, &mut exp_digit, &mut seen_sep);
        if !exp_digit {
            note(NumErr::ExpNoDigits, &mut err);
        }
    } else if prefix == b'x' && float {
        note(NumErr::HexNeedsP, &mut err);
    }
    if !float {
        if let Some(d) = invalid {
            note(NumErr::InvalidDigit(d, prefix), &mut err);
        }
    }
    if seen_sep && bad_separator(&b[..i]) {
        note(NumErr::Separator, &mut err);
    }
    (i, NumInfo { float, err })
}

/// True when a `_` in a number literal does not sit between two digits (a
/// base prefix counts as a digit).
fn bad_separator(x: &[u8]) -> bool {
    let mut hex = false;
    let mut prev_kind = b'.'; // '0' digit, '_' separator, '.' other
    let mut i = 0;
    if x.len() >= 2 && x[0] == b'0' {
        let p = x[1].to_ascii_lowercase();
        if matches!(p, b'x' | b'o' | b'b') {
            hex = p == b'x';
            prev_kind = b'0';
            i = 2;
        }
    }
    while i < x.len() {
        let c = x[i];
        let kind = if c == b'_' {
            if prev_kind != b'0' {
                return true;
            }
            b'_'
        } else if c.is_ascii_digit() || (hex && is_hex(c)) {
            b'0'
        } else {
            if prev_kind == b'_' {
                return true;
            }
            b'.'
        };
        prev_kind = kind;
        i += 1;
    }
    prev_kind == b'_'
}

/// Scans the rest of a quoted literal (`s` starts after the opening quote).
/// Returns the length consumed (the closing quote included; an unterminated
/// literal stops before the newline) and the first problem.
pub(crate) fn scan_quoted(s: &str, quote: char) -> (usize, Option<QuoteErr>) {
    let mut chars = s.char_indices().peekable();
    let mut n = 0usize;
    let mut err = None;
    let note = |e: QuoteErr, err: &mut Option<QuoteErr>| {
        if err.is_none() {
            *err = Some(e);
        }
    };
    loop {
        let Some(&(i, c)) = chars.peek() else {
            note(QuoteErr::Unterminated, &mut err);
            return (s.len(), err.or(Some(QuoteErr::Unterminated)));
        };
        if c == quote {
            chars.next();
            if quote == '\'' && n != 1 {
                note(QuoteErr::BadChar, &mut err);
            }
            return (i + c.len_utf8(), err);
        }
        if c == '\n' {
            note(QuoteErr::Unterminated, &mut err);
            return (i, err);
        }
        chars.next();
        n += 1;
        if c == '\\' {
            let Some(&(_, e)) = chars.peek() else { continue };
            let (want, radix, first_counts) = match e {
                'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => (0, 0, false),
                _ if e == quote => (0, 0, false),
                '0'..='7' => (3, 8, true),
                'x' => (2, 16, false),
                'u' => (4, 16, false),
                'U' => (8, 16, false),
                _ => {
                    note(QuoteErr::BadEscape, &mut err);
                    continue;
                }
            };
            if !first_counts {
                chars.next();
            }
            let mut got = 0;
            while got < want {
                match chars.peek() {
                    Some(&(_, d)) if d.is_digit(radix) => {
                        chars.next();
                        got += 1;
                    }
                    _ => break,
                }
            }
            if got < want {
                note(QuoteErr::BadEscape, &mut err);
            }
        }
    }
}

/// Go's `strconv.Unquote` for a `"..."` or `'...'` literal: the decoded
/// bytes, or `None` when the literal is not valid Go syntax.
pub(crate) fn unquote(lit: &str) -> Option<Vec<u8>> {
    let b = lit.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let quote = b[0];
    if (quote != b'"' && quote != b'\'') || b[b.len() - 1] != quote {
        return None;
    }
    let body = &lit[1..lit.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let mut count = 0usize;
    while let Some(c) = chars.next() {
        count += 1;
        if c == quote as char || c == '\n' {
            return None;
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let e = chars.next()?;
        let simple = match e {
            'a' => Some(7u8),
            'b' => Some(8),
            'f' => Some(12),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(11),
            '\\' => Some(b'\\'),
            '\'' | '"' if e as u32 == quote as u32 => Some(e as u8),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            continue;
        }
        let (n, radix) = match e {
            '0'..='7' => (2, 8),
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            _ => return None,
        };
        let mut v: u32 = if radix == 8 { e.to_digit(8)? } else { 0 };
        for _ in 0..n {
            let d = chars.next()?.to_digit(radix)?;
            v = v * radix + d;
        }
        match e {
            '0'..='7' | 'x' => {
                if v > 255 {
                    return None;
                }
                out.push(v as u8);
            }
            _ => {
                let ch = char::from_u32(v)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    if quote == b'\'' && count != 1 {
        return None;
    }
    Some(out)
}

/// Go's `strconv.Quote`, for messages that show a token's text.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || c == '\u{feff}' || c == '\u{fffd}' => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `constraint.IsGoBuild` for one line comment's text.
pub(crate) fn is_go_build(comment: &str) -> bool {
    match comment.strip_prefix("//go:build") {
        Some(rest) => rest.chars().next().is_none_or(char::is_whitespace),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexemes(s: &str) -> Vec<(Lexeme, &str)> {
        let mut lx = Lexeme::lexer(s);
        let mut v = Vec::new();
        while let Some(r) = lx.next() {
            v.push((r.expect("catch-all covers everything"), lx.slice()));
        }
        v
    }

    #[test]
    fn basic_lexemes() {
        let v = lexemes("MOVQ\t$0x10, AX // c\r\n<< >> -> @> · x·y∕z ;");
        let texts: Vec<&str> = v.iter().map(|x| x.1).collect();
        assert_eq!(texts, ["MOVQ", "$", "0x10", ",", "AX", "// c\r", "\n", "<<", ">>", "->", "@>", "·", "x·y∕z", ";"]);
    }

    #[test]
    fn numbers_like_text_scanner() {
        let cases: &[(&str, &str, bool, Option<&str>)] = &[
            ("123", "123", false, None),
            ("0x1fz", "0x1f", false, None),
            ("0b101", "0b101", false, None),
            ("0o17", "0o17", false, None),
            ("017", "017", false, None),
            ("08", "08", false, Some("invalid digit '8' in octal literal")),
            ("0x", "0x", false, Some("hexadecimal literal has no digits")),
            ("1__0", "1__0", false, Some("'_' must separate successive digits")),
            ("1_000", "1_000", false, None),
            ("0x_1", "0x_1", false, None),
            ("1.5", "1.5", true, None),
            ("1.", "1.", true, None),
            (".5e3", ".5e3", true, None),
            ("1e+10x", "1e+10", true, None),
            ("0x1p-2", "0x1p-2", true, None),
            ("0x1.8", "0x1.8", true, Some("hexadecimal mantissa requires a 'p' exponent")),
            ("09.5", "09.5", true, None),
            ("1e", "1e", true, Some("exponent has no digits")),
            ("12ab", "12", false, None),
        ];
        for &(src, text, float, err) in cases {
            let v = lexemes(src);
            let (lx, t) = v[0];
            assert_eq!(t, text, "{src}");
            match lx {
                Lexeme::Number(info) => {
                    assert_eq!(info.float, float, "{src}");
                    assert_eq!(info.err.map(NumErr::message).as_deref(), err, "{src}");
                }
                other => panic!("{src}: {other:?}"),
            }
        }
    }

    #[test]
    fn quoted_literals() {
        let v = lexemes(r#""a\"b" 'x' '\n' 'ab' "\q" "open"#);
        assert_eq!(v[0], (Lexeme::Str(None), r#""a\"b""#));
        assert_eq!(v[1], (Lexeme::Char(None), "'x'"));
        assert_eq!(v[2], (Lexeme::Char(None), r"'\n'"));
        assert_eq!(v[3], (Lexeme::Char(Some(QuoteErr::BadChar)), "'ab'"));
        assert_eq!(v[4], (Lexeme::Str(Some(QuoteErr::BadEscape)), r#""\q""#));
        assert_eq!(v[5], (Lexeme::Str(Some(QuoteErr::Unterminated)), r#""open"#));
        let v = lexemes("\"abc\nX");
        assert_eq!(v[0], (Lexeme::Str(Some(QuoteErr::Unterminated)), "\"abc"));
        assert_eq!(v[1].0, Lexeme::Newline);
    }

    #[test]
    fn unquote_like_strconv() {
        assert_eq!(unquote(r#""a\x41\101\u00e9\n""#).unwrap(), b"aAA\xc3\xa9\n");
        assert_eq!(unquote(r"'\xff'").unwrap(), b"\xff");
        assert_eq!(unquote(r#""\400""#), None);
        assert_eq!(unquote(r#""\'""#), None);
        assert_eq!(unquote(r"'ab'"), None);
        assert_eq!(unquote(r#""\ud800""#), None);
        assert_eq!(unquote("'é'").unwrap(), "é".as_bytes());
    }

    #[test]
    fn comments_and_build_lines() {
        let v = lexemes("/* a\nb */ X /* open");
        assert_eq!(v[0].0, Lexeme::BlockComment(true));
        assert_eq!(v[1].1, "X");
        assert_eq!(v[2].0, Lexeme::BlockComment(false));
        assert!(is_go_build("//go:build amd64"));
        assert!(is_go_build("//go:build"));
        assert!(is_go_build("//go:build\tx"));
        assert!(!is_go_build("//go:buildx"));
        assert!(!is_go_build("// go:build x"));
    }

    #[test]
    fn odd_characters() {
        let v = lexemes("\x00\x0c\u{feff}`é1 ٣");
        let kinds: Vec<_> = v.iter().map(|x| (x.0, x.1)).collect();
        assert_eq!(
            kinds,
            [(Lexeme::Other, "\x00"), (Lexeme::Other, "\x0c"), (Lexeme::Other, "\u{feff}"), (Lexeme::Other, "`"), (Lexeme::Ident, "é1"), (Lexeme::Other, "٣")]
        );
        assert_eq!(go_quote("a\n\"\u{feff}"), r#""a\n\"\ufeff""#);
    }
}
