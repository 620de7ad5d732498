//! Headers that `go build` makes available through `-I $GOROOT/pkg/include`,
//! built in so that `#include "textflag.h"` works with no Go installed.
//! Macro names and values are those of Go 1.27.3; the text is ours. A file
//! found on disk by the normal search always wins over these.

const TEXTFLAG_H: &str = "\
// Symbol attribute flags for TEXT, GLOBL and DATA (goasm built-in copy).
#define NOPROF 1
#define DUPOK 2
#define NOSPLIT 4
#define RODATA 8
#define NOPTR 16
#define WRAPPER 32
#define NEEDCTXT 64
#define TLSBSS 256
#define NOFRAME 512
#define REFLECTMETHOD 1024
#define TOPFRAME 2048
#define ABIWRAPPER 4096
";

const FUNCDATA_H: &str = "\
// PCDATA and FUNCDATA table indexes and helpers (goasm built-in copy).
#define PCDATA_UnsafePoint 0
#define PCDATA_StackMapIndex 1
#define PCDATA_InlTreeIndex 2
#define PCDATA_ArgLiveIndex 3
#define PCDATA_PanicBounds 4

#define FUNCDATA_ArgsPointerMaps 0
#define FUNCDATA_LocalsPointerMaps 1
#define FUNCDATA_StackObjects 2
#define FUNCDATA_InlTree 3
#define FUNCDATA_OpenCodedDeferInfo 4
#define FUNCDATA_ArgInfo 5
#define FUNCDATA_ArgLiveInfo 6
#define FUNCDATA_WrapInfo 7

// The function's arguments hold pointers described by go_args_stackmap.
#define GO_ARGS FUNCDATA $FUNCDATA_ArgsPointerMaps, go_args_stackmap(SB)
// From here on, the results are initialized.
#define GO_RESULTS_INITIALIZED PCDATA $PCDATA_StackMapIndex, $1
// The frame has no pointers in locals.
#define NO_LOCAL_POINTERS FUNCDATA $FUNCDATA_LocalsPointerMaps, no_pointers_stackmap(SB)

// Argument size for functions whose argument size is not known.
#define ArgsSizeUnknown 0x80000000
";

const ASM_AMD64_H: &str = "\
// CPU features guaranteed by the GOAMD64 level (goasm built-in copy).
// go build passes exactly one of -D GOAMD64_v1 .. GOAMD64_v4.
#ifdef GOAMD64_v2
#define hasPOPCNT
#define hasSSE42
#endif

#ifdef GOAMD64_v3
#define hasAVX
#define hasAVX2
#define hasPOPCNT
#define hasSSE42
#endif

#ifdef GOAMD64_v4
#define hasAVX
#define hasAVX2
#define hasAVX512F
#define hasAVX512BW
#define hasAVX512VL
#define hasPOPCNT
#define hasSSE42
#endif
";

const ASM_PPC64X_H: &str = "\
// ppc64 and ppc64le ABI helpers (goasm built-in copy).

// Bytes reserved at the bottom of every frame by the ELFv2/AIX ABIs.
#define FIXED_FRAME 32

#ifdef GOOS_aix
#ifdef GOARCH_ppc64
// On AIX a function symbol names a descriptor: entry point, TOC, environment.
#define GO_PPC64X_HAS_FUNCDESC
#define DEFINE_PPC64X_FUNCDESC(funcname, localfuncname) \\
	DATA funcname+0(SB)/8, $localfuncname(SB) \\
	DATA funcname+8(SB)/8, $TOC(SB) \\
	DATA funcname+16(SB)/8, $0 \\
	GLOBL funcname(SB), NOPTR, $24
#endif
#endif
";

const ASM_RISCV64_H: &str = "\
// Extensions guaranteed by the GORISCV64 profile (goasm built-in copy).
#ifdef GORISCV64_rva22u64
#define hasZba
#define hasZbb
#define hasZbs
#endif

#ifdef GORISCV64_rva23u64
#define hasV
#define hasZba
#define hasZbb
#define hasZbs
#define hasZfa
#define hasZicond
#endif
";

/// The built-in headers: include name and text.
pub const BUILTIN_HEADERS: &[(&str, &str)] = &[
    ("textflag.h", TEXTFLAG_H),
    ("funcdata.h", FUNCDATA_H),
    ("asm_amd64.h", ASM_AMD64_H),
    ("asm_ppc64x.h", ASM_PPC64X_H),
    ("asm_riscv64.h", ASM_RISCV64_H),
];

/// The text of a built-in header, by the name used in `#include`.
pub fn builtin_header(name: &str) -> Option<&'static str> {
    BUILTIN_HEADERS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
