//! Interned names. Identifiers are interned once and compared as integers;
//! the text lives for the whole process (names are few and small).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// An interned string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(u32);

struct Interner {
    map: HashMap<&'static str, Name>,
    strs: Vec<&'static str>,
}

fn interner() -> &'static Mutex<Interner> {
    static I: OnceLock<Mutex<Interner>> = OnceLock::new();
    I.get_or_init(|| Mutex::new(Interner { map: HashMap::new(), strs: Vec::new() }))
}

impl Name {
    pub fn new(s: &str) -> Name {
        let mut i = interner().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&n) = i.map.get(s) {
            return n;
        }
        let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
        let n = Name(i.strs.len() as u32);
        i.strs.push(leaked);
        i.map.insert(leaked, n);
        n
    }
    pub fn as_str(self) -> &'static str {
        let i = interner().lock().unwrap_or_else(|e| e.into_inner());
        i.strs[self.0 as usize]
    }
    pub fn index(self) -> u32 {
        self.0
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
    fn interning_is_stable() {
        let a = Name::new("runtime.exit");
        assert_eq!(a, Name::new("runtime.exit"));
        assert_ne!(a, Name::new("runtime.exit2"));
        assert_eq!(a.as_str(), "runtime.exit");
    }
}
