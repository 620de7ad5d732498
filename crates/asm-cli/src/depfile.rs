//! Make dependency files (`-MD`, `-MF`, `-MP`), as `gcc -MD -MP` writes them:
//! the object depends on every input file and every `#include`d file
//! (built-in headers such as `textflag.h` are not files and are left out);
//! with `-MP` each included file also gets an empty phony rule, so make does
//! not fail when a header is deleted.

use std::path::{Path, PathBuf};

/// Escapes a path for a make rule: spaces and `#` with a backslash, `$` doubled.
fn escape(p: &Path) -> String {
    let mut out = String::new();
    for c in p.to_string_lossy().chars() {
        match c {
            ' ' | '\t' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

/// The dependency file's text.
pub fn render(object: &Path, inputs: &[PathBuf], included: &[PathBuf], phony: bool) -> String {
    let mut deps: Vec<&PathBuf> = Vec::new();
    for p in inputs.iter().chain(included) {
        if !deps.contains(&p) {
            deps.push(p);
        }
    }
    let mut out = format!("{}:", escape(object));
    for d in &deps {
        out.push_str(" \\\n  ");
        out.push_str(&escape(d));
    }
    out.push('\n');
    if phony {
        for d in deps.iter().filter(|d| !inputs.contains(d)) {
            out.push_str(&format!("\n{}:\n", escape(d)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_and_phony_targets() {
        let text = render(
            Path::new("out/a b.o"),
            &[PathBuf::from("a.s")],
            &[PathBuf::from("inc/x$.h"), PathBuf::from("a.s")],
            true,
        );
        assert_eq!(text, "out/a\\ b.o: \\\n  a.s \\\n  inc/x$$.h\n\ninc/x$$.h:\n");
        let text = render(Path::new("a.o"), &[PathBuf::from("a.s")], &[], false);
        assert_eq!(text, "a.o: \\\n  a.s\n");
    }
}
