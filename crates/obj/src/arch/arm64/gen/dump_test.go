// Throw-away test injected (with `go test -overlay`) into Go's
// cmd/internal/obj/arm64 package by gen/generate.py. It prints, as one JSON
// document, the facts goasm's arm64 tables are made of: the operand-form rows
// in Go's lookup order, the class cover relation, the base instruction word
// of every opcode for each encoding family, and the special-operand fields.
// Nothing here is shipped; the generated Rust is.

package arm64

import (
	"cmd/internal/obj"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// sveProbe is the input set on which each SVE field encoder's behaviour is
// fingerprinted, so the Rust translation can be checked without Go.
func sveProbe() []uint32 {
	var v []uint32
	for i := uint32(0); i <= 1100; i++ {
		v = append(v, i)
	}
	for i := uint32(8180); i <= 8400; i++ {
		v = append(v, i)
	}
	for i := uint32(10230); i <= 12300; i++ {
		v = append(v, i)
	}
	v = append(v, 0x3f800000, 0x3f000000, 0x40000000, 0xbf800000, 0xffffffff, 0xfffffff0, 0x80000000, 0x7fffffff)
	return v
}

func TestGoasmArm64Dump(t *testing.T) {
	ctxt := obj.Linknew(&Linkarm64)
	failed := false
	ctxt.DiagFunc = func(string, ...any) { failed = true }
	buildop(ctxt)
	c := &ctxt7{ctxt: ctxt}
	p := &obj.Prog{Ctxt: ctxt}

	out := map[string]any{}
	type row struct {
		As                                   int
		A1, A2, A3, A4, A5, Type, Size, Flag int
		Param, Scond                         int
	}
	rows := []row{}
	for _, o := range optab {
		rows = append(rows, row{int(o.as), int(o.a1), int(o.a2), int(o.a3), int(o.a4), int(o.a5), int(o.type_), int(o.size_), int(o.flag), int(o.param), int(o.scond)})
	}
	out["optab"] = rows
	ranges := map[int][2]int{}
	for a := range oprange {
		r := oprange[a]
		if r == nil {
			continue
		}
		as := a
		if a >= int(obj.A_ARCHSPECIFIC) {
			as = a + obj.ABaseARM64
		}
		ranges[as] = [2]int{cap(optab) - cap(r), len(r)}
	}
	// obj-generic opcodes keep their own numbers
	for _, a := range []obj.As{obj.ATEXT, obj.ANOP, obj.AUNDEF, obj.APCDATA, obj.AFUNCDATA, obj.APCALIGN, obj.APCALIGNMAX, obj.ARET} {
		r := oprange[a&obj.AMask]
		if r != nil {
			ranges[int(a)] = [2]int{cap(optab) - cap(r), len(r)}
		}
	}
	out["ranges"] = ranges
	cover := [][]int{}
	for i := 0; i < C_NCLASS; i++ {
		l := []int{}
		for j := 0; j < C_NCLASS; j++ {
			if cmp(i, j) {
				l = append(l, j)
			}
		}
		cover = append(cover, l)
	}
	out["cover"] = cover

	fams := map[string]func(a obj.As) uint32{
		"rrr":     func(a obj.As) uint32 { return c.oprrr(p, a, 0, 0, 0) },
		"irr":     func(a obj.As) uint32 { return c.opirr(p, a) },
		"bit":     func(a obj.As) uint32 { return c.opbit(p, a) },
		"xrrr":    func(a obj.As) uint32 { return c.opxrrr(p, a, 0, 0, 0, false) },
		"xrrr_ext": func(a obj.As) uint32 { return c.opxrrr(p, a, 0, 0, 0, true) },
		"imm":     func(a obj.As) uint32 { return c.opimm(p, a) },
		"bra":     func(a obj.As) uint32 { return c.opbra(p, a) },
		"brr":     func(a obj.As) uint32 { return c.opbrr(p, a) },
		"op0":     func(a obj.As) uint32 { return c.op0(p, a) },
		"load":    func(a obj.As) uint32 { return c.opload(p, a) },
		"store":   func(a obj.As) uint32 { return c.opstore(p, a) },
		"ldr":     func(a obj.As) uint32 { return c.opldr(p, a) },
		"str":     func(a obj.As) uint32 { return c.opstr(p, a) },
		"ldrr":    func(a obj.As) uint32 { return c.opldrr(p, a, 0, 0, 0, false) },
		"ldrr_ext": func(a obj.As) uint32 { return c.opldrr(p, a, 0, 0, 0, true) },
		"strr":    func(a obj.As) uint32 { return c.opstrr(p, a, 0, 0, 0, false) },
		"strr_ext": func(a obj.As) uint32 { return c.opstrr(p, a, 0, 0, 0, true) },
	}
	words := map[string]map[int]uint32{}
	for name, f := range fams {
		m := map[int]uint32{}
		ops := []obj.As{obj.ARET, obj.ACALL, obj.AJMP, obj.AUNDEF, obj.ANOP}
		for a := obj.As(obj.ABaseARM64 + obj.A_ARCHSPECIFIC); a < ALAST; a++ {
			ops = append(ops, a)
		}
		for _, a := range ops {
			failed = false
			var v uint32
			ok := func() (ok bool) {
				defer func() {
					if recover() != nil {
						ok = false
					}
				}()
				p.As = a
				v = f(a)
				return true
			}()
			if ok && !failed {
				m[int(a)] = v
			}
		}
		words[name] = m
	}
	out["words"] = words

	ld := map[int]uint32{}
	for a, v := range atomicLDADD {
		ld[int(a)] = v
	}
	out["atomic_ldadd"] = ld
	sw := map[int]uint32{}
	for a, v := range atomicSWP {
		sw[int(a)] = v
	}
	out["atomic_swp"] = sw
	cs := map[int]uint32{}
	for a, v := range atomicCASP {
		cs[int(a)] = v
	}
	out["atomic_casp"] = cs
	type sysreg struct {
		Name   string
		Reg    int
		Enc    uint32
		Access int
	}
	srs := []sysreg{}
	for _, s := range SystemReg {
		srs = append(srs, sysreg{s.Name, int(s.Reg), s.Enc, int(s.AccessFlags)})
	}
	out["sysregs"] = srs
	pf := map[int]uint32{}
	for k, v := range prfopfield {
		pf[int(k)] = v
	}
	out["prfop"] = pf
	rpf := map[int]uint32{}
	for k, v := range rprfopfield {
		rpf[int(k)] = v
	}
	out["rprfop"] = rpf
	ps := map[int]uint32{}
	for _, e := range pstatefield {
		ps[int(e.opd)] = e.enc
	}
	out["pstate"] = ps
	type sysinst struct{ Op1, Cn, Cm, Op2 int; Has bool }
	si := map[int]sysinst{}
	for k, v := range sysInstFields {
		si[int(k)] = sysinst{int(v.op1), int(v.cn), int(v.cm), int(v.op2), v.hasOperand2}
	}
	out["sysinst"] = si

	// SVE: instruction groups, their operand classes and field encoders.
	type sveArg struct {
		Class int
		Encs  [][2]any
	}
	type sveEnc struct {
		Op    int
		Fixed uint32
		Args  []sveArg
	}
	fnName := func(f any) string {
		n := runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
		return n[strings.LastIndex(n, ".")+1:]
	}
	digests := map[string]uint64{}
	groups := [][]sveEnc{}
	for _, g := range insts {
		eg := []sveEnc{}
		for _, e := range g {
			se := sveEnc{int(e.goOp), e.fixedBits, nil}
			for _, a := range e.args {
				sa := sveArg{int(a.class), nil}
				for _, el := range a.elemEncoders {
					name := fnName(el.fn)
					sa.Encs = append(sa.Encs, [2]any{name, int(el.comp)})
					if _, ok := digests[name]; !ok {
						h := fnv.New64a()
						var buf [5]byte
						for _, v := range sveProbe() {
							r, ok := el.fn(v)
							binary.LittleEndian.PutUint32(buf[:4], r)
							buf[4] = 0
							if ok {
								buf[4] = 1
							}
							h.Write(buf[:])
						}
						digests[name] = h.Sum64()
					}
				}
				se.Args = append(se.Args, sa)
			}
			eg = append(eg, se)
		}
		groups = append(groups, eg)
	}
	out["sve"] = groups
	out["sve_digests"] = digests

	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("GOASM_DUMP_OUT"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
