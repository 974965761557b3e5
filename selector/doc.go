// Package selector decides which objects a selector picks: label selectors compiled for fast
// matching, node selector terms and node affinity, the claim of objects by their controller
// (adopt and release), and the pods that back a Service.
//
// Every answer is the one Kubernetes v1.36 gives for the same input; each exported name says which
// upstream function it reproduces. Nothing here does I/O, keeps state or mutates its inputs, and no
// input makes it panic.
//
// # Label selectors
//
// A Selector comes from FromLabelSelector (a metav1.LabelSelector, like
// metav1.LabelSelectorAsSelector), Parse (the string syntax, like labels.Parse), FromSet (a map,
// like labels.SelectorFromSet), Everything or Nothing. The rules:
//
//  1. A selector is the AND of its requirements. No requirement matches every label set
//     (Everything, FromSet(nil), Parse(""), an empty metav1.LabelSelector); a nil
//     metav1.LabelSelector, Nothing() and the zero Selector match none.
//  2. "=", "==" and in require the key to be present with one of the values.
//  3. "!=" and notin match when the key is absent, or present with none of the values.
//  4. exists (a bare key) requires the key; "!key" requires its absence.
//  5. gt ("key>n") and lt ("key<n") require the key with a value that parses as a base-10 int64
//     (strconv.ParseInt: optional sign, leading zeros) strictly greater or less than n. The
//     threshold n itself must be a valid label value, so it cannot be negative.
//  6. Keys must be label keys: an optional DNS-1123 subdomain prefix and "/", then a name of 1 to
//     63 characters of [A-Za-z0-9-_.] starting and ending alphanumeric. Values must be label values:
//     empty, or up to 63 such characters. Sets given as maps (FromSet, a pod's nodeSelector, a
//     Service's selector) are not validated, as upstream does not validate them.
//  7. metav1.LabelSelector expressions support In and NotIn (one value or more), Exists and
//     DoesNotExist (no values); Gt and Lt are node selector operators only. A key in both
//     matchLabels and matchExpressions must satisfy both.
//  8. In the string syntax, tokens are separated by space, tab, CR or LF; the symbols are
//     "= == != ! ( ) , > <"; "in" and "notin" are keywords only where an operator is expected; a
//     missing value is the empty string ("a=", "a in ()", "a in (,b)"); set values are
//     de-duplicated; "!key" takes no operator; there is no ">=" or "<=".
//  9. Matching is exact and case-sensitive, and String prints what upstream prints: requirements
//     sorted by key, set values sorted.
//
// # Node selectors
//
// CompileNodeSelector, RequiredNodeAffinityOf and CompilePreferredSchedulingTerms follow
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity:
//
//  10. Terms are ORed; within a term every matchExpressions and matchFields requirement must hold.
//  11. A term with neither matchExpressions nor matchFields is dropped; a selector with no
//     remaining term matches no node.
//  12. matchExpressions use In, NotIn, Exists, DoesNotExist, Gt and Lt with the label rules above
//     (Gt and Lt need exactly one integer value, which cannot be negative).
//  13. matchFields support In and NotIn with exactly one value. A node's only field is
//     metadata.name; any other key reads as the empty string. A node with an empty name has no
//     fields, and then the term's matchFields are not checked at all.
//  14. A term with an error never matches, the other terms still do, and the errors are reported
//     (the scheduler ignores them). For preferred terms, a weight of 0 or an empty preference
//     skips the term, any error in another term fails the whole list, and the score is the sum of
//     the weights of the matching terms.
//  15. A pod's required node affinity is its spec.nodeSelector (every entry must be a node label
//     with that value) AND its requiredDuringSchedulingIgnoredDuringExecution when set; a set
//     node selector with zero terms matches no node.
//
// # Ownership
//
// ClaimObjects applies upstream's BaseControllerRefManager.ClaimObject to each candidate:
//
//  16. An object controlled by another controller (by UID) is ignored: never adopted or released.
//  17. An object the owner controls and that matches is claimed, even when it or the owner is
//     being deleted.
//  18. An object the owner controls that no longer matches is released, unless the owner is being
//     deleted.
//  19. An orphan is adopted (and claimed) when it matches, is not being deleted, is in the owner's
//     namespace (for a namespaced owner), and the owner is not being deleted; otherwise ignored.
//
// # Services
//
// ServiceEndpoints follows the EndpointSlice controller:
//
//  20. Services of type ExternalName or without a selector get no endpoints; the selector is
//     matched as an unvalidated set within the Service's namespace.
//  21. Terminal pods (Succeeded, Failed) and pods without an IP of a family the Service uses are
//     left out; terminating pods stay in.
//  22. Serving is the pod's Ready condition; Terminating is a set deletionTimestamp; Ready is
//     publishNotReadyAddresses, or Serving and not Terminating.
package selector
