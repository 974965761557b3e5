package sim

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func TestCreatePodNamesLikeTheAPIServer(t *testing.T) {
	a, b := New(t0), New(t0)
	pa := a.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}})
	pb := b.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}})
	if pa.Name != pb.Name || pa.UID != pb.UID {
		t.Fatalf("two fresh clusters named differently: %s/%s vs %s/%s", pa.Name, pa.UID, pb.Name, pb.UID)
	}
	if len(pa.Name) != len("web-")+5 || pa.Status.Phase != corev1.PodPending || pa.Spec.NodeName != "node-1" || !pa.CreationTimestamp.Time.Equal(t0) {
		t.Fatalf("created %+v", pa)
	}
	if p2 := a.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}}); p2.Name == pa.Name || p2.UID == pa.UID {
		t.Fatal("second pod reused a name or UID")
	}
}

func TestAdvanceStartsPodsAfterReadyAfter(t *testing.T) {
	c := New(t0)
	c.ReadyAfter = 5 * time.Second
	c.NeverReady["bad"] = true
	good := c.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "good"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Image: "ok"}}}})
	c.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "bad"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Image: "bad"}}}})
	c.Advance(4 * time.Second)
	if c.Pod("good").Status.Phase != corev1.PodPending {
		t.Fatal("started before ReadyAfter")
	}
	c.Advance(10 * time.Second)
	p := c.Pod("good")
	if p.Status.Phase != corev1.PodRunning || len(p.Status.Conditions) != 1 || p.Status.Conditions[0].Status != corev1.ConditionTrue {
		t.Fatalf("good pod %+v", p.Status)
	}
	if got := p.Status.Conditions[0].LastTransitionTime.Time; !got.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("ready since %v, want creation + ReadyAfter", got)
	}
	if b := c.Pod("bad"); b.Status.Phase != corev1.PodRunning || b.Status.Conditions[0].Status != corev1.ConditionFalse {
		t.Fatalf("never-ready pod %+v", b.Status)
	}
	if good.Status.Phase != corev1.PodPending {
		t.Fatal("an earlier snapshot was edited in place")
	}
}

func TestDeletePodIsGraceful(t *testing.T) {
	c := New(t0)
	c.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "a"}})
	if err := c.DeletePod("a"); err != nil {
		t.Fatal(err)
	}
	if c.Pod("a").DeletionTimestamp == nil {
		t.Fatal("scheduled pod deleted at once")
	}
	c.Advance(29 * time.Second)
	if c.Pod("a") == nil {
		t.Fatal("gone before its grace period")
	}
	c.Advance(time.Second)
	if c.Pod("a") != nil {
		t.Fatal("still there after its grace period")
	}
	if err := c.DeletePod("a"); err == nil {
		t.Fatal("deleting a missing pod succeeded")
	}
}

func TestPullPolicyDefault(t *testing.T) {
	for image, want := range map[string]corev1.PullPolicy{
		"nginx": corev1.PullAlways, "nginx:latest": corev1.PullAlways, "nginx:1.14.2": corev1.PullIfNotPresent,
		"localhost:5000/nginx": corev1.PullAlways, "nginx@sha256:abc": corev1.PullIfNotPresent,
	} {
		if got := pullPolicy(image); got != want {
			t.Errorf("pullPolicy(%q) = %s, want %s", image, got, want)
		}
	}
}
