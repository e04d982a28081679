package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// UnknownNameError is a name a parameter holds that HubSpot does not
// define, such as a misspelled property: read as is, it would be a field
// that is always null. The source and the destination fail Open with it.
type UnknownNameError struct {
	Param string // the parameter, such as properties
	// What says where the name was looked for: "contacts has no property".
	What string
	Name string
	// Near are the known names the user may have meant, quoted.
	Near []string
}

func (e *UnknownNameError) Error() string {
	msg := fmt.Sprintf("%q: %s %q", e.Param, e.What, e.Name)
	if len(e.Near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(e.Near, " or "))
	}
	return msg
}

// CheckNames returns an UnknownNameError, joined, for each of names that
// known lacks; maxEdits bounds the edits of a "did you mean" (NearNames).
func CheckNames(param, what string, names, known []string, maxEdits int) error {
	set := make(map[string]bool, len(known))
	for _, k := range known {
		set[k] = true
	}
	var errs []error
	for _, n := range names {
		if !set[n] {
			errs = append(errs, &UnknownNameError{Param: param, What: what, Name: n, Near: NearNames(n, known, nil, maxEdits)})
		}
	}
	return errors.Join(errs...)
}

// NearNames returns, quoted and in the order of known, the names of known
// nearest to name, by their own spelling or one of their aliases, when
// that is at most maxEdits edits away (or equal but for case): the typos
// a user makes, such as "firstnme" for "firstname". Only the nearest are
// returned: a name equal but for case names that one alone.
func NearNames(name string, known []string, aliases map[string][]string, maxEdits int) []string {
	name = strings.ToLower(name)
	if name == "" {
		return nil
	}
	byDistance := make([][]string, maxEdits+1)
	for _, k := range known {
		best := len(byDistance)
		for _, cand := range append([]string{k}, aliases[k]...) {
			best = min(best, editDistance(name, strings.ToLower(cand)))
		}
		if best < len(byDistance) {
			byDistance[best] = append(byDistance[best], strconv.Quote(k))
		}
	}
	for _, near := range byDistance {
		if len(near) > 0 {
			return near
		}
	}
	return nil
}

// editDistance is the Levenshtein distance between a and b: the fewest
// single-rune insertions, deletions and substitutions that turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
