// Throw-away test injected (with `go test -overlay`) into Go's
// cmd/asm/internal/asm package by gen/vectors.py. It parses Go's arm64
// testdata with Go's own parser, prints every instruction as the backend
// receives it (obj.Prog fields before Flushplist), assembles the files, and
// prints each function's bytes: encoding vectors goasm's backend is checked
// against without Go.

package asm

import (
	"cmd/asm/internal/flags"
	"cmd/asm/internal/lex"
	"cmd/internal/objabi"
	"encoding/json"
	"internal/buildcfg"
	"cmd/internal/obj"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func goasmAddr(a *obj.Addr, idx map[*obj.Prog]int) string {
	var f []string
	add := func(k string, v int64) {
		if v != 0 {
			f = append(f, fmt.Sprintf("%s=%d", k, v))
		}
	}
	add("t", int64(a.Type))
	add("r", int64(a.Reg))
	add("i", int64(a.Index))
	add("s", int64(a.Scale))
	add("o", a.Offset)
	add("n", int64(a.Name))
	if a.Sym != nil {
		y := "y=" + a.Sym.Name
		if a.Sym.Type == objabi.STLSBSS {
			y = "z=" + a.Sym.Name // thread-local
		}
		f = append(f, y)
	}
	if a.Type == obj.TYPE_BRANCH && a.Val == nil && a.Sym == nil {
		// N(PC): Go resolves it later from the parser's instruction count.
		for p, i := range idx {
			if p.Pc == a.Offset {
				f = append(f, fmt.Sprintf("b=%d", i))
			}
		}
	}
	switch v := a.Val.(type) {
	case float64:
		f = append(f, fmt.Sprintf("f=%x", math.Float64bits(v)))
	case *obj.Prog:
		if i, ok := idx[v]; ok {
			f = append(f, fmt.Sprintf("b=%d", i))
		}
	}
	if a.Type == obj.TYPE_TEXTSIZE {
		f = append(f, fmt.Sprintf("a=%d", a.Val.(int32)))
	}
	if len(f) == 0 {
		return "-"
	}
	return strings.Join(f, ",")
}

// One assembler invocation: files assembled with one set of flags.
type goasmInvocation struct {
	Name  string
	Cwd   string
	Files []string
	P     string
	I, D  []string
	Std   bool
}

func TestGoasmArm64Vectors(t *testing.T) {
	var out strings.Builder
	var invs []goasmInvocation
	if spec := os.Getenv("GOASM_VECTOR_SPEC"); spec != "" {
		b, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &invs); err != nil {
			t.Fatal(err)
		}
	} else {
		for _, file := range strings.Split(os.Getenv("GOASM_VECTOR_FILES"), ",") {
			input := file
			if !filepath.IsAbs(file) {
				input = filepath.Join("testdata", file)
			}
			invs = append(invs, goasmInvocation{Name: filepath.Base(file), Files: []string{input}})
		}
	}
	home, _ := os.Getwd()
	for _, inv := range invs {
	for _, input := range inv.Files {
		file := inv.Name
		if inv.Cwd != "" {
			os.Chdir(inv.Cwd)
		} else {
			os.Chdir(home)
		}
		flags.I = inv.I
		flags.D = append([]string(nil), inv.D...)
		if inv.P != "" && objabi.LookupPkgSpecial(inv.P).AllowAsmABI {
			for _, exp := range buildcfg.Experiment.Enabled() {
				flags.D = append(flags.D, "GOEXPERIMENT_"+exp)
			}
		}
		architecture, ctxt := setArch("arm64")
		architecture.Init(ctxt)
		ctxt.IsAsm = true
		if inv.P != "" {
			ctxt.Pkgpath = inv.P
		}
		ctxt.Std = inv.Std
		failed := false
		ctxt.DiagFunc = func(format string, args ...any) {
			failed = true
			t.Errorf(format, args...)
		}
		parser := NewParser(ctxt, architecture, lex.NewLexer(input))
		pList := new(obj.Plist)
		var ok bool
		pList.Firstpc, ok = parser.Parse()
		if !ok || failed {
			t.Fatalf("%s: parse failed", file)
		}
		fmt.Fprintf(&out, "file %s %s\n", file, filepath.Base(input))
		// Functions: progs after each TEXT until the next TEXT.
		type fn struct {
			text  *obj.Prog
			progs []*obj.Prog
		}
		var fns []*fn
		for p := pList.Firstpc; p != nil; p = p.Link {
			if p.As == obj.ATEXT {
				fns = append(fns, &fn{text: p})
			} else if len(fns) > 0 {
				fns[len(fns)-1].progs = append(fns[len(fns)-1].progs, p)
			}
		}
		var lines []string
		for _, f := range fns {
			idx := map[*obj.Prog]int{}
			for i, p := range f.progs {
				idx[p] = i
			}
			flag := 0
			fs := f.text.From.Sym
			for _, b := range []struct {
				on bool
				v  int
			}{{fs.DuplicateOK(), 2}, {fs.NoSplit(), 4}, {fs.Wrapper(), 32}, {fs.NeedCtxt(), 64}, {fs.NoFrame(), 512}} {
				if b.on {
					flag |= b.v
				}
			}
			lines = append(lines, fmt.Sprintf("func %s flags=%d frame=%d args=%d", f.text.From.Sym.Name, flag, f.text.To.Offset, f.text.To.Val.(int32)))
			for _, p := range f.progs {
				var rest []string
				for _, r := range p.RestArgs {
					d := "s"
					if r.Pos == obj.Destination {
						d = "d"
					}
					rest = append(rest, d+":"+goasmAddr(&r.Addr, idx))
				}
				rs := "-"
				if len(rest) > 0 {
					rs = strings.Join(rest, ";")
				}
				lines = append(lines, fmt.Sprintf("p %d %d %d %s %d %s %s %d", p.Pos.Line(), p.As, p.Scond, goasmAddr(&p.From, idx), p.Reg, rs, goasmAddr(&p.To, idx), p.RegTo2))
			}
			lines = append(lines, "@"+f.text.From.Sym.Name)
		}
		obj.Flushplist(ctxt, pList, nil)
		for _, l := range lines {
			if strings.HasPrefix(l, "@") {
				var s *obj.LSym
				for _, x := range ctxt.Text {
					if x.Name == l[1:] {
						s = x
					}
				}
				fmt.Fprintf(&out, "bytes %x\n", s.P)
				continue
			}
			fmt.Fprintln(&out, l)
		}
	}
	}
	os.Chdir(home)
	if err := os.WriteFile(os.Getenv("GOASM_VECTOR_OUT"), []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
