//! goasm: Go's assembler as a standalone tool writing native object files.
//!
//! The pipeline: source → tokens → preprocessed tokens (asm-lexer) →
//! statements → obj program (asm-parser) → arch passes and encoding
//! (obj backend) → sections, symbols, relocations → object file (obj::write).

mod args;
mod debuginfo;
mod depfile;
mod listing;
mod output;
mod pipe;
mod render;
#[cfg(test)]
mod snapshots;
mod stream;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use arch_tables::GoArch;
use asm_lexer::pp::{PpConfig, Preprocessor};
use asm_lexer::{Diag, Diags, SourceMap};
use clap::Parser;
use obj::{GoOs, Module, Target};

use args::Args;

/// Exit status for bad usage, as Go's flag package uses.
const USAGE: u8 = 2;

/// Runs goasm, and turns a panic (a bug) into `goasm: internal error: ...`
/// with exit status 1: never an abort.
///
/// On the main thread: a thread for the whole run cost more than the run on
/// a small file (its start, and waking the waiting main thread at its end,
/// each wait for a CPU on a busy machine). Its large stack is not needed:
/// the parser bounds nesting at [`asm_parser::MAX_NESTING`], which takes
/// under 0.5 MiB of the main thread's 8 MiB (release build).
fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        // Not eprintln!: a closed stderr must not panic inside the hook.
        let _ = writeln!(std::io::stderr(), "goasm: internal error: {msg}{at} (a bug in goasm: please report it with the input)");
    }));
    std::panic::catch_unwind(main_inner).unwrap_or_else(|_| ExitCode::from(1))
}

