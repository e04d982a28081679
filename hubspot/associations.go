package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Limits of the associations endpoints.
const (
	// MaxAssociationReadInputs is the most ids one batch read takes: "any
	// batch read requests submitted to the Associations API may not exceed
	// 1000 IDs per request body"
	// (https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api).
	MaxAssociationReadInputs = 1000
	// MaxAssociationWriteInputs is the most inputs one associate, create,
	// archive or labels archive call is sent with. HubSpot names no limit
	// for them; 100, the objects' batch limit, is a guess on the safe side.
	MaxAssociationWriteInputs = 100
	// MaxInlineAssociations is how many associations of one type the v3
	// list and read calls show inline before they page
	// (https://developers.hubspot.com/changelog/announcing-a-change-to-how-v3-crm-apis-return-association-data;
	// github.com/HubSpot/hubspot-api-nodejs/issues/29).
	MaxInlineAssociations = 100
)

// AssociationCategory is who defined an association type.
type AssociationCategory string

// Association categories.
const (
	HubSpotDefined    AssociationCategory = "HUBSPOT_DEFINED"
	UserDefined       AssociationCategory = "USER_DEFINED"
	IntegratorDefined AssociationCategory = "INTEGRATOR_DEFINED"
)

// AssociationType is one type of a link as HubSpot reports it: its
// category, id, and label (nil for an unlabeled type).
type AssociationType struct {
	Category AssociationCategory `json:"category"`
	TypeID   int                 `json:"typeId"`
	Label    *string             `json:"label"`
}

// AssociationSpec names an association type to write.
type AssociationSpec struct {
	Category AssociationCategory `json:"associationCategory"`
	TypeID   int                 `json:"associationTypeId"`
}

// Link is one object linked from another, with the types of the link
// from the asking side.
type Link struct {
	ToID  string
	Types []AssociationType
}

// Labels returns the labels among the link's types, unlabeled ones left out.
func (l Link) Labels() []string {
	var out []string
	for _, t := range l.Types {
		if t.Label != nil {
			out = append(out, *t.Label)
		}
	}
	return out
}

// AssociationsService calls the associations API of labels and paging
// (/crm/associations/{version}/{fromType}/{toType}/..., v4 among the numbered paths).
//
// Links are two-way: linking a contact to a company links the company to
// the contact. Whether a change of links alone moves the objects'
// last-modified time is not documented; peers find it does not
// (docs/associations.md), so a reader that follows changes by that time
// must read links on its own schedule.
type AssociationsService struct {
	client *Client
}

// associationsPath builds a path of the associations API of labels and
// paging (v4 among the numbered versions, which v3's lacks:
// docs/associations.md).
func (c *Client) associationsPath(fromType, toType string, parts ...string) string {
	return c.path(APIAssociations, append([]string{fromType, toType}, parts...)...)
}

// ObjectRef names an object by id.
type ObjectRef struct {
	ID string `json:"id"`
}

// CreateAssociation links an object being created to an existing one:
// the type ids say which type To is ("associations" of a create input,
// https://developers.hubspot.com/docs/api-reference/latest/crm/associations/overview).
type CreateAssociation struct {
	To    ObjectRef         `json:"to"`
	Types []AssociationSpec `json:"types"`
}

type readInput struct {
	ID    string `json:"id"`
	After string `json:"after,omitempty"`
}

type readResult struct {
	From ObjectRef `json:"from"`
	To   []struct {
		// ToObjectID comes as a number; a string is taken too.
		ToObjectID       json.Number       `json:"toObjectId"`
		AssociationTypes []AssociationType `json:"associationTypes"`
	} `json:"to"`
	Paging *Paging `json:"paging,omitempty"`
}

type readResponse struct {
	Results []readResult  `json:"results"`
	Errors  []ErrorDetail `json:"errors,omitempty"`
}

// AssociationsRead is what BatchRead found.
type AssociationsRead struct {
	// Links holds each id's linked objects, every page of them. An id
	// with none is absent: HubSpot answers it with an error of the result
	// (NO_ASSOCIATIONS_FOUND), which BatchRead takes for no links.
	Links map[string][]Link
	// Errors are the other errors of the results.
	Errors []ErrorDetail
}

