//! Where each written operand goes in a `Prog` (from, reg, rest, to,
//! reg_to2), per architecture and operand count, as Go's assembler decides.

use arch_tables::{arm, arm64, generic, loong64, mips, ppc64, riscv, ArchSpec, Family, Op, Reg};
use obj::{Addr, AddrName, AddrType, ArgDir, Module, Prog};

use crate::print::format_addr;

pub struct Placement<'a> {
    pub spec: &'static ArchSpec,
    pub module: &'a Module,
}

fn is(op: Op, list: &[i64]) -> bool {
    list.iter().any(|&v| v == i64::from(op.0))
}

pub fn is_arm64_adr(op: Op) -> bool {
    is(op, &[arm64::consts::AADR, arm64::consts::AADRP])
}

fn arm64_atomic(spec: &ArchSpec, op: Op) -> bool {
    // arm64 opcodes are numbered in name order, so each prefix's opcodes are one
    // run: the name lookup (a binary search) is only needed inside those runs.
    let v = i64::from(op.0);
    let runs = [
        arm64::consts::ACASAD..=arm64::consts::ACASW,
        arm64::consts::ALDADDAB..=arm64::consts::ALDORW,
        arm64::consts::ASWPAB..=arm64::consts::ASWPW,
    ];
    runs.iter().any(|r| r.contains(&v)) && arm64_atomic_by_name(spec, op)
}

fn arm64_atomic_by_name(spec: &ArchSpec, op: Op) -> bool {
    let n = spec.op_name(op);
    ["LDADD", "LDCLR", "LDEOR", "LDOR", "SWP", "CAS"].iter().any(|p| n.starts_with(p))
}

/// arm64 compares: two operands go to from and reg.
const ARM64_TWO_REG: &[i64] = &[
    arm64::consts::ACMN,
    arm64::consts::ACMP,
    arm64::consts::ATST,
    arm64::consts::ACMNW,
    arm64::consts::ACMPW,
    arm64::consts::ATSTW,
    arm64::consts::AFCMPS,
    arm64::consts::AFCMPD,
    arm64::consts::AFCMPES,
    arm64::consts::AFCMPED,
];

/// arm64 store-exclusives: the third operand is reg_to2 (as for the atomics).
const ARM64_STORE_EXCLUSIVE: &[i64] = &[
    arm64::consts::ASTLXRB,
    arm64::consts::ASTLXRH,
    arm64::consts::ASTLXRW,
    arm64::consts::ASTLXR,
    arm64::consts::ASTXRB,
    arm64::consts::ASTXRH,
    arm64::consts::ASTXRW,
    arm64::consts::ASTXR,
    arm64::consts::ASTXP,
    arm64::consts::ASTXPW,
    arm64::consts::ASTLXP,
    arm64::consts::ASTLXPW,
];

const ARM64_CASP: &[i64] = &[arm64::consts::ACASPD, arm64::consts::ACASPW];

/// arm64 table lookups and VMOVQ: the second of three operands goes to rest.
const ARM64_TABLE: &[i64] = &[arm64::consts::AVTBL, arm64::consts::AVTBX, arm64::consts::AVMOVQ];

/// How [`Placement::place`] places an arm64 opcode's operands, in two
/// answers: (plain, two_reg). Plain: one to four operands go as
/// `from`/`to`, `from, to`, `from, reg, to` and `from, reg, rest, to` (not a
/// store-exclusive, atomic, CASP, table lookup or SVE opcode). Two_reg: two
/// operands go to `from` and `reg`.
pub(crate) fn arm64_shape(spec: &ArchSpec, op: Op) -> (bool, bool) {
    let special = is(op, ARM64_STORE_EXCLUSIVE) || arm64_atomic(spec, op) || is(op, ARM64_CASP) || is(op, ARM64_TABLE) || arm64_sve(op);
    (!special, is(op, ARM64_TWO_REG))
}

