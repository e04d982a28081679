package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HubDB tables, as HubSpot's HubDB API v3 documents them:
// https://developers.hubspot.com/docs/api/cms/hubdb (the guide: draft and
// published versions), the tables reference
// (https://developers.hubspot.com/docs/api-reference/cms-hubdb-v3/tables/get-cms-v3-hubdb-tables:
// get all published tables, with the created and updated filters, sort by
// name, createdAt, updatedAt, createdBy or updatedBy, after, limit and
// archived; GET /tables/draft the drafts; the table's fields) and
// https://developers.hubspot.com/docs/api-reference/latest/cms/hubdb/tables/publish-table-draft
// (POST /tables/{tableIdOrName}/draft/publish copies the draft to the
// published version). A create makes a draft ("All new tables created are
// set with a status of draft", https://developers.hubspot.com/docs/cms/data/hubdb);
// PATCH /tables/{tableIdOrName}/draft changes the draft, and columns sent
// replace the table's columns; DELETE archives both versions. Paths take
// a table's id or name.
//
// What the docs leave open, and this simulator guesses:
//   - a second live table with a name taken is refused with 409 CONFLICT
//     ("The table name and label should be unique for each account"; the
//     label is not checked);
//   - a changed name in an update is refused with 400 (the docs: the name
//     "cannot be changed once the table has been created");
//   - publishing sets the published version's updatedAt and publishedAt
//     to the time of the publish, and leaves the draft as it is;
//   - deleting sets deletedAt (and both versions' updatedAt only
//     WithArchiveMovesUpdated); the archived
//     published list holds the deleted tables that had been published;
//   - the list's limit defaults to 10 and is at most 100 as the other CMS
//     lists (HubSpot's spec says the default is 1000; clients here always
//     send one); ties in a sort go by createdAt, then id (cmssort.go);
//   - a column's type is one of HubSpot's column types; a column sent
//     without an id keeps the id of the column of its name, or gets a new
//     one; rows are not simulated (rowCount is 0).

const hubdbFirstID = 5746871 // HubSpot's example ids are of this size

// hubdbColumnTypes are the column types HubSpot's spec lists.
var hubdbColumnTypes = []string{"NULL", "TEXT", "NUMBER", "URL", "IMAGE", "SELECT", "MULTISELECT", "BOOLEAN", "LOCATION",
	"DATE", "DATETIME", "CURRENCY", "RICHTEXT", "FOREIGN_ID", "VIDEO", "CTA", "FILE", "HUBSPOT_ID"}

// hubdbSorts are the fields the list sorts by.
var hubdbSorts = []string{"name", "createdAt", "updatedAt", "createdBy", "updatedBy"}

// HubDBTable is the simulator's ground truth for one table: its draft, and
// its published version once it was published.
type HubDBTable struct {
	ID        string
	Name      string
	Created   time.Time
	Draft     HubDBVersion
	Published *HubDBVersion // nil: never published
	DeletedAt time.Time     // zero while live
	Archived  bool
}

// HubDBVersion is one version of a table.
type HubDBVersion struct {
	Label                 string
	UseForPages           bool
	AllowPublicAPIAccess  bool
	AllowChildTables      bool
	EnableChildTablePages bool
	Columns               []HubDBColumn
	Updated               time.Time
	PublishedAt           time.Time // zero in a draft never published
}

// HubDBColumn is a column of a table.
type HubDBColumn struct {
	ID    int
	Name  string
	Label string
	Type  string
}

type hubdbStore struct {
	byID   map[string]*HubDBTable
	order  []string
	nextID int64
}

// hubdbView is one version of a table as a list serves it.
type hubdbView struct {
	t     *HubDBTable
	draft bool
}

func (v hubdbView) version() *HubDBVersion {
	if v.draft || v.t.Published == nil {
		return &v.t.Draft
	}
	return v.t.Published
}

func (v hubdbView) cmsID() string                    { return v.t.ID }
func (v hubdbView) cmsTimes() (time.Time, time.Time) { return v.t.Created, v.version().Updated }
func (v hubdbView) cmsArchived() bool                { return v.t.Archived }

type hubdbColumnJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

