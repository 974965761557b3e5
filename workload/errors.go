package workload

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// An InvalidError is what a planner returns for input the API server would
// have refused or that the planner cannot use: the object's kind and name and
// every field error, each naming its path. errors.As finds each
// *field.Error through it.
type InvalidError struct {
	Kind   string // "ReplicaSet", "Deployment", ...
	Name   string
	Errors field.ErrorList
}

// Error reads like the API server's refusal of the object:
// `Deployment "nginx" is invalid: spec.replicas: Invalid value: -1: ...`.
func (e *InvalidError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	msg := strings.Join(msgs, ", ")
	if len(msgs) > 1 {
		msg = "[" + msg + "]"
	}
	return fmt.Sprintf("%s %q is invalid: %s", e.Kind, e.Name, msg)
}

// Unwrap returns the field errors, so that errors.As and errors.Is see each
// of them.
func (e *InvalidError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		errs[i] = fe
	}
	return errs
}

// invalid wraps errs, or returns nil if there are none.
func invalid(kind, name string, errs field.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	return &InvalidError{Kind: kind, Name: name, Errors: errs}
}
