//! Interned names. Identifiers are interned once and compared as integers;
//! the text lives for the whole process (names are few and small). One
//! global table numbers the names, behind a lock taken only for a name the
//! thread has not looked up before; a name's text is read without locking.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// An interned string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(u32);

/// A fast non-cryptographic hasher (the Fx multiply-rotate scheme) for the
/// interner and for maps keyed by [`Name`]; inputs are not attacker-chosen
/// in ways that matter (a hostile file can only slow its own assembly).
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

const FX_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_K);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The last bytes as a zero-padded little-endian word (a short
            // loop, not a call to memcpy).
            let w = rest.iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c));
            self.add(w);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The process-wide table: the truth, behind a lock.
struct Interner {
    map: HashMap<&'static str, Name, FxBuild>,
    len: u32,
}

fn interner() -> &'static Mutex<Interner> {
    static I: OnceLock<Mutex<Interner>> = OnceLock::new();
    // Starts empty and grows: a tiny file's start-up should not fault in a
    // big table's pages.
    I.get_or_init(|| Mutex::new(Interner { map: HashMap::default(), len: 0 }))
}

/// Every name's text by index, readable without a lock (`as_str` is hot):
/// chunk `k` holds `256 << k` names (a first chunk of one page), set once
/// each under the interner's lock.
static TEXTS: [OnceLock<Box<[OnceLock<&'static str>]>>; 32] = [const { OnceLock::new() }; 32];

/// The chunk of [`TEXTS`] holding name `i`, and its place there.
#[inline]
fn text_slot(i: u32) -> (usize, usize) {
    const BASE_BITS: u32 = 8;
    let j = (u64::from(i) >> BASE_BITS) + 1;
    let k = 63 - j.leading_zeros();
    let start = ((1u64 << k) - 1) << BASE_BITS;
    (k as usize, (u64::from(i) - start) as usize)
}

thread_local! {
    /// Names this thread has looked up: the hot path of [`Name::new`]
    /// takes no lock.
    static LOCAL: RefCell<HashMap<&'static str, Name, FxBuild>> = RefCell::new(HashMap::default());
}

impl Interner {
    fn intern(&mut self, s: &str) -> Name {
        if let Some(&n) = self.map.get(s) {
            return n;
        }
        let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
        let n = Name(self.len);
        self.len = self.len.checked_add(1).expect("fewer than 2^32 names");
        let (k, at) = text_slot(n.0);
        let chunk = TEXTS[k].get_or_init(|| (0..256usize << k).map(|_| OnceLock::new()).collect());
        chunk[at].set(leaked).expect("each name is numbered once");
        self.map.insert(leaked, n);
        n
    }
}

impl Name {
    pub fn new(s: &str) -> Name {
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            if let Some(&n) = l.get(s) {
                return n;
            }
            let n = interner().lock().unwrap_or_else(|e| e.into_inner()).intern(s);
            l.insert(n.as_str(), n);
            n
        })
    }
    #[inline]
    pub fn as_str(self) -> &'static str {
        let (k, at) = text_slot(self.0);
        TEXTS[k].get().and_then(|c| c[at].get()).expect("names are made by interning")
    }
    pub fn index(self) -> u32 {
        self.0
    }
}

/// The lexer's own name table in front of [`Name::new`]: an open-addressing
/// table of every name this lexer has seen, so that a repeated name costs
/// one word hash and one or two word compares, with no thread-local access.
/// Names are process-wide, so an entry never goes stale.
pub struct NameCache {
    /// A power of two in length, at most half full.
    slots: Box<[Slot]>,
    len: usize,
}

#[derive(Clone, Copy)]
struct Slot {
    /// The first (up to) 8 bytes of the text, little-endian, zero-padded.
    head: u64,
    /// Text length plus one; 0 marks an empty slot.
    len1: u32,
    name: Name,
    text: &'static str,
}

const EMPTY_SLOT: Slot = Slot { head: 0, len1: 0, name: Name(u32::MAX), text: "" };

impl Default for NameCache {
    fn default() -> Self {
        NameCache::new()
    }
}

impl NameCache {
    /// Room for this many names before the table first grows: small, as a
    /// tiny file pays a page fault for each page of slots it touches, and a
    /// big file's few doublings are cheap.
    const INITIAL: usize = 256;

    pub fn new() -> NameCache {
        NameCache { slots: vec![EMPTY_SLOT; Self::INITIAL].into_boxed_slice(), len: 0 }
    }

    /// `Name::new(s)`.
    #[inline]
    pub fn get(&mut self, s: &str) -> Name {
        self.find(s)
    }

