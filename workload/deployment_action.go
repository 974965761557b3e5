package workload

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// CreateReplicaSet asks for a ReplicaSet to be created (POST). ReplicaSet is
// a new object owned by the plan, built as upstream's getNewReplicaSet
// builds it: named <deployment>-<pod-template-hash> (not generateName),
// controlled by the Deployment.
type CreateReplicaSet struct {
	ReplicaSet *appsv1.ReplicaSet
}

func (a CreateReplicaSet) String() string {
	return fmt.Sprintf("create replicaset %s/%s (replicas %d)", a.ReplicaSet.Namespace, a.ReplicaSet.Name, replicasOf(a.ReplicaSet))
}

// UpdateReplicaSet asks for a ReplicaSet to be replaced (PUT) by
// ReplicaSet: a copy of the observed object (or of the one an earlier
// action of the same plan wrote) with spec.replicas, annotations or
// spec.minReadySeconds changed. It keeps the observed resourceVersion, as
// upstream's update does; see DeploymentPlan for what that means when a
// plan writes the same ReplicaSet twice.
type UpdateReplicaSet struct {
	ReplicaSet *appsv1.ReplicaSet
}

func (a UpdateReplicaSet) String() string {
	return fmt.Sprintf("update replicaset %s/%s (replicas %d)", a.ReplicaSet.Namespace, a.ReplicaSet.Name, replicasOf(a.ReplicaSet))
}

// DeleteReplicaSet asks for an old ReplicaSet to be deleted, to keep the
// Deployment's revisionHistoryLimit. A NotFound answer counts as success,
// as upstream treats it.
type DeleteReplicaSet struct {
	ReplicaSet ObjectRef
}

func (a DeleteReplicaSet) String() string {
	return "delete " + a.ReplicaSet.String()
}

// UpdateDeployment asks for the Deployment to be replaced (PUT) by
// Deployment, a new object: upstream writes the whole Deployment after
// acting on the legacy rollback annotation (template possibly rolled back,
// annotation removed).
type UpdateDeployment struct {
	Deployment *appsv1.Deployment
}

func (a UpdateDeployment) String() string {
	return fmt.Sprintf("update deployment %s/%s", a.Deployment.Namespace, a.Deployment.Name)
}

// UpdateDeploymentStatus asks for the Deployment's status subresource to be
// written with Status. Upstream sends its whole in-memory Deployment, and
// the API server keeps every metadata change but labels from a status
// write: that is how the revision annotation reaches the Deployment.
// Annotations holds the annotations sent (a new map, nil if the Deployment
// has none); they differ from the observed ones only in
// rollout.RevisionAnnotation.
type UpdateDeploymentStatus struct {
	Status      appsv1.DeploymentStatus
	Annotations map[string]string
}

func (a UpdateDeploymentStatus) String() string {
	s := a.Status
	return fmt.Sprintf("update deployment status (replicas %d, updated %d, ready %d, available %d)",
		s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas)
}

func (CreateReplicaSet) action()       {}
func (UpdateReplicaSet) action()       {}
func (DeleteReplicaSet) action()       {}
func (UpdateDeployment) action()       {}
func (UpdateDeploymentStatus) action() {}
