//! One backend per Go architecture family, each in its own directory with
//! the same shape (see docs/pipeline.md).

pub mod arm64;
pub mod x86;
