//! The program representation, per-architecture backends and object writers.
//!
//! A [`Module`] holds what one assembly produces before encoding: symbols
//! ([`SymTab`]), TEXT bodies ([`Func`] of [`Prog`]s) and data. A Rust program
//! can build one without any text and hand it to the same backends
//! ([`backend()`]) and writer ([`write_object`]).

pub mod addr;
pub mod arch;
pub mod backend;
pub mod dwarf;
pub mod listing;
pub mod module;
pub mod pass;
pub mod prog;
pub mod sym;
pub mod target;
pub mod write;

pub use addr::{Addr, AddrName, AddrType, AddrVal};
pub use arch_tables::{GoArch, Op, Reg};
pub use backend::{backend, Backend, Ctxt, NativeReloc, Operand};
pub use module::{Func, Module, ARGS_SIZE_UNKNOWN};
pub use prog::{ArgDir, Prog, Rest};
pub use sym::{flags, Abi, Reloc, RelocKind, SymId, SymKind, SymTab, Symbol};
pub use target::{host_arch, GoOs, ObjectFormat, Target};
pub use write::{write_object, write_object_with, WriteOptions};
