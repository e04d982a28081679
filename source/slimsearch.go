package source

import (
	"context"
	"fmt"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// slimSearch is the hub's search in the form that survives HubSpot's
// limit on the size of a search body (hubspot.SearchBodyLimit): the
// search asks for the ids and modified times only, and a batch read,
// whose properties travel in a POST body of its own, reads the rest. The
// source sends its whole property catalog in each search as long as
// HubSpot takes it (other connectors report that it does); the first
// search HubSpot refuses for its size is sent again in this form and,
// when that one is served, the resource keeps to it for the rest of the
// run, with one log line.
func (h *hub) slimSearchPage(ctx context.Context, req hubspot.SearchRequest) (page, error) {
	props, cols := req.Properties, req.Columns
	req.Properties, req.Columns = []string{h.resource.ModifiedProperty}, nil
	p, err := h.objects.Search(ctx, h.resource.Name, req)
	if err != nil {
		return page{}, err
	}
	found, err := h.objectItems(p.Results)
	if err != nil || len(found) == 0 {
		return page{items: found, next: p.NextAfter()}, err
	}
	ids := make([]string, len(found))
	for i, it := range found {
		ids[i] = it.id
	}
	res, err := h.objects.BatchRead(ctx, h.resource.Name, hubspot.BatchReadRequest{IDs: ids, Properties: props, Columns: cols})
	if err != nil {
		return page{}, fmt.Errorf("read the properties of %d search results: %w", len(ids), err)
	}
	read, err := h.objectItems(res.Results)
	if err != nil {
		return page{}, err
	}
	byID := make(map[string]item, len(read))
	for _, it := range read {
		byID[it.id] = it
	}
	items := make([]item, 0, len(found))
	for _, it := range found {
		full, ok := byID[it.id]
		if !ok {
			// Archived between the search and the read: the deletes
			// scan emits it; search drops it once its index has caught up.
			continue
		}
		// The scans' cursors move by what search saw: the version read
		// may be newer (changed in between), and its time would move a
		// cursor past changes not read yet. That newer version is read
		// again when the scan reaches its time, and left out then as
		// emitted already (readAt).
		full.readAt = full.key.ts
		full.key, full.createdAt = it.key, it.createdAt
		items = append(items, full)
	}
	return page{items: items, next: p.NextAfter()}, nil
}

// fallBack sends again slim a search that HubSpot refused with refusal,
// maybe for its size; once the slim one is served, the resource keeps to
// slim searches for good, and says so once.
func (h *hub) fallBack(ctx context.Context, req hubspot.SearchRequest, refusal error) (page, error) {
	p, err := h.slimSearchPage(ctx, req)
	if err != nil {
		// Not the size, or not only: the refusal stands.
		return page{}, fmt.Errorf("%w (sent again without its %d properties: %w)", refusal, len(req.Names()), err)
	}
	if h.slim.CompareAndSwap(false, true) {
		sdk.Logger(ctx).Warn().Err(refusal).
			Str("resource", h.resource.Name).
			Int("searchBodyChars", req.BodyChars()).
			Int("searchBodyLimit", hubspot.SearchBodyLimit).
			Int("properties", len(req.Names())).
			Msg("hubspot source: HubSpot refused a search for its size; searching for ids and modified times and reading the properties by batch read for the rest of the run")
	}
	return p, nil
}
