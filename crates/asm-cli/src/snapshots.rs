//! Snapshot tests of rendered diagnostics: the whole pipeline in memory
//! (preprocess, parse, lower, backend with the accepted-forms notes and
//! the operand carets), then the plain rendering and the codespan snippet
//! rendering, compared with the exact text a user sees.

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
        "t.s:2:7: error: f: invalid instruction: ADDQ: no form of ADDQ takes these operands
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
        "t.s:2:7: error: f: invalid instruction: ADDQ: no form of ADDQ takes these operands
  ┌─ t.s:2:7
  │
2 │     ADDQ X1, AX
  │          ^^
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
fn arm64_no_form_lists_the_accepted_forms() {
    let (plain, _) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tADD $1, R1, (R2)\n\tRET\n");
    snap(
        &plain,
        "t.s:2:14: error: illegal combination: ADD C_ABCON0 C_REG C_NONE C_ZOREG C_NONE (no ADD form takes these operands)
\tnote: the accepted forms are:
\t\tADD Rm, Rd
\t\tADD Rm, Rd|RSP
\t\tADD Rm, Rn, Rd
\t\tADD Rm, Rn|RSP, Rd|RSP
\t\tADD Rm<<shift, Rd
\t\tADD Rm<<shift, Rn, Rd
\t\tADD Rm.<ext><<amount, Rd|RSP
\t\tADD Rm.<ext><<amount, Rn|RSP, Rd|RSP
\t\tADD $imm64, Rd|RSP
\t\tADD $imm64, Rn|RSP, Rd|RSP
",
    );
    // Forms with a .P/.W suffix say so; a long list is cut.
    let (_, snip) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tLDP (R1), R2\n\tRET\n");
    snap(
        &snip,
        "t.s:2:12: error: illegal combination: LDP C_ZOREG C_NONE C_NONE C_REG C_NONE (no LDP form takes these operands)
  ┌─ t.s:2:12
  │
2 │     LDP (R1), R2
  │               ^^
  │
  = the accepted forms are:
    LDP x-off(SP), (Rt1, Rt2)
    LDP.P off(Rn), (Rt1, Rt2)
    LDP.W off(Rn), (Rt1, Rt2)
    LDP off(Rn), (Rt1, Rt2)
    LDP sym(SB), (Rt1, Rt2)

",
    );
    let (plain, _) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tMOVD F1, (R2)(R3)\n\tRET\n");
    assert!(plain.contains("\t\tMOVD.P Rm, off(Rn)\n") && plain.contains("\n\t\t... and 7 more\n"), "{plain}");
}

/// The first line of each rendered diagnostic.
fn headers(arch: GoArch, src: &str) -> String {
    diagnose(arch, src).0.lines().filter(|l| !l.starts_with('\t')).map(|l| format!("{l}\n")).collect()
}

