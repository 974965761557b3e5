// Package workload holds one planner per Kubernetes workload kind. A planner
// is a pure function: given the desired object, what the caller observed and
// the time, it returns a plan (the writes to make, the status to write, the
// events to record and when to look again) equal to what one sync of the
// kube-controller-manager v1.36 controller for that kind would do.
//
// Planners never perform I/O, never read the clock, never modify their
// inputs, and give the same plan for the same inputs in any order. Invalid
// objects yield errors built from field.ErrorList whose paths name the field
// (spec.selector, spec.replicas, ...), never a panic.
//
// Available planners:
//
//   - PlanReplicaSet: the ReplicaSet controller (pkg/controller/replicaset).
//   - PlanDeployment: the Deployment controller (pkg/controller/deployment),
//     with its rollout math in package rollout.
//
// A plan's Actions are typed values that any client can apply: CreatePod,
// DeletePod, Adopt and Release (with the exact patches upstream sends) for
// pods and replica sets; CreateReplicaSet, UpdateReplicaSet,
// DeleteReplicaSet, UpdateDeployment and UpdateDeploymentStatus for
// Deployments. Lower-level building blocks live in their own packages:
// pod predicates, deletion ranking and pod construction in workload/pods,
// selectors and ownership claims in selector, rollout math in rollout.
package workload