type hubdbTableJSON struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	Label                 string            `json:"label"`
	Columns               []hubdbColumnJSON `json:"columns"`
	UseForPages           bool              `json:"useForPages"`
	AllowPublicAPIAccess  bool              `json:"allowPublicApiAccess"`
	AllowChildTables      bool              `json:"allowChildTables"`
	EnableChildTablePages bool              `json:"enableChildTablePages"`
	Published             bool              `json:"published"`
	PublishedAt           *string           `json:"publishedAt,omitempty"`
	RowCount              int               `json:"rowCount"`
	ColumnCount           int               `json:"columnCount"`
	CreatedAt             string            `json:"createdAt"`
	UpdatedAt             string            `json:"updatedAt"`
	Archived              bool              `json:"archived"`
	DeletedAt             *string           `json:"deletedAt,omitempty"`
}

func (v hubdbView) json() hubdbTableJSON {
	ver := v.version()
	out := hubdbTableJSON{ID: v.t.ID, Name: v.t.Name, Label: ver.Label, Columns: []hubdbColumnJSON{},
		UseForPages: ver.UseForPages, AllowPublicAPIAccess: ver.AllowPublicAPIAccess,
		AllowChildTables: ver.AllowChildTables, EnableChildTablePages: ver.EnableChildTablePages,
		Published: v.t.Published != nil, ColumnCount: len(ver.Columns),
		CreatedAt: formatTime(v.t.Created), UpdatedAt: formatTime(ver.Updated), Archived: v.t.Archived}
	for _, c := range ver.Columns {
		out.Columns = append(out.Columns, hubdbColumnJSON{ID: strconv.Itoa(c.ID), Name: c.Name, Label: c.Label, Type: c.Type})
	}
	if v.t.Published != nil {
		p := formatTime(v.t.Published.PublishedAt)
		out.PublishedAt = &p
	}
	if !v.t.DeletedAt.IsZero() {
		d := formatTime(v.t.DeletedAt)
		out.DeletedAt = &d
	}
	return out
}

// hubdbColumnInput is a column of a create or update; the id may come as
// a number (the request spec's) or as text (the answers').
type hubdbColumnInput struct {
	ID    json.RawMessage `json:"id"`
	Name  string          `json:"name"`
	Label string          `json:"label"`
	Type  string          `json:"type"`
}

// hubdbInput is a create or update body; other fields are ignored.
type hubdbInput struct {
	Name                  *string             `json:"name"`
	Label                 *string             `json:"label"`
	UseForPages           *bool               `json:"useForPages"`
	AllowPublicAPIAccess  *bool               `json:"allowPublicApiAccess"`
	AllowChildTables      *bool               `json:"allowChildTables"`
	EnableChildTablePages *bool               `json:"enableChildTablePages"`
	Columns               *[]hubdbColumnInput `json:"columns"`
}

// apply sets the draft's fields from in; columns sent replace the draft's.
func (in hubdbInput) apply(v *HubDBVersion) *apiError {
	if in.Label != nil {
		v.Label = *in.Label
	}
	for dst, src := range map[*bool]*bool{&v.UseForPages: in.UseForPages, &v.AllowPublicAPIAccess: in.AllowPublicAPIAccess,
		&v.AllowChildTables: in.AllowChildTables, &v.EnableChildTablePages: in.EnableChildTablePages} {
		if src != nil {
			*dst = *src
		}
	}
	if in.Columns == nil {
		return nil
	}
	cols, e := hubdbColumns(*in.Columns, v.Columns)
	if e != nil {
		return e
	}
	v.Columns = cols
	return nil
}

// hubdbColumns checks the columns sent and gives each its id: the one
// sent, or that of the old column of its name, or a new one.
func hubdbColumns(in []hubdbColumnInput, old []HubDBColumn) ([]HubDBColumn, *apiError) {
	next := 1
	for _, c := range old {
		next = max(next, c.ID+1)
	}
	out := make([]HubDBColumn, 0, len(in))
	for i, c := range in {
		switch {
		case strings.TrimSpace(c.Name) == "":
			return nil, validationError(fmt.Sprintf("columns[%d].name is required", i), "REQUIRED_FIELD", "columns")
		case !slices.Contains(hubdbColumnTypes, c.Type):
			return nil, validationError(fmt.Sprintf("columns[%d].type %q is not one of %s", i, c.Type, strings.Join(hubdbColumnTypes, ", ")), "INVALID_VALUE", "columns")
		case slices.ContainsFunc(out, func(o HubDBColumn) bool { return o.Name == c.Name }):
			return nil, validationError(fmt.Sprintf("columns[%d]: a column named %q is there already", i, c.Name), "INVALID_VALUE", "columns")
		}
		id, err := strconv.Atoi(strings.Trim(string(c.ID), `"`))
		if err != nil || id <= 0 {
			id = 0
			if j := slices.IndexFunc(old, func(o HubDBColumn) bool { return o.Name == c.Name }); j >= 0 {
				id = old[j].ID
			}
		}
		if id == 0 || slices.ContainsFunc(out, func(o HubDBColumn) bool { return o.ID == id }) {
			id = next
		}
		next = max(next, id+1)
		out = append(out, HubDBColumn{ID: id, Name: c.Name, Label: c.Label, Type: c.Type})
	}
	return out, nil
}

