//! Snapshot tests of rendered diagnostics: the whole pipeline in memory
//! (preprocess, parse, lower, backend with the accepted-forms notes), then
//! the plain rendering and the codespan snippet rendering, compared with
//! the exact text a user sees.

use arch_tables::GoArch;
use asm_lexer::pp::{PpConfig, Preprocessor};
use asm_lexer::{Diags, SourceMap};
use codespan_reporting::term::termcolor;
use obj::Module;

use crate::render;

/// Assembles `src` (named `t.s`) for `arch` and renders every diagnostic:
/// (plain text, snippets).
fn diagnose(arch: GoArch, src: &str) -> (String, String) {
    let mut sm = SourceMap::new();
    let id = sm.add("t.s", None, src.to_string()).unwrap();
    let mut pp = Preprocessor::new(sm, PpConfig::default(), id);
    let mut module = Module::new(arch);
    let mut diags = Diags::new(Some(10));
    let opts = asm_parser::Options::default();
    asm_parser::assemble_file(&mut pp, arch_tables::spec(arch, false), &mut module, 0, &opts, &mut diags);
    let sources = pp.into_sources();
    if !diags.has_errors() {
        let first = diags.list.len();
        let backend = obj::backend(arch);
        backend.assemble(&mut module, &obj::Ctxt::default(), &mut diags);
        crate::add_accepted_forms(backend, &module, &mut diags.list[first..]);
    }
    let plain: String = diags.list.iter().map(|d| render::plain(&sources, d)).collect();
    let mut buf = termcolor::Buffer::no_color();
    render::emit_snippets(&mut buf, &sources, &diags.list);
    (plain, String::from_utf8(buf.into_inner()).unwrap())
}

#[track_caller]
fn snap(got: &str, want: &str) {
    assert!(got == want, "rendered:\n{got}\n--- want:\n{want}\n--- (rendered {got:?})");
}

