//! Preprocessed tokens → statements → obj programs.
