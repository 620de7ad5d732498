//! Tests of the preprocessor: Go's lexer test cases (expected token texts
//! joined by '.'), error cases, include search, built-in headers,
//! predefines and hostile input.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pp::{check_define_name, go_build_predefines, load_file, PpConfig, PpLimits, Preprocessor};
use crate::{Diag, Severity, SourceMap, Tok};

fn lines(a: &[&str]) -> String {
    let mut s = a.join("\n");
    s.push('\n');
    s
}

fn pp_for(input: &str, cfg: PpConfig) -> Preprocessor {
    let mut sm = SourceMap::new();
    let id = sm.add("test.s", None, input.to_owned()).unwrap();
    Preprocessor::new(sm, cfg, id)
}

fn text_of(t: &Tok) -> String {
    match t {
        Tok::Newline => "\n".into(),
        Tok::Str(b) => format!("{:?}", String::from_utf8_lossy(b)),
        other => other.to_string(),
    }
}

/// All tokens as Go's lexer test prints them, or the first fatal error.
fn drain_cfg(input: &str, cfg: PpConfig) -> Result<String, String> {
    let mut pp = pp_for(input, cfg);
    let mut out = Vec::new();
    loop {
        let t = pp.next_token().map_err(|d| d.message)?;
        if t.tok == Tok::Eof {
            return Ok(out.join("."));
        }
        out.push(text_of(&t.tok));
    }
}

fn drain(input: &str) -> Result<String, String> {
    drain_cfg(input, PpConfig::default())
}

fn first_error(input: &str) -> String {
    match drain(input) {
        Ok(s) => panic!("no error for {input:?}; got {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn go_lex_test_cases() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", "".into(), ""),
        ("simple", "1 (a)".into(), "1.(.a.)"),
        ("simple define", lines(&["#define A 1234", "A"]), "1234.\n"),
        ("define without value", "#define A".into(), ""),
        ("macro without arguments", "#define A() 1234\nA()\n".into(), "1234.\n"),
        ("macro with just parens as body", "#define A () \nA\n".into(), "(.).\n"),
        ("macro with parens but no arguments", "#define A (x) \nA\n".into(), "(.x.).\n"),
        ("macro with arguments", "#define A(x, y, z) x+z+y\nA(1, 2, 3)\n".into(), "1.+.3.+.2.\n"),
        ("argumented macro invoked without arguments", lines(&["#define X() foo ", "X()", "X"]), "foo.\n.X.\n"),
        (
            "multiline macro without arguments",
            lines(&["#define A 1\\", "\t2\\", "\t3", "before", "A", "after"]),
            "before.\n.1.\n.2.\n.3.\n.after.\n",
        ),
        (
            "multiline macro with arguments",
            lines(&["#define A(a, b, c) a\\", "\tb\\", "\tc", "before", "A(1, 2, 3)", "after"]),
            "before.\n.1.\n.2.\n.3.\n.after.\n",
        ),
        (
            "LOAD macro",
            lines(&["#define LOAD(off, reg) \\", "\tMOVBLZX\t(off*4)(R12),\treg \\", "\tADDB\treg,\t\tDX", "", "LOAD(8, AX)"]),
            "\n.\n.MOVBLZX.(.8.*.4.).(.R12.).,.AX.\n.ADDB.AX.,.DX.\n",
        ),
        (
            "nested multiline macro",
            lines(&[
                "#define KEYROUND(xmm, load, off, r1, r2, index) \\",
                "\tMOVBLZX\t(BP)(DX*4),\tR8 \\",
                "\tload((off+1), r2) \\",
                "\tMOVB\tR8,\t\t(off*4)(R12) \\",
                "\tPINSRW\t$index, (BP)(R8*4), xmm",
                "#define LOAD(off, reg) \\",
                "\tMOVBLZX\t(off*4)(R12),\treg \\",
                "\tADDB\treg,\t\tDX",
                "KEYROUND(X0, LOAD, 8, AX, BX, 0)",
            ]),
            "\n.MOVBLZX.(.BP.).(.DX.*.4.).,.R8.\n.\n.MOVBLZX.(.(.8.+.1.).*.4.).(.R12.).,.BX.\n.ADDB.BX.,.DX.\n.MOVB.R8.,.(.8.*.4.).(.R12.).\n.PINSRW.$.0.,.(.BP.).(.R8.*.4.).,.X0.\n",
        ),
        ("taken #ifdef", lines(&["#define A", "#ifdef A", "#define B 1234", "#endif", "B"]), "1234.\n"),
        ("not taken #ifdef", lines(&["#ifdef A", "#define B 1234", "#endif", "B"]), "B.\n"),
        (
            "taken #ifdef with else",
            lines(&["#define A", "#ifdef A", "#define B 1234", "#else", "#define B 5678", "#endif", "B"]),
            "1234.\n",
        ),
        (
            "not taken #ifdef with else",
            lines(&["#ifdef A", "#define B 1234", "#else", "#define B 5678", "#endif", "B"]),
            "5678.\n",
        ),
        (
            "nested taken/taken #ifdef",
            lines(&["#define A", "#define B", "#ifdef A", "#ifdef B", "#define C 1234", "#else", "#define C 5678", "#endif", "#endif", "C"]),
            "1234.\n",
        ),
        (
            "nested taken/not-taken #ifdef",
            lines(&["#define A", "#ifdef A", "#ifdef B", "#define C 1234", "#else", "#define C 5678", "#endif", "#endif", "C"]),
            "5678.\n",
        ),
        (
            "nested not-taken/would-be-taken #ifdef",
            lines(&["#define B", "#ifdef A", "#ifdef B", "#define C 1234", "#else", "#define C 5678", "#endif", "#endif", "C"]),
            "C.\n",
        ),
        (
            "nested not-taken/not-taken #ifdef",
            lines(&["#ifdef A", "#ifdef B", "#define C 1234", "#else", "#define C 5678", "#endif", "#endif", "C"]),
            "C.\n",
        ),
        ("nested #define", lines(&["#define A #define B THIS", "A", "B"]), "THIS.\n"),
        ("nested #define with args", lines(&["#define A #define B(x) x", "A", "B(THIS)"]), "THIS.\n"),
        // The case Go's own test leaves disabled: inside an expansion, `B (x)`
        // still counts as adjacent, so B takes a parameter (Go does the same).
        ("nested #define with spaced args", lines(&["#define A #define B (x) x", "A", "B(THIS)"]), "THIS.\n"),
    ];
    for (name, input, want) in cases {
        assert_eq!(drain(&input).as_deref(), Ok(want), "{name}");
    }
}

