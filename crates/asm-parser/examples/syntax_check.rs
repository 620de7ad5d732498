//! Parses and lowers assembly files, printing every diagnostic as
//! `file:line:col: message`. A development aid for measuring syntax coverage:
//!
//! `syntax_check -arch arm64 [-p pkg] [-I dir]... [-D name[=v]]... [-shared] file.s...`

use std::path::PathBuf;

use arch_tables::GoArch;
use asm_lexer::{Diags, PpConfig, Preprocessor, SourceMap};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut arch = GoArch::Amd64;
    let mut cfg = PpConfig::default();
    let mut opts = asm_parser::Options::default();
    let mut files = Vec::new();
    let mut env_experiment = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-arch" => arch = args.next().unwrap().parse().unwrap(),
            "-p" => opts.pkg = args.next(),
            "-I" => cfg.include_dirs.push(PathBuf::from(args.next().unwrap())),
            "-D" => {
                let d = args.next().unwrap();
                let (k, v) = match d.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (d, None),
                };
                cfg.defines.push((k, v));
            }
            "-shared" => opts.shared = true,
            "-dynlink" => opts.dynlink = true,
            "-compiling-runtime" => opts.compiling_runtime = true,
            "-experiment" => env_experiment = args.next(),
            _ => files.push(a),
        }
    }
    let env = move |k: &str| if k == "GOEXPERIMENT" { env_experiment.clone() } else { std::env::var(k).ok() };
    cfg.predefines = asm_lexer::go_build_predefines("linux", arch.name(), &env);
    let spec = arch_tables::spec(arch, opts.shared);
    let mut failed = 0;
    for (i, f) in files.iter().enumerate() {
        let mut sm = SourceMap::new();
        let id = match asm_lexer::load_file(&mut sm, std::path::Path::new(f)) {
            Ok(id) => id,
            Err(e) => {
                println!("{f}: {e}");
                failed += 1;
                continue;
            }
        };
        let mut pp = Preprocessor::new(sm, cfg.clone(), id);
        let mut m = obj::Module::new(arch);
        let mut d = Diags::new(None);
        asm_parser::assemble_file(&mut pp, spec, &mut m, i as u32, &opts, &mut d);
        if d.has_errors() {
            failed += 1;
        }
        for diag in &d.list {
            let loc = diag.span.and_then(|s| pp.sources().locate(s.lo));
            match loc {
                Some(l) => println!("{}:{}:{}: {}", l.name, l.line, l.col, diag.message),
                None => println!("{f}: {}", diag.message),
            }
        }
    }
    eprintln!("{} files, {} with errors", files.len(), failed);
    std::process::exit(i32::from(failed > 0));
}
