package source_test

import "github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"

// cmsMode is one way HubSpot may behave where its documents are silent:
// how a CMS list takes a sort it does not document, and whether an
// archive moves an object's updated time.
type cmsMode struct {
	name string
	opts []hubspottest.Option
}

// cmsModes are the ways the CMS tests run: the simulator's default (the
// documented sorts, others ignored; an archive leaves updated), sorts
// ignored (creation order), and each with archives that move updated.
func cmsModes() []cmsMode {
	ignored := hubspottest.WithCMSSort(hubspottest.CMSSortIgnored)
	moves := hubspottest.WithArchiveMovesUpdated()
	return []cmsMode{
		{"documented", nil},
		{"ignored", []hubspottest.Option{ignored}},
		{"documented+moves", []hubspottest.Option{moves}},
		{"ignored+moves", []hubspottest.Option{ignored, moves}},
	}
}