#[cfg(test)]
#[test]
fn arm64_atomic_runs_hold_every_atomic_op() {
    let spec = arch_tables::spec(arch_tables::GoArch::Arm64, false);
    for v in 0..=u16::MAX {
        assert_eq!(arm64_atomic(spec, Op(v)), arm64_atomic_by_name(spec, Op(v)), "{}", spec.op_name(Op(v)));
    }
}

impl Placement<'_> {
    fn show(&self, a: &Addr) -> String {
        format_addr(self.spec, Some(self.module), a)
    }

    fn name(&self, op: Op) -> String {
        self.spec.op_display(op)
    }

    pub fn get_register(&self, op: Op, a: &Addr) -> Result<Reg, String> {
        if a.ty != AddrType::Reg || a.offset != 0 || a.name != AddrName::None || !a.index.is_none() {
            return Err(format!("{}: expected register; found {}", self.name(op), self.show(a)));
        }
        Ok(a.reg)
    }

    pub fn get_constant(&self, op: Op, a: &Addr) -> Result<i64, String> {
        if a.ty != AddrType::Mem || a.name != AddrName::None || !a.reg.is_none() || !a.index.is_none() {
            return Err(format!("{}: expected integer constant; found {}", self.name(op), self.show(a)));
        }
        Ok(a.offset)
    }

    fn get_special(&self, op: Op, a: &Addr) -> Result<i64, String> {
        if a.ty != AddrType::Special || a.name != AddrName::None || !a.reg.is_none() || !a.index.is_none() {
            return Err(format!("{}: expected special operand; found {}", self.name(op), self.show(a)));
        }
        Ok(a.offset)
    }

    /// Places the operands of a non-jump instruction. Returns whether the
    /// suffixes are still to be applied (arm's MRC/MCR consume them).
    pub fn place(&self, p: &mut Prog, op: Op, cond: &str, a: &[Addr]) -> Result<bool, String> {
        let fam = self.spec.family();
        let amd64 = self.spec.arch() == arch_tables::GoArch::Amd64;
        let n = a.len();
        let src = |x: &Addr| (x.clone(), ArgDir::Source);
        match n {
            0 => {}
            1 => {
                if self.spec.is_unary_dst(op) || op == generic::RET || op == generic::GETCALLERPC {
                    p.to = a[0].clone();
                } else {
                    p.from = a[0].clone();
                }
                if fam == Family::Ppc64 && ppc64_neg(op) {
                    p.to = a[0].clone();
                    p.from = a[0].clone();
                }
            }
            2 => {
                let k_arm = &arm::consts::ACMN;
                let _ = k_arm;
                let two_reg = match fam {
                    Family::Arm => is(
                        op,
                        &[arm::consts::ACMN, arm::consts::ACMP, arm::consts::ATEQ, arm::consts::ATST, arm::consts::ACMPF, arm::consts::ACMPD],
                    ),
                    Family::Arm64 => is(op, ARM64_TWO_REG),
                    Family::Mips => is(
                        op,
                        &[
                            mips::consts::ACMPEQF,
                            mips::consts::ACMPEQD,
                            mips::consts::ACMPGEF,
                            mips::consts::ACMPGED,
                            mips::consts::ACMPGTF,
                            mips::consts::ACMPGTD,
                            mips::consts::AMUL,
                            mips::consts::AMULU,
                            mips::consts::AMULV,
                            mips::consts::AMULVU,
                            mips::consts::ADIV,
                            mips::consts::ADIVU,
                            mips::consts::ADIVV,
                            mips::consts::ADIVVU,
                            mips::consts::AREM,
                            mips::consts::AREMU,
                            mips::consts::AREMV,
                            mips::consts::AREMVU,
                            mips::consts::AMADD,
                            mips::consts::AMSUB,
                        ],
                    ),
                    _ => false,
                };
                if two_reg {
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    return Ok(true);
                }
                if fam == Family::Loong64 {
                    if is(op, &[loong64::consts::ARDTIMELW, loong64::consts::ARDTIMEHW, loong64::consts::ARDTIMED]) {
                        p.to = a[0].clone();
                        if a[1].ty != AddrType::Reg {
                            return Err(format!(
                                "invalid addressing modes for 2nd operand to {} instruction, must be register",
                                self.name(op)
                            ));
                        }
                        p.reg_to2 = a[1].reg;
                        return Ok(true);
                    }
                    if is(op, &[loong64::consts::APRELD, loong64::consts::APRELDX]) {
                        p.from = a[0].clone();
                        p.rest.push(src(&a[1]));
                        return Ok(true);
                    }
                }
                if fam == Family::Riscv {
                    let k = riscv::consts::ACSRR;
                    let pseudo = if is(op, &[riscv::consts::ACSRCI, riscv::consts::ACSRSI, riscv::consts::ACSRWI]) {
                        Some((true, 1))
                    } else if is(op, &[riscv::consts::ACSRC, riscv::consts::ACSRS, riscv::consts::ACSRW]) {
                        Some((false, 1))
                    } else if i64::from(op.0) == k {
                        Some((false, 0))
                    } else {
                        None
                    };
                    if let Some((imm, idx)) = pseudo {
                        if a[0].ty != AddrType::Const && imm {
                            return Err(format!(
                                "invalid value for first operand to {} instruction, must be a 5 bit unsigned immediate",
                                self.name(op)
                            ));
                        }
                        if a[idx].ty != AddrType::Special {
                            return Err(format!(
                                "invalid value for first or second operand to {} instruction, must be a CSR name",
                                self.name(op)
                            ));
                        }
                        p.rest.push(src(&a[idx]));
                        if idx == 0 {
                            p.to = a[1].clone();
                        } else {
                            p.from = a[0].clone();
                        }
                        return Ok(true);
                    }
                }
                p.from = a[0].clone();
                p.to = a[1].clone();
            }
            3 => match fam {
                Family::Mips => {
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.to = a[2].clone();
                }
                Family::Loong64 => {
                    if self.spec.op_name(op).starts_with("AM") {
                        p.from = a[0].clone();
                        p.to = a[1].clone();
                        p.reg_to2 = a[2].reg;
                    } else if is(op, &[loong64::consts::APRELD, loong64::consts::APRELDX]) {
                        p.from = a[0].clone();
                        p.rest.push(src(&a[1]));
                        p.rest.push(src(&a[2]));
                    } else {
                        p.from = a[0].clone();
                        p.reg = self.get_register(op, &a[1])?;
                        p.to = a[2].clone();
                    }
                }
                Family::Arm => {
                    if is(op, &[arm::consts::ASTREX, arm::consts::ASTREXD, arm::consts::ASTREXB, arm::consts::ASWPW, arm::consts::ASWPBU]) {
                        p.from = a[1].clone();
                        p.reg = self.get_register(op, &a[0])?;
                        p.to = a[2].clone();
                    } else if arm_bfx(op) {
                        p.from = a[0].clone();
                        p.rest.push(src(&a[1]));
                        p.to = a[2].clone();
                    } else {
                        p.from = a[0].clone();
                        p.reg = self.get_register(op, &a[1])?;
                        p.to = a[2].clone();
                    }
                }
                Family::X86 => {
                    p.from = a[0].clone();
                    p.rest.push(src(&a[1]));
                    p.to = a[2].clone();
                }
                Family::Arm64 => {
                    let stlxr = is(op, ARM64_STORE_EXCLUSIVE) || arm64_atomic(self.spec, op);
                    let casp = is(op, ARM64_CASP);
                    if stlxr && !casp {
                        p.from = a[0].clone();
                        p.to = a[1].clone();
                        if a[2].ty != AddrType::Reg {
                            return Err(format!(
                                "invalid addressing modes for third operand to {} instruction, must be register",
                                self.name(op)
                            ));
                        }
                        p.reg_to2 = a[2].reg;
                    } else if is(op, ARM64_TABLE) {
                        p.from = a[0].clone();
                        p.rest.push(src(&a[1]));
                        p.to = a[2].clone();
                    } else if casp {
                        p.from = a[0].clone();
                        p.to = a[1].clone();
                        if a[0].ty != AddrType::RegReg || a[2].ty != AddrType::RegReg {
                            return Err(format!(
                                "invalid addressing modes for 1st or 3rd operand to {} instruction, must be register pair",
                                self.name(op)
                            ));
                        }
                        p.rest.push((a[2].clone(), ArgDir::Destination));
                    } else if arm64_sve(op) {
                        p.from = a[0].clone();
                        p.rest.push(src(&a[1]));
                        p.to = a[2].clone();
                    } else {
                        p.from = a[0].clone();
                        p.reg = self.get_register(op, &a[1])?;
                        p.to = a[2].clone();
                    }
                }
                Family::Ppc64 => {
                    if is(
                        op,
                        &[
                            ppc64::consts::ACMP,
                            ppc64::consts::ACMPU,
                            ppc64::consts::ACMPW,
                            ppc64::consts::ACMPWU,
                            ppc64::consts::AFCMPO,
                            ppc64::consts::AFCMPU,
                            ppc64::consts::ADCMPO,
                            ppc64::consts::ADCMPU,
                            ppc64::consts::ADCMPOQ,
                            ppc64::consts::ADCMPUQ,
                        ],
                    ) {
                        p.from = a[0].clone();
                        p.reg = self.get_register(op, &a[2])?;
                        p.to = a[1].clone();
                    } else {
                        p.from = a[0].clone();
                        p.to = a[2].clone();
                        if a[1].ty == AddrType::Reg {
                            p.reg = self.get_register(op, &a[1])?;
                        } else {
                            p.rest.push(src(&a[1]));
                        }
                    }
                }
                Family::Riscv => {
                    let amo = [
                        "SCW", "SCD", "AMOSWAPW", "AMOSWAPD", "AMOADDW", "AMOADDD", "AMOANDW", "AMOANDD", "AMOORW", "AMOORD", "AMOXORW", "AMOXORD",
                        "AMOMINW", "AMOMIND", "AMOMINUW", "AMOMINUD", "AMOMAXW", "AMOMAXD", "AMOMAXUW", "AMOMAXUD",
                    ];
                    let name = self.spec.op_name(op);
                    if amo.contains(&name) {
                        p.from = a[0].clone();
                        p.to = a[1].clone();
                        if a[2].ty != AddrType::Reg {
                            return Err(format!(
                                "invalid addressing modes for third operand to {} instruction, must be register",
                                self.name(op)
                            ));
                        }
                        p.reg_to2 = a[2].reg;
                        return Ok(true);
                    }
                    let csro = if is(op, &[riscv::consts::ACSRRCI, riscv::consts::ACSRRSI, riscv::consts::ACSRRWI]) {
                        Some(true)
                    } else if is(op, &[riscv::consts::ACSRRC, riscv::consts::ACSRRS, riscv::consts::ACSRRW]) {
                        Some(false)
                    } else {
                        None
                    };
                    if let Some(imm) = csro {
                        if a[0].ty != AddrType::Const && imm {
                            return Err(format!(
                                "invalid value for first operand to {} instruction, must be a 5 bit unsigned immediate",
                                self.name(op)
                            ));
                        }
                        if a[1].ty != AddrType::Special {
                            return Err(format!(
                                "invalid value for second operand to {} instruction, must be a CSR name",
                                self.name(op)
                            ));
                        }
                        p.rest.push(src(&a[1]));
                        p.from = a[0].clone();
                        p.to = a[2].clone();
                        return Ok(true);
                    }
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.to = a[2].clone();
                }
                Family::S390x => {
                    p.from = a[0].clone();
                    if a[1].ty == AddrType::Reg {
                        p.reg = self.get_register(op, &a[1])?;
                    } else {
                        p.rest.push(src(&a[1]));
                    }
                    p.to = a[2].clone();
                }
                Family::Wasm => return Err("TODO: implement three-operand instructions for this architecture".into()),
            },
            4 => {
                if fam == Family::Arm && arm_bfx(op) {
                    p.from = a[0].clone();
                    p.rest.push(src(&a[1]));
                    p.reg = self.get_register(op, &a[2])?;
                    p.to = a[3].clone();
                } else if fam == Family::Arm
                    && is(
                        op,
                        &[
                            arm::consts::AMULA,
                            arm::consts::AMULS,
                            arm::consts::AMMULA,
                            arm::consts::AMMULS,
                            arm::consts::AMULABB,
                            arm::consts::AMULAWB,
                            arm::consts::AMULAWT,
                        ],
                    )
                {
                    self.get_register(op, &a[0])?;
                    let r1 = self.get_register(op, &a[1])?;
                    let r2 = self.get_register(op, &a[2])?;
                    self.get_register(op, &a[3])?;
                    p.from = a[0].clone();
                    p.to = a[3].clone();
                    p.to.ty = AddrType::RegReg2;
                    p.to.offset = i64::from(r2.0);
                    p.reg = r1;
                } else if amd64 || (fam == Family::Arm64 && arm64_sve(op)) {
                    p.from = a[0].clone();
                    p.rest.push(src(&a[1]));
                    p.rest.push(src(&a[2]));
                    p.to = a[3].clone();
                } else if matches!(fam, Family::Arm64 | Family::Loong64 | Family::Riscv) {
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.rest.push(src(&a[2]));
                    p.to = a[3].clone();
                } else if fam == Family::Ppc64 {
                    p.from = a[0].clone();
                    p.to = a[3].clone();
                    if a[1].ty == AddrType::Reg {
                        p.reg = self.get_register(op, &a[1])?;
                        p.rest.push(src(&a[2]));
                    } else {
                        p.rest.push(src(&a[1]));
                        p.rest.push(src(&a[2]));
                    }
                } else if fam == Family::S390x {
                    if a[1].ty != AddrType::Reg {
                        return Err(format!("second operand must be a register in {} instruction", self.name(op)));
                    }
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.rest.push(src(&a[2]));
                    p.to = a[3].clone();
                } else {
                    return Err(format!("can't handle {} instruction with 4 operands", self.name(op)));
                }
            }
            5 => {
                if (fam == Family::Arm64 && arm64_sve(op)) || amd64 || fam == Family::S390x {
                    p.from = a[0].clone();
                    p.rest.extend(a[1..4].iter().map(src));
                    p.to = a[4].clone();
                } else if fam == Family::Ppc64 {
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.rest.extend(a[2..4].iter().map(src));
                    p.to = a[4].clone();
                } else {
                    return Err(format!("can't handle {} instruction with 5 operands", self.name(op)));
                }
            }
            6 => {
                if fam == Family::Arm64 && arm64_sve(op) {
                    p.from = a[0].clone();
                    p.rest.extend(a[1..5].iter().map(src));
                    p.to = a[5].clone();
                } else if fam == Family::Arm && is(op, &[arm::consts::AMRC, arm::consts::ALAST + 1]) {
                    let x0 = self.get_constant(op, &a[0])?;
                    let x1 = self.get_constant(op, &a[1])?;
                    let x2 = i64::from(self.get_register(op, &a[2])?.0);
                    let x3 = i64::from(self.get_register(op, &a[3])?.0);
                    let x4 = i64::from(self.get_register(op, &a[4])?.0);
                    let x5 = self.get_constant(op, &a[5])?;
                    let bits = crate::suffix::arm_condition(self.spec, cond).ok_or_else(|| format!("unrecognized condition code .{cond:?}"))?;
                    let op1 = i64::from(i64::from(op.0) == arm::consts::AMRC);
                    let off = (0xe << 24)
                        | (op1 << 20)
                        | ((i64::from(bits) ^ arm::consts::C_SCOND_XOR) << 28)
                        | ((x0 & 15) << 8)
                        | ((x1 & 7) << 21)
                        | ((x2 & 15) << 12)
                        | ((x3 & 15) << 16)
                        | (x4 & 15)
                        | ((x5 & 7) << 5)
                        | (1 << 4);
                    p.to = Addr { ty: AddrType::Const, offset: off, ..Default::default() };
                    p.op = Op(arm::consts::AMRC as u16);
                    return Ok(false);
                } else if fam == Family::Ppc64 {
                    p.from = a[0].clone();
                    p.reg = self.get_register(op, &a[1])?;
                    p.rest.extend(a[2..5].iter().map(src));
                    p.to = a[5].clone();
                } else if fam == Family::Riscv && is(op, &[riscv::consts::AVSETVLI, riscv::consts::AVSETIVLI]) {
                    p.from = a[0].clone();
                    for x in &a[1..5] {
                        self.get_special(op, x)?;
                    }
                    p.rest.extend(a[1..5].iter().map(src));
                    p.to = a[5].clone();
                } else {
                    return Err(format!("can't handle {} instruction with {} operands", self.name(op), n));
                }
            }
            _ => return Err(format!("can't handle {} instruction with {} operands", self.name(op), n)),
        }
        Ok(true)
    }
}

