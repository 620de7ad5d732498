//! goasm against Go's own listings of DATA/GLOBL files, for every GOARCH.
//! The listings in testdata/data/*.golden come from `go tool asm -S`
//! (testdata/gen-vectors.sh); this test needs no Go.

use std::path::{Path, PathBuf};
use std::process::Command;

use object::{Object, ObjectSection, ObjectSymbol};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// One symbol of a Go listing: name, size, data bytes, relocated ranges.
#[derive(Debug, Default)]
struct ListedSym {
    name: String,
    size: usize,
    bytes: Vec<u8>,
    relocs: Vec<(usize, usize)>,
}

fn parse_listing(text: &str) -> Vec<ListedSym> {
    let mut out: Vec<ListedSym> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            let cur = out.last_mut().expect("hex line before a symbol");
            if let Some(rel) = rest.strip_prefix("rel ") {
                let spec = rel.split_whitespace().next().unwrap();
                let (off, siz) = spec.split_once('+').unwrap();
                cur.relocs.push((off.parse().unwrap(), siz.parse().unwrap()));
            } else {
                // "0x0010 00 01 ..  ascii": hex pairs end at the double space.
                let hex = &rest[6..rest.len().min(6 + 16 * 3)];
                cur.bytes.extend(hex.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()));
            }
        } else {
            let name = line.split_whitespace().next().unwrap().to_string();
            let size = line.split_whitespace().find_map(|w| w.strip_prefix("size=")).unwrap().parse().unwrap();
            out.push(ListedSym { name, size, ..Default::default() });
        }
    }
    out
}

fn run_goasm(arch: &str, src: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_goasm"))
        .args(["-S", "-p", "p", "-arch", arch, "-os", "linux", "-o"])
        .arg(out)
        .arg(src)
        .env_remove("GOARCH")
        .env_remove("GOOS")
        .output()
        .unwrap()
}

#[test]
fn data_listings_and_objects_match_go() {
    let dir = repo().join("testdata/data");
    let tmp = std::env::temp_dir().join(format!("goasm-data-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut goldens: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "golden"))
        .collect();
    goldens.sort();
    assert!(goldens.len() >= 28, "expected golden listings for 14 arches, found {}", goldens.len());
    for golden in goldens {
        let fname = golden.file_name().unwrap().to_string_lossy().into_owned();
        let mut parts = fname.split('.');
        let (stem, arch) = (parts.next().unwrap(), parts.next().unwrap());
        let src = dir.join(format!("{stem}.s"));
        let obj = tmp.join(format!("{stem}.{arch}.o"));
        let want = std::fs::read_to_string(&golden).unwrap();
        let out = run_goasm(arch, &src, &obj);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if stdout != want {
            failures.push(format!("{fname}: listing differs\n--- go\n{want}--- goasm\n{stdout}--- stderr\n{}", String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        if arch == "wasm" {
            // No object format for wasm yet: a clear error, never an empty file.
            let err = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(1) || !err.contains("not supported") || obj.exists() {
                failures.push(format!("{fname}: wasm should fail clearly, got {:?} {err}", out.status));
            }
            checked += 1;
            continue;
        }
        if !out.status.success() {
            failures.push(format!("{fname}: exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        let data = std::fs::read(&obj).unwrap();
        let file = object::File::parse(&*data).unwrap();
        for sym in parse_listing(&want) {
            let Some(es) = file.symbols().find(|s| s.name() == Ok(sym.name.as_str())) else {
                failures.push(format!("{fname}: no ELF symbol {}", sym.name));
                continue;
            };
            if es.size() as usize != sym.size {
                failures.push(format!("{fname}: {} size {} != {}", sym.name, es.size(), sym.size));
            }
            let section = file.section_by_index(es.section_index().unwrap()).unwrap();
            let mut got = match section.data() {
                Ok(d) if !d.is_empty() => d[es.address() as usize - section.address() as usize..][..sym.size].to_vec(),
                _ => vec![0; sym.size], // .bss / .tbss
            };
            let mut want_bytes = sym.bytes.clone();
            want_bytes.resize(sym.size, 0);
            for &(off, siz) in &sym.relocs {
                // REL targets keep the addend in the bytes; Go's listing has zeros.
                got[off..off + siz].fill(0);
                want_bytes[off..off + siz].fill(0);
            }
            if got != want_bytes {
                failures.push(format!("{fname}: {} bytes differ\n go   {:02x?}\n ours {:02x?}", sym.name, want_bytes, got));
            }
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 100, "only {checked} symbols checked");
}
