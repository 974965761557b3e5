package workloadtest_test

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

func generated(prefix string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: prefix, Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx:1.27"}}},
	}
}

// A cluster seeded with Add then creating objects must neither reuse a
// seeded UID nor fail a create by generateName on a taken name: the API
// server tries another name (RetryGenerateName), and the conformance
// harnesses seed a fresh cluster with the previous sync's objects.
func TestCreateAfterAddNeverCollides(t *testing.T) {
	first := workloadtest.New(time.Unix(0, 0))
	first.Nodes = nil
	p, err := first.Create(generated("web-"))
	if err != nil {
		t.Fatal(err)
	}

	c := workloadtest.New(time.Unix(0, 0))
	c.Nodes = nil
	if err := c.Add(p); err != nil {
		t.Fatal(err)
	}
	q, err := c.Create(generated("web-"))
	if err != nil {
		t.Fatalf("create by generateName in a cluster holding the name the first attempt generates: %v", err)
	}
	if q.GetName() == p.GetName() || q.GetUID() == p.GetUID() {
		t.Errorf("created %s (%s) again beside the added %s (%s)", q.GetName(), q.GetUID(), p.GetName(), p.GetUID())
	}
}

// The API server cuts a generateName prefix to 58 characters before
// appending its 5 random ones (k8s.io/apiserver/pkg/storage/names), so a
// ReplicaSet named with 253 characters still gets 63-character pod names.
func TestGenerateNameIsCut(t *testing.T) {
	c := workloadtest.New(time.Unix(0, 0))
	long := strings.Repeat("x", 253)
	p, err := c.Create(generated(long))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetName(); len(got) != 63 || !strings.HasPrefix(got, long[:58]) {
		t.Errorf("generated name %q (%d characters), want the prefix's first 58 and 5 more", got, len(got))
	}
}
