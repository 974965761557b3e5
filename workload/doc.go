// Package workload holds one planner per Kubernetes workload kind. A planner
// is a pure function: given the desired object, what the caller observed and
// the time, it returns a [Plan] equal to what one sync of the
// kube-controller-manager v1.36 controller for that kind would do. The
// planners are [PlanReplicaSet] (pkg/controller/replicaset) and
// [PlanDeployment] (pkg/controller/deployment, with its rollout arithmetic
// in package rollout).
//
// Planners never perform I/O, never read the clock, never modify their
// inputs, never return a plan aliasing them, and give the same plan for the
// same inputs in any order. Invalid objects yield an [*InvalidError] whose
// field errors name the path (spec.selector, spec.replicas, ...) and unwrap
// with errors.As, never a panic.
//
// # The plan contract
//
// Every planner returns the same shape, a [Plan]: the writes of one sync,
// in upstream's order, grouped into [Step]s, each write saying everything a
// client needs to send it as upstream does and what upstream does when the
// API server refuses it. The rules, by slug:
//
//   - write-target: every [Write] names its target (API group, version,
//     resource, namespace, name and the UID observed) and its verb (create,
//     update, update-status, patch, delete).
//   - write-precondition: every write carries the resourceVersion of the
//     copy upstream computed it from (in its object's metadata and in
//     [Precondition.ResourceVersion]) and, for patches and deletes, the UID
//     upstream pins. Upstream writes from its informer's copy and, within a
//     sync, sometimes from the object an earlier write returned
//     ([Precondition.FromPrevious]) and sometimes again from the stale copy:
//     the plan says which, so a real API server answers a plan's write with
//     a Conflict exactly where it answers upstream's.
//   - write-body: creates and updates carry the whole object upstream sends;
//     patches their patch type and bytes.
//   - status-is-a-write: the status a sync computes reaches the API server
//     only as an update-status write of the plan, placed where upstream
//     sends it, and only when upstream sends it.
//   - event-with-write: an event caused by a write is in that write's
//     Events and is recorded only if the write succeeds; an event upstream
//     records on a failure is in its OnError.Events; an event upstream
//     records with no write of its own is in the Events of the step it
//     precedes (a step may hold events only). Placeholders stand for what
//     only the API server knows: the name it generated ([NamePlaceholder]),
//     the text of its error ([ErrorPlaceholder]).
//   - step-concurrency: the writes of one step are sent without waiting for
//     each other (upstream's slow-start batches, its concurrent deletions,
//     its claim patches); each is attempted whatever happens to the others,
//     so a caller may send them concurrently or one after another.
//   - stop-at-failure: the sync ends at the first step in which a write
//     fails, after the rest of that step, the failed write's
//     OnError.Events and its OnError.Fallback (what upstream still writes,
//     such as a ReplicaSet's ReplicaFailure condition), with a rate-limited
//     requeue. OnError.Ignore lists the errors upstream takes as success
//     (a pod already deleted), OnError.Abort those that end the sync with
//     no fallback, OnError.Forget those that end it with no requeue at all
//     (upstream's worker forgets the key); a write with OnError.Resume is
//     one whose failure upstream takes in its stride: after its events the
//     sync goes on with OnError.ResumeWith in place of the rest of the
//     plan. [Write.Retries] is upstream's re-read-and-retry of a status
//     write.
//   - requeue: a sync that ran to its end asks its work queue for
//     [Plan.Requeue]: a delayed look (minReadySeconds, progress deadline), a
//     rate-limited one (upstream's sync returned an error without a failed
//     write), or nothing.
//
// Applying a plan by these rules to a real API server makes exactly the
// writes and records exactly the events that upstream's sync makes against
// that server, Conflicts included: this is what the end-to-end tests check
// against kube-apiserver v1.36.3 with upstream's own controllers beside.
// Merging the writes upstream makes twice (for example two status writes
// in one sync, the second of which the API server refuses) is not offered:
// the refusal and the rate-limited retry that follows are upstream's
// observable behaviour, and a merged plan would change which writes, events
// and requeues a cluster sees.
//
// # The apply loop
//
// [Apply] and [Applier] implement the loop against any [Server];
// workloadtest.Cluster is one, a typed client-go clientset wrapped in a few
// lines is another (examples/controller). Written out, the loop is:
//
//	plan, err := workload.PlanDeployment(d, observed, now)
//	if err != nil {
//		// invalid object: log it and do not requeue, as upstream does
//	}
//	steps := plan.Steps
//	for len(steps) > 0 {
//		step := steps[0]
//		steps = steps[1:]
//		record(step.Events)
//		var failed *workload.Write // the first failure in plan order counts
//		var firstErr error
//		forget := false
//		for _, w := range step.Writes { // may be concurrent
//			obj, err := send(w) // FromPrevious: use the resourceVersion the last write to w.Target returned
//			switch {
//			case err == nil:
//				record(expand(w.Events, obj.GetName()))
//			case ignored(w.OnError.Ignore, err):
//			case forgotten(w.OnError.Forget, err):
//				firstErr, forget = err, true
//			case aborted(w.OnError.Abort, err):
//				firstErr = err
//			default:
//				record(expand(w.OnError.Events, err))
//				failed, firstErr = &w, err
//			}
//		}
//		if failed != nil && failed.OnError.Resume {
//			steps = failed.OnError.ResumeWith // in place of the rest of the plan
//			continue
//		}
//		if firstErr != nil {
//			if failed != nil {
//				run(failed.OnError.Fallback, firstErr) // every step of it, whatever fails
//			}
//			if forget {
//				queue.Forget(key)
//			} else {
//				queue.AddRateLimited(key)
//			}
//			return
//		}
//	}
//	if plan.Requeue.RateLimited {
//		queue.AddRateLimited(key)
//		return
//	}
//	queue.Forget(key)
//	if plan.Requeue.After > 0 {
//		queue.AddAfter(key, plan.Requeue.After)
//	}
//
// Lower-level building blocks live in their own packages: pod predicates,
// deletion ranking and pod construction in workload/pods, selectors and
// ownership claims in selector, rollout arithmetic in rollout.
package workload
