package rollout_test

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/reckon-k8s/reckon/rollout"
)

// The hash of a template, and of the same template after one collision: a Deployment whose new
// ReplicaSet name collides with an existing one bumps status.collisionCount and hashes again. The
// outputs are upstream controller.ComputeHash's for the same inputs (k8s.io/api v0.36.3).
func ExampleTemplateHash() {
	tmpl := &corev1.PodTemplateSpec{}
	fmt.Println(rollout.TemplateHash(tmpl, nil))
	fmt.Println(rollout.TemplateHash(tmpl, ptr.To[int32](0)))
	fmt.Println(rollout.TemplateHash(tmpl, ptr.To[int32](1)))
	// Output:
	// 85748b7f68
	// 777dfcd544
	// b54bc767c
}
