// This file is not part of goasm's build. crates/arch-tables/gen/generate.py
// injects it into Go's cmd/asm/internal/arch package with `go test -overlay`
// (GOROOT stays untouched) and runs TestGoasmDump, which writes everything the
// Rust tables need as one JSON document to $GOASM_DUMP_OUT.

package arch

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"

	"cmd/internal/obj"
	"cmd/internal/obj/arm64"
	"cmd/internal/obj/riscv"
	"cmd/internal/obj/x86"
)

type goasmRegRange struct {
	Lo    int            `json:"lo"`
	Hi    int            `json:"hi"`
	Names map[int]string `json:"names"`
}

type goasmArch struct {
	GoArch        string                    `json:"goarch"`
	Shared        bool                      `json:"shared"`
	Family        string                    `json:"family"`
	PtrSize       int                       `json:"ptr_size"`
	BigEndian     bool                      `json:"big_endian"`
	Instructions  map[string]int            `json:"instructions"`
	Registers     map[string]int            `json:"registers"`
	Prefixes      []string                  `json:"prefixes"`
	RegNumbers    map[string]map[int]int    `json:"reg_numbers"`
	Jumps         []string                  `json:"jumps"`
	UnaryDst      []int                     `json:"unary_dst"`
	OpNames       map[int]string            `json:"op_names"`
	RegNames      goasmRegRange             `json:"reg_names"`
	Special       map[string]int64          `json:"special"`
	SpecialNames  map[int64]string          `json:"special_names"`
	SuffixTables  map[string]map[string]int `json:"suffix_tables"`
	ArchOpRangeLo int                       `json:"op_lo"`
	ArchOpRangeHi int                       `json:"op_hi"`
}

type goasmDump struct {
	GoVersion string                       `json:"go_version"`
	Arches    []goasmArch                  `json:"arches"`
	Consts    map[string]map[string]string `json:"consts"`
}

// Register spaces as obj registers them (see each package's init).
var goasmRegSpace = map[string][2]int{}

func goasmFamilyPkg(goarch string) string {
	switch goarch {
	case "386", "amd64":
		return "x86"
	case "mips", "mipsle", "mips64", "mips64le":
		return "mips"
	case "ppc64", "ppc64le":
		return "ppc64"
	case "riscv64":
		return "riscv"
	}
	return goarch
}

// Per obj family: the base of its opcode numbers and the span of register
// numbers it prints itself (the next family's base bounds it).
var goasmBases = map[string]struct{ op, regLo, regHi int }{
	"x86":     {obj.ABaseAMD64, obj.RBase386, obj.RBaseARM},
	"arm":     {obj.ABaseARM, obj.RBaseARM, obj.RBasePPC64},
	"arm64":   {obj.ABaseARM64, obj.RBaseARM64, obj.RBaseMIPS},
	"loong64": {obj.ABaseLoong64, obj.RBaseLOONG64, 1 << 15},
	"mips":    {obj.ABaseMIPS, obj.RBaseMIPS, obj.RBaseS390X},
	"ppc64":   {obj.ABasePPC64, obj.RBasePPC64, obj.RBaseARM64},
	"riscv":   {obj.ABaseRISCV, obj.RBaseRISCV, obj.RBaseWasm},
	"s390x":   {obj.ABaseS390X, obj.RBaseS390X, obj.RBaseRISCV},
	"wasm":    {obj.ABaseWasm, obj.RBaseWasm, obj.RBaseLOONG64},
}

func goasmRconv(r int) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return obj.Rconv(r)
}