fn arm_bfx(op: Op) -> bool {
    is(op, &[arm::consts::ABFX, arm::consts::ABFXU, arm::consts::ABFC, arm::consts::ABFI])
}

fn arm64_sve(op: Op) -> bool {
    i64::from(op.0) > arm64::consts::ASVESTART
}

fn ppc64_neg(op: Op) -> bool {
    use ppc64::consts as k;
    is(
        op,
        &[
            k::AADDMECC, k::AADDMEVCC, k::AADDMEV, k::AADDME, k::AADDZECC, k::AADDZEVCC, k::AADDZEV, k::AADDZE, k::ACNTLZDCC, k::ACNTLZD,
            k::ACNTLZWCC, k::ACNTLZW, k::AEXTSBCC, k::AEXTSB, k::AEXTSHCC, k::AEXTSH, k::AEXTSWCC, k::AEXTSW, k::ANEGCC, k::ANEGVCC,
            k::ANEGV, k::ANEG, k::ASLBMFEE, k::ASLBMFEV, k::ASLBMTE, k::ASUBMECC, k::ASUBMEVCC, k::ASUBMEV, k::ASUBME, k::ASUBZECC,
            k::ASUBZEVCC, k::ASUBZEV, k::ASUBZE,
        ],
    )
}

/// Which written operand (index, count) of `p`'s statement went to field
/// `o`. On amd64, 386 and arm64 [`Placement::place`] keeps the written
/// order as: from, reg, the source entries of rest, to, reg_to2, the
/// destination entries of rest (`CMP R1, R2` fills from and reg, `STLXR`
/// from, to and reg_to2, `CASP` from, to and a destination in rest). Other
/// architectures reorder (ppc64 writes `from, reg, to` as `from, to, reg`
/// for some): `None` there.
pub fn written_operand(family: Family, p: &Prog, o: obj::Operand) -> Option<(usize, usize)> {
    use obj::Operand;
    if !matches!(family, Family::X86 | Family::Arm64) {
        return None;
    }
    let rest = |dir: ArgDir| p.rest.iter().enumerate().filter(move |(_, a)| a.1 == dir).map(|(i, _)| Operand::Rest(i));
    let some = |yes: bool, f: Operand| yes.then_some(f);
    let order: Vec<Operand> = some(p.from.ty != AddrType::None, Operand::From)
        .into_iter()
        .chain(some(!p.reg.is_none(), Operand::Reg))
        .chain(rest(ArgDir::Source))
        .chain(some(p.to.ty != AddrType::None, Operand::To))
        .chain(some(!p.reg_to2.is_none(), Operand::RegTo2))
        .chain(rest(ArgDir::Destination))
        .collect();
    Some((order.iter().position(|&f| f == o)?, order.len()))
}