#[test]
fn go_bad_lex_cases() {
    let cases: &[(&str, &str)] = &[
        ("3 #define foo bar\n", "'#' must be first item on line"),
        ("#ifdef foo\nhello", "unclosed #ifdef or #ifndef"),
        ("#ifndef foo\nhello", "unclosed #ifdef or #ifndef"),
        ("#ifdef foo\nhello\n#else\nbye", "unclosed #ifdef or #ifndef"),
        ("#define A() A()\nA()", "recursive macro invocation"),
        ("#define A a\n#define A a\n", "redefinition of macro: A"),
        // Go's test expects its file name here; the message Go prints is this.
        ("#define A a", "missing newline in definition for macro: A"),
    ];
    for &(input, want) in cases {
        assert_eq!(first_error(input), want, "{input:?}");
    }
}

#[test]
fn directive_errors_worded_as_go() {
    let cases: &[(&str, &str)] = &[
        ("#define A A\nA\n", "recursive macro invocation"),
        ("#define A B\n#define B A\nA\n", "recursive macro invocation"),
        ("#define A x A\nA\n", "input recursion"),
        ("#define A(x) x\nA(\n", "unterminated arg list invoking macro: A"),
        ("#define A(x) x\nA(1,\n2)\n", "unterminated arg list invoking macro: A"),
        ("#define A(x) x\nA(1,2)\n", "wrong arg count for macro A"),
        ("#define A(x, y) x\nA()\n", "wrong arg count for macro A"),
        ("#undef B\n", "#undef for undefined macro: B"),
        ("#define A\n#undef A B\n", "syntax error in #undef for macro: A"),
        ("#else\n", "unmatched #else"),
        ("#endif\n", "unmatched #endif"),
        ("#if X\n", "unexpected token after '#': if"),
        ("#pragma X\n", "unexpected token after '#': pragma"),
        ("#include x\n", "expected string after #include ; got \"x\""),
        ("#include \"a\\q\"\n", "unquoting include file name:  invalid syntax"),
        ("#include \"x.h\" y\n", "expected newline after #include ; got \"y\""),
        ("#define A(x,x) x\n", "duplicate argument x in definition for macro: A"),
        ("#define A(x y) x\n", "bad syntax in definition for macro: A"),
        ("#define A(,x) x\n", "bad syntax in definition for macro: A"),
        ("#define A(1) x\n", "bad definition for macro: A"),
        ("#define A(x\n", "bad definition for macro: A"),
        ("#define A x \\y\n", "can only escape \\ or \\n in definition for macro: A"),
        ("#line 3 x\n", "expected file name in #line ; got \"x\""),
        ("#line x \"f\"\n", "expected line number after #line ; got \"x\""),
        ("#line 3 \"x\" 4\n", "unexpected token at end of #line:  integer constant"),
        ("#line 0x3 \"x\"\n", "error parsing #line (cannot happen): strconv.Atoi: parsing \"0x3\": invalid syntax"),
        ("#\n", "expected identifier after '#' ; got \"\\n\""),
        ("#ifdef 3\n", "expected identifier after # directive ; got \"3\""),
        ("#ifdef A B\n", "expected newline after #if[n]def ; got \"B\""),
        ("#else junk\n", "expected newline after #else ; got \"junk\""),
        ("#define\n", "expected identifier after # directive ; got \"\\n\""),
        ("A ; #define B\n", "'#' must be first item on line"),
        // Go joins an absolute name onto each directory: the last try is "./" + name.
        ("#include \"/nonexistent-goasm/x.h\"\n", "#include: open nonexistent-goasm/x.h: no such file or directory"),
        ("#define GOOS_x 2\n", ""),
    ];
    for &(input, want) in cases {
        if want.is_empty() {
            continue;
        }
        assert_eq!(first_error(input), want, "{input:?}");
    }
    // Redefining a -D macro in the source is an error, as in Go.
    let cfg = PpConfig { defines: vec![("GOOS_x".into(), None)], ..Default::default() };
    assert_eq!(drain_cfg("#define GOOS_x 2\n", cfg), Err("redefinition of macro: GOOS_x".into()));
}

#[test]
fn skipped_regions_follow_go() {
    // Only else/endif/ifdef/ifndef/line count in a skipped region, so `#if`
    // does not open a block and the `#endif` closes the outer one.
    assert_eq!(first_error("#ifdef NOPE\n#if X\n#endif\n#endif\n"), "unmatched #endif");
    // Other directives in a skipped region are ignored, even malformed ones.
    assert_eq!(drain("#ifdef NOPE\n#include nothing\n#define\n#error x\n#endif\nok\n").as_deref(), Ok("ok.\n"));
    // '#' placement is still checked.
    assert_eq!(first_error("#ifdef NOPE\nx # y\n#endif\n"), "'#' must be first item on line");
    // Macros are expanded (and checked) in skipped regions too.
    assert_eq!(first_error("#define F(x) x\n#ifdef NOPE\nF(1,2)\n#endif\n"), "wrong arg count for macro F");
    // A function-like name with no '(' at a line end eats the newline, so the
    // next directive is not first on its line (as Go does).
    assert_eq!(first_error("#define X() foo\n#ifdef NOPE\nX\n#endif\n"), "'#' must be first item on line");
    // #ifndef and #else nesting inside a skipped block.
    assert_eq!(drain("#ifdef NOPE\n#ifndef NOPE\na\n#else\nb\n#endif\n#else\nc\n#endif\n").as_deref(), Ok("c.\n"));
    assert_eq!(drain("#ifndef NOPE\na\n#else\nb\n#endif\n").as_deref(), Ok("a.\n"));
}

