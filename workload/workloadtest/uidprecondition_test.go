package workloadtest_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// An update computed from an object that was since deleted and created
// again under the same name carries the old UID: the API server takes a
// PUT body's UID as a precondition and answers Conflict (before looking at
// the resourceVersion), while a patch that would change the UID is
// Invalid (the UID is immutable), which the ControllerRefManager's release
// patches rely on.
func TestUIDPreconditions(t *testing.T) {
	c := workloadtest.New(time.Unix(0, 0))
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "new", ResourceVersion: "7"}}
	if err := c.Add(rs); err != nil {
		t.Fatal(err)
	}
	stale := rs.DeepCopy()
	stale.UID, stale.ResourceVersion = "old", "3"
	if _, err := c.Update(stale); !apierrors.IsConflict(err) {
		t.Errorf("update with another UID: %v, want a Conflict", err)
	}
	target := workload.Target{Resource: appsv1.SchemeGroupVersion.WithResource("replicasets"), Namespace: "default", Name: "web"}
	if _, err := c.Patch(target, types.StrategicMergePatchType, []byte(`{"metadata":{"uid":"old"}}`)); !apierrors.IsInvalid(err) {
		t.Errorf("patch changing the UID: %v, want Invalid", err)
	}
}
