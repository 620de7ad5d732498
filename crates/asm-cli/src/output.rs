//! Writing the object so that a failure never leaves a partial file and
//! never clobbers a good one: write a temporary file beside the target and,
//! once it is complete, put it in the target's place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    // Special files (/dev/null, /dev/full, a FIFO) cannot be renamed over: write them directly.
    if let Ok(meta) = fs::metadata(path) {
        if !meta.is_file() {
            let mut f = fs::OpenOptions::new().write(true).open(path).map_err(|e| format!("open {}: {}", path.display(), os_text(&e)))?;
            return f.write_all(bytes).and_then(|_| f.flush()).map_err(|e| format!("write {}: {}", path.display(), os_text(&e)));
        }
    }
    let tmp = dir.join(format!(".{base}.goasm-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        // One write of the whole object. No fsync: like Go's asm and GNU as,
        // durability is the build system's business; an fsync costs more than
        // assembling a small file (about 8 ms here), and the rename still
        // never exposes a partial file.
        f.write_all(bytes)?;
        drop(f);
        // Remove the old file, then rename, rather than renaming over it:
        // ext4 (auto_da_alloc) writes a file renamed over another one out to
        // disk at the rename, about 0.2 ms for a small object here and 2 ms
        // for a 3 MB one. The old file still goes only once the new one is
        // complete; a reader in between sees no file, never a partial one.
        match fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(format!("write {}: {}", path.display(), os_text(&e)));
    }
    Ok(())
}

/// An OS error as Go words it: `no space left on device`, without Rust's
/// capital letter and `(os error 28)`.
fn os_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.find(" (os error").map_or(s.as_str(), |i| &s[..i]);
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("goasm-out-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.o");
        fs::write(&p, b"old").unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "{left:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn full_device_is_an_error() {
        if Path::new("/dev/full").exists() {
            assert!(write_atomically(Path::new("/dev/full"), b"x").is_err());
        }
    }
}
