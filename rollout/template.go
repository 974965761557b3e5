package rollout

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
)

// EqualIgnoreHash reports whether two pod templates are semantically equal
// once the [PodTemplateHashLabel] is ignored: upstream's
// deploymentutil.EqualIgnoreHash, which decides whether a ReplicaSet is the
// Deployment's new ReplicaSet. Equality is apimachinery's
// [equality.Semantic].DeepEqual: nil and empty maps and slices are equal,
// quantities compare by value (500m equals 0.5), times by instant.
//
// The hash label is ignored rather than compared because the Deployment's
// own template never carries it and its value changes whenever the API
// types gain a field. Neither template is modified, and unlike upstream no
// deep copy is made. Two nil templates are equal; a nil and a non-nil
// template are not.
func EqualIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !equalLabelsIgnoreHash(a.Labels, b.Labels) || containersDiffer(&a.Spec, &b.Spec) {
		return false
	}
	// Shallow copies with the labels cleared: the rest is compared as is,
	// without touching the callers' objects.
	ac, bc := *a, *b
	ac.Labels, bc.Labels = nil, nil
	return equality.Semantic.DeepEqual(&ac, &bc)
}

// containersDiffer reports, without reflection, a difference that
// Semantic.DeepEqual would also find: the number of containers or a
// container's name or image. Old ReplicaSets usually differ from the
// Deployment right there, so most comparisons end here.
func containersDiffer(a, b *corev1.PodSpec) bool {
	if len(a.Containers) != len(b.Containers) || len(a.InitContainers) != len(b.InitContainers) {
		return true
	}
	for i := range a.Containers {
		if a.Containers[i].Name != b.Containers[i].Name || a.Containers[i].Image != b.Containers[i].Image {
			return true
		}
	}
	for i := range a.InitContainers {
		if a.InitContainers[i].Name != b.InitContainers[i].Name || a.InitContainers[i].Image != b.InitContainers[i].Image {
			return true
		}
	}
	return false
}

// equalLabelsIgnoreHash compares two label maps as Semantic.DeepEqual would
// after deleting PodTemplateHashLabel from both.
func equalLabelsIgnoreHash(a, b map[string]string) bool {
	n := 0
	for k, v := range a {
		if k == PodTemplateHashLabel {
			continue
		}
		w, ok := b[k]
		if !ok || w != v {
			return false
		}
		n++
	}
	m := len(b)
	if _, ok := b[PodTemplateHashLabel]; ok {
		m--
	}
	return n == m
}