fn main_inner() -> ExitCode {
    if std::env::var_os("GOASM_TEST_PANIC").is_some() {
        panic!("GOASM_TEST_PANIC is set");
    }
    let raw: Vec<String> = std::env::args().collect();
    let raw = match args::expand_response_files(raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("goasm: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let args = match Args::try_parse_from(args::normalize(raw)) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if args.out.version {
        println!("goasm version {} (Go 1.27.3 assembler syntax)", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("goasm: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// An error in how goasm was called (exit status 2).
#[derive(Debug)]
struct UsageError(String);
impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for UsageError {}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow!(UsageError(msg.into()))
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Runs one assembly. `Ok(false)` means errors were reported.
fn run(args: &Args) -> Result<bool> {
    if args.files.is_empty() {
        return Err(usage("no input files (usage: goasm [flags] file.s...)"));
    }
    if args.output.is_none() && args.files.len() > 1 && !args.build.syntax_only {
        return Err(usage("-o is required with more than one input file"));
    }
    let arch: GoArch = match args.build.arch.clone().or_else(|| env_nonempty("GOARCH")) {
        Some(a) => a.parse().map_err(usage)?,
        None => obj::host_arch(),
    };
    let os: GoOs = match args.build.os.clone().or_else(|| env_nonempty("GOOS")) {
        Some(o) => o.parse().map_err(usage)?,
        None => GoOs::host(),
    };
    if let Some(sp) = &args.code.spectre {
        for s in sp.split(',').filter(|s| !s.is_empty()) {
            if !matches!(s, "all" | "ret" | "index") {
                return Err(usage(format!("unknown setting -spectre={s}")));
            }
        }
    }
    let mut defines = Vec::new();
    for d in &args.define {
        let (name, value) = match d.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (d.clone(), None),
        };
        let ok = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !ok {
            return Err(usage(format!("parsing -D: {name:?} is not a valid identifier name")));
        }
        defines.push((name, value));
    }
    let output = match &args.output {
        Some(o) => o.clone(),
        None => default_output(&args.files[0]),
    };
    for f in &args.files {
        if same_file(f, &output) {
            bail!("output file {} is the input file", output.display());
        }
    }

    let env = |k: &str| std::env::var(k).ok();
    let predefines = asm_lexer::pp::go_build_predefines(os.name(), arch.name(), &env);
    let spec = arch_tables::spec(arch, args.code.shared);
    let opts = asm_parser::Options {
        pkg: args.pkg.clone(),
        compiling_runtime: args.build.compiling_runtime,
        shared: args.code.shared,
        dynlink: args.code.dynlink,
        debug: args.code.debug,
    };
    let ctxt = obj::Ctxt {
        goos: os,
        shared: args.code.shared,
        dynlink: args.code.dynlink,
        spectre_ret: args.code.spectre.as_deref().is_some_and(|s| s.split(',').any(|x| x == "ret" || x == "all")),
        compiling_runtime: args.build.compiling_runtime,
        nosplit_all: args.code.nosplit_all,
        discard_progs: args.listing == 0,
    };
    let inputs = Inputs { args, arch, spec, opts: &opts, ctxt: &ctxt, predefines: &predefines, defines: &defines };
    let forced = env_nonempty("GOASM_PIPELINE").map(|v| v != "0");
    let Assembled { module, diags, mut sources, included } = match assemble(&inputs, forced) {
        Some(a) => a,
        None => assemble(&inputs, Some(false)).expect("one thread always finishes"),
    };
    let ok = !diags.has_errors();
    report(&sources, &diags);
    if !ok || args.build.syntax_only {
        return Ok(ok);
    }
    if args.listing > 0 {
        print!("{}", listing::render(&module, &sources, spec, args.trimpath.as_deref()));
    }
    // Nothing is quoted from the source any more: the line tables suffice.
    sources.drop_texts();
    let mut target = Target::new(arch, os);
    target.soft_float = arch == GoArch::Arm
        && env_nonempty("GOARM").is_some_and(|v| v.contains("softfloat") || v.starts_with('5'));
    let mut write_opts = obj::WriteOptions::default();
    if !args.out.no_dwarf {
        write_opts.debug = Some(debuginfo::lines(&module, &sources, &args.files, args.trimpath.as_deref()));
    }
    let bytes = obj::write_object_with(&module, &target, &write_opts).map_err(|e| anyhow!(e))?;
    let dep = if args.out.dep_file || args.out.dep_file_name.is_some() {
        let path = args.out.dep_file_name.clone().unwrap_or_else(|| output.with_extension("d"));
        Some((path, depfile::render(&output, &args.files, &included, args.out.dep_phony)))
    } else {
        None
    };
    output::write_atomically(&output, &bytes).map_err(|e| anyhow!(e)).context("writing the object file")?;
    if let Some((path, text)) = dep {
        output::write_atomically(&path, text.as_bytes()).map_err(|e| anyhow!(e)).context("writing the dependency file")?;
    }
    Ok(true)
}

/// What [`assemble`] works from.
struct Inputs<'a> {
    args: &'a Args,
    arch: GoArch,
    spec: &'static arch_tables::ArchSpec,
    opts: &'a asm_parser::Options,
    ctxt: &'a obj::Ctxt,
    predefines: &'a [(String, String)],
    defines: &'a [(String, Option<String>)],
}

/// What assembling the inputs leaves for the output.
struct Assembled {
    module: Module,
    diags: Diags,
    sources: SourceMap,
    included: Vec<PathBuf>,
}

/// Preprocesses, parses, lowers and encodes the input files. `pipe`: put
/// the preprocessor on a thread of its own ([`pipe`]) always or never;
/// `None`: for large inputs (never with `-debug`, whose listing quotes the
/// sources). `None` back when the preprocessor's thread could not start or
/// a diagnostic stopped the work (then the caller assembles again, on one
/// thread).
fn assemble(inp: &Inputs<'_>, pipe: Option<bool>) -> Option<Assembled> {
    let args = inp.args;
    let mut diags = Diags::new(if args.all_errors { None } else { Some(10) });
    let mut sources = SourceMap::new();
    let mut module = Module::new(inp.arch);
    let mut included: Vec<PathBuf> = Vec::new();
    let mut encoder = stream::FuncEncoder::new(obj::backend(inp.arch), inp.ctxt, args.listing == 0, !args.build.syntax_only, diags.limit);
    for (i, file) in args.files.iter().enumerate() {
        let id = match asm_lexer::pp::load_file(&mut sources, file) {
            Ok(id) => id,
            Err(e) => {
                diags.push(Diag::error(None, e));
                break;
            }
        };
        let cfg = PpConfig { include_dirs: args.include.clone(), predefines: inp.predefines.to_vec(), defines: inp.defines.to_vec() };
        let mut ended = |m: &mut Module, fi: usize, d: &Diags| encoder.func_ended(m, fi, d);
        let threaded = !args.code.debug && pipe.unwrap_or(sources.file(id).text.len() >= pipe::MIN_BYTES);
        if threaded {
            let out = pipe::assemble_file(sources, cfg, id, |src| {
                asm_parser::assemble_file_with(src, inp.spec, &mut module, i as u32, inp.opts, &mut diags, &mut ended)
            })
            .ok()?;
            if !out.finished {
                return None;
            }
            sources = out.sources;
            included.extend(out.included);
        } else {
            let mut pp = Preprocessor::new(sources, cfg, id);
            asm_parser::assemble_file_with(&mut pp, inp.spec, &mut module, i as u32, inp.opts, &mut diags, &mut ended);
            included.extend(pp.included_paths().iter().cloned());
            sources = pp.into_sources();
        }
        if diags.too_many() {
            break;
        }
    }
    encoder.finish(&mut module, &mut diags);
    Some(Assembled { module, diags, sources, included })
}

/// Most forms listed under one error.
const MAX_FORMS: usize = 16;

/// Under each error of the backend: the caret moved to the operand it is
/// about, when the backend can tell (see [`render::mark_operand`]); and
/// under each "no form takes these operands" error, the forms the mnemonic
/// does accept (from the backend's tables).
fn add_accepted_forms(backend: &dyn obj::Backend, module: &Module, diags: &mut [Diag]) {
    for d in diags {
        let Some(span) = d.span else { continue };
        let Some(p) = module.funcs.iter().flat_map(|f| f.progs.iter()).find(|p| p.span.lo == span.lo) else { continue };
        if let Some((i, n)) = backend.error_operand(p, &d.message).and_then(|o| asm_parser::placement::written_operand(module.arch.family(), p, o)) {
            render::mark_operand(d, i, n);
        }
        let m = &d.message;
        if !(m.contains("invalid instruction") || m.contains("illegal combination")) {
            continue;
        }
        let forms = backend.accepted_forms(p.op);
        if forms.is_empty() {
            continue;
        }
        let mut note = String::from("the accepted forms are:");
        for f in forms.iter().take(MAX_FORMS) {
            note.push('\n');
            note.push_str(f);
        }
        if forms.len() > MAX_FORMS {
            note.push_str(&format!("\n... and {} more", forms.len() - MAX_FORMS));
        }
        d.notes.push(note);
    }
}

fn report(sources: &SourceMap, diags: &Diags) {
    let terminal = std::io::stderr().is_terminal();
    render::emit_all(sources, &diags.list, terminal);
    if diags.too_many() {
        eprintln!("goasm: too many errors (use -e to see them all)");
    }
}

/// `foo.s` → `foo.o` in the current directory, as Go does.
fn default_output(input: &Path) -> PathBuf {
    let base = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = base.strip_suffix(".s").unwrap_or(&base);
    PathBuf::from(format!("{stem}.o"))
}

/// Whether two paths name the same file (through links); false when either is missing.
fn same_file(a: &Path, b: &Path) -> bool {
    // Device and inode: two stats, where resolving both paths costs a
    // readlink per path component.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
