//! The per-architecture bundle of name tables and its lookups.
//!
//! All data lives in generated, sorted static slices (see `gen/`); lookups are
//! binary searches, so nothing is built at startup.

use std::fmt;

use crate::gen::{
    arm64_tables, arm_tables, loong64_tables, mips_tables, ppc64_tables, riscv_tables,
    s390x_tables, wasm_tables, x86_tables,
};
use crate::{Family, GoArch, Op, Reg};

/// The tables of one architecture, as Go's `arch.Set(GOARCH, shared)` builds them.
///
/// Opcode and register numbers are Go's own (`obj.As`, the `int16` register
/// constants), so packed register forms can be computed exactly as Go does.
pub fn spec(arch: GoArch, shared: bool) -> &'static ArchSpec {
    match arch {
        GoArch::Amd64 => &x86_tables::AMD64,
        GoArch::I386 => &x86_tables::I386,
        GoArch::Arm => &arm_tables::ARM,
        GoArch::Arm64 => &arm64_tables::ARM64,
        GoArch::Loong64 => &loong64_tables::LOONG64,
        GoArch::Mips => &mips_tables::MIPS,
        GoArch::Mipsle => &mips_tables::MIPSLE,
        GoArch::Mips64 => &mips_tables::MIPS64,
        GoArch::Mips64le => &mips_tables::MIPS64LE,
        GoArch::Ppc64 => &ppc64_tables::PPC64,
        GoArch::Ppc64le => &ppc64_tables::PPC64LE,
        GoArch::Riscv64 if shared => &riscv_tables::RISCV64_SHARED,
        GoArch::Riscv64 => &riscv_tables::RISCV64,
        GoArch::S390x => &s390x_tables::S390X,
        GoArch::Wasm => &wasm_tables::WASM,
    }
}

/// A pseudo-register: Go's parser gives these negative numbers instead of
/// register numbers, and the operand parser turns them into address names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PseudoReg {
    /// Static base, `sym(SB)`.
    SB,
    /// Frame pointer, `arg+0(FP)`.
    FP,
    /// The virtual stack pointer, `x-8(SP)` (only where `SP` is not a real register).
    SP,
    /// Program counter, `2(PC)`.
    PC,
}

impl PseudoReg {
    pub const ALL: [PseudoReg; 4] = [PseudoReg::SB, PseudoReg::FP, PseudoReg::SP, PseudoReg::PC];

    /// The spelling in assembly source.
    pub fn name(self) -> &'static str {
        match self {
            PseudoReg::SB => "SB",
            PseudoReg::FP => "FP",
            PseudoReg::SP => "SP",
            PseudoReg::PC => "PC",
        }
    }

    /// The number Go's register map uses for it (`RFP`=-1, `RSB`=-2, `RSP`=-3, `RPC`=-4).
    pub fn go_value(self) -> i16 {
        match self {
            PseudoReg::FP => -1,
            PseudoReg::SB => -2,
            PseudoReg::SP => -3,
            PseudoReg::PC => -4,
        }
    }
}

impl fmt::Display for PseudoReg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One run of the `PREFIX(n)` register notation: for `lo <= n <= hi`,
/// `PREFIX(n)` is register `base + n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegRange {
    pub prefix: &'static str,
    pub lo: i16,
    pub hi: i16,
    pub base: i32,
}

