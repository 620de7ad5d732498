//! Regression (issue 5, found by the hostile-input tests): a TEXT frame size
//! near i64::MAX overflowed `autoffset + 8` in the x86 backend and
//! `autosize + 8` in the arm64 backend (a panic in debug builds). Go
//! truncates the frame to int32 in both (obj6.go, obj7.go); so do they now.

use arch_tables::{generic, GoArch};
use asm_lexer::{Diags, Span};
use obj::{flags, Func, Module, Prog};

fn assemble(arch: GoArch, frame: i64, nosplit: bool) -> Diags {
    let mut m = Module::new(arch);
    let sym = m.syms.lookup("f", None);
    let flags = if nosplit { flags::NOSPLIT } else { 0 };
    m.funcs.push(Func { sym, progs: vec![Prog::new(generic::RET, Span::DUMMY)], flags, frame, args: 0, span: Span::DUMMY });
    let mut d = Diags::new(None);
    obj::backend(arch).assemble(&mut m, &obj::Ctxt::default(), &mut d);
    d
}

#[test]
fn huge_frames_do_not_overflow() {
    for arch in [GoArch::Amd64, GoArch::I386, GoArch::Arm64] {
        for frame in [i64::MAX, i64::MAX - 7, 0x7fff_fff8, 0x8000_0000, i64::MIN + 1] {
            for nosplit in [false, true] {
                let _ = assemble(arch, frame, nosplit);
            }
        }
    }
}
