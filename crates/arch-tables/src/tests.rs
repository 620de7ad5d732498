//! Spot checks of the generated tables against facts measured from Go 1.27.3
//! (counts from docs/features.md 1(e)) and against the generated constants.

use crate::*;

fn all_specs() -> impl Iterator<Item = &'static ArchSpec> {
    GoArch::ALL
        .iter()
        .map(|&a| spec(a, false))
        .chain(std::iter::once(spec(GoArch::Riscv64, true)))
}

fn r(v: i64) -> Reg {
    Reg(u16::try_from(v).unwrap())
}

fn o(v: i64) -> Op {
    Op(u16::try_from(v).unwrap())
}

#[test]
fn counts_match_measured_go() {
    // (arch, names accepted by the parser, non-pseudo register names, pseudo-registers)
    let want: [(GoArch, usize, usize, &[&str]); 14] = [
        (GoArch::Amd64, 1656, 202, &["FP", "PC", "SB"]),
        (GoArch::I386, 1656, 201, &["FP", "PC", "SB"]),
        (GoArch::Arm, 156, 59, &["FP", "PC", "SB", "SP"]),
        (GoArch::Arm64, 1360, 593, &["FP", "PC", "SB", "SP"]),
        (GoArch::Loong64, 825, 192, &["FP", "PC", "SB"]),
        (GoArch::Mips, 150, 130, &["FP", "PC", "SB"]),
        (GoArch::Mipsle, 150, 130, &["FP", "PC", "SB"]),
        (GoArch::Mips64, 150, 162, &["FP", "PC", "SB"]),
        (GoArch::Mips64le, 150, 162, &["FP", "PC", "SB"]),
        (GoArch::Ppc64, 885, 214, &["FP", "PC", "SB"]),
        (GoArch::Ppc64le, 885, 214, &["FP", "PC", "SB"]),
        (GoArch::Riscv64, 1008, 160, &["FP", "PC", "SB"]),
        (GoArch::S390x, 748, 81, &["FP", "PC", "SB"]),
        (GoArch::Wasm, 500, 73, &[]),
    ];
    for (arch, ops, regs, pseudo) in want {
        let s = spec(arch, false);
        assert_eq!(s.arch(), arch);
        assert_eq!(s.mnemonics().count(), ops, "{arch} mnemonics");
        assert_eq!(s.register_names().count(), regs, "{arch} registers");
        assert_eq!(
            s.pseudo_reg_names().collect::<Vec<_>>(),
            pseudo,
            "{arch} pseudo-registers"
        );
    }
    assert_eq!(spec(GoArch::Riscv64, true).register_names().count(), 159);
}

#[test]
fn size_and_byte_order_agree_with_goarch() {
    for s in all_specs() {
        assert_eq!(s.ptr_size(), s.arch().ptr_size(), "{}", s.arch());
        assert_eq!(s.big_endian(), s.arch().big_endian(), "{}", s.arch());
    }
}

#[test]
fn generic_ops_match_obj() {
    use obj_consts as c;
    let pairs = [
        (generic::XXX, c::AXXX),
        (generic::CALL, c::ACALL),
        (generic::DUFFCOPY, c::ADUFFCOPY),
        (generic::DUFFZERO, c::ADUFFZERO),
        (generic::END, c::AEND),
        (generic::FUNCDATA, c::AFUNCDATA),
        (generic::JMP, c::AJMP),
        (generic::NOP, c::ANOP),
        (generic::PCALIGN, c::APCALIGN),
        (generic::PCALIGNMAX, c::APCALIGNMAX),
        (generic::PCDATA, c::APCDATA),
        (generic::RET, c::ARET),
        (generic::GETCALLERPC, c::AGETCALLERPC),
        (generic::TEXT, c::ATEXT),
        (generic::UNDEF, c::AUNDEF),
        (generic::ARCH_SPECIFIC, c::A_ARCHSPECIFIC),
    ];
    for (op, v) in pairs {
        assert_eq!(op, o(v));
    }
    for s in all_specs() {
        assert_eq!(s.op("TEXT"), Some(generic::TEXT), "{}", s.arch());
        assert_eq!(s.op("RET"), Some(generic::RET));
        assert_eq!(s.op_name(generic::PCALIGN), "PCALIGN");
    }
}