/// Names and numbers for one GOARCH (and, for riscv64, one `-shared` setting).
/// Obtain it with [`spec`].
pub struct ArchSpec {
    pub(crate) arch: GoArch,
    pub(crate) shared: bool,
    pub(crate) ptr_size: u8,
    pub(crate) big_endian: bool,
    /// Mnemonic -> opcode, sorted by mnemonic.
    pub(crate) instructions: &'static [(&'static str, u16)],
    /// Opcode -> printing name, sorted by opcode.
    pub(crate) op_names: &'static [(u16, &'static str)],
    /// Register name -> number, sorted by name; pseudo-registers excluded.
    pub(crate) registers: &'static [(&'static str, u16)],
    /// Pseudo-register names of Go's register map, sorted.
    pub(crate) pseudo: &'static [(&'static str, PseudoReg)],
    /// `RegisterPrefix`, sorted.
    pub(crate) prefixes: &'static [&'static str],
    /// `RegisterNumber`, as linear runs, sorted by prefix then `lo`.
    pub(crate) reg_numbers: &'static [RegRange],
    /// Words for which `IsJump` holds, sorted.
    pub(crate) jumps: &'static [&'static str],
    /// `LinkArch.UnaryDst`, sorted.
    pub(crate) unary_dst: &'static [u16],
    /// Register number -> `obj.Rconv` text, sorted by number.
    pub(crate) reg_names: &'static [(u16, &'static str)],
    /// The register numbers this family prints itself, `lo..hi`.
    pub(crate) reg_space: (u16, u16),
    /// Unnamed numbers `r` inside `reg_space` print as `badreg(r - off)` when
    /// this is `Some(off)`, else as `R???r`.
    pub(crate) badreg_fallback: Option<u16>,
    /// Special operand name -> value, sorted by name.
    pub(crate) special: &'static [(&'static str, i64)],
    /// Special operand value -> printing name, sorted by value.
    pub(crate) special_names: &'static [(i64, &'static str)],
    /// Load/store suffixes after `.` (arm `armLS`, arm64 `.P`/`.W`), sorted.
    pub(crate) ls_suffixes: &'static [(&'static str, u8)],
    /// arm's condition-and-suffix table (`armSCOND`), sorted.
    pub(crate) cond_suffixes: &'static [(&'static str, u8)],
    /// x86 AVX-512 suffix combinations (`Z`, `BCST.Z`, `RN_SAE`...) -> `Scond`, sorted.
    pub(crate) evex_suffixes: &'static [(&'static str, u8)],
    /// Go decides x86 jumps by spelling rather than by list (see [`ArchSpec::is_jump`]).
    pub(crate) jump_rule_x86: bool,
}

fn by_name<V: Copy>(table: &'static [(&'static str, V)], key: &str) -> Option<V> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

fn by_num<K: Ord + Copy>(table: &'static [(K, &'static str)], key: K) -> Option<&'static str> {
    table
        .binary_search_by(|(k, _)| k.cmp(&key))
        .ok()
        .map(|i| table[i].1)
}

impl ArchSpec {
    pub fn arch(&self) -> GoArch {
        self.arch
    }

    pub fn family(&self) -> Family {
        self.arch.family()
    }

    /// Whether these are the `-shared` tables (differs only for riscv64, which drops `X3`).
    pub fn shared(&self) -> bool {
        self.shared
    }

    pub fn ptr_size(&self) -> u8 {
        self.ptr_size
    }

    pub fn big_endian(&self) -> bool {
        self.big_endian
    }

    /// Go's `arch.Instructions`: every mnemonic the parser accepts, including the
    /// generic pseudo-ops (`TEXT`, `RET`, `XXX`...), the sentinel `LAST` and the
    /// aliases (`JA`, `B`, `BL`, `MCR`...).
    pub fn op(&self, mnemonic: &str) -> Option<Op> {
        by_name(self.instructions, mnemonic).map(Op)
    }

