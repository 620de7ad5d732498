//! The shape of the x86 encoding tables and the operand-class order.
//!
//! Each mnemonic has an [`Entry`]: a list of [`Form`]s (operand-class rows,
//! each with the recipe that lays down its bytes) plus a prefix class and the
//! opcode bytes the recipes read. The rows come from Go's tables, generated
//! into `optab_gen.rs`; the first row whose classes cover the operands wins.

use super::optab_gen::{y, MOVTAB, OPTAB};

/// One operand-class row and its recipe.
#[derive(Debug)]
pub struct Form {
    /// The recipe (Go's `Z*` number, see `optab_gen::z`).
    pub z: u8,
    /// How many opcode bytes this row consumes.
    pub zoff: u8,
    /// Operand classes in source order (`Yxxx` ends the list).
    pub args: [u8; 6],
}

/// A mnemonic's rows, prefix class and opcode bytes.
#[derive(Debug)]
pub struct Entry {
    pub op: i64,
    pub forms: &'static [Form],
    pub prefix: u8,
    pub bytes: &'static [u8],
}

/// The recipes of the special-register move table.
#[allow(dead_code)] // FullPtr rows are commented out in Go's table too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovKind {
    Lit,
    RegMem,
    MemReg,
    RegMem2,
    MemReg2,
    FullPtr,
    DoubleShift,
    TlsReg,
}

/// A row of the special-register move table (segment, control, debug
/// registers, double shifts, TLS loads), tried when no [`Form`] fits.
#[derive(Debug)]
pub struct MovForm {
    pub op: i64,
    pub ft: u8,
    pub f3t: u8,
    pub tt: u8,
    pub kind: MovKind,
    pub bytes: [u8; 4],
}

const NCLS: usize = y::Ymax as usize;

/// Which wider classes each class also fits ("an 8-bit constant is also a
/// 32-bit constant"). Every class fits itself.
const WIDER: &[(u8, &[u8])] = {
    use y::*;
    &[
        (Yi0, &[Yu2, Yi8, Yu7, Yu8, Ys32, Yi32, Yi64]),
        (Yi1, &[Yu2, Yi8, Yu7, Yu8, Ys32, Yi32, Yi64]),
        (Yu2, &[Yi8, Yu7, Yu8, Ys32, Yi32, Yi64]),
        (Yu7, &[Yi8, Yu8, Ys32, Yi32, Yi64]),
        (Yu8, &[Ys32, Yi32, Yi64]),
        (Yi8, &[Ys32, Yi32, Yi64]),
        (Ys32, &[Yi32, Yi64]),
        (Yi32, &[Yi64]),
        (Yal, &[Yrb, Ymb]),
        (Ycl, &[Yrb, Ycx, Ymb]),
        (Yax, &[Yrb, Yrx, Yrl, Ymb, Yml, Ymm]),
        (Ycx, &[Yrb, Yrx, Yrl, Ymb, Yml, Ymm]),
        (Yrx, &[Yrb, Yrl, Ymb, Yml, Ymm]),
        (Yrl, &[Yrb, Ymb, Yml, Ymm]),
        (Yrl32, &[Yrl, Yml, Ymm]),
        (Yf0, &[Yrf]),
        (Yrb, &[Ymb]),
        (Ym, &[Ymb, Yml, Ymm, Yxm, Yym, YxmEvex, YymEvex, Yzm, Ykm]),
        (Ymr, &[Ymm]),
        (Yxr0, &[Yxr, Yxm, YxrEvex, YxmEvex]),
        (Yxr, &[Yxm, YxrEvex, YxmEvex]),
        (YxrEvex, &[YxmEvex]),
        (Yyr, &[Yym, YyrEvex, YymEvex]),
        (YyrEvex, &[YymEvex]),
        (Yzr, &[Yzm]),
        (Yk0, &[Yk, Ykm]),
        (Yknot0, &[Yk, Ykm]),
        (Yk, &[Ykm]),
        (Yxvm, &[YxvmEvex]),
        (Yyvm, &[YyvmEvex]),
    ]
};

/// The cover table's side: a power of two above every class, so that an
/// index masked with `COVER_SIDE - 1` needs no bounds check.
const COVER_SIDE: usize = 128;
const _: () = assert!(NCLS <= COVER_SIDE);

const fn build_cover() -> [[bool; COVER_SIDE]; COVER_SIDE] {
    let mut t = [[false; COVER_SIDE]; COVER_SIDE];
    let mut i = 0;
    while i < NCLS {
        t[i][i] = true;
        i += 1;
    }
    let mut k = 0;
    while k < WIDER.len() {
        let (from, to) = WIDER[k];
        let mut j = 0;
        while j < to.len() {
            t[from as usize][to[j] as usize] = true;
            j += 1;
        }
        k += 1;
    }
    t
}

static COVER: [[bool; COVER_SIDE]; COVER_SIDE] = build_cover();

/// Whether an operand of class `have` fits a row expecting `want`.
pub fn covers(have: u8, want: u8) -> bool {
    // Classes are below NCLS: the mask changes nothing but the bounds check.
    COVER[usize::from(have) & (COVER_SIDE - 1)][usize::from(want) & (COVER_SIDE - 1)]
}

impl Form {
    /// Whether the operand classes (in source order) fit this row.
    pub fn fits(&self, have: &[u8]) -> bool {
        let n = have.len();
        // A plain loop: the iterator chain cost half again as much, and
        // this runs for every row tried.
        if n > self.args.len() || n < self.args.len() && self.args[n] != y::Yxxx {
            return false;
        }
        for i in 0..n {
            if !covers(have[i], self.args[i]) {
                return false;
            }
        }
        true
    }
}

/// The largest opcode with an entry.
const MAX_OP: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < OPTAB.len() {
        if OPTAB[i].op as usize > max {
            max = OPTAB[i].op as usize;
        }
        i += 1;
    }
    max
};

/// Opcode numbers are small and dense: a direct index into `OPTAB`, built
/// at compile time (a lazily built one was 5% of assembling a tiny file).
static INDEX: [u16; MAX_OP + 1] = {
    assert!(OPTAB.len() < u16::MAX as usize);
    let mut v = [u16::MAX; MAX_OP + 1];
    let mut i = 0;
    while i < OPTAB.len() {
        v[OPTAB[i].op as usize] = i as u16;
        i += 1;
    }
    v
};

/// The entry of an opcode.
pub fn entry(op: i64) -> Option<&'static Entry> {
    let i = *INDEX.get(usize::try_from(op).ok()?)?;
    (i != u16::MAX).then(|| &OPTAB[usize::from(i)])
}

/// The move-table rows of an opcode, in order.
pub fn mov_forms(op: i64) -> impl Iterator<Item = &'static MovForm> {
    MOVTAB.iter().filter(move |m| m.op == op)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arch_tables::x86::consts::*;

    #[test]
    fn cover_is_go_relation() {
        assert!(covers(y::Yi0, y::Yi64));
        assert!(covers(y::Yax, y::Yml));
        assert!(!covers(y::Yrl32, y::Yrb));
        assert!(!covers(y::Yml, y::Yrl));
        assert!(covers(y::Yxr0, y::YxmEvex));
    }

    #[test]
    fn every_mnemonic_once() {
        let mut seen = std::collections::HashSet::new();
        for e in OPTAB.iter() {
            assert!(seen.insert(e.op), "duplicate entry for op {}", e.op);
        }
        assert!(entry(AADDL).is_some());
        assert!(entry(AVADDPD).is_some());
    }
}