#[test]
fn backend_errors_point_at_the_operand() {
    let (_, snip) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tMOVD.P 300(R1), R2\n\tRET\n");
    snap(
        &snip,
        "t.s:2:9: error: offset out of range [-256,255]
  ┌─ t.s:2:9
  │
2 │     MOVD.P 300(R1), R2
  │            ^^^^^^^

",
    );
    let (_, snip) = diagnose(GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ (SP)(SP*2), AX\n\tRET\n");
    assert!(
        snip.starts_with(
            "t.s:2:7: error: f: invalid instruction: MOVQ: no form of MOVQ takes these operands
  ┌─ t.s:2:7
  │
2 │     MOVQ (SP)(SP*2), AX
  │          ^^^^^^^^^^
"
        ),
        "{snip}"
    );
    let arm64 = |src: &str| headers(GoArch::Arm64, &format!("TEXT f(SB), $0\n{src}\n\tRET\n"));
    snap(&arm64("\tADDS $1, R1, RSP"), "t.s:2:15: error: illegal destination register\n");
    snap(&arm64("l:\tTBZ $64, R1, l"), "t.s:2:8: error: illegal bit number\n");
    snap(&arm64("\tADDW R1<<40, R2, R3"), "t.s:2:7: error: shift amount out of range 0 to 31\n");
    snap(&arm64("\tVMOV V1.S[4], R1"), "t.s:2:7: error: register element index out of range 0 to 3\n");
    snap(&arm64("\tVMOV R1, V2.D[2]"), "t.s:2:11: error: register element index out of range 0 to 1\n");
    snap(&arm64("\tMSR R1, MIDR_EL1"), "t.s:2:10: error: system register is not writable\n");
    snap(&arm64("\tSTP (R3, R4), 0x1234567(R27)"), "t.s:2:16: error: REGTMP used in large offset store\n");
    snap(&arm64("\tADD $0x1234567, R27, R3"), "t.s:2:18: error: cannot use REGTMP as source\n");
    snap(&arm64("\tPCALIGN $3"), "t.s:2:10: error: alignment value of an instruction must be a power of two and in the range [8, 2048], got 3\n");
    snap(
        &arm64("\tMOVD R1, F2"),
        "t.s:2:11: error: illegal combination: MOVD C_REG C_NONE C_NONE C_FREG C_NONE (no MOVD form takes these operands)\n",
    );
    let amd64 = |src: &str| headers(GoArch::Amd64, &format!("TEXT f(SB), $0\n{src}\n\tRET\n"));
    snap(&amd64("\tSHLQ $1, X1"), "t.s:2:11: error: f: invalid instruction: SHLQ: no form of SHLQ takes these operands\n");
    snap(&amd64("\tMOVQ X1, K1"), "t.s:2:11: error: f: invalid instruction: MOVQ: no form of MOVQ takes these operands\n");
}

#[test]
fn combination_errors_underline_the_statement() {
    // No one operand is the odd one out: the statement keeps the caret.
    let (_, snip) = diagnose(GoArch::Arm64, "TEXT f(SB), $0\n\tADD F1, R2, F3\n\tRET\n");
    assert!(
        snip.starts_with(
            "t.s:2:2: error: illegal combination: ADD C_FREG C_REG C_NONE C_FREG C_NONE (no ADD form takes these operands)
  ┌─ t.s:2:2
  │
2 │     ADD F1, R2, F3
  │     ^^^^^^^^^^^^^^
"
        ),
        "{snip}"
    );
    snap(
        &headers(GoArch::Amd64, "TEXT f(SB), $0\n\tADDQ X1, X2\n\tRET\n"),
        "t.s:2:2: error: f: invalid instruction: ADDQ: no form of ADDQ takes these operands\n",
    );
    // From a macro, the operands are not in the invocation's text.
    snap(
        &headers(GoArch::Arm64, "#define BAD(r) ADDS $1, R1, r\nTEXT f(SB), $0\n\tBAD(RSP)\n\tRET\n"),
        "t.s:3:2: error: illegal destination register\n",
    );
}

const CASES: &[(&str, GoArch, &str)] = &[
    ("register_typo", GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ $1, RAX\n\tRET\n"),
    ("mnemonic_typo", GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQQ $1, AX\n"),
    ("no_form", GoArch::Amd64, "TEXT f(SB), $0\n\tADDQ X1, AX\n\tRET\n"),
    ("macro", GoArch::Amd64, "#define LOAD(r) MOVQ $1, r\nTEXT f(SB), $0\n\tLOAD(RBX)\n\tRET\n"),
    ("all_errors", GoArch::Arm64, "TEXT f(SB), $0\n\tMOVD $1, BADREG\n\tBOGUS\n\tMOVD $(1/0), R1\n\tB nowhere\n\tRET\n"),
    ("arm64_no_form", GoArch::Arm64, "TEXT f(SB), $0\n\tADD $1, R1, (R2)\n\tRET\n"),
    ("arm64_pair", GoArch::Arm64, "TEXT f(SB), $0\n\tLDP (R1), R2\n\tRET\n"),
    ("arm64_offset", GoArch::Arm64, "TEXT f(SB), $0\n\tMOVD.P 300(R1), R2\n\tRET\n"),
    ("amd64_addr", GoArch::Amd64, "TEXT f(SB), $0\n\tMOVQ (SP)(SP*2), AX\n\tRET\n"),
    ("arm64_whole", GoArch::Arm64, "TEXT f(SB), $0\n\tADD F1, R2, F3\n\tRET\n"),
];

#[test]
#[ignore = "prints the snapshots, to update them"]
fn print_snapshots() {
    for (name, arch, src) in CASES {
        let (plain, snip) = diagnose(*arch, src);
        println!("=== {name} plain\n{plain}=== {name} snippet\n{snip}");
    }
}