// hubdbTaken is the live table other than id with name. Callers hold s.mu.
func (s *Server) hubdbTaken(name, id string) *HubDBTable {
	for _, tid := range s.hubdb.order {
		t := s.hubdb.byID[tid]
		if !t.Archived && t.ID != id && t.Name == name {
			return t
		}
	}
	return nil
}

// createTableLocked stores a new table, a draft; callers hold s.mu.
func (s *Server) createTableLocked(in hubdbInput) (*HubDBTable, *apiError) {
	t := &HubDBTable{}
	if in.Name != nil {
		t.Name = *in.Name
	}
	if e := in.apply(&t.Draft); e != nil {
		return nil, e
	}
	switch {
	case strings.TrimSpace(t.Name) == "":
		return nil, validationError("name is required", "REQUIRED_FIELD", "name")
	case strings.TrimSpace(t.Draft.Label) == "":
		return nil, validationError("label is required", "REQUIRED_FIELD", "label")
	}
	if taken := s.hubdbTaken(t.Name, ""); taken != nil {
		return nil, &apiError{status: http.StatusConflict, category: categoryConflict,
			message: fmt.Sprintf("A table named %q already exists (id %s)", taken.Name, taken.ID), context: ctxMap("name", taken.Name)}
	}
	if s.hubdb.byID == nil {
		s.hubdb.byID = map[string]*HubDBTable{}
		s.hubdb.nextID = hubdbFirstID
	}
	t.ID = idString(s.hubdb.nextID)
	s.hubdb.nextID++
	t.Created = s.now()
	t.Draft.Updated = t.Created
	s.hubdb.byID[t.ID] = t
	s.hubdb.order = append(s.hubdb.order, t.ID)
	return t, nil
}

// publishLocked copies the draft to the published version.
func (s *Server) publishLocked(t *HubDBTable) {
	p := t.Draft
	p.Columns = slices.Clone(t.Draft.Columns)
	p.Updated = s.now()
	p.PublishedAt = p.Updated
	t.Published = &p
}

// AddHubDBTable creates a table as the API's create does, published when
// publish is set, and returns its id; t's ID, times, versions but the
// draft, and Archived are ignored.
func (s *Server) AddHubDBTable(t HubDBTable, publish bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := hubdbInput{Name: &t.Name, Label: &t.Draft.Label, UseForPages: &t.Draft.UseForPages,
		AllowPublicAPIAccess: &t.Draft.AllowPublicAPIAccess, AllowChildTables: &t.Draft.AllowChildTables,
		EnableChildTablePages: &t.Draft.EnableChildTablePages}
	cols := make([]hubdbColumnInput, len(t.Draft.Columns))
	for i, c := range t.Draft.Columns {
		cols[i] = hubdbColumnInput{Name: c.Name, Label: c.Label, Type: c.Type}
	}
	in.Columns = &cols
	got, e := s.createTableLocked(in)
	if e != nil {
		return "", fmt.Errorf("hubspottest: add HubDB table: %s", e.message)
	}
	if publish {
		s.publishLocked(got)
	}
	return got.ID, nil
}

// HubDBTables returns every table, deleted ones too, in creation order.
func (s *Server) HubDBTables() []HubDBTable {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]HubDBTable, 0, len(s.hubdb.order))
	for _, id := range s.hubdb.order {
		t := *s.hubdb.byID[id]
		t.Draft.Columns = slices.Clone(t.Draft.Columns)
		if t.Published != nil {
			p := *t.Published
			p.Columns = slices.Clone(p.Columns)
			t.Published = &p
		}
		out = append(out, t)
	}
	return out
}

// LiveHubDBTables returns the tables that are not deleted, by name.
func (s *Server) LiveHubDBTables() map[string]HubDBTable {
	out := map[string]HubDBTable{}
	for _, t := range s.HubDBTables() {
		if !t.Archived {
			out[t.Name] = t
		}
	}
	return out
}

