package destination

import (
	"context"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// writer writes the records of a Write: of one resource (crmWriter,
// cmsRecordWriter, pipelineWriter), or each of its own (router). It returns
// how many records HubSpot accepted, from the first on, and an error naming
// the first record it did not.
type writer interface {
	write(ctx context.Context, recs []opencdc.Record) (int, error)
}

var (
	_ writer = (*crmWriter)(nil)
	_ writer = (*cmsRecordWriter)(nil)
	_ writer = (*pipelineWriter)(nil)
	_ writer = (*router)(nil)
)

// openWriter opens the writer of one resource, with cfg its settings and
// the client that writes it.
func (d *Destination) openWriter(ctx context.Context, cfg Config, res hubspot.Resource, client *hubspot.Client) (writer, error) {
	// Each branch returns its own nil on an error: a nil pointer in the
	// interface would not be a nil writer.
	switch res.Kind {
	case hubspot.KindCMSObject:
		w, err := openCMSObjects(ctx, cfg, res, client.CMSObjects(*res.CMS))
		if err != nil {
			return nil, err
		}
		return w, nil
	case hubspot.KindPipelines:
		w, err := openPipelines(ctx, cfg, res, client.Pipelines)
		if err != nil {
			return nil, err
		}
		return w, nil
	}
	w, err := openCRM(ctx, cfg, res, client.Objects, client.Properties, d.links, d.now)
	if err != nil {
		return nil, err
	}
	return w, nil
}
