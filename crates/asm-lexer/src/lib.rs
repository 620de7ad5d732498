//! Source → tokens → preprocessed tokens.
//!
//! This crate owns positions ([`Span`], [`SourceMap`]), diagnostics ([`Diag`])
//! and interned names ([`Name`]), which every later stage uses, plus the
//! logos tokenizer and the Go-compatible preprocessor.

pub mod diag;
pub mod name;
pub mod source;
pub mod token;

pub use diag::{Diag, Diags, Label, Severity};
pub use name::Name;
pub use source::{FileId, Location, Pos, SourceMap, Span};
pub use token::{Tok, Token};
