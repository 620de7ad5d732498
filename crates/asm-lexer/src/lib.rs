//! Source → tokens → preprocessed tokens.
//!
//! This crate owns positions ([`Span`], [`SourceMap`]), diagnostics ([`Diag`])
//! and interned names ([`Name`]), which every later stage uses, plus the
//! logos tokenizer and the Go-compatible preprocessor ([`Preprocessor`]).

mod bytes;
pub mod diag;
pub mod headers;
mod lexer;
pub mod name;
pub mod pp;
pub mod source;
pub mod token;

pub use diag::{Diag, Diags, Label, Severity};
pub use name::Name;
pub use pp::{check_define_name, go_build_predefines, load_file, PpConfig, PpLimits, Preprocessor};
pub use source::{FileId, LineCursor, Location, Pos, SourceMap, Span};
pub use token::{Tok, Token};

#[cfg(test)]
mod pp_tests;