func TestGoasmDump(t *testing.T) {
	out := os.Getenv("GOASM_DUMP_OUT")
	if out == "" {
		t.Skip("GOASM_DUMP_OUT not set")
	}
	goarches := []string{"amd64", "386", "arm", "arm64", "loong64", "mips", "mipsle",
		"mips64", "mips64le", "ppc64", "ppc64le", "riscv64", "s390x", "wasm"}

	// Every name any architecture knows, to probe IsJump with.
	probe := map[string]bool{}
	prefixes := map[string]bool{"A": true, "AR": true, "CR": true, "F": true, "FCC": true,
		"FCR": true, "FCSR": true, "M": true, "P": true, "PN": true, "R": true, "SPR": true,
		"V": true, "VS": true, "W": true, "X": true, "Z": true}
	for _, g := range goarches {
		for _, shared := range []bool{false, true} {
			a := Set(g, shared)
			for name := range a.Instructions {
				probe[name] = true
			}
			for p := range a.RegisterPrefix {
				prefixes[p] = true
			}
		}
	}
	for _, m := range []map[string]bool{armJump, arm64Jump} {
		for name := range m {
			probe[name] = true
		}
	}
	for _, name := range []string{"CALL", "JMP", "Call", "Br", "BrIf", "XBEGIN"} {
		probe[name] = true
	}

	dump := goasmDump{GoVersion: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	for _, g := range goarches {
		shareds := []bool{false}
		if g == "riscv64" {
			shareds = []bool{false, true}
		}
		for _, shared := range shareds {
			a := Set(g, shared)
			pkg := goasmFamilyPkg(g)
			d := goasmArch{
				GoArch:       g,
				Shared:       shared,
				Family:       pkg,
				PtrSize:      a.PtrSize,
				BigEndian:    a.ByteOrder == binary.BigEndian,
				Instructions: map[string]int{},
				Registers:    map[string]int{},
				RegNumbers:   map[string]map[int]int{},
				OpNames:      map[int]string{},
				Special:      map[string]int64{},
				SpecialNames: map[int64]string{},
				SuffixTables: map[string]map[string]int{},
			}
			for name, as := range a.Instructions {
				d.Instructions[name] = int(as)
			}
			for name, r := range a.Register {
				d.Registers[name] = int(r)
			}
			for p := range a.RegisterPrefix {
				d.Prefixes = append(d.Prefixes, p)
			}
			sort.Strings(d.Prefixes)
			for p := range prefixes {
				m := map[int]int{}
				for n := -2; n <= 2100; n++ {
					if r, ok := a.RegisterNumber(p, int16(n)); ok {
						m[n] = int(r)
					}
				}
				if len(m) > 0 {
					d.RegNumbers[p] = m
				}
			}
			for name := range probe {
				if a.IsJump(name) {
					d.Jumps = append(d.Jumps, name)
				}
			}
			sort.Strings(d.Jumps)
			for as, ok := range a.UnaryDst {
				if ok {
					d.UnaryDst = append(d.UnaryDst, int(as))
				}
			}
			sort.Ints(d.UnaryDst)

			// Printing names: the generic opcodes, the whole opcode range of
			// the family, and anything the instruction map points at.
			base := goasmBases[pkg].op
			d.ArchOpRangeLo = base
			d.ArchOpRangeHi = base + obj.AllowedOpCodes
			for as := 0; as < len(obj.Anames); as++ {
				d.OpNames[as] = obj.As(as).String()
			}
			for as := base; as < base+obj.AllowedOpCodes; as++ {
				s := obj.As(as).String()
				if s != "" && !strings.HasPrefix(s, "A???") {
					d.OpNames[as] = s
				}
			}
			lo, hi := goasmBases[pkg].regLo, goasmBases[pkg].regHi
			d.RegNames = goasmRegRange{Lo: lo, Hi: hi, Names: map[int]string{}}
			for r := lo; r < hi; r++ {
				s := goasmRconv(r)
				if s != "" && !strings.HasPrefix(s, "R???") {
					d.RegNames.Names[r] = s
				}
			}

			switch pkg {
			case "arm64":
				ARM64SpecialOperand("")
				for name, opd := range arm64SpecialOperand {
					d.Special[name] = int64(opd)
				}
				for opd := arm64.SPOP_BEGIN; opd < arm64.SPOP_END; opd++ {
					d.SpecialNames[int64(opd)] = obj.SPCconv(int64(opd))
				}
				d.SuffixTables["ls"] = map[string]int{}
				for k, v := range arm64LS {
					d.SuffixTables["ls"][k] = int(v)
				}
			case "riscv":
				RISCV64SpecialOperand("")
				for name, opd := range riscv64SpecialOperand {
					d.Special[name] = int64(opd)
					d.SpecialNames[int64(opd)] = obj.SPCconv(int64(opd))
				}
				for opd := riscv.SPOP_BEGIN; opd < riscv.SPOP_END; opd++ {
					if s := obj.SPCconv(int64(opd)); !strings.HasPrefix(s, "SPC???") {
						d.SpecialNames[int64(opd)] = s
					}
				}
			case "x86":
				// AVX-512 suffix combinations: probe every ordered choice of
				// up to three parts through ParseSuffix.
				parts := []string{"Z", "SAE", "RN_SAE", "RZ_SAE", "RD_SAE", "RU_SAE", "BCST"}
				cands := []string{""}
				for _, a := range parts {
					cands = append(cands, a)
					for _, b := range parts {
						cands = append(cands, a+"."+b)
						for _, c := range parts {
							cands = append(cands, a+"."+b+"."+c)
						}
					}
				}
				d.SuffixTables["evex"] = map[string]int{}
				for _, cand := range cands {
					var p obj.Prog
					if x86.ParseSuffix(&p, cand) == nil {
						d.SuffixTables["evex"][cand] = int(p.Scond)
					}
				}
			case "arm":
				d.SuffixTables["ls"] = map[string]int{}
				for k, v := range armLS {
					d.SuffixTables["ls"][k] = int(v)
				}
				d.SuffixTables["scond"] = map[string]int{}
				for k, v := range armSCOND {
					d.SuffixTables["scond"][k] = int(v)
				}
			}
			dump.Arches = append(dump.Arches, d)
		}
	}

	// Exported integer constants of each obj package, type-checked from source.
	dump.Consts = map[string]map[string]string{}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	for _, pkg := range []string{"obj", "x86", "arm", "arm64", "loong64", "mips", "ppc64", "riscv", "s390x", "wasm"} {
		path := "cmd/internal/obj"
		if pkg != "obj" {
			path += "/" + pkg
		}
		p, err := imp.Import(path)
		if err != nil {
			t.Fatalf("import %s: %v", path, err)
		}
		m := map[string]string{}
		scope := p.Scope()
		for _, name := range scope.Names() {
			c, ok := scope.Lookup(name).(*types.Const)
			if !ok || !c.Exported() {
				continue
			}
			if b, ok := c.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
				continue
			}
			v := constant.ToInt(c.Val())
			if v.Kind() != constant.Int {
				continue
			}
			m[name] = v.ExactString()
		}
		dump.Consts[pkg] = m
	}

	buf, err := json.MarshalIndent(dump, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "goasm dump: %d arch variants written to %s\n", len(dump.Arches), out)
}