#[test]
fn every_mnemonic_round_trips_through_its_printing_name() {
    for s in all_specs() {
        for (name, op) in s.instructions() {
            let printed = s.op_name(op);
            assert!(!printed.is_empty(), "{} {name}", s.arch());
            assert_eq!(
                s.op(printed),
                Some(op),
                "{} {name} prints as {printed}",
                s.arch()
            );
        }
    }
}

#[test]
fn amd64() {
    use x86::consts as c;
    let s = spec(GoArch::Amd64, false);
    let movq = s.op("MOVQ").unwrap();
    assert_eq!(movq, o(c::AMOVQ));
    assert_eq!(s.op_name(movq), "MOVQ");
    assert_eq!(s.op_name(s.op("JA").unwrap()), "JHI");
    assert_eq!(s.op("MOVD"), Some(o(c::AMOVQ)));
    assert_eq!(s.op("NOSUCH"), None);
    assert_eq!(s.op_display(Op(9999)), "A???9999");
    assert_eq!(s.reg("AX"), Some(r(c::REG_AX)));
    assert_eq!(
        s.reg("SP"),
        Some(r(c::REG_SP)),
        "SP is a real register on amd64"
    );
    assert_eq!(s.pseudo_reg("SP"), None);
    assert_eq!(s.pseudo_reg("SB"), Some(PseudoReg::SB));
    assert_eq!(s.reg("g"), Some(r(c::REG_R14)));
    assert_eq!(s.reg("Z31"), Some(r(c::REG_Z31)));
    assert_eq!(s.reg_name(r(c::REG_AX)), "AX");
    assert_eq!(s.reg_name(r(c::REG_X15)), "X15");
    assert_eq!(s.reg_name(Reg::NONE), "NONE");
    assert!(!s.is_register_prefix("R"));
    assert_eq!(s.register_number("R", 1), None);
    assert!(s.is_jump("JA") && s.is_jump("CALL") && s.is_jump("LOOP") && s.is_jump("XBEGIN"));
    assert!(!s.is_jump("MOVQ"));
    assert!(s.is_jump("JFOO"), "Go's x86 rule goes by spelling");
    for w in s.jump_words() {
        assert!(s.is_jump(w), "{w}");
    }
    for (name, _) in s.instructions() {
        assert_eq!(
            s.is_jump(name),
            s.jumps.binary_search(&name).is_ok(),
            "{name}"
        );
    }
    assert_eq!(s.evex_suffix(""), Some(0));
    assert_eq!(s.evex_suffix("Z"), Some(1));
    assert_eq!(s.evex_suffix("RN_SAE.Z"), Some(8));
    assert_eq!(s.evex_suffix("Z.RN_SAE"), None);
    assert_eq!(s.evex_suffix("BCST.SAE"), None);
    assert_eq!(s.evex_suffix_name(13), Some("BCST.Z"));
    assert_eq!(spec(GoArch::Arm64, false).evex_suffix("Z"), None);
    assert!(s.is_unary_dst(o(c::ABSWAPQ)));
    assert!(!s.is_unary_dst(movq));
    assert_eq!(s.special_operand("EQ"), None);
    let i386 = spec(GoArch::I386, false);
    assert_eq!(i386.reg("g"), None);
    assert_eq!(i386.reg("AX"), Some(r(c::REG_AX)));
}