    /// `Name::new(&src[lo..hi])`. With the text around the name at hand, a
    /// short name's first word is one load, and a short name seen before is
    /// found here, inline.
    #[inline(always)]
    pub fn get_in(&mut self, src: &str, lo: usize, hi: usize) -> Name {
        let len = hi.wrapping_sub(lo);
        if (1..=8).contains(&len) {
            if let Some(w) = src.as_bytes().get(lo..).and_then(<[u8]>::first_chunk::<8>) {
                let head = u64::from_le_bytes(*w) & (u64::MAX >> (64 - 8 * len));
                let e = &self.slots[self.slot_of(hash(head, 0))];
                if e.len1 == len as u32 + 1 && e.head == head {
                    return e.name;
                }
            }
        }
        self.find(&src[lo..hi])
    }

    /// The first slot to probe for a hash: its top bits, the best mixed.
    #[inline]
    fn slot_of(&self, h: u64) -> usize {
        (h >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// `Name::new(s)`, probing the table in full.
    #[inline(never)]
    fn find(&mut self, s: &str) -> Name {
        let b = s.as_bytes();
        let (head, tail) = words(b);
        let mut i = self.slot_of(hash(head, tail));
        let len1 = b.len() as u32 + 1;
        loop {
            let e = &self.slots[i];
            // Head, tail and length are all of a name of up to 16 bytes.
            if e.len1 == len1 && e.head == head && (len1 <= 9 || (words(e.text.as_bytes()).1 == tail && (len1 <= 17 || e.text == s))) {
                return e.name;
            }
            if e.len1 == 0 {
                return self.insert(i, s, head);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Interns a name not in the table yet and records it at free slot `i`.
    #[cold]
    fn insert(&mut self, i: usize, s: &str, head: u64) -> Name {
        // This table is the lexer's per-thread map: go to the global one.
        let name = interner().lock().unwrap_or_else(|e| e.into_inner()).intern(s);
        self.slots[i] = Slot { head, len1: s.len() as u32 + 1, name, text: name.as_str() };
        self.len += 1;
        if 2 * self.len > self.slots.len() {
            let grown = vec![EMPTY_SLOT; 2 * self.slots.len()].into_boxed_slice();
            let old = std::mem::replace(&mut self.slots, grown);
            self.len = 0;
            for e in old.iter().filter(|e| e.len1 != 0) {
                self.find(e.text);
            }
        }
        name
    }
}

/// The table's hash of a name's [`words`].
#[inline]
fn hash(head: u64, tail: u64) -> u64 {
    let h = head.wrapping_mul(FX_K);
    if tail == 0 {
        h
    } else {
        (h.rotate_left(5) ^ tail).wrapping_mul(FX_K)
    }
}

/// The first (up to) 8 bytes of `b` as a little-endian word, zero-padded,
/// and for a name longer than that its last 8 bytes (0 otherwise).
#[inline]
fn words(b: &[u8]) -> (u64, u64) {
    match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), if b.len() > 8 { u64::from_le_bytes(*t) } else { 0 }),
        _ => (b.iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c)), 0),
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    #[test]
    fn cache_agrees_with_new() {
        let mut c = super::NameCache::new();
        for s in ["AX", "BX", "runtime.exit", "AX", "x", "", "BX"] {
            assert_eq!(c.get(s), Name::new(s));
            assert_eq!(c.get(s).as_str(), s);
        }
    }
    #[test]
    fn table_lookups_agree_and_grow() {
        let mut c = super::NameCache::new();
        // Names of every length, read in place (a word past the end of the
        // text or not) and by value, past the point where the table grows.
        let text: String = (0..6000).map(|i| format!("n{}_{} ", i, "x".repeat(i % 19))).collect();
        let mut at = 0;
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let lo = text[at..].find(word).unwrap() + at;
            let hi = lo + word.len();
            at = hi;
            let n = c.get_in(&text, lo, hi);
            assert_eq!(n, Name::new(word));
            assert_eq!(c.get(word), n);
            assert_eq!(n.as_str(), word);
        }
        let end = text.trim_end();
        assert_eq!(c.get_in(end, end.len() - 3, end.len()), Name::new(&end[end.len() - 3..]));
    }
    #[test]
    fn interning_is_stable() {
        let a = Name::new("runtime.exit");
        assert_eq!(a, Name::new("runtime.exit"));
        assert_ne!(a, Name::new("runtime.exit2"));
        assert_eq!(a.as_str(), "runtime.exit");
    }
}
