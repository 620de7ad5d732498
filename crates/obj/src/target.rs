//! Target operating systems and the object format each one gets.

use std::fmt;
use std::str::FromStr;

use arch_tables::GoArch;

/// A Go `$GOOS`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GoOs {
    #[default]
    Linux,
    Android,
    FreeBsd,
    NetBsd,
    OpenBsd,
    Dragonfly,
    Solaris,
    Illumos,
    Darwin,
    Ios,
    Windows,
    Js,
    Wasip1,
    Aix,
    Plan9,
}

/// The kind of object file a target gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectFormat {
    Elf,
    MachO,
    Coff,
    Wasm,
    Xcoff,
    Plan9,
}

impl GoOs {
    pub const ALL: [GoOs; 15] = [
        GoOs::Linux,
        GoOs::Android,
        GoOs::FreeBsd,
        GoOs::NetBsd,
        GoOs::OpenBsd,
        GoOs::Dragonfly,
        GoOs::Solaris,
        GoOs::Illumos,
        GoOs::Darwin,
        GoOs::Ios,
        GoOs::Windows,
        GoOs::Js,
        GoOs::Wasip1,
        GoOs::Aix,
        GoOs::Plan9,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GoOs::Linux => "linux",
            GoOs::Android => "android",
            GoOs::FreeBsd => "freebsd",
            GoOs::NetBsd => "netbsd",
            GoOs::OpenBsd => "openbsd",
            GoOs::Dragonfly => "dragonfly",
            GoOs::Solaris => "solaris",
            GoOs::Illumos => "illumos",
            GoOs::Darwin => "darwin",
            GoOs::Ios => "ios",
            GoOs::Windows => "windows",
            GoOs::Js => "js",
            GoOs::Wasip1 => "wasip1",
            GoOs::Aix => "aix",
            GoOs::Plan9 => "plan9",
        }
    }

    pub fn object_format(self) -> ObjectFormat {
        match self {
            GoOs::Darwin | GoOs::Ios => ObjectFormat::MachO,
            GoOs::Windows => ObjectFormat::Coff,
            GoOs::Js | GoOs::Wasip1 => ObjectFormat::Wasm,
            GoOs::Aix => ObjectFormat::Xcoff,
            GoOs::Plan9 => ObjectFormat::Plan9,
            _ => ObjectFormat::Elf,
        }
    }

    /// The GOOS a host build of goasm defaults to.
    pub fn host() -> GoOs {
        match std::env::consts::OS {
            "macos" => GoOs::Darwin,
            "windows" => GoOs::Windows,
            "freebsd" => GoOs::FreeBsd,
            "netbsd" => GoOs::NetBsd,
            "openbsd" => GoOs::OpenBsd,
            "dragonfly" => GoOs::Dragonfly,
            "solaris" => GoOs::Solaris,
            "illumos" => GoOs::Illumos,
            "android" => GoOs::Android,
            "ios" => GoOs::Ios,
            _ => GoOs::Linux,
        }
    }
}

impl FromStr for GoOs {
    type Err = String;
    fn from_str(s: &str) -> Result<GoOs, String> {
        GoOs::ALL
            .iter()
            .copied()
            .find(|o| o.name() == s)
            .ok_or_else(|| format!("unknown GOOS {s:?} (known: {})", GoOs::ALL.map(|o| o.name()).join(", ")))
    }
}

impl fmt::Display for GoOs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The GOARCH a host build of goasm defaults to.
pub fn host_arch() -> GoArch {
    match std::env::consts::ARCH {
        "x86" => GoArch::I386,
        "aarch64" => GoArch::Arm64,
        "arm" => GoArch::Arm,
        "loongarch64" => GoArch::Loong64,
        "mips" if cfg!(target_endian = "little") => GoArch::Mipsle,
        "mips" => GoArch::Mips,
        "mips64" if cfg!(target_endian = "little") => GoArch::Mips64le,
        "mips64" => GoArch::Mips64,
        "powerpc64" if cfg!(target_endian = "little") => GoArch::Ppc64le,
        "powerpc64" => GoArch::Ppc64,
        "riscv64" => GoArch::Riscv64,
        "s390x" => GoArch::S390x,
        "wasm32" => GoArch::Wasm,
        _ => GoArch::Amd64,
    }
}

/// Everything about the target that changes the object file.
#[derive(Clone, Debug)]
pub struct Target {
    pub arch: GoArch,
    pub os: GoOs,
    /// GOARM's `,softfloat` (or GOARM=5): the soft-float ABI on arm.
    pub soft_float: bool,
}

impl Target {
    pub fn new(arch: GoArch, os: GoOs) -> Target {
        Target { arch, os, soft_float: false }
    }
}
