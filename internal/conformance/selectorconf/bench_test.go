package selectorconf

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"

	"github.com/reckon-k8s/reckon/selector"
)

// A typical pod placement: a nodeSelector plus required affinity of two terms (zone and instance
// type, or a named node), against a node with the usual well-known labels.
var (
	benchPod = &corev1.Pod{Spec: corev1.PodSpec{
		NodeSelector: map[string]string{"kubernetes.io/os": "linux"},
		Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{
				{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: "In", Values: []string{"other-node"}}}},
				{MatchExpressions: []corev1.NodeSelectorRequirement{
					{Key: "topology.kubernetes.io/zone", Operator: "In", Values: []string{"eu-west-1a", "eu-west-1b"}},
					{Key: "node.kubernetes.io/instance-type", Operator: "NotIn", Values: []string{"t3.micro"}},
					{Key: "example.com/cpus", Operator: "Gt", Values: []string{"4"}},
				}},
			}},
			PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{
				{Weight: 10, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "disk", Operator: "In", Values: []string{"ssd"}}}}},
				{Weight: 5, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "gpu", Operator: "Exists"}}}},
			},
		}},
	}}
	benchNode = &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-17", Labels: map[string]string{
		"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "node-17",
		"topology.kubernetes.io/zone": "eu-west-1b", "topology.kubernetes.io/region": "eu-west-1",
		"node.kubernetes.io/instance-type": "m5.xlarge", "example.com/cpus": "16", "disk": "ssd",
	}}}
)

// BenchmarkRequiredNodeAffinity compares matching a compiled pod requirement against a node.
// Compare with: benchstat -col /impl.
func BenchmarkRequiredNodeAffinity(b *testing.B) {
	theirs := nodeaffinity.GetRequiredNodeAffinity(benchPod)
	ours := selector.RequiredNodeAffinityOf(benchPod)
	if ok, _ := theirs.Match(benchNode); !ok || !ours.Matches(benchNode) {
		b.Fatal("benchmark pod must fit the node")
	}
	b.Run("impl=nodeaffinity", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ok, _ := theirs.Match(benchNode); !ok {
				b.Fatal("wrong result")
			}
		}
	})
	b.Run("impl=reckon", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !ours.Matches(benchNode) {
				b.Fatal("wrong result")
			}
		}
	})
}

// BenchmarkPreferredScore compares scoring a node with compiled preferred terms.
func BenchmarkPreferredScore(b *testing.B) {
	terms := benchPod.Spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution
	theirs, err := nodeaffinity.NewPreferredSchedulingTerms(terms)
	ours, errs := selector.CompilePreferredSchedulingTerms(terms, nil)
	if err != nil || len(errs) != 0 || theirs.Score(benchNode) != ours.Score(benchNode) {
		b.Fatal("implementations disagree")
	}
	b.Run("impl=nodeaffinity", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			theirs.Score(benchNode)
		}
	})
	b.Run("impl=reckon", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ours.Score(benchNode)
		}
	})
}