#[test]
fn tokens_and_spellings() {
    assert_eq!(drain("MOVQ ·f+8(SB), AX; RET\n").as_deref(), Ok("MOVQ..f.+.8.(.SB.).,.AX.\n.RET.\n"));
    assert_eq!(drain("runtime∕debug·x\n").as_deref(), Ok("runtime/debug.x.\n"));
    assert_eq!(drain("a<<2>>1 R1->3 R2@>4\n").as_deref(), Ok("a.<<.2.>>.1.R1.->.3.R2.@>.4.\n"));
    // Block comments do not end a statement; line comments are dropped.
    assert_eq!(drain("A /* x\ny */ B // c\nC\n").as_deref(), Ok("A.B.\n.C.\n"));
    // CRLF and lone CR are white space.
    assert_eq!(drain("A\r\nB\rC\n").as_deref(), Ok("A.\n.B.C.\n"));
    // Strings: Go escapes decoded; · inside a literal is rewritten too (Go does).
    let mut pp = pp_for("$\"a\\x41\\n·\" '\\n' 'é' '\\xff'\n", PpConfig::default());
    let toks: Vec<Tok> = std::iter::from_fn(|| Some(pp.next_token().unwrap().tok)).take(5).collect();
    assert_eq!(toks[1], Tok::Str(b"aA\n.".to_vec().into_boxed_slice()));
    assert_eq!(toks[2], Tok::Char(Some(10)));
    assert_eq!(toks[3], Tok::Char(Some('é' as u32)));
    assert_eq!(toks[4], Tok::Char(None));
    // Numbers keep their text.
    let mut pp = pp_for("0x1_F 017 1.5e3 .5\n", PpConfig::default());
    let toks: Vec<Tok> = std::iter::from_fn(|| Some(pp.next_token().unwrap().tok)).take(4).collect();
    assert!(matches!(toks[0], Tok::Int(n) if n.as_str() == "0x1_F"));
    assert!(matches!(toks[1], Tok::Int(n) if n.as_str() == "017"));
    assert!(matches!(toks[2], Tok::Float(n) if n.as_str() == "1.5e3"));
    assert!(matches!(toks[3], Tok::Float(n) if n.as_str() == ".5"));
}

fn all_diags(input: &str) -> (Vec<Tok>, Vec<Diag>) {
    collect_with_diags(pp_for(input, PpConfig::default()))
}

fn collect_with_diags(mut pp: Preprocessor) -> (Vec<Tok>, Vec<Diag>) {
    let mut toks = Vec::new();
    let mut diags = Vec::new();
    loop {
        let t = pp.next_token().unwrap();
        diags.extend(pp.take_diags());
        if t.tok == Tok::Eof {
            return (toks, diags);
        }
        toks.push(t.tok);
    }
}

#[test]
fn scanner_complaints_are_warnings() {
    let (_, d) = all_diags("MOVQ $08, AX\n");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].severity, d[0].message.as_str()), (Severity::Warning, "invalid digit '8' in octal literal"));
    let (toks, d) = all_diags("A \0 B // c\0\n");
    assert_eq!(toks[1], Tok::Punct('\0'));
    assert!(d.iter().all(|d| d.message == "invalid character NUL" && d.severity == Severity::Warning));
    assert_eq!(d.len(), 2);
    let (_, d) = all_diags("X /* open");
    assert_eq!(d[0].message, "comment not terminated");
    // A malformed string handed out is an error: the parser cannot see it.
    let (_, d) = all_diags("DATA $\"a\\qb\"\n");
    let msgs: Vec<_> = d.iter().map(|d| (d.severity, d.message.as_str())).collect();
    assert_eq!(msgs, [(Severity::Warning, "invalid char escape"), (Severity::Error, "string parse error: invalid syntax")]);
    // Skipped text: warnings only.
    let (_, d) = all_diags("#ifdef NOPE\n x = 'ab'\n#endif\n");
    assert!(d.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn invalid_utf8_and_bom() {
    let mut sm = SourceMap::new();
    let id = sm.add_bytes("bad.s", None, b"\xef\xbb\xbfA \xff B // \xfe\n".to_vec()).unwrap();
    let (toks, diags) = collect_with_diags(Preprocessor::new(sm, PpConfig::default(), id));
    let toks: Vec<String> = toks.iter().map(Tok::to_string).collect();
    assert_eq!(toks, ["A", "\u{fffd}", "B", "newline"]);
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d.message == "invalid UTF-8 encoding"));
}

#[test]
fn build_tag_placement() {
    let errs = |s: &str| all_diags(s).1.into_iter().filter(|d| d.is_error()).map(|d| d.message).collect::<Vec<_>>();
    assert!(errs("//go:build amd64\nTEXT x\n").is_empty());
    assert!(errs("// x\n\n//go:build amd64\nTEXT x\n").is_empty());
    assert_eq!(errs("#define X 1\n\n//go:build x\n"), ["misplaced //go:build comment"]);
    assert_eq!(errs("TEXT x\n//go:build x\n//go:buildx\n"), ["misplaced //go:build comment"]);
    assert_eq!(errs(";\n//go:build x\n"), ["misplaced //go:build comment"]);
    // Go's parser stays silent until it has been handed a token.
    assert!(errs("#define X 1\n//go:build amd64\n").is_empty());
    // testdata/buildtagerror.s
    assert_eq!(errs("#define X 1\n\n//go:build x // ERROR \"misplaced //go:build comment\"\n"), ["misplaced //go:build comment"]);
}

#[test]
fn function_like_name_without_args() {
    let (toks, d) = all_diags("#define X() foo\n#define Y 1\nX Y\n");
    // The token after the name is handed on unexpanded, as in Go.
    assert_eq!(toks.iter().map(|t| t.to_string()).collect::<Vec<_>>(), ["X", "Y", "newline"]);
    assert_eq!(d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["function-like macro X used without arguments"]);
}

#[test]
fn expansion_spans() {
    let src = "#define M(r) MOVQ r, AX\nM(BX)\n";
    let mut pp = pp_for(src, PpConfig::default());
    let t = pp.next_token().unwrap();
    assert_eq!(t.tok.to_string(), "MOVQ");
    assert_eq!(pp.sources().text(t.span), "M(BX)");
    assert_eq!(pp.sources().text(t.macro_def.unwrap()), "M");
    let bx = pp.next_token().unwrap();
    assert_eq!(pp.sources().text(bx.span), "M(BX)");
    // The newline after the invocation is the file's own.
    for _ in 0..2 {
        pp.next_token().unwrap();
    }
    let nl = pp.next_token().unwrap();
    assert_eq!(nl.tok, Tok::Newline);
    assert_eq!(nl.macro_def, None);
    // Nested: the outermost invocation, the innermost definition.
    let src = "#define IN x\n#define OUT(a) a IN\n  OUT(y)\n";
    let mut pp = pp_for(src, PpConfig::default());
    let y = pp.next_token().unwrap();
    let x = pp.next_token().unwrap();
    assert_eq!(pp.sources().text(y.span), "OUT(y)");
    assert_eq!(pp.sources().text(x.span), "OUT(y)");
    assert_eq!(pp.sources().text(x.macro_def.unwrap()), "IN");
    let l = pp.sources().locate(x.span.lo).unwrap();
    assert_eq!((l.line, l.col), (3, 3));
}

