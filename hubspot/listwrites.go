package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// The writes of the lists API that the source's tests and demos make
// (PublicApiSpecs/CRM/Lists/Rollouts/144891/<version>/lists.json). The
// connector's destination writes no lists.

// ListCreateRequest creates a list (the spec's ListCreateRequest).
type ListCreateRequest struct {
	Name           string `json:"name"`
	ObjectTypeID   string `json:"objectTypeId"`
	ProcessingType string `json:"processingType"`
}

// MembershipsUpdate is what an add or a remove changed (the spec's
// MembershipsUpdateResponse; its added field is spelt recordsIdsAdded).
type MembershipsUpdate struct {
	Added   []string `json:"recordsIdsAdded"`
	Removed []string `json:"recordIdsRemoved"`
	Missing []string `json:"recordIdsMissing"`
}

// Create creates a list (POST /crm/lists/{version}); it is not retried
// once it may have reached HubSpot.
func (s *ListsService) Create(ctx context.Context, in ListCreateRequest) (*List, error) {
	out, err := cmsCreate[listJSON](ctx, s.client, s.client.path(APILists), in)
	if err != nil {
		return nil, fmt.Errorf("create list %q: %w", in.Name, err)
	}
	return &out.List, nil
}

// Delete deletes a list (204); HubSpot keeps it 90 days, in which Restore
// brings it back (v3 spec, "Delete a List").
func (s *ListsService) Delete(ctx context.Context, listID string) error {
	if err := cmsDelete(ctx, s.client, s.client.path(APILists, listID)); err != nil {
		return fmt.Errorf("delete list %s: %w", listID, err)
	}
	return nil
}

// Restore brings a deleted list back (PUT .../{listId}/restore, 204).
func (s *ListsService) Restore(ctx context.Context, listID string) error {
	return s.put(ctx, s.client.path(APILists, listID, "restore"), nil, nil, nil, "restore list "+listID)
}

// Rename renames a list (PUT .../{listId}/update-list-name?listName=).
func (s *ListsService) Rename(ctx context.Context, listID, name string) error {
	return s.put(ctx, s.client.path(APILists, listID, "update-list-name"), url.Values{"listName": {name}}, nil, nil, "rename list "+listID)
}

// AddMembers adds records to a MANUAL or SNAPSHOT list.
func (s *ListsService) AddMembers(ctx context.Context, listID string, recordIDs ...string) (*MembershipsUpdate, error) {
	var out MembershipsUpdate
	err := s.put(ctx, s.client.path(APILists, listID, "memberships", "add"), nil, recordIDs, &out, "add members to list "+listID)
	return &out, err
}

// RemoveMembers removes records from a MANUAL or SNAPSHOT list.
func (s *ListsService) RemoveMembers(ctx context.Context, listID string, recordIDs ...string) (*MembershipsUpdate, error) {
	var out MembershipsUpdate
	err := s.put(ctx, s.client.path(APILists, listID, "memberships", "remove"), nil, recordIDs, &out, "remove members from list "+listID)
	return &out, err
}

// put sends a PUT of body (nil: none) and decodes the answer into out
// (nil: none expected).
func (s *ListsService) put(ctx context.Context, path string, q url.Values, body, out any, what string) error {
	req, err := NewRequest(http.MethodPut, path, q, body)
	if err != nil {
		return err
	}
	if err := s.client.Do(ctx, req, out); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
