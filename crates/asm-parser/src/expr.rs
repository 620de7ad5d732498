//! Constant evaluation with the exact semantics of Go's assembler: values
//! are `u64`; `* / % &` bind tighter than `+ - | ^`; a `<<` ends its term
//! after one factor (so `1<<2*3` leaves `*3` unconsumed), while `>>` takes a
//! whole term as its count (so `64>>2>>1` is `64>>(2>>1)`).

use crate::ast::{BinOp, Expr, ExprItem, FExpr, Factor};

/// An evaluation error: Go's message and the token it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub message: String,
    pub at: usize,
}

/// Evaluates a whole expression. `Ok((value, rest))`: `rest` is the index
/// of the first item not consumed (an operator Go would leave for its caller).
pub fn eval(e: &Expr) -> Result<(u64, Option<usize>), EvalError> {
    let mut ev = Evaluator { items: &e.items, pos: 0, end: e.hi };
    let v = ev.expr()?;
    if ev.pos < e.items.len() {
        let at = match &e.items[ev.pos] {
            ExprItem::Op(_, at) => *at,
            ExprItem::Factor(_) => e.hi,
        };
        return Ok((v, Some(at)));
    }
    Ok((v, None))
}

/// Evaluates an expression that must be consumed completely.
pub fn eval_all(e: &Expr, leftover: impl Fn(usize) -> String) -> Result<u64, EvalError> {
    match eval(e)? {
        (v, None) => Ok(v),
        (_, Some(at)) => Err(EvalError { message: leftover(at), at }),
    }
}

struct Evaluator<'a> {
    items: &'a [ExprItem],
    pos: usize,
    end: usize,
}

impl Evaluator<'_> {
    fn peek_op(&self) -> Option<(BinOp, usize)> {
        match self.items.get(self.pos) {
            Some(ExprItem::Op(op, at)) => Some((*op, *at)),
            _ => None,
        }
    }

    fn expr(&mut self) -> Result<u64, EvalError> {
        let mut v = self.term()?;
        while let Some((op, _)) = self.peek_op() {
            let f: fn(u64, u64) -> u64 = match op {
                BinOp::Add => u64::wrapping_add,
                BinOp::Sub => u64::wrapping_sub,
                BinOp::Or => |a, b| a | b,
                BinOp::Xor => |a, b| a ^ b,
                _ => break,
            };
            self.pos += 1;
            let rhs = self.term()?;
            v = f(v, rhs);
        }
        Ok(v)
    }

    fn term(&mut self) -> Result<u64, EvalError> {
        let mut v = self.factor()?;
        while let Some((op, at)) = self.peek_op() {
            match op {
                BinOp::Mul => {
                    self.pos += 1;
                    v = v.wrapping_mul(self.factor()?);
                }
                BinOp::Div | BinOp::Rem => {
                    self.pos += 1;
                    let what = if op == BinOp::Div { "divide" } else { "modulo" };
                    if (v as i64) < 0 && op == BinOp::Div {
                        return Err(err(format!("{what} of value with high bit set"), at));
                    }
                    let d = self.factor()?;
                    if (v as i64) < 0 {
                        return Err(err(format!("{what} of value with high bit set"), at));
                    }
                    if d == 0 {
                        let m = if op == BinOp::Div { "division by zero" } else { "modulo by zero" };
                        return Err(err(m.to_string(), at));
                    }
                    v = if op == BinOp::Div { v / d } else { v % d };
                }
                BinOp::And => {
                    self.pos += 1;
                    v &= self.factor()?;
                }
                BinOp::Lsh => {
                    self.pos += 1;
                    let s = self.factor()?;
                    return shift_left(v, s).ok_or_else(|| err("negative left shift count".into(), at));
                }
                BinOp::Rsh => {
                    self.pos += 1;
                    let s = self.term()?;
                    if (s as i64) < 0 {
                        return Err(err("negative right shift count".into(), at));
                    }
                    if (v as i64) < 0 {
                        return Err(err("right shift of value with high bit set".into(), at));
                    }
                    v = if s >= 64 { 0 } else { v >> s };
                }
                _ => break,
            }
        }
        Ok(v)
    }

    fn factor(&mut self) -> Result<u64, EvalError> {
        let f = match self.items.get(self.pos) {
            Some(ExprItem::Factor(f)) => f,
            _ => return Err(err("unexpected end of expression".into(), self.end)),
        };
        self.pos += 1;
        factor_value(f)
    }
}

fn factor_value(f: &Factor) -> Result<u64, EvalError> {
    Ok(match f {
        Factor::Int(w) => parse_uint(w.name.as_str()).map_err(|m| err(m, w.at))?,
        Factor::Char(Some(c), _) => *c as u64,
        Factor::Char(None, at) => return Err(err("illegal UTF-8 encoding for character constant".into(), *at)),
        Factor::Pos(f) => factor_value(f)?,
        Factor::Neg(f) => factor_value(f)?.wrapping_neg(),
        Factor::Not(f) => !factor_value(f)?,
        Factor::Paren(e) => {
            let (v, rest) = eval(e)?;
            if let Some(at) = rest {
                return Err(err("missing closing paren".into(), at));
            }
            v
        }
    })
}

