//! SIMD, crypto and vector load/store recipes.

use super::enc::Enc;

pub fn encode(e: &mut Enc, recipe: u8) -> Vec<u32> {
    e.fail(format!("arm64 encoding recipe {recipe} is not implemented yet in goasm"));
    vec![]
}
