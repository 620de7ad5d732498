//! The program representation, per-architecture backends and object writers.
//!
//! A [`Module`] holds what one assembly produces before encoding: symbols
//! ([`SymTab`]), TEXT bodies ([`Func`] of [`Prog`]s) and data. A Rust program
//! can build one without any text and hand it to the same backends.

pub mod addr;
pub mod module;
pub mod prog;
pub mod sym;

pub use addr::{Addr, AddrName, AddrType, AddrVal};
pub use arch_tables::{GoArch, Op, Reg};
pub use module::{Func, Module, ARGS_SIZE_UNKNOWN};
pub use prog::{ArgDir, Prog};
pub use sym::{flags, Abi, Reloc, RelocKind, SymId, SymKind, SymTab, Symbol};
