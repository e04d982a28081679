// Package configtest checks configurations' Validate in tests of the
// packages that define them.
package configtest

import (
	"context"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// WantError validates c and wants no error when want is "", else an error
// that starts with want: the parameter, then what is wrong with it.
func WantError(is *is.I, c interface{ Validate(context.Context) error }, want string) {
	is.Helper()
	err := c.Validate(context.Background())
	if want == "" {
		is.NoErr(err)
		return
	}
	is.True(err != nil)
	is.True(strings.HasPrefix(err.Error(), want)) // the parameter, then what is wrong
}

// Case is a change to a valid configuration and the error it wants.
type Case[C any] struct {
	Name   string
	Change func(*C)
	Want   string // "" for none; else the error or its start
}

// Run runs each case as a subtest: a valid configuration, changed by the
// case, validated.
func Run[C any, P interface {
	*C
	Validate(context.Context) error
}](t *testing.T, valid func() C, cases []Case[C]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			c := valid()
			tc.Change(&c)
			WantError(is.New(t), P(&c), tc.Want)
		})
	}
}