// noAssociations reports whether a batch read error only says that an id
// has nothing linked. HubSpot answers an unknown id the same way.
func noAssociations(d ErrorDetail) bool {
	return strings.Contains(string(d.SubCategory), "NO_ASSOCIATIONS_FOUND")
}

// BatchRead returns the objects of toType linked from each id of
// fromType: calls of up to MaxAssociationReadInputs ids, and for an id
// with more links than one answer holds, further calls with its cursor
// until the last page (HubSpot pages the links of each id on its own).
// It costs one call per 1,000 ids, plus one per 1,000 ids with more links
// than a page.
func (s *AssociationsService) BatchRead(ctx context.Context, fromType, toType string, ids []string) (*AssociationsRead, error) {
	out := &AssociationsRead{Links: map[string][]Link{}}
	var pending []readInput
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			pending = append(pending, readInput{ID: id})
		}
	}
	cursors := map[readInput]bool{}
	for len(pending) > 0 {
		var next []readInput
		_, err := inBatches(len(pending), MaxAssociationReadInputs, func(lo, hi int) error {
			req, err := NewRequest(http.MethodPost, s.client.associationsPath(fromType, toType, "batch", "read"), nil, batchBody[readInput]{pending[lo:hi]})
			if err != nil {
				return err
			}
			var res readResponse
			if err := s.client.Do(ctx, req, &res); err != nil {
				return err
			}
			for _, r := range res.Results {
				for _, to := range r.To {
					out.Links[r.From.ID] = append(out.Links[r.From.ID], Link{ToID: to.ToObjectID.String(), Types: to.AssociationTypes})
				}
				if after := nextAfter(r.Paging); after != "" {
					in := readInput{ID: r.From.ID, After: after}
					if cursors[in] {
						return fmt.Errorf("%s: the cursor %q came back twice", r.From.ID, after)
					}
					cursors[in] = true
					next = append(next, in)
				}
			}
			for _, e := range res.Errors {
				if !noAssociations(e) {
					out.Errors = append(out.Errors, e)
				}
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("read associations %s to %s: %w", fromType, toType, err)
		}
		pending = next
	}
	return out, nil
}

// AssociationPair is a pair of objects to link or unlink.
type AssociationPair struct {
	FromID, ToID string
}

// AssociationInput links a pair with association types (labels, or a
// Primary type), or names the types to remove from it.
type AssociationInput struct {
	FromID, ToID string
	Types        []AssociationSpec
}

type pairBody struct {
	From  ObjectRef         `json:"from"`
	To    ObjectRef         `json:"to"`
	Types []AssociationSpec `json:"types,omitempty"`
}

type archiveBody struct {
	From ObjectRef   `json:"from"`
	To   []ObjectRef `json:"to"`
}

// AssociationsWrite is the outcome of a write: the errors of inputs that
// HubSpot refused (their context names fromObjectId and toObjectId).
// Every input not named by an error was written.
type AssociationsWrite struct {
	Errors []ErrorDetail
}

// AssociateDefault links each pair with the pair's default (unlabeled)
// association type. Linking a linked pair again changes nothing, so the
// call is safe to retry.
func (s *AssociationsService) AssociateDefault(ctx context.Context, fromType, toType string, pairs []AssociationPair) (*AssociationsWrite, error) {
	body := make([]pairBody, len(pairs))
	for i, p := range pairs {
		body[i] = pairBody{From: ObjectRef{p.FromID}, To: ObjectRef{p.ToID}}
	}
	return write(ctx, s, "associate", fromType, toType, []string{"batch", "associate", "default"}, body)
}

// Create links each pair with the association types it names: a label
// (USER_DEFINED) or HubSpot's Primary, which bring the unlabeled type
// with them. Like AssociateDefault it is safe to retry.
func (s *AssociationsService) Create(ctx context.Context, fromType, toType string, inputs []AssociationInput) (*AssociationsWrite, error) {
	return write(ctx, s, "create associations", fromType, toType, []string{"batch", "create"}, pairBodies(inputs))
}

// ArchiveLabels removes the named types from each pair and keeps the
// link; removing the unlabeled type removes the whole link.
func (s *AssociationsService) ArchiveLabels(ctx context.Context, fromType, toType string, inputs []AssociationInput) (*AssociationsWrite, error) {
	return write(ctx, s, "archive association labels", fromType, toType, []string{"batch", "labels", "archive"}, pairBodies(inputs))
}

// Archive removes each pair's link, every type of it, both ways.
func (s *AssociationsService) Archive(ctx context.Context, fromType, toType string, pairs []AssociationPair) (*AssociationsWrite, error) {
	body := make([]archiveBody, len(pairs))
	for i, p := range pairs {
		body[i] = archiveBody{From: ObjectRef{p.FromID}, To: []ObjectRef{{p.ToID}}}
	}
	return write(ctx, s, "archive associations", fromType, toType, []string{"batch", "archive"}, body)
}

func pairBodies(inputs []AssociationInput) []pairBody {
	body := make([]pairBody, len(inputs))
	for i, in := range inputs {
		body[i] = pairBody{From: ObjectRef{in.FromID}, To: ObjectRef{in.ToID}, Types: in.Types}
	}
	return body
}

// write sends inputs in calls of at most MaxAssociationWriteInputs. When
// a call fails, the result holds the errors of the calls before it, and
// the *BatchError says from which input nothing was written.
func write[T any](ctx context.Context, s *AssociationsService, op, fromType, toType string, parts []string, inputs []T) (*AssociationsWrite, error) {
	out := &AssociationsWrite{}
	first, err := inBatches(len(inputs), MaxAssociationWriteInputs, func(lo, hi int) error {
		req, err := NewRequest(http.MethodPost, s.client.associationsPath(fromType, toType, parts...), nil, batchBody[T]{inputs[lo:hi]})
		if err != nil {
			return err
		}
		var res struct {
			Errors []ErrorDetail `json:"errors,omitempty"`
		}
		if err := s.client.Do(ctx, req, &res); err != nil {
			return err
		}
		out.Errors = append(out.Errors, res.Errors...)
		return nil
	})
	if err != nil {
		return out, &BatchError{Op: op, ObjectType: fromType + " to " + toType, First: first, Err: err}
	}
	return out, nil
}

// Labels lists the association types from fromType to toType: HubSpot's
// (unlabeled, Primary) and the account's labels.
func (s *AssociationsService) Labels(ctx context.Context, fromType, toType string) ([]AssociationType, error) {
	var res struct {
		Results []AssociationType `json:"results"`
	}
	if err := s.client.get(ctx, s.client.associationsPath(fromType, toType, "labels"), nil, &res); err != nil {
		return nil, fmt.Errorf("list association labels %s to %s: %w", fromType, toType, err)
	}
	return res.Results, nil
}

// inBatches calls call for each run [lo, hi) of at most size of n inputs,
// in order, and stops at the first error, returning the start of its run.
func inBatches(n, size int, call func(lo, hi int) error) (int, error) {
	for lo := 0; lo < n; lo += size {
		if err := call(lo, min(lo+size, n)); err != nil {
			return lo, err
		}
	}
	return n, nil
}

func setAssociations(q url.Values, types []string) {
	if len(types) > 0 {
		q.Set("associations", strings.Join(types, ","))
	}
}

// InlineAssociations are the links of one type that a v3 list or read
// shows: each type of a link is its own entry (a contact's Primary
// company shows twice, as contact_to_company and
// contact_to_company_unlabeled), and past MaxInlineAssociations entries
// Paging offers the rest, which BatchRead reads.
type InlineAssociations struct {
	Results []InlineAssociation `json:"results"`
	Paging  *Paging             `json:"paging,omitempty"`
}

// InlineAssociation is one linked id with the name of the link's type.
type InlineAssociation struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Complete reports whether these are all the links: no further page.
func (a InlineAssociations) Complete() bool { return nextAfter(a.Paging) == "" }

// IDs returns the linked ids, each once, in the order HubSpot gave them.
func (a InlineAssociations) IDs() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range a.Results {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r.ID)
		}
	}
	return out
}