#[test]
fn arm() {
    use arm::consts as c;
    let s = spec(GoArch::Arm, false);
    assert_eq!(s.op("B"), Some(generic::JMP));
    assert_eq!(s.op("BL"), Some(generic::CALL));
    assert_eq!(s.op("MCR"), Some(o(c::ALAST + 1)));
    assert_eq!(s.op_name(o(c::ALAST + 1)), "MCR");
    assert_eq!(
        s.op_display(o(c::ALAST + 1)),
        format!("A???{}", c::ALAST + 1)
    );
    assert_eq!(s.op_name(o(c::AMOVW)), "MOVW");
    assert_eq!(s.reg("R10"), None);
    assert_eq!(s.reg("g"), Some(r(c::REG_R10)));
    assert_eq!(s.reg("C3"), Some(Reg(3)));
    assert_eq!(s.reg("MB_ISH"), Some(r(c::REG_MB_ISH)));
    assert_eq!(s.pseudo_reg("SP"), Some(PseudoReg::SP));
    assert_eq!(s.reg("SP"), None);
    assert_eq!(s.register_number("R", 10), Some(r(c::REG_R10)));
    assert_eq!(s.register_number("F", 15), Some(r(c::REG_F15)));
    assert_eq!(s.register_number("R", 16), None);
    assert_eq!(s.register_number("R", -1), None);
    assert!(s.is_register_prefix("R") && s.is_register_prefix("F") && !s.is_register_prefix("C"));
    assert_eq!(s.cond_suffix("EQ"), Some(c::C_SCOND_EQ as u8));
    assert_eq!(s.cond_suffix("HS"), s.cond_suffix("CS"));
    assert_eq!(s.cond_suffix("AL"), Some(c::C_SCOND_NONE as u8));
    assert_eq!(
        s.cond_suffix("IBW"),
        Some((c::C_WBIT | c::C_PBIT | c::C_UBIT) as u8)
    );
    assert_eq!(s.ls_suffix("S"), Some(c::C_SBIT as u8));
    assert_eq!(s.ls_suffix("EQ"), None);
    assert!(s.is_jump("BEQ") && s.is_jump("BX") && !s.is_jump("MOVW"));
}

#[test]
fn arm64() {
    use arm64::consts as c;
    let s = spec(GoArch::Arm64, false);
    assert_eq!(s.reg("R18_PLATFORM"), Some(r(c::REG_R18)));
    assert_eq!(s.reg("R18"), None);
    assert_eq!(s.reg("g"), Some(r(c::REG_R28)));
    assert_eq!(s.reg("R28"), None);
    assert_eq!(s.reg("RSP"), Some(r(c::REGSP)));
    assert_eq!(s.reg("LR"), Some(r(c::REGLINK)));
    assert_eq!(s.reg("PN15"), Some(r(c::REG_PN15)));
    assert_eq!(s.reg("NZCV"), Some(r(c::REG_NZCV)));
    assert_eq!(s.pseudo_reg("SP"), Some(PseudoReg::SP));
    assert_eq!(s.register_number("R", 30), Some(r(c::REG_R30)));
    assert_eq!(s.register_number("R", 31), None);
    assert_eq!(s.register_number("PN", 3), Some(r(c::REG_PN3)));
    assert_eq!(s.op("B"), Some(o(c::AB)));
    assert_eq!(s.op_name(o(c::AB)), "JMP");
    assert!(s.is_jump("ADR") && s.is_jump("TBZ") && !s.is_jump("ADD"));
    // Packed register forms print as Go prints them.
    let v1_b8 = c::REG_ARNG + ((c::ARNG_8B & 15) << 5) + (c::REG_V1 & 31);
    assert_eq!(s.reg_name(r(v1_b8)), "V1.B8");
    assert_eq!(
        s.reg_name(r(c::REG_UXTW + (c::REG_R3 & 31) + (2 << 5))),
        "R3.UXTW<<2"
    );
    assert_eq!(s.reg_name(Reg(c::REG_ARNG as u16 - 1)), "badreg(9215)");
    // Special operands: CS/CC share HS/LO's values and print as those.
    assert_eq!(s.special_operand("PLDL1KEEP"), Some(c::SPOP_PLDL1KEEP));
    assert_eq!(s.special_operand("CS"), Some(c::SPOP_HS));
    assert_eq!(s.special_operand("CC"), Some(c::SPOP_LO));
    assert_eq!(s.special_operand_name(c::SPOP_HS), Some("HS"));
    assert_eq!(s.special_operand_name(c::SPOP_EQ), Some("EQ"));
    assert_eq!(s.ls_suffix("P"), Some(c::C_XPOST as u8));
    assert_eq!(s.ls_suffix("W"), Some(c::C_XPRE as u8));
    for (name, v) in s.special_operands() {
        if name != "CS" && name != "CC" {
            assert_eq!(s.special_operand_name(v), Some(name));
        }
    }
}

