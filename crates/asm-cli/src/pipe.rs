//! The preprocessor on a thread of its own, ahead of parsing, lowering and
//! encoding on the calling thread: it is about a third of the instructions
//! on a large input, which the calling thread (the critical path) no longer
//! runs. (Encoding cannot move to a thread of its own this way: backends
//! create symbols, and the object's data order follows symbol ids.)
//!
//! The preprocessor hands over its tokens in batches through a bounded
//! channel (memory stays bounded), each of its diagnostics placed before
//! the token it came with and carrying its line, as on one thread. The
//! other half cannot show the sources (the preprocessor owns them), which
//! its own diagnostics need: at the first one it stops, and the caller
//! assembles again on one thread (an error costs that much more time, and
//! the output stays what one thread makes).

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use asm_lexer::pp::{PpConfig, Preprocessor};
use asm_lexer::{Diag, Diags, FileId, SourceMap, Tok, Token};
use asm_parser::TokenSource;

/// Tokens per batch: large enough that the channel costs nothing per
/// token, small enough to stay in cache.
const BATCH: usize = 4096;

/// Batches in flight: some 48K tokens (2.3 MiB), so that either thread can
/// run on while the other waits for a CPU. 4 batches made a busy machine's
/// scheduling show through; 32 cost 7 MiB of peak memory on amd64enc_x100
/// (the limit is 96 MiB; 12 cost 3.2 MiB).
const DEPTH: usize = 12;

/// The preprocessor's stack (macro expansion recurses, within the
/// preprocessor's limits): reserved, not touched.
const STACK_SIZE: usize = 64 << 20;

/// Inputs from this size on (bytes of the top-level file) are worth a
/// thread; below, starting one costs more than it saves.
pub const MIN_BYTES: usize = 256 << 10;

/// A diagnostic of the preprocessor, with its line.
struct Event {
    diag: Diag,
    line: Option<(u32, u32)>,
    /// The error that ends the input.
    end: bool,
}

/// Tokens as the preprocessor made them, after the (rare) diagnostics
/// raised before the first of them. A batch is mostly one segment.
struct Segment {
    events: Vec<Event>,
    toks: Vec<Token>,
}

/// The receiving end: the rest of the segment at hand, the rest of its
/// batch, then the channel.
pub struct Piped {
    rx: Receiver<Vec<Segment>>,
    toks: std::vec::IntoIter<Token>,
    events: std::vec::IntoIter<Event>,
    segments: std::vec::IntoIter<Segment>,
}

impl Piped {
    /// [`TokenSource::next_token`] at the end of a segment.
    #[inline(never)]
    fn next_general(&mut self, diags: &mut Diags) -> Option<Token> {
        loop {
            if let Some(e) = self.events.next() {
                diags.push_at_line(e.diag, e.line);
                if e.end {
                    return None;
                }
                continue;
            }
            if let Some(t) = self.toks.next() {
                return Some(t);
            }
            match self.segments.next() {
                Some(s) => {
                    self.events = s.events.into_iter();
                    self.toks = s.toks.into_iter();
                }
                // A closed channel before the end: the preprocessor
                // panicked, which joining it reports.
                None => self.segments = self.rx.recv().ok()?.into_iter(),
            }
        }
    }
}

impl TokenSource for Piped {
    #[inline]
    fn next_token(&mut self, diags: &mut Diags) -> Option<Token> {
        match self.toks.next() {
            Some(t) => Some(t),
            None => self.next_general(diags),
        }
    }
    fn sources(&self) -> Option<&SourceMap> {
        None
    }
    /// The current segment's tokens: its diagnostics came before them.
    #[inline(always)]
    fn next_ready(&mut self) -> Option<Token> {
        self.toks.next()
    }
}

/// Runs the preprocessor until its end (or until the receiver hangs up),
/// then gives back the sources and the files it included.
fn produce(sources: SourceMap, cfg: PpConfig, input: FileId, tx: SyncSender<Vec<Segment>>) -> (SourceMap, Vec<PathBuf>) {
    let mut pp = Preprocessor::new(sources, cfg, input);
    let mut done = false;
    while !done {
        let mut batch = vec![Segment { events: Vec::new(), toks: Vec::with_capacity(BATCH) }];
        let mut count = 0;
        while count < BATCH && !done {
            let seg = batch.last_mut().expect("a segment");
            let before = seg.toks.len();
            let r = pp.next_tokens(&mut seg.toks, BATCH - count);
            count += seg.toks.len() - before;
            if pp.has_diags() || r.is_err() {
                // The diagnostics came with the token appended last, if
                // any, which starts the next segment after them.
                let carried = if r.is_ok() { seg.toks.pop() } else { None };
                let pending = pp.take_diags();
                let event = |d: Diag, end: bool| Event { line: asm_parser::diag_line(pp.sources(), &d), diag: d, end };
                let mut events: Vec<Event> = pending.into_iter().map(|d| event(d, false)).collect();
                if let Err(d) = r {
                    events.push(event(d, true));
                    done = true;
                }
                let mut toks = Vec::with_capacity(BATCH - count + 1);
                toks.extend(carried);
                batch.push(Segment { events, toks });
            }
            done |= batch.last().and_then(|s| s.toks.last()).is_some_and(|t| t.tok == Tok::Eof);
        }
        if tx.send(batch).is_err() {
            break;
        }
    }
    let included = pp.included_paths().to_vec();
    (pp.into_sources(), included)
}

/// What [`assemble_file`] hands back: the sources, the files the input
/// included, and whether it finished (false: a diagnostic of parsing or
/// lowering stopped it, and the whole assembly must run again on one thread).
pub struct Outcome {
    pub sources: SourceMap,
    pub included: Vec<PathBuf>,
    pub finished: bool,
}

/// `parse` (which runs [`asm_parser::assemble_file_with`]) on `input`
/// (already in `sources`), with the preprocessor on another thread. An
/// error: no thread could start.
pub fn assemble_file(
    sources: SourceMap,
    cfg: PpConfig,
    input: FileId,
    parse: impl FnOnce(&mut Piped) -> bool,
) -> std::io::Result<Outcome> {
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel(DEPTH);
        let pp = std::thread::Builder::new()
            .name("goasm-pp".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, move || produce(sources, cfg, input, tx))?;
        let mut src = Piped { rx, toks: Vec::new().into_iter(), events: Vec::new().into_iter(), segments: Vec::new().into_iter() };
        let finished = parse(&mut src);
        // Hanging up stops the preprocessor if it is not at the end.
        drop(src);
        match pp.join() {
            Ok((sources, included)) => Ok(Outcome { sources, included, finished }),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
