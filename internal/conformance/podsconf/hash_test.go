package podsconf

import (
	"math/rand/v2"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/pkg/controller"
	"sigs.k8s.io/randfill"

	"github.com/reckon-k8s/reckon/rollout"
)

// TestTemplateHashFixtures recomputes, with upstream, the vectors recorded in rollout/hash_test.go.
func TestTemplateHashFixtures(t *testing.T) {
	for _, f := range hashFixtures() {
		for _, cc := range collisionCounts {
			if got, want := rollout.TemplateHash(f.tmpl, cc), controller.ComputeHash(f.tmpl, cc); got != want {
				t.Errorf("%s, count %v: TemplateHash %q, ComputeHash %q", f.name, cc, got, want)
			}
		}
	}
}

// TestTemplateHashRandom compares TemplateHash with controller.ComputeHash on templates with every
// field filled at random (randfill, seeded), with no, zero and random collision counts.
func TestTemplateHashRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	f := randfill.NewWithSeed(4).NilChance(0.3).NumElements(0, 3).MaxDepth(12)
	for i := range 2000 {
		var tmpl corev1.PodTemplateSpec
		f.Fill(&tmpl)
		var cc *int32
		switch rng.IntN(3) {
		case 1:
			cc = new(int32)
		case 2:
			v := int32(rng.Uint32())
			cc = &v
		}
		if got, want := rollout.TemplateHash(&tmpl, cc), controller.ComputeHash(&tmpl, cc); got != want {
			t.Fatalf("case %d: TemplateHash %q, ComputeHash %q", i, got, want)
		}
	}
}

func BenchmarkTemplateHash(b *testing.B) {
	tmpl := hashFixtures()[4].tmpl
	cc := int32(1)
	b.Run("impl=reckon", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rollout.TemplateHash(tmpl, &cc)
		}
	})
	b.Run("impl=upstream", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			controller.ComputeHash(tmpl, &cc)
		}
	})
}
