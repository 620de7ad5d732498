//! Interned names. Identifiers are interned once and compared as integers;
//! the text lives for the whole process (names are few and small). One
//! global table numbers the names; each thread reads a copy of it without
//! locking and takes the lock only for a name it has not seen.

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
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
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
    strs: Vec<&'static str>,
}

fn interner() -> &'static Mutex<Interner> {
    static I: OnceLock<Mutex<Interner>> = OnceLock::new();
    I.get_or_init(|| Mutex::new(Interner { map: HashMap::default(), strs: Vec::new() }))
}

thread_local! {
    /// This thread's copy of a prefix of the global table: the hot path
    /// (every identifier token, every `as_str`) takes no lock.
    static LOCAL: RefCell<Interner> = RefCell::new(Interner { map: HashMap::default(), strs: Vec::new() });
}

impl Interner {
    /// Copies the names the global table gained since the last sync.
    fn sync(&mut self, global: &Interner) {
        for &s in &global.strs[self.strs.len()..] {
            self.map.insert(s, Name(self.strs.len() as u32));
            self.strs.push(s);
        }
    }
}

impl Name {
    pub fn new(s: &str) -> Name {
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            if let Some(&n) = l.map.get(s) {
                return n;
            }
            let mut g = interner().lock().unwrap_or_else(|e| e.into_inner());
            if !g.map.contains_key(s) {
                let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
                let n = Name(g.strs.len() as u32);
                g.strs.push(leaked);
                g.map.insert(leaked, n);
            }
            l.sync(&g);
            l.map[s]
        })
    }
    pub fn as_str(self) -> &'static str {
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            if let Some(&s) = l.strs.get(self.0 as usize) {
                return s;
            }
            let g = interner().lock().unwrap_or_else(|e| e.into_inner());
            l.sync(&g);
            l.strs[self.0 as usize]
        })
    }
    pub fn index(self) -> u32 {
        self.0
    }
}

/// A direct-mapped cache in front of [`Name::new`] for a hot caller (the
/// lexer): a hit costs one short hash and one compare, no thread-local
/// table. Names are process-wide, so an entry never goes stale.
#[derive(Default)]
pub struct NameCache {
    slots: Vec<(&'static str, Name)>,
}

impl NameCache {
    const BITS: u32 = 9;
    const EMPTY: Name = Name(u32::MAX);

    pub fn new() -> NameCache {
        NameCache::default()
    }

    /// `Name::new(s)`.
    #[inline]
    pub fn get(&mut self, s: &str) -> Name {
        use std::hash::Hasher;
        if self.slots.is_empty() {
            self.slots = vec![("", Self::EMPTY); 1 << Self::BITS];
        }
        let mut h = FxHasher::default();
        h.write(s.as_bytes());
        h.write_usize(s.len());
        let e = &mut self.slots[(h.finish() >> (64 - Self::BITS)) as usize];
        if e.1 != Self::EMPTY && e.0 == s {
            return e.1;
        }
        let n = Name::new(s);
        *e = (n.as_str(), n);
        n
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
    fn interning_is_stable() {
        let a = Name::new("runtime.exit");
        assert_eq!(a, Name::new("runtime.exit"));
        assert_ne!(a, Name::new("runtime.exit2"));
        assert_eq!(a.as_str(), "runtime.exit");
    }
}
