package podsconf

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/controller"
	"sigs.k8s.io/randfill"

	"github.com/reckon-k8s/reckon/workload/pods"
)

// TestFromTemplateMatchesUpstream compares FromTemplate with upstream's GetPodFromTemplate (plus
// the namespace that CreatePods passes to the API) on random templates and parent names of every
// length around the 253-character limit.
func TestFromTemplateMatchesUpstream(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	f := randfill.NewWithSeed(6).NilChance(0.2).NumElements(1, 3).MaxDepth(8)
	for i := range 1000 {
		var tmpl corev1.PodTemplateSpec
		f.Fill(&tmpl)
		if len(tmpl.Labels) == 0 {
			tmpl.Labels = map[string]string{"app": "x"}
		}
		name := strings.Repeat("a", rng.IntN(6)+[]int{0, 248}[rng.IntN(2)]) + []string{"", "-", ".", "B", "_"}[rng.IntN(5)]
		rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod", UID: "u"}}
		ref := metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
		want, err := controller.GetPodFromTemplate(&tmpl, rs, ref)
		if err != nil {
			t.Fatal(err)
		}
		want.Namespace = "prod"
		got, err := pods.FromTemplate(&tmpl, rs, ref)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (parent %q):\nupstream %v\nreckon   %v", i, name, want, got)
		}
	}
}