fn err(message: String, at: usize) -> EvalError {
    EvalError { message, at }
}

/// `v << s` as Go's assembler evaluates it: a count of 64 or more gives 0;
/// `None` for a negative count (one with the top bit set).
pub(crate) fn shift_left(v: u64, s: u64) -> Option<u64> {
    if (s as i64) < 0 {
        return None;
    }
    Some(if s >= 64 { 0 } else { v << s })
}

/// Parses an unsigned integer literal as Go's `strconv.ParseUint(s, 0, 64)`:
/// `0x`, `0o`, `0b` and legacy-octal prefixes; `_` only between digits.
pub fn parse_uint(s: &str) -> Result<u64, String> {
    // The common case, a short decimal literal without a leading 0 (up to 19 digits
    // cannot overflow): no prefix or underscore rules to apply.
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 19 && (b[0] != b'0' || b.len() == 1) {
        // Digits checked and summed in one pass.
        let mut v = 0u64;
        let mut digits = true;
        for &c in b {
            let d = c.wrapping_sub(b'0');
            digits &= d <= 9;
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
        }
        if digits {
            return Ok(v);
        }
    }
    // Next commonest, `0x` and up to 16 hex digits (cannot overflow), no underscores.
    if let [b'0', b'x' | b'X', hex @ ..] = b {
        if !hex.is_empty() && hex.len() <= 16 && hex.iter().all(u8::is_ascii_hexdigit) {
            return Ok(hex.iter().fold(0u64, |v, &d| v << 4 | u64::from((d as char).to_digit(16).unwrap_or(0))));
        }
    }
    let fail = |what: &str| format!("strconv.ParseUint: parsing {s:?}: {what}");
    let (base, digits, prefix_is_digit) = match s.as_bytes() {
        [b'0', b'x' | b'X', ..] => (16, &s[2..], true),
        [b'0', b'o' | b'O', ..] => (8, &s[2..], true),
        [b'0', b'b' | b'B', ..] => (2, &s[2..], true),
        [b'0', _, ..] => (8, &s[1..], true),
        _ => (10, s, false),
    };
    // Underscores must sit between digits (a base prefix counts as one).
    let mut prev_digit = prefix_is_digit;
    let mut prev_us = false;
    for c in digits.chars() {
        if c == '_' {
            if !prev_digit {
                return Err(fail("invalid syntax"));
            }
            prev_digit = false;
            prev_us = true;
        } else {
            prev_digit = c.is_ascii_alphanumeric();
            prev_us = false;
        }
    }
    if prev_us {
        return Err(fail("invalid syntax"));
    }
    // The digits without underscores (no copy: this runs for every literal).
    let mut clean = digits.chars().filter(|&c| c != '_').peekable();
    if clean.peek().is_none() {
        return if s == "0" { Ok(0) } else { Err(fail("invalid syntax")) };
    }
    let mut v: u64 = 0;
    for c in clean {
        let d = c.to_digit(base).ok_or_else(|| fail("invalid syntax"))?;
        v = v.checked_mul(base as u64).and_then(|v| v.checked_add(d as u64)).ok_or_else(|| fail("value out of range"))?;
    }
    Ok(v)
}

/// Evaluates a floating-point operand: only unary signs and parentheses.
pub fn eval_float(f: &FExpr) -> Result<f64, EvalError> {
    Ok(match f {
        FExpr::Lit(w) => parse_float(w.name.as_str()).map_err(|m| err(m, w.at))?,
        FExpr::Pos(f) | FExpr::Paren(f) => eval_float(f)?,
        FExpr::Neg(f) => -eval_float(f)?,
    })
}

/// Parses a float literal as Go's `strconv.ParseFloat(s, 64)` (decimal and hex forms).
pub fn parse_float(s: &str) -> Result<f64, String> {
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(hex) = clean.strip_prefix("0x").or_else(|| clean.strip_prefix("0X")) {
        return parse_hex_float(hex).ok_or_else(|| format!("strconv.ParseFloat: parsing {s:?}: invalid syntax"));
    }
    clean.parse::<f64>().map_err(|_| format!("strconv.ParseFloat: parsing {s:?}: invalid syntax")).and_then(|v| {
        if v.is_infinite() {
            Err(format!("strconv.ParseFloat: parsing {s:?}: value out of range"))
        } else {
            Ok(v)
        }
    })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut v = 0f64;
    for c in int.chars().chain(frac.chars()) {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    Some(v * 2f64.powi(exp - 4 * frac.len() as i32))
}
