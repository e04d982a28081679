package hubspot

// ListSpec is what a KindLists resource reads: the list definitions, or,
// with Members, their members, one record per (list, record).
type ListSpec struct {
	Members bool
}

// The list resources (https://developers.hubspot.com/docs/api/crm/lists):
// read-only, from the lists search and each list's memberships.
const (
	ListsResourceName           = "lists"
	ListMembershipsResourceName = "list_memberships"
)

// listResources are the rows of the list resources: read only; no search
// of the CRM's kind, no writes.
func listResources() []Resource {
	row := func(name string, members bool) Resource {
		return Resource{Name: name, Kind: KindLists, Ops: OpList, Lists: &ListSpec{Members: members}}
	}
	return []Resource{row(ListsResourceName, false), row(ListMembershipsResourceName, true)}
}
