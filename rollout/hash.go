package rollout

import (
	"encoding/binary"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/dump"
)

// TemplateHash returns the pod-template-hash of template: the value upstream
// controller.ComputeHash (pkg/controller/controller_utils.go, Kubernetes v1.36.3) gives for the same
// template and collision count. That is the FNV-32a hash of the template's go-spew dump
// ([dump.ForHash]), followed, when collisionCount is non-nil, by the count as 8 bytes
// (uint32 little-endian, then four zero bytes), with the decimal digits of the sum mapped onto
// "bcdfghjklmnpqrstvwxz2456789" the way apimachinery's rand.SafeEncodeString does (0→4, 1→5, …,
// 9→f). A nil collisionCount and a zero one give different hashes, as upstream.
//
// The dump covers every field of the Go struct, so the hash is only reproducible with the same
// k8s.io/api version (v0.36.3 here) and changes whenever that struct gains a field; upstream
// itself never relies on it to compare templates. A nil template, on which upstream panics,
// hashes like an empty one.
func TemplateHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	var t corev1.PodTemplateSpec
	if template != nil {
		t = *template
	}
	h := fnvWrite(fnvOffset32, dump.ForHash(t))
	if collisionCount != nil {
		var b [8]byte
		binary.LittleEndian.PutUint32(b[:4], uint32(*collisionCount))
		h = fnvWrite(h, string(b[:]))
	}
	var buf [10]byte
	return safeEncode(strconv.AppendUint(buf[:0], uint64(h), 10))
}

// FNV-32a, as hash/fnv computes it, over a string without copying it into a []byte.
const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

func fnvWrite(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime32
	}
	return h
}

// safeAlphabet is apimachinery's rand alphanums: no vowels, no look-alike characters.
const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// safeEncode is rand.SafeEncodeString applied to ASCII digits, in place.
func safeEncode(digits []byte) string {
	for i, c := range digits {
		digits[i] = safeAlphabet[int(c)%len(safeAlphabet)]
	}
	return string(digits)
}