#[test]
fn argument_list_runs_past_an_expansion() {
    // F's name comes from G's expansion, its arguments from the file.
    assert_eq!(drain("#define F(x) [x]\n#define G F\nG(1)\n").as_deref(), Ok("[.1.].\n"));
    // Arguments: nested parentheses, ';' allowed; an empty argument leaves
    // the parameter's name (Go's quirk).
    assert_eq!(drain("#define F(a,b) a|b\nF((1,2),)\nF(x;y,z)\n").as_deref(), Ok("(.1.,.2.).|.b.\n.x.\n.y.|.z.\n"));
    // Arguments are substituted first, then rescanned.
    assert_eq!(drain("#define ONE 1\n#define ID(x) x\nID(ONE)\n").as_deref(), Ok("1.\n"));
}

#[test]
fn edge_cases_checked_against_go() {
    // (input, Ok(tokens) or Err(first error)), each checked with go tool asm.
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("#define A(x) x\nA (1)\n", Ok("1.\n")),
        ("#define A(x,) x\nA(1)\n", Ok("1.\n")),
        ("#define A() x\nA(1)\n", Err("wrong arg count for macro A")),
        // An empty argument leaves the parameter name.
        ("#define A(x) x\nA()\n", Ok("x.\n")),
        ("#define A(x, y) [x y]\nA(, 2)\n", Ok("[.x.2.].\n")),
        ("#line 5 \"x.s\" ;\n", Err("unexpected token at end of #line:  ';'")),
        ("#undef\n", Err("expected identifier after # directive ; got \"\\n\"")),
        ("#ifdef A\n#else\n#else\n#endif\nz\n", Ok("z.\n")),
        // The nested #define takes its body from the file after the expansion.
        ("#define A #define B\nA 1\nB\n", Ok("1.\n")),
        ("#define A(x) #x\nA(1)\n", Err("expected identifier after '#' ; got \"1\"")),
        ("#define A x\n#undef A\n#undef A\n", Err("#undef for undefined macro: A")),
        ("#define A(x) x\nA(1\n", Err("unterminated arg list invoking macro: A")),
        ("#include \"a.h\" \"b.h\"\n", Err("expected newline after #include ; got \"\\\"b.h\\\"\"")),
        ("#include\n", Err("expected string after #include ; got \"\\n\"")),
        ("#line \"x\" 3\n", Err("expected line number after #line ; got \"\\\"x\\\"\"")),
        (
            "#line 99999999999999999999 \"x\"\n",
            Err("error parsing #line (cannot happen): strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
        ),
        ("#ifndef\n", Err("expected identifier after # directive ; got \"\\n\"")),
        ("#endif x\n", Err("expected newline after #endif ; got \"x\"")),
        ("#define F(x) x\nF(#define Z 1)\nZ\n", Ok("1.\n")),
        ("#define A 1 \\\nB\nA\n", Ok("1.\n.B.\n")),
        // `\\` escapes a backslash, which is kept; the newline then ends the body.
        ("#define A \\ \\\n2\nA\n", Ok("2.\n.\\.\n")),
    ];
    for &(input, want) in cases {
        let got = drain(input);
        assert_eq!(got.as_deref().map_err(String::as_str), want, "{input:?}");
    }
}

#[test]
fn line_directive() {
    let src = "#line 100 \"orig.s\"\nA\nB\n";
    let mut pp = pp_for(src, PpConfig::default());
    let a = pp.next_token().unwrap();
    pp.next_token().unwrap();
    let b = pp.next_token().unwrap();
    let sm = pp.sources();
    // Go: the directive names the line after next; errors keep the physical line.
    assert_eq!(sm.logical_line(a.span.lo), Some(("orig.s", 99)));
    assert_eq!(sm.logical_line(b.span.lo), Some(("orig.s", 100)));
    let l = sm.locate(b.span.lo).unwrap();
    assert_eq!((l.name, l.line), ("orig.s", 3));
    // Honoured inside a skipped region too.
    let mut pp = pp_for("#ifdef NOPE\n#line 7 \"z.s\"\n#endif\nA\n", PpConfig::default());
    let a = pp.next_token().unwrap();
    assert_eq!(pp.sources().locate(a.span.lo).unwrap().name, "z.s");
}

// ---- command line -----------------------------------------------------------

#[test]
fn defines_and_predefines() {
    let cfg = PpConfig {
        predefines: vec![("GOOS_linux".into(), "1".into()), ("GOARCH_amd64".into(), "1".into())],
        defines: vec![("V".into(), Some("1 << 3".into())), ("E".into(), Some("".into())), ("D".into(), None)],
        ..Default::default()
    };
    assert_eq!(drain_cfg("GOOS_linux V E D\n", cfg).as_deref(), Ok("1.1.<<.3.1.\n"));
    // -D replaces a predefinition, and a later -D an earlier one, silently.
    let cfg = PpConfig {
        predefines: vec![("GOOS_linux".into(), "1".into())],
        defines: vec![("GOOS_linux".into(), Some("7".into())), ("X".into(), Some("a".into())), ("X".into(), Some("b".into()))],
        ..Default::default()
    };
    assert_eq!(drain_cfg("GOOS_linux X\n", cfg).as_deref(), Ok("7.b.\n"));
    // A bad name is reported as Go does.
    let cfg = PpConfig { defines: vec![("1x".into(), None)], ..Default::default() };
    assert_eq!(drain_cfg("A\n", cfg), Err("parsing -D: \"1\" is not a valid identifier name".into()));
    assert!(check_define_name("GOOS_linux").is_ok());
    assert!(check_define_name("a b").is_err());
    assert!(check_define_name("").is_err());
}

fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
}

fn predef_names(goos: &str, goarch: &str, env: &[(&str, &str)]) -> Vec<String> {
    let f = env_of(env);
    let v = go_build_predefines(goos, goarch, &f);
    assert!(v.iter().all(|(_, val)| val == "1"));
    v.into_iter().map(|(n, _)| n).collect()
}

#[test]
fn go_build_predefines_per_arch() {
    assert_eq!(predef_names("linux", "amd64", &[]), ["GOOS_linux", "GOARCH_amd64", "GOAMD64_v1"]);
    assert_eq!(predef_names("linux", "amd64", &[("GOAMD64", "v3")]), ["GOOS_linux", "GOARCH_amd64", "GOAMD64_v3"]);
    assert_eq!(predef_names("linux", "amd64", &[("GOAMD64", "")]), ["GOOS_linux", "GOARCH_amd64", "GOAMD64_v1"]);
    assert_eq!(predef_names("linux", "386", &[]), ["GOOS_linux", "GOARCH_386", "GO386_sse2"]);
    assert_eq!(predef_names("linux", "386", &[("GO386", "softfloat")])[2], "GO386_softfloat");
    assert_eq!(predef_names("linux", "arm", &[]), ["GOOS_linux", "GOARCH_arm", "GOARM_7", "GOARM_6", "GOARM_5"]);
    assert_eq!(predef_names("linux", "arm", &[("GOARM", "6")])[2..], ["GOARM_6", "GOARM_5"]);
    assert_eq!(predef_names("linux", "arm", &[("GOARM", "5")])[2..], ["GOARM_5"]);
    assert_eq!(predef_names("linux", "arm", &[("GOARM", "7,softfloat")])[2..], ["GOARM_7", "GOARM_6", "GOARM_5"]);
    assert_eq!(predef_names("linux", "arm64", &[]), ["GOOS_linux", "GOARCH_arm64"]);
    assert_eq!(predef_names("linux", "arm64", &[("GOARM64", "v8.1")])[2..], ["GOARM64_LSE"]);
    assert_eq!(predef_names("linux", "arm64", &[("GOARM64", "v8.0,lse")])[2..], ["GOARM64_LSE"]);
    assert_eq!(predef_names("linux", "arm64", &[("GOARM64", "v8.0,crypto")]).len(), 2);
    assert_eq!(predef_names("linux", "ppc64le", &[])[2..], ["GOPPC64_power8"]);
    assert_eq!(predef_names("linux", "ppc64", &[("GOPPC64", "power9")])[2..], ["GOPPC64_power9", "GOPPC64_power8"]);
    assert_eq!(
        predef_names("aix", "ppc64", &[("GOPPC64", "power10")])[2..],
        ["GOPPC64_power10", "GOPPC64_power9", "GOPPC64_power8"]
    );
    assert_eq!(predef_names("linux", "riscv64", &[])[2..], ["GORISCV64_rva20u64"]);
    assert_eq!(predef_names("linux", "riscv64", &[("GORISCV64", "rva23u64")])[2..], ["GORISCV64_rva23u64"]);
    assert_eq!(predef_names("linux", "mipsle", &[])[2..], ["GOMIPS_hardfloat"]);
    assert_eq!(predef_names("linux", "mips64", &[("GOMIPS64", "softfloat")])[2..], ["GOMIPS64_softfloat"]);
    assert_eq!(predef_names("linux", "loong64", &[]).len(), 2);
    assert_eq!(predef_names("linux", "s390x", &[]).len(), 2);
}

