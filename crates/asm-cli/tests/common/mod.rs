//! Helpers shared by the integration tests: a scratch directory removed on drop.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs goasm in `dir` without GOARCH/GOOS from the environment.
pub fn goasm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goasm")).current_dir(dir).args(args).env_remove("GOARCH").env_remove("GOOS").output().unwrap()
}

pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("goasm-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
    /// Writes a file (creating its directory) and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p
    }
    /// The names in a subdirectory (`"."`: the scratch directory), sorted.
    pub fn entries_in(&self, sub: &str) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(self.0.join(sub)).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }
    pub fn entries(&self) -> Vec<String> {
        self.entries_in(".")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
