package rollout

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"
)

func tmpl(labels map[string]string, image string) *corev1.PodTemplateSpec {
	return &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: image}}},
	}
}

// Expectations follow deploymentutil.EqualIgnoreHash: delete the
// pod-template-hash label from deep copies, then Semantic.DeepEqual.
func TestEqualIgnoreHash(t *testing.T) {
	withCPU := func(q string) *corev1.PodTemplateSpec {
		t := tmpl(map[string]string{"app": "a"}, "nginx")
		t.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(q)}
		return t
	}
	for _, tc := range []struct {
		name string
		a, b *corev1.PodTemplateSpec
		want bool
	}{
		{"same", tmpl(map[string]string{"app": "a"}, "nginx"), tmpl(map[string]string{"app": "a"}, "nginx"), true},
		{"hash on one side", tmpl(map[string]string{"app": "a", PodTemplateHashLabel: "abc"}, "nginx"), tmpl(map[string]string{"app": "a"}, "nginx"), true},
		{"different hashes", tmpl(map[string]string{"app": "a", PodTemplateHashLabel: "abc"}, "nginx"), tmpl(map[string]string{"app": "a", PodTemplateHashLabel: "def"}, "nginx"), true},
		{"only hash vs nil labels", tmpl(map[string]string{PodTemplateHashLabel: "abc"}, "nginx"), tmpl(nil, "nginx"), true},
		{"nil and empty labels", tmpl(nil, "nginx"), tmpl(map[string]string{}, "nginx"), true},
		{"other label differs", tmpl(map[string]string{"app": "a"}, "nginx"), tmpl(map[string]string{"app": "b"}, "nginx"), false},
		{"extra label", tmpl(map[string]string{"app": "a", "x": "y"}, "nginx"), tmpl(map[string]string{"app": "a"}, "nginx"), false},
		{"extra label vs hash", tmpl(map[string]string{"app": "a", "x": ""}, "nginx"), tmpl(map[string]string{"app": "a", PodTemplateHashLabel: ""}, "nginx"), false},
		{"image differs", tmpl(map[string]string{"app": "a"}, "nginx:1.14.2"), tmpl(map[string]string{"app": "a"}, "nginx:1.16.1"), false},
		{"quantities by value", withCPU("500m"), withCPU("0.5"), true},
		{"quantities differ", withCPU("500m"), withCPU("1"), false},
		{"both nil", nil, nil, true},
		{"one nil", nil, tmpl(nil, "nginx"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := EqualIgnoreHash(tc.a, tc.b); got != tc.want {
				t.Errorf("EqualIgnoreHash = %v, want %v", got, tc.want)
			}
			if got := EqualIgnoreHash(tc.b, tc.a); got != tc.want {
				t.Errorf("EqualIgnoreHash (swapped) = %v, want %v", got, tc.want)
			}
		})
	}
}

// upstreamEqualIgnoreHash is deploymentutil.EqualIgnoreHash's definition,
// the oracle for the property below.
func upstreamEqualIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	ac, bc := a.DeepCopy(), b.DeepCopy()
	delete(ac.Labels, PodTemplateHashLabel)
	delete(bc.Labels, PodTemplateHashLabel)
	return equality.Semantic.DeepEqual(ac, bc)
}

func TestEqualIgnoreHashMatchesDefinition(t *testing.T) {
	genLabels := rapid.Custom(func(t *rapid.T) map[string]string {
		if rapid.Bool().Draw(t, "nil") {
			return nil
		}
		return rapid.MapOfN(rapid.SampledFrom([]string{"app", "tier", PodTemplateHashLabel}), rapid.SampledFrom([]string{"", "a", "b"}), 0, 3).Draw(t, "labels")
	})
	genTemplate := func(t *rapid.T, name string) *corev1.PodTemplateSpec {
		tp := tmpl(genLabels.Draw(t, name+".labels"), rapid.SampledFrom([]string{"x", "y"}).Draw(t, name+".image"))
		switch rapid.IntRange(0, 5).Draw(t, name+".shape") {
		case 0:
			tp.Spec.Containers = nil
		case 1:
			tp.Spec.Containers = append(tp.Spec.Containers, corev1.Container{Name: "side", Image: "x"})
		case 2:
			tp.Spec.InitContainers = []corev1.Container{{Name: "init", Image: rapid.SampledFrom([]string{"x", "y"}).Draw(t, name+".init")}}
		case 3:
			tp.Spec.Containers[0].Name = "d"
		case 4:
			tp.Spec.Containers[0].Args = []string{}
		}
		return tp
	}
	rapid.Check(t, func(t *rapid.T) {
		a, b := genTemplate(t, "a"), genTemplate(t, "b")
		before := []*corev1.PodTemplateSpec{a.DeepCopy(), b.DeepCopy()}
		if got, want := EqualIgnoreHash(a, b), upstreamEqualIgnoreHash(a, b); got != want {
			t.Fatalf("EqualIgnoreHash = %v, definition says %v", got, want)
		}
		if !equality.Semantic.DeepEqual(before, []*corev1.PodTemplateSpec{a, b}) {
			t.Fatalf("inputs modified")
		}
	})
}