// ---- includes -----------------------------------------------------------------

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("goasm-lexer-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Token texts with runs of empty statements collapsed.
fn squeeze(r: Result<String, String>) -> Result<String, String> {
    r.map(|s| {
        let mut out: Vec<&str> = Vec::new();
        for t in s.split('.') {
            if t == "\n" && out.last().is_none_or(|l| *l == "\n") {
                continue;
            }
            out.push(t);
        }
        out.join(".")
    })
}

fn run_file(top: &Path, cfg: PpConfig) -> (Result<String, String>, Preprocessor) {
    let mut sm = SourceMap::new();
    let id = load_file(&mut sm, top).unwrap();
    let mut pp = Preprocessor::new(sm, cfg, id);
    let mut out = Vec::new();
    let r = loop {
        match pp.next_token() {
            Err(d) => break Err(d.message),
            Ok(t) if t.tok == Tok::Eof => break Ok(out.join(".")),
            Ok(t) => out.push(text_of(&t.tok)),
        }
    };
    (r, pp)
}

#[test]
fn include_search_order() {
    let d = TempDir::new("search");
    // The top-level file's directory beats -I; -I dirs in order; the
    // includer's own directory is not searched.
    let top = d.write("src/top.s", "#include \"a.h\"\n#include \"b.h\"\n#include \"sub/c.h\"\n");
    d.write("src/a.h", "A_TOP\n");
    d.write("inc1/a.h", "A_INC1\n");
    d.write("inc1/b.h", "B_INC1\n");
    d.write("inc2/b.h", "B_INC2\n");
    d.write("inc2/sub/c.h", "#include \"d.h\"\n");
    d.write("inc2/sub/d.h", "D_SUB\n");
    d.write("inc2/d.h", "D_INC2\n");
    let cfg = PpConfig { include_dirs: vec![d.0.join("inc1"), d.0.join("inc2")], ..Default::default() };
    let (r, pp) = run_file(&top, cfg);
    assert_eq!(r.as_deref(), Ok("A_TOP.\n.B_INC1.\n.D_INC2.\n"));
    let inc: Vec<_> = pp.included_paths().iter().map(|p| p.strip_prefix(&d.0).unwrap().to_owned()).collect();
    assert_eq!(inc, [Path::new("src/a.h"), Path::new("inc1/b.h"), Path::new("inc2/sub/c.h"), Path::new("inc2/d.h")]);
    // Diagnostics name an included file as the #include spelled it.
    let names: Vec<_> = pp.sources().files().map(|(_, f)| f.name.clone()).collect();
    assert!(names.contains(&"sub/c.h".to_string()));

    // The name as given (absolute here) comes first.
    let abs = d.write("elsewhere/e.h", "E_ABS\n");
    let top2 = d.write("src/top2.s", &format!("#include {:?}\n", abs.to_str().unwrap()));
    let (r, _) = run_file(&top2, PpConfig::default());
    assert_eq!(r.as_deref(), Ok("E_ABS.\n"));

    // A miss reports the last place tried, like Go.
    let top3 = d.write("src/top3.s", "#include \"zz.h\"\n");
    let cfg = PpConfig { include_dirs: vec![d.0.join("inc1")], ..Default::default() };
    let (r, _) = run_file(&top3, cfg);
    assert_eq!(r, Err(format!("#include: open {}/inc1/zz.h: no such file or directory", d.0.display())));
}

#[test]
fn include_joins_lines_and_macros_cross_files() {
    let d = TempDir::new("join");
    // No newline at the end of the header: its last line runs on.
    d.write("h.h", "#define M(x) x+1\nLAST");
    let top = d.write("t.s", "#include \"h.h\"\nM(2)\n");
    let (r, _) = run_file(&top, PpConfig::default());
    assert_eq!(r.as_deref(), Ok("LAST.2.+.1.\n"));
    // An #ifdef may close in the includer (the source stack is one stream).
    d.write("open.h", "#ifdef NOPE\nhidden\n");
    let top = d.write("t2.s", "#include \"open.h\"\nalso hidden\n#endif\nshown\n");
    let (r, _) = run_file(&top, PpConfig::default());
    assert_eq!(r.as_deref(), Ok("shown.\n"));
}

#[test]
fn builtin_headers() {
    let d = TempDir::new("builtin");
    let top = d.write(
        "t.s",
        "#include \"textflag.h\"\n#include \"funcdata.h\"\n#include \"asm_amd64.h\"\nNOSPLIT|NOFRAME TOPFRAME\nNO_LOCAL_POINTERS\n#ifdef hasAVX2\navx2\n#endif\n",
    );
    let cfg = PpConfig { predefines: vec![("GOAMD64_v3".into(), "1".into())], ..Default::default() };
    let (r, pp) = run_file(&top, cfg);
    assert_eq!(squeeze(r).as_deref(), Ok("4.|.512.2048.\n.FUNCDATA.$.1.,.no_pointers_stackmap.(.SB.).\n.avx2.\n"));
    assert!(pp.included_paths().is_empty());
    let names: Vec<_> = pp.sources().files().map(|(_, f)| f.name.clone()).collect();
    assert!(names.contains(&"<built-in>/textflag.h".to_string()));

    // The ppc64 function-descriptor macro expands to four statements on aix.
    let top = d.write("p.s", "#include \"asm_ppc64x.h\"\nDEFINE_PPC64X_FUNCDESC(f, g)\nFIXED_FRAME\n");
    let cfg = PpConfig { predefines: go_build_predefines("aix", "ppc64", &|_| None), ..Default::default() };
    let (r, _) = run_file(&top, cfg);
    let r = r.unwrap();
    assert_eq!(r.matches("DATA").count(), 3);
    assert!(r.contains("GLOBL.f.(.SB.).,.NOPTR.,.$.24"));
    assert!(r.ends_with("32.\n"));

    // riscv64 profile macros.
    let top = d.write("r.s", "#include \"asm_riscv64.h\"\n#ifdef hasZbb\nzbb\n#endif\n#ifdef hasV\nv\n#endif\n");
    let cfg = PpConfig { predefines: vec![("GORISCV64_rva22u64".into(), "1".into())], ..Default::default() };
    assert_eq!(squeeze(run_file(&top, cfg).0).as_deref(), Ok("zbb.\n"));

    // A header on disk wins over the built-in one.
    d.write("inc/textflag.h", "#define NOSPLIT 99\n");
    let top = d.write("t2.s", "#include \"textflag.h\"\nNOSPLIT\n");
    let cfg = PpConfig { include_dirs: vec![d.0.join("inc")], ..Default::default() };
    let (r, pp) = run_file(&top, cfg);
    assert_eq!(r.as_deref(), Ok("99.\n"));
    assert_eq!(pp.included_paths().len(), 1);
}

#[test]
fn builtin_headers_match_goroot_when_available() {
    // With Go installed, our headers must define the same macros with the
    // same expansions as $GOROOT/pkg/include.
    let Ok(out) = std::process::Command::new("go").args(["env", "GOROOT"]).output() else { return };
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let inc = root.join("pkg/include");
    if !inc.is_dir() {
        return;
    }
    for (name, _) in crate::headers::BUILTIN_HEADERS {
        for env in [&[][..], &[("GOAMD64", "v2")][..], &[("GOAMD64", "v4")][..], &[("GORISCV64", "rva23u64")][..]] {
            let goos = if name.contains("ppc64") { "aix" } else { "linux" };
            let goarch = match *name {
                "asm_ppc64x.h" => "ppc64",
                "asm_riscv64.h" => "riscv64",
                _ => "amd64",
            };
            let f = env_of(env);
            let predefines = go_build_predefines(goos, goarch, &f);
            let probe = "PROBE_LIST\n";
            let d = TempDir::new("cmp");
            let words: Vec<&str> = [
                "NOPROF", "DUPOK", "NOSPLIT", "RODATA", "NOPTR", "WRAPPER", "NEEDCTXT", "TLSBSS", "NOFRAME", "REFLECTMETHOD", "TOPFRAME",
                "ABIWRAPPER", "PCDATA_UnsafePoint", "PCDATA_StackMapIndex", "PCDATA_InlTreeIndex", "PCDATA_ArgLiveIndex",
                "PCDATA_PanicBounds", "FUNCDATA_ArgsPointerMaps", "FUNCDATA_LocalsPointerMaps", "FUNCDATA_StackObjects",
                "FUNCDATA_InlTree", "FUNCDATA_OpenCodedDeferInfo", "FUNCDATA_ArgInfo", "FUNCDATA_ArgLiveInfo", "FUNCDATA_WrapInfo",
                "GO_ARGS", "GO_RESULTS_INITIALIZED", "NO_LOCAL_POINTERS", "ArgsSizeUnknown", "FIXED_FRAME", "GO_PPC64X_HAS_FUNCDESC",
                "hasPOPCNT", "hasSSE42", "hasAVX", "hasAVX2", "hasAVX512F", "hasAVX512BW", "hasAVX512VL", "hasV", "hasZba", "hasZbb",
                "hasZbs", "hasZfa", "hasZicond",
            ]
            .to_vec();
            let mut body = format!("#include \"{name}\"\n");
            for w in &words {
                body.push_str(&format!("#ifdef {w}\n{w}_is_defined {w}\n#endif\n"));
            }
            body.push_str("DEFINE_PPC64X_FUNCDESC(f, g)\n");
            body.push_str(probe);
            let top = d.write("t.s", &body);
            let ours = squeeze(run_file(&top, PpConfig { predefines: predefines.clone(), ..Default::default() }).0);
            let theirs = squeeze(
                run_file(&top, PpConfig { predefines: predefines.clone(), include_dirs: vec![inc.clone()], ..Default::default() }).0,
            );
            assert_eq!(ours, theirs, "{name} {env:?}");
        }
    }
}

// ---- hostile input ----------------------------------------------------------------

/// Reads until the fatal error that must come.
fn run_to_error(pp: &mut Preprocessor) -> String {
    loop {
        match pp.next_token() {
            Err(d) => return d.message,
            Ok(t) => assert_ne!(t.tok, Tok::Eof, "no error"),
        }
    }
}

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let r = f();
    assert!(t0.elapsed() < Duration::from_secs(20), "{what} took {:?}", t0.elapsed());
    r
}

