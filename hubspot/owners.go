package hubspot

import (
	"context"
	"fmt"
)

// OwnersService calls the owners endpoints (/crm/owners/{version}), a read-only
// resource without search; Archived lists the deactivated owners.
type OwnersService struct {
	client *Client
}

// OwnerListOptions select a page of owners.
type OwnerListOptions struct {
	// Limit is the page size, 1 to 100; 0 means 100.
	Limit    int
	After    string
	Email    string
	Archived bool
}

// List returns one page of owners.
func (s *OwnersService) List(ctx context.Context, opts OwnerListOptions) (*OwnerPage, error) {
	q, err := pageQuery(opts.Limit, opts.After, opts.Archived)
	if err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	if opts.Email != "" {
		q.Set("email", opts.Email)
	}
	var page OwnerPage
	if err := s.client.get(ctx, s.client.path(APIOwners), q, &page); err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	return &page, nil
}

// Get returns one owner by id.
func (s *OwnersService) Get(ctx context.Context, id string) (*Owner, error) {
	var o Owner
	if err := s.client.get(ctx, s.client.path(APIOwners, id), nil, &o); err != nil {
		return nil, fmt.Errorf("get owner %s: %w", id, err)
	}
	return &o, nil
}
