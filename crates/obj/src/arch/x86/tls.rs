//! How Go reaches thread-local storage (g) on each GOOS, for the x86
//! encoder: `obj6.go` `CanUse1InsnTLS` and the Android/Windows rewrites,
//! `asm6.go` `prefixof`, `vaddr`, `asmandsz` and the `MOV TLS, R` recipe.
//! (Go's headers: ios is darwin, illumos is solaris, android is linux with
//! its own exceptions.)

use arch_tables::x86::consts::*;

use crate::addr::{Addr, AddrName, AddrType};
use crate::prog::Prog;
use crate::sym::SymTab;
use crate::target::GoOs;

fn darwin(goos: GoOs) -> bool {
    matches!(goos, GoOs::Darwin | GoOs::Ios)
}

fn solaris(goos: GoOs) -> bool {
    matches!(goos, GoOs::Solaris | GoOs::Illumos)
}

fn linux(goos: GoOs) -> bool {
    matches!(goos, GoOs::Linux | GoOs::Android)
}

/// `CanUse1InsnTLS`: whether `off(TLS)` can load directly from the TLS segment.
pub(super) fn one_insn(amd64: bool, shared: bool, goos: GoOs) -> bool {
    if goos == GoOs::Android {
        return false;
    }
    if !amd64 {
        return !matches!(goos, GoOs::Linux | GoOs::Plan9 | GoOs::Windows);
    }
    match goos {
        GoOs::Plan9 | GoOs::Windows => false,
        GoOs::Linux | GoOs::FreeBsd => !shared,
        _ => true,
    }
}

/// Whether the one-instruction rewrite drops `MOVQ TLS, R` (Go keeps it on solaris).
pub(super) fn drops_tls_load(goos: GoOs) -> bool {
    !solaris(goos)
}

/// The segment prefix of an `off(TLS)` operand (`prefixof`, base REG_TLS).
pub(super) fn base_prefix(amd64: bool, shared: bool, goos: GoOs) -> Result<u8, String> {
    if !amd64 {
        return match goos {
            g if darwin(g) => Ok(0x65),
            GoOs::Dragonfly | GoOs::FreeBsd | GoOs::NetBsd | GoOs::OpenBsd | GoOs::Android => Ok(0x65),
            _ => Err(format!("unknown TLS base register for GOOS={goos} GOARCH=386")),
        };
    }
    match goos {
        GoOs::Android => Ok(0x64),
        GoOs::Linux if shared => Err("unknown TLS base register for linux with -shared".into()),
        GoOs::Linux | GoOs::Dragonfly | GoOs::FreeBsd | GoOs::NetBsd | GoOs::OpenBsd => Ok(0x64),
        g if solaris(g) => Ok(0x64),
        g if darwin(g) => Ok(0x65),
        _ => Err(format!("unknown TLS base register for GOOS={goos}")),
    }
}

/// Whether an `off(R)(TLS*1)` operand gets a segment prefix (`prefixof`, index REG_TLS).
pub(super) fn index_has_prefix(shared: bool, goos: GoOs) -> bool {
    shared && goos != GoOs::Windows
}

/// Whether `off(TLS)` carries an R_TLS_LE relocation (`vaddr`).
pub(super) fn base_reloc(shared: bool, goos: GoOs) -> bool {
    !shared || goos == GoOs::Android || darwin(goos)
}

/// Whether `off(R)(TLS*1)` carries an R_TLS_LE relocation (`asmandsz`).
pub(super) fn index_reloc(shared: bool, goos: GoOs) -> bool {
    !shared && goos != GoOs::Android && goos != GoOs::Windows
}

/// Which form `MOVQ TLS, R` / `MOVL TLS, R` takes (`movTLSReg`).
pub(super) enum TlsLoad {
    /// linux/freebsd: Go's existing forms (initial exec with -shared; 386 `GS:0`).
    Linux,
    /// solaris amd64: `MOVQ FS:0, R`, no relocation.
    FsZero,
}

pub(super) fn load_form(amd64: bool, goos: GoOs) -> Result<TlsLoad, String> {
    match goos {
        g if linux(g) || g == GoOs::FreeBsd => Ok(TlsLoad::Linux),
        g if amd64 && solaris(g) => Ok(TlsLoad::FsZero),
        _ => Err(format!("unknown TLS base location for GOOS={goos}")),
    }
}

/// Whether [`rewrite`] can change anything on `goos` (checked before the
/// call: it runs for every instruction).
pub(super) fn rewrites(goos: GoOs) -> bool {
    matches!(goos, GoOs::Android | GoOs::Windows | GoOs::Plan9)
}

/// Android and Windows keep the TLS offset in `runtime.tls_g`:
/// `MOVQ TLS, R` becomes `MOVQ runtime.tls_g(SB), R`, and on Windows is
/// followed by `MOVQ 0(R)(GS*1), R` (386: FS), returned to be placed right
/// after it. On windows/amd64 a `(TLS*1)` index becomes `(TLS*2)`, as Go does.
pub(super) fn rewrite(amd64: bool, goos: GoOs, syms: &mut SymTab, p: &mut Prog) -> Option<Prog> {
    if !rewrites(goos) {
        return None;
    }
    let mut extra = None;
    let code = i64::from(p.op.0);
    if matches!(goos, GoOs::Android | GoOs::Windows)
        && (code == AMOVQ || code == AMOVL)
        && p.from.ty == AddrType::Reg
        && i64::from(p.from.reg.0) == REG_TLS
        && p.to.ty == AddrType::Reg
        && (REG_AX..=REG_R15).contains(&i64::from(p.to.reg.0))
    {
        let tls_g = syms.lookup("runtime.tls_g", None);
        p.from = Addr { ty: AddrType::Mem, name: AddrName::Extern, sym: Some(tls_g), ..Default::default() };
        if goos == GoOs::Windows {
            let mut q = p.clone();
            let seg = if amd64 { REG_GS } else { REG_FS };
            q.from = Addr {
                ty: AddrType::Mem,
                reg: p.to.reg,
                index: arch_tables::Reg(seg as u16),
                scale: 1,
                ..Default::default()
            };
            extra = Some(q);
        }
    }
    if goos == GoOs::Windows && amd64 || goos == GoOs::Plan9 {
        for a in [&mut p.from, &mut p.to] {
            if a.scale == 1 && i64::from(a.index.0) == REG_TLS {
                a.scale = 2;
            }
        }
    }
    extra
}