#[test]
fn riscv64() {
    use riscv::consts as c;
    let s = spec(GoArch::Riscv64, false);
    let sh = spec(GoArch::Riscv64, true);
    assert!(!s.shared() && sh.shared());
    assert_eq!(s.reg("X3"), Some(r(c::REG_X3)));
    assert_eq!(sh.reg("X3"), None);
    assert_eq!(sh.reg("GP"), Some(r(c::REG_GP)));
    assert_eq!(s.reg("X4"), None);
    assert_eq!(s.reg("TP"), Some(r(c::REG_TP)));
    assert_eq!(s.reg("X27"), None);
    assert_eq!(s.reg("g"), Some(r(c::REG_G)));
    assert_eq!(s.reg("SP"), Some(r(c::REG_SP)));
    assert_eq!(s.pseudo_reg("SP"), None);
    assert_eq!(s.reg("TMP"), Some(r(c::REG_X31)));
    assert!(s.register_prefixes().next().is_none());
    assert_eq!(s.special_operand("E8"), Some(c::SPOP_E8));
    assert_eq!(s.special_operand_name(c::SPOP_E8), Some("E8"));
    assert_eq!(s.special_operand("TA"), Some(c::SPOP_TA));
    let fcsr = s.special_operand("FCSR").unwrap();
    assert!((c::SPOP_CSR_BEGIN..c::SPOP_CSR_END).contains(&fcsr));
    assert_eq!(s.special_operand_name(fcsr), Some("FCSR"));
    assert!(s.is_jump("BEQZ") && s.is_jump("JAL") && !s.is_jump("ADD"));
    assert!(s.is_unary_dst(o(c::ARDTIME)));
}

#[test]
fn mips_variants() {
    use mips::consts as c;
    let m32 = spec(GoArch::Mips, false);
    let m64 = spec(GoArch::Mips64le, false);
    assert_eq!(m32.reg("W0"), None);
    assert_eq!(m64.reg("W0"), Some(r(c::REG_W0)));
    assert_eq!(m32.reg("R28"), Some(r(c::REG_R28)));
    assert_eq!(m64.reg("R28"), None);
    assert_eq!(m64.reg("RSB"), Some(r(c::REG_R28)));
    assert_eq!(m32.reg("g"), Some(r(c::REG_R30)));
    assert!(!m32.is_register_prefix("W") && m64.is_register_prefix("W"));
    assert_eq!(m64.register_number("W", 31), Some(r(c::REG_W31)));
    assert_eq!(m32.op("JAL"), Some(o(c::AJAL)));
    assert!(m32.big_endian() && !spec(GoArch::Mipsle, false).big_endian());
}

#[test]
fn ppc64() {
    use ppc64::consts as c;
    let s = spec(GoArch::Ppc64le, false);
    assert_eq!(s.register_number("SPR", 1024), Some(r(c::REG_SPR0 + 1024)));
    assert_eq!(s.register_number("SPR", 1025), None);
    assert_eq!(s.register_number("CR", 7), Some(r(c::REG_CR7)));
    assert!(!s.is_register_prefix("VS"));
    assert_eq!(s.reg("g"), Some(r(c::REG_R30)));
    assert_eq!(s.reg("CR0LT"), Some(r(c::REG_CR0LT)));
    assert_eq!(s.op("BR"), Some(o(c::ABR)));
    // Opcodes generated from the ISA (GenAnames) print too.
    let xxsetaccz = s.op("XXSETACCZ").unwrap();
    assert_eq!(s.op_name(xxsetaccz), "XXSETACCZ");
    assert!(s.is_unary_dst(xxsetaccz));
    assert_eq!(s.reg_name(r(c::REG_SPR0 + 8)), "LR");
}