#[test]
fn register_typo_caret_under_the_operand() {
    let (plain, snip) = diagnose(GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ $1, RAX\n\tRET\n");
    snap(&plain, "t.s:2:11: error: illegal or missing addressing mode for symbol RAX\n\tnote: did you mean the register `AX`?\n");
    snap(
        &snip,
        "t.s:2:11: error: illegal or missing addressing mode for symbol RAX
  ┌─ t.s:2:11
  │
2 │     MOVQ $1, RAX
  │              ^^^
  │
  = did you mean the register `AX`?

",
    );
}

#[test]
fn mnemonic_typo_did_you_mean() {
    let (plain, snip) = diagnose(GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQQ $1, AX\n");
    snap(&plain, "t.s:2:2: error: unrecognized instruction \"MOVQQ\"\n\tnote: did you mean `MOVQ`?\n");
    snap(
        &snip,
        "t.s:2:2: error: unrecognized instruction \"MOVQQ\"
  ┌─ t.s:2:2
  │
2 │     MOVQQ $1, AX
  │     ^^^^^
  │
  = did you mean `MOVQ`?

",
    );
}

#[test]
fn no_form_lists_the_accepted_forms() {
    let (plain, snip) = diagnose(GoArch::Amd64, "TEXT f(SB), $0\n\tADDQ X1, AX\n\tRET\n");
    snap(
        &plain,
        "t.s:2:2: error: f: invalid instruction: ADDQ: no form of ADDQ takes these operands
\tnote: the accepted forms are:
\t\tADDQ $imm8, r64/m64
\t\tADDQ $imm32, AX
\t\tADDQ $imm32, r64/m64
\t\tADDQ r64, r64/m64
\t\tADDQ r64/m64, r64
",
    );
    snap(
        &snip,
        "t.s:2:2: error: f: invalid instruction: ADDQ: no form of ADDQ takes these operands
  ┌─ t.s:2:2
  │
2 │     ADDQ X1, AX
  │     ^^^^^^^^^^^
  │
  = the accepted forms are:
    ADDQ $imm8, r64/m64
    ADDQ $imm32, AX
    ADDQ $imm32, r64/m64
    ADDQ r64, r64/m64
    ADDQ r64/m64, r64

",
    );
    // A long list is cut.
    let (plain, _) = diagnose(GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ X1, K1\n\tRET\n");
    assert!(plain.contains("\n\t\t... and 23 more\n"), "{plain}");
}

#[test]
fn macro_expansion_points_at_the_definition() {
    let (plain, snip) = diagnose(GoArch::Amd64, "#define LOAD(r) MOVQ $1, r\nTEXT f(SB), $0\n\tLOAD(RBX)\n\tRET\n");
    snap(
        &plain,
        "t.s:3:2: error: illegal or missing addressing mode for symbol RBX
t.s:1:9: note: in the expansion of the macro defined here
\tnote: did you mean the register `BX`?
",
    );
    snap(
        &snip,
        "t.s:3:2: error: illegal or missing addressing mode for symbol RBX
  ┌─ t.s:3:2
  │
1 │ #define LOAD(r) MOVQ $1, r
  │         ---- in the expansion of the macro defined here
2 │ TEXT f(SB), $0
3 │     LOAD(RBX)
  │     ^^^^^^^^^
  │
  = did you mean the register `BX`?

",
    );
}

#[test]
fn every_error_of_a_file_once() {
    let (plain, snip) = diagnose(
        GoArch::Arm64,
        "TEXT f(SB), $0\n\tMOVD $1, BADREG\n\tBOGUS\n\tMOVD $(1/0), R1\n\tB nowhere\n\tRET\n",
    );
    snap(
        &plain,
        "t.s:2:11: error: illegal or missing addressing mode for symbol BADREG
\tnote: a symbol needs a base register: `BADREG(SB)`
t.s:3:2: error: unrecognized instruction \"BOGUS\"
t.s:4:10: error: division by zero
t.s:7:1: error: undefined label nowhere
t.s:5:2: note: referenced here
",
    );
    snap(
        &snip,
        "t.s:2:11: error: illegal or missing addressing mode for symbol BADREG
  ┌─ t.s:2:11
  │
2 │     MOVD $1, BADREG
  │              ^^^^^^
  │
  = a symbol needs a base register: `BADREG(SB)`

t.s:3:2: error: unrecognized instruction \"BOGUS\"
  ┌─ t.s:3:2
  │
3 │     BOGUS
  │     ^^^^^

t.s:4:10: error: division by zero
  ┌─ t.s:4:10
  │
4 │     MOVD $(1/0), R1
  │             ^

t.s:7:1: error: undefined label nowhere
  ┌─ t.s:7:1
  │
5 │     B nowhere
  │     --------- referenced here
6 │     RET
7 │ 
  │ ^

",
    );
}

#[test]
fn backend_error_underlines_the_statement() {
    let (plain, _) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tADD $1, R1, (R2)\n\tRET\n");
    snap(&plain, "t.s:2:2: error: illegal combination: ADD C_ABCON0 C_REG C_NONE C_ZOREG C_NONE (no ADD form takes these operands)\n");
}

const CASES: &[(&str, GoArch, &str)] = &[
    ("register_typo", GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ $1, RAX\n\tRET\n"),
    ("mnemonic_typo", GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQQ $1, AX\n"),
    ("no_form", GoArch::Amd64, "TEXT f(SB), $0\n\tADDQ X1, AX\n\tRET\n"),
    ("macro", GoArch::Amd64, "#define LOAD(r) MOVQ $1, r\nTEXT f(SB), $0\n\tLOAD(RBX)\n\tRET\n"),
    ("all_errors", GoArch::Arm64, "TEXT f(SB), $0\n\tMOVD $1, BADREG\n\tBOGUS\n\tMOVD $(1/0), R1\n\tB nowhere\n\tRET\n"),
    ("operand_caret", GoArch::Arm64, "TEXT f(SB), $0\n\tADD $1, R1, (R2)\n\tRET\n"),
];

#[test]
#[ignore = "prints the snapshots, to update them"]
fn print_snapshots() {
    for (name, arch, src) in CASES {
        let (plain, snip) = diagnose(*arch, src);
        println!("=== {name} plain\n{plain}=== {name} snippet\n{snip}");
    }
}
