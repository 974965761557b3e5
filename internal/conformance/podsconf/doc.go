// Package podsconf checks reckon's pod building blocks (workload/pods) and pod-template-hash
// (rollout.TemplateHash) against the upstream Kubernetes v1.36.3 code they reproduce:
// controller.ActivePodsWithRanks sorted by sort.Sort, controller.ComputeHash,
// controller.GetPodFromTemplate, podutil.IsPodAvailable and helper.GetDeletionCostFromPodAnnotations,
// on seeded random inputs. It also holds the side-by-side benchmark of reckon's partial selection
// against upstream's full sort. It has no non-test code.
package podsconf
