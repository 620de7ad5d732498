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

/// A diagnostic raised before the token at `at` in its batch, with its line.
struct Event {
    at: usize,
    diag: Diag,
    line: Option<(u32, u32)>,
    /// The error that ends the input.
    end: bool,
}

/// Tokens as the preprocessor made them, and the (rare) diagnostics that
/// go between them.
struct Batch {
    toks: Vec<Token>,
    events: Vec<Event>,
}

/// The receiving end: the rest of the batch at hand, then the channel.
pub struct Piped {
    rx: Receiver<Batch>,
    toks: std::vec::IntoIter<Token>,
    events: std::vec::IntoIter<Event>,
    /// Tokens handed out of the batch at hand.
    taken: usize,
    /// Tokens that can be handed out before an event or the batch's end.
    quiet: usize,
}

impl Piped {
    /// [`TokenSource::next_token`] at an event or at the end of a batch.
    #[inline(never)]
    fn next_general(&mut self, diags: &mut Diags) -> Option<Token> {
        loop {
            if let Some(e) = self.events.as_slice().first().filter(|e| e.at == self.taken) {
                let end = e.end;
                let e = self.events.next().expect("looked at");
                diags.push_at_line(e.diag, e.line);
                if end {
                    return None;
                }
                continue;
            }
            if self.toks.len() == 0 {
                // A closed channel before the end: the preprocessor
                // panicked, which joining it reports.
                let b = self.rx.recv().ok()?;
                self.toks = b.toks.into_iter();
                self.events = b.events.into_iter();
                self.taken = 0;
                continue;
            }
            let next_event = self.events.as_slice().first().map_or(usize::MAX, |e| e.at);
            self.quiet = (next_event - self.taken).min(self.toks.len()) - 1;
            self.taken += self.quiet + 1;
            return self.toks.next();
        }
    }
}

impl TokenSource for Piped {
    #[inline]
    fn next_token(&mut self, diags: &mut Diags) -> Option<Token> {
        if self.quiet > 0 {
            self.quiet -= 1;
            return self.toks.next();
        }
        self.next_general(diags)
    }
    fn sources(&self) -> Option<&SourceMap> {
        None
    }
}

/// Runs the preprocessor until its end (or until the receiver hangs up),
/// then gives back the sources and the files it included.
fn produce(sources: SourceMap, cfg: PpConfig, input: FileId, tx: SyncSender<Batch>) -> (SourceMap, Vec<PathBuf>) {
    let mut pp = Preprocessor::new(sources, cfg, input);
    let mut done = false;
    while !done {
        let mut batch = Batch { toks: Vec::with_capacity(BATCH), events: Vec::new() };
        while batch.toks.len() < BATCH && !done {
            let room = BATCH - batch.toks.len();
            let r = pp.next_tokens(&mut batch.toks, room);
            if pp.has_diags() {
                // They came with the token appended last, if any.
                let at = batch.toks.len() - usize::from(r.is_ok());
                for d in pp.take_diags() {
                    let line = asm_parser::diag_line(pp.sources(), &d);
                    batch.events.push(Event { at, diag: d, line, end: false });
                }
            }
            match r {
                Ok(()) => done = batch.toks.last().is_some_and(|t| t.tok == Tok::Eof),
                Err(d) => {
                    let line = asm_parser::diag_line(pp.sources(), &d);
                    batch.events.push(Event { at: batch.toks.len(), diag: d, line, end: true });
                    done = true;
                }
            }
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
        let mut src = Piped { rx, toks: Vec::new().into_iter(), events: Vec::new().into_iter(), taken: 0, quiet: 0 };
        let finished = parse(&mut src);
        // Hanging up stops the preprocessor if it is not at the end.
        drop(src);
        match pp.join() {
            Ok((sources, included)) => Ok(Outcome { sources, included, finished }),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
