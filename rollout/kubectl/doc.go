// Package kubectl holds kubectl's side of a Deployment rollout as pure
// functions over k8s.io/api types: what `kubectl rollout status`,
// `kubectl rollout history`, `kubectl rollout undo` and `kubectl describe
// deployment` compute and print (k8s.io/kubectl v0.36, packages
// polymorphichelpers and describe), with kubectl's wording. The controller's
// own arithmetic, including the Deployment status it writes
// ([rollout.CalculateStatus]), is package [rollout]; this package reads what
// the controller wrote and never decides a sync.
//
// # Rules
//
// Each rule is named by the slug that starts its item. The rules of a
// function are listed, also by slug, in its documentation, and the table
// test cases checking a rule start with its slug: go test -run
// 'TestStatus/deadline-exceeded' runs those of [Status]'s rule
// deadline-exceeded.
//
//   - owned-replica-sets: a Deployment's ReplicaSets are those kubectl lists
//     (deploymentutil.GetAllReplicaSets): in its namespace, whose labels
//     match spec.selector (a nil selector lists every ReplicaSet, as
//     kubectl's empty list query does), and whose controller reference has
//     its UID; nil entries are ignored. kubectl walks them old ReplicaSets
//     first, by creation timestamp then name ([rollout.SortByCreation]),
//     then the new ReplicaSet: the first in that order whose template
//     equals spec.template ignoring the pod-template-hash label
//     ([rollout.EqualIgnoreHash]). An invalid spec.selector is an error
//     naming the field. [History], [Undo] and [DescribeConditions] see only
//     these ReplicaSets.
//   - rollout-status: the verdict of `kubectl rollout status`, the first of
//     its rules that applies ([Status]).
//   - rollout-history: the revisions `kubectl rollout history` lists and the
//     table it prints ([History], [FormatHistory]).
//   - rollout-undo: the Deployment `kubectl rollout undo` leaves, or why it
//     refuses ([Undo]).
//   - describe: the Replicas line and the conditions and ReplicaSet lines of
//     `kubectl describe deployment` ([ReplicasLine], [DescribeConditions]).
//
// Like kubectl, these functions read a Deployment as the API server stores
// it; unlike kubectl, they are given the ReplicaSets instead of listing
// them, and a nil Deployment gives an error (or "" from [ReplicasLine]).
// They never modify their arguments and their results share no memory with
// them.
package kubectl