#[test]
fn hostile_macros_terminate() {
    // Exponential expansion: 2^40 tokens. Stopped by the token budget.
    let mut src = String::from("#define M0 x x\n");
    for i in 1..40 {
        src.push_str(&format!("#define M{i} M{} M{}\n", i - 1, i - 1));
    }
    src.push_str("M39\n");
    let mut pp = pp_for(&src, PpConfig::default());
    pp.set_limits(PpLimits { expanded_tokens: 1 << 20, ..Default::default() });
    let err = quick("doubling bomb", || run_to_error(&mut pp));
    assert!(err.starts_with("macro expansion too large"), "{err}");

    // Expansions that produce nothing: Go's invocation limit.
    let mut src = String::from("#define E0\n");
    for i in 1..40 {
        src.push_str(&format!("#define E{i} E{} E{}\n", i - 1, i - 1));
    }
    src.push_str("E39\n");
    assert_eq!(quick("empty bomb", || first_error(&src)), "recursive macro invocation");

    // Arguments that grow: each level doubles its argument.
    let mut src = String::from("#define D0(x) x x\n");
    for i in 1..60 {
        src.push_str(&format!("#define D{i}(x) D{}(D{}(x))\n", i - 1, i - 1));
    }
    src.push_str("D59(a)\n");
    let mut pp = pp_for(&src, PpConfig::default());
    pp.set_limits(PpLimits { expanded_tokens: 1 << 22, live_tokens: 1 << 16, ..Default::default() });
    let err = quick("argument bomb", || run_to_error(&mut pp));
    assert!(err.starts_with("macro expansion too large") || err == "recursive macro invocation", "{err}");

    // Self-reference through arguments.
    assert_eq!(quick("self arg", || first_error("#define F(x) F(x)\nF(1)\n")), "recursive macro invocation");
}

#[test]
fn doubling_bomb_default_limits() {
    // The same with the default limits still ends, in bounded time (a few
    // seconds optimized; too slow to be worth it in a debug build).
    if cfg!(debug_assertions) {
        return;
    }
    let mut src = String::from("#define M0 x x\n");
    for i in 1..40 {
        src.push_str(&format!("#define M{i} M{} M{}\n", i - 1, i - 1));
    }
    src.push_str("M39\n");
    let mut pp = pp_for(&src, PpConfig::default());
    let err = quick("doubling bomb, default limits", || run_to_error(&mut pp));
    assert!(err.starts_with("macro expansion too large"), "{err}");
}

#[test]
fn hostile_includes_terminate() {
    let d = TempDir::new("hostile");
    // A file including itself: Go's stack limit.
    let top = d.write("self.s", "#include \"self.s\"\n");
    let (r, _) = quick("self include", || run_file(&top, PpConfig::default()));
    assert_eq!(r, Err("input recursion".into()));
    // Two files including each other twice per level: stopped by the include budget.
    d.write("a.h", "#include \"b.h\"\n#include \"b.h\"\n");
    d.write("b.h", "#include \"a.h\"\n#include \"a.h\"\n");
    let top = d.write("cycle.s", "#include \"a.h\"\n");
    let mut sm = SourceMap::new();
    let id = load_file(&mut sm, &top).unwrap();
    let mut pp = Preprocessor::new(sm, PpConfig::default(), id);
    pp.set_limits(PpLimits { includes: 5000, ..Default::default() });
    let err = quick("include fan-out", || run_to_error(&mut pp));
    assert!(err == "input recursion" || err.starts_with("too many #include"), "{err}");

    // A directory and /dev/zero are errors, not hangs.
    std::fs::create_dir_all(d.0.join("adir")).unwrap();
    let top = d.write("dir.s", "#include \"adir\"\n");
    let (r, _) = run_file(&top, PpConfig::default());
    let r = r.unwrap_err();
    assert!(r.starts_with("#include: read ") && r.ends_with("adir: is a directory"), "{r}");
    if Path::new("/dev/zero").exists() {
        let top = d.write("zero.s", "#include \"/dev/zero\"\n");
        let (r, _) = quick("/dev/zero", || run_file(&top, PpConfig::default()));
        assert!(r.unwrap_err().starts_with("#include: read /dev/zero: file too large"));
        let mut sm = SourceMap::new();
        assert!(quick("/dev/zero top", || load_file(&mut sm, Path::new("/dev/zero"))).is_err());
    }
    let mut sm = SourceMap::new();
    assert_eq!(load_file(&mut sm, Path::new("/nonexistent-goasm.s")), Err("open /nonexistent-goasm.s: no such file or directory".into()));
}

#[test]
fn huge_line_and_many_lines() {
    let long = "A,".repeat(500_000) + "\n";
    let r = quick("long line", || drain(&long)).unwrap();
    assert_eq!(r.len(), long.len() * 2 - 1 - 1 + 1);
    let many = "MOVQ AX, BX // comment\n".repeat(200_000);
    let n = quick("many lines", || {
        let mut pp = pp_for(&many, PpConfig::default());
        let mut n = 0;
        while pp.next_token().unwrap().tok != Tok::Eof {
            n += 1;
        }
        n
    });
    assert_eq!(n, 200_000 * 5);
}

