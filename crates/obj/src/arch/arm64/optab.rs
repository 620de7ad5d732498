//! Operand-form rows and their lookup: an instruction takes the first row of
//! its opcode whose operand classes cover the instruction's operands (Go's
//! choice of form). The rows themselves are generated data (`tables_gen.rs`).

use std::cell::Cell;

use super::tables_gen::{COVER, RANGES, ROWS};

/// One accepted form: opcode, operand classes (from, reg, from3, to, to2),
/// the encoding recipe, the byte size, flags, a parameter register and the
/// required `.P`/`.W` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub op: u16,
    pub a: [u8; 5],
    pub recipe: u8,
    pub size: u8,
    pub flag: u8,
    pub param: u16,
    pub scond: u8,
}

impl Row {
    pub const fn new(op: u16, a: [u8; 5], recipe: i32, size: i32, flag: i32, param: i32, scond: i32) -> Row {
        Row { op, a, recipe: recipe as u8, size: size as u8, flag: flag as u8, param: param as u16, scond: scond as u8 }
    }
}

/// Row flags.
#[allow(dead_code)]
pub mod flag {
    /// `from` is loaded from the literal pool.
    pub const LFROM: u8 = 1;
    /// `to` is loaded from the literal pool.
    pub const LTO: u8 = 2;
    /// A multi-instruction sequence that does not use REGTMP.
    pub const NOTUSETMP: u8 = 4;
    /// A 14-bit branch displacement (TBZ).
    pub const BRANCH14: u8 = 8;
    /// A 19-bit branch displacement (B.cond, CBZ).
    pub const BRANCH19: u8 = 16;
}

/// Whether an operand of class `have` fits a row asking for `want`.
pub fn fits(want: u8, have: u8) -> bool {
    COVER.get(want as usize).is_some_and(|m| m >> have & 1 != 0)
}

/// The rows of an opcode, in lookup order.
pub fn rows_of(op: u16) -> &'static [Row] {
    match RANGES.binary_search_by_key(&op, |r| r.0) {
        Ok(i) => {
            let (_, start, n) = RANGES[i];
            &ROWS[start as usize..start as usize + n as usize]
        }
        Err(_) => &[],
    }
}

/// Slots of the lookup cache, as a power of two. 4096 slots left about
/// as many misses from collisions as from new keys on a large input
/// (arm64enc.s: ~1500 keys); a miss costs a row scan of ~400 instructions.
const CACHE_BITS: u32 = 14;
const CACHE_SLOTS: usize = 1 << CACHE_BITS;

/// A lookup cache: slot `s` is the key at `2s` and row + 1 at `2s + 1`
/// (0: empty). Plain `u64`s, so a fresh cache is zeroed memory the system
/// hands out lazily: a small input touches a few of its pages.
type Slots = [Cell<u64>; 2 * CACHE_SLOTS];

thread_local! {
    /// Recent lookups, direct-mapped by a hash of the packed key: code
    /// repeats its operand forms, and a row scan costs a few hundred
    /// instructions. The slots are allocated on a thread's first miss and
    /// live as long as the program (one per assembling thread); a `Copy`
    /// const-initialised cell needs neither a lazy-init check nor a
    /// destructor registration on the hit path.
    static CACHE: Cell<Option<&'static Slots>> = const { Cell::new(None) };
}

/// The index (into the generated table) of the first fitting row.
pub fn lookup(op: u16, cls: [u8; 5], scond: u8) -> Option<usize> {
    let key = u64::from(u32::from_le_bytes([cls[0], cls[1], cls[2], cls[3]]))
        | u64::from(cls[4]) << 32
        | u64::from(scond) << 40
        | u64::from(op) << 48;
    let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - CACHE_BITS)) as usize;
    let slots = CACHE.with(Cell::get);
    match slots.map(|s| (s[2 * slot].get(), s[2 * slot + 1].get())) {
        Some((k, v)) if k == key && v != 0 => Some(v as usize - 1),
        _ => miss(op, cls, scond, key, slot),
    }
}

/// The cache-miss path, kept out of line so the hit path stays short.
#[cold]
#[inline(never)]
fn miss(op: u16, cls: [u8; 5], scond: u8, key: u64, slot: usize) -> Option<usize> {
    let found = scan(op, cls, scond);
    if let Some(i) = found {
        let slots = CACHE.with(|c| {
            *c.get().get_or_insert_with(|| {
                let fresh: &'static mut [u64] = Box::leak(vec![0u64; 2 * CACHE_SLOTS].into_boxed_slice());
                let leaked: &'static Slots =
                    Cell::from_mut(fresh).as_slice_of_cells().try_into().expect("2 * CACHE_SLOTS words");
                c.set(Some(leaked));
                leaked
            })
        });
        slots[2 * slot].set(key);
        slots[2 * slot + 1].set(i as u64 + 1);
    }
    found
}

/// The first fitting row, by a scan of the opcode's rows.
fn scan(op: u16, cls: [u8; 5], scond: u8) -> Option<usize> {
    let rows = rows_of(op);
    let base = rows.as_ptr() as usize;
    rows.iter()
        .position(|r| (0..5).all(|i| fits(r.a[i], cls[i])) && r.scond == scond)
        .map(|i| (base - ROWS.as_ptr() as usize) / std::mem::size_of::<Row>() + i)
}

/// A base instruction word from one of the generated per-family tables.
pub fn word(table: &[(u16, u32)], op: u16) -> Option<u32> {
    table.binary_search_by_key(&op, |e| e.0).ok().map(|i| table[i].1)
}
