"""Translates the SVE field encoders of Go's generated encoding_gen.go
(produced by golang.org/x/arch/arm64/instgen from Arm's XML) into Rust.

Each encoder is a pure function `v -> (bits, ok)`; the translation is
checked by a generated test against fingerprints of Go's own results.
"""
import re

CONST = re.compile(r'\b((?:ARNG|REG|PRED|SPOP)_[A-Za-z0-9_]+|code[A-Z][A-Za-z0-9]*)\b')


def parse_functions(src):
    funcs = {}
    for m in re.finditer(r'^func (encode\w+)\(v uint32\) \(uint32, bool\) \{\n(.*?)^\}', src, re.S | re.M):
        funcs[m.group(1)] = m.group(2)
    return funcs


def conversions(e):
    """Go conversions T(x) -> ((x) as rust_T), innermost first."""
    types = {'uint32': 'u32', 'int32': 'i32', 'uint8': 'u8', 'int8': 'i8', 'uint16': 'u16', 'int16': 'i16',
             'uint64': 'u64', 'int64': 'i64', 'SpecialOperand': 'u32'}
    while True:
        best = None
        for m in re.finditer(r'\b(u?int(?:8|16|32|64)|SpecialOperand)\(', e):
            best = m
        if best is None:
            return e
        start = best.end()
        depth, i = 1, start
        while depth:
            depth += {'(': 1, ')': -1}.get(e[i], 0)
            i += 1
        inner = e[start:i - 1]
        e = e[:best.start()] + f'(({inner}) as {types[best.group(1)]})' + e[i:]


def expr(e):
    """A Go expression over u32 values as Rust."""
    e = e.strip()
    e = conversions(e)
    # Go's unsigned arithmetic wraps.
    for _ in range(3):
        e = re.sub(r'(\b[\w]+|\([^()]*\))\s*-\s*(\b\w+\b|\([^()]*\))(?!\s*[*/%])', r'\1.wrapping_sub(\2)', e)
        e = re.sub(r'(\b[\w]+|\([^()]*\))\s*\+\s*(\b\w+\b|\([^()]*\))(?!\s*[*/%])', r'\1.wrapping_add(\2)', e)
    e = re.sub(r'\b(\d+)\.wrapping_', r'\1u32.wrapping_', e)
    e = CONST.sub(lambda m: m.group(1) if m.group(1).startswith('code') else f'(k::{m.group(1)} as u32)', e)
    # Go gives & and << the same precedence, above comparison; Rust puts
    # comparison above &. Parenthesise `a & b` operands of comparisons.
    e = re.sub(r'(\b[\w.]+\s*(?:&|%)\s*[\w.]+)\s*(==|!=|<=|>=|<|>)', r'(\1) \2', e)
    return e


def translate(name, body):
    out = [f'pub fn {name}(v: u32) -> (u32, bool) {{', '    #[allow(unused_mut)]', '    let mut v = v;']
    stack = []  # 'switch' entries: [has_default, arm_open, indent]
    for raw in body.split('\n'):
        line = raw.split('//')[0].rstrip() if '//' in raw and not raw.strip().startswith('case') else raw.rstrip()
        if '//' in line:
            line = line.split('//')[0].rstrip()
        s = line.strip()
        if not s:
            continue
        ind = '    ' * (len(line) - len(line.lstrip('\t')) + 1)
        m = re.match(r'switch (SpecialOperand\(v\)|v) \{$', s)
        if m:
            out.append(f'{ind}match v as i64 {{')
            stack.append([False, False, tabs(raw)])
            continue
        m = re.match(r'case (.*):$', s)
        if m and stack:
            if stack[-1][1]:
                out.append(f'{ind}}}')
            pats = [p.strip() for p in m.group(1).split(',')]
            pats = [('k::' + p) if re.match(r'[A-Z]', p) else p for p in pats]
            out.append(f'{ind}{" | ".join(pats)} => {{')
            stack[-1][1] = True
            continue
        if s == 'default:' and stack:
            if stack[-1][1]:
                out.append(f'{ind}}}')
            out.append(f'{ind}_ => {{')
            stack[-1][0] = True
            stack[-1][1] = True
            continue
        m = re.match(r'return (.*), (.*)$', s)
        if m:
            a, b = expr(m.group(1)), expr(m.group(2))
            out.append(f'{ind}return ({a}, {b});')
            continue
        m = re.match(r'(if|\} else if) (.*) \{$', s)
        if m:
            cond = m.group(2)
            cond = cond.replace('!stripRawZ(&v)', '!strip_raw_z(&mut v)').replace('!checkIsR(v)', '!check_is_r(v)')
            lead = '} else if' if m.group(1).startswith('}') else 'if'
            out.append(f'{ind}{lead} {expr(cond)} {{')
            continue
        if s == '} else {':
            out.append(f'{ind}}} else {{')
            continue
        m = re.match(r'(\w+) := (.*)$', s)
        if m:
            out.append(f'{ind}let {m.group(1)} = {expr(m.group(2))};')
            continue
        m = re.match(r'(\w+) (<<=|>>=|\+=|-=|&=|\|=|=) (.*)$', s)
        if m:
            out.append(f'{ind}{m.group(1)} {m.group(2)} {expr(m.group(3))};')
            continue
        if s == '}':
            if stack and stack[-1][2] == tabs(raw):
                top = stack.pop()
                if top[1]:
                    out.append(f'{ind}    }}')
                if not top[0]:
                    out.append(f'{ind}    _ => {{}}')
            out.append(f'{ind}}}')
            continue
        raise ValueError(f'{name}: cannot translate {s!r}')
    out.append('}')
    return '\n'.join(out)


def tabs(line):
    return len(line) - len(line.lstrip('\t'))