#[test]
#[ignore = "timing; run with --release --ignored --nocapture"]
fn throughput() {
    let mut src = String::from("#include \"textflag.h\"\n#define LOAD(off, reg) MOVQ (off*8)(SI), reg; ADDQ reg, AX\n");
    for i in 0..1_000_000 {
        match i % 4 {
            0 => src.push_str("\tMOVQ\truntime·x+8(SB), AX // load\n"),
            1 => src.push_str("loop:\tADDQ\t$0x10, BX\n"),
            2 => src.push_str("\tLOAD(3, CX)\n"),
            _ => src.push_str("\tVPADDD\tY1, Y2, Y3 /* x */\n"),
        }
    }
    let t0 = Instant::now();
    let mut pp = pp_for(&src, PpConfig::default());
    let mut n = 0u64;
    while pp.next_token().unwrap().tok != Tok::Eof {
        n += 1;
    }
    let dt = t0.elapsed();
    eprintln!("{n} tokens from {} bytes in {dt:?} ({:.1} ns/token)", src.len(), dt.as_nanos() as f64 / n as f64);
}

#[test]
#[ignore = "needs Go; preprocesses every .s file under $GOROOT/src"]
fn goroot_sources_preprocess() {
    let out = std::process::Command::new("go").args(["env", "GOROOT"]).output().expect("go on PATH");
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let gen = TempDir::new("goasmh");
    gen.write("go_asm.h", "// generated by the compiler; empty here\n");
    let mut stack = vec![root.join("src")];
    let (mut ok, mut skipped, mut bad) = (0, 0, Vec::new());
    let arches = ["amd64", "386", "arm64", "arm", "loong64", "mips64x", "mipsx", "mips64", "mips", "ppc64x", "ppc64", "riscv64", "s390x", "wasm"];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".s") || p.to_string_lossy().contains("testdata") {
                continue;
            }
            let stem = name.trim_end_matches(".s");
            let arch = arches.iter().find(|a| stem.ends_with(&format!("_{a}"))).copied().unwrap_or("amd64");
            let goarch = match arch {
                "mips64x" => "mips64",
                "mipsx" => "mips",
                "ppc64x" => "ppc64le",
                a => a,
            };
            let cfg = PpConfig {
                predefines: go_build_predefines("linux", goarch, &|_| None),
                include_dirs: vec![gen.0.clone()],
                ..Default::default()
            };
            let (r, _) = run_file(&p, cfg);
            match r {
                Ok(_) => ok += 1,
                Err(e) if e.contains("go_asm.h") || e.contains("go_tls.h") => skipped += 1,
                Err(e) => bad.push(format!("{}: {e}", p.display())),
            }
        }
    }
    eprintln!("{ok} ok, {skipped} need generated headers, {} failed", bad.len());
    assert!(bad.is_empty(), "{bad:#?}");
}

/// What a caller sees, one step at a time: a diagnostic, a token, or the
/// error that ends the input.
#[derive(Debug, PartialEq)]
enum Seen {
    Diag(Diag),
    Tok(crate::Token),
    End(Diag),
}

/// Everything `next_token` hands out for `input`, with the diagnostics
/// placed before the token they came with.
fn seen_one_at_a_time(input: &str) -> Vec<Seen> {
    let mut pp = pp_for(input, PpConfig::default());
    let mut seen = Vec::new();
    loop {
        let t = pp.next_token();
        seen.extend(pp.take_diags().into_iter().map(Seen::Diag));
        match t {
            Ok(t) if t.tok == Tok::Eof => return seen,
            Ok(t) => seen.push(Seen::Tok(t)),
            Err(d) => {
                seen.push(Seen::End(d));
                return seen;
            }
        }
    }
}

/// The same through `next_tokens`, `max` at a time.
fn seen_in_runs(input: &str, max: usize) -> Vec<Seen> {
    let mut pp = pp_for(input, PpConfig::default());
    let mut seen = Vec::new();
    loop {
        let mut toks = Vec::new();
        let r = pp.next_tokens(&mut toks, max);
        assert!(toks.len() <= max.max(1), "{} > {max}", toks.len());
        // Diagnostics come with the last token appended.
        let last = if pp.has_diags() { toks.pop() } else { None };
        seen.extend(toks.into_iter().map(Seen::Tok));
        seen.extend(pp.take_diags().into_iter().map(Seen::Diag));
        seen.extend(last.map(Seen::Tok));
        if let Err(d) = r {
            seen.push(Seen::End(d));
            return seen;
        }
        if let Some(at) = seen.iter().position(|s| matches!(s, Seen::Tok(t) if t.tok == Tok::Eof)) {
            seen.truncate(at);
            return seen;
        }
    }
}

#[test]
fn tokens_in_runs_as_one_at_a_time() {
    let inputs = [
        lines(&["MOVQ $1, AX // c", "#define M(x) x+1", "ADDQ $M(2), BX; NOP", "#ifdef M", "NOP 08 '\\q'", "#endif", "//go:build x", "M", "RET"]),
        lines(&["A B\u{0} C", "/* open"]),
        lines(&["X 1__0 \"s\" Y", "#undef NOPE", "Z"]),
        "A\nB\nC".to_owned(),
    ];
    let seen: Vec<Vec<Seen>> = inputs.iter().map(|i| seen_one_at_a_time(i)).collect();
    // Warnings and errors between tokens, and an error that ends the input.
    assert!(seen[0].iter().filter(|s| matches!(s, Seen::Diag(_))).count() >= 3, "{:?}", seen[0]);
    assert!(seen[1].iter().any(|s| matches!(s, Seen::Diag(_))), "{:?}", seen[1]);
    assert!(matches!(seen[2].last(), Some(Seen::End(_))), "{:?}", seen[2]);
    for (input, want) in inputs.iter().zip(seen) {
        assert!(want.iter().any(|s| matches!(s, Seen::Tok(_))), "{input:?}");
        for max in [0, 1, 2, 3, 5, 64] {
            assert_eq!(seen_in_runs(input, max), want, "{input:?} {max}");
        }
    }
}