// listHubDBTables serves GET /cms/hubdb/{version}/tables (the published
// versions) and, with draft, GET /cms/hubdb/{version}/tables/draft.
func (s *Server) listHubDBTables(draft bool) handlerFunc {
	return func(r *http.Request) (int, any, *apiError) {
		for _, k := range queryList(r, "sort") {
			if s.cmsSort == CMSSortAnyField && !slices.Contains(hubdbSorts, strings.TrimPrefix(k, "-")) {
				return 0, nil, badRequest(fmt.Sprintf("cannot sort HubDB tables by %q: valid fields are %s", k, strings.Join(hubdbSorts, ", ")))
			}
		}
		var objs []hubdbView
		for _, id := range s.hubdb.order {
			if t := s.hubdb.byID[id]; draft || t.Published != nil {
				objs = append(objs, hubdbView{t: t, draft: draft})
			}
		}
		return cmsList(r, "HubDB tables", cmsSorting{s.cmsSort, hubdbSorts}, objs, map[string]func(a, b hubdbView) int{
			"name": func(a, b hubdbView) int { return strings.Compare(a.t.Name, b.t.Name) },
			// The simulator has no users: every table was made by one.
			"createdBy": func(hubdbView, hubdbView) int { return 0 },
			"updatedBy": func(hubdbView, hubdbView) int { return 0 },
		}, nil, hubdbView.json)
	}
}

// liveTable is the live table of the path's id or name, or a 404.
func (s *Server) liveTable(r *http.Request) (*HubDBTable, *apiError) {
	key := r.PathValue("table")
	t := s.hubdb.byID[key]
	if t == nil || t.Archived {
		t = s.hubdbTaken(key, "")
	}
	if t == nil {
		return nil, notFound(fmt.Sprintf("HubDB table %s not found", key))
	}
	return t, nil
}

// getHubDBTable serves GET /cms/hubdb/{version}/tables/{table}, the published
// version, and, with draft, GET .../{table}/draft.
func (s *Server) getHubDBTable(draft bool) handlerFunc {
	return func(r *http.Request) (int, any, *apiError) {
		t, e := s.liveTable(r)
		if e != nil {
			return 0, nil, e
		}
		if !draft && t.Published == nil {
			return 0, nil, notFound(fmt.Sprintf("HubDB table %s has no published version", r.PathValue("table")))
		}
		return http.StatusOK, hubdbView{t: t, draft: draft}.json(), nil
	}
}

// createHubDBTable serves POST /cms/hubdb/{version}/tables: 201 and the draft.
func (s *Server) createHubDBTable(r *http.Request) (int, any, *apiError) {
	var in hubdbInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	t, e := s.createTableLocked(in)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusCreated, hubdbView{t: t, draft: true}.json(), nil
}

// updateHubDBTable serves PATCH /cms/hubdb/{version}/tables/{table}/draft.
func (s *Server) updateHubDBTable(r *http.Request) (int, any, *apiError) {
	t, e := s.liveTable(r)
	if e != nil {
		return 0, nil, e
	}
	var in hubdbInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	if in.Name != nil && *in.Name != t.Name {
		return 0, nil, validationError(fmt.Sprintf("the name of table %s cannot change (from %q to %q)", t.ID, t.Name, *in.Name), "INVALID_VALUE", "name")
	}
	next := t.Draft
	if e := in.apply(&next); e != nil {
		return 0, nil, e
	}
	if strings.TrimSpace(next.Label) == "" {
		return 0, nil, validationError("label must not be empty", "REQUIRED_FIELD", "label")
	}
	next.Updated = s.now()
	t.Draft = next
	return http.StatusOK, hubdbView{t: t, draft: true}.json(), nil
}

// publishHubDBTable serves POST /cms/hubdb/{version}/tables/{table}/draft/publish:
// 200 and the published version.
func (s *Server) publishHubDBTable(r *http.Request) (int, any, *apiError) {
	t, e := s.liveTable(r)
	if e != nil {
		return 0, nil, e
	}
	s.publishLocked(t)
	return http.StatusOK, hubdbView{t: t}.json(), nil
}

// deleteHubDBTable serves DELETE /cms/hubdb/{version}/tables/{table}: 204.
func (s *Server) deleteHubDBTable(r *http.Request) (int, any, *apiError) {
	t, e := s.liveTable(r)
	if e != nil {
		return 0, nil, e
	}
	now := s.now()
	t.Archived, t.DeletedAt = true, now
	if s.archiveMovesUpdated {
		t.Draft.Updated = now
		if t.Published != nil {
			t.Published.Updated = now
		}
	}
	return http.StatusNoContent, nil, nil
}