#[test]
fn loong64_s390x_wasm() {
    let l = spec(GoArch::Loong64, false);
    let lc = |n: &str| loong64::consts::lookup(n).unwrap();
    assert_eq!(l.reg_name(r(lc("REG_ARNG") - 1)), "badreg(1023)");
    assert_eq!(l.reg_name(r(lc("REG_ARNG"))), "V0.B32");
    assert_eq!(
        l.reg_name(r(lc("REG_ELEM"))),
        "V0.B32",
        "the element index lives in the offset"
    );
    assert!(l.reg_name_static(r(lc("REG_ELEM_END") - 1)).is_some());
    assert_eq!(
        l.reg_name(r(lc("REG_ELEM_END"))),
        format!("R???{}", lc("REG_ELEM_END"))
    );
    assert_eq!(l.reg("g"), Some(r(loong64::consts::REG_R22)));
    assert_eq!(
        l.register_number("FCC", 7),
        Some(r(loong64::consts::REG_FCC7))
    );
    let z = spec(GoArch::S390x, false);
    assert_eq!(z.reg("g"), Some(r(s390x::consts::REG_R13)));
    assert_eq!(z.reg("LR"), Some(r(s390x::consts::REG_LR)));
    let w = spec(GoArch::Wasm, false);
    assert_eq!(w.reg("SP"), Some(r(wasm::consts::REG_SP)));
    assert_eq!(w.pseudo_reg("SB"), None);
    assert!(w.is_jump("BrIf") && w.is_unary_dst(w.op("Set").unwrap()));
}

#[test]
fn every_register_prints_and_lives_in_its_space() {
    for s in all_specs() {
        for (name, reg) in s.registers() {
            let printed = s.reg_name(reg);
            if s.arch() == GoArch::Arm && name.starts_with('C') && reg.0 < 16 {
                continue; // coprocessor numbers are plain 0..15
            }
            assert!(
                !printed.starts_with("R???") && !printed.starts_with("badreg"),
                "{} {name} -> {printed}",
                s.arch()
            );
        }
        for p in s.register_prefixes() {
            let reg = s
                .register_number(p, 0)
                .unwrap_or_else(|| panic!("{} {p}(0)", s.arch()));
            assert!(s.reg_name_static(reg).is_some(), "{} {p}(0)", s.arch());
        }
    }
}

#[test]
fn lookups_are_sorted() {
    for s in all_specs() {
        assert!(s.instructions.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.registers.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.op_names.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.reg_names.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.jumps.windows(2).all(|w| w[0] < w[1]));
        assert!(s.unary_dst.windows(2).all(|w| w[0] < w[1]));
        assert!(s.special.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.special_names.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.prefixes.windows(2).all(|w| w[0] < w[1]));
    }
}

#[test]
fn register_map_agrees_with_reg_constants() {
    // Two independent sources: Go's register map and the type-checked constants.
    let mut checked = 0;
    for s in all_specs() {
        let lookup: fn(&str) -> Option<i64> = match s.family() {
            Family::X86 => x86::consts::lookup,
            Family::Arm => arm::consts::lookup,
            Family::Arm64 => arm64::consts::lookup,
            Family::Loong64 => loong64::consts::lookup,
            Family::Mips => mips::consts::lookup,
            Family::Ppc64 => ppc64::consts::lookup,
            Family::Riscv => riscv::consts::lookup,
            Family::S390x => s390x::consts::lookup,
            Family::Wasm => wasm::consts::lookup,
        };
        for (name, reg) in s.registers() {
            if let Some(v) = lookup(&format!("REG_{name}")) {
                assert_eq!(
                    Some(reg),
                    u16::try_from(v).ok().map(Reg),
                    "{} {name}",
                    s.arch()
                );
                checked += 1;
            }
        }
        for (name, op) in s.instructions() {
            if op >= generic::ARCH_SPECIFIC && s.op_display(op) == name {
                if let Some(v) = lookup(&format!("A{name}")) {
                    assert_eq!(op, o(v), "{} {name}", s.arch());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} names cross-checked");
    assert_eq!(obj_consts::lookup("RBaseARM64"), Some(8 * 1024));
    assert!(x86::consts::all().windows(2).all(|w| w[0].0 < w[1].0));
}
