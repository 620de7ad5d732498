// -S listing test of arm64 branch reach: `goasm -arch arm64 -S -p p arm64_far.s` prints
// arm64_far.arm64.golden (Go's listing less PCDATA/FUNCDATA, from gen.sh). The TBZ and TBNZ
// targets lie past a TBZ's reach (±32 KiB), so each gets Go's trampoline; the CBZ and the
// conditional B stay direct (±1 MiB). NOSPLIT (4): no prologue.
TEXT ·far(SB), 4, $0-0
	TBZ $3, R1, end
	CBZ R2, end
	TBNZ $5, R3, end
	BEQ end
back:
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
	ADD $1, R0, R0
	PCALIGN $2048
end:
	TBZ $1, R4, back
	BNE back
	RET