    /// How Go prints the opcode (`obj.As.String()`), e.g. `JHI` for the op of `JA`.
    /// Empty for a number that is no opcode of this architecture.
    /// For the few opcodes Go cannot print (arm's `MCR`, ppc64's `LAST`) it is
    /// the mnemonic that names the opcode.
    pub fn op_name(&self, op: Op) -> &'static str {
        by_num(self.op_names, op.0)
            .or_else(|| {
                self.instructions
                    .iter()
                    .find(|&&(_, v)| v == op.0)
                    .map(|&(k, _)| k)
            })
            .unwrap_or("")
    }

    /// Exactly Go's text for the opcode (`obj.As.String()`), `A???N` where Go
    /// has no name.
    pub fn op_display(&self, op: Op) -> String {
        match by_num(self.op_names, op.0) {
            Some(s) => s.to_string(),
            None => format!("A???{}", op.0),
        }
    }

    /// Every accepted mnemonic, sorted.
    pub fn mnemonics(&self) -> impl Iterator<Item = &'static str> {
        self.instructions.iter().map(|(k, _)| *k)
    }

    /// Every accepted mnemonic with its opcode, sorted by mnemonic.
    pub fn instructions(&self) -> impl Iterator<Item = (&'static str, Op)> {
        self.instructions.iter().map(|&(k, v)| (k, Op(v)))
    }

    /// Go's `arch.Register` without the pseudo-registers (see [`Self::pseudo_reg`]).
    /// Note that arm's coprocessor names `C0`..`C15` map to the plain numbers 0..15,
    /// so `C0` is `Reg(0)`.
    pub fn reg(&self, name: &str) -> Option<Reg> {
        by_name(self.registers, name).map(Reg)
    }

    /// The pseudo-registers of Go's register map for this architecture. `SP` is
    /// one only on arm and arm64; on amd64, 386, riscv64 and wasm `SP` is a
    /// real register ([`Self::reg`]). wasm has none.
    pub fn pseudo_reg(&self, name: &str) -> Option<PseudoReg> {
        by_name(self.pseudo, name)
    }

    /// The pseudo-register names this architecture accepts, sorted.
    pub fn pseudo_reg_names(&self) -> impl Iterator<Item = &'static str> {
        self.pseudo.iter().map(|(k, _)| *k)
    }

    /// How Go prints the register number (`obj.Rconv`), including packed forms
    /// such as arm64 `V1.B8`, `R3.UXTW<<2` or loong64 arrangements.
    pub fn reg_name(&self, r: Reg) -> String {
        if r.0 == 0 {
            return "NONE".to_string();
        }
        if let Some(s) = by_num(self.reg_names, r.0) {
            return s.to_string();
        }
        match self.badreg_fallback {
            Some(off) if self.reg_space.0 <= r.0 && r.0 < self.reg_space.1 => {
                format!("badreg({})", r.0 - off)
            }
            _ => format!("R???{}", r.0),
        }
    }

    /// The name Go prints for the register, when it is a fixed string of the
    /// table (no `NONE`, `badreg(N)` or `R???N` fallbacks).
    pub fn reg_name_static(&self, r: Reg) -> Option<&'static str> {
        by_num(self.reg_names, r.0)
    }

    /// Every register name of [`Self::reg`], sorted.
    pub fn register_names(&self) -> impl Iterator<Item = &'static str> {
        self.registers.iter().map(|(k, _)| *k)
    }

    /// Every register of [`Self::reg`] with its number, sorted by name.
    pub fn registers(&self) -> impl Iterator<Item = (&'static str, Reg)> {
        self.registers.iter().map(|&(k, v)| (k, Reg(v)))
    }

    /// Go's `RegisterPrefix`: names that may be followed by `(n)`, like `R(3)`.
    pub fn is_register_prefix(&self, name: &str) -> bool {
        self.prefixes.binary_search(&name).is_ok()
    }

    /// The names of [`Self::is_register_prefix`], sorted.
    pub fn register_prefixes(&self) -> impl Iterator<Item = &'static str> {
        self.prefixes.iter().copied()
    }

    /// Go's `RegisterNumber`: the register `prefix(n)` denotes. Like Go's
    /// function it also answers for some names that are not in
    /// [`Self::is_register_prefix`] (ppc64 `V`, `VS`, `A`; mips `W`), which the
    /// parser never asks about.
    pub fn register_number(&self, prefix: &str, n: i16) -> Option<Reg> {
        self.reg_numbers
            .iter()
            .find(|r| r.prefix == prefix && r.lo <= n && n <= r.hi)
            .map(|r| Reg((r.base + i32::from(n)) as u16))
    }

    /// The runs behind [`Self::register_number`].
    pub fn register_number_ranges(&self) -> &'static [RegRange] {
        self.reg_numbers
    }

    /// Go's `IsJump`: whether the statement's operand is parsed as a branch
    /// target. On amd64/386 Go goes by spelling (`J...`, `LOOP...`, `CALL`,
    /// `XBEGIN`), so it holds even for unknown words such as `JFOO`; elsewhere
    /// it is a fixed list (arm64 includes `ADR`/`ADRP`).
    pub fn is_jump(&self, mnemonic: &str) -> bool {
        if self.jump_rule_x86 {
            return mnemonic.starts_with('J')
                || mnemonic.starts_with("LOOP")
                || mnemonic == "CALL"
                || mnemonic == "XBEGIN";
        }
        self.jumps.binary_search(&mnemonic).is_ok()
    }

    /// The words [`Self::is_jump`] holds for among all mnemonics known to any
    /// architecture, sorted (on amd64/386 this includes other arches' `J...`).
    pub fn jump_words(&self) -> impl Iterator<Item = &'static str> {
        self.jumps.iter().copied()
    }

    /// `LinkArch.UnaryDst`: single-operand instructions whose operand is the destination.
    pub fn is_unary_dst(&self, op: Op) -> bool {
        self.unary_dst.binary_search(&op.0).is_ok()
    }

    /// A special operand name (arm64 `PLDL1KEEP`, `EQ`, `VAE1IS`...; riscv64
    /// `E8`, `TA`, CSR names, fence sets...) and its value, which Go stores in
    /// the `Offset` of a `TYPE_SPECIAL` address. None on other architectures.
    pub fn special_operand(&self, name: &str) -> Option<i64> {
        by_name(self.special, name)
    }

    /// How Go prints a special operand value (`obj.SPCconv`).
    pub fn special_operand_name(&self, v: i64) -> Option<&'static str> {
        by_num(self.special_names, v)
    }

    /// Every special operand name with its value, sorted by name.
    pub fn special_operands(&self) -> impl Iterator<Item = (&'static str, i64)> {
        self.special.iter().copied()
    }

    /// Bits of a load/store suffix after `.`: arm `U S W P PW WP` (`C_UBIT`...),
    /// arm64 `P` (`C_XPOST`) and `W` (`C_XPRE`).
    pub fn ls_suffix(&self, name: &str) -> Option<u8> {
        by_name(self.ls_suffixes, name)
    }

    /// arm only: the bits of a condition or suffix after `.` (`EQ`...`AL`, `S`,
    /// `IA`/`DB`..., as Go's `armSCOND` table has them).
    pub fn cond_suffix(&self, name: &str) -> Option<u8> {
        by_name(self.cond_suffixes, name)
    }

    /// amd64/386 only: the `Scond` value of an AVX-512 suffix combination as
    /// written after the mnemonic's first `.`, e.g. `"RN_SAE.Z"` (Go's
    /// `x86.ParseSuffix`; `""` is 0). None for invalid combinations.
    pub fn evex_suffix(&self, suffix: &str) -> Option<u8> {
        by_name(self.evex_suffixes, suffix)
    }

    /// How Go prints an amd64/386 `Scond` value (the inverse of [`Self::evex_suffix`]).
    pub fn evex_suffix_name(&self, scond: u8) -> Option<&'static str> {
        self.evex_suffixes
            .iter()
            .find(|&&(_, v)| v == scond)
            .map(|&(k, _)| k)
    }

    /// The arm condition/suffix table, sorted by name.
    pub fn cond_suffixes(&self) -> impl Iterator<Item = (&'static str, u8)> {
        self.cond_suffixes.iter().copied()
    }
}

impl fmt::Debug for ArchSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchSpec")
            .field("arch", &self.arch)
            .field("shared", &self.shared)
            .field("ptr_size", &self.ptr_size)
            .field("big_endian", &self.big_endian)
            .field("mnemonics", &self.instructions.len())
            .field("registers", &self.registers.len())
            .finish_non_exhaustive()
    }
}
